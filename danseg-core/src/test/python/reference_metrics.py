#!/usr/bin/env python3
"""Independent reference for danseg's metrics, built on scipy and scikit-image (Debian packages).

Usage: reference_metrics.py LIST.tsv SX SY > out.json
LIST.tsv: one line per case, "name<TAB>pred.png<TAB>truth.png<TAB>kind" where kind is
"instance" (every non-zero value is an object) or "binary" (objects = 8-connected components).
Prints per-case and pooled metrics as JSON. Used only by danseg's tests.
"""
import json
import sys

import numpy as np
from scipy import ndimage
from scipy.spatial.distance import directed_hausdorff
from skimage import io, measure


def objects(mask, kind):
    if kind == "instance":
        values = np.unique(mask[mask != 0])
        out = np.zeros(mask.shape, dtype=np.int64)
        for i, v in enumerate(values, start=1):
            out[mask == v] = i
        return out, len(values)
    lab = measure.label(mask != 0, connectivity=2)
    return lab, int(lab.max())


def safe_ratio(num, den, both_empty):
    if den == 0:
        return 1.0 if both_empty else 0.0
    return num / den


def surface_distances(pred, truth, spacing, diag):
    if not pred.any() and not truth.any():
        return 0.0, 0.0
    if not pred.any() or not truth.any():
        return diag, diag
    st = ndimage.generate_binary_structure(pred.ndim, 1)
    pb = pred ^ ndimage.binary_erosion(pred, structure=st, border_value=0)
    tb = truth ^ ndimage.binary_erosion(truth, structure=st, border_value=0)
    d_pt = ndimage.distance_transform_edt(~tb, sampling=spacing)[pb]
    d_tp = ndimage.distance_transform_edt(~pb, sampling=spacing)[tb]
    hd95 = float(np.percentile(np.hstack((d_pt, d_tp)), 95))
    assd = float((d_pt.mean() + d_tp.mean()) / 2)
    return hd95, assd


def hausdorff(a, b, spacing):
    pa = np.argwhere(a) * np.array(spacing)
    pb = np.argwhere(b) * np.array(spacing)
    return max(directed_hausdorff(pa, pb)[0], directed_hausdorff(pb, pa)[0])


def partner(src_obj, src_id, other):
    """The other side's object overlapping src object most (lowest id on ties), or 0."""
    vals = other[src_obj == src_id]
    vals = vals[vals != 0]
    if vals.size == 0:
        return 0
    ids, counts = np.unique(vals, return_counts=True)
    return int(ids[np.argmax(counts)])


def object_sums(S, ns, G, ng, spacing, diag):
    sums = dict(ns=ns, ng=ng, tp=0, sa=0.0, ga=0.0, sd=0.0, gd=0.0, sh=0.0, gh=0.0, diag=diag)
    for s in range(1, ns + 1):
        Si = S == s
        area = Si.sum()
        sums["sa"] += area
        g = partner(S, s, G)
        if g:
            Gi = G == g
            inter = (Si & Gi).sum()
            if inter / Gi.sum() > 0.5:
                sums["tp"] += 1
            sums["sd"] += area * 2 * inter / (area + Gi.sum())
        if ng == 0:
            sums["sh"] += area * diag
        elif g:
            sums["sh"] += area * hausdorff(Si, G == g, spacing)
        else:
            sums["sh"] += area * min(hausdorff(Si, G == j, spacing) for j in range(1, ng + 1))
    for g in range(1, ng + 1):
        Gi = G == g
        area = Gi.sum()
        sums["ga"] += area
        s = partner(G, g, S)
        if s:
            Si = S == s
            inter = (Si & Gi).sum()
            sums["gd"] += area * 2 * inter / (area + Si.sum())
        if ns == 0:
            sums["gh"] += area * diag
        elif s:
            sums["gh"] += area * hausdorff(S == s, Gi, spacing)
        else:
            sums["gh"] += area * min(hausdorff(S == j, Gi, spacing) for j in range(1, ns + 1))
    return sums


def object_metrics(o):
    both_empty = o["ns"] == 0 and o["ng"] == 0
    fp = o["ns"] - o["tp"]
    fn = o["ng"] - o["tp"]
    f1 = safe_ratio(2 * o["tp"], 2 * o["tp"] + fp + fn, both_empty)
    if both_empty:
        return f1, 1.0, 0.0
    dice = 0.5 * ((o["sd"] / o["sa"] if o["sa"] else 0) + (o["gd"] / o["ga"] if o["ga"] else 0))
    haus = 0.5 * ((o["sh"] / o["sa"] if o["sa"] else o["diag"]) + (o["gh"] / o["ga"] if o["ga"] else o["diag"]))
    return f1, dice, haus


def main():
    listing, sx, sy = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    spacing = (sy, sx)  # numpy axis order: rows (y), columns (x)
    cases, pooled_px, pooled_obj = [], [0, 0, 0], None
    for line in open(listing):
        name, pred_file, truth_file, kind = line.rstrip("\n").split("\t")
        P = io.imread(pred_file)
        T = io.imread(truth_file)
        p, t = P != 0, T != 0
        tp, fp, fn = int((p & t).sum()), int((p & ~t).sum()), int((~p & t).sum())
        empty = tp + fp + fn == 0
        diag = float(np.hypot(P.shape[1] * sx, P.shape[0] * sy))
        hd95, assd = surface_distances(p, t, spacing, diag)
        S, ns = objects(P, kind)
        G, ng = objects(T, kind)
        o = object_sums(S, ns, G, ng, spacing, diag)
        f1, odice, ohaus = object_metrics(o)
        cases.append(dict(name=name, dice=safe_ratio(2 * tp, 2 * tp + fp + fn, empty), iou=safe_ratio(tp, tp + fp + fn, empty),
                          precision=safe_ratio(tp, tp + fp, empty), recall=safe_ratio(tp, tp + fn, empty),
                          hd95=hd95, assd=assd, objectF1=f1, objectDice=odice, objectHausdorff=ohaus,
                          truthObjects=ng, predObjects=ns))
        pooled_px = [pooled_px[0] + tp, pooled_px[1] + fp, pooled_px[2] + fn]
        if pooled_obj is None:
            pooled_obj = o
        else:
            for k in ("ns", "ng", "tp", "sa", "ga", "sd", "gd", "sh", "gh"):
                pooled_obj[k] += o[k]
            pooled_obj["diag"] = max(pooled_obj["diag"], o["diag"])
    tp, fp, fn = pooled_px
    empty = tp + fp + fn == 0
    f1, odice, ohaus = object_metrics(pooled_obj)
    out = dict(dice=safe_ratio(2 * tp, 2 * tp + fp + fn, empty), iou=safe_ratio(tp, tp + fp + fn, empty),
               precision=safe_ratio(tp, tp + fp, empty), recall=safe_ratio(tp, tp + fn, empty),
               hd95=float(np.mean([c["hd95"] for c in cases])), assd=float(np.mean([c["assd"] for c in cases])),
               objectF1=f1, objectDice=odice, objectHausdorff=ohaus, meanDice=float(np.mean([c["dice"] for c in cases])),
               perImage=cases)
    json.dump(out, sys.stdout, default=float)


if __name__ == "__main__":
    main()
