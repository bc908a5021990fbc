#!/bin/sh
# keygen, scan --sign and verify: a changed value is detected, reformatting is not a change.
. "$(dirname "$0")/lib/common.sh" "$@"
PLAN="$SRC/examples/demo/plan.json"
SCAN="$BIN scan $PLAN --profile iaas-moderate -q --fail-on none"

expect_exit 0 "keygen" -- $BIN keygen -o "$TMP/key"
expect_out "key id [0-9a-f]{16}" "the key id is shown"
expect_no_out "BEGIN" "no key material is printed"
checks=$((checks + 1))
mode=$(stat -c %a "$TMP/key")
if [ "$mode" != 600 ]; then echo "FAIL: private key mode $mode, expected 600"; failures=$((failures + 1)); fi
expect_exit 2 "keygen never overwrites a key" -- $BIN keygen -o "$TMP/key"

expect_exit 0 "scan --sign" -- $SCAN --format json -o "$TMP/r.json" --sign "$TMP/key"
expect_exit 0 "verify an intact report" -- $BIN verify "$TMP/r.json" --key "$TMP/key.pub"
expect_out "verified, signed with key [0-9a-f]{16}" "says it is verified"
expect_exit 2 "--sign without a JSON report file" -- $SCAN --sign "$TMP/key"
expect_out "--sign signs the JSON report" "says what to add"

# Reformatted (indentation, member order, \u escapes): the same meaning, still valid.
python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
json.dump(r, open(sys.argv[2], 'w'), indent=7, sort_keys=True, ensure_ascii=True)" "$TMP/r.json" "$TMP/re.json"
cp "$TMP/r.json.sig" "$TMP/re.json.sig"
expect_exit 0 "a reformatted report still verifies" -- $BIN verify "$TMP/re.json" --key "$TMP/key.pub"

# One value flipped: detected.
python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
f = [f for f in r['findings'] if f['status'] == 'fail'][0]
f['status'] = 'pass'
json.dump(r, open(sys.argv[2], 'w'), indent=2, ensure_ascii=False)" "$TMP/r.json" "$TMP/flip.json"
expect_exit 1 "a flipped finding is detected" -- $BIN verify "$TMP/flip.json" --key "$TMP/key.pub" --signature "$TMP/r.json.sig"
expect_out "NOT VERIFIED: the report was changed" "a clear message"

# Another key does not verify it.
expect_exit 0 "second key" -- $BIN keygen -o "$TMP/other"
expect_exit 1 "the wrong key" -- $BIN verify "$TMP/r.json" --key "$TMP/other.pub"
expect_out "signed with key [0-9a-f]{16}, not with this key" "names the signing key"
expect_exit 3 "a missing signature" -- $BIN verify "$PLAN" --key "$TMP/key.pub" --signature "$TMP/none.sig"
finish
