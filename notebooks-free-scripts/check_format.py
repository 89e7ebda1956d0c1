#!/usr/bin/env python3
"""Fails when Swift sources are not as swift-format (configuration: .swift-format) leaves them,
or when a line is longer than 120 characters.

swift-format cannot break a string literal or a comment, so its lint passes a line of 300
characters made of one message; this script counts characters itself. Exempt, because breaking
them would change what they are:
- in Tests/, lines inside multi-line string literals and lines that are one string literal (input
  files the tests write inline: a GeoJSON feature or a CSV table reads best unbroken);
- the frozen migrations' SQL in Sources/GridPlanIO/PlanStore/PlanSchema.swift and
  GeoPackageRTree.swift (a released migration never changes, not even its whitespace, since
  SQLite keeps each CREATE statement's text in the plan file).

Usage: python3 notebooks-free-scripts/check_format.py [REPO]   (exit 0 clean, 1 with findings)
Fix the formatting with: swift format format --in-place --recursive Sources Tests Package.swift
"""
import os
import shutil
import subprocess
import sys

LIMIT = 120
repo = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
frozen = {"Sources/GridPlanIO/PlanStore/PlanSchema.swift", "Sources/GridPlanIO/PlanStore/GeoPackageRTree.swift"}
paths = ["Sources", "Tests", "Package.swift"]

findings = []
swift = shutil.which("swift")
if swift is None:
    print("check_format.py: swift is not on PATH, so swift-format's lint is skipped", file=sys.stderr)
else:
    lint = subprocess.run([swift, "format", "lint", "--strict", "--recursive", *paths], cwd=repo,
                          capture_output=True, text=True)
    findings += [line for line in lint.stderr.splitlines() if line.strip()]

count = 0
for top in paths:
    root_path = os.path.join(repo, top)
    walk = [(os.path.dirname(root_path), [], [top])] if os.path.isfile(root_path) else os.walk(root_path)
    for root, _, files in walk:
        for f in sorted(files):
            if not f.endswith(".swift"):
                continue
            file = os.path.join(root, f)
            rel = os.path.relpath(file, repo)
            in_multiline = False
            count += 1
            for n, line in enumerate(open(file, encoding="utf-8").read().split("\n"), 1):
                opens = line.count('"""') % 2 == 1
                inside = in_multiline and not opens
                if opens:
                    in_multiline = not in_multiline
                literal_line = line.lstrip().lstrip("+ ").startswith(('"', '#"'))
                test_data = rel.startswith("Tests/") and (inside or literal_line)
                if len(line) > LIMIT and not test_data and not (inside and rel in frozen):
                    findings.append(f"{rel}:{n}: {len(line)} characters; the limit is {LIMIT}")

for finding in findings:
    print(finding)
if findings:
    print(f"check_format.py: {len(findings)} finding(s); see the usage in notebooks-free-scripts/check_format.py",
          file=sys.stderr)
    sys.exit(1)
print(f"check_format.py: {count} Swift files formatted, no line over {LIMIT} characters")
