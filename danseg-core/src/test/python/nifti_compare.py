#!/usr/bin/env python3
"""Independent check of a NIfTI file danseg wrote: nibabel must read the same voxels and affine as the source.

Usage: nifti_compare.py SOURCE WRITTEN   (exit 0 when identical; prints what differs otherwise)
"""
import sys

import nibabel as nib
import numpy as np

a = nib.load(sys.argv[1])
b = nib.load(sys.argv[2])
da = np.asanyarray(a.dataobj).astype(np.float64)
db = np.asanyarray(b.dataobj).astype(np.float64)
problems = []
if da.shape != db.shape:
    problems.append(f"shape {da.shape} != {db.shape}")
elif not np.array_equal(da, db):
    problems.append(f"voxels differ: max |diff| {np.abs(da - db).max()}")
if not np.allclose(a.affine, b.affine, atol=1e-6):
    problems.append(f"affine differs:\n{a.affine}\n{b.affine}")
for key in ("pixdim", "qform_code", "sform_code", "srow_x", "srow_y", "srow_z", "quatern_b", "quatern_c", "quatern_d"):
    if not np.array_equal(a.header[key], b.header[key]):
        problems.append(f"{key}: {a.header[key]} != {b.header[key]}")
print("\n".join(problems) if problems else "identical")
sys.exit(1 if problems else 0)
