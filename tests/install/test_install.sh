#!/usr/bin/env bash
# `make install PREFIX=...` into a scratch prefix, then build a program
# outside the tree with pkg-config, shared and static, and check the ABI
# surface of the installed library.
set -euo pipefail
BUILD=${1:?build dir}
top=$(pwd)
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT

make -s install PREFIX="$prefix" BUILD="$BUILD" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
fail() { echo "install test: FAIL: $*"; exit 1; }

[ "$(pkg-config --modversion qaccel)" = "$(make -s -f "$top/Makefile" -pn 2>/dev/null | sed -n 's/^VERSION := //p' | head -1)" ] \
	|| fail "pkg-config version does not match the Makefile's"
soname=$(readelf -d "$prefix/lib/libqaccel.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ "$soname" = libqaccel.so.0 ] || fail "soname is '$soname'"
bad=$(nm -D --defined-only "$prefix/lib/libqaccel.so" | awk '$2 ~ /[TDB]/ {print $3}' | grep -v '^qaccel_' || true)
[ -z "$bad" ] || fail "exports non-qaccel_ symbols: $bad"

cd "$(mktemp -d)"
cp "$top/tests/install/hello_qaccel.c" .
cc -std=c11 -Wall -Werror hello_qaccel.c $(pkg-config --cflags --libs qaccel) -o hello_shared
LD_LIBRARY_PATH="$prefix/lib" ./hello_shared | grep -q ": 4 5 10 11" || fail "shared build gave a wrong result"
cc -std=c11 -Wall -Werror hello_qaccel.c $(pkg-config --cflags qaccel) "$prefix/lib/libqaccel.a" \
	$(pkg-config --static --libs-only-l qaccel | sed 's/-lqaccel//') -o hello_static
./hello_static | grep -q ": 4 5 10 11" || fail "static build gave a wrong result"
"$prefix/bin/qaccel" version | grep -q qaccel || fail "installed CLI does not run"
# Every built backend that can run here works from the installed layout.
for dev in ref hls sim; do
	"$prefix/bin/qaccel" info --list | grep -qx $dev || continue
	"$prefix/bin/qaccel" selftest --device $dev --cases 8 >/dev/null || fail "installed CLI: $dev selftest"
	LD_LIBRARY_PATH="$prefix/lib" QACCEL_DEVICE=$dev ./hello_shared | grep -q ": 4 5 10 11" \
		|| fail "shared build on $dev gave a wrong result"
done
echo "install test: 1 passed, 0 failed"
