#!/usr/bin/env python3
"""Mean lambda, supervised loss, adversarial loss and EN's score of unannotated images per window of iterations,
from each experiment cell's train_log.csv (docs/results.md: where the paper's recipe goes wrong).
Usage: scripts/loss_by_window.py CELL_DIR [CELL_DIR ...]   (windows: 0-300 pre-training, then 300-400, 400-500,
       500-700, 700-1000)"""
import csv, os, statistics, sys

WINDOWS = [(0, 300), (300, 400), (400, 500), (500, 700), (700, 1000)]


def mean(rows, a, b, key):
    v = [float(r[key]) for r in rows if r.get(key) not in ('', None) and a <= int(r['iteration']) < b]
    return statistics.mean(v) if v else float('nan')


for cell in sys.argv[1:]:
    rows = list(csv.DictReader(open(os.path.join(cell, 'model', 'train_log.csv'))))
    print(os.path.basename(cell.rstrip('/')))
    for a, b in WINDOWS:
        print(f"  {a:4d}-{b:<4d} lambda {mean(rows, a, b, 'lambda'):.2f}  supervised {mean(rows, a, b, 'supervised_loss'):.3f}"
              f"  adversarial {mean(rows, a, b, 'adversarial_loss'):.3f}  EN(unannotated) {mean(rows, a, b, 'en_score_unannotated'):.2f}")
