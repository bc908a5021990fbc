#!/bin/sh
# Installs everything (Debian 12 packages), builds csapcheck and runs every test: the unit and
# integration tests under ctest, then the same suite built with AddressSanitizer + UBSan.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh --test
jobs=$(nproc)

echo "== build and test (RelWithDebInfo) =="
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCSAPCHECK_TESTS=ON -DCSAPCHECK_BENCH=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

if [ "${CSAPCHECK_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== build and test with AddressSanitizer + UndefinedBehaviorSanitizer =="
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCSAPCHECK_SANITIZE=ON -DCSAPCHECK_TESTS=ON -DCSAPCHECK_BENCH=OFF >/dev/null
  cmake --build build-asan -j"$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" -E 'Slow'
fi
