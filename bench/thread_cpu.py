#!/usr/bin/env python3
"""CPU time of every thread of a command's JVM, from /proc (Linux), as a Markdown table.

usage: thread_cpu.py OUT.md COMMAND [ARGS...]
Runs COMMAND, reads /proc/<pid>/task/*/stat of it and its child processes every 0.2 s, and keeps
each thread's last user + system time (a thread's time only grows; a thread that ends keeps its
last reading, so a thread that ends between two readings is short by up to 0.2 s; the total is the
process's own, from the kernel when it exits). Unlike JFR's execution samples, which only see threads running Java code, this also
counts the JIT compiler threads, the GC threads and the JVM's own, where a replay on 2 cores spends
a large share of its CPU. Writes the table to OUT.md; the command's output goes to stdout; exits
with the command's exit code.
"""
import collections
import os
import re
import subprocess
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def descendants(root):
    children = collections.defaultdict(list)
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = open(f"/proc/{pid}/stat").read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children[ppid].append(int(pid))
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def read(pids, last):
    for pid in pids:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                stat = open(f"/proc/{pid}/task/{tid}/stat").read()
            except OSError:
                continue
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2 :].split()
            last[(pid, tid)] = (name, int(fields[11]) + int(fields[12]))


def group(name):
    # JIT and GC threads keep their numbers apart from the kind; Flink's task threads are
    # "<operator names> (i/n)" cut to 15 characters by the kernel.
    if "CompilerThre" in name:
        return name.split(" ")[0] + " compiler threads (JIT)"
    if name.startswith("GC Thread") or name.startswith("VM Thread"):
        return "GC and VM threads"
    return re.sub(r"\d+", "N", name)


def main():
    out_md, cmd = sys.argv[1], sys.argv[2:]
    proc = subprocess.Popen(cmd)
    last = {}
    while True:
        read(descendants(proc.pid), last)
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid != 0:
            break
        time.sleep(0.2)
    code = os.waitstatus_to_exitcode(status)
    totals = collections.Counter()
    for name, ticks in last.values():
        totals[group(name)] += ticks
    total = sum(totals.values()) or 1
    lines = [
        "| thread (name as the kernel keeps it, 15 characters) | CPU s | share |",
        "|---|---:|---:|",
    ]
    for name, ticks in totals.most_common(15):
        lines.append(f"| `{name}` | {ticks / TICKS:.2f} | {100 * ticks / total:.1f}% |")
    lines.append(f"| all threads read | {total / TICKS:.2f} | |")
    lines.append(f"| the process (kernel's total) | {usage.ru_utime + usage.ru_stime:.2f} | |")
    with open(out_md, "w") as f:
        f.write("\n".join(lines) + "\n")
    sys.exit(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    main()
