#!/bin/sh
# Outputs never destroy what the user owns: -o onto a FIFO or a symbolic link writes through it,
# a replaced report keeps its mode, and an output that is one of the inputs is refused.
. "$(dirname "$0")/lib/common.sh" "$@"
PLAN="$SRC/examples/demo/plan.json"
SCAN="$BIN scan $PLAN --profile iaas-moderate --no-color -q --lang en --fail-on none"

# ---- a FIFO stays a FIFO and receives the report -----------------------------------------------
mkfifo "$TMP/fifo"
timeout 60 cat "$TMP/fifo" >"$TMP/from-fifo" &
reader=$!
expect_exit 0 "a report into a FIFO" -- $SCAN --format json -o "$TMP/fifo"
checks=$((checks + 1))
if [ -p "$TMP/fifo" ]; then
  wait $reader
else
  echo "FAIL: the FIFO was replaced by a file"; failures=$((failures + 1))
  kill $reader 2>/dev/null; rm -f "$TMP/fifo"; mkfifo "$TMP/fifo"
fi
checks=$((checks + 1))
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/from-fifo" \
  || { echo "FAIL: the reader of the FIFO did not get the JSON report"; failures=$((failures + 1)); }

# The same for a workbook (written by a library into a temporary file, then copied through).
timeout 60 cat "$TMP/fifo" >"$TMP/from-fifo.xlsx" &
reader=$!
expect_exit 0 "a workbook into a FIFO" -- $SCAN --format xlsx -o "$TMP/fifo"
[ -p "$TMP/fifo" ] && wait $reader || kill $reader 2>/dev/null
checks=$((checks + 1))
[ -p "$TMP/fifo" ] && [ "$(head -c 2 "$TMP/from-fifo.xlsx")" = "PK" ] \
  || { echo "FAIL: the workbook did not go through the FIFO"; failures=$((failures + 1)); }

# ---- a symbolic link stays a link; the file it leads to is replaced ----------------------------------
echo old >"$TMP/real.json"
ln -s real.json "$TMP/link.json"
expect_exit 0 "a report onto a symbolic link" -- $SCAN --format json -o "$TMP/link.json"
checks=$((checks + 1))
[ -L "$TMP/link.json" ] || { echo "FAIL: the symbolic link was replaced by a file"; failures=$((failures + 1)); }
checks=$((checks + 1))
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/real.json" \
  || { echo "FAIL: the file behind the link does not hold the report"; failures=$((failures + 1)); }

# ---- a replaced report keeps its mode ----------------------------------------------------------------
echo old >"$TMP/kept.sarif"
chmod 0640 "$TMP/kept.sarif"
expect_exit 0 "a report over an existing file" -- $SCAN --format sarif -o "$TMP/kept.sarif"
checks=$((checks + 1))
[ "$(stat -c %a "$TMP/kept.sarif")" = 640 ] || { echo "FAIL: mode $(stat -c %a "$TMP/kept.sarif"), expected 640"; failures=$((failures + 1)); }
checks=$((checks + 1))
[ "$(ls "$TMP" | grep -c tmp-)" = 0 ] || { echo "FAIL: a temporary file was left behind"; failures=$((failures + 1)); }

# ---- an output that is an input is refused, whatever the spelling ------------------------------------------
cp "$PLAN" "$TMP/plan.json"
ln -s plan.json "$TMP/plan-link.json"
before=$(sha256sum <"$TMP/plan.json")
SCAN2="$BIN scan $TMP/plan.json --profile iaas-moderate --no-color -q --lang en --fail-on none"
expect_exit 3 "-o onto the plan" -- $SCAN2 --format json -o "$TMP/plan.json"
expect_out "plan.json: the output is also an input" "says which input"
expect_exit 3 "-o onto the plan, spelled differently" -- $SCAN2 --format json -o "$TMP/./plan.json"
expect_exit 3 "-o onto the plan through a link" -- $SCAN2 --format json -o "$TMP/plan-link.json"
mkdir "$TMP/in" && cp "$PLAN" "$TMP/in/plan.json"
expect_exit 3 "-o onto a plan found in a directory" -- "$BIN" scan "$TMP/in" --profile iaas-moderate -q --format csv -o "$TMP/in/plan.json"
checks=$((checks + 1))
cmp -s "$PLAN" "$TMP/in/plan.json" || { echo "FAIL: the plan in the directory was overwritten"; failures=$((failures + 1)); }
checks=$((checks + 1))
[ "$(sha256sum <"$TMP/plan.json")" = "$before" ] || { echo "FAIL: the plan was overwritten"; failures=$((failures + 1)); }
cp "$SRC/examples/demo/attest.yaml" "$TMP/attest.yaml"
expect_exit 3 "-o onto an attestation file" -- $SCAN2 --attest "$TMP/attest.yaml" --format json -o "$TMP/attest.yaml"
checks=$((checks + 1))
cmp -s "$SRC/examples/demo/attest.yaml" "$TMP/attest.yaml" || { echo "FAIL: the attestation file was overwritten"; failures=$((failures + 1)); }

# ---- a directory is refused -------------------------------------------------------------------------
mkdir "$TMP/adir"
expect_exit 3 "-o onto a directory" -- $SCAN --format json -o "$TMP/adir"
expect_out "adir: cannot write the output file: is a directory" "says why"

# ---- standard output -----------------------------------------------------------------------------
expect_exit 0 "-o - is standard output" -- $SCAN --format json -o -
checks=$((checks + 1))
[ ! -e ./- ] || { echo "FAIL: a file named '-' was written"; failures=$((failures + 1)); }
finish
