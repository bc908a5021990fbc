#!/bin/sh
# The history store, history, diff and --baseline from the command line.
. "$(dirname "$0")/lib/common.sh" "$@"
P="$TMP/proj"
mkdir -p "$P/v1" "$P/v2"
cp "$SRC/examples/demo/plan.json" "$P/v1/plan.json"
# v2 fixes the ACG rule open to the internet and opens nothing new.
sed 's#"ip_block": "0.0.0.0/0"#"ip_block": "10.0.0.0/8"#' "$SRC/examples/demo/plan.json" >"$P/v2/plan.json"
printf 'system: demo\nprofile: iaas-moderate\nfail-on: none\n' >"$P/.csapcheck.yaml"
DB="$P/.csapcheck/history.db"

expect_exit 0 "first run recorded in the default store" -- $BIN scan "$P/v1" -q --store --format json -o "$TMP/r1.json"
expect_exit 0 "second run" -- $BIN scan "$P/v2" --store --no-color --format json -o "$TMP/r2.json"
expect_out "recorded run 2 in .*\.csapcheck/history\.db" "the run id and the store are named"

cd "$P" || exit 1
expect_exit 0 "history" -- $BIN history
expect_out "^ +1 +[0-9T:Z-]+ +demo +csap +iaas-moderate" "run 1 listed with its system"
expect_out "^ +2 .* 14 +11$" "run 2: 14 failures, 11 failing controls"
expect_exit 0 "history of another system" -- $BIN history --system other
expect_out "no runs recorded for system 'other'" "no runs for another system"

expect_exit 0 "diff previous latest" -- $BIN diff previous latest
expect_out "0 new, 1 fixed, 14 unchanged failure\(s\)" "the counts"
expect_out "critical NCP-ACG-ADMIN-001 +ncloud_access_control_group_rule.web" "the fixed failure"
expect_exit 0 "diff of two JSON reports, as JSON" -- $BIN diff "$TMP/r2.json" "$TMP/r1.json" --format json
checks=$((checks + 1))
python3 - "$TMP/out" <<'PY' || failures=$((failures + 1))
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "csapcheck/diff/v1"
assert [f["rule"] for f in d["new"]] == ["NCP-ACG-ADMIN-001"], d["new"]
assert d["fixed"] == [] and len(d["unchanged"]) == 14
PY
expect_exit 0 "diff of a run and a report agree" -- $BIN diff 1 "$TMP/r2.json"
expect_out "0 new, 1 fixed, 14 unchanged" "store and report fingerprints are the same"
expect_exit 2 "a run that is not one" -- $BIN diff 1 yesterday
expect_out "'yesterday' is not a run" "says what a run is"
expect_exit 3 "a run not in the store" -- $BIN diff 1 99
expect_out "no run 99" "names the missing run"
printf '{"schema": "csapcheck/report/v1",\n  "findings": [ }' >"$TMP/bad.json"
expect_exit 3 "a broken report" -- $BIN diff 1 "$TMP/bad.json"
expect_out "bad.json:2:17: not a JSON report" "file:line:col"

# ---- --baseline ----------------------------------------------------------------------------------------
expect_exit 1 "v1 against the v2 report: the ACG failure is new" -- $BIN scan "$P/v1" --baseline "$TMP/r2.json" --fail-on high
expect_out "1 new failure\(s\) \(1 at or above high\)" "the new failure is counted"
expect_exit 0 "v2 against run 1: nothing new" -- $BIN scan "$P/v2" --baseline 1 --fail-on low
expect_exit 1 "without a baseline the same scan fails" -- $BIN scan "$P/v2" -q --fail-on low
expect_exit 0 "v1 against itself (latest run) " -- $BIN scan "$P/v1" --baseline previous --fail-on info -q

# ---- 8 concurrent scans lose no run -----------------------------------------------------------------
cd "$TMP" || exit 1   # no config here: every system
C="$TMP/concurrent.db"
pids=""
for i in 1 2 3 4 5 6 7 8; do
  $BIN scan "$P/v1" -q --store="$C" --system "s$i" --format json -o "$TMP/c$i.json" >"$TMP/c$i.log" 2>&1 &
  pids="$pids $!"
done
bad=0
for p in $pids; do wait "$p" || bad=$((bad + 1)); done
checks=$((checks + 1))
if [ "$bad" != 0 ]; then echo "FAIL: $bad concurrent scan(s) failed"; cat "$TMP"/c*.log; failures=$((failures + 1)); fi
expect_exit 0 "history of the concurrent store" -- $BIN history --store "$C" --format json
checks=$((checks + 1))
python3 - "$TMP/out" <<'PY' || failures=$((failures + 1))
import json, sys
runs = json.load(open(sys.argv[1]))
assert sorted(r["system"] for r in runs) == ["s%d" % i for i in range(1, 9)], runs
assert all(r["failures"] == 15 for r in runs), runs
PY

# ---- a store from a newer csapcheck -----------------------------------------------------------------
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version = 999'); c.commit()" "$C"
expect_exit 3 "a newer store is refused for writing" -- $BIN scan "$P/v1" -q --store="$C"
expect_out "written by a newer csapcheck \(schema version 999" "the clear message"
expect_exit 3 "and for reading" -- $BIN history --store "$C"
printf 'not sqlite at all, padded %0500d' 0 >"$TMP/junk.db"
expect_exit 3 "not a database" -- $BIN history --store "$TMP/junk.db"
expect_out "not an SQLite database" "says so"
finish
