#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install what is needed, build,
# and run virtkit's main job: the built-in test:///default driver, then a
# tiny Linux guest under QEMU served by a private session libvirtd.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
scripts/main-job.sh
