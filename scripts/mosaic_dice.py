#!/usr/bin/env python3
"""Foreground Dice of a prediction of slide_benchmark.sh's 5 120 image (its mosaic's top-left 5 x 5 tiles of 1 024 px)
against the tiles' own masks (docs/slides.md, "Tile placement").
Usage: scripts/mosaic_dice.py WORK_DIR PREDICTION.png [PREDICTION.png ...]   (WORK_DIR as given to slide_benchmark.sh;
       Debian python3 with numpy and pillow)"""
import glob, os, sys
import numpy as np
from PIL import Image

Image.MAX_IMAGE_PIXELS = None
masks = sorted(glob.glob(os.path.join(sys.argv[1], 'tiles', 'annotated', 'masks', '*.png')))
truth = np.concatenate([np.concatenate([np.asarray(Image.open(masks[r * 8 + c])) for c in range(5)], axis=1)
                        for r in range(5)], axis=0) > 0
for f in sys.argv[2:]:
    p = np.asarray(Image.open(f)) > 0
    print(f"{f}: Dice {2 * (p & truth).sum() / (p.sum() + truth.sum()):.5f}")
