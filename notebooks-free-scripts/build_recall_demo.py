#!/usr/bin/env python3
"""Builds the typhoon-recall demo inputs in data/jiangmen/ (derived data; see data/SOURCES.md).

  sea.geojson     Jiangmen's sea area: the box 112.25–113.10 °E, 21.30–22.30 °N less the real
                  county outlines (so the coastline, islands and the Yamen/Yinzhou estuary are
                  real), less two boxes standing in for neighbours' land that the data lacks
                  (Yangjiang west of Zhenhai Bay, Zhuhai's Doumen bank east of the Yamen channel).
  ports.geojson   one shelter anchorage per coastal town (two for 川岛镇's islands), placed at the
                  point of the town's coast nearest its representative point. Locations and
                  berth counts are made up (seeded); the names say so. Berths add up to the
                  number of sea-going vessels, unevenly, so some ports fill up.
  vessels.csv     2,000 synthetic fishing vessels (the issue's benchmark size; Taishan alone
                  has 1,967, domain rules A2) of the coastal villages, at sea within 3–60 km of
                  home, plus a few already in port; engine power log-normal around 110 hp (some
                  under 25 hp), 6–12 kn, positions reported up to a few hours before --now.
                  Names, owners and phones are fake (100-0000-nnnn).

Usage: python3 notebooks-free-scripts/build_recall_demo.py [--data data/jiangmen] [--vessels 2000]
       [--seed 20180916] [--now "2018-09-15 08:00"] [--out-vessels data/jiangmen/vessels.csv]
Needs: shapely >= 2, numpy (pip). Deterministic for a given seed.
"""
import argparse
import csv
import datetime as dt
import json

import numpy as np
from shapely.geometry import Point, box, mapping, shape
from shapely.ops import nearest_points, unary_union

ap = argparse.ArgumentParser()
ap.add_argument("--data", default="data/jiangmen")
ap.add_argument("--vessels", type=int, default=2000)
ap.add_argument("--seed", type=int, default=20180916)
ap.add_argument("--now", default="2018-09-15 08:00")
ap.add_argument("--out-vessels", default=None)
args = ap.parse_args()
rng = np.random.default_rng(args.seed)


def load(name):
    return json.load(open(f"{args.data}/{name}.geojson", encoding="utf-8"))["features"]


def dump(path, features, name):
    doc = {"type": "FeatureCollection", "name": name, "features": features}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


def rounded(geom, digits=6):
    return json.loads(json.dumps(mapping(geom)), parse_float=lambda s: round(float(s), digits))


land = unary_union([shape(f["geometry"]) for f in load("counties")])
sea = box(112.25, 21.30, 113.10, 22.30).difference(land)
# Neighbours' land that the county outlines do not hold (approximate stand-ins).
sea = sea.difference(box(112.25, 21.78, 112.35, 22.30)).difference(box(113.07, 22.0, 113.10, 22.30))
if sea.geom_type == "MultiPolygon":
    sea = max(sea.geoms, key=lambda g: g.area)  # the open sea; drop pockets cut off by the boxes
sea = sea.buffer(0)
dump(f"{args.data}/sea.geojson", [{
    "type": "Feature", "properties": {
        "code": "440700S01", "name": "江门市海域 (derived)", "kind": "maritime",
        "source": "derived: box 112.25–113.10E 21.30–22.30N less the real county outlines and two stand-ins for neighbours' land"},
    "geometry": rounded(sea)}], "sea")

towns = load("towns")
villages = load("villages")
coastal_towns = [t for t in towns if shape(t["geometry"]).distance(sea) < 1e-4]
ports = []
for t in sorted(coastal_towns, key=lambda f: f["properties"]["code"]):
    g = shape(t["geometry"])
    parts = sorted(getattr(g, "geoms", [g]), key=lambda p: -p.area)
    # Islands towns get a port on each of their two largest islands.
    anchors = parts[:2] if len(parts) > 3 else parts[:1]
    for k, part in enumerate(anchors):
        coast = part.boundary.intersection(sea.buffer(1e-4))
        if coast.is_empty:
            continue
        point = nearest_points(coast, part.representative_point())[0]
        ports.append((t, k, point))
weights = rng.dirichlet(np.full(len(ports), 2.0))
features = []
for i, ((t, k, point), w) in enumerate(zip(ports, weights)):
    features.append({"type": "Feature", "properties": {
        "id": f"P{i + 1:02d}", "name": f"{t['properties']['name']}避风锚地{'' if k == 0 else k + 1}（推算）",
        "town_code": t["properties"]["code"], "berths": 0, "weight": float(w),
        "source": "derived: location on the town's coast and berths are made up (seeded)"},
        "geometry": {"type": "Point", "coordinates": [round(point.x, 6), round(point.y, 6)]}})

coastal_villages = [v for v in villages if shape(v["geometry"]).distance(sea) < 0.01]
coastal_villages.sort(key=lambda f: f["properties"]["code"])
vweights = np.array([max(1, f["properties"]["households"]) ** 0.5 for f in coastal_villages]) * rng.lognormal(0, 0.5, len(coastal_villages))
vweights /= vweights.sum()
surnames = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡")
given = list("伟芳明海强军洋勇杰涛超平刚华建国志文荣福")
now = dt.datetime.strptime(args.now, "%Y-%m-%d %H:%M")
land_buffer = land.buffer(0.003)  # ≈ 300 m: vessels are out on the water
rows = []
sea_going = 0
for n in range(1, args.vessels + 1):
    home = coastal_villages[rng.choice(len(coastal_villages), p=vweights)]
    hg = shape(home["geometry"])
    start = nearest_points(sea, hg.representative_point())[0]
    hp = float(np.clip(rng.lognormal(np.log(110), 0.8), 8, 1500))
    crew = int(min(15, max(1, round(hp / 40) + rng.poisson(1))))
    speed = round(float(rng.uniform(6, 12)), 1)
    if rng.random() < 0.025:
        port = min(features, key=lambda f: Point(f["geometry"]["coordinates"]).distance(start))
        lon, lat = port["geometry"]["coordinates"]
        lon, lat = lon + rng.uniform(-0.002, 0.002), lat + rng.uniform(-0.002, 0.002)
    else:
        for _ in range(200):
            r = rng.uniform(3, 60) / 111.0
            a = rng.uniform(0, 2 * np.pi)
            p = Point(start.x + r * np.cos(a) / np.cos(np.radians(start.y)), start.y + r * np.sin(a))
            if sea.contains(p) and not land_buffer.contains(p):
                break
        lon, lat = p.x, p.y
        if hp >= 25:
            sea_going += 1
    age = min(6 * 60, rng.exponential(45))
    fix = now - dt.timedelta(minutes=int(age))
    power = {"hp": f"{hp:.0f}"} if rng.random() < 0.7 else {"power_kw": f"{hp * 0.7355:.1f}"}
    owner = rng.choice(surnames) + "".join(rng.choice(given, size=rng.integers(1, 3)))
    rows.append({"id": f"V{n:04d}", "name": f"粤江渔{n:05d}", "home_unit": home["properties"]["code"], "owner": owner,
                 "phone": f"100-0000-{n:04d}", "crew": crew, "hp": power.get("hp", ""), "power_kw": power.get("power_kw", ""),
                 "lon": f"{lon:.6f}", "lat": f"{lat:.6f}", "speed_kn": speed, "fix_time": fix.strftime("%Y-%m-%d %H:%M")})

# Berths: as many as sea-going vessels in all, spread unevenly (Dirichlet weights, at least 10 each).
total = sea_going
raw = np.array([f["properties"]["weight"] for f in features]) * total
berths = np.maximum(10, np.floor(raw)).astype(int)
for f, b in zip(features, berths):
    f["properties"]["berths"] = int(b)
    del f["properties"]["weight"]
dump(f"{args.data}/ports.geojson", features, "ports")
out = args.out_vessels or f"{args.data}/vessels.csv"
with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
print(f"sea area {sea.area:.3f} deg², {len(features)} ports with {int(berths.sum())} berths, {len(rows)} vessels "
      f"({sea_going} sea-going at sea) from {len(coastal_villages)} coastal villages")
