#!/usr/bin/env python3
"""Makes docs/images/synth_example.png: three synthetic tiles, with the true gland outlines in green below.

Usage: ./danseg synth --out /tmp/synth-fig --annotated 3 --unannotated 0 --test 0 --seed 1
       /usr/bin/python3 scripts/synth_figure.py /tmp/synth-fig docs/images/synth_example.png
Needs Debian's python3-skimage.
"""
import sys

import numpy as np
from skimage import io, segmentation

src, out = sys.argv[1], sys.argv[2]
tops, bottoms = [], []
for i in range(3):
    img = io.imread(f"{src}/annotated/images/annotated_{i:03d}.png")[..., :3]
    mask = io.imread(f"{src}/annotated/masks/annotated_{i:03d}.png")
    edges = segmentation.find_boundaries(mask, mode="inner")
    overlay = img.copy()
    overlay[edges] = [0, 200, 0]
    tops.append(img)
    bottoms.append(overlay)
io.imsave(out, np.concatenate([np.concatenate(tops, 1), np.concatenate(bottoms, 1)], 0), check_contrast=False)
