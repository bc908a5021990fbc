#!/bin/sh
# Installs what csapcheck needs (Debian 12 packages), builds it, and scans the bundled example
# deployment (examples/demo: Naver Cloud on the gov site + AWS, with a few deliberate failures).
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCSAPCHECK_WERROR=ON -DCSAPCHECK_TESTS=OFF -DCSAPCHECK_BENCH=OFF >/dev/null
cmake --build build -j"$(nproc)" --target csapcheck
echo
echo "== csapcheck scan examples/demo/plan.json --profile iaas-moderate =="
echo
status=0
./build/csapcheck scan examples/demo/plan.json --profile iaas-moderate "$@" || status=$?
echo
case $status in
  0) echo "exit code 0: nothing fails at or above --fail-on (high)";;
  1) echo "exit code 1: the deployment has failures at or above --fail-on (high) — the demo plan has some on purpose";;
  *) echo "exit code $status: see the message above"; exit "$status";;
esac
