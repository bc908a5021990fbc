#!/usr/bin/env python3
"""Checks the DOM of the HTML report as a browser built it (chromium --dump-dom) against the JSON
report of the same scan: one table row per control, the failing rows counted, one chart bar per area,
Korean titles, and nothing that would load from elsewhere.
Usage: check_dom.py DOM.html REPORT.json LANG"""
import json
import sys
from html.parser import HTMLParser


class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.rows = []          # (id, data-verdict) of rows in the control table's body
        self.areas = []         # data-area of the chart's bar groups
        self.lang = None
        self.text = {"h1": "", "h2": []}
        self.external = []      # src/href attributes that point elsewhere
        self.in_controls = False
        self.capture = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "section" and a.get("id") == "controls":
            self.in_controls = True
        if tag == "tr" and self.in_controls and "data-verdict" in a:
            self.rows.append((a.get("id", ""), a["data-verdict"]))
        if tag == "g" and a.get("class") == "area":
            self.areas.append(a.get("data-area"))
        for k in ("src", "href", "action", "poster", "data"):
            v = a.get(k)
            if v and not v.startswith("#"):
                self.external.append(f"<{tag} {k}={v}>")
        if tag in ("h1", "h2"):
            self.capture = tag
            if tag == "h2":
                self.text["h2"].append("")
        if tag not in ("br", "input", "meta", "col", "img", "link", "path", "rect"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "section":
            self.in_controls = False
        if tag == self.capture:
            self.capture = None
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        if self.capture == "h1":
            self.text["h1"] += data
        elif self.capture == "h2":
            self.text["h2"][-1] += data


def anchor(prefix, control_id):
    """The fragment id the report gives a control (letters, digits, '-', '_', '.'; the rest hex)."""
    out = prefix
    for b in control_id.encode("utf-8"):
        c = chr(b)
        out += c if (c.isascii() and c.isalnum()) or c in "-_." else "_%02x" % b
    return out


def main():
    dom_file, json_file, lang = sys.argv[1:4]
    d = Dom()
    d.feed(open(dom_file, encoding="utf-8").read())
    r = json.load(open(json_file, encoding="utf-8"))
    failures = []

    def check(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    controls = r["controls"]
    fails = r["summary"]["controls"]["fail"]
    check(d.lang == lang, f"<html lang> is {lang} (got {d.lang})")
    check(len(d.rows) == len(controls), f"one table row per control: {len(d.rows)} rows, {len(controls)} controls")
    n_fail = sum(1 for _, v in d.rows if v == "fail")
    check(n_fail == fails, f'rows with data-verdict="fail": {n_fail}, JSON summary: {fails}')
    for verdict, n in r["summary"]["controls"].items():
        got = sum(1 for _, v in d.rows if v == verdict)
        check(got == n, f"{verdict}: {got} rows, JSON {n}")
    ids = {row_id for row_id, _ in d.rows}
    missing = [c["id"] for c in controls if anchor("c-", c["id"]) not in ids]
    check(not missing, f"every control of the JSON report has its row (missing: {missing[:5]})")
    check(d.areas == [a["id"] for a in r["areas"]], f"one chart bar per area, in order ({len(d.areas)})")
    check(not d.external, f"nothing loaded from elsewhere ({d.external[:3]})")
    if lang == "ko":
        check(d.text["h1"].strip() == "보안인증 준비도 보고서", f"Korean title: {d.text['h1'].strip()!r}")
        for h in ("요약", "분야별 준비도", "통제 항목별 점검결과"):
            check(any(x.strip() == h for x in d.text["h2"]), f"Korean heading {h}")
    else:
        check(d.text["h1"].strip() == "Certification readiness report", f"English title: {d.text['h1'].strip()!r}")
        check(any(x.strip() == "Readiness by area" for x in d.text["h2"]), "English heading Readiness by area")
    if failures:
        print(f"{len(failures)} DOM check(s) failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
