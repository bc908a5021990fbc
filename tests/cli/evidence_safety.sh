#!/bin/sh
# init and evidence lock never destroy what people wrote: init only adds (byte-order mark, CRLF,
# flow style kept) or refuses and leaves the file as it is; lock reports an unreadable evidence
# file as unreadable, never writes over the attestation file, and its lock file always loads back.
. "$(dirname "$0")/lib/common.sh" "$@"
INIT="$BIN init --profile iaas-moderate"

# ---- init keeps every byte ------------------------------------------------------------------------
printf '\357\273\277# 우리 메모\r\nattestations:\r\n  - control: "1.1"\r\n    status: implemented\r\n' >"$TMP/bom.yaml"
cp "$TMP/bom.yaml" "$TMP/bom.before"
expect_exit 0 "init on a file with a byte-order mark and CRLF" -- $INIT -o "$TMP/bom.yaml"
expect_out "added [0-9]+ control" "entries are added"
checks=$((checks + 1))
python3 - "$TMP/bom.before" "$TMP/bom.yaml" <<'PY' || { echo "FAIL: bytes were changed"; failures=$((failures + 1)); }
import sys
a = open(sys.argv[1], "rb").read()
b = open(sys.argv[2], "rb").read()
p = 0
while p < len(a) and a[p] == b[p]:
    p += 1
assert b[p + len(b) - len(a):] == a[p:], "not a single insertion"
assert b.startswith(b"\xef\xbb\xbf"), "the byte-order mark was dropped"
assert b.count(b"\n") == b.count(b"\r\n"), "a line break without CR was added"
PY
expect_exit 1 "the completed file loads" -- "$BIN" scan "$SRC/examples/demo/plan.json" --profile iaas-moderate -q --attest "$TMP/bom.yaml"

printf '{attestations: [{control: "1.1", status: implemented}]}\n' >"$TMP/flow.yaml"
expect_exit 0 "init on a flow document" -- $INIT -o "$TMP/flow.yaml"
expect_exit 1 "the flow document loads" -- "$BIN" scan "$SRC/examples/demo/plan.json" --profile iaas-moderate -q --attest "$TMP/flow.yaml"

printf '# ours\rattestations:\r  - control: "1.1"\r    status: implemented\r' >"$TMP/cr.yaml"
expect_exit 0 "init on a file with CR line ends" -- $INIT -o "$TMP/cr.yaml"
expect_exit 1 "the CR file loads" -- "$BIN" scan "$SRC/examples/demo/plan.json" --profile iaas-moderate -q --attest "$TMP/cr.yaml"

# ---- where it cannot add safely, it refuses and changes nothing ------------------------------------------
printf 'attestations: null   # later\n' >"$TMP/null.yaml"
cp "$TMP/null.yaml" "$TMP/null.before"
expect_exit 3 "init refuses a file it cannot add to" -- $INIT -o "$TMP/null.yaml"
expect_out "null.yaml:1:15: csapcheck init cannot add to this file safely" "says where and why"
checks=$((checks + 1))
cmp -s "$TMP/null.yaml" "$TMP/null.before" || { echo "FAIL: the refused file was changed"; failures=$((failures + 1)); }

# ---- evidence lock -----------------------------------------------------------------------------------
mkdir -p "$TMP/ev/evidence"
echo policy >"$TMP/ev/evidence/policy.md"
mkfifo "$TMP/ev/evidence/pipe.md"
printf 'attestations:\n  - {control: "1.1", status: implemented, evidence: [evidence/policy.md, evidence/pipe.md]}\n' >"$TMP/ev/a.yaml"
expect_exit 3 "lock with an unreadable evidence file" -- "$BIN" evidence lock --attest "$TMP/ev/a.yaml"
expect_out "evidence file unreadable: evidence/pipe.md \(not a regular file\)" "unreadable, not missing"
expect_no_out "evidence file missing" "not called missing"
rm "$TMP/ev/evidence/pipe.md"

# Names that need quoting in YAML.
for n in 'say "hi".md' 'a: b.md' '# hash.md' '  lead.md'; do echo "$n" >"$TMP/ev/evidence/$n"; done
echo nl >"$TMP/ev/evidence/$(printf 'line\nbreak.md')"
cat >"$TMP/ev/q.yaml" <<'EOF2'
attestations:
  - control: "1.1"
    status: implemented
    evidence: ['evidence/say "hi".md', 'evidence/a: b.md', 'evidence/# hash.md', 'evidence/  lead.md', "evidence/line\nbreak.md"]
EOF2
expect_exit 0 "lock file names that need quoting" -- "$BIN" evidence lock --attest "$TMP/ev/q.yaml"
expect_exit 0 "the lock file loads back" -- "$BIN" evidence verify --attest "$TMP/ev/q.yaml"
expect_out "5 evidence file\(s\) match the lock, 0 do not" "every file matches"

cp "$TMP/ev/q.yaml" "$TMP/ev/q.before"
expect_exit 3 "lock -o onto the attestation file" -- "$BIN" evidence lock --attest "$TMP/ev/q.yaml" -o "$TMP/ev/q.yaml"
expect_out "the output is also an input" "says why"
checks=$((checks + 1))
cmp -s "$TMP/ev/q.yaml" "$TMP/ev/q.before" || { echo "FAIL: the attestation file was overwritten"; failures=$((failures + 1)); }
finish
