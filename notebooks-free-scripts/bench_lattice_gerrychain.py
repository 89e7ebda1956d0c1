#!/usr/bin/env python3
"""GridPlan against GerryChain's recursive_tree_part on the lumpy lattice of issue 14, in one run.

The lattice: 45 × 45 cells of 100 m (a 4.5 km square near 113°E 22.5°N), each one "building"
(an 80 m footprint centred in its cell) with lognormal households, median 40, σ 0.6 (numpy,
seeded). Asked for grids of 300–500 households:

- GridPlan: `gridplan partition --buildings` on the one community holding the lattice (its
  street-block engine; it chooses the grid count itself, aiming at the band's middle); the
  whole command is timed, reading, check, micro-grids and writing included;
- GerryChain 1.0 (pip `gerrychain`): `recursive_tree_part` on the 4-neighbour cell graph with
  k = round(households / 400) parts, `pop_target` = households / k, `epsilon` 0.25 (±25 %, so
  300–500 around 400); only the partition call is timed (the graph is built before).

Both are scored the same way: grids in 300–500, coefficient of variation of households, and for
GridPlan the Polsby–Popper compactness in UTM (Tests/helpers/grid_figures.py). Appends a block
to notebooks-free-scripts/results/lattice_gerrychain.txt.

Usage: python3 notebooks-free-scripts/bench_lattice_gerrychain.py [--seed 2025] [--repeat 3] [--binary .build/release/gridplan]
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import networkx as nx
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--seed", type=int, default=2025)
ap.add_argument("--size", type=int, default=45)
ap.add_argument("--binary", default=".build/release/gridplan")
ap.add_argument("--repeat", type=int, default=3, help="runs of each; medians are compared (timings on a shared VM vary)")
args = ap.parse_args()
warnings.filterwarnings("ignore")
here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(here)

n = args.size
rng = np.random.default_rng(args.seed)
households = np.round(40 * np.exp(0.6 * rng.standard_normal(n * n))).astype(int)
total = int(households.sum())
k = int(round(total / 400))
dx, dy = 1 / 102_850, 1 / 110_574  # degrees per metre near 113°E 22.5°N
x0, y0 = 113.0, 22.5


def point(x, y):
    return [round(x0 + x * dx, 8), round(y0 + y * dy, 8)]


def square(x, y, size):
    return [[point(x, y), point(x + size, y), point(x + size, y + size), point(x, y + size), point(x, y)]]


folder = tempfile.mkdtemp(prefix="gridplan-lattice-")
units = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
    "code": "440703001001", "name": "lattice", "kind": "community", "households": total, "population": total * 3},
    "geometry": {"type": "Polygon", "coordinates": square(0, 0, 100 * n)}}]}
buildings = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"id": f"c{r}_{c}", "households": int(households[r * n + c]), "population": int(households[r * n + c]) * 3},
     "geometry": {"type": "Polygon", "coordinates": square(c * 100 + 10, r * 100 + 10, 80)}}
    for r in range(n) for c in range(n)]}
json.dump(units, open(f"{folder}/units.geojson", "w"))
json.dump(buildings, open(f"{folder}/buildings.geojson", "w"))

# GridPlan: the whole command, --repeat times (each into a fresh folder); the median is reported.
gridplan_times = []
for attempt in range(args.repeat):
    out = f"{folder}/out" if attempt == 0 else f"{folder}/out{attempt}"
    start = time.perf_counter()
    run = subprocess.run([args.binary, "partition", "--units", f"{folder}/units.geojson", "--buildings", f"{folder}/buildings.geojson",
                          "--out", out], capture_output=True, text=True)
    gridplan_times.append(time.perf_counter() - start)
    if run.returncode != 0:
        sys.exit(f"gridplan failed: {run.stdout}{run.stderr}")
gridplan_s = statistics.median(gridplan_times)
figures = json.loads(subprocess.run([sys.executable, os.path.join(repo, "Tests/helpers/grid_figures.py"), f"{folder}/out"],
                                    capture_output=True, text=True, check=True).stdout)

# GerryChain: the partition call only.
from gerrychain import Graph  # noqa: E402
from gerrychain.tree import recursive_tree_part  # noqa: E402

g = nx.convert_node_labels_to_integers(nx.grid_2d_graph(n, n), ordering="sorted")
for i in g.nodes:
    g.nodes[i]["hh"] = float(households[i])
graph = Graph.from_networkx(g)
import random  # noqa: E402
# GerryChain's tree bipartition is randomised and may give up ("Could not find a possible cut"):
# each run takes the next seed; a run that gives up is counted, timed and reported, not hidden.
gerry_times, failures, assignment = [], [], None
seed = args.seed
while len(gerry_times) < args.repeat and len(failures) < 3 * args.repeat:
    random.seed(seed)
    start = time.perf_counter()
    try:
        result = recursive_tree_part(graph, range(k), total / k, "hh", 0.25)
        gerry_times.append(time.perf_counter() - start)
        assignment = assignment or result
    except RuntimeError:
        failures.append((seed, time.perf_counter() - start))
    seed += 1
if assignment is None:
    sys.exit(f"GerryChain gave up on every one of {len(failures)} seeds from {args.seed}")
gerry_s = statistics.median(gerry_times)
sums = np.zeros(k)
for node, part in dict(assignment).items():
    sums[part] += households[node]
gerry_in_band = float(((sums >= 300) & (sums <= 500)).mean())
gerry_cv = float(sums.std() / sums.mean())

lines = [
    f"== {datetime.datetime.now().isoformat(timespec='seconds')} {platform.node()} ({os.cpu_count()} cores, {platform.processor() or platform.machine()})",
    f"lattice {n}×{n} cells of 100 m, lognormal households (median 40, σ 0.6, seed {args.seed}): {total} households; band 300–500",
    f"GridPlan    {figures['count']:4d} grids  in band {figures['in_band']:.1%}  CV {figures['cv']:.3f}  "
    f"Polsby–Popper mean {figures['pp_mean']:.3f}  whole command {gridplan_s:.2f} s (median of {args.repeat}: {min(gridplan_times):.2f}–{max(gridplan_times):.2f})",
    f"GerryChain  {k:4d} parts  in band {gerry_in_band:.1%}  CV {gerry_cv:.3f}  recursive_tree_part {gerry_s:.2f} s "
    f"(median of {args.repeat}: {min(gerry_times):.2f}–{max(gerry_times):.2f})",
    f"speed-up {gerry_s / gridplan_s:.1f}× (median GerryChain time / median GridPlan time)",
]
if failures:
    lines.insert(-1, f"GerryChain gave up (no balanced cut) on {len(failures)} seed(s): "
                 + ", ".join(f"{seed} after {t:.1f} s" for seed, t in failures) + "; the figures above are of the first seed that worked")
print("\n".join(lines))
os.makedirs(os.path.join(here, "results"), exist_ok=True)
with open(os.path.join(here, "results", "lattice_gerrychain.txt"), "a", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
shutil.rmtree(folder, ignore_errors=True)
