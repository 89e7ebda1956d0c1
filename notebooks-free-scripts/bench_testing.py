#!/usr/bin/env python3
"""Benchmark of `gridplan testing` at the scale of issue #5 (4.8 M residents in ~20,000
micro-grids ≤ 30 s).

Plan: the staffed Jiangmen demo (run notebooks-free-scripts/demo.sh first): 4,798,090 people in
21,778 micro-grids, 78 towns, automatic sites, the demo roster's medical staff as samplers.
Runs the release binary `--runs` times under GNU time, checks the outputs of all runs are
byte-identical (determinism), and appends a line per run to
notebooks-free-scripts/results/testing_benchmark.txt.

Usage: python3 notebooks-free-scripts/bench_testing.py [--plan out/jiangmen] [--runs 2] [--binary .build/release/gridplan]
Needs: GNU time (Debian package `time`). Build first: swift build -c release --product gridplan
"""
import argparse
import datetime
import filecmp
import os
import platform
import re
import subprocess
import sys
import tempfile

ap = argparse.ArgumentParser()
ap.add_argument("--plan", default="out/jiangmen")
ap.add_argument("--runs", type=int, default=2)
ap.add_argument("--binary", default=".build/release/gridplan")
args = ap.parse_args()
here = os.path.dirname(os.path.abspath(__file__))
work = tempfile.mkdtemp(prefix="gridplan-testing-bench-")
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
lines, outs = [], []
for k in range(args.runs):
    out = os.path.join(work, f"run{k}")
    run = subprocess.run(["/usr/bin/time", "-f", "TIME %e %U %M", args.binary, "testing", "--plan", args.plan, "--out", out,
                          "--start", "2026-11-23T08:00", "--generated-at", "2026-11-22T19:00"], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"gridplan testing failed:\n{run.stdout}\n{run.stderr}")
    wall, user, rss = re.search(r"TIME ([\d.]+) ([\d.]+) (\d+)", run.stderr).groups()
    sites = next(l for l in run.stdout.splitlines() if "people have a site" in l)
    walk = next(l for l in run.stdout.splitlines() if l.startswith("within a"))
    outs.append(out)
    lines.append(f"{datetime.date.today()} | {cpu}, {os.cpu_count()} cores | run {k + 1}: wall {wall} s, user {user} s, peak RSS {int(rss) // 1024} MB | "
                 f"{sites.strip()} | {walk.strip()}")
    print(lines[-1], flush=True)
same = all(filecmp.cmp(os.path.join(outs[0], f), os.path.join(o, f), shallow=False) for o in outs[1:] for f in os.listdir(outs[0]))
lines.append(f"{datetime.date.today()} | outputs of the {args.runs} runs byte-identical: {'yes' if same else 'NO'}")
print(lines[-1])
with open(os.path.join(here, "results", "testing_benchmark.txt"), "a", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
