#!/usr/bin/env python3
"""Where the reference's time goes: ../shared/reference/torch_dan_bench.py under PyTorch's profiler.

    /usr/bin/python3 scripts/torch_profile.py REFERENCE TRACE.json [reference flags...]

Imports the reference as a module, wraps its iteration function so that the profiler records the
timed iterations only (not the warm-up), runs its main() with the given flags, writes the Chrome
trace to TRACE.json and prints each operator's self time per iteration, the way
`danseg bench --profile` prints danseg's (self time = an event's duration minus that of the events
nested directly in it on the same thread).
"""
import collections
import importlib.util
import json
import sys

import torch

reference, trace = sys.argv[1], sys.argv[2]
sys.argv = [reference] + sys.argv[3:]
spec = importlib.util.spec_from_file_location("reference", reference)
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)
args = ref.parse_args()
profiler = torch.autograd.profiler.profile()
calls = 0


def profiled(step):
    def run(*a, **k):
        global calls
        if calls == args.warmup:
            profiler.__enter__()
        calls += 1
        result = step(*a, **k)
        if calls == args.warmup + args.iters:
            profiler.__exit__(None, None, None)
        return result
    return run


for name in ("dan_iteration", "supervised_iteration", "infer_iteration"):
    setattr(ref, name, profiled(getattr(ref, name)))
ref.main()
profiler.export_chrome_trace(trace)

events = json.load(open(trace))
events = events["traceEvents"] if isinstance(events, dict) else events
by_thread = collections.defaultdict(list)
for e in events:
    if e.get("ph") == "X":
        by_thread[e["tid"]].append(e)
self_us, count, top_us = collections.Counter(), collections.Counter(), 0.0
for evs in by_thread.values():
    evs.sort(key=lambda e: (e["ts"], -e["dur"]))
    stack = []
    for e in evs:
        while stack and stack[-1]["ts"] + stack[-1]["dur"] <= e["ts"]:
            stack.pop()
        if stack:
            self_us[stack[-1]["name"]] -= e["dur"]
        else:
            top_us += e["dur"]
        self_us[e["name"]] += e["dur"]
        count[e["name"]] += 1
        stack.append(e)
n = args.iters
print(f"profile: {top_us / 1e6 / n:.3f} s per iteration inside PyTorch operators")
for name, us in self_us.most_common(15):
    print(f"{name:<60} {us / 1e6 / n:8.3f} s {100 * us / top_us:5.1f}% {count[name] / n:7.0f} calls")
