#!/usr/bin/env bash
# The main job on the bundled sample data: installs what is missing, builds GridPlan, checks
# the Jiangmen demo (counties, towns, villages) and imports it into a plan file that QGIS
# opens. Output goes to out/ (override with OUT=...).
set -euo pipefail
cd "$(dirname "$0")/.."
bash notebooks-free-scripts/setup.sh
swift build -c release --product gridplan >&2
gridplan=".build/release/gridplan"
out="${OUT:-out}"
mkdir -p "$out"
units=(data/jiangmen/counties.geojson data/jiangmen/towns.geojson data/jiangmen/villages.geojson)
echo "== gridplan check ${units[*]}"
"$gridplan" check "${units[@]}"
echo "== gridplan import ... --plan $out/jiangmen.gpkg"
"$gridplan" import "${units[@]}" --plan "$out/jiangmen.gpkg"
if command -v ogrinfo >/dev/null; then
    echo "== ogrinfo -so $out/jiangmen.gpkg (GDAL reads the plan as a GeoPackage)"
    ogrinfo -so -ro "$out/jiangmen.gpkg" | grep -E "^[0-9]+:"
fi
