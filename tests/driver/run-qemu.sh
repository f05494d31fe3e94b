#!/bin/sh
# run-qemu.sh BUILD KREL: boot Debian's kernel KREL in QEMU (TCG) with an
# initramfs holding qaccel.ko and the guest tests; fail on any failed case,
# a missing summary, or a WARN/BUG/oops in the kernel log.
set -eu
build=$1
krel=$2
here=$(dirname "$0")
ko=$build/driver/$krel/qaccel.ko
guest=$build/driver/guest
work=$build/driver/$krel/test
cases=${QACCEL_CONF_CASES:-300}
seed=${QACCEL_CONF_SEED:-20261124}
limit=${QACCEL_QEMU_TIMEOUT:-300}
mkdir -p "$work"

kernel=$("$here/get-kernel.sh" "$build" "$krel")
# Expected outputs come from the host's reference executor (libqaccel `ref`).
"$guest/qaccel_conf" gen ref "$work/conf.bin" "$cases" "$seed"
# Negative control: outputs of seed+1 under a header claiming seed: the
# guest must report every one of these cases as a mismatch.
"$guest/qaccel_conf" gen ref "$work/conf-good20.bin" 20 "$((seed + 1))"
hdr=$(head -n 1 "$work/conf-good20.bin" | wc -c)
{ printf 'QACONF1 20 %s\n' "$seed"; tail -c +"$((hdr + 1))" "$work/conf-good20.bin"; } \
	> "$work/conf-bad.bin"
golden=${QACCEL_GOLDEN_LIMIT:-10}
if [ -f "$build/cases/.stamp" ] && [ -x "$guest/qaccel" ] && [ "$golden" -gt 0 ]; then
	"$here/mkinitramfs.sh" "$work/initramfs.gz" "$ko" "$work/conf.bin" "$guest" \
		"$build/cases" "$golden"
else
	echo "test-driver: no golden cases in $build/cases: random conformance only"
	"$here/mkinitramfs.sh" "$work/initramfs.gz" "$ko" "$work/conf.bin" "$guest"
fi

echo "test-driver: booting $krel in qemu-system-x86_64 (TCG), log in $work/console.log"
start=$(date +%s)
set +e
timeout "$limit" nice qemu-system-x86_64 -accel tcg -m 512 -smp 2 -nographic -no-reboot \
	-kernel "$kernel" -initrd "$work/initramfs.gz" \
	-append "console=ttyS0 panic=-1 loglevel=4 quiet" < /dev/null > "$work/console.log" 2>&1
qemu_status=$?
set -e
end=$(date +%s)
tr -d '\r' < "$work/console.log" > "$work/console.txt"

grep -E '^(PASS|FAIL)' "$work/console.txt" || true
summary=$(grep '^QACCEL-SUMMARY' "$work/console.txt" | tail -1)
bad=0
if [ -z "$summary" ]; then
	echo "test-driver: no summary from the guest (qemu exit $qemu_status)"
	tail -40 "$work/console.txt"
	bad=1
elif ! echo "$summary" | grep -q ' fail=0 '; then
	echo "test-driver: failed cases"
	bad=1
fi
if grep -nE 'WARNING:|BUG:|Oops|general protection|Kernel panic|Call Trace|UBSAN|KASAN|refcount_t|list_(add|del) corruption|blocked for more than|kmemleak' \
	"$work/console.txt"; then
	echo "test-driver: kernel warnings in the log"
	bad=1
fi
echo "$summary"
echo "test-driver: $krel: qemu wall time $((end - start)) s (timeout ${limit} s)"
if [ $bad != 0 ]; then
	echo "test-driver: FAILED on $krel"
	exit 1
fi
echo "test-driver: passed on $krel"
