#!/usr/bin/env python3
"""Independent check of the distances and times in `gridplan recall`'s lists: for every
vessel with a drawn route, the listed `sea_km + approach_km` must be the length of the route in
recall_routes.geojson measured on the WGS84 ellipsoid (pyproj.Geod, Karney), up to the 0.1 km
rounding of each figure; and the ETA must follow from that length and the vessel's speed (up to
the minute the lists show).

Prints JSON: {"checked": n, "worst_km": x, "worst_eta_minutes": y, "bad": [[id, listed_km,
geodesic_km, eta_minutes_off], ...]}.

Usage: route_lengths.py ROUTES.geojson VESSELS.csv NOW   (NOW as "YYYY-MM-DDTHH:MM", CST)
"""
import csv
import datetime
import json
import sys

from pyproj import Geod

routes = json.load(open(sys.argv[1], encoding="utf-8"))["features"]
rows = {r["vessel_id"]: r for r in csv.DictReader(open(sys.argv[2], encoding="utf-8-sig"))}
now = datetime.datetime.strptime(sys.argv[3], "%Y-%m-%dT%H:%M")
geod = Geod(ellps="WGS84")
checked, worst_km, worst_eta, bad = 0, 0.0, 0.0, []
for f in routes:
    vid = f["properties"]["vessel_id"]
    row = rows[vid]
    lons, lats = zip(*f["geometry"]["coordinates"])
    length_km = geod.line_length(lons, lats) / 1000
    listed = float(row["sea_km"]) + float(row["approach_km"])
    # Same figures in the GeoJSON properties and in the CSV list.
    assert abs(f["properties"]["sea_km"] - float(row["sea_km"])) < 1e-9, vid
    off_km = abs(listed - length_km)
    eta = datetime.datetime.strptime(row["eta"][:16], "%Y-%m-%d %H:%M")
    hours = length_km * 1000 / (float(row["speed_kn"]) * 1852)
    off_eta = abs((eta - now).total_seconds() / 60 - hours * 60)
    checked += 1
    worst_km, worst_eta = max(worst_km, off_km), max(worst_eta, off_eta)
    if off_km > 0.1 + 1e-6 or off_eta > 1.0 + 1e-6:
        bad.append([vid, round(listed, 1), round(length_km, 4), round(off_eta, 2)])
print(json.dumps({"checked": checked, "worst_km": round(worst_km, 4), "worst_eta_minutes": round(worst_eta, 2), "bad": bad[:20]}))
