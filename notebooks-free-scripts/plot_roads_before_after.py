#!/usr/bin/env python3
"""Draws two partitions of the same unit side by side with its barrier lines: grids filled,
boundaries between grids bold, roads grey. For the README's before/after picture of
following real streets (`--engine bisection`, straight cuts, against the street-block engine).

Usage: python3 notebooks-free-scripts/plot_roads_before_after.py BEFORE_DIR AFTER_DIR
           --roads data/helsinki/roads.geojson [--png FILE] [--titles "before" "after"]
Needs: matplotlib, shapely (pip). Each DIR is a `gridplan partition --out` folder; the captions
carry the figures of Tests/helpers/grid_figures.py (share of the boundary between grids within
5 m of a barrier, mean Polsby–Popper), computed here by that script.
"""
import argparse
import json
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from shapely.geometry import shape

ap = argparse.ArgumentParser()
ap.add_argument("before")
ap.add_argument("after")
ap.add_argument("--roads", required=True)
ap.add_argument("--png", default="notebooks-free-scripts/figures/roads_before_after.png")
ap.add_argument("--titles", nargs=2, default=["before: straight cuts (--engine bisection)", "after: street blocks (default)"])
args = ap.parse_args()

palette = ["#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5", "#d9d9d9", "#bc80bd"]
roads = [shape(f["geometry"]) for f in json.load(open(args.roads))["features"]]
fig, axes = plt.subplots(1, 2, figsize=(14, 7.5), dpi=100)
for ax, folder, title in zip(axes, [args.before, args.after], args.titles):
    figures = json.loads(subprocess.run(
        [sys.executable, "Tests/helpers/grid_figures.py", folder, "--barriers", args.roads],
        check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
    grids = [shape(f["geometry"]) for f in json.load(open(f"{folder}/grids.geojson"))["features"]]
    minx = min(g.bounds[0] for g in grids); miny = min(g.bounds[1] for g in grids)
    maxx = max(g.bounds[2] for g in grids); maxy = max(g.bounds[3] for g in grids)
    for i, g in enumerate(grids):
        for poly in getattr(g, "geoms", [g]):
            x, y = poly.exterior.xy
            ax.fill(x, y, color=palette[i % len(palette)], linewidth=0)
    for r in roads:
        for line in getattr(r, "geoms", [r]):
            x, y = line.xy
            ax.plot(x, y, color="#777777", linewidth=0.4)
    for g in grids:
        for poly in getattr(g, "geoms", [g]):
            x, y = poly.exterior.xy
            ax.plot(x, y, color="black", linewidth=1.6)
    ax.set_xlim(minx, maxx); ax.set_ylim(miny, maxy)
    ax.set_aspect(1 / 0.5)  # about 1/cos(60°): Helsinki's latitude
    ax.set_xticks([]); ax.set_yticks([])
    ax.set_title(f"{title}\n{figures['count']} grids, {figures['in_band'] * 100:.0f} % in band, "
                 f"{figures['on_barriers'] * 100:.0f} % of the boundary on roads, mean PP {figures['pp_mean']:.2f}", fontsize=10)
fig.tight_layout()
fig.savefig(args.png)
print(f"wrote {args.png}")
