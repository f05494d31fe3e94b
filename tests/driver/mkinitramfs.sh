#!/bin/sh
# mkinitramfs.sh OUT KO CONF_BIN GUEST_DIR [CASES_ROOT LIMIT]: a busybox
# initramfs with the module, the static test programs, the expected outputs
# of the random conformance jobs and, when CASES_ROOT is given, the first
# LIMIT golden cases of each suite with tests/conformance/run.sh, the static
# qaccel CLI and npycmp.
set -eu
out=$1
ko=$2
conf=$3
guest=$4
cases=${5:-}
limit=${6:-10}
here=$(dirname "$0")
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/lib" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$here/guest-init.sh" "$root/init"
chmod 755 "$root/init"
cp "$ko" "$root/lib/qaccel.ko"
cp "$guest/qaccel_abuse" "$guest/qaccel_conf" "$root/bin/"
cp "$conf" "$root/conf.bin"
if [ -f "${conf%.bin}-bad.bin" ]; then
	cp "${conf%.bin}-bad.bin" "$root/conf-bad.bin"
fi
if [ -n "$cases" ]; then
	mkdir -p "$root/qa/bin" "$root/cases"
	cp "$guest/qaccel" "$guest/npycmp" "$root/qa/bin/"
	cp "$here/../conformance/run.sh" "$root/qa/run.sh"
	for suite in "$cases"/*/; do
		s=$(basename "$suite")
		mkdir -p "$root/cases/$s"
		# the same first-N (glob order) that run.sh --limit would take
		n=0
		for c in "$suite"*/; do
			[ -f "$c/args" ] || continue
			[ $n -lt "$limit" ] || break
			cp -r "${c%/}" "$root/cases/$s/"
			n=$((n + 1))
		done
	done
fi
(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out"
