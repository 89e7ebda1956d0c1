#!/usr/bin/env python3
"""Mutation fuzzing of `gridplan check`: takes real GeoJSON files, applies seeded random
mutations (byte flips, truncation, splices, numeric edits that keep the JSON valid) and
asserts the binary always exits 0, 1 or 2 with no crash (signal) or stack dump.

Usage: python3 notebooks-free-scripts/fuzz_check.py [--runs 500] [--seed 1] [--binary .build/release/gridplan]
"""
import argparse
import os
import random
import re
import subprocess
import tempfile

ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=500)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--binary", default=".build/release/gridplan")
args = ap.parse_args()
rng = random.Random(args.seed)
sources = [open(p, "rb").read() for p in ["data/examples/broken_units.geojson", "data/jiangmen/counties.geojson"]]
numbers = re.compile(rb"-?\d+\.?\d*")
replacements = [b"0", b"-0", b"1e308", b"-1e308", b"180", b"-90", b"90.0000001", b"1e-320", b"null", b"[]", b"{}", b'"x"', b"true"]
folder = tempfile.mkdtemp(prefix="gridplan-fuzz-")
path = os.path.join(folder, "input.geojson")
outcomes = {}
for run in range(args.runs):
    data = bytearray(rng.choice(sources))
    kind = rng.choice(["flip", "truncate", "splice", "number", "number", "number"])
    if kind == "flip":
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == "truncate":
        data = data[: rng.randrange(len(data))]
    elif kind == "splice":
        a, b = sorted(rng.randrange(len(data)) for _ in range(2))
        c = rng.randrange(len(data))
        data = data[:c] + data[a:b] + data[c:]
    else:
        matches = list(numbers.finditer(data))
        for _ in range(rng.randint(1, 5)):
            m = rng.choice(matches)
            data = data[: m.start()] + rng.choice(replacements) + data[m.end():]
            matches = list(numbers.finditer(data))
    open(path, "wb").write(data)
    proc = subprocess.run([args.binary, "check", path], capture_output=True, timeout=120)
    outcomes[proc.returncode] = outcomes.get(proc.returncode, 0) + 1
    if proc.returncode not in (0, 1, 2) or b"Fatal error" in proc.stderr or b"Stack dump" in proc.stderr:
        keep = os.path.join(folder, f"crash-{run}.geojson")
        os.rename(path, keep)
        print(f"run {run} ({kind}): exit {proc.returncode}, input kept at {keep}\n{proc.stderr.decode(errors='replace')[-2000:]}")
        raise SystemExit(1)
print(f"{args.runs} mutated inputs, seed {args.seed}: exit codes {dict(sorted(outcomes.items()))}, no crash")
