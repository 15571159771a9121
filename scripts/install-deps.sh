#!/usr/bin/env bash
# Installs the Debian packages tapegrad needs for one purpose, only those that
# are missing: `demo` (build and run the demos), `gdb` (the demos and gdb, for
# docs/backprop-in-gdb.md), `test` (the test suite) or `ci` (everything CI
# runs). Uses apt-get as root, sudo otherwise; without either it says what to
# install and stops.
set -euo pipefail

purpose=${1:-test}
packages=(make libfmt-dev zlib1g-dev)
case "$purpose" in
  demo) ;;
  gdb) packages+=(gdb) ;;
  test) packages+=(doctest-dev libbenchmark-dev gdb python3 graphviz pkg-config chromium
                   dataset-fashion-mnist) ;;
  ci) packages+=(doctest-dev libbenchmark-dev gdb python3 graphviz pkg-config chromium
                 dataset-fashion-mnist
                 clang clang-format clang-tidy libclang-rt-14-dev valgrind libadolc-dev) ;;
  *) echo "usage: $0 demo|gdb|test|ci" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "tapegrad needs these Debian packages: ${missing[*]}" >&2
  echo "Install them (as root: apt-get install ${missing[*]}) and run this again." >&2
  exit 1
fi
echo "Installing ${missing[*]} ..."
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
