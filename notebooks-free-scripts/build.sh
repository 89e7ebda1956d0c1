#!/usr/bin/env bash
# Builds GridPlan and its tests, failing on any compiler warning in our own sources.
set -euo pipefail
cd "$(dirname "$0")/.."
# Every module a target imports must be one it declares, in a lower layer. SwiftPM's check
# below lets a transitive dependency through, so check_layers.py reads the imports itself.
# Sources are as swift-format (.swift-format) leaves them, with no line over 120 characters.
if command -v python3 >/dev/null; then
    python3 notebooks-free-scripts/check_layers.py
    python3 notebooks-free-scripts/check_format.py
else
    echo "build.sh: python3 is missing, so the layer and format checks are skipped (setup.sh installs it)" >&2
fi
log=$(mktemp)
# SwiftPM's own import check as well: an import of a module that is not even a transitive
# dependency is an error, not something SwiftPM lets through and then fails to rebuild.
if ! swift build --build-tests --explicit-target-dependency-import-check error >"$log" 2>&1; then
    cat "$log" >&2
    exit 1
fi
if grep -E "/(Sources|Tests)/.*: warning:" "$log" >&2; then
    echo "build.sh: the build has warnings (listed above); GridPlan builds with none" >&2
    exit 1
fi
rm -f "$log"
