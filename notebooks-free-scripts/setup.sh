#!/usr/bin/env bash
# Installs the system packages GridPlan needs (Debian 12) when they are missing:
# GEOS, PROJ (with its EPSG database), GDAL (libgdal-dev: Shapefile, GeoPackage, FileGDB, KML, Excel
# inputs), SQLite headers, pkg-config, and gdal-bin + zip + python3
# shapely/pyproj, which the tests use as independent checkers, and curl (a client of `gridplan serve` in the tests).
set -euo pipefail
packages=(libgeos-dev libproj-dev proj-data libgdal-dev libsqlite3-dev pkg-config gdal-bin sqlite3 curl zip)
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! python3 -c "import shapely, pyproj, scipy, numpy" 2>/dev/null; then
    echo "setup: installing python shapely, pyproj, scipy and numpy (test helpers, data scripts)" >&2
    python3 -m pip install -q shapely pyproj scipy numpy 2>&1 | grep -v "Running pip as the 'root'" || true
fi
if ! python3 -c "import openapi_spec_validator" 2>/dev/null; then
    echo "setup: installing python openapi-spec-validator (a test checks /openapi.json with it)" >&2
    python3 -m pip install -q openapi-spec-validator 2>&1 | grep -v "Running pip as the 'root'" || true
fi
