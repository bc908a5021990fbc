#!/usr/bin/env python3
"""Validates a csapcheck report against its official schema.

Usage: validate_report.py sarif|oscal|junit REPORT SCHEMA_DIR
  sarif: SCHEMA_DIR/sarif-schema-2.1.0.json (JSON Schema draft-04)
  oscal: SCHEMA_DIR/oscal_assessment-results_schema.json (draft-07)
  junit: SCHEMA_DIR/JUnit.xsd (xmllint from libxml2-utils, else python3-lxml)
Exit status: 0 valid, 1 invalid, 77 when the validator it needs is not installed (the caller skips).
"""
import json
import os
import re
import shutil
import subprocess
import sys

SKIP = 77


def validate_json(report, schema_path):
    try:
        import jsonschema
        from jsonschema import validators
    except ImportError:
        print("python3 jsonschema is not installed (Debian: python3-jsonschema)")
        return SKIP
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    with open(report, encoding="utf-8") as f:
        doc = json.load(f)
    # The validator of the draft the schema declares ($schema).
    base = validators.validator_for(schema)

    # OSCAL's patterns use \p{L} and \p{N}, which Python's re does not know: use the regex module
    # when present, else translate them to the equivalent re classes.
    try:
        import regex as re_impl

        def compile_pattern(p):
            return re_impl.compile(p)
    except ImportError:
        re_impl = None

        def compile_pattern(p):
            p = p.replace(r"\p{L}", r"[^\W\d_]").replace(r"\p{N}", r"\d")
            return re.compile(p)

    # Formats are checked too; "regex" with the same pattern support as above.
    formats = jsonschema.FormatChecker()

    def is_regex(instance):
        if isinstance(instance, str):
            compile_pattern(instance)
        return True

    formats.checkers["regex"] = (is_regex, (Exception,))

    # The schema itself must be valid under its draft's metaschema.
    meta = validators.validator_for(base.META_SCHEMA)(base.META_SCHEMA, format_checker=formats)
    meta_errors = list(meta.iter_errors(schema))
    for e in meta_errors[:5]:
        print("schema:", e.message[:300])
    if meta_errors:
        return 1

    cache = {}

    def pattern(validator, patrn, instance, schema):
        if not validator.is_type(instance, "string"):
            return
        rx = cache.get(patrn)
        if rx is None:
            rx = cache[patrn] = compile_pattern(patrn)
        if not rx.search(instance):
            yield jsonschema.ValidationError(f"{instance!r} does not match {patrn!r}")

    cls = validators.extend(base, {"pattern": pattern})
    v = cls(schema, format_checker=formats)
    errors = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors[:20]:
        print("/".join(str(p) for p in e.absolute_path) or "(root)", ":", e.message[:300])
    if errors:
        print(f"{len(errors)} schema error(s) in {report}")
        return 1
    print(f"{report}: valid against {os.path.basename(schema_path)} ({base.__name__})")
    return 0


def validate_xml(report, xsd):
    if shutil.which("xmllint"):
        r = subprocess.run(["xmllint", "--noout", "--schema", xsd, report], capture_output=True, text=True)
        sys.stdout.write(r.stdout + r.stderr)
        return 0 if r.returncode == 0 else 1
    try:
        from lxml import etree
    except ImportError:
        print("neither xmllint (Debian: libxml2-utils) nor python3-lxml is installed")
        return SKIP
    schema = etree.XMLSchema(etree.parse(xsd))
    doc = etree.parse(report)
    if schema.validate(doc):
        print(f"{report}: valid against {os.path.basename(xsd)} (lxml)")
        return 0
    for e in list(schema.error_log)[:20]:
        print(f"{e.line}: {e.message}")
    return 1


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    kind, report, schemas = sys.argv[1:]
    if kind == "sarif":
        return validate_json(report, os.path.join(schemas, "sarif-schema-2.1.0.json"))
    if kind == "oscal":
        return validate_json(report, os.path.join(schemas, "oscal_assessment-results_schema.json"))
    if kind == "junit":
        return validate_xml(report, os.path.join(schemas, "JUnit.xsd"))
    print(f"unknown kind {kind}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
