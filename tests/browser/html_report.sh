#!/bin/sh
# The HTML report in a real browser: Debian's chromium renders the demo scan's report headless; the
# DOM it builds is checked against the JSON report of the same scan (controls, failing rows, one
# chart bar per area, Korean titles, nothing loaded from elsewhere), the pure-CSS filter is checked
# to hide the rows it should, and a screenshot is kept as a test artifact.
# Usage: html_report.sh CSAPCHECK SOURCE_DIR ARTIFACT_DIR   (exit 77 = skipped: no chromium)
set -u
BIN=$1
SRC=$2
ART=$3
PLAN="$SRC/examples/demo/plan.json"

CHROMIUM=""
for c in chromium chromium-browser; do
  if command -v "$c" >/dev/null 2>&1; then CHROMIUM=$(command -v "$c"); break; fi
done
if [ -z "$CHROMIUM" ]; then
  echo "SKIP: chromium is not installed; 'scripts/setup.sh --test' installs it (Debian package chromium)"
  exit 77
fi
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=ko 2>/dev/null)" ]; then
  echo "FAIL: no font with Korean glyphs is installed; 'scripts/setup.sh --test' installs fonts-noto-cjk"
  exit 1
fi
PY=python3
/usr/bin/python3 -c 'import html.parser' 2>/dev/null && PY=/usr/bin/python3

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$ART"
failures=0

# chromium, headless, with everything that could reach the network turned off, and every host name
# resolving to nothing: a page that tried to load anything would fail to.
browse() {
  timeout 180 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
    --disable-default-apps --no-default-browser-check --host-resolver-rules='MAP * ~NOTFOUND' \
    --user-data-dir="$TMP/profile" "$@" 2>>"$TMP/chromium.log"
}

for lang in ko en; do
  "$BIN" scan "$PLAN" --profile iaas-moderate --lang "$lang" -q --no-color \
    --format html -o "$TMP/report-$lang.html" --format json -o "$TMP/report-$lang.json"
  rc=$?
  if [ "$rc" != 1 ]; then
    echo "FAIL: the demo scan exited $rc (expected 1: it fails on purpose)"
    exit 1
  fi
  if ! browse --dump-dom "file://$TMP/report-$lang.html" >"$TMP/dom-$lang.html" || [ ! -s "$TMP/dom-$lang.html" ]; then
    echo "FAIL: chromium did not render the $lang report"; tail -20 "$TMP/chromium.log"
    exit 1
  fi
  echo "== DOM of the $lang report"
  $PY "$SRC/tests/browser/check_dom.py" "$TMP/dom-$lang.html" "$TMP/report-$lang.json" "$lang" || failures=$((failures + 1))
done

# The filter works without JavaScript: with the "fail" radio checked, only failing rows are shown.
# (A probe script is added to a copy of the page to count the rows the browser displays.)
echo "== pure-CSS filter"
sed -e 's/id="vf-all" class="vf" checked>/id="vf-all" class="vf">/' \
    -e 's/id="vf-fail" class="vf">/id="vf-fail" class="vf" checked>/' \
    -e 's|</body>|<script>var n=0,r=document.querySelectorAll("#controls tbody tr");for(var i=0;i<r.length;i++)if(getComputedStyle(r[i]).display!=="none")n++;document.documentElement.setAttribute("data-visible-rows",n);</script></body>|' \
    "$TMP/report-ko.html" >"$TMP/filtered.html"
browse --dump-dom "file://$TMP/filtered.html" >"$TMP/filtered-dom.html"
visible=$(sed -n 's/.*data-visible-rows="\([0-9]*\)".*/\1/p' "$TMP/filtered-dom.html" | head -1)
fails=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["controls"]["fail"])' "$TMP/report-ko.json")
if [ -n "$visible" ] && [ "$visible" = "$fails" ]; then
  echo "ok   the fail filter shows $visible rows, the failing controls"
else
  echo "FAIL the fail filter shows '${visible}' rows; $fails controls fail"
  failures=$((failures + 1))
fi

# The screenshot: the header, summary gauge and readiness chart are in the first 2000 pixels.
echo "== screenshot"
rm -f "$ART/report.png"
browse --hide-scrollbars --window-size=1280,2000 --screenshot="$ART/report.png" "file://$TMP/report-ko.html" >/dev/null
size=$(wc -c <"$ART/report.png" 2>/dev/null || echo 0)
if [ "$size" -gt 20000 ] && [ "$(head -c 8 "$ART/report.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; then
  echo "ok   screenshot: $ART/report.png ($size bytes)"
else
  echo "FAIL no usable screenshot at $ART/report.png ($size bytes)"; tail -20 "$TMP/chromium.log"
  failures=$((failures + 1))
fi
# Printing: the print stylesheet gives A4 pages (what "Save as PDF" in a browser makes).
echo "== print to PDF"
rm -f "$ART/report.pdf"
browse --no-pdf-header-footer --print-to-pdf="$ART/report.pdf" "file://$TMP/report-ko.html" >/dev/null
if [ "$(head -c 5 "$ART/report.pdf" 2>/dev/null)" = "%PDF-" ]; then
  pages=$(grep -ac '/Type /Page$\|/Type /Page[^s]' "$ART/report.pdf" || true)
  echo "ok   printed to $ART/report.pdf ($pages pages)"
else
  echo "FAIL chromium did not print the report to PDF"; failures=$((failures + 1))
fi
cp "$TMP/report-ko.html" "$ART/report.html"
echo "artifacts: $ART/report.png $ART/report.pdf $ART/report.html"

[ "$failures" = 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "all browser checks passed"
