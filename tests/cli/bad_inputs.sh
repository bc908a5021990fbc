#!/bin/sh
# Every kind of bad input gives a one-line error naming the file, and exit code 3.
. "$(dirname "$0")/lib/common.sh" "$@"

: >"$TMP/empty.json"
expect_exit 3 "empty file" -- "$BIN" scan "$TMP/empty.json" --profile iaas-moderate
expect_out "empty.json" "empty file: names the file"

printf '{"format_version":"1.2","resource_changes":[{"address":' >"$TMP/truncated.json"
expect_exit 3 "truncated JSON" -- "$BIN" scan "$TMP/truncated.json" --profile iaas-moderate
expect_out "truncated.json" "truncated JSON: names the file"

printf '{"format_version":"1.2","terraform_version":"1.6.0","resource_changes":"oops"}' >"$TMP/shape.json"
expect_exit 3 "wrong shape" -- "$BIN" scan "$TMP/shape.json" --profile iaas-moderate
expect_out "resource_changes" "wrong shape: names the field"

# UTF-16 with a byte-order mark is transcoded; invalid UTF-16 (a lone surrogate) is refused.
printf '\377\376{\000\000\334}\000' >"$TMP/utf16.json"
expect_exit 3 "UTF-16" -- "$BIN" scan "$TMP/utf16.json" --profile iaas-moderate
expect_out "UTF-16" "UTF-16: says so"

head -c 4096 /dev/urandom >"$TMP/binary.json"
expect_exit 3 "binary file" -- "$BIN" scan "$TMP/binary.json" --profile iaas-moderate

mkdir -p "$TMP/loop/sub" && ln -s .. "$TMP/loop/sub/up"
expect_exit 3 "symlink loop" -- "$BIN" scan "$TMP/loop" --profile iaas-moderate
expect_out "loop" "symlink loop: says so"

expect_exit 3 "missing file" -- "$BIN" scan "$TMP/nope.json" --profile iaas-moderate

mkdir -p "$TMP/badrule"
cat >"$TMP/badrule/r.yaml" <<'YAML'
id: X-BAD-001
title: {en: bad}
severity: low
resource: [aws_s3_bucket]
check: {path: acl, op: looks_like, value: private}
YAML
expect_exit 3 "rule with an unknown operator" -- "$BIN" rules validate "$TMP/badrule"
expect_out "r.yaml:5:" "unknown operator: file and line"

cat >"$TMP/badrule/r.yaml" <<'YAML'
id: X-BAD-002
title: {en: bad}
severity: low
resource: [aws_s3_bucket]
check: {path: bucket, op: matches, value: "([a-z"}
YAML
expect_exit 3 "rule with a bad regex" -- "$BIN" rules validate "$TMP/badrule"
expect_out "bad regular expression" "bad regex: says so"

printf 'id,title_ko,title_en,kind,iaas,saas,daas\n1.1,정책,Policy,procedural,"상,중,하",,\n,제목,Title,technical,상,,\n' >"$TMP/cat.csv"
expect_exit 3 "catalog row with no id" -- "$BIN" catalog import "$TMP/cat.csv" -o "$TMP/cat.yaml"
expect_out "cat.csv.*3" "row with no id: file and line"
[ ! -e "$TMP/cat.yaml" ] || { echo "FAIL: a failed import wrote its output"; failures=$((failures + 1)); }

cat >"$TMP/map.yaml" <<'YAML'
mapping: test
catalog: csap
controls:
  "R1":
    rules: [NO-SUCH-RULE-001]
YAML
expect_exit 3 "mapping naming a rule that does not exist" -- \
  "$BIN" scan "$SRC/examples/demo/plan.json" --profile iaas-moderate --mapping "$TMP/map.yaml"
expect_out "NO-SUCH-RULE-001" "unknown rule in mapping: names it"
expect_out "map.yaml:5" "unknown rule in mapping: file and line"

expect_exit 2 "usage error" -- "$BIN" scan

finish
