#!/bin/sh
# One error layout ("csapcheck: message") and the exit codes of the README for usage errors,
# unwritable report targets and standard output that cannot be written.
. "$(dirname "$0")/lib/common.sh" "$@"
PLAN="$SRC/examples/demo/plan.json"

expect_exit 2 "unknown option" -- "$BIN" scan "$PLAN" --profile iaas-moderate --no-such-option
expect_out "^csapcheck: .*no-such-option" "unknown option: one line in the tool's layout"

expect_exit 2 "missing required argument" -- "$BIN" rules show
expect_out "^csapcheck: " "missing argument: the tool's layout"

expect_exit 2 "no command" -- "$BIN"
expect_out "^csapcheck: " "no command: the tool's layout"

expect_exit 0 "help still prints" -- "$BIN" scan --help
expect_out "--output-dir" "help lists the options"

# Every command of the table has its help, and the top-level help lists every group.
expect_exit 0 "top-level help" -- "$BIN" --help
for c in scan init evidence roadmap catalog rules; do expect_out "^  $c " "top-level help lists $c"; done
for c in "evidence lock" "evidence verify" "catalog list" "catalog show" "catalog gap" \
  "catalog import" "catalog validate" "rules list" "rules show" "rules new" "rules test" \
  "rules validate" "rules coverage" "rules docs"; do
  # shellcheck disable=SC2086
  expect_exit 0 "help of $c" -- "$BIN" $c --help && expect_out "^Usage: .*$c" "usage line of $c"
done

: >"$TMP/file"
expect_exit 3 "--output-dir under a regular file" -- \
  "$BIN" scan "$PLAN" --profile iaas-moderate -q --format json --output-dir "$TMP/file/sub"
expect_out "^csapcheck: .*file/sub" "bad --output-dir: names the directory"
expect_no_out "internal error" "bad --output-dir: not an internal error"

expect_exit 3 "-o under a regular file" -- \
  "$BIN" scan "$PLAN" --profile iaas-moderate -q --format json -o "$TMP/file/r.json"

cat >"$TMP/bad-attest.yaml" <<'YAML'
attestations:
  - control: NO-SUCH-CONTROL
    status: met
  - control: ALSO-MISSING
    status: met
YAML
expect_exit 3 "every attestation problem, then one summary" -- \
  "$BIN" scan "$PLAN" --profile iaas-moderate -q --attest "$TMP/bad-attest.yaml"
expect_out "^csapcheck: .*bad-attest.yaml:2:" "first problem with file and line"
expect_out "^csapcheck: .*bad-attest.yaml:4:" "second problem with file and line"
expect_out "^csapcheck: [0-9]+ problem\(s\)" "the summary line"

if [ -w /dev/full ]; then
  checks=$((checks + 1))
  "$BIN" scan "$PLAN" --profile iaas-moderate -q --fail-on none >/dev/full 2>"$TMP/err"
  rc=$?
  if [ "$rc" != 3 ] || ! grep -q "^csapcheck: .*standard output" "$TMP/err"; then
    echo "FAIL: scan to a full standard output: exit $rc, expected 3 with a message"
    sed 's/^/    /' "$TMP/err"
    failures=$((failures + 1))
  fi
  checks=$((checks + 1))
  "$BIN" rules list >/dev/full 2>"$TMP/err"
  rc=$?
  if [ "$rc" != 3 ]; then
    echo "FAIL: rules list to a full standard output: exit $rc, expected 3"
    failures=$((failures + 1))
  fi
else
  echo "SKIP: /dev/full is absent"
  passed=$((checks - failures))
  echo "$passed passed, $failures failed"
  [ "$failures" = 0 ] || exit 1
  exit 77
fi

finish
