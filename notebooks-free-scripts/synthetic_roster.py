#!/usr/bin/env python3
"""Writes a synthetic, seeded roster for a plan (derived data: no real person is in it).

For every grid of PLAN/grids.geojson it draws people living in or near the grid: a grid
leader and a full-time worker with probabilities below 1 (so supply is short somewhere and
vacancies show), part-time workers, party members and volunteers. Homes are random points in
the grid's bounding box, names are drawn from common surnames and given names, phones are
obviously fake (100-0000-nnnn). Maritime grids' leaders and full-time workers get the skill
"maritime". With --scale the per-grid counts are multiplied (benchmark rosters).

Usage: python3 notebooks-free-scripts/synthetic_roster.py PLAN_DIR OUT.csv [--seed 7] [--scale 1.0]
       [--bad-rows N]   (append N rows with typical errors, for demonstrating --skip-bad-rows)
       [--mix demo|issue4]  (issue4: issue #4's benchmark mix of full-time, part-time and party members)
       [--medical-per-grid X]  (medical staff, the samplers of `gridplan testing`; demo default 4.9)
Needs: numpy (pip).
"""
import argparse
import csv
import json

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("plan")
ap.add_argument("out")
ap.add_argument("--seed", type=int, default=7)
ap.add_argument("--scale", type=float, default=1.0)
ap.add_argument("--bad-rows", type=int, default=0)
ap.add_argument("--mix", choices=["demo", "issue4"], default="demo",
                help="demo: ~25 people per grid incl. 18 volunteers; issue4: the benchmark of issue #4 "
                     "(per 4,067 grids: 3,900 full-time, 50,000 part-time, 65,000 party members, ~3,950 leaders)")
ap.add_argument("--medical-per-grid", type=float, default=None,
                help="medical staff per grid (default 4.9 with --mix demo, A3-11: 20,000 for Jiangmen's ~4,000 grids; 0 with issue4)")
args = ap.parse_args()
if args.medical_per_grid is None:
    args.medical_per_grid = 4.9 if args.mix == "demo" else 0.0
rng = np.random.default_rng(args.seed)
surnames = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
given = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅志强玉兰海燕春梅")
grids = json.load(open(f"{args.plan}/grids.geojson", encoding="utf-8"))["features"]
# (role, expected people per grid): leaders and full-time slightly short; volunteers ~ 20 posts.
mix = [("leader", 0.97), ("full_time", 0.95), ("part_time", 1.2), ("party_member", 3.0), ("volunteer", 18.0)]
if args.mix == "issue4":
    # Issue #4's Jiangmen scale, spread over this plan's grids.
    mix = [("leader", 0.97), ("full_time", 3900 / 4067), ("part_time", 50000 / 4067), ("party_member", 65000 / 4067)]
rows, n = [], 0
for g in sorted(grids, key=lambda f: f["properties"]["code"]):
    coords = np.array([c for poly in (g["geometry"]["coordinates"] if g["geometry"]["type"] == "MultiPolygon" else [g["geometry"]["coordinates"]]) for c in poly[0]])
    (x0, y0), (x1, y1) = coords.min(axis=0), coords.max(axis=0)
    maritime = g["properties"]["kind"] == "maritime"
    for role, mean in mix:
        for _ in range(rng.poisson(mean * args.scale)):
            n += 1
            name = rng.choice(surnames) + "".join(rng.choice(given, size=rng.integers(1, 3)))
            skills = "maritime" if maritime and role in ("leader", "full_time") else ""
            rows.append([f"P{n:06d}", name, role, f"100-0000-{n % 10000:04d}", f"{rng.uniform(x0, x1):.6f}", f"{rng.uniform(y0, y1):.6f}",
                         skills, 2 if role == "party_member" and rng.random() < 0.2 else 1, "no" if rng.random() < 0.02 else "yes"])
# Medical staff (samplers for `gridplan testing`), drawn after everyone else from their own
# seeded stream so the rows above stay as they were. A3-11: Jiangmen's anchor is 20,000 medical
# staff for ~4,000 grids, ≈ 4.9 per grid. They hold no grid post (staff.medical.per_grid = 0).
med_rng = np.random.default_rng(args.seed + 1)
for g in sorted(grids, key=lambda f: f["properties"]["code"]) if args.medical_per_grid > 0 else []:
    coords = np.array([c for poly in (g["geometry"]["coordinates"] if g["geometry"]["type"] == "MultiPolygon" else [g["geometry"]["coordinates"]]) for c in poly[0]])
    (x0, y0), (x1, y1) = coords.min(axis=0), coords.max(axis=0)
    for _ in range(med_rng.poisson(args.medical_per_grid * args.scale)):
        n += 1
        name = med_rng.choice(surnames) + "".join(med_rng.choice(given, size=med_rng.integers(1, 3)))
        rows.append([f"P{n:06d}", name, "medical", f"100-0000-{n % 10000:04d}", f"{med_rng.uniform(x0, x1):.6f}", f"{med_rng.uniform(y0, y1):.6f}",
                     "", 1, "no" if med_rng.random() < 0.02 else "yes"])
bad = [["P000001", "重复", "volunteer", "", "113.0", "22.5", "", 1, "yes"],  # duplicate id
       [f"X{n + 1}", "无坐标", "volunteer", "", "", "", "", 1, "yes"],  # missing coordinates
       [f"X{n + 2}", "未知", "chef", "", "113.0", "22.5", "", 1, "yes"]]  # unknown role
rows += (bad * args.bad_rows)[: args.bad_rows]
with open(args.out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["id", "name", "role", "phone", "lon", "lat", "skills", "max_grids", "available"])
    w.writerows(rows)
print(f"{len(rows)} people for {len(grids)} grids -> {args.out}")
