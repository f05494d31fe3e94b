#!/usr/bin/env python3
"""Summarise a yosys `stat` report of synth_xilinx (xc7) as JSON: LUT/FF/DSP/BRAM counts."""
import json
import re
import sys


def main():
    stat_path, out_path = sys.argv[1], sys.argv[2]
    cells = {}
    text = open(stat_path).read()
    # the last "Number of cells" block is the flattened top
    block = text[text.rfind("Number of cells"):]
    for m in re.finditer(r"^\s+(\S+)\s+(\d+)\s*$", block, re.M):
        cells[m.group(1)] = int(m.group(2))
    lut = sum(v for k, v in cells.items() if re.fullmatch(r"LUT[1-6]", k))
    ff = sum(v for k, v in cells.items() if re.fullmatch(r"FD[CPRS]E?(_1)?", k))
    lutram = sum(v for k, v in cells.items() if k.startswith("RAM") and not k.startswith("RAMB"))
    res = {
        "tool": "yosys 0.23 synth_xilinx -family xc7 -flatten (rtl/synth_xc7.ys: without the SAT share pass)",
        "top": "qa_top (ROWS=16, COLS=16, BANK_WORDS=256, B_WORDS=2048)",
        "LUT": lut,
        "FF": ff,
        "DSP48E1": cells.get("DSP48E1", 0),
        "RAMB36E1": cells.get("RAMB36E1", 0),
        "RAMB18E1": cells.get("RAMB18E1", 0),
        "LUTRAM_cells": lutram,
        "CARRY4": cells.get("CARRY4", 0),
        "cells": cells,
    }
    with open(out_path, "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)
    print("synth xc7: LUT %d FF %d DSP48E1 %d RAMB36E1 %d RAMB18E1 %d LUTRAM %d" % (
        lut, ff, res["DSP48E1"], res["RAMB36E1"], res["RAMB18E1"], lutram))


if __name__ == "__main__":
    main()
