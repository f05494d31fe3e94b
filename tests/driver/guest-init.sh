#!/bin/sh
# /init of the driver-test initramfs (busybox sh). Loads qaccel.ko with the
# emulated core, runs the conformance and abuse programs, cycles the module,
# then prints one summary line for the host and powers off.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t debugfs debugfs /sys/kernel/debug

pass=0
fail=0
abuse_cases=0
abuse_calls=0
conf_cases=0
golden_cases=0
result() { # status name
	if [ "$1" = 0 ]; then
		pass=$((pass + 1))
		echo "PASS $2"
	else
		fail=$((fail + 1))
		echo "FAIL $2"
	fi
}
# Runs a test program, adds its counted cases to the totals.
run() { # name cmd...
	name=$1
	shift
	"$@" > /tmp/out 2>&1
	st=$?
	cat /tmp/out
	c=$(sed -n 's/^ABUSE cases=\([0-9]*\).* calls=\([0-9]*\)$/\1 \2/p' /tmp/out)
	if [ -n "$c" ]; then
		abuse_cases=$((abuse_cases + ${c% *}))
		abuse_calls=$((abuse_calls + ${c#* }))
	fi
	c=$(sed -n 's/^CONF cases=\([0-9]*\) passed=\([0-9]*\).*/\2/p' /tmp/out)
	[ -n "$c" ] && conf_cases=$((conf_cases + c))
	result $st "$name"
}
load() { # params
	insmod /lib/qaccel.ko "$@" job_timeout_ms=1000 max_bo_mb=64
	result $? "insmod $*"
}
unload() {
	rmmod qaccel
	result $? "rmmod"
	[ ! -e /dev/qaccel0 ]
	result $? "device node gone after rmmod"
}

echo "qaccel-test: kernel $(uname -r), $(nproc) cpus"
t0=$(cut -d' ' -f1 /proc/uptime)

# 1. interrupt-driven emulated core: full conformance and abuse suite
load emulate=1
[ -c /dev/qaccel0 ]
result $? "device node /dev/qaccel0"
run "conformance (irq)" /bin/qaccel_conf check kdrv /conf.bin
# negative control: a wrong expectation file must fail every case
/bin/qaccel_conf check kdrv /conf-bad.bin > /tmp/bad 2>&1
st=$?
grep -q '^CONF cases=20 passed=0 failed=20$' /tmp/bad && [ $st != 0 ]
result $? "conformance detects wrong expected outputs"
# golden cases (gemmlowp / NumPy expected outputs) through the qaccel CLI
if [ -x /qa/bin/qaccel ]; then
	sh /qa/run.sh /qa kdrv /cases > /tmp/golden 2>&1
	st=$?
	grep -v '^ ' /tmp/golden
	c=$(sed -n 's/^\([0-9]*\) passed, [0-9]* failed$/\1/p' /tmp/golden)
	[ -n "$c" ] && golden_cases=$((golden_cases + c))
	result $st "golden conformance cases (qaccel --device kdrv)"
else
	echo "SKIP golden conformance cases: not packed"
fi
/qa/bin/qaccel info --device kdrv 2>&1 || true
run "abuse (irq)" /bin/qaccel_abuse
unload

# 2. two cores, polling fallback: conformance on the second, quick abuse on both
load emulate=2 emu_irq=0
run "conformance (polling, qaccel1)" /bin/qaccel_conf check kdrv:1 /conf.bin
run "abuse quick (polling, qaccel1)" /bin/qaccel_abuse -q -d /dev/qaccel1 \
	-f /sys/kernel/debug/qaccel/qaccel1
# both cores busy at once
/bin/qaccel_conf check kdrv:0 /conf.bin > /tmp/c0 2>&1 &
p0=$!
/bin/qaccel_conf check kdrv:1 /conf.bin > /tmp/c1 2>&1
s1=$?
wait $p0
s0=$?
cat /tmp/c0 /tmp/c1
[ $s0 = 0 ] && [ $s1 = 0 ]
result $? "conformance on two cores at once"
unload

# 3. rmmod/insmod cycles, one with a hung job left behind by a closed file
for i in 1 2 3; do
	if [ $i = 2 ]; then load emulate=1 emu_irq=0; else load emulate=1; fi
	run "abuse quick (cycle $i)" /bin/qaccel_abuse -q
	unload
done
load emulate=1
echo hang > /sys/kernel/debug/qaccel/qaccel0/fault
/bin/qaccel_conf check kdrv /conf.bin > /dev/null 2>&1 &
sleep 1
kill $! 2> /dev/null
wait
unload

t1=$(cut -d' ' -f1 /proc/uptime)
echo "---- dmesg ----"
dmesg
echo "---- end dmesg ----"
echo "QACCEL-SUMMARY pass=$pass fail=$fail abuse_cases=$abuse_cases abuse_calls=$abuse_calls conf_cases=$conf_cases golden_cases=$golden_cases boot_s=$t0 tests_s=$t1"
poweroff -f
