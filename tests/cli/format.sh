#!/bin/sh
# Every C++ source is formatted with clang-format (.clang-format at the top of the tree).
. "$(dirname "$0")/lib/common.sh" "$@"
if ! command -v clang-format >/dev/null 2>&1; then
  echo "clang-format is not installed (scripts/setup.sh --test installs it): format check skipped"
  exit 77
fi
cd "$SRC" || exit 1
checks=$((checks + 1))
files=$(ls src/*/*.cpp src/*/*.h bench/*.cpp bench/*.h tests/*.cpp tests/*.h 2>/dev/null)
if ! clang-format --dry-run --Werror $files >"$TMP/out" 2>&1; then
  echo "FAIL: these files need clang-format:"
  grep -o '^[^:]*:' "$TMP/out" | sort -u | sed 's/^/    /'
  failures=$((failures + 1))
fi
finish
