#!/usr/bin/env python3
"""Benchmark of `gridplan partition` at town, county and city scale, with buildings.

Input: the Jiangmen demo villages (data/jiangmen/villages.geojson: 1,333 units, real county
outlines, derived villages, 1,607,209 households from the 2020 census) plus synthetic
buildings made here from a seed: each village gets one 12 m × 12 m footprint per ~5.3
households (≈ 300,000 in all) at seeded random points inside it, and its households are
split over its buildings (multinomial). Runs the release binary on one town, one county and
the whole city (and, with `unit`, one county-sized unit: the largest village given 50,000
households); records wall and CPU time, peak RSS, grids, band share and compactness; appends a
line per run to notebooks-free-scripts/results/partition_benchmark.txt.

Usage: python3 notebooks-free-scripts/bench_partition.py [--seed 7] [--binary .build/release/gridplan]
       [--scales town,county,city,unit]
Needs: numpy, shapely (pip), GNU time (Debian package `time`).
Build first: swift build -c release --product gridplan
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import tempfile
import time

from shapely.geometry import shape

import synthetic_city

ap = argparse.ArgumentParser()
ap.add_argument("--seed", type=int, default=7)
ap.add_argument("--binary", default=".build/release/gridplan")
ap.add_argument("--scales", default="town,county,city")
ap.add_argument("--households-per-building", type=float, default=5.3)
args = ap.parse_args()
villages = json.load(open("data/jiangmen/villages.geojson", encoding="utf-8"))["features"]
work = tempfile.mkdtemp(prefix="gridplan-bench-")

buildings = synthetic_city.buildings_for(villages, seed=args.seed, households_per_building=args.households_per_building)
print(f"{len(buildings)} synthetic buildings for {len(villages)} villages", flush=True)

scales = {
    "town": lambda code: code.startswith("440784001"),  # 沙坪街道, Heshan
    "county": lambda code: code.startswith("440784"),  # 鹤山市
    "city": lambda code: code != "UNIT50K",
}
# "unit": one county-sized unit, the largest village given 50,000 households and its own buildings.
if "unit" in args.scales.split(","):
    big = max(villages, key=lambda v: shape(v["geometry"]).area)
    big = json.loads(json.dumps(big))
    big["properties"]["code"] = "UNIT50K"
    big["properties"]["households"] = 50_000
    big["properties"]["population"] = 150_000
    big["properties"].pop("parent", None)
    villages.append(big)
    buildings += synthetic_city.buildings_for([big], seed=args.seed, households_per_building=args.households_per_building)
    scales["unit"] = lambda code: code == "UNIT50K"
os.makedirs("notebooks-free-scripts/results", exist_ok=True)
for scale in args.scales.split(","):
    keep = scales[scale]
    units = [v for v in villages if keep(v["properties"]["code"])]
    blds = [b for code, b in buildings if keep(code)]
    up, bp, out = (os.path.join(work, f"{scale}-{n}") for n in ("units.geojson", "buildings.geojson", "out"))
    json.dump({"type": "FeatureCollection", "features": units}, open(up, "w"), ensure_ascii=False)
    json.dump({"type": "FeatureCollection", "features": blds}, open(bp, "w"))
    start = time.time()
    # Peak RSS from GNU time: getrusage(RUSAGE_CHILDREN) would count the forked child before
    # exec, when it still carries this script's ~460 MB of synthetic buildings.
    proc = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", args.binary, "partition", "--units", up, "--buildings", bp,
                           "--out", out, "--no-gaps"], capture_output=True, text=True)
    wall = time.time() - start
    user_s, sys_s, peak_kb = proc.stderr.strip().splitlines()[-1].split() if proc.returncode == 0 else ("nan", "nan", "nan")
    peak_mb, cpu = float(peak_kb) / 1024, float(user_s) + float(sys_s)
    if proc.returncode != 0:
        print(proc.stdout, proc.stderr[-2000:])
        raise SystemExit(f"{scale}: gridplan exited {proc.returncode}")
    report = json.load(open(os.path.join(out, "report.json")))
    s, hard = report["summary"], report["hard_rules"]
    line = (f"{time.strftime('%Y-%m-%d')} {platform.node()} {os.cpu_count()} cores, seed {args.seed}: {scale}: "
            f"{len(units)} units, {len(blds)} buildings, {sum(v['properties']['households'] for v in units)} households -> "
            f"{s['grids']} grids, {s['microgrids']} micro-grids in {wall:.1f} s wall, {cpu:.1f} s CPU (engine {s['runtime_s']} s), "
            f"peak RSS {peak_mb:.0f} MB; within band {s['share_within_band']:.3f}, micro within band "
            f"{s['microgrids_share_within_band']:.3f}, compactness mean {s['compactness_mean']} min {s['compactness_min']}; "
            f"hard rules hold: {hard['hold']}, buildings split: {len(hard['buildings_not_whole_in_one_microgrid'])}")
    print(line, flush=True)
    with open("notebooks-free-scripts/results/partition_benchmark.txt", "a") as f:
        f.write(line + "\n")
shutil.rmtree(work, ignore_errors=True)
