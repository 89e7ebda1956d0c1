#!/usr/bin/env python3
"""Independent figures of a partition, measured with shapely/pyproj on the files GridPlan wrote
(no GridPlan code involved):

- `in_band`: share of grids whose households lie in LOW..HIGH (`--band 300,500`);
- `cv`: coefficient of variation of households per grid;
- `pp_mean`, `pp_min`: Polsby–Popper compactness 4πA/P² in the local UTM zone (conformal, so
  shapes are kept);
- `on_barriers`: with `--barriers`, the share of the boundary *between* grids (each shared edge
  once, the unit's outline excluded) that lies within `--within` metres (5) of a barrier line;
- `micro_*`: the same for microgrids.geojson with `--micro-band`, and `micro_within_half`: the
  share of micro-grids within ±50 % of their mean.

Prints one JSON object. Usage:
  grid_figures.py OUT_DIR [--band 300,500] [--micro-band 20,100] [--barriers ROADS.geojson] [--within 5]
"""
import argparse
import json
import math

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import shape
from shapely.ops import unary_union

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--band", default="300,500")
ap.add_argument("--micro-band", default="20,100")
ap.add_argument("--barriers")
ap.add_argument("--within", type=float, default=5.0)
args = ap.parse_args()


def load(name):
    return json.load(open(f"{args.out}/{name}", encoding="utf-8"))["features"]


grids, micros = load("grids.geojson"), load("microgrids.geojson")
shapes = [shape(f["geometry"]) for f in grids]
centre = unary_union(shapes).centroid
zone = int((centre.x + 180) // 6) + 1
utm = CRS.from_dict({"proj": "utm", "zone": zone, "south": centre.y < 0})
to_m = Transformer.from_crs("EPSG:4326", utm, always_xy=True)


def metric(g):
    return shapely.transform(g, lambda xy: np.column_stack(to_m.transform(xy[:, 0], xy[:, 1])))


def figures(features, geoms, band, prefix):
    low, high = band
    h = [f["properties"]["households"] for f in features]
    mean = sum(h) / len(h)
    sd = math.sqrt(sum((x - mean) ** 2 for x in h) / len(h))
    pp = [4 * math.pi * g.area / g.length ** 2 for g in map(metric, geoms)]
    return {
        f"{prefix}count": len(h),
        f"{prefix}in_band": sum(low <= x <= high for x in h) / len(h),
        f"{prefix}cv": sd / mean if mean else 0,
        f"{prefix}pp_mean": sum(pp) / len(pp),
        f"{prefix}pp_min": min(pp),
        f"{prefix}within_half": sum(abs(x - mean) <= 0.5 * mean for x in h) / len(h),
    }


result = figures(grids, shapes, tuple(map(float, args.band.split(","))), "")
result.update(figures(micros, [shape(f["geometry"]) for f in micros], tuple(map(float, args.micro_band.split(","))), "micro_"))

if args.barriers:
    metric_grids = [metric(g) for g in shapes]
    outline = unary_union(metric_grids).boundary
    # Boundary between grids: every grid's outline less the unit's outline; shared edges twice.
    interior = unary_union([g.boundary for g in metric_grids]).difference(outline.buffer(0.01))
    lines = [metric(shape(f["geometry"])) for f in json.load(open(args.barriers, encoding="utf-8"))["features"]]
    zone_m = unary_union(lines).buffer(args.within)
    total = interior.length
    result["interior_boundary_m"] = total
    result["on_barriers"] = interior.intersection(zone_m).length / total if total else 1.0
print(json.dumps(result))
