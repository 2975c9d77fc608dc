#!/usr/bin/env python3
"""Independent 3D metrics (scipy, nibabel) for danseg's volume evaluation tests.

Usage: reference_volume.py PRED.nii TRUTH.nii AXIS SLICES   (AXIS 0|1|2, SLICES comma list or 'all')
Prints JSON: dice, iou, hd95, assd, perSlice (list of [slice, dice]).
"""
import json
import sys

import os

import nibabel as nib
import numpy as np
from skimage import measure

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_metrics  # noqa: E402  (the same GlaS object logic as the 2D reference)

pred = nib.load(sys.argv[1])
truth = nib.load(sys.argv[2])
axis = int(sys.argv[3])
p = np.asanyarray(pred.dataobj) != 0
t = np.asanyarray(truth.dataobj) != 0
spacing = [abs(float(x)) for x in truth.header["pixdim"][1:4]]
keep = np.ones(p.shape[axis], bool)
if sys.argv[4] != "all":
    keep[:] = False
    keep[[int(s) for s in sys.argv[4].split(",")]] = True
shape = [1, 1, 1]
shape[axis] = -1
mask = keep.reshape(shape)
p = p & mask
t = t & mask


def ratio(a, b, both_empty):
    return (1.0 if both_empty else 0.0) if b == 0 else a / b


tp, fp, fn = int((p & t).sum()), int((p & ~t).sum()), int((~p & t).sum())
empty = tp + fp + fn == 0
diag3 = float(np.sqrt(sum((n * s) ** 2 for n, s in zip(p.shape, spacing))))
hd95, assd = reference_metrics.surface_distances(p, t, spacing, diag3)
per = []
for s in np.nonzero(keep)[0]:
    ps, ts = np.take(p, s, axis), np.take(t, s, axis)
    a, b, c = int((ps & ts).sum()), int((ps & ~ts).sum()), int((~ps & ts).sum())
    per.append([int(s), ratio(2 * a, 2 * a + b + c, a + b + c == 0)])
S = measure.label(p, connectivity=3)
G = measure.label(t, connectivity=3)
sums = reference_metrics.object_sums(S, int(S.max()), G, int(G.max()), spacing, diag3)
f1, odice, ohaus = reference_metrics.object_metrics(sums)
print(json.dumps(dict(objectF1=f1, objectDice=odice, objectHausdorff=ohaus, truthObjects=int(G.max()), predObjects=int(S.max()), dice=ratio(2 * tp, 2 * tp + fp + fn, empty), iou=ratio(tp, tp + fp + fn, empty), hd95=hd95, assd=assd, perSlice=per)))
