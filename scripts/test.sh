#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install everything the tests
# need, build, and run the whole test suite (CTest).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
scripts/build.sh
cd build
ctest --output-on-failure -j "$(nproc)" --timeout 600
