#!/usr/bin/env python3
"""Load on `gridplan serve`: grid workers' phones send reports while command pages listen, then
every acknowledged report is looked for in the plan. Loopback only, bounded in time.

Works on a copy of PLAN's plan.gpkg (staffed, with a recall and a testing round, e.g.
out/jiangmen after demo.sh), so the plan itself is not changed. --workers grid workers (default
4,000, as issue #17 asks) report: every worker who answers for vessels of the recall, and the
rest drawn (seeded) from the people who report the testing round's micro-grids (each grid's
leader, full- and part-time workers and party member). One admin token serves the listeners.
Then:

- reports: --rate per second (default 33.3, i.e. 20,000 in 10 minutes) for --minutes, each one by
  a random worker: on one of their own vessels (confirmed / arrived / crew_ashore / departed), or
  the counts of a micro-grid of their grid (running totals that grow), with a fresh
  Idempotency-Key; 5 % of them are sent a second time with the same key, as a phone whose
  answer was lost would. A request that fails (connection refused or reset, 5xx) is retried
  with the same key until acknowledged;
- listeners: --listeners command pages (default 50) each follow /api/stream and, like the page,
  fetch /api/levels?level=town, /api/vessels/changes?since=VERSION (the vessels changed since
  its last answer), /api/calls?limit=200, /api/testing/levels?level=town and
  /api/testing/silent?limit=100 at most once a second after a change;
- with --kill, the server is killed with SIGKILL half-way and started again at once.

It prints throughput, the latency of the reports (p50, p99, max; retries after a kill are
counted from the first try), the listeners' refresh times, and then checks the plan: every
acknowledged key is there exactly once (lost = 0, doubled = 0). Appends to
results/serve_load.txt.

Usage: python3 notebooks-free-scripts/bench_serve_load.py --plan out/jiangmen [--minutes 10] [--kill]
Needs: pip install aiohttp.
"""
import argparse
import asyncio
import csv
import datetime
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(here)

try:
    import aiohttp
except ImportError:
    print("bench_serve_load: pip install aiohttp", file=sys.stderr)
    sys.exit(2)


def start_server(binary, plan, port):
    process = subprocess.Popen([binary, "serve", "--plan", plan, "--port", str(port)], stderr=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, text=True)
    for line in process.stderr:
        m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if m:
            # Keep draining standard error (audit lines) so the server never blocks on it.
            asyncio.get_event_loop().run_in_executor(None, lambda: [None for _ in process.stderr])
            return process, int(m.group(1))
    raise SystemExit("bench_serve_load: the server did not start")


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plan", default=os.path.join(repo, "out", "jiangmen"))
    parser.add_argument("--gridplan", default=os.path.join(repo, ".build", "release", "gridplan"))
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=float, default=20000 / 600)
    parser.add_argument("--listeners", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4000)
    parser.add_argument("--kill", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    a = parser.parse_args()
    source = a.plan if a.plan.endswith(".gpkg") else os.path.join(a.plan, "plan.gpkg")
    if not os.path.exists(source):
        raise SystemExit(f"bench_serve_load: {source} not found; run demo.sh or give --plan")
    rng = random.Random(a.seed)
    work = tempfile.mkdtemp(prefix="gridplan-load-")
    plan = os.path.join(work, "plan.gpkg")
    shutil.copy(source, plan)

    db = sqlite3.connect(plan)
    owned = {}
    for vessel, person in db.execute("SELECT vessel_id, responsible_id FROM vessels WHERE responsible_id != ''"):
        owned.setdefault(person, []).append(vessel)
    cells = {}  # grid -> micro-grids of the testing round
    for code, grid in db.execute("SELECT DISTINCT s.microgrid_code, m.grid_code FROM testing_slots s "
                                 "JOIN microgrids m ON m.code = s.microgrid_code ORDER BY 1"):
        cells.setdefault(grid, []).append(code)
    counting = {}  # person -> micro-grids they report
    for person, grid in db.execute("SELECT person_id, grid_code FROM assignments WHERE slot_role IN "
                                   "('leader', 'full_time', 'part_time', 'party_member') ORDER BY 1, 2"):
        counting.setdefault(person, []).extend(cells.get(grid, []))
    db.close()
    counting = {p: c for p, c in counting.items() if c}
    chosen = set(owned)
    others = sorted(set(counting) - chosen)
    chosen |= set(rng.sample(others, max(0, min(len(others), a.workers - len(chosen)))))
    tokens_csv = os.path.join(work, "people.csv")
    r = subprocess.run([a.gridplan, "serve", "tokens", "--plan", plan, "--out", tokens_csv, "--admin", "load"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"bench_serve_load: tokens: {r.stderr}")
    workers, admin = {}, None
    with open(tokens_csv, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if row["role"] == "worker" and row["person_id"] in chosen:
                workers[row["person_id"]] = row["token"]
            if row["role"] == "admin":
                admin = row["token"]
    people = sorted(workers)
    run = f"bench{int(time.time())}"
    server, port = start_server(a.gridplan, plan, 0)
    base = f"http://127.0.0.1:{port}"
    duration = a.minutes * 60
    total = int(a.rate * duration)
    latencies, acked, statuses, retried = [], {}, {}, 0
    kinds = {}  # key -> "vessel" or "counts"
    totals = {}  # micro-grid -> sampled so far (the running total the next report sends)
    refreshes, changed = [], []
    stop = asyncio.Event()
    connector = aiohttp.TCPConnector(limit=400)
    timeout = aiohttp.ClientTimeout(total=30)

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        async def send(key, person, path, body, first_try):
            nonlocal retried
            while True:
                try:
                    async with session.post(base + path,
                                            headers={"Authorization": "Bearer " + workers[person],
                                                     "Idempotency-Key": key},
                                            json=body) as response:
                        await response.read()
                        if response.status in (200, 201):
                            latencies.append(time.perf_counter() - first_try)
                            acked[key] = acked.get(key, 0) + 1
                            statuses[response.status] = statuses.get(response.status, 0) + 1
                            return
                        if response.status < 500:
                            statuses[response.status] = statuses.get(response.status, 0) + 1
                            return
                except (aiohttp.ClientError, asyncio.TimeoutError, ConnectionError):
                    pass
                retried += 1
                await asyncio.sleep(0.2)

        async def listen(i):
            last = 0.0
            version = None
            while not stop.is_set():
                try:
                    async with session.get(f"{base}/api/stream", headers={"Authorization": "Bearer " + admin},
                                           timeout=aiohttp.ClientTimeout(total=None)) as response:
                        async for line in response.content:
                            if stop.is_set():
                                return
                            if not line.startswith(b"data: "):
                                continue
                            if time.perf_counter() - last < 1:
                                continue
                            last = time.perf_counter()
                            start = time.perf_counter()
                            since = "" if version is None else f"?since={version}"
                            for path in ("/api/levels?level=town", "/api/vessels/changes" + since,
                                         "/api/calls?limit=200", "/api/testing/levels?level=town",
                                         "/api/testing/silent?limit=100"):
                                async with session.get(base + path,
                                                       headers={"Authorization": "Bearer " + admin}) as r2:
                                    body = await r2.read()
                                    if path.startswith("/api/vessels/changes") and r2.status == 200:
                                        changes = json.loads(body)
                                        version = changes["version"]
                                        changed.append(len(changes["vessels"]))
                            refreshes.append(time.perf_counter() - start)
                except (aiohttp.ClientError, asyncio.TimeoutError, ConnectionError):
                    await asyncio.sleep(0.5)

        listeners = [asyncio.create_task(listen(i)) for i in range(a.listeners)]
        await asyncio.sleep(1)
        tasks, sent_keys = [], []
        killed_at = None
        begin = time.perf_counter()
        for n in range(total):
            due = begin + n / a.rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if a.kill and killed_at is None and n >= total // 2:
                server.send_signal(signal.SIGKILL)
                server.wait()
                killed_at = time.perf_counter() - begin
                server, _ = start_server(a.gridplan, plan, port)
            person = rng.choice(people)
            key = f"{run}-{n:06d}"
            if person in owned and (person not in counting or rng.random() < 0.5):
                vessel = rng.choice(owned[person])
                path = f"/api/vessels/{vessel}/events"
                body = {"event": rng.choice(["confirmed", "arrived", "crew_ashore", "departed"])}
                kinds[key] = "vessel"
            else:
                cell = rng.choice(counting[person])
                totals[cell] = totals.get(cell, 0) + rng.randint(5, 40)
                path = f"/api/microgrids/{cell}/counts"
                body = {"sampled": totals[cell], "absent": rng.randint(0, 3)}
                kinds[key] = "counts"
            sent_keys.append(key)
            now = time.perf_counter()
            tasks.append(asyncio.create_task(send(key, person, path, body, now)))
            if rng.random() < 0.05:
                tasks.append(asyncio.create_task(send(key, person, path, body, now)))
        # Bounded in time: what is not acknowledged a minute after the last report is counted as such.
        done, pending = await asyncio.wait(tasks, timeout=max(60.0, duration / 5))
        for t in pending:
            t.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        elapsed = time.perf_counter() - begin
        stop.set()
        for t in listeners:
            t.cancel()
        await asyncio.gather(*listeners, return_exceptions=True)

    server.terminate()
    server.wait()
    db = sqlite3.connect(plan)
    stored = [k for table in ("recall_events", "testing_reports")
              for (k,) in db.execute(f"SELECT idempotency_key FROM {table} WHERE idempotency_key LIKE ?",
                                     (run + "-%",))]
    db.close()
    stored_set = set(stored)
    lost = sum(1 for k in acked if k not in stored_set)
    doubled = len(stored) - len(stored_set)
    never = sum(1 for k in sent_keys if k not in acked)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    lines = [
        f"== {datetime.date.today()} {os.cpu_count()} cores, {cpu}; {os.path.basename(a.gridplan)} "
        f"({'debug' if '/debug/' in a.gridplan else 'release'}); plan {a.plan} (a copy)",
        f"{len(people)} workers ({len(set(people) & set(owned))} answer for vessels, the others report micro-grid "
        f"counts), {a.listeners} listening command pages, "
        f"{total} reports ({sum(1 for k in kinds.values() if k == 'vessel')} vessel events, "
        f"{sum(1 for k in kinds.values() if k == 'counts')} micro-grid counts) at {a.rate:.1f}/s over {a.minutes:g} min"
        + (f"; server killed with SIGKILL at {killed_at:.0f} s and restarted" if killed_at is not None else ""),
        f"sent {len(tasks)} requests ({len(tasks) - total} deliberate retries with the same key) in {elapsed:.0f} s: "
        f"{len(tasks) / elapsed:.1f} requests/s; answers {dict(sorted(statuses.items()))}; "
        f"{retried} retries after failures",
        f"report latency: p50 {1000 * percentile(latencies, 50):.0f} ms, p99 {1000 * percentile(latencies, 99):.0f} ms, "
        f"max {1000 * max(latencies or [float('nan')]):.0f} ms (acknowledged reports only)",
        f"listener refresh (levels + changed vessels + 200 calls + testing levels + 100 silent grids): "
        f"{len(refreshes)} refreshes, "
        f"p50 {1000 * percentile(refreshes, 50):.0f} ms, p99 {1000 * percentile(refreshes, 99):.0f} ms; "
        f"changed vessels per refresh: median {statistics.median(changed) if changed else 0:.0f}",
        f"plan: {len(stored)} rows for {len(stored_set)} keys; acknowledged {len(acked)} of {total} keys; "
        f"lost {lost}, doubled {doubled}, never acknowledged {never}",
    ]
    lines.append(f"still unanswered when the run stopped: {len(pending)} requests")
    ok = lost == 0 and doubled == 0 and never == 0
    lines.append("OK" if ok else "FAILED")
    for line in lines:
        print(line)
    with open(os.path.join(here, "results", "serve_load.txt"), "a") as f:
        f.write("\n".join(lines) + "\n")
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    asyncio.run(main())
