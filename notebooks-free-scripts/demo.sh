#!/usr/bin/env bash
# The main job on the bundled sample data: installs what is missing, builds GridPlan, checks
# the Jiangmen demo (counties, towns, villages) and partitions it into grids and micro-grids.
# Output goes to out/jiangmen/ (override the folder with OUT=...).
set -euo pipefail
cd "$(dirname "$0")/.."
bash notebooks-free-scripts/setup.sh
swift build -c release --product gridplan >&2
gridplan=".build/release/gridplan"
out="${OUT:-out/jiangmen}"
units=(data/jiangmen/counties.geojson data/jiangmen/towns.geojson data/jiangmen/villages.geojson)
echo "== gridplan check ${units[*]}"
"$gridplan" check "${units[@]}"
echo "== gridplan partition --units ... --out $out"
"$gridplan" partition $(printf -- "--units %s " "${units[@]}") --out "$out"
if command -v ogrinfo >/dev/null; then
    echo "== ogrinfo -so $out/plan.gpkg (GDAL reads the plan as a GeoPackage)"
    ogrinfo -so -ro "$out/plan.gpkg" | grep -E "^[0-9]+:"
fi
