# Shared helpers for the command-line tests: sourced by each tests/cli/*.sh.
# Usage in a test: . "$(dirname "$0")/lib/common.sh" "$@"
set -u
BIN=$1
SRC=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
checks=0

# expect_exit CODE DESCRIPTION -- COMMAND...   (stdout+stderr kept in $TMP/out)
expect_exit() {
  want=$1; desc=$2; shift 3
  checks=$((checks + 1))
  "$@" >"$TMP/out" 2>&1
  got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL: $desc: exit $got, expected $want"; sed 's/^/    /' "$TMP/out" | head -20
    failures=$((failures + 1))
    return 1
  fi
  return 0
}

# expect_out PATTERN DESCRIPTION : the last command's output matches the extended regex
expect_out() {
  checks=$((checks + 1))
  if ! grep -Eq -- "$1" "$TMP/out"; then
    echo "FAIL: $2: output does not match /$1/"; sed 's/^/    /' "$TMP/out" | head -20
    failures=$((failures + 1))
  fi
}

# expect_no_out PATTERN DESCRIPTION
expect_no_out() {
  checks=$((checks + 1))
  if grep -Eq -- "$1" "$TMP/out"; then
    echo "FAIL: $2: output matches /$1/"; grep -E -- "$1" "$TMP/out" | head -5 | sed 's/^/    /'
    failures=$((failures + 1))
  fi
}

finish() {
  passed=$((checks - failures))
  echo "$passed passed, $failures failed"
  [ "$failures" = 0 ]
  exit $?
}
