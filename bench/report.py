#!/usr/bin/env python3
"""Turns bench/run.sh's raw measurements into the Markdown table of bench/results.md.

usage: report.py RAW.tsv JMH.json RECORDS META.txt [FLOOR_RECORDS]
RAW.tsv: name, repetition, wall seconds, max RSS KB (one line per run).
JMH.json: JMH's -rf json output of FlowLineParserBenchmark (may be missing).
META.txt: lines printed above the table as they are.
FLOOR_RECORDS: the records of the one-file start-up floor run (floor-p2).
"""
import json
import os
import statistics
import sys

ROWS = [
    ("parser", "parser alone (JMH `FlowLineParserBenchmark`, 1 thread)"),
    ("summary-p2", "`replay`, flow_summary only (detectors and rejects off, no config join), parallelism 2"),
    ("full-p1", "`replay`, every table and detector (config join), parallelism 1"),
    ("full-p2", "`replay`, every table and detector (config join), parallelism 2"),
    ("duckdb", "DuckDB reference (JDBC, 2 threads, ZSTD Parquet)"),
    ("floor-p2", "start-up floor: `replay`, flow_summary only, of the first 5-minute file alone"
     " (%s records), parallelism 2"),
]


def main():
    raw, jmh, records, meta = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    floor_records = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    runs = {}
    with open(raw) as f:
        for line in f:
            name, _rep, wall, rss = line.split("\t")[:4]
            runs.setdefault(name, []).append((float(wall), int(rss)))
    rates = []
    if os.path.exists(jmh):
        for b in json.load(open(jmh)):
            if b["benchmark"].endswith("parseVersion2Lines"):
                for fork in b["primaryMetric"]["rawData"]:
                    rates.extend(fork)
    duck = statistics.median(w for w, _ in runs["duckdb"]) if "duckdb" in runs else None

    out = []
    out.extend(open(meta).read().rstrip("\n").split("\n"))
    out.append("")
    out.append("| run | median wall | records/s | peak RSS | vs DuckDB | runs (s) |")
    out.append("|---|---:|---:|---:|---:|---|")
    for key, label in ROWS:
        n = records
        if key == "floor-p2":
            label = label % "{:,}".format(floor_records)
            n = floor_records
        if key == "parser":
            if not rates:
                out.append("| %s | – | – | – | – | not run |" % label)
                continue
            rate = statistics.median(rates)
            wall = records / rate
            ratio = "%.2f" % (wall / duck) if duck else "–"
            out.append(
                "| %s | %.2f s (for %s records) | %s | – | %s | %d iterations, %s-%s records/s |"
                % (label, wall, "{:,}".format(records), "{:,.0f}".format(rate), ratio,
                   len(rates), "{:,.0f}".format(min(rates)), "{:,.0f}".format(max(rates))))
            continue
        if key not in runs:
            out.append("| %s | – | – | – | – | not run |" % label)
            continue
        walls = [w for w, _ in runs[key]]
        wall = statistics.median(walls)
        rss = max(r for _, r in runs[key])
        ratio = "%.2f" % (wall / duck) if duck else "–"
        out.append(
            "| %s | %.1f s | %s | %s MB | %s | %s |"
            % (label, wall, "{:,.0f}".format(n / wall), "{:,}".format(rss // 1024), ratio,
               ", ".join("%.1f" % w for w in walls)))
    out.append("")
    out.append(
        "Wall times are whole processes (JVM start, MiniCluster or DuckDB start, and reading the"
        " output back included) from `/usr/bin/time`; peak RSS is the largest maximum resident set"
        " of the runs. `vs DuckDB` is the median wall time over DuckDB's (targets: flow_summary only,"
        " parallelism 2, at most 1.0; every table and detector, parallelism 2, at most 1.5). The"
        " parser row is JMH's median over every measured iteration; its wall time is the records"
        " divided by that rate (no I/O).")
    if "floor-p2" in runs and "summary-p2" in runs:
        floor = statistics.median(w for w, _ in runs["floor-p2"])
        summary = statistics.median(w for w, _ in runs["summary-p2"])
        out.append("")
        out.append(
            "Start-up and throughput: the one-file replay (the start-up floor: two JVMs, the"
            " MiniCluster, scheduling the job's stages one after the other) took %.1f s; the"
            " flow_summary-only replay of all %s records took %.1f s more (compiling the hot"
            " code included), %s records/s once started.%s"
            % (floor, "{:,}".format(records), summary - floor,
               "{:,.0f}".format((records - floor_records) / (summary - floor)),
               (" DuckDB took %.1f s in all." % duck) if duck else ""))
    print("\n".join(out))


if __name__ == "__main__":
    main()
