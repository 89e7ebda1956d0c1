#!/usr/bin/env bash
# The test command: checks that the repository refers to nothing outside itself, builds
# everything with no warnings allowed and every import declared and downward (build.sh runs
# check_layers.py), then runs every test (Swift Testing).
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v python3 >/dev/null; then
    python3 notebooks-free-scripts/check_self_contained.py
else
    echo "test.sh: python3 is missing, so the self-containment check is skipped (setup.sh installs it)" >&2
fi
bash notebooks-free-scripts/build.sh
swift test --skip-build "$@"
