#!/usr/bin/env python3
"""Markdown table of test Dice per (budget, seed) for chosen cells of one or more results.csv files (danseg experiment's),
with each budget's mean and, for every column but --base, its paired difference to --base (mean +- sd,
better in k of n). usage: paired_table.py --base VARIANT/MODE --cols VARIANT/MODE,... [--metric dice] CSV...
A cell present in two files must agree (same run repeated), else the script stops naming it."""
import argparse, csv, statistics, sys

ap = argparse.ArgumentParser()
ap.add_argument("--cols", required=True, help="comma-separated VARIANT/MODE columns, e.g. default/supervised,joint/dan")
ap.add_argument("--base", required=True, help="the VARIANT/MODE the differences are paired against")
ap.add_argument("--metric", default="dice")
ap.add_argument("csv", nargs="+")
a = ap.parse_args()
cols = a.cols.split(",")
cells = {}
for f in a.csv:
    with open(f) as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        if r.get("evaluation", "test") != "test" or r.get(a.metric, "") in ("", "NaN"):
            continue
        key = (int(r["annotated"]), int(r["seed"]), f'{r["variant"]}/{r["mode"]}')
        v = float(r[a.metric])
        if key in cells and abs(cells[key] - v) > 1e-6:
            sys.exit(f"paired_table.py: {f}: cell {key} is {v}, another file has {cells[key]}")
        cells[key] = v
budgets = sorted({k[0] for k in cells})
print("| budget | seed | " + " | ".join(cols) + " |")
print("|---" * (len(cols) + 2) + "|")
notes = []
for b in budgets:
    seeds = sorted({k[1] for k in cells if k[0] == b and all((b, k[1], c) in cells for c in cols)})
    for s in seeds:
        print(f"| {b} | {s} | " + " | ".join(f"{cells[(b, s, c)]:.3f}" for c in cols) + " |")
    if seeds:
        print(f"| {b} | mean | " + " | ".join(f"{statistics.mean(cells[(b, s, c)] for s in seeds):.3f}" for c in cols) + " |")
    for c in cols:
        if c == a.base or not seeds:
            continue
        d = [cells[(b, s, c)] - cells[(b, s, a.base)] for s in seeds]
        sd = statistics.stdev(d) if len(d) > 1 else float("nan")
        notes.append(f"budget {b}: {c} - {a.base}: {statistics.mean(d):+.3f} +- {sd:.3f}, better in {sum(x > 0 for x in d)} of {len(d)}")
print()
for n in notes:
    print("- " + n)
