#!/bin/sh
# Print the path of a bootable vmlinuz for kernel release $2 (e.g.
# 6.1.0-56-amd64), cached under $1/kernel/. The linux-image package is
# fetched with `apt-get download` and unpacked with `dpkg-deb -x`: it is
# never installed (that would drag in initramfs/systemd upgrades).
set -eu
build=$1
krel=$2
dir=$build/kernel/$krel
img=$dir/boot/vmlinuz-$krel
if [ -f "$img" ]; then
	echo "$img"
	exit 0
fi
mkdir -p "$dir"
(
	cd "$dir"
	rm -f ./*.deb
	for pkg in "linux-image-$krel-unsigned" "linux-image-$krel"; do
		if apt-get download "$pkg" >&2 2>/dev/null; then
			break
		fi
	done
	deb=$(ls ./*.deb 2>/dev/null | head -1)
	if [ -z "$deb" ]; then
		echo "get-kernel: cannot download linux-image for $krel (apt-get update?)" >&2
		exit 1
	fi
	dpkg-deb -x "$deb" .
	rm -f "$deb"
	# Only the kernel is needed: qaccel.ko depends on no other module.
	rm -rf lib usr
)
test -f "$img" || { echo "get-kernel: $img missing from the package" >&2; exit 1; }
echo "$img"
