#!/usr/bin/env python3
"""Fails when a module imports what the layer rules forbid, or what its target does not declare.

The layers (Package.swift) import only downward:

    GridPlanGeometryValues -> CGEOS, CPROJ, CGDAL -> GridPlanGeometry -> GridPlanModel -> GridPlanEngines
    -> GridPlanIO -> GridPlanKit -> gridplan (the CLI)

GridPlanGeometryValues and GridPlanModel hold values only: neither may import a C shim or
GridPlanGeometry (the GEOS/PROJ code), so "the model has no C" is a build failure, not a promise.

SwiftPM lets a target import any module its dependencies bring in, and then does not rebuild it
when that module changes (a stale CLI that crashes after an incremental build is how this was
found). `--explicit-target-dependency-import-check error` (build.sh) only catches modules outside
the dependency closure. This check reads every `import` of every Swift file and reports, with
file and line:

1. an import of a package target that its target does not declare as a dependency;
2. an import that goes up the layers (a lower layer importing a higher one), in sources;
3. a C shim (CGEOS, CPROJ, CGDAL) imported outside GridPlanGeometry;
4. GridPlanGeometry (C-backed) imported by a values-only target (GridPlanGeometryValues, GridPlanModel),
   directly or through a declared dependency.

Reads the targets from `swift package dump-package`. Exit 0 when clean, 1 with the findings.
Usage: python3 notebooks-free-scripts/check_layers.py [REPO]
"""
import json
import os
import re
import subprocess
import sys

repo = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
rank = {"GridPlanGeometryValues": 0, "CGEOS": 0, "CPROJ": 0, "CGDAL": 0, "GridPlanGeometry": 1, "GridPlanModel": 2, "GridPlanEngines": 3, "GridPlanIO": 4, "GridPlanServer": 4.5,
        "GridPlanKit": 5, "gridplan": 6}
import_line = re.compile(r"^\s*(?:@testable\s+|@_spi\(\w+\)\s+)?import\s+(?:(?:struct|class|enum|func|protocol|typealias|var|let)\s+)?(\w+)")

package = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=repo, capture_output=True, text=True, check=True).stdout)
targets = {}
for t in package["targets"]:
    declared = set()
    for dep in t["dependencies"]:
        kind = next(iter(dep))
        declared.add(dep[kind][0])
    default = ("Tests/" if t["type"] == "test" else "Sources/") + t["name"]
    targets[t["name"]] = (t.get("path") or default, t["type"], declared)
package_modules = set(targets)
values_only = ("GridPlanGeometryValues", "GridPlanModel")
c_backed = {"CGEOS", "CPROJ", "CGDAL", "GridPlanGeometry"}


def closure(name, seen=None):
    """Every target `name` depends on, directly or not."""
    seen = set() if seen is None else seen
    for dep in targets.get(name, (None, None, set()))[2]:
        if dep not in seen:
            seen.add(dep)
            closure(dep, seen)
    return seen

findings = []
for name in values_only:
    for dep in sorted(closure(name) & c_backed):
        findings.append(f"Package.swift: {name} depends on {dep}; it holds values only and must build without C")
for name, (path, kind, declared) in sorted(targets.items()):
    folder = os.path.join(repo, path)
    if not os.path.isdir(folder):
        continue
    for root, _, files in os.walk(folder):
        for f in sorted(files):
            if not f.endswith(".swift"):
                continue
            file = os.path.join(root, f)
            rel = os.path.relpath(file, repo)
            for n, line in enumerate(open(file, encoding="utf-8"), 1):
                m = import_line.match(line)
                if not m:
                    continue
                module = m.group(1)
                if module in package_modules and module != name and module not in declared:
                    findings.append(f"{rel}:{n}: {name} imports {module} without declaring it in Package.swift")
                if kind != "test" and name in rank and module in rank and rank[module] > rank[name]:
                    findings.append(f"{rel}:{n}: {name} imports {module}, a higher layer (layers import only downward)")
                if module in ("CGEOS", "CPROJ", "CGDAL") and name != "GridPlanGeometry":
                    findings.append(f"{rel}:{n}: {name} imports the C shim {module}; only GridPlanGeometry touches C")

for finding in findings:
    print(finding)
if findings:
    print(f"check_layers.py: {len(findings)} import(s) break the layer rules (see Package.swift)", file=sys.stderr)
    sys.exit(1)
print(f"check_layers.py: {len(targets)} targets, every import declared and downward")
