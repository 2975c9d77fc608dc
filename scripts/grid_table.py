#!/usr/bin/env python3
"""Paired table of `danseg experiment` cells from one or more results.csv files of the same grid (e.g. seeds run in
separate invocations): per budget and mode, Dice and object F1 mean +- sd, the paired difference to the baseline
(supervised, same budget and seed) and in how many seeds it is better; EN Spearman per training.
usage: grid_table.py results.csv..."""
import csv, statistics as st, sys

cells = {}
for f in sys.argv[1:]:
    for r in csv.DictReader(open(f)):
        cells[(int(r["annotated"]), r["variant"], r["mode"], int(r["seed"]))] = r  # a later file's cell wins
def sd(x): return st.stdev(x) if len(x) > 1 else 0.0
print("| budget | mode | seeds | Dice | - baseline (paired) | better in | object F1 | - baseline (paired) | better in | EN Spearman |")
print("|---|---|---|---|---|---|---|---|---|---|")
for budget in sorted({k[0] for k in cells}):
    for mode in ["supervised"] + sorted({k[2] for k in cells if k[0] == budget and k[2] != "supervised"}):
        rs = sorted((k[3], r) for k, r in cells.items() if k[0] == budget and k[2] == mode and k[1] == "default")
        if not rs: continue
        line = f"| {budget} | {mode} | {len(rs)} |"
        for m in ("dice", "object_f1"):
            v = [float(r[m]) for _, r in rs]
            line += f" {st.mean(v):.3f} ± {sd(v):.3f} |"
            if mode == "supervised":
                line += " | |"
                continue
            d = [float(r[m]) - float(cells[(budget, "default", "supervised", s)][m]) for s, r in rs if (budget, "default", "supervised", s) in cells]
            line += f" {st.mean(d):+.3f} ± {sd(d):.3f} | {sum(x > 0 for x in d)} of {len(d)} |"
        sp = [r["en_spearman"] for _, r in rs if r.get("en_spearman")]
        line += (" " + ", ".join("%.2f" % float(x) for x in sp) + " |") if sp else " |"
        print(line)
