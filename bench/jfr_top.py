#!/usr/bin/env python3
"""Summarises `jfr print --stack-depth 64 --events jdk.ExecutionSample` output as Markdown.

usage: jfr_top.py SAMPLES.txt [GC.txt]
Tables: samples by thread; hottest frames (self time, the top frame of each sample); Flowtrail
methods by inclusive time (on the stack anywhere); and time by component (the first frame of the
stack, from the top, that belongs to a known component).
"""
import collections
import re
import sys

COMPONENTS = [
    ("io.flowtrail.parse.", "parsing (io.flowtrail.parse)"),
    ("io.flowtrail.config.", "configuration join (io.flowtrail.config)"),
    ("io.flowtrail.summary.", "flow_summary aggregation (io.flowtrail.summary)"),
    ("io.flowtrail.detect.", "detectors (io.flowtrail.detect)"),
    ("io.flowtrail.sink.", "Parquet sinks (io.flowtrail.sink)"),
    ("io.flowtrail.", "other Flowtrail code"),
    ("org.apache.parquet.", "Parquet writer"),
    ("com.github.luben.zstd", "ZSTD"),
    ("java.util.zip.", "gzip / zip"),
    ("org.apache.flink.api.common.typeutils.", "Flink serializers"),
    ("org.apache.flink.api.java.typeutils.", "Flink serializers"),
    ("org.apache.flink.runtime.operators.sort.", "Flink batch sort"),
    ("org.apache.flink.streaming.api.operators.sort.", "Flink batch sort"),
    ("org.apache.flink.runtime.io.network.", "Flink network stack"),
    ("org.apache.flink.runtime.state.", "Flink state backend"),
    ("org.apache.flink.", "other Flink runtime"),
    ("java.util.", "java.util (collections)"),
    ("java.lang.String", "java.lang.String"),
    ("jdk.internal.misc.Unsafe", "Unsafe (memory copies)"),
    ("java.", "other JDK"),
]


def parse(path):
    samples = []
    thread = None
    frames = None
    with open(path) as f:
        for line in f:
            s = line.strip()
            if s.startswith("jdk.ExecutionSample"):
                thread, frames = None, []
            elif s.startswith("sampledThread"):
                m = re.match(r'sampledThread = "(.*)" \(', s)
                thread = m.group(1) if m else s
            elif s.startswith("stackTrace = ["):
                frames = []
            elif frames is not None and s == "]":
                samples.append((thread, frames))
                frames = None
            elif frames is not None and s and s != "...":
                frames.append(re.sub(r"\s+line:.*$", "", s))
    return samples


def thread_group(name):
    name = name or "?"
    name = re.sub(r"\(\d+/\d+\)#\d+", "(i/n)", name)
    name = re.sub(r"-\d+$", "-N", name)
    return name


def table(title, header, rows, total):
    out = ["### " + title, "", "| %s | samples | share |" % header, "|---|---:|---:|"]
    for name, n in rows:
        out.append("| `%s` | %d | %.1f%% |" % (name.replace("|", "\\|"), n, 100.0 * n / total))
    out.append("")
    return out


def component(frames):
    for fr in frames:
        for prefix, name in COMPONENTS:
            if fr.startswith(prefix):
                return name
    return "other"


def main():
    samples = parse(sys.argv[1])
    total = len(samples)
    if total == 0:
        print("No execution samples.")
        return
    threads = collections.Counter(thread_group(t) for t, _ in samples)
    top = collections.Counter(fr[0] for _, fr in samples if fr)
    inclusive = collections.Counter()
    for _, fr in samples:
        for name in set(f for f in fr if f.startswith("io.flowtrail.")):
            inclusive[name] += 1
    comps = collections.Counter(component(fr) for _, fr in samples)
    out = ["%d execution samples." % total, ""]
    out += table("By component (first known frame from the top of the stack)", "component",
                 comps.most_common(), total)
    out += table("By thread", "thread", threads.most_common(12), total)
    out += table("Hottest frames (self)", "frame", top.most_common(30), total)
    out += table("Flowtrail methods (inclusive: anywhere on the stack)", "method",
                 inclusive.most_common(25), total)
    if len(sys.argv) > 2:
        pauses = []
        with open(sys.argv[2]) as f:
            for line in f:
                m = re.match(r"\s*sumOfPauses = ([\d.]+) (ms|s)", line)
                if m:
                    v = float(m.group(1))
                    pauses.append(v * (1000 if m.group(2) == "s" else 1))
        out.append("Garbage collection: %d collections, %.1f s of pauses in total." % (
            len(pauses), sum(pauses) / 1000))
    print("\n".join(out))


if __name__ == "__main__":
    main()
