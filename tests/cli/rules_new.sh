#!/bin/sh
# `rules new ID --like OTHER`: a new rule file that loads, never written over an existing one.
. "$(dirname "$0")/lib/common.sh" "$@"

expect_exit 0 "a new rule from a bundled one" -- \
  "$BIN" rules new AWS-NEW-TEST-001 --like AWS-APIGW-TLS-001 -o "$TMP/rules"
expect_out "AWS-NEW-TEST-001.yaml" "names the file written"
checks=$((checks + 1))
[ -f "$TMP/rules/AWS-NEW-TEST-001.yaml" ] || { echo "FAIL: no file written"; failures=$((failures + 1)); }

expect_exit 0 "the new rule validates" -- "$BIN" rules validate "$TMP/rules"
expect_out "^1 rules valid" "one rule in the directory"
expect_exit 0 "the new rule shows" -- "$BIN" rules show AWS-NEW-TEST-001 --rules "$TMP/rules" --lang en
expect_out "TODO" "its title is marked TODO"
expect_out "aws_api_gateway_domain_name" "its resources are kept"
expect_exit 0 "its copied cases still run" -- "$BIN" rules test "$TMP/rules"

cp "$TMP/rules/AWS-NEW-TEST-001.yaml" "$TMP/before.yaml"
expect_exit 3 "an existing file is not overwritten" -- \
  "$BIN" rules new AWS-NEW-TEST-001 --like AWS-APIGW-TLS-001 -o "$TMP/rules"
expect_out "already exists" "says why"
checks=$((checks + 1))
cmp -s "$TMP/before.yaml" "$TMP/rules/AWS-NEW-TEST-001.yaml" || { echo "FAIL: the file changed"; failures=$((failures + 1)); }

expect_exit 0 "beside a user rule by default" -- \
  "$BIN" rules new AWS-NEW-TEST-002 --like AWS-NEW-TEST-001 --rules "$TMP/rules"
checks=$((checks + 1))
[ -f "$TMP/rules/AWS-NEW-TEST-002.yaml" ] || { echo "FAIL: not written beside the user rule"; failures=$((failures + 1)); }
expect_exit 0 "both validate" -- "$BIN" rules validate "$TMP/rules"
expect_out "^2 rules valid" "two rules in the directory"

(cd "$TMP" && "$BIN" rules new AWS-NEW-TEST-003 --like AWS-APIGW-TLS-001 >"$TMP/out" 2>&1)
checks=$((checks + 1))
[ -f "$TMP/AWS-NEW-TEST-003.yaml" ] || { echo "FAIL: outside the source tree: not in the current directory"; failures=$((failures + 1)); }

expect_exit 3 "an unknown rule to start from" -- "$BIN" rules new AWS-NEW-TEST-004 --like NO-SUCH-RULE -o "$TMP/x"
expect_out "NO-SUCH-RULE" "names it"
expect_exit 2 "an id that is a path" -- "$BIN" rules new ../evil --like AWS-APIGW-TLS-001 -o "$TMP/x"

finish
