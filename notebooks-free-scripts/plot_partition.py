#!/usr/bin/env python3
"""Draws a partition for the README: grids coloured by household band, micro-grids as thin
lines, unit boundaries bold, for the units whose code starts with a prefix (one town).

Usage: python3 notebooks-free-scripts/plot_partition.py OUT_DIR [--prefix 440784001] [--png FILE]
Needs: matplotlib, shapely (pip).
"""
import argparse
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import Patch
from shapely.geometry import shape

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--prefix", default="440784001")
ap.add_argument("--units", default="data/jiangmen/villages.geojson")
ap.add_argument("--png", default="notebooks-free-scripts/figures/partition.png")
args = ap.parse_args()

colours = {"ok": "#8fd18f", "below": "#f2d16b", "above": "#e8736c", "exempt": "#b8c4d6"}
fig, ax = plt.subplots(figsize=(9, 9), dpi=110)


def draw(geom, **kw):
    for poly in getattr(geom, "geoms", [geom]):
        x, y = poly.exterior.xy
        if kw.get("fill"):
            ax.fill(x, y, color=kw["fill"], linewidth=0)
        else:
            ax.plot(x, y, color=kw.get("color", "k"), linewidth=kw.get("lw", 0.5))
        for ring in poly.interiors:
            x, y = ring.xy
            ax.plot(x, y, color=kw.get("color", "k"), linewidth=kw.get("lw", 0.5))


grids = [f for f in json.load(open(args.out + "/grids.geojson"))["features"] if f["properties"]["code"].startswith(args.prefix)]
micro = [f for f in json.load(open(args.out + "/microgrids.geojson"))["features"] if f["properties"]["code"].startswith(args.prefix)]
units = [f for f in json.load(open(args.units))["features"] if f["properties"]["code"].startswith(args.prefix)]
for f in grids:
    draw(shape(f["geometry"]), fill=colours[f["properties"]["band"]])
for f in micro:
    draw(shape(f["geometry"]), color="#555555", lw=0.25)
for f in grids:
    draw(shape(f["geometry"]), color="#1f3b73", lw=0.9)
for f in units:
    draw(shape(f["geometry"]), color="black", lw=1.8)
for f in grids:
    p = shape(f["geometry"]).representative_point()
    ax.annotate(f["properties"]["code"][-3:], (p.x, p.y), fontsize=5, ha="center", va="center")
ax.set_aspect(1 / 0.92)  # cos(22.7°): metres look square
ax.set_xticks([])
ax.set_yticks([])
bands = {b: sum(1 for f in grids if f["properties"]["band"] == b) for b in colours}
ax.legend(handles=[Patch(color=c, label=f"{b} ({bands[b]})") for b, c in colours.items() if bands[b]],
          loc="lower left", fontsize=8, title="household band")
ax.set_title(f"{len(units)} units → {len(grids)} grids (blue), {len(micro)} micro-grids (grey); codes = last 3 digits", fontsize=9)
fig.tight_layout()
fig.savefig(args.png)
print(args.png)
