#!/usr/bin/env python3
"""Budget-1 validation table of issue 22: each variant per seed, mean, sd and paired difference to danseg's baseline of the same seed
(the variant's own baseline where it has one, e.g. another network; else the default's).
Seed 1 of the default rows comes from validation-results.csv (variants "default"/"early"); reference rows (ssl_anchor.py JSON
lines) are compared with danseg's baseline of the same seed number (another program: not a true pair).
usage: validation_table.py validation-results.csv results.csv... reference.jsonl"""
import csv, sys, statistics as st, json
rows = []
for f in sys.argv[1:]:
    if f.endswith('.jsonl'):
        for l in open(f):
            j = json.loads(l); rows.append(dict(variant='reference', mode='fixmatch', seed=str(j['seed']), dice=j['dice'], object_f1=''))
        continue
    for r in csv.DictReader(open(f)):
        if r['annotated'] != '1': continue
        v = r['variant']
        if f.endswith('validation-results.csv'):
            if r['seed'] != '1': continue
            if r['mode'] == 'supervised' and v == 'default': v = 'default'
            elif r['mode'] in ('fixmatch', 'dan') and v == 'early': v = 'default'
            else: continue
        rows.append(dict(variant=v, mode=r['mode'], seed=r['seed'], dice=float(r['dice']), object_f1=float(r['object_f1'])))
base = {(r['variant'], r['seed']): r for r in rows if r['mode'] == 'supervised'}
# a variant with its own baseline rows (another network) pairs with them; the others with the default baseline
def baseline(r): return base.get((r['variant'], r['seed']), base[('default', r['seed'])])
groups = {}
for r in rows: groups.setdefault((r['variant'], r['mode']), []).append(r)
print('| variant | mode | seeds | Dice per seed (1, 2, 3) | Dice mean ± sd | - baseline (paired) | better in | object F1 mean |')
print('|---|---|---|---|---|---|---|---|')
for (v, m), rs in groups.items():
    rs.sort(key=lambda r: r['seed'])
    d = [r['dice'] for r in rs]
    diff = [r['dice'] - baseline(r)['dice'] for r in rs]
    of = [r['object_f1'] for r in rs if r['object_f1'] != '']
    better = sum(x > 0 for x in diff)
    print(f"| {v} | {m} | {len(rs)} | {', '.join('%.3f' % x for x in d)} | {st.mean(d):.3f} ± {st.stdev(d):.3f} | "
          + (f"{st.mean(diff):+.3f} ± {st.stdev(diff):.3f} | {better} of {len(rs)} |" if m != 'supervised' else " | |")
          + (f" {st.mean(of):.3f} |" if of else " |"))
