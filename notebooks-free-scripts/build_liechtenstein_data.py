#!/usr/bin/env python3
"""Builds data/liechtenstein/ from a real OpenStreetMap extract of Liechtenstein (3 August 2013,
© OpenStreetMap contributors, ODbL 1.0) that osm2pgsql ships as test data
(`tests/data/liechtenstein-2013-08-03.osm.pbf` in Debian's source package osm2pgsql 1.8.0+ds,
fetched from deb.debian.org and checked against the SHA-256 that Debian's Sources index gives).
See data/SOURCES.md.

Writes, in WGS84 with 7 decimals (about 1 cm), for the municipality of Balzers (the one with the
most mapped buildings in 2013: 1,394), into data/liechtenstein/:
- buildings.geojson: every building footprint whose representative point lies in Balzers, as
  OSM had it, with `id`, `building`, `levels`, `height`;
- roads.geojson: every highway line that touches Balzers, unclipped, with `id`, `highway`,
  `name`;
- unit.geojson: Balzers as one unit, its outline the real OSM administrative boundary
  (admin_level 8), with illustrative households (2,000) and population (4,600): OSM carries no
  households, so GridPlan spreads them over the buildings by floor area;

and the same three files into data/liechtenstein_south/ for one derived unit: the four southern
municipalities of the Oberland (Balzers, Triesen, Vaduz and Schaan) merged, 2,238 buildings and
1,490 highway lines, with illustrative households (3,300) and population (7,600).

Run once (needs GDAL's ogr2ogr, shapely and network access to deb.debian.org):
    python3 notebooks-free-scripts/build_liechtenstein_data.py [--out data/liechtenstein] [--pbf FILE]
"""
import argparse
import hashlib
import io
import json
import os
import subprocess
import tarfile
import tempfile
import urllib.request

import shapely
from shapely.geometry import shape

from osm_extract import rounded, write_collection

SOURCE = "http://deb.debian.org/debian/pool/main/o/osm2pgsql/osm2pgsql_1.8.0+ds.orig.tar.xz"
SHA256 = "de4d9dcb49cf1d7b0cb4fed57e4153db3dc82797eb76646e4f53df1f1bc8f37a"
MEMBER = "osm2pgsql-1.8.0/tests/data/liechtenstein-2013-08-03.osm.pbf"

ap = argparse.ArgumentParser()
ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data",
                                              "liechtenstein"))
ap.add_argument("--pbf", help="the extract, if already at hand (else it is fetched from Debian)")
args = ap.parse_args()
os.makedirs(args.out, exist_ok=True)
work = tempfile.mkdtemp(prefix="gridplan-li-")

pbf = args.pbf
if pbf is None:
    blob = urllib.request.urlopen(SOURCE).read()
    if hashlib.sha256(blob).hexdigest() != SHA256:
        raise SystemExit(f"{SOURCE}: SHA-256 differs from Debian's index")
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:xz") as tar:
        pbf = os.path.join(work, "liechtenstein.osm.pbf")
        with open(pbf, "wb") as f:
            f.write(tar.extractfile(MEMBER).read())


def layer(sql):
    path = os.path.join(work, f"layer{len(os.listdir(work))}.geojson")
    subprocess.run(["ogr2ogr", "-f", "GeoJSON", path, pbf, "-sql", sql], check=True,
                   env=dict(os.environ, OGR_INTERLEAVED_READING="YES"))
    return json.load(open(path))["features"]




def tag(other, key):
    """A value from GDAL's `other_tags` hstore text ("k"=>"v",...)."""
    if not other:
        return None
    for part in other.split('","'):
        k, _, v = part.strip('"').partition('"=>"')
        if k == key:
            return v
    return None


def number(text):
    try:
        return float(text.replace("m", "").strip()) if text else None
    except ValueError:
        return None




admin = layer("select name, admin_level from multipolygons where boundary='administrative' and admin_level='8'")
municipality = {f["properties"]["name"]: shape(f["geometry"]) for f in admin}
all_buildings = layer("select osm_id, osm_way_id, building, other_tags from multipolygons where building is not null")
all_roads = layer("select osm_id, highway, name from lines where highway is not null")


def sample(folder, area, unit_properties):
    """Writes the buildings whose representative point lies in `area`, the roads that touch it
    and the area as one unit into `folder`."""
    os.makedirs(folder, exist_ok=True)
    buildings = []
    for f in all_buildings:
        g = shape(f["geometry"])
        if g.is_empty or not area.contains(g.representative_point() if g.is_valid else g.centroid):
            continue
        p = f["properties"]
        key = f"r{p['osm_id']}" if p.get("osm_id") else f"w{p['osm_way_id']}"
        props = {"id": key, "building": p.get("building")}
        levels = number(tag(p.get("other_tags"), "building:levels"))
        height = number(tag(p.get("other_tags"), "height"))
        if levels is not None:
            props["levels"] = levels
        if height is not None:
            props["height"] = height
        buildings.append((key, {"type": "Feature", "properties": props, "geometry": rounded(g)}))
    write_collection(folder, "buildings.geojson", [f for _, f in sorted(buildings, key=lambda x: x[0])])
    roads = []
    for f in all_roads:
        g = shape(f["geometry"])
        if not g.intersects(area):
            continue
        p = f["properties"]
        roads.append((int(p["osm_id"]), {"type": "Feature",
                                         "properties": {"id": p["osm_id"], "highway": p["highway"],
                                                        "name": p.get("name")},
                                         "geometry": rounded(g)}))
    write_collection(folder, "roads.geojson", [f for _, f in sorted(roads, key=lambda x: x[0])])
    write_collection(folder, "unit.geojson", [{"type": "Feature", "properties": unit_properties,
                                               "geometry": rounded(shapely.set_precision(area, 0))}])
    print(f"{os.path.normpath(folder)}: {len(buildings)} buildings, {len(roads)} roads")


sample(args.out, municipality["Balzers"],
       {"code": "LI-BALZERS", "name": "Balzers", "kind": "community", "households": 2000, "population": 4600})
# The four southern municipalities of the Oberland as one derived unit: ~2,200 buildings, the
# size of the community on which issue #14 set its speed targets.
south = shapely.union_all([municipality[n] for n in ("Balzers", "Triesen", "Vaduz", "Schaan")])
sample(args.out + "_south", south,
       {"code": "LI-OBERLAND-SOUTH", "name": "Balzers, Triesen, Vaduz and Schaan (derived unit)", "kind": "community",
        "households": 3300, "population": 7600})
