#!/bin/sh
# The auditor's formats from the demo scan in one run (README's main command with three --format):
# XLSX read back with openpyxl, the CSV checklist, the HTML page; Korean by default, English with
# --lang en; never a sensitive value.
. "$(dirname "$0")/lib/common.sh" "$@"
PLAN="$SRC/examples/demo/plan.json"
PY=python3
/usr/bin/python3 -c 'import openpyxl' 2>/dev/null && PY=/usr/bin/python3

expect_exit 1 "xlsx, html and csv in one scan" -- "$BIN" scan "$PLAN" --profile iaas-moderate --lang ko -q \
  --format xlsx -o "$TMP/r.xlsx" --format html -o "$TMP/r.html" --format csv -o "$TMP/r.csv" \
  --format csv-findings -o "$TMP/f.csv" --format json -o "$TMP/r.json"

checks=$((checks + 1))
$PY - "$TMP" <<'PY' || failures=$((failures + 1))
import csv, io, json, sys
d = sys.argv[1]
r = json.load(open(f"{d}/r.json"))
raw = open(f"{d}/r.csv", "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "BOM"
assert b"\r\n" in raw
rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
assert rows[0] == ["분야", "항목", "통제번호", "통제항목", "점검결과", "근거·증적", "담당", "비고"], rows[0]
n = len(r["controls"])
table = rows[1:n + 1]
assert [x[2] for x in table] == [c["id"] for c in r["controls"]], "one row per control, catalog order"
words = {"pass": "적합", "fail": "부적합", "unknown": "확인 불가", "manual": "수동 확인 필요",
         "waived": "예외 승인", "not-applicable": "해당 없음"}
for row, c in zip(table, r["controls"]):
    assert row[4] == words[c["verdict"]], (row[2], row[4], c["verdict"])
meta = {x[0]: x[1] for x in rows[n + 2:] if len(x) >= 2}
assert r["inputs"][0]["sha256"] in meta["# 입력"], meta
assert meta["# 도구"].startswith("csapcheck "), meta
assert "# 알림" in meta, "structural notice"
s3 = [x for x in table if "aws_s3_bucket.export" in x[5]]
assert s3, "the export bucket's failure is in the evidence column"
f = list(csv.reader(io.StringIO(open(f"{d}/f.csv", encoding="utf-8-sig", newline="").read())))
assert f[0][0] == "규칙" and len(f[0]) == 11, f[0]
non_pass = sum(1 for x in r["findings"] if x["status"] != "pass")
assert len([x for x in f[1:] if len(x) == 11]) == non_pass
try:
    import openpyxl
except ImportError:
    print("python3-openpyxl missing: the workbook is not read back"); sys.exit(0)
wb = openpyxl.load_workbook(f"{d}/r.xlsx")
assert wb.sheetnames == ["점검표", "발견사항", "예외·증적", "분야별 현황"], wb.sheetnames
ws = wb["점검표"]
head = next(i for i, row in enumerate(ws.iter_rows(values_only=True), 1) if row[0] == "분야")
assert ws.freeze_panes == f"A{head + 1}", ws.freeze_panes
assert ws.auto_filter.ref == f"A{head}:H{head + n}", ws.auto_filter.ref
ids = [ws.cell(row=head + 1 + i, column=3).value for i in range(n)]
assert ids == [c["id"] for c in r["controls"]]
PY

for f in r.xlsx r.html r.csv f.csv; do
  checks=$((checks + 1))
  if [ "$f" = r.xlsx ]; then
    (cd "$TMP" && mkdir -p x && cd x && $PY -c 'import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall(".")' ../r.xlsx)
    hay="$TMP/x"
  else
    hay="$TMP/$f"
  fi
  if grep -rq "Minwon!2026" "$hay"; then
    echo "FAIL: the sensitive password appears in $f"; failures=$((failures + 1))
  fi
done

expect_exit 1 "English checklist with --lang en" -- "$BIN" scan "$PLAN" --profile iaas-moderate --lang en -q \
  --format csv -o "$TMP/en.csv" --format html -o "$TMP/en.html"
checks=$((checks + 1))
head -c 200 "$TMP/en.csv" | grep -q "Area,Item,Control ID,Control,Result,Basis and evidence,Owner,Remarks" ||
  { echo "FAIL: English CSV header"; failures=$((failures + 1)); }
checks=$((checks + 1))
grep -q '<html lang="en">' "$TMP/en.html" || { echo "FAIL: English HTML"; failures=$((failures + 1)); }

expect_exit 1 "--output-dir names the files by format" -- "$BIN" scan "$PLAN" --profile iaas-moderate -q \
  --format xlsx --format html --format csv --output-dir "$TMP/outdir"
checks=$((checks + 1))
[ -s "$TMP/outdir/csapcheck-report.xlsx" ] && [ -s "$TMP/outdir/csapcheck-report.html" ] && [ -s "$TMP/outdir/csapcheck-report.csv" ] ||
  { echo "FAIL: --output-dir files"; ls "$TMP/outdir"; failures=$((failures + 1)); }

expect_exit 1 "xlsx to standard output" -- sh -c "\"$BIN\" scan \"$PLAN\" --profile iaas-moderate -q --format xlsx -o - > \"$TMP/stdout.xlsx\""
checks=$((checks + 1))
[ "$(head -c 2 "$TMP/stdout.xlsx")" = "PK" ] || { echo "FAIL: the workbook on standard output is not a zip"; failures=$((failures + 1)); }

finish
