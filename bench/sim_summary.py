#!/usr/bin/env python3
"""Summarise bench/results/sim_*.json layer results: per set, the mean and the
MAC-weighted utilization (sum MACs / (rows*cols*sum cycles)), the roofline
(every tensor through the memory model once, rows*cols MACs per cycle): its
utilization and the fraction of it reached, the same for the array bound
(roofline, or the layer's MACs tiled onto the array's rows and columns), and
the simulation speed (core cycles per CPU second)."""
import json
import sys


def main():
    summary = {}
    for path in sys.argv[1:]:
        d = json.load(open(path))
        rows, cols = d["rows"], d["cols"]
        sets = {}
        for l in d["layers"]:
            if not l["ok"]:
                continue
            s = sets.setdefault(l["set"], {"layers": 0, "macs": 0, "cycles": 0,
                                           "util_sum": 0.0, "secs": 0.0, "roof": 0.0,
                                           "bound": 0.0})
            s["layers"] += 1
            s["macs"] += l["macs"]
            s["cycles"] += l["cycles"]
            s["util_sum"] += l["utilization"]
            s["secs"] += l["sim_seconds"]
            s["roof"] += l.get("roofline_cycles", 0)
            s["bound"] += l.get("array_bound_cycles", 0)
        for name, s in sets.items():
            # runs on another memory model than the default carry its options
            if d.get("device", "sim") != "sim":
                name = "%s (%s)" % (name, d["device"])
            summary[name] = {
                "layers": s["layers"],
                "macs": s["macs"],
                "cycles": s["cycles"],
                "utilization_mean": round(s["util_sum"] / s["layers"], 4),
                "utilization_mac_weighted": round(s["macs"] / (rows * cols * s["cycles"]), 4),
                "roofline_utilization": round(s["macs"] / (rows * cols * s["roof"]), 4)
                if s["roof"] else None,
                "of_roofline": round(s["roof"] / s["cycles"], 4),
                "array_bound_utilization": round(s["macs"] / (rows * cols * s["bound"]), 4)
                if s["bound"] else None,
                "of_array_bound": round(s["bound"] / s["cycles"], 4),
                "sim_cycles_per_cpu_s": round(s["cycles"] / s["secs"]) if s["secs"] else None,
                "source": path,
            }
    json.dump(summary, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
