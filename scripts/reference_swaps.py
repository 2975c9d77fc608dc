#!/usr/bin/env python3
"""The reference (../shared/reference/ssl_anchor.py, sup and fixmatch) with parts of danseg's recipe swapped in, one
named part at a time, to find which part makes the difference between the two implementations (issue 35, item 3).
With SWAPS empty it computes exactly what ssl_anchor.py computes (same random draws in the same order, same numbers).

usage: SWAPS=part,part,... reference_swaps.py DATA_DIR sup|fixmatch BUDGET SEED [ITERS]   (layout and output: ssl_anchor.py's)
parts (danseg's side of each; danseg's code named):
  weak-jitter  per-channel gain 1 +- 0.1 and offset +- 0.05 on every weak patch, clamped to [0, 1] (data.Augmentation.DEFAULT)
  strong       danseg's strong view: per-channel gain +- 0.3, offset +- 0.15, gamma exp(+- 0.4), noise 0.03, blur p 0.5 per
               patch with edges replicated (data.StrongAugmentation.DEFAULT) instead of brightness/contrast/colour jitter
  unet5        five levels (16..256 at width 16; nn.UNet, --sn unet) instead of four
  he-init      He-normal weights (fan in, gain 2), no conv biases (nn.Networks, nn.Layers) instead of PyTorch's defaults
  separate     annotated and strong views pass SN separately; SN's BatchNorm running averages follow the annotated
               patches only (--unannotated-pass separate) instead of one joint batch
  pretrain50   the first 50 iterations supervised only (--pretrain-iterations 50)
  bu2          2 unannotated patches per batch (--batch-unannotated 2) instead of 4
  tile256      test images predicted as one 256 x 256 tile, edges replicated (infer.SlidingWindow.defaultTile)
  all          every part above; "all,-separate": every part but that one (danseg with one reference part put back)
"""
import json, os, sys, time, math
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from PIL import Image

PARTS = ["weak-jitter", "strong", "unet5", "he-init", "separate", "pretrain50", "bu2", "tile256"]
ASKED = [s for s in os.environ.get("SWAPS", "").split(",") if s]
SWAPS = set(PARTS) if "all" in ASKED else {s for s in ASKED if not s.startswith("-")}
SWAPS -= {s[1:] for s in ASKED if s.startswith("-")}
unknown = {s.lstrip("-") for s in ASKED} - set(PARTS) - {"all"}
if unknown:
    sys.exit(f"reference_swaps.py: unknown part(s) {sorted(unknown)}; known: {PARTS}")
torch.set_num_threads(int(os.environ.get("THREADS", "2")))
data, mode, budget, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
iters = int(sys.argv[5]) if len(sys.argv) > 5 else 1500
PATCH, BL, WIDTH = int(os.environ.get("PATCH", 96)), 4, int(os.environ.get("WIDTH", 16))
BU = 2 if "bu2" in SWAPS else 4
PRETRAIN = 50 if "pretrain50" in SWAPS else 0

def files(d):
    return sorted(f for f in os.listdir(d) if not f.startswith("."))
def img(p):
    a = np.asarray(Image.open(p)).astype(np.float32) / (65535.0 if Image.open(p).mode.startswith("I;16") else 255.0)
    return a[None] if a.ndim == 2 else a.transpose(2, 0, 1)
def mask(p):
    return (np.asarray(Image.open(p)) > 0).astype(np.int64)
def pair(d):
    ims, ms = files(f"{d}/images"), files(f"{d}/masks")
    mb = {os.path.splitext(m)[0]: m for m in ms}
    return [(img(f"{d}/images/{i}"), mask(f"{d}/masks/{mb[os.path.splitext(i)[0]]}")) for i in ims]
ann = pair(f"{data}/annotated")[:budget]
ud = f"{data}/unannotated/images" if os.path.isdir(f"{data}/unannotated/images") else f"{data}/unannotated"
unl = [img(f"{ud}/{f}") for f in files(ud)]
test = pair(f"{data}/test")
C = ann[0][0].shape[0]
allx = np.concatenate([a[0].reshape(C, -1) for a in ann], 1)
mean, std = allx.mean(1)[:, None, None], allx.std(1)[:, None, None] + 1e-6

rng = np.random.default_rng(seed); torch.manual_seed(seed)
def crop(x, y=None):
    H, W = x.shape[1:]
    p = min(PATCH, H, W); i, j = rng.integers(0, H - p + 1), rng.integers(0, W - p + 1)
    x = x[:, i:i + p, j:j + p]; y = None if y is None else y[i:i + p, j:j + p]
    k = rng.integers(4); x = np.rot90(x, k, (1, 2)); y = None if y is None else np.rot90(y, k)
    if rng.random() < .5: x = x[:, :, ::-1]; y = None if y is None else y[:, ::-1]
    if "weak-jitter" in SWAPS:
        g = 1 + 0.1 * (2 * rng.random((x.shape[0], 1, 1)) - 1); o = 0.05 * (2 * rng.random((x.shape[0], 1, 1)) - 1)
        x = np.clip(x * g + o, 0, 1).astype(np.float32)
    return np.ascontiguousarray(x), (None if y is None else np.ascontiguousarray(y))
def norm(x): return (x - torch.from_numpy(mean).float()) / torch.from_numpy(std).float()
def blur121(x, replicate):
    k = torch.tensor([1., 2., 1.]); k = (k[:, None] * k[None]) / 16
    if replicate:
        return F.conv2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), k.expand(x.shape[1], 1, 3, 3), groups=x.shape[1])
    return F.conv2d(x, k.expand(x.shape[1], 1, 3, 3), padding=1, groups=x.shape[1])
def strong(x):  # x: B,C,H,W in [0,1]: colour jitter per image, blur p .5
    if "strong" in SWAPS:
        B, Ch = x.shape[:2]
        g = 1 + 0.3 * (2 * torch.rand(B, Ch, 1, 1) - 1); o = 0.15 * (2 * torch.rand(B, Ch, 1, 1) - 1)
        gamma = torch.exp(0.4 * (2 * torch.rand(B, Ch, 1, 1) - 1))
        x = (x.clamp_min(0) ** gamma * g + o + 0.03 * torch.randn_like(x)).clamp(0, 1)
        blurred = torch.rand(B) < .5
        return torch.where(blurred[:, None, None, None], blur121(x, True), x)
    B = x.shape[0]
    g = 1 + (torch.rand(B, 1, 1, 1) - .5) * 0.8; o = (torch.rand(B, 1, 1, 1) - .5) * 0.4
    cg = 1 + (torch.rand(B, x.shape[1], 1, 1) - .5) * 0.4
    m = x.mean((1, 2, 3), keepdim=True)
    x = ((x - m) * g + m + o) * cg
    if torch.rand(1).item() < .5:
        x = blur121(x, False)
    return x.clamp(0, 1)
def cutmix_box(p):
    s = rng.uniform(0.02, 0.4) * p * p; r = rng.uniform(0.3, 1 / 0.3)
    h, w = int(min(p, math.sqrt(s / r))), int(min(p, math.sqrt(s * r)))
    i, j = rng.integers(0, p - h + 1), rng.integers(0, p - w + 1)
    b = torch.zeros(p, p); b[i:i + h, j:j + w] = 1; return b

def block(i, o): return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(True), nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(True))
class UNet(nn.Module):
    def __init__(s, c, w, levels):
        super().__init__(); ws = [w << k for k in range(levels)]
        s.d = nn.ModuleList([block(c if k == 0 else ws[k - 1], ws[k]) for k in range(levels)])
        s.u = nn.ModuleList([nn.ConvTranspose2d(ws[k + 1], ws[k], 2, 2) for k in range(levels - 1)])
        s.b = nn.ModuleList([block(2 * ws[k], ws[k]) for k in range(levels - 1)]); s.drop = nn.Dropout2d(0.0); s.out = nn.Conv2d(ws[0], 2, 1)
    def forward(s, x):
        f = []
        for k, d in enumerate(s.d):
            x = d(x if k == 0 else F.max_pool2d(x, 2)); f.append(x)
        x = f[-1]
        for k in reversed(range(len(s.u))): x = s.b[k](torch.cat([s.u[k](x), f[k]], 1))
        return s.out(s.drop(x))
net = UNet(C, WIDTH, 5 if "unet5" in SWAPS else 4)
if "he-init" in SWAPS:
    with torch.no_grad():
        for mod in net.modules():
            if isinstance(mod, (nn.Conv2d, nn.ConvTranspose2d)):
                fan_in = mod.weight.shape[0] if isinstance(mod, nn.ConvTranspose2d) else mod.weight[0].numel()
                mod.weight.normal_(0, math.sqrt(2 / fan_in))
                if mod.bias is not None: mod.bias.zero_()
opt = torch.optim.Adam(net.parameters(), 1e-3)
def sup_loss(lo, y):
    ce = F.cross_entropy(lo, y); p = lo.softmax(1)[:, 1]; t = (y == 1).float()
    return ce + 1 - (2 * (p * t).sum() + 1) / (p.sum() + t.sum() + 1)

t0 = time.time()
for it in range(iters):
    for g in opt.param_groups: g["lr"] = 1e-3 * (1 - it / iters) ** 0.9
    xl, yl = zip(*[crop(*ann[rng.integers(len(ann))]) for _ in range(BL)])
    xl = torch.from_numpy(np.stack(xl)); yl = torch.from_numpy(np.stack(yl))
    net.train(); kept = None  # kept: the running averages to put back after a separate pass
    if mode == "sup" or it < PRETRAIN:
        loss = sup_loss(net(norm(xl)), yl)
    elif mode == "fixmatch":
        xu = torch.from_numpy(np.stack([crop(unl[rng.integers(len(unl))])[0] for _ in range(BU)]))
        with torch.no_grad():
            net.eval(); pw = net(norm(xu)).softmax(1); net.train()
        conf, pl = pw.max(1)
        xs = strong(xu); perm = torch.from_numpy(rng.permutation(BU))
        box = cutmix_box(xs.shape[-1])
        xs = xs * (1 - box) + xs[perm] * box; pl = torch.where(box.bool(), pl[perm], pl); conf = torch.where(box.bool(), conf[perm], conf)
        if "separate" in SWAPS:
            la = net(norm(xl)); kept = [b.clone() for b in net.buffers()]; lu_logits = net(norm(xs))
        else:
            lo = net(norm(torch.cat([xl, xs]))); la, lu_logits = lo[:BL], lo[BL:]
        lu = (F.cross_entropy(lu_logits, pl, reduction="none") * (conf >= 0.95)).mean()
        loss = sup_loss(la, yl) + lu
    else:
        sys.exit(f"reference_swaps.py: mode {mode!r} is not one of sup, fixmatch")
    opt.zero_grad(); loss.backward(); opt.step()
    if kept is not None:
        with torch.no_grad():
            for b, k in zip(net.buffers(), kept): b.copy_(k)

def predict(x):
    if "tile256" not in SWAPS:
        return net(norm(torch.from_numpy(x)[None])).argmax(1)[0].numpy()
    h, w = x.shape[1:]; t = max(256, h, w)
    xp = F.pad(torch.from_numpy(x)[None], (0, t - w, 0, t - h), mode="replicate")
    return net(norm(xp)).argmax(1)[0, :h, :w].numpy()
net.eval(); inter = tot = 0; per = []
with torch.no_grad():
    for x, y in test:
        p = predict(x)
        i, s = ((p == 1) & (y == 1)).sum(), (p == 1).sum() + (y == 1).sum()
        inter += i; tot += s; per.append(2 * i / s if s else 1.0)
print(json.dumps({"mode": mode, "budget": budget, "seed": seed, "iters": iters, "swaps": sorted(SWAPS),
                  "dice": round(2 * inter / tot, 4), "mean_image_dice": round(float(np.mean(per)), 4),
                  "seconds": round(time.time() - t0, 1)}), flush=True)
