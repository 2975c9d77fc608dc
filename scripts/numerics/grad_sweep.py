"""Python PyTorch counterpart of GradSweep.java: fp32 conv2d forward, input and weight gradients against float64."""
import sys, torch
k, h = int(sys.argv[1]), int(sys.argv[2])
bad = []
for oc in (3, 8, 16, 32):
    for ic in range(1, 81):
        g = torch.Generator().manual_seed(ic * 1000 + oc)
        x = torch.rand(2, ic, h, h, generator=g); w = torch.randn(oc, ic, k, k, generator=g); gy = torch.randn(2, oc, h, h, generator=g)
        res = []
        for dt in (torch.float32, torch.float64):
            X = x.to(dt).clone().requires_grad_(); W = w.to(dt).clone().requires_grad_()
            y = torch.nn.functional.conv2d(X, W, padding=k // 2)
            (y * gy.to(dt)).sum().backward()
            res.append((y.detach().double(), X.grad.double(), W.grad.double()))
        errs = [((a - b).abs().max() / b.abs().max()).item() for a, b in zip(res[0], res[1])]
        if max(errs) > 1e-4: bad.append(f"  ic={ic} oc={oc}: fwd {errs[0]:.2g}, grad input {errs[1]:.2g}, grad weight {errs[2]:.2g}")
print(f"torch {torch.__version__} k={k} {h}x{h} batch 2: 320 shapes, wrong:"); print("\n".join(bad) or "  none")
