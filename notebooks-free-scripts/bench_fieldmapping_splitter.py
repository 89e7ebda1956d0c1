#!/usr/bin/env python3
"""GridPlan against HOT's field-mapping task splitter, in one run, on real OSM data (Helsinki's 486
buildings; Balzers's 1,394 with --data liechtenstein; 2,238 in four Liechtenstein municipalities
with --data liechtenstein_south).

The peer is `area-splitter` (PyPI; HOT's Field-TM task splitter): the AOI, the buildings and
the roads go into PostGIS, and its SQL groups buildings into tasks of about `num_buildings`,
split along roads, then draws the task outlines from Voronoi cells of the buildings. It needs a
PostgreSQL server with PostGIS: this script starts a throw-away one in a temporary folder
(Debian `postgresql` and `postgis`; as root it runs the server as the `postgres` user) and
stops it at the end.

Both are asked for pieces of the same size: GridPlan's micro-grids (its rules: 20-100
households) and area-splitter's tasks with num_buildings = buildings / GridPlan's micro-grid
count. Two cases: buildings only (no roads), and buildings with the OSM roads. For each, both
tools' pieces are measured the same way, here and independently of GridPlan's own figures:

- wall time of the whole job (GridPlan: the `partition` command, check, grids and micro-grids
  and all files written; area-splitter: `split_by_sql`, loading the data into PostGIS
  included, the server already running), best and median of --repeat runs;
- mean Polsby-Popper compactness 4*pi*A/P^2 in the data's UTM zone (conformal; 35N, EPSG:32635, for
  Helsinki, 32N for Liechtenstein);
- households per piece: the unit's 3,000 households spread over the buildings by floor area (the
  rule GridPlan uses when buildings have no figures, recomputed here), each building counted in
  the piece holding its representative point; the share of pieces within +-50 % of the mean,
  and the coefficient of variation.

Usage: python3 notebooks-free-scripts/bench_fieldmapping_splitter.py [--gridplan BIN] [--repeat 3]
           [--data helsinki|liechtenstein|liechtenstein_south]
Appends its table to notebooks-free-scripts/results/fieldmapping_splitter.txt.
Needs: pip install area-splitter shapely pyproj; apt install postgresql postgis.
"""
import argparse
from importlib import metadata
import datetime
import json
import os
import platform
import pwd
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(here)
data = os.path.join(repo, "data", "helsinki")  # set by --data


def fail(message):
    print(f"bench_fieldmapping_splitter: {message}", file=sys.stderr)
    sys.exit(2)


try:
    import shapely
    from shapely.geometry import shape
    import numpy
    import pyproj
except ImportError as e:
    fail(f"{e}; install with: pip install shapely pyproj")
try:
    from area_splitter import splitter as area_splitter
except ImportError as e:
    fail(f"{e}; install the peer with: pip install area-splitter")


def postgres_bin():
    root = "/usr/lib/postgresql"
    versions = sorted(os.listdir(root), key=lambda v: int(v)) if os.path.isdir(root) else []
    for v in reversed(versions):
        folder = os.path.join(root, v, "bin")
        if os.path.exists(os.path.join(folder, "initdb")):
            return folder
    fail("PostgreSQL is not installed; apt install postgresql postgis")


class Server:
    """A throw-away PostgreSQL with PostGIS on a Unix socket in a temporary folder."""

    def __init__(self):
        self.bin = postgres_bin()
        self.folder = tempfile.mkdtemp(prefix="gridplan-postgis-")
        self.as_user = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            os.chmod(self.folder, 0o755)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.data = os.path.join(self.folder, "data")
        self.port = 55432

    def run(self, *args):
        subprocess.run(self.as_user + list(args), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def __enter__(self):
        self.run(os.path.join(self.bin, "initdb"), "-D", self.data, "-U", "bench", "--auth=trust", "-E", "UTF8")
        self.run(os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-w", "-l", os.path.join(self.folder, "log"),
                 "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=''", "start")
        self.run(os.path.join(self.bin, "createdb"), "-h", self.folder, "-p", str(self.port), "-U", "bench", "bench")
        self.run(os.path.join(self.bin, "psql"), "-h", self.folder, "-p", str(self.port), "-U", "bench", "-d",
                 "bench", "-c", "CREATE EXTENSION postgis")
        self.url = f"postgresql://bench@/bench?host={self.folder}&port={self.port}"
        return self

    def __exit__(self, *exc):
        subprocess.run(self.as_user + [os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m", "fast", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.folder, ignore_errors=True)


to_utm = None  # set by utm_zone() for the data's own zone


def utm_zone():
    """The UTM zone (WGS 84, conformal) of the unit's centre: EPSG:32635 for Helsinki, 32632 for
    Liechtenstein."""
    global to_utm
    centre = shape(json.load(open(os.path.join(data, "unit.geojson")))["features"][0]["geometry"]).centroid
    epsg = (32600 if centre.y >= 0 else 32700) + int((centre.x + 180) // 6) + 1
    to_utm = pyproj.Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True)
    return epsg


def utm(g):
    return shapely.transform(g, lambda c: numpy.column_stack(to_utm.transform(c[:, 0], c[:, 1])))


def building_households():
    """Each footprint's point-on-surface and its share of the unit's households, spread by floor
    area (footprint m² in UTM × storeys: `levels`, else `height` / 3, else 1), the rule GridPlan
    applies when buildings carry no households (docs/partition.md), computed here on its own."""
    unit = json.load(open(os.path.join(data, "unit.geojson")))["features"][0]["properties"]
    points, weights = [], []
    for f in json.load(open(os.path.join(data, "buildings.geojson")))["features"]:
        g = shapely.make_valid(shape(f["geometry"]))
        p = f["properties"]
        levels = float(p.get("levels") or 0)
        height = float(p.get("height") or 0)
        storeys = levels if levels > 0 else max(1.0, round(height / 3)) if height > 0 else 1.0
        points.append(g.representative_point())
        weights.append(utm(g).area * storeys)
    total = float(unit["households"])
    return points, [total * w / sum(weights) for w in weights]




def measure(pieces, points, households):
    """Mean Polsby-Popper in UTM, households per piece (by representative point), share within +-50 %."""
    tree = shapely.STRtree(pieces)
    per = [0] * len(pieces)
    placed = 0
    for p, h in zip(points, households):
        hits = tree.query(p, predicate="intersects")
        if len(hits):
            per[int(min(hits))] += h
            placed += 1
    pp = []
    for g in pieces:
        m = utm(g)
        pp.append(4 * 3.141592653589793 * m.area / (m.length ** 2) if m.length > 0 else 0)
    mean = sum(per) / len(per)
    within = sum(1 for x in per if abs(x - mean) <= 0.5 * mean)
    cv = statistics.pstdev(per) / mean if mean else 0
    return {"pieces": len(pieces), "pp": sum(pp) / len(pp), "within": within / len(per), "cv": cv,
            "households": sum(per), "placed": placed, "mean": mean}


def time_gridplan(binary, roads, repeat, out):
    args = [binary, "partition", "--repair", "--units", os.path.join(data, "unit.geojson"), "--buildings",
            os.path.join(data, "buildings.geojson"), "--out", out]
    if roads:
        args += ["--barriers", os.path.join(data, "roads.geojson")]
    times = []
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        start = time.perf_counter()
        r = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - start)
        if r.returncode != 0:
            fail(f"gridplan partition failed: {r.stderr[-2000:]}")
    return times


def time_area_splitter(url, num_buildings, roads, repeat):
    aoi = json.load(open(os.path.join(data, "unit.geojson")))
    features = []
    for f in json.load(open(os.path.join(data, "buildings.geojson")))["features"]:
        # area-splitter keeps a building only when building=yes; every footprint here is one.
        features.append({"type": "Feature", "geometry": f["geometry"], "properties": {"building": "yes"}})
    if roads:
        for f in json.load(open(os.path.join(data, "roads.geojson")))["features"]:
            features.append({"type": "Feature", "geometry": f["geometry"],
                             "properties": {"highway": f["properties"].get("highway", "road")}})
    extract = {"type": "FeatureCollection", "features": features}
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = area_splitter.split_by_sql(aoi, url, num_buildings=num_buildings, osm_extract=extract)
        times.append(time.perf_counter() - start)
    return times, [shape(f["geometry"]) for f in result["features"]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gridplan", default=os.path.join(repo, ".build", "release", "gridplan"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", default="helsinki",
                        help="a folder of data/ holding unit.geojson, buildings.geojson and roads.geojson "
                             "(helsinki: 486 buildings; liechtenstein: 1,394; liechtenstein_south: 2,238)")
    a = parser.parse_args()
    global data
    data = os.path.join(repo, "data", a.data)
    for name in ("unit.geojson", "buildings.geojson", "roads.geojson"):
        if not os.path.exists(os.path.join(data, name)):
            fail(f"{data}/{name} not found; --data names a folder of data/ holding unit.geojson, "
                 "buildings.geojson and roads.geojson (helsinki, liechtenstein, liechtenstein_south)")
    epsg = utm_zone()
    if not os.path.exists(a.gridplan):
        fail(f"{a.gridplan} not found; build it with: swift build -c release --product gridplan")
    import logging
    logging.disable(logging.INFO)
    lines = []

    def say(text=""):
        print(text, flush=True)
        lines.append(text)

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    say(f"== {datetime.date.today()} {platform.node()}: {os.cpu_count()} cores, {cpu}")
    buildings = len(json.load(open(os.path.join(data, "buildings.geojson")))["features"])
    roads = len(json.load(open(os.path.join(data, "roads.geojson")))["features"])
    say(f"input: data/{a.data}, 1 unit, {buildings} OSM building footprints, {roads} OSM road lines; "
        f"best/median of {a.repeat} runs; area-splitter {metadata.version('area-splitter')} on PostgreSQL "
        f"{os.path.basename(os.path.dirname(postgres_bin()))} with PostGIS (server started before timing); "
        f"shapes measured in EPSG:{epsg}")
    points, households = building_households()
    work = tempfile.mkdtemp(prefix="gridplan-fm-")
    with Server() as server:
        for with_roads in (False, True):
            out = os.path.join(work, "roads" if with_roads else "plain")
            gp_times = time_gridplan(a.gridplan, with_roads, a.repeat, out)
            micro = json.load(open(os.path.join(out, "microgrids.geojson")))["features"]
            size = max(1, round(buildings / len(micro)))
            as_times, tasks = time_area_splitter(server.url, size, with_roads, a.repeat)
            gp = measure([shape(f["geometry"]) for f in micro], points, households)
            peer = measure(tasks, points, households)
            say(f"-- {'with roads' if with_roads else 'buildings only'}: area-splitter num_buildings={size} "
                f"(= {buildings} buildings / {len(micro)} GridPlan micro-grids)")
            say(f"{'':14} {'best s':>8} {'median s':>9} {'pieces':>7} {'mean PP':>8} {'±50%':>6} {'CV':>6} "
                f"{'households placed':>18}")
            for name, times, m in (("GridPlan", gp_times, gp), ("area-splitter", as_times, peer)):
                say(f"{name:14} {min(times):8.2f} {statistics.median(times):9.2f} {m['pieces']:7d} {m['pp']:8.3f} "
                    f"{100 * m['within']:5.1f}% {m['cv']:6.3f} {m['households']:>10.0f}/{sum(households):.0f}")
            say(f"GridPlan is {min(as_times) / min(gp_times):.1f}x faster (best), "
                f"{statistics.median(as_times) / statistics.median(gp_times):.1f}x (median)")
    shutil.rmtree(work, ignore_errors=True)
    with open(os.path.join(here, "results", "fieldmapping_splitter.txt"), "a") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
