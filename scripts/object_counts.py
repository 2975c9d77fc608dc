#!/usr/bin/env python3
"""Objects each experiment cell predicted on the test set, and how many of them are specks (< 20 px), beside the
truth's count: shows a recipe that fools its judge with speckle (docs/results.md, the paper's recipe).
Usage: scripts/object_counts.py EXPERIMENT_DIR [EXPERIMENT_DIR ...]   (Debian python3 with numpy, pillow, scipy)
Objects are 4-connected foreground components of each mask PNG; the truth is EXPERIMENT_DIR/data/pool/test/masks."""
import glob, os, sys
import numpy as np
from PIL import Image
from scipy import ndimage


def count(folder):
    objects = specks = 0
    for f in sorted(glob.glob(os.path.join(folder, '*.png'))):
        labels, k = ndimage.label(np.asarray(Image.open(f)) > 0)
        objects += k
        specks += int((np.bincount(labels.ravel())[1:] < 20).sum()) if k else 0
    return objects, specks


for run in sys.argv[1:]:
    print(f"{run}: truth {count(os.path.join(run, 'data', 'pool', 'test', 'masks'))[0]} objects")
    for cell in sorted(glob.glob(os.path.join(run, 'cells', '*'))):
        objects, specks = count(os.path.join(cell, 'test-predictions'))
        print(f"  {os.path.basename(cell)}: {objects} objects, {specks} under 20 px")
