#!/usr/bin/env python3
"""Mean per-image test Dice of experiment cells, split by the synthetic H&E images' morphology (malignant or benign,
from synth.json). Shows whether a model fails on the morphology its few annotated images do not show.
usage: dice_by_morphology.py POOL CELL_DIR...   (POOL: an experiment's data/pool; CELL_DIR: OUT/cells/<cell>)
needs numpy and pillow."""
import json, os, sys
import numpy as np
from PIL import Image

pool = sys.argv[1]
meta = {i["name"]: i for i in json.load(open(os.path.join(pool, "synth.json")))["images"] if i["split"] == "test"}
for cell in sys.argv[2:]:
    d = os.path.join(cell, "test-predictions")
    if not os.path.isdir(d):
        continue
    res = {True: [], False: []}
    for name, m in meta.items():
        p = np.asarray(Image.open(os.path.join(d, name + ".png"))) > 0
        t = np.asarray(Image.open(os.path.join(pool, "test", "masks", name + ".png"))) > 0
        s = p.sum() + t.sum()
        res[m["malignant"]].append(2 * (p & t).sum() / s if s else 1.0)
    print("%-28s malignant %.3f (n %d)  benign %.3f (n %d)" % (os.path.basename(cell), np.mean(res[True]), len(res[True]),
                                                                np.mean(res[False]), len(res[False])))
