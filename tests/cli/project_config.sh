#!/bin/sh
# The project config: .csapcheck.yaml found from the scanned directory, overridden by options.
. "$(dirname "$0")/lib/common.sh" "$@"
P="$TMP/proj"
mkdir -p "$P/infra/prod"
cp "$SRC/examples/demo/plan.json" "$P/infra/prod/plan.json"
cat >"$P/.csapcheck.yaml" <<'YAML'
system: demo
profile: iaas-moderate
formats: [json, console]
outputs: [reports/r.json, '-']
fail-on: none
YAML

# ---- a scan needs nothing but the directory ----------------------------------------------------------
expect_exit 0 "scan with the config found two directories up" -- $BIN scan "$P/infra/prod" -q --no-color --lang en
expect_out "Readiness|readiness" "the console report is printed"
checks=$((checks + 1))
python3 - "$P/reports/r.json" <<'PY' || failures=$((failures + 1))
import json, sys
r = json.load(open(sys.argv[1]))
assert r["profile"]["id"] == "iaas-moderate", r["profile"]
PY

# ---- the command line wins ---------------------------------------------------------------------------
expect_exit 1 "--fail-on on the command line overrides fail-on: none" -- $BIN scan "$P/infra/prod" -q --no-color --fail-on high
expect_exit 0 "config show" -- $BIN config show "$P/infra/prod" --fail-on low --profile saas-low
expect_out "^profile +saas-low +\(command line\)" "the profile from the command line"
expect_out "^fail-on +low +\(command line\)" "fail-on from the command line"
expect_out "^system +demo +\(.*\.csapcheck\.yaml:1:1\)" "the system from the config, with its position"
expect_out "^outputs +$P/reports/r.json, -" "outputs are relative to the config file"
expect_out "^catalog +csap +\(default\)" "the default catalog"

# ---- --config FILE -----------------------------------------------------------------------------------
printf 'profile: saas-high\n' >"$TMP/other.yaml"
expect_exit 0 "config show --config" -- $BIN config show "$P/infra/prod" --config "$TMP/other.yaml"
expect_out "^profile +saas-high +\(.*other\.yaml:1:1\)" "the explicit config replaces the found one"
expect_exit 2 "a missing --config file" -- $BIN scan "$P/infra/prod" --config "$TMP/none.yaml"
expect_out "none.yaml: no such config file" "says which file is missing"

# ---- bad configs -------------------------------------------------------------------------------------
printf 'profile: iaas-low\nfailon: high\n' >"$TMP/bad.yaml"
expect_exit 3 "an unknown key" -- $BIN scan "$P/infra/prod" --config "$TMP/bad.yaml"
expect_out "bad.yaml:2:1: unknown key 'failon'" "the unknown key at file:line:col"
printf 'formats: [json, pdf]\n' >"$TMP/fmt.yaml"
expect_exit 2 "an unknown format in the config" -- $BIN scan "$P/infra/prod" --config "$TMP/fmt.yaml" --profile iaas-low
expect_out "fmt.yaml:1:1: unknown report format 'pdf'" "the format and where it was set"
printf 'profile: [a, b]\n' >"$TMP/list.yaml"
expect_exit 3 "a list where one value goes" -- $BIN config show --config "$TMP/list.yaml"
expect_out "list.yaml:1:10: 'profile' takes one value" "the position of the list"
finish
