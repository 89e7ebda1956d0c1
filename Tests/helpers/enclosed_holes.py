#!/usr/bin/env python3
"""Independent check for GridPlan's gap rule: prints the holes of the union of all polygons
in a GeoJSON file as JSON [{"area_m2": ..., "x": ..., "y": ...}], areas in EPSG:6933
(a different equal-area CRS from GridPlan's local one), computed with shapely + pyproj."""
import json
import sys

import shapely
from pyproj import Transformer
from shapely.geometry import Polygon, shape

features = json.load(open(sys.argv[1], encoding="utf-8"))["features"]
union = shapely.union_all([shape(f["geometry"]) for f in features])
to_ease = Transformer.from_crs("EPSG:4326", "EPSG:6933", always_xy=True)
holes = []
for polygon in getattr(union, "geoms", [union]):
    for ring in polygon.interiors:
        hole = Polygon(ring)
        dense = shapely.segmentize(hole, 0.0005)
        area = shapely.transform(dense, lambda c: list(zip(*to_ease.transform(c[:, 0], c[:, 1])))).area
        p = hole.representative_point()
        holes.append({"area_m2": area, "x": p.x, "y": p.y})
print(json.dumps(holes))
