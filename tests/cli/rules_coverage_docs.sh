#!/bin/sh
# `rules coverage`, `rules docs` and `rules list --format json`.
. "$(dirname "$0")/lib/common.sh" "$@"

expect_exit 0 "coverage of every bundled catalog" -- "$BIN" rules coverage --lang en
expect_out "^csap " "coverage: the csap catalog"
expect_out "^isms-p " "coverage: the isms-p catalog"
expect_out "iaas-high" "coverage: a csap profile"
expect_out "automated +partly +manual +assessed" "coverage: the column headings"
expect_out "^  total " "coverage: a total line"

expect_exit 0 "coverage in Korean" -- "$BIN" rules coverage --catalog csap --profile iaas-high --lang ko
expect_out "영역 +자동 +부분 자동 +수동 +평가 대상" "coverage ko: headings"
expect_out "합계" "coverage ko: total"
expect_no_out "iaas-moderate" "coverage: one profile only"

expect_exit 0 "coverage as JSON" -- "$BIN" rules coverage --catalog csap --catalog isms-p --format json
expect_out '"schema": "csapcheck/coverage/v1"' "coverage json: schema"
expect_out '"partial":' "coverage json: partial counts"

expect_exit 2 "coverage: unknown profile" -- "$BIN" rules coverage --catalog csap --profile nope
expect_exit 3 "coverage: unknown catalog" -- "$BIN" rules coverage --catalog no-such-catalog
expect_out "no catalog 'no-such-catalog'" "coverage: unknown catalog: names it"

expect_exit 0 "rules list as JSON" -- "$BIN" rules list --format json
expect_out '"id": "AWS-S3-ENC-001"' "list json: ids"
expect_out '"resource_types": \[' "list json: resource types"
expect_out '"csap": \[' "list json: controls per catalog"
expect_out '"severity": "(critical|high|medium|low|info)"' "list json: severity"

expect_exit 0 "rules docs" -- "$BIN" rules docs -o "$TMP/docs"
expect_out "wrote [0-9]+ pages" "docs: says how many pages"
checks=$((checks + 1))
if [ ! -f "$TMP/docs/README.md" ] || [ ! -f "$TMP/docs/AWS-S3-ENC-001.md" ]; then
  echo "FAIL: docs: index and rule pages written"; failures=$((failures + 1))
fi
checks=$((checks + 1))
if ! diff -r "$TMP/docs" "$SRC/docs/rules" >/dev/null; then
  echo "FAIL: docs/rules is stale: run \`csapcheck rules docs -o docs/rules\`"; failures=$((failures + 1))
fi

finish
