#!/usr/bin/env python3
"""`gridplan serve` in a real browser: a grid worker taps "arrived" on a phone-sized page and the
command page shows the new count.

Starts `gridplan serve` on a free loopback port over PLAN (a plan with a staffed recall, e.g.
out/jiangmen after demo.sh), issues an admin token and finds a grid worker who answers for a
vessel at sea, then drives headless Chromium (Debian `chromium`) through its DevTools protocol:

1. the command page /c at 1280 x 900 (admin token), reads "in port";
2. the worker page /w at 390 x 844 (a phone), taps 已到港 (arrived) on that vessel;
3. waits for the command page's "in port" to rise by one and times it from the tap;
4. checks the plan holds the report, made with the worker's token;
5. keeps screenshots of both pages in notebooks-free-scripts/figures/serve_worker.png and
   serve_command.png, and appends the figures to results/serve_browser.txt.

The report it makes is real: it stays in the plan (as any field report would).
Usage: python3 notebooks-free-scripts/browser_serve.py --plan out/jiangmen [--gridplan BIN]
           [--as-of 2018-09-15T11:00]   (the demo recall's --now, as a drill clock)
Needs: chromium and fonts-noto-cjk (Debian), pip websocket-client.
"""
import argparse
import base64
import csv
import datetime
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(here)


def fail(message):
    print(f"browser_serve: {message}", file=sys.stderr)
    sys.exit(2)


try:
    import websocket
except ImportError:
    fail("the Python package websocket-client is missing; pip install websocket-client")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Page:
    """One Chromium tab, driven over its DevTools websocket."""

    def __init__(self, debug_port, width, height, mobile):
        request = urllib.request.Request(f"http://127.0.0.1:{debug_port}/json/new?about:blank", method="PUT")
        target = json.load(urllib.request.urlopen(request))
        self.ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=30)
        self.next_id = 0
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        self.call("Page.enable")

    def call(self, method, params=None):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params or {}}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result.get("result", {}).get("value")

    def wait_for(self, expression, timeout=20, poll=0.05):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(poll)
        raise RuntimeError(f"timed out waiting for {expression}")

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plan", default=os.path.join(repo, "out", "jiangmen"))
    parser.add_argument("--gridplan", default=os.path.join(repo, ".build", "release", "gridplan"))
    parser.add_argument("--as-of", help="the server's drill clock (gridplan serve --as-of), e.g. the recall's --now")
    a = parser.parse_args()
    plan = a.plan if a.plan.endswith(".gpkg") else os.path.join(a.plan, "plan.gpkg")
    if not os.path.exists(plan):
        fail(f"{plan} not found; run demo.sh first, or give --plan")
    if not os.path.exists(a.gridplan):
        fail(f"{a.gridplan} not found; build it with: swift build -c release --product gridplan")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        fail("chromium is not installed; apt install chromium")

    db = sqlite3.connect(plan)
    row = db.execute("""SELECT v.vessel_id, v.name, v.responsible_id FROM vessels v
                        WHERE v.status != 'in_port' AND v.responsible_id != ''
                        AND v.vessel_id NOT IN (SELECT vessel_id FROM recall_events WHERE event IN ('arrived', 'hauled_out'))
                        ORDER BY v.rank LIMIT 1""").fetchone()
    db.close()
    if not row:
        fail("the plan has no vessel at sea with a responsible person; run `gridplan recall` on a staffed plan")
    vessel, vessel_name, person = row

    work = tempfile.mkdtemp(prefix="gridplan-browser-")
    tokens = os.path.join(work, "people.csv")
    issued = subprocess.run([a.gridplan, "serve", "tokens", "--plan", plan, "--out", tokens, "--admin",
                             "browser_serve.py", "--days", "1"], capture_output=True, text=True)
    if issued.returncode != 0:
        fail(f"gridplan serve tokens failed: {issued.stderr}")
    admin = worker = None
    worker_id = None
    with open(tokens, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if r["role"] == "admin" and r["name"] == "browser_serve.py":
                admin = r["token"]
            if r["role"] == "worker" and r["person_id"] == person:
                worker, worker_id = r["token"], r["token_id"]
    os.remove(tokens)  # the tokens themselves are not kept
    clock = ["--as-of", a.as_of] if a.as_of else []
    server = subprocess.Popen([a.gridplan, "serve", "--plan", plan, "--port", "0"] + clock, stderr=subprocess.PIPE,
                              stdout=subprocess.DEVNULL, text=True)
    base = None
    for line in server.stderr:
        m = re.search(r"http://127\.0\.0\.1:\d+", line)
        if m:
            base = m.group(0)
            break
    if not base:
        fail("the server did not start")
    debug_port = free_port()
    browser = subprocess.Popen([chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                                f"--remote-debugging-port={debug_port}",
                                # Both pages are on screen at once, as on a command-centre wall and
                                # a worker's phone: without these flags Chromium treats one of the
                                # two tabs as hidden and runs its timers once a second at most.
                                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                                "--disable-backgrounding-occluded-windows", f"--user-data-dir={work}/profile",
                                "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lines = []
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{debug_port}/json/version")
                break
            except OSError:
                time.sleep(0.1)
        command = Page(debug_port, 1280, 1200, False)
        command.call("Page.navigate", {"url": f"{base}/c#token={admin}"})
        before = int(command.wait_for(
            "(() => { const t = document.getElementById('in-port'); "
            "return t && /^[0-9]+$/.test(t.textContent) ? t.textContent : null; })()"))
        phone = Page(debug_port, 390, 844, True)
        phone.call("Page.navigate", {"url": f"{base}/w#token={worker}"})
        selector = f'.card[data-vessel="{vessel}"] button[data-event="arrived"]'
        phone.wait_for(f"!!document.querySelector('{selector}')")
        cards = phone.evaluate("document.querySelectorAll('.card[data-vessel]').length")
        tapped = time.time()
        phone.evaluate(f"document.querySelector('{selector}').click()")
        command.wait_for(f"document.getElementById('in-port').textContent === '{before + 1}'", timeout=10, poll=0.02)
        seen = time.time() - tapped
        phone.wait_for(f"document.querySelector('{selector}').classList.contains('done')")
        # The testing round: the same worker sends a micro-grid's running total from the phone.
        counted, counted_seen, cell = None, None, None
        card = ".card[data-microgrid]"
        if phone.evaluate(f"!!document.querySelector('{card}')"):
            cell = phone.evaluate(f"document.querySelector('{card}').getAttribute('data-microgrid')")
            sampled_before = int(command.wait_for(
                "(() => { const t = document.getElementById('t-sampled'); "
                "return t && /^[0-9]+$/.test(t.textContent) ? t.textContent : null; })()"))
            current = int(phone.evaluate(f"document.querySelector('{card} input[name=sampled]').value"))
            tapped = time.time()
            phone.evaluate(f"(() => {{ document.querySelector('{card} input[name=sampled]').value = '{current + 37}'; "
                           f"document.querySelector('{card} button.send').click(); }})()")
            command.wait_for(f"document.getElementById('t-sampled').textContent === '{sampled_before + 37}'",
                             timeout=10, poll=0.02)
            counted_seen = time.time() - tapped
            db = sqlite3.connect(plan)
            counted = db.execute("SELECT count(*) FROM testing_reports WHERE microgrid_code = ? AND sampled = ? "
                                 "AND reported_by = ?", (cell, current + 37, worker_id)).fetchone()[0]
            db.close()
        db = sqlite3.connect(plan)
        recorded = db.execute("SELECT count(*) FROM recall_events WHERE vessel_id = ? AND event = 'arrived' "
                              "AND reported_by = ?", (vessel, worker_id)).fetchone()[0]
        db.close()
        time.sleep(0.3)
        figures = os.path.join(here, "figures")
        phone.screenshot(os.path.join(figures, "serve_worker.png"))
        if cell:
            phone.evaluate(f"document.querySelector('.card[data-microgrid=\"{cell}\"]').scrollIntoView()")
            time.sleep(0.2)
            phone.screenshot(os.path.join(figures, "serve_worker_testing.png"))
        command.screenshot(os.path.join(figures, "serve_command.png"))
        version = subprocess.run([chromium, "--version"], capture_output=True, text=True).stdout.strip()
        lines.append(f"== {datetime.date.today()} {version}, {os.cpu_count()} cores; plan {a.plan}; "
                     f"{os.path.basename(a.gridplan)} {'debug' if '/debug/' in a.gridplan else 'release'} build"
                     + (f", clock as of {a.as_of}" if a.as_of else ""))
        lines.append(f"worker page at 390x844: {cards} vessel(s) of person {person}; tapped 已到港 on {vessel} "
                     f"({vessel_name})")
        lines.append(f"command page at 1280x1200: in port {before} -> {before + 1}, shown {seen:.2f} s after the tap")
        lines.append(f"plan: {recorded} arrived report(s) for {vessel} made with the worker's token {worker_id}")
        if cell:
            lines.append(f"testing: sampled +37 on micro-grid {cell} from the phone, city total shown "
                         f"{counted_seen:.2f} s after the tap; plan: {counted} report(s) with the worker's token")
        ok = recorded >= 1 and seen < 2 and (cell is None or (counted >= 1 and counted_seen < 2))
        lines.append("OK" if ok else "FAILED: the reports must be in the plan and shown within 2 s")
    finally:
        browser.terminate()
        server.terminate()
        browser.wait()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)
    for line in lines:
        print(line)
    with open(os.path.join(here, "results", "serve_browser.txt"), "a") as f:
        f.write("\n".join(lines) + "\n")
    sys.exit(0 if lines[-1] == "OK" else 1)


if __name__ == "__main__":
    main()
