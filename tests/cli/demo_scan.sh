#!/bin/sh
# The bundled example scans, finds its deliberate failures, and never prints a secret.
. "$(dirname "$0")/lib/common.sh" "$@"
PLAN="$SRC/examples/demo/plan.json"

expect_exit 1 "demo scan fails on purpose" -- "$BIN" scan "$PLAN" --profile iaas-moderate --no-color -q
expect_out "ncloud_access_control_group_rule.web" "ACG rule open to the internet is reported"
expect_out "aws_s3_bucket.export" "bucket outside Korea is reported"
expect_out "ncloud_server.batch" "unencrypted server storage is reported"
expect_out "structur" "the structural-catalog notice is printed"
expect_no_out "Minwon!2026-db-Secret" "the sensitive password never appears"
expect_no_out "$(printf '\033')" "no colour escapes when not on a terminal"

expect_exit 1 "Korean report" -- "$BIN" scan "$PLAN" --profile iaas-moderate --lang ko -q
expect_out "부적합" "Korean verdict words"

expect_exit 1 "JSON report" -- "$BIN" scan "$PLAN" --profile iaas-moderate --format json -o "$TMP/r.json" -q
checks=$((checks + 1))
python3 - "$TMP/r.json" <<'PY' || failures=$((failures + 1))
import json, sys
r = json.load(open(sys.argv[1]))
for k in ("schema", "tool", "catalog", "profile", "inputs", "findings", "controls", "summary"):
    assert k in r, k
assert r["catalog"]["status"] == "structure"
assert r["profile"]["service"] == "iaas" and r["profile"]["tier"] == "moderate"
assert len(r["inputs"][0]["sha256"]) == 64
fails = [f for f in r["findings"] if f["status"] == "fail"]
assert any(f["resource"] == "aws_s3_bucket.export" for f in fails), "export bucket"
assert any(f["resource"] == "aws_security_group.admin" for f in fails), "admin sg"
assert "Minwon!2026" not in open(sys.argv[1]).read()
PY

expect_exit 0 "--fail-on none" -- "$BIN" scan "$PLAN" --profile iaas-moderate --fail-on none -q

finish
