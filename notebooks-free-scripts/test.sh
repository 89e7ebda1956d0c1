#!/usr/bin/env bash
# The test command: checks that the repository refers to nothing outside itself and that every
# module imports only declared, lower layers (check_layers.py), builds
# everything with no warnings allowed, then runs every test (Swift Testing).
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v python3 >/dev/null; then
    python3 notebooks-free-scripts/check_self_contained.py
    python3 notebooks-free-scripts/check_layers.py
else
    echo "test.sh: python3 is missing, so the self-containment and layer checks are skipped (setup.sh installs it)" >&2
fi
bash notebooks-free-scripts/build.sh
swift test --skip-build "$@"
