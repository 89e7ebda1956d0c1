#!/usr/bin/env bash
# Builds GridPlan and its tests, failing on any compiler warning in our own sources.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
# Every module a target imports must be one it declares (the layer rules in Package.swift): an
# undeclared import is an error, not something SwiftPM lets through and then fails to rebuild.
if ! swift build --build-tests --explicit-target-dependency-import-check error >"$log" 2>&1; then
    cat "$log" >&2
    exit 1
fi
if grep -E "/(Sources|Tests)/.*: warning:" "$log" >&2; then
    echo "build.sh: the build has warnings (listed above); GridPlan builds with none" >&2
    exit 1
fi
rm -f "$log"
