#!/usr/bin/env python3
"""Renders a GridPlan report.html in headless Chromium and checks the picture is not blank.

Takes a screenshot of the report (Debian package `chromium`), then checks the PNG: the map
area must hold the band colours of the grids (at least 2 % of its pixels green "in band") and
at least 20 distinct colours overall; a blank or broken page fails. Records the file size,
the render time and the checks in notebooks-free-scripts/results/report_render.txt, and keeps
the picture (default notebooks-free-scripts/figures/report.png, the one in docs/report-and-export.md).

Usage: python3 notebooks-free-scripts/render_report.py REPORT.html [--png OUT.png] [--width 1200 --height 1400]
Needs: chromium (apt), pillow and numpy (pip).
"""
import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import time

import numpy as np
from PIL import Image

ap = argparse.ArgumentParser()
ap.add_argument("report")
ap.add_argument("--png", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "figures", "report.png"))
ap.add_argument("--width", type=int, default=1200)
ap.add_argument("--height", type=int, default=1400)
args = ap.parse_args()
browser = shutil.which("chromium") or shutil.which("chromium-browser")
if not browser:
    sys.exit("render_report: chromium is not installed (apt-get install chromium)")
url = "file://" + os.path.abspath(args.report)
started = time.time()
run = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--window-size={args.width},{args.height}",
                      "--virtual-time-budget=10000", f"--screenshot={os.path.abspath(args.png)}", url], capture_output=True, text=True, timeout=300)
seconds = time.time() - started
if run.returncode != 0 or not os.path.exists(args.png):
    sys.exit(f"render_report: chromium failed ({run.returncode}):\n{run.stderr[-2000:]}")
image = Image.open(args.png).convert("RGB")
pixels = np.asarray(image).reshape(-1, 3)
green = int(np.all(pixels == (0x8C, 0xC0, 0x84), axis=1).sum())
colours = len(np.unique(pixels, axis=0))
share = green / len(pixels)
ok = share >= 0.02 and colours >= 20
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
line = (f"{datetime.date.today()} | {cpu}, {os.cpu_count()} cores | {args.report}: {os.path.getsize(args.report) / 1048576:.1f} MB | "
        f"headless chromium screenshot {args.width}x{args.height} in {seconds:.1f} s (incl. browser start) | "
        f"in-band green {100 * share:.1f} % of pixels, {colours} colours | {'not blank' if ok else 'BLANK OR BROKEN'}")
print(line)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "report_render.txt"), "a", encoding="utf-8") as f:
    f.write(line + "\n")
sys.exit(0 if ok else 1)
