#!/usr/bin/env bash
# The test command: builds everything with no warnings allowed, then runs every test
# (Swift Testing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash notebooks-free-scripts/build.sh
swift test --skip-build "$@"
