#!/usr/bin/env python3
"""Independent check of a partition's hard rules on the written files, with shapely + pyproj
(no GridPlan code): every grid and micro-grid is valid; grids of each unit cover it with no
gap, overlap or excess above the tolerance (m², EPSG:6933 after densifying); micro-grids do the
same inside their grid; a part has several polygons only where its unit has.
Prints a JSON summary; exit 1 if a rule is broken.
Usage: verify_partition.py UNITS.geojson [UNITS.geojson...] --out DIR [--tolerance 1]"""
import argparse
import json
import sys
from collections import defaultdict

import shapely
from pyproj import Transformer
from shapely.geometry import shape

ap = argparse.ArgumentParser()
ap.add_argument("units", nargs="+")
ap.add_argument("--out", required=True)
ap.add_argument("--tolerance", type=float, default=1.0)
ap.add_argument("--buildings", help="buildings GeoJSON: each footprint (clipped to its unit) must lie in exactly one micro-grid")
args = ap.parse_args()
to_ease = Transformer.from_crs("EPSG:4326", "EPSG:6933", always_xy=True)


def m2(g):
    if g.is_empty:
        return 0.0
    dense = shapely.segmentize(g, 0.0005)
    return shapely.transform(dense, lambda c: list(zip(*to_ease.transform(c[:, 0], c[:, 1])))).area


def load(path):
    return json.load(open(path, encoding="utf-8"))["features"]


units = {}
dedicated_children = defaultdict(list)
for path in args.units:
    for f in load(path):
        p = f["properties"]
        if p.get("kind") not in ("county", "town"):
            units[p["code"]] = shape(f["geometry"])
        if p.get("kind") in ("industrial_park", "park", "school", "hospital") and p.get("parent"):
            dedicated_children[p["parent"]].append(shape(f["geometry"]))
# Dedicated units are carved out of the unit they sit in: its grids tile the rest.
for code, children in dedicated_children.items():
    if code in units:
        units[code] = units[code].difference(shapely.union_all(children))
grids = load(args.out + "/grids.geojson")
micro = load(args.out + "/microgrids.geojson")
by_unit, by_grid = defaultdict(list), defaultdict(list)
invalid = []
for f in grids:
    g = shape(f["geometry"])
    if not g.is_valid:
        invalid.append(f["properties"]["code"])
    by_unit[f["properties"]["unit_code"]].append((f["properties"]["code"], g))
for f in micro:
    g = shape(f["geometry"])
    if not g.is_valid:
        invalid.append(f["properties"]["code"])
    by_grid[f["properties"]["grid_code"]].append((f["properties"]["code"], g))


def cover(container, parts):
    union = shapely.union_all([g for _, g in parts])
    overlap = max(0.0, sum(m2(g) for _, g in parts) - m2(union))
    return m2(container.difference(union)), m2(union.difference(container)), overlap


worst = {"gap": 0.0, "excess": 0.0, "overlap": 0.0, "micro_gap": 0.0, "micro_excess": 0.0, "micro_overlap": 0.0}
broken, disconnected = [], []
for code, unit in units.items():
    gap, excess, overlap = cover(unit, by_unit.get(code, []))
    worst["gap"], worst["excess"], worst["overlap"] = max(worst["gap"], gap), max(worst["excess"], excess), max(worst["overlap"], overlap)
    if max(gap, excess, overlap) > args.tolerance:
        broken.append(code)
    single = unit.geom_type == "Polygon" or len(unit.geoms) == 1
    for gcode, g in by_unit.get(code, []):
        if single and g.geom_type == "MultiPolygon" and len(g.geoms) > 1:
            disconnected.append(gcode)
        mgap, mexcess, moverlap = cover(g, by_grid.get(gcode, []))
        worst["micro_gap"] = max(worst["micro_gap"], mgap)
        worst["micro_excess"] = max(worst["micro_excess"], mexcess)
        worst["micro_overlap"] = max(worst["micro_overlap"], moverlap)
        if max(mgap, mexcess, moverlap) > args.tolerance:
            broken.append(gcode)
        for mcode, mg in by_grid.get(gcode, []):
            if g.geom_type == "Polygon" and mg.geom_type == "MultiPolygon" and len(mg.geoms) > 1:
                disconnected.append(mcode)
missing = [c for c in units if c not in by_unit and not units[c].is_empty]
split_buildings = []
if args.buildings:
    micro_shapes = [shape(f["geometry"]) for f in micro]
    tree = shapely.STRtree(micro_shapes)
    unit_codes = list(units)
    unit_shapes = [units[c] for c in unit_codes]
    unit_tree = shapely.STRtree(unit_shapes)
    for f in load(args.buildings):
        whole_building = shape(f["geometry"])
        # A building straddling units belongs to the one holding most of it (GridPlan's rule,
        # reported by `check` as building.split) and is clipped to it.
        shares = [(whole_building.intersection(unit_shapes[i]).area, -i) for i in unit_tree.query(whole_building)]
        shares = [x for x in shares if x[0] > 0] or [(0, -i) for i in unit_tree.query(whole_building) if unit_shapes[i].covers(whole_building)]
        if not shares:
            continue
        b = whole_building.intersection(unit_shapes[-max(shares)[1]])
        if b.is_empty:
            continue
        probe = b if b.area > 0 else b.representative_point()
        holders = [i for i in tree.query(probe) if micro_shapes[i].intersection(probe).area > 1e-6 * probe.area] if b.area > 0 \
            else [i for i in tree.query(probe) if micro_shapes[i].covers(probe)]
        whole = [i for i in holders if b.area == 0 or b.difference(micro_shapes[i]).area <= 1e-6 * b.area]
        if len(holders) != 1 or len(whole) != 1:
            split_buildings.append(f["properties"].get("id") or "?")
result = {"units": len(units), "grids": len(grids), "microgrids": len(micro), "invalid": invalid, "broken": broken,
          "disconnected": disconnected, "units_without_grids": missing, "buildings_split": split_buildings, "worst_m2": {k: round(v, 3) for k, v in worst.items()}}
print(json.dumps(result))
sys.exit(1 if invalid or broken or disconnected or missing or split_buildings else 0)
