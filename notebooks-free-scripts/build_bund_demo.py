#!/usr/bin/env python3
"""Builds data/shanghai_bund/ from data/real/osm_buildings (see data/SOURCES.md).

Real (OpenStreetMap via Nextzen tiles, ODbL): 1,572 building footprints and the water
polygon of the Huangpu river. Derived: one unit, 外滩–陆家嘴 = the buildings' bounding box
(plus 100 m) minus the river (the tile-clipped river does not reach the box's edges, so it
leaves a deep notch rather than two banks; small ponds stay land). Its 4,000 households are
an illustrative figure (the tiles carry no households); GridPlan spreads them over the
buildings by floor area (footprint × storeys, storeys = height / 3 m, else 1).
Footprints are kept with `id`, `name`, `height`; other tile properties are dropped.
Barriers (real): the OSM pedestrian areas (pedestrian streets and squares such as Nanjing
Road) that meet the unit, as polygons whose outlines grid boundaries may follow.

Usage: python3 notebooks-free-scripts/build_bund_demo.py [--source data/real] [--out data/shanghai_bund]
"""
import argparse
import json
import math
import os

import shapely
from shapely.geometry import mapping, shape

ap = argparse.ArgumentParser()
ap.add_argument("--source", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "real"))
ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "data", "shanghai_bund"))
args = ap.parse_args()
os.makedirs(args.out, exist_ok=True)
buildings = json.load(open(os.path.join(args.source, "osm_buildings/shanghai_bund_tilezen_buildings.geojson"), encoding="utf-8"))["features"]
water = [shape(f["geometry"]) for f in json.load(open(os.path.join(args.source, "osm_buildings/shanghai_bund_tilezen_landuse_water.geojson"), encoding="utf-8"))["features"] if f["properties"].get("kind") == "water"]
shapes = [shape(f["geometry"]) for f in buildings]
minx, miny, maxx, maxy = shapely.union_all(shapes).bounds
pad = 0.001  # ~100 m
frame = shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad)
river = max(getattr(w := shapely.union_all(water).buffer(0), "geoms", [w]), key=lambda g: g.area)
land = frame.difference(river)
land = max(getattr(land, "geoms", [land]), key=lambda g: g.area)
units = [{"type": "Feature", "properties": {
    "code": "310101001001", "name": "外滩–陆家嘴 (derived)", "kind": "community", "households": 4000, "population": 10000,
    "source": "derived: buildings' extent minus the OSM river; households illustrative (4,000)"},
    "geometry": mapping(land)}]
out_buildings = []
for f in buildings:
    p = f["properties"]
    out_buildings.append({"type": "Feature", "properties": {
        "id": str(int(p["id"])) if isinstance(p.get("id"), (int, float)) and not math.isnan(p["id"]) else None,
        "name": p.get("name"), "height": p.get("height")}, "geometry": f["geometry"]})
landuse = json.load(open(os.path.join(args.source, "osm_buildings/shanghai_bund_tilezen_landuse_water.geojson"), encoding="utf-8"))["features"]
barriers = []
for f in landuse:
    p = f["properties"]
    if p.get("kind") == "pedestrian" and shape(f["geometry"]).intersects(land):
        barriers.append({"type": "Feature", "properties": {
            "id": str(int(p["id"])) if isinstance(p.get("id"), (int, float)) and not math.isnan(p["id"]) else None,
            "name": p.get("name"), "kind": "pedestrian"}, "geometry": f["geometry"]})
for name, feats in (("units.geojson", units), ("buildings.geojson", out_buildings), ("barriers.geojson", barriers)):
    with open(os.path.join(args.out, name), "w", encoding="utf-8") as fh:
        fh.write('{"type":"FeatureCollection","features":[\n')
        fh.write(",\n".join(json.dumps(x, ensure_ascii=False, separators=(",", ":")) for x in feats))
        fh.write("\n]}\n")
print(f"{len(units)} unit, {len(out_buildings)} buildings, {len(barriers)} barriers")
