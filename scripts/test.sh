#!/bin/sh
# Installs everything (Debian 12 packages), builds csapcheck and runs every test: the unit and
# integration tests under ctest on a Release build (warnings are errors), then the same suite built
# with AddressSanitizer + UBSan. Each phase prints its elapsed time.
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc)
start=$(date +%s)
phase_start=$start
phase() {  # phase NAME: closes the running phase (printing its time) and opens the next
  now=$(date +%s)
  if [ -n "${phase_name:-}" ]; then
    echo "== $phase_name: $((now - phase_start)) s =="
  fi
  phase_name=$1
  phase_start=$now
  [ -n "$phase_name" ] && echo "== $phase_name =="
  return 0
}

phase "install packages"
sh scripts/setup.sh --test

phase "build (Release, warnings are errors)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCSAPCHECK_WERROR=ON -DCSAPCHECK_TESTS=ON -DCSAPCHECK_BENCH=ON >/dev/null
cmake --build build -j"$jobs"
phase "test (Release)"
ctest --test-dir build --output-on-failure -j"$jobs"

if [ "${CSAPCHECK_SKIP_SANITIZERS:-0}" != 1 ]; then
  phase "build with AddressSanitizer + UndefinedBehaviorSanitizer (RelWithDebInfo)"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCSAPCHECK_WERROR=ON -DCSAPCHECK_SANITIZE=ON -DCSAPCHECK_TESTS=ON -DCSAPCHECK_BENCH=OFF >/dev/null
  cmake --build build-asan -j"$jobs"
  phase "test with AddressSanitizer + UndefinedBehaviorSanitizer"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" -E 'Slow'
fi
phase ""
echo "== total: $(($(date +%s) - start)) s =="
