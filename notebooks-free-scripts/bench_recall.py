#!/usr/bin/env python3
"""Benchmark of `gridplan recall` at the scale of issue #5 (2,000 vessels ≤ 5 s) and above.

Plan: the staffed Jiangmen demo (run notebooks-free-scripts/demo.sh first). Vessels: the
seeded synthetic fleet of build_recall_demo.py (derived data) at each size, written to a
temporary folder; ports and sea area: data/jiangmen (derived). Typhoon: Mangkhut 2018's
real best track (IBTrACS 2018250N12170) plus its landfall, positions judged at
2018-09-15 11:00 CST. Runs the release binary under GNU time and appends a line per size to
notebooks-free-scripts/results/recall_benchmark.txt.

Usage: python3 notebooks-free-scripts/bench_recall.py [--plan out/jiangmen] [--sizes 2000,10000]
       [--binary .build/release/gridplan] [--data data/real]
Needs: shapely, numpy (pip), GNU time (Debian package `time`).
Build first: swift build -c release --product gridplan
"""
import argparse
import datetime
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile

ap = argparse.ArgumentParser()
ap.add_argument("--plan", default="out/jiangmen")
ap.add_argument("--sizes", default="2000,10000")
ap.add_argument("--binary", default=".build/release/gridplan")
ap.add_argument("--data", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "real"))
args = ap.parse_args()
here = os.path.dirname(os.path.abspath(__file__))
work = tempfile.mkdtemp(prefix="gridplan-recall-bench-")
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
track = os.path.join(args.data, "typhoon/ibtracs_wmo_wp_fixes_within300km_jiangmen_1980_2024.csv")
lines = []
for size in [int(s) for s in args.sizes.split(",")]:
    # The generator writes ports and sea beside the vessels: give it a copy of the data folder.
    data = os.path.join(work, f"data-{size}")
    shutil.copytree("data/jiangmen", data)
    made = subprocess.run([sys.executable, os.path.join(here, "build_recall_demo.py"), "--data", data, "--vessels", str(size),
                           "--now", "2018-09-15 11:00"], check=True, capture_output=True, text=True).stdout.strip()
    out = os.path.join(work, f"recall-{size}")
    run = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M", args.binary, "recall", "--plan", args.plan, "--vessels", f"{data}/vessels.csv",
                          "--ports", f"{data}/ports.geojson", "--sea", f"{data}/sea.geojson", "--landfall", "2018-09-16T17:00", "--track", track,
                          "--storm", "2018250N12170", "--now", "2018-09-15T11:00", "--out", out], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"gridplan recall failed at {size} vessels:\n{run.stdout}\n{run.stderr}")
    wall, rss = re.search(r"TIME ([\d.]+) (\d+)", run.stderr).groups()
    engine = re.search(r"recall planned in ([\d.]+) s", run.stderr).group(1)
    counts = "; ".join(l.strip() for l in run.stdout.splitlines() if l.strip().startswith(("cannot_make_it", "at_risk", "can_make_it", "in_port")))
    raster = next(l for l in run.stdout.splitlines() if l.startswith("sea routes on"))
    line = (f"{datetime.date.today()} | {cpu}, {os.cpu_count()} cores | {size} vessels ({made}) | wall {wall} s incl. reading the plan and "
            f"writing lists and plan layers, engine {engine} s, peak RSS {int(rss) // 1024} MB | {counts} | {raster}")
    print(line, flush=True)
    lines.append(line)
with open(os.path.join(here, "results", "recall_benchmark.txt"), "a", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
