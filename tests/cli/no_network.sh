#!/bin/sh
# A scan makes no network access: the binary imports no socket or name-resolution function, and a
# scan succeeds in a network namespace with no interface at all (when one can be made).
. "$(dirname "$0")/lib/common.sh" "$@"
command -v nm >/dev/null 2>&1 || { echo "nm is not installed: skipped"; exit 77; }
checks=$((checks + 1))
imports=$(nm -D --undefined-only "$BIN" | awk '{print $NF}' | sed 's/@.*//' |
  grep -xE 'socket|connect|getaddrinfo|gethostbyname|gethostbyname_r|sendto|sendmsg|bind|listen|accept|accept4' || true)
[ -z "$imports" ] || { echo "FAIL: the binary imports network functions: $imports"; failures=$((failures + 1)); }
if unshare -n true 2>/dev/null; then
  expect_exit 1 "a scan with no network" -- unshare -n "$BIN" scan "$SRC/examples/demo/plan.json" --profile iaas-moderate -q --format json -o "$TMP/r.json"
fi
finish
