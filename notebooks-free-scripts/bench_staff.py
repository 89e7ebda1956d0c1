#!/usr/bin/env python3
"""Benchmark of `gridplan staff` at the scale of issue #4.

Plan: the Jiangmen demo partition (run notebooks-free-scripts/demo.sh first, or
`gridplan partition --units data/jiangmen/villages.geojson --out out/jiangmen`).
Rosters (derived, seeded; synthetic_roster.py): `issue4` = per the plan's 4,067 grids about
3,900 leaders, 3,900 full-time, 50,000 part-time workers and 65,000 party members (≈123,600
people); `demo` = the demo's mix with 18 volunteers per grid (≈98,400 people).
Runs the release binary under GNU time, checks the summary says the result is certified,
and appends a line per run to notebooks-free-scripts/results/staff_benchmark.txt.

Usage: python3 notebooks-free-scripts/bench_staff.py [--plan out/jiangmen] [--mixes issue4,demo]
       [--seed 7] [--binary .build/release/gridplan]
Needs: numpy (pip), GNU time (Debian package `time`).
Build first: swift build -c release --product gridplan
"""
import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import tempfile

ap = argparse.ArgumentParser()
ap.add_argument("--plan", default="out/jiangmen")
ap.add_argument("--mixes", default="issue4,demo")
ap.add_argument("--seed", type=int, default=7)
ap.add_argument("--binary", default=".build/release/gridplan")
args = ap.parse_args()
here = os.path.dirname(os.path.abspath(__file__))
work = tempfile.mkdtemp(prefix="gridplan-staff-bench-")
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
lines = []
for mix in args.mixes.split(","):
    roster = os.path.join(work, f"roster-{mix}.csv")
    made = subprocess.run([sys.executable, os.path.join(here, "synthetic_roster.py"), args.plan, roster, "--seed", str(args.seed), "--mix", mix],
                          check=True, capture_output=True, text=True).stdout.strip()
    out = os.path.join(work, f"staff-{mix}")
    run = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M", args.binary, "staff", "--plan", args.plan, "--roster", roster, "--out", out],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"gridplan staff failed on {mix}:\n{run.stdout}\n{run.stderr}")
    wall, rss = re.search(r"TIME ([\d.]+) (\d+)", run.stderr).groups()
    first = run.stdout.splitlines()[0]
    assert "optimal over every grid within" in first, first
    engine = re.search(r"in ([\d.]+) s;", first).group(1)
    arcs = re.search(r"over (\d+) arcs", first).group(1)
    cert = re.search(r"certificate: (\d+) re-solves, (\d+) person", first).groups()
    people = re.search(r"from (\d+) people", first).group(1)
    filled = "; ".join(l.strip() for l in run.stdout.splitlines() if "posts filled" in l)
    dist = next(l for l in run.stdout.splitlines() if l.startswith("home-to-grid distance"))
    line = (f"{datetime.date.today()} | {cpu}, {os.cpu_count()} cores | mix {mix}: {made} | {people} people | wall {wall} s, engine {engine} s, "
            f"peak RSS {int(rss) // 1024} MB | {arcs} arcs, certificate {cert[0]} re-solves / {cert[1]} pairs added | {filled} | {dist}")
    print(line, flush=True)
    lines.append(line)
with open(os.path.join(here, "results", "staff_benchmark.txt"), "a", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
