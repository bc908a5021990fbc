#!/bin/sh
# Every test docs/security.md names as holding a claim exists.
. "$(dirname "$0")/lib/common.sh" "$@"
DOC="$SRC/docs/security.md"
for t in $(grep -oE '`[A-Z][A-Za-z0-9]+\.[A-Za-z0-9*]+`' "$DOC" | tr -d '`' | sort -u); do
  [ "$t" = Suite.Name ] && continue
  s=${t%%.*}; n=${t#*.}
  [ "$n" = "*" ] && n='[A-Za-z0-9]+'
  checks=$((checks + 1))
  grep -rqE "TEST(_F)?\\($s, $n\\)" "$SRC/src" || { echo "FAIL: $t is named in docs/security.md but does not exist"; failures=$((failures + 1)); }
done
for c in $(grep -oE 'cli_[a-z_]+' "$DOC" | sort -u); do
  [ "$c" = cli_name ] && continue
  checks=$((checks + 1))
  [ -f "$SRC/tests/cli/${c#cli_}.sh" ] || { echo "FAIL: $c is named in docs/security.md but does not exist"; failures=$((failures + 1)); }
done
finish
