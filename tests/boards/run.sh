#!/bin/sh
# Every overlay compiles (make did it, dtc -@), applies with fdtoverlay to
# its SoC family's base tree, passes dtc's reg/interrupt checks on the
# applied tree, and is found by discovery with the values of the board
# notes (golden values typed from the Vivado address map, not computed).
# Usage: BUILD=build tests/boards/run.sh build/tests/boards/dt_expect
set -eu
expect=$1
out=${BUILD:-build}/boards
work=$out/test
mkdir -p "$work"
fail=0

apply() { # board base
	fdtoverlay -i "$out/base/$2.dtb" -o "$work/$1.dtb" "$out/$1/qaccel-$1.dtbo"
	# the applied tree must pass dtc's structural checks as errors
	dtc -q -E reg_format -E interrupts_property -E unit_address_vs_reg \
		-I dtb -O dts -o /dev/null "$work/$1.dtb"
}

check() { # board base path base size irq rows cols coherent
	b=$1; shift
	base=$1; shift
	if apply "$b" "$base" && "$expect" "$work/$b.dtb" "$@"; then
		echo "ok   $b"
	else
		echo "FAIL $b"; fail=1
	fi
}

# 2-cell bus (Zynq UltraScale+): 0xA000_0000, GIC SPI 89 level-high
check zcu104    zynqmp-base   /axi/qaccel@a0000000 0xa0000000 0x10000 0,89,4 16 16 0
check kv260     zynqmp-base   /axi/qaccel@a0000000 0xa0000000 0x10000 0,89,4 16 16 0
check ultra96v2 zynqmp-base   /axi/qaccel@a0000000 0xa0000000 0x10000 0,89,4 16 16 0
# 1-cell bus (Zynq-7000): 0x43C0_0000, IRQ_F2P[0] = GIC ID 61 = SPI 29
check pynq-z2   zynq7000-base /axi/qaccel@43c00000 0x43c00000 0x10000 0,29,4 16 16 0

# base trees alone hold no accelerator
for t in zynqmp-base zynq7000-base; do
	if "$expect" --count 0 "$out/base/$t.dtb" > /dev/null; then echo "ok   $t (none)"; else echo "FAIL $t"; fail=1; fi
done

# dma-coherent is reported when present (no board design uses a coherent port yet)
fdtput -t s "$work/zcu104.dtb" /axi/qaccel@a0000000 dma-coherent ""
if "$expect" "$work/zcu104.dtb" /axi/qaccel@a0000000 0xa0000000 0x10000 0,89,4 16 16 1 > /dev/null; then
	echo "ok   dma-coherent reported"; else echo "FAIL dma-coherent"; fail=1; fi
# a disabled instance is not reported
fdtput -t s "$work/zcu104.dtb" /axi/qaccel@a0000000 status disabled
if "$expect" --count 0 "$work/zcu104.dtb" > /dev/null; then echo "ok   status=disabled skipped"; else echo "FAIL disabled"; fail=1; fi
# a short reg (one cell on a 2-cell bus) is a clear error, not a guess
fdtput -t x "$work/zcu104.dtb" /axi/qaccel@a0000000 reg a0000000
fdtput -t s "$work/zcu104.dtb" /axi/qaccel@a0000000 status okay
if "$expect" --reject "$work/zcu104.dtb"; then echo "ok   short reg rejected"; else echo "FAIL short reg"; fail=1; fi

[ $fail = 0 ] && echo "test-boards: all overlays ok"
exit $fail
