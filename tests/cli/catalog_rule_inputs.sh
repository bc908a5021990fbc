#!/bin/sh
# Catalogs and rules given on the command line: unknown names, hostile ids and paths, and tables
# that would take unbounded work are input errors (exit 3) that name what is wrong.
. "$(dirname "$0")/lib/common.sh" "$@"

expect_exit 3 "unknown --catalog name" -- \
  "$BIN" scan "$SRC/examples/demo/plan.json" --profile iaas-moderate --catalog no-such-catalog
expect_out "no catalog 'no-such-catalog'" "unknown --catalog: names it"
expect_out "csap" "unknown --catalog: lists the bundled catalogs"

expect_exit 3 "catalog show of an unknown catalog" -- "$BIN" catalog show no-such-catalog

mkdir -p "$TMP/rules"
cat >"$TMP/rules/r.yaml" <<'YAML'
id: ../../x
title: {en: bad}
severity: low
resource: [aws_s3_bucket]
check: {path: acl, op: exists}
YAML
expect_exit 3 "rule id with a path in it" -- "$BIN" rules validate "$TMP/rules"
expect_out "r.yaml:1:.*rule id '../../x' is not valid" "bad rule id: file, line and id"

cat >"$TMP/rules/r.yaml" <<'YAML'
id: X-IDX-001
title: {en: bad}
severity: low
resource: [aws_s3_bucket]
check: {path: "grant[99999999999999999999999]", op: exists}
YAML
expect_exit 3 "rule path with a huge index" -- "$BIN" rules validate "$TMP/rules"
expect_out "r.yaml:5:.*index is too large" "huge index: file, line and reason"

# A chain of parents 20 000 long imports (and loads back) without trouble.
awk 'BEGIN { print "id,parent,title_en,saas"; print "c0,,t,중";
             for (i = 1; i < 20000; i++) printf "c%d,c%d,t,중\n", i, i - 1 }' >"$TMP/chain.csv"
expect_exit 0 "catalog import of a long parent chain" -- \
  "$BIN" catalog import "$TMP/chain.csv" -o "$TMP/chain.yaml"
expect_exit 0 "catalog validate of a long parent chain" -- "$BIN" catalog validate "$TMP/chain.yaml"

finish
