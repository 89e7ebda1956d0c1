#!/usr/bin/env python3
"""GridPlan's fuzzing harness (issue 15): hostile inputs and faults over every subcommand.

Each case is one seeded mutation or fault; the binary must end every case with exit 0, 1 or 2,
no crash (signal, "Fatal error", backtrace), within the time limit, and never lose or mix up
data. Case kinds:

  input   a mutated input file (units, buildings, barriers, rules, roster, current
          assignments, vessels, ports, track, sites, homes, sea) given to the command that reads it: byte flips, truncation,
          splices, numbers replaced by extreme values, properties or columns dropped,
          another encoding (UTF-16, BOM, CRLF);
  plan    a damaged plan (bytes overwritten, truncated, text or extreme numbers written into
          columns, a table dropped) opened by export, report, staff, recall status and
          partition --previous;
  args    odd option values (huge, negative, NaN, impossible times) on every subcommand;
  kill    `partition` or `staff` killed with SIGKILL at a random moment while it replaces
          earlier outputs; afterwards, once another command has opened the plan, the folder
          must hold all the old files or all the new ones, the plan must open and no stage or
          temporary file may remain;
  full    `partition` and `staff` writing onto a small tmpfs that fills up (needs root to
          mount; skipped with the reason otherwise): exit 2 naming the file, the old outputs
          whole, no partial files.

After every case: the inputs are unchanged (hashes), and the base plan still opens.

Usage: python3 notebooks-free-scripts/fuzz.py [--cases 200] [--seed 1] [--binary .build/release/gridplan]
       [--timeout 60] [--kills 20] [--full 10] [--keep DIR]
Prints one line per failing case and a summary: cases, crashes, hangs, data-loss, unclear.
Exit status 1 when any crash, hang or data loss was found.
"""
import argparse
import hashlib
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

ap = argparse.ArgumentParser()
ap.add_argument("--cases", type=int, default=200, help="input, plan and args cases")
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--binary", default=".build/release/gridplan")
ap.add_argument("--timeout", type=float, default=60)
ap.add_argument("--kills", type=int, default=20)
ap.add_argument("--full", type=int, default=10)
ap.add_argument("--keep", help="folder to copy the inputs of failing cases to")
args = ap.parse_args()

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.path.abspath(args.binary)
hostile = os.path.join(repo, "Tests/Fixtures/hostile")
rng = random.Random(args.seed)
work = tempfile.mkdtemp(prefix="gridplan-fuzz-")
counts = {"cases": 0, "crashes": 0, "hangs": 0, "data-loss": 0, "unclear": 0, "skipped": 0}
failures = []


def run(argv, timeout=None):
    """(status, stdout, stderr, seconds); status None on timeout. Runs in the scratch folder, so
    an odd relative --out ("abc", "0") lands there and never in the repository."""
    start = time.time()
    try:
        p = subprocess.run([binary] + argv, capture_output=True, timeout=timeout or args.timeout, cwd=work)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), time.time() - start
    except subprocess.TimeoutExpired:
        return None, "", "", time.time() - start


def sha(path):
    if os.path.isdir(path):
        return {name: sha(os.path.join(path, name)) for name in sorted(os.listdir(path))}
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


LEFTOVER = re.compile(r"\.(stage|tmp)-\d+-|^\.gridplan-outputs-")


def leftovers(folder):
    if not os.path.isdir(folder):
        return []
    return [n for n in os.listdir(folder) if LEFTOVER.search(n)]


RAW = ["NSCocoaErrorDomain", "Error Domain=", "SQLite error", "Swift/", "Optional(", "GRDB", "DatabaseError"]


def judge(kind, label, argv, result, files=()):
    """Counts a crash, hang or unclear error; returns False for a crash or hang."""
    status, out, err, seconds = result
    counts["cases"] += 1
    problem = None
    if status is None:
        counts["hangs"] += 1
        problem = f"hang (> {args.timeout:.0f} s)"
    elif status not in (0, 1, 2) or "Fatal error" in err or "Backtrace" in err or "Stack dump" in err:
        counts["crashes"] += 1
        problem = f"crash (exit {status}): " + (err.strip().splitlines() or [""])[-1][:200]
    elif status != 0 and (any(r in err for r in RAW) or ("error" not in err.lower() and "error" not in out.lower())):
        counts["unclear"] += 1
        problem = "unclear: " + (err.strip().splitlines() or out.strip().splitlines() or [""])[-1][:200]
    if problem:
        failures.append(f"{kind} {label}: {problem}\n    gridplan {' '.join(argv)}")
        if args.keep:
            os.makedirs(args.keep, exist_ok=True)
            for f in files:
                if os.path.exists(f) and os.path.isfile(f):
                    shutil.copy(f, os.path.join(args.keep, f"{counts['cases']}-{os.path.basename(f)}"))
    return problem is None or problem.startswith("unclear")


def data_loss(label, why):
    counts["data-loss"] += 1
    failures.append(f"data-loss {label}: {why}")


# ---------------------------------------------------------------- base inputs and plans

def fixture(name):
    return os.path.join(hostile, name)


base = os.path.join(work, "base")
os.makedirs(base)
units = fixture("community.geojson")
with open(fixture("buildings_random400.geojson")) as f:
    buildings_text = f.read()
# A small street network: the first 40 random barriers.
with open(fixture("barriers_random300.geojson")) as f:
    text = f.read()
head, features = text.split('"features":[', 1)
barrier_features = re.findall(r'\{"type":"Feature".*?\}\}', features)
barriers = os.path.join(base, "barriers.geojson")
open(barriers, "w").write(head + '"features":[' + ",".join(barrier_features[:40]) + "]}")
buildings = os.path.join(base, "buildings.geojson")
open(buildings, "w").write(buildings_text)
rules = os.path.join(base, "rules.toml")
open(rules, "w").write(run(["rules"])[1])
roster = os.path.join(base, "roster.csv")
people = ["id,name,role,phone,lon,lat,skills,max_grids,available"]
roles = ["leader", "full_time", "part_time", "party_member", "volunteer", "medical"]
for i in range(40):
    people.append(f"P{i},person {i},{roles[i % len(roles)]},100-0000-{i:04d},{113.0 + 0.0097 * rng.random():.6f},{22.5 + 0.009 * rng.random():.6f},,{1 + i % 2},yes")
open(roster, "w").write("\n".join(people) + "\n")
vessels, ports = fixture("vessels.csv"), fixture("ports.geojson")
sea = os.path.join(base, "sea.geojson")
open(sea, "w").write('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"sea"},"geometry":{"type":"Polygon",'
                     '"coordinates":[[[112.9,22.3],[113.3,22.3],[113.3,22.499],[112.9,22.499],[112.9,22.3]]]}}]}')
track = os.path.join(base, "track.csv")
open(track, "w").write("SID,ISO_TIME,LAT,LON,WMO_WIND,NAME\n" + "".join(
    f"2026000N22113,2026-09-16 {h:02d}:00:00,{20.0 + 0.25 * h:.2f},{115.0 - 0.1 * h:.2f},{60 + h},TEST\n" for h in range(0, 18, 3)))
sites = os.path.join(base, "sites.geojson")
open(sites, "w").write('{"type":"FeatureCollection","features":[' + ",".join(
    f'{{"type":"Feature","properties":{{"id":"S{i}","tables":{2 + i}}},"geometry":{{"type":"Point","coordinates":[{113.002 + 0.002 * i},{22.503 + 0.001 * i}]}}}}'
    for i in range(3)) + "]}")

homes = os.path.join(base, "homes.csv")
open(homes, "w").write("id,name,phone,address,people,lon,lat\n" + "".join(
    f"H{i},home {i},100-1111-{i:04d},room {i},{1 + i % 5},{113.001 + 0.0008 * i:.6f},{22.501 + 0.0007 * i:.6f}\n" for i in range(10)))

plan = os.path.join(base, "plan")
for argv in (["partition", "--units", units, "--buildings", buildings, "--barriers", barriers, "--out", plan],
             ["staff", "--plan", plan, "--roster", roster, "--out", os.path.join(base, "staff")]):
    status, out, err, _ = run(argv)
    if status != 0:
        sys.exit(f"fuzz: the base case failed: gridplan {' '.join(argv)}\n{out}{err}")
inputs = [units, buildings, barriers, rules, roster, vessels, ports, sea, track, sites, homes]
input_hashes = {p: sha(p) for p in inputs}
plan_hash = sha(os.path.join(plan, "plan.gpkg"))


def time_argv(out):
    return ["--landfall", "2026-09-16T17:00", "--now", "2026-09-15T11:00", "--generated-at", "2026-09-15T11:05", "--out", out]


# Commands reading each input kind; {f} is the mutated file, {o} a fresh output folder, {p} a copy of the plan.
READERS = {
    "units": [["check", "{f}"], ["partition", "--units", "{f}", "--out", "{o}"], ["import", "{f}", "--plan", "{o}.gpkg"]],
    "buildings": [["partition", "--units", units, "--buildings", "{f}", "--out", "{o}"], ["check", units, "--buildings", "{f}"]],
    "barriers": [["partition", "--units", units, "--buildings", buildings, "--barriers", "{f}", "--out", "{o}"],
                 ["partition", "--units", units, "--barriers", "{f}", "--out", "{o}"]],
    "rules": [["partition", "--units", units, "--rules", "{f}", "--out", "{o}"]],
    "roster": [["staff", "--plan", "{p}", "--roster", "{f}", "--out", "{o}"]],
    "vessels": [["recall", "--plan", "{p}", "--vessels", "{f}", "--ports", ports, "--sea", sea] + time_argv("{o}")],
    "ports": [["recall", "--plan", "{p}", "--vessels", vessels, "--ports", "{f}", "--sea", sea] + time_argv("{o}")],
    "sea": [["recall", "--plan", "{p}", "--vessels", vessels, "--ports", ports, "--sea", "{f}"] + time_argv("{o}")],
    "track": [["recall", "--plan", "{p}", "--vessels", vessels, "--ports", ports, "--sea", sea, "--track", "{f}"] + time_argv("{o}")],
    "sites": [["testing", "--plan", "{p}", "--sites", "{f}", "--generated-at", "2026-09-15T11:00", "--out", "{o}"]],
    "homes": [["testing", "--plan", "{p}", "--homes", "{f}", "--generated-at", "2026-09-15T11:00", "--out", "{o}"]],
    "current": [["staff", "--plan", "{p}", "--roster", roster, "--current", "{f}", "--out", "{o}"]],
}
FILES = {"units": units, "buildings": buildings, "barriers": barriers, "rules": rules, "roster": roster, "vessels": vessels,
         "ports": ports, "sea": sea, "track": track, "sites": sites, "homes": homes,
         "current": os.path.join(base, "staff", "assignments.csv")}
EXTREME = [b"0", b"-1", b"-0", b"1e308", b"-1e308", b"1e15", b"9223372036854775807", b"-9223372036854775808", b"180.5", b"-90.5",
           b"1e-320", b"NaN", b"null", b"[]", b"{}", b'"x"', b"true", b"2000000000", b"99999"]
NUMBER = re.compile(rb"-?\d+\.?\d*(e[+-]?\d+)?")


def mutate(data, rng):
    kind = rng.choice(["flip", "truncate", "splice", "number", "number", "number", "drop", "encoding"])
    data = bytearray(data)
    if kind == "flip" and data:
        for _ in range(rng.randint(1, 12)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == "truncate" and data:
        data = data[: rng.randrange(len(data))]
    elif kind == "splice" and data:
        a, b = sorted(rng.randrange(len(data)) for _ in range(2))
        c = rng.randrange(len(data))
        data = data[:c] + data[a:b] + data[c:]
    elif kind == "number":
        for _ in range(rng.randint(1, 4)):
            matches = list(NUMBER.finditer(data))
            if not matches:
                break
            m = rng.choice(matches)
            data = data[: m.start()] + rng.choice(EXTREME) + data[m.end():]
    elif kind == "drop":
        # A property, a CSV column or a TOML line removed.
        if data.startswith(b"{"):
            keys = list(re.finditer(rb'"[a-z_]+":("[^"]*"|[-0-9.e]+|null),?', data))
            if keys:
                m = rng.choice(keys)
                data = data[: m.start()] + data[m.end():]
        else:
            lines = bytes(data).split(b"\n")
            if lines and b"," in lines[0]:
                column = rng.randrange(lines[0].count(b",") + 1)
                data = bytearray(b"\n".join(b",".join(c for j, c in enumerate(line.split(b",")) if j != column) for line in lines))
            elif len(lines) > 1:
                del lines[rng.randrange(len(lines))]
                data = bytearray(b"\n".join(lines))
    else:
        text = bytes(data).decode("utf-8", "replace")
        data = bytearray(rng.choice([text.encode("utf-16"), b"\xef\xbb\xbf" + text.encode(), text.replace("\n", "\r\n").encode()]))
    return bytes(data), kind


def fresh_plan(name):
    copy = os.path.join(work, name)
    shutil.copytree(plan, copy)
    return copy


def check_base(label):
    for p, h in input_hashes.items():
        if sha(p) != h:
            data_loss(label, f"input {p} changed")
            input_hashes[p] = sha(p)
    if sha(os.path.join(plan, "plan.gpkg")) != plan_hash:
        data_loss(label, "the base plan changed")


# ---------------------------------------------------------------- input, plan and args cases

def input_case(i):
    kind = rng.choice(sorted(READERS))
    data, how = mutate(open(FILES[kind], "rb").read(), rng)
    folder = os.path.join(work, f"case{i}")
    os.makedirs(folder)
    f = os.path.join(folder, os.path.basename(FILES[kind]))
    open(f, "wb").write(data)
    template = rng.choice(READERS[kind])
    p = fresh_plan(f"case{i}-plan") if any("{p}" in a for a in template) else ""
    argv = [a.replace("{f}", f).replace("{o}", os.path.join(folder, "out")).replace("{p}", p) for a in template]
    judge("input", f"{kind}/{how}", argv, run(argv), [f])


def plan_case(i):
    p = fresh_plan(f"case{i}-plan")
    file = os.path.join(p, "plan.gpkg")
    how = rng.choice(["bytes", "truncate", "text", "extreme", "drop-table", "empty"])
    if how == "bytes":
        data = bytearray(open(file, "rb").read())
        start = rng.randrange(100, len(data))
        for j in range(rng.randint(1, 200)):
            if start + j < len(data):
                data[start + j] = rng.randrange(256)
        open(file, "wb").write(data)
    elif how == "truncate":
        data = open(file, "rb").read()
        open(file, "wb").write(data[: rng.randrange(len(data))])
    elif how == "empty":
        open(file, "wb").close()
    else:
        db = sqlite3.connect(file)
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            db.execute(f'DROP TRIGGER "{name}"')
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'rtree%' AND name NOT LIKE 'sqlite%'")]
        table = rng.choice(tables)
        if how == "drop-table":
            db.execute(f'DROP TABLE "{table}"')
        else:
            columns = [c[1] for c in db.execute(f'PRAGMA table_info("{table}")')]
            column = rng.choice(columns)
            value = rng.choice(["many", "", None]) if how == "text" else rng.choice([2**63 - 1, -(2**63), 1e308, -1, 0])
            for v in (value, "many"):
                try:
                    db.execute(f'UPDATE "{table}" SET "{column}" = ?', (v,))
                    break
                except sqlite3.DatabaseError:
                    pass  # a constraint of the table forbids it; another tool could not write it either
        db.commit()
        db.close()
    out = os.path.join(p, "..", f"case{i}-out")
    argv = rng.choice([
        ["export", "--plan", p, "--format", rng.choice(["geojson", "csv", "gpkg", "html"]), "--out", out + rng.choice(["", ".gpkg", ".html"])],
        ["report", "--plan", p, "--out", out + ".html"],
        ["staff", "--plan", p, "--roster", roster, "--out", out],
        ["recall", "status", "--plan", p],
        ["partition", "--units", units, "--previous", p, "--out", out],
        ["testing", "--plan", p, "--generated-at", "2026-09-15T11:00", "--out", out],
    ])
    judge("plan", how, argv, run(argv), [file])


ODD = ["0", "-1", "-5", "1e308", "nan", "inf", "-inf", "9223372036854775807", "99999999999999999999", "", " ", "abc", "3.5",
       "2026-13-40T25:61", "2026-09-16T17:00+99:99", "1970-01-01T00:00Z", "9999-12-31T23:59", "./", "/dev/null", "/dev/full"]


def args_case(i):
    out = os.path.join(work, f"case{i}-out")
    p = fresh_plan(f"case{i}-plan")
    odd = rng.choice(ODD)
    argv = rng.choice([
        ["partition", "--units", units, "--grids", f"440703001001={odd}", "--out", out],
        ["partition", "--units", units, "--tolerance", odd, "--out", out],
        ["check", units, "--tolerance", odd],
        ["check", units, "--crs", odd],
        ["partition", "--units", units, "--engine", odd, "--out", out],
        ["export", "--plan", p, "--format", "geojson", "--crs", odd, "--out", out],
        ["export", "--plan", p, "--format", "csv", "--layers", odd, "--out", out],
        ["recall", "--plan", p, "--vessels", vessels, "--ports", ports, "--sea", sea, "--landfall", odd, "--now", "2026-09-15T11:00", "--out", out],
        ["recall", "--plan", p, "--vessels", vessels, "--ports", ports, "--sea", sea, "--landfall", "2026-09-16T17:00", "--now", odd, "--out", out],
        ["recall", "status", "--plan", p, "--confirmed", "V1", "--time", odd],
        ["testing", "--plan", p, "--start", odd, "--out", out],
        ["staff", "--plan", p, "--roster", roster, "--out", odd if odd.strip() else out],
        ["report", "--plan", p, "--out", odd if odd.strip() else out],
        ["partition", "--units", units, "--out", odd if odd.strip() else out],
    ])
    judge("args", odd or "(empty)", argv, run(argv))


# ---------------------------------------------------------------- faults: kill -9 and full disk

def stable_sha(path):
    """A file's hash, ignoring the run time a partition's report.json records."""
    if os.path.basename(path) != "report.json":
        return sha(path)
    text = re.sub(rb'"runtime_s":\s*[-0-9.e+]+', b"", open(path, "rb").read())
    return hashlib.sha256(text).hexdigest()


def snapshot(folder):
    if not os.path.isdir(folder):
        return {}
    return {n: stable_sha(os.path.join(folder, n)) for n in sorted(os.listdir(folder)) if not LEFTOVER.search(n)}


def kill_case(i):
    """Replaces earlier outputs, killed at a random moment; the folder must end all old or all new."""
    p = fresh_plan(f"kill{i}-plan")
    if rng.random() < 0.5:
        # partition over an earlier partition of other households
        bigger = os.path.join(work, f"kill{i}-units.geojson")
        open(bigger, "w").write(open(units).read().replace('"households":800', '"households":1300'))
        argv = ["partition", "--units", bigger, "--buildings", buildings, "--barriers", barriers, "--out", p]
        folder, label = p, "partition"
        reference = os.path.join(work, f"kill{i}-reference")
        new_argv = argv[:-1] + [reference]
    else:
        folder, label = os.path.join(p, "..", f"kill{i}-staff"), "staff"
        shutil.copytree(os.path.join(base, "staff"), folder)
        smaller = os.path.join(work, f"kill{i}-roster.csv")
        open(smaller, "w").write("\n".join(open(roster).read().splitlines()[:20]) + "\n")
        argv = ["staff", "--plan", p, "--roster", smaller, "--out", folder]
        reference = os.path.join(work, f"kill{i}-reference")
        ref_plan = fresh_plan(f"kill{i}-refplan")
        new_argv = ["staff", "--plan", ref_plan, "--roster", smaller, "--out", reference]
    old = snapshot(folder)
    status, out, err, seconds = run(new_argv)
    if status != 0:
        failures.append(f"kill {label}: the reference run failed: {err[-300:]}")
        return
    new = snapshot(reference)
    if label == "partition":
        # plan.gpkg differs run to run (timestamps of its history); compare the files that do not.
        old = {k: v for k, v in old.items() if k != "plan.gpkg"}
        new = {k: v for k, v in new.items() if k != "plan.gpkg"}
    delay = rng.uniform(0, seconds * 1.2)
    proc = subprocess.Popen([binary] + argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    counts["cases"] += 1
    # Any command that opens the plan finishes or rolls back what was interrupted.
    opened = run(["export", "--plan", p, "--format", "csv", "--layers", "grids", "--out", os.path.join(work, f"kill{i}-export")])
    if opened[0] != 0:
        data_loss(f"kill {label} at {delay:.2f} s", "the plan does not open afterwards: " + opened[2].strip()[-200:])
        return
    now = snapshot(folder)
    if label == "partition":
        now = {k: v for k, v in now.items() if k != "plan.gpkg"}
    if now != old and now != new:
        mixed = sorted(k for k in set(now) | set(new) if now.get(k) != old.get(k))
        data_loss(f"kill {label} at {delay:.2f} s", f"the folder is neither all old nor all new (changed: {', '.join(mixed)})")
    # Stages of a process killed before its journal are removed by the next command writing there.
    run(["export", "--plan", p, "--format", "csv", "--layers", "grids", "--out", folder])
    left = leftovers(folder) + leftovers(p)
    if left:
        data_loss(f"kill {label} at {delay:.2f} s", f"left behind: {', '.join(left)}")
    if label == "partition":
        # The plan and the GeoJSON beside it describe the same grids.
        in_plan = sqlite3.connect(os.path.join(p, "plan.gpkg")).execute("SELECT group_concat(code || ':' || households) FROM (SELECT * FROM grids ORDER BY code)").fetchone()[0]
        features = json.load(open(os.path.join(p, "grids.geojson")))["features"]
        in_file = ",".join(f"{f['properties']['code']}:{f['properties']['households']}" for f in sorted(features, key=lambda f: f["properties"]["code"]))
        if in_plan != in_file:
            data_loss(f"kill partition at {delay:.2f} s", f"plan grids {in_plan} but grids.geojson {in_file}")
    if label == "staff":
        # The plan's staffing and the lists agree: both old or both new.
        status, text, _, _ = run(["report", "--plan", p, "--out", os.path.join(work, f"kill{i}-report.html")])
        runs = sqlite3.connect(os.path.join(p, "plan.gpkg")).execute("SELECT summary FROM runs WHERE command = 'staff' ORDER BY id DESC LIMIT 1").fetchone()
        lists_new = now == new and now != old
        plan_new = runs is not None and "from 19 people" in runs[0]
        if lists_new != plan_new:
            data_loss(f"kill staff at {delay:.2f} s", f"lists {'new' if lists_new else 'old'} but the plan's staffing {'new' if plan_new else 'old'}")


def full_case(i, mount):
    size = rng.choice([8, 24, 64, 160, 400])
    target = os.path.join(mount, f"full{i}")
    subprocess.run(["umount", mount], capture_output=True)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}k", "tmpfs", mount], capture_output=True).returncode != 0:
        return False
    try:
        label = rng.choice(["partition", "staff"])
        p = fresh_plan(f"full{i}-plan")
        if label == "partition":
            argv = ["partition", "--units", units, "--buildings", buildings, "--barriers", barriers, "--out", target]
        else:
            argv = ["staff", "--plan", p, "--roster", roster, "--out", target]
        result = run(argv)
        judge("full", f"{label} on {size} KB", argv, result)
        status, out, err, _ = result
        if status == 2 and "No space left" not in err and "space" not in err:
            counts["unclear"] += 1
            failures.append(f"full {label} on {size} KB: unclear: {err.strip()[-200:]}")
        if status != 0:
            if os.path.isdir(target) and os.listdir(target):
                data_loss(f"full {label} on {size} KB", f"partial outputs left: {', '.join(os.listdir(target))}")
        elif set(os.listdir(target)) == set():
            data_loss(f"full {label} on {size} KB", "exit 0 but nothing written")
        if label == "staff" and run(["report", "--plan", p, "--out", os.path.join(work, f"full{i}.html")])[0] != 0:
            data_loss(f"full staff on {size} KB", "the plan does not open afterwards")
    finally:
        subprocess.run(["umount", mount], capture_output=True)
    return True


started = time.time()
for i in range(args.cases):
    rng.choice([input_case, input_case, input_case, plan_case, args_case])(i)
    check_base(f"after case {i}")
    if (i + 1) % 50 == 0:
        print(f"fuzz: {i + 1} of {args.cases} cases", file=sys.stderr)
for i in range(args.kills):
    kill_case(i)
    check_base(f"after kill {i}")
mount = os.path.join(work, "full")
os.makedirs(mount)
full_done = 0
for i in range(args.full):
    if not full_case(i, mount):
        counts["skipped"] += args.full - i
        print("fuzz: full-disk cases skipped: cannot mount a tmpfs (needs root)", file=sys.stderr)
        break
    full_done += 1

for f in failures:
    print(f)
shown = os.path.relpath(binary, repo) if binary.startswith(repo + os.sep) else binary
print(f"fuzz (seed {args.seed}, {shown}, {time.time() - started:.0f} s): {counts['cases']} cases "
      f"({args.cases} input/plan/args, {args.kills} kill -9, {full_done} full disk); "
      f"crashes {counts['crashes']}, hangs {counts['hangs']}, data-loss {counts['data-loss']}, unclear errors {counts['unclear']}"
      + (f", {counts['skipped']} skipped" if counts["skipped"] else ""))
shutil.rmtree(work, ignore_errors=True)
sys.exit(1 if counts["crashes"] or counts["hangs"] or counts["data-loss"] else 0)
