#!/bin/sh
# Installs everything csapcheck needs to build and test, from Debian 12 packages only.
# Usage: scripts/setup.sh [--test]   (run as root; --test adds what the test suite alone needs)
set -eu
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

pkgs="ca-certificates build-essential g++ cmake pkg-config git
  libsimdjson-dev libfyaml-dev libcli11-dev libfmt-dev libsqlite3-dev libre2-dev
  libxlsxwriter-dev libpugixml-dev libminizip-dev zlib1g-dev libssl-dev libtbb-dev libutfcpp-dev nlohmann-json3-dev"
test_pkgs="libgtest-dev libgmock-dev clang-format python3 python3-jsonschema python3-openpyxl libxml2-utils python3-lxml"
# The HTML report's browser test: a real browser, and fonts with Korean glyphs.
test_pkgs="$test_pkgs chromium fonts-noto-cjk fontconfig"

if [ "$want_test" = 1 ]; then pkgs="$pkgs $test_pkgs"; fi

missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: these Debian packages are missing:$missing" >&2
    echo "setup: run this script as root (or install them with apt-get)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
fi
echo "setup: all build dependencies are installed"
