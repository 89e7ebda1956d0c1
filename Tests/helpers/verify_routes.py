#!/usr/bin/env python3
"""Independent check of `gridplan recall` routes with shapely: the open-water part of each
route (all legs but the first and last, which join a point to open water) must not run over
land. Prints JSON: {"routes": n, "checked": k, "over_land": [[vessel_id, metres], ...]}.

Usage: verify_routes.py ROUTES.geojson LAND.geojson [LAND.geojson ...]
Metres are measured in EPSG:6933 (equal-area, metric along the equator's parallels is
enough for a 1 m threshold).
"""
import json
import sys

from pyproj import Transformer
from shapely.geometry import LineString, shape
from shapely.ops import transform, unary_union

routes = json.load(open(sys.argv[1], encoding="utf-8"))["features"]
land = unary_union([shape(f["geometry"]) for path in sys.argv[2:] for f in json.load(open(path, encoding="utf-8"))["features"]])
to_metres = Transformer.from_crs("EPSG:4326", "EPSG:6933", always_xy=True).transform
over, checked = [], 0
for f in routes:
    coords = f["geometry"]["coordinates"][1:-1]
    if len(coords) < 2:
        continue
    checked += 1
    inside = LineString(coords).intersection(land)
    metres = transform(to_metres, inside).length if not inside.is_empty else 0.0
    if metres > 1.0:
        over.append([f["properties"]["vessel_id"], round(metres, 1)])
print(json.dumps({"routes": len(routes), "checked": checked, "over_land": over}))
