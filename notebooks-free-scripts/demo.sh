#!/usr/bin/env bash
# The main job on the bundled sample data: installs what is missing, builds GridPlan, checks
# the Jiangmen demo (counties, towns, villages), partitions it into grids and micro-grids, and
# staffs the grids from a seeded synthetic roster (derived data, written to OUT/roster.csv),
# plans a mass-testing round on the same grids (OUT/testing/), a typhoon fishing-vessel recall
# for Mangkhut 2018 (OUT/recall/; derived sea area and ports, 2,000 synthetic vessels) with two
# status updates, writes the HTML report and a GeoPackage export.
# Output goes to out/jiangmen/ and out/jiangmen/staff/ (override the folder with OUT=...).
set -euo pipefail
cd "$(dirname "$0")/.."
bash notebooks-free-scripts/setup.sh
swift build -c release --product gridplan >&2
gridplan=".build/release/gridplan"
out="${OUT:-out/jiangmen}"
units=(data/jiangmen/counties.geojson data/jiangmen/towns.geojson data/jiangmen/villages.geojson)
echo "== gridplan check ${units[*]}"
"$gridplan" check "${units[@]}"
# The demo starts a new plan each run: partition refuses to replace a plan that holds staffing,
# testing or recall results (a planner's would be lost), so the previous demo plan goes first.
rm -f "$out/plan.gpkg"
echo "== gridplan partition --units ... --out $out"
"$gridplan" partition $(printf -- "--units %s " "${units[@]}") --out "$out"
if command -v ogrinfo >/dev/null; then
    echo "== ogrinfo -so $out/plan.gpkg (GDAL reads the plan as a GeoPackage)"
    ogrinfo -so -ro "$out/plan.gpkg" | grep -E "^[0-9]+:"
fi
echo "== synthetic roster (seeded, derived; no real person) and gridplan staff --plan $out --roster $out/roster.csv --out $out/staff"
python3 notebooks-free-scripts/synthetic_roster.py "$out" "$out/roster.csv"
"$gridplan" staff --plan "$out" --roster "$out/roster.csv" --out "$out/staff" --bom
echo "== gridplan testing --plan $out --out $out/testing (mass-testing round on the same grids and people)"
"$gridplan" testing --plan "$out" --out "$out/testing" --bom
track=data/real/typhoon/ibtracs_wmo_wp_fixes_within300km_jiangmen_1980_2024.csv
echo "== gridplan recall --plan $out --out $out/recall (typhoon Mangkhut 2018, 2,000 vessels; positions as of 2018-09-15 11:00)"
recall=("$gridplan" recall --plan "$out" --vessels data/jiangmen/vessels.csv --ports data/jiangmen/ports.geojson
    --sea data/jiangmen/sea.geojson --landfall 2018-09-16T17:00 --track "$track" --storm 2018250N12170
    --now 2018-09-15T11:00 --generated-at 2018-09-15T11:05 --bom --out "$out/recall")
"${recall[@]}" | sed -n '1,18p'
echo "== gridplan recall status --plan $out --arrived ... (two reports from the field)"
# (sed, not head: head would close the pipe early and fail the script under pipefail)
"$gridplan" recall status --plan "$out" --arrived V0002 --port P11 --time 2018-09-15T13:10 | sed -n '1p'
"$gridplan" recall status --plan "$out" --arrived V0005 --port P06 --confirmed V0769 --crew-ashore V0002 --time 2018-09-15T13:20 | sed -n '1,4p'
echo "== gridplan report --plan $out --staff $out/staff --out $out/report.html (open it in a browser; works offline)"
"$gridplan" report --plan "$out" --staff "$out/staff" --out "$out/report.html"
echo "== gridplan export --plan $out --format gpkg --out $out/export.gpkg (QGIS-ready, R-tree indexed)"
rm -f "$out/export.gpkg"
"$gridplan" export --plan "$out" --format gpkg --out "$out/export.gpkg"
