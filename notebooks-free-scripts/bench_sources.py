#!/usr/bin/env python3
"""Benchmark: `gridplan check` on the same units as GeoJSON, Shapefile (GBK), GeoPackage,
FlatGeobuf and a projected CGCS2000 Gauss-Krueger Shapefile (issue #18).

Writes a lattice of square villages near Jiangmen (each edge densified, ~250 vertices per ring,
households and population on each), converts it with ogr2ogr, and times the release build's
`gridplan check` on each (median of --runs), with the peak RSS. The results are appended to
notebooks-free-scripts/results/sources.txt. Needs gdal-bin (setup.sh installs it).

Usage: python3 notebooks-free-scripts/bench_sources.py [--polygons 5000] [--runs 3]
"""
import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import tempfile
import time

ap = argparse.ArgumentParser()
ap.add_argument("--polygons", type=int, default=5000)
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--binary", default=".build/release/gridplan")
args = ap.parse_args()

size, steps = 0.01, 62
side = int(args.polygons**0.5) + 1
folder = tempfile.mkdtemp(prefix="gridplan-bench-sources-")
source = os.path.join(folder, "units.geojson")
features = []
for n in range(args.polygons):
    i, j = divmod(n, side)
    x0, y0 = 112.0 + i * size, 21.5 + j * size
    ring = []
    for k in range(steps):
        ring.append([x0 + size * k / steps, y0])
    for k in range(steps):
        ring.append([x0 + size, y0 + size * k / steps])
    for k in range(steps):
        ring.append([x0 + size - size * k / steps, y0 + size])
    for k in range(steps):
        ring.append([x0, y0 + size - size * k / steps])
    ring.append(ring[0])
    features.append({
        "type": "Feature",
        "properties": {"code": f"4407{n:08d}", "name": f"测试村{n}", "kind": "village", "households": 300 + n % 500,
                       "population": 900 + n % 1500},
        "geometry": {"type": "Polygon", "coordinates": [[[round(x, 9), round(y, 9)] for x, y in ring]]},
    })
with open(source, "w") as f:
    json.dump({"type": "FeatureCollection", "features": features}, f, ensure_ascii=False)

conversions = {
    "GeoJSON": (source, []),
    "Shapefile (GBK)": (os.path.join(folder, "units.shp"), ["-f", "ESRI Shapefile", "-lco", "ENCODING=GBK"]),
    "GeoPackage": (os.path.join(folder, "units.gpkg"), ["-f", "GPKG"]),
    "FlatGeobuf": (os.path.join(folder, "units.fgb"), ["-f", "FlatGeobuf"]),
    "Shapefile, EPSG:4526": (os.path.join(folder, "gk", "units.shp"),
                             ["-f", "ESRI Shapefile", "-lco", "ENCODING=GBK", "-t_srs", "EPSG:4526"]),
}
os.makedirs(os.path.join(folder, "gk"))
lines = []
for name, (path, options) in conversions.items():
    if options:
        subprocess.run(["ogr2ogr"] + options + [path, source], check=True)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        r = subprocess.run([args.binary, "check", path], capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = [l for l in r.stdout.splitlines() if l.startswith("checked") or l == "no problems found"]
    mb = sum(os.path.getsize(os.path.join(os.path.dirname(path), f)) for f in os.listdir(os.path.dirname(path))
             if f.startswith("units.")) / 1e6 if name != "GeoJSON" else os.path.getsize(path) / 1e6
    line = (f"{name}: {args.polygons} polygons, {mb:.1f} MB: median {statistics.median(times):.2f} s "
            f"(runs {', '.join(f'{t:.2f}' for t in times)}), peak RSS so far {rss / 1024:.0f} MB, exit {r.returncode}; "
            + " / ".join(summary))
    print(line, flush=True)
    lines.append(line)

stamp = time.strftime("%Y-%m-%d")
machine = f"{platform.node()} {os.cpu_count()} cores"
with open(os.path.join(os.path.dirname(__file__), "results", "sources.txt"), "a") as f:
    for line in lines:
        f.write(f"{stamp} {machine}: {line}\n")
