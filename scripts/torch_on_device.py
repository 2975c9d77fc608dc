#!/usr/bin/env python3
"""Runs a CPU-only PyTorch script (../shared/reference/torch_dan_bench.py) on another device.

    python3 scripts/torch_on_device.py cuda|cpu|cpu-bf16 SCRIPT [ARGS...]

cuda: makes DEVICE torch's default device, so every module and tensor the script creates lives there,
and lets cuDNN pick its fastest convolution algorithms (cudnn.benchmark), as a GPU user would.
The reference reads each iteration's losses with .item(), so its per-iteration wall time already
includes waiting for the GPU. cpu-bf16: the CPU under autocast to bfloat16. cpu: unchanged.
"""
import runpy
import sys

import torch

device, script = sys.argv[1], sys.argv[2]
if device.startswith("cuda"):
    if not torch.cuda.is_available():
        sys.exit("torch_on_device: torch sees no CUDA device")
    torch.set_default_device(device)
    torch.backends.cudnn.benchmark = True
    print(f"torch {torch.__version__} on {torch.cuda.get_device_name()} (CUDA {torch.version.cuda}, "
          f"cuDNN {torch.backends.cudnn.version()}, TF32 convs {torch.backends.cudnn.allow_tf32})", flush=True)
if device == "cpu-bf16":
    # Mixed precision as a PyTorch user would switch it on: convolutions and matrix products in bf16
    # (AMX / AVX512-BF16 where the CPU has them), the rest in fp32.
    torch.autocast("cpu", dtype=torch.bfloat16).__enter__()
    print(f"torch {torch.__version__}: CPU autocast to bfloat16", flush=True)
sys.argv = [script] + sys.argv[3:]
runpy.run_path(script, run_name="__main__")
