#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks a GCC -fcallgraph-info (.ci, VCG) file of the HLS kernel: no
recursion (no cycle in the call graph, self-calls included) and no indirect
calls (function pointers). Compile at -O0 so nothing is hidden by inlining.
Exit status 1 with the offending functions on failure."""
import re
import sys


def main(path):
    text = open(path, encoding="utf-8").read()
    edges = {}
    for src, dst in re.findall(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"', text):
        edges.setdefault(src, set()).add(dst)
    bad = [s for s, ds in edges.items() for d in ds if "__indirect_call" in d]
    if bad:
        print("%s: indirect calls (function pointers) in: %s" % (path, ", ".join(sorted(set(bad)))))
        return 1
    # Iterative DFS colouring: grey node reached again = cycle.
    colour = {}
    for root in list(edges):
        if colour.get(root):
            continue
        stack = [(root, iter(sorted(edges.get(root, ()))))]
        colour[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                colour[node] = 2
                stack.pop()
                continue
            c = colour.get(nxt, 0)
            if c == 1:
                cycle = [n for n, _ in stack]
                cycle = cycle[cycle.index(nxt):] + [nxt]
                print("%s: recursion: %s" % (path, " -> ".join(cycle)))
                return 1
            if c == 0:
                colour[nxt] = 1
                stack.append((nxt, iter(sorted(edges.get(nxt, ())))))
    nfun = len(set(re.findall(r'node: \{ title: "([^"]+)"', text)))
    print("%s: %d functions, %d call sites, no recursion, no indirect calls"
          % (path, nfun, sum(len(v) for v in edges.values())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
