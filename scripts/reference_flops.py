#!/usr/bin/env python3
"""Forward GFLOP per image and parameter count of the reference's U-Net (../shared/reference/ssl_anchor.py),
counted by PyTorch's FlopCounterMode, for comparing per-iteration work with `danseg bench --sn unet`.
The network is taken from the reference's own source (its block() and UNet definitions), not copied.
usage: reference_flops.py [SSL_ANCHOR_PY] [SIZE] [WIDTH] [CHANNELS]"""
import ast, os, sys
import torch, torch.nn as nn, torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

here = os.path.dirname(os.path.abspath(__file__))
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "shared", "reference", "ssl_anchor.py")
size, width, channels = (int(a) for a in (sys.argv[2:] + ["96", "16", "3"][len(sys.argv[2:]):]))
tree = ast.parse(open(path).read())
defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name in ("block", "UNet")]
scope = {"torch": torch, "nn": nn, "F": F}
exec(compile(ast.Module(body=defs, type_ignores=[]), path, "exec"), scope)
net = scope["UNet"](channels, width).eval()
with torch.no_grad(), FlopCounterMode(display=False) as fc:
    net(torch.zeros(1, channels, size, size))
print(f"reference U-Net: {fc.get_total_flops() / 1e9:.3f} GFLOP forward per {size}x{size} image, "
      f"{sum(p.numel() for p in net.parameters())} parameters")
