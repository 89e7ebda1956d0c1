#!/usr/bin/env python3
"""Benchmark: load and check a ~100 MB GeoJSON file of units.

Writes a synthetic FeatureCollection (a lattice of square villages near Jiangmen, each edge
densified so every polygon has ~250 vertices; households and population on each), then runs
`gridplan check` on it with the release build and reports wall time and peak memory (max RSS
of the child, from getrusage). Results are appended to notebooks-free-scripts/results/.

Usage: python3 notebooks-free-scripts/bench_geojson_load.py [--mb 100] [--binary .build/release/gridplan]
"""
import argparse
import json
import os
import platform
import resource
import subprocess
import tempfile
import time

ap = argparse.ArgumentParser()
ap.add_argument("--mb", type=float, default=100)
ap.add_argument("--binary", default=".build/release/gridplan")
args = ap.parse_args()

size = 0.01  # degrees (~1 km)
steps = 62  # vertices per edge -> 249 per ring
bytes_per_feature = 249 * 2 * 13 + 200
count = int(args.mb * 1e6 / bytes_per_feature)
side = int(count**0.5) + 1
folder = tempfile.mkdtemp(prefix="gridplan-bench-")
path = os.path.join(folder, "units.geojson")
with open(path, "w") as f:
    f.write('{"type":"FeatureCollection","features":[\n')
    n = 0
    for i in range(side):
        for j in range(side):
            if n == count:
                break
            x0, y0 = 112.0 + i * size, 21.5 + j * size
            ring = []
            for k in range(steps):
                ring.append([round(x0 + size * k / steps, 9), y0])
            for k in range(steps):
                ring.append([x0 + size, round(y0 + size * k / steps, 9)])
            for k in range(steps):
                ring.append([round(x0 + size - size * k / steps, 9), y0 + size])
            for k in range(steps):
                ring.append([x0, round(y0 + size - size * k / steps, 9)])
            ring.append(ring[0])
            props = {"code": "B%07d" % n, "name": "v%d" % n, "kind": "village", "parent": "T", "households": 300 + n % 200, "population": 900 + n % 600}
            f.write(("," if n else "") + json.dumps({"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}}, separators=(",", ":")) + "\n")
            n += 1
    f.write("]}\n")
mb = os.path.getsize(path) / 1e6
start = time.time()
proc = subprocess.run([args.binary, "check", "--no-gaps", path], capture_output=True, text=True)
wall = time.time() - start
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
summary = proc.stdout.strip().splitlines()[-2:] if proc.stdout else [proc.stderr[-300:]]
line = (f"{time.strftime('%Y-%m-%d')} {platform.node()} {os.cpu_count()} cores: gridplan check on {mb:.1f} MB "
        f"({n} polygons, {n * 249} vertices): {wall:.1f} s wall, peak RSS {peak_mb:.0f} MB, exit {proc.returncode}; "
        + " / ".join(summary))
print(line)
os.makedirs(os.path.join(os.path.dirname(__file__), "results"), exist_ok=True)
with open(os.path.join(os.path.dirname(__file__), "results", "geojson_load.txt"), "a") as out:
    out.write(line + "\n")
os.remove(path)
os.rmdir(folder)
