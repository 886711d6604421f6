#!/usr/bin/python3
"""Plots docs/benchmarks/fleet/*.json (the last JSON line of `./tessera bench fleet --json`)
into docs/benchmarks/fleet.png: each stage's rate and the overhead against the fleet size.
Only for the docs; nothing in the build or the tests needs Python."""
import glob
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
runs = []
for path in sorted(glob.glob(os.path.join(here, "n*.json"))):
    with open(path) as f:
        runs.append(json.loads(f.read().strip().splitlines()[-1]))
runs.sort(key=lambda r: r["workers"])
n = [r["workers"] for r in runs]
accepted = [r["accepted_per_s"] for r in runs]
dispatched = [sum(s["requests_per_s"] for s in r["dispatch_per_scheduler"].values()) for r in runs]
finished = [r["finished_per_s"] for r in runs]
offered = [r["workers"] * r["capacity"] * 1000.0 / r["simulated_decode_ms"] for r in runs]

fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.2))
a.plot(n, offered, "k:", label="fleet capacity (slots / decode time)")
a.plot(n, accepted, "o-", label="accepted POSTs/s (gateway)")
a.plot(n, dispatched, "s-", label="requests dispatched/s (scheduler)")
a.plot(n, finished, "^-", label="requests finished/s (recorder)")
a.set_xscale("log")
a.set_yscale("log")
a.set_xlabel("simulated workers")
a.set_ylabel("per second")
a.set_title("stage rates, one 2-core machine")
a.legend(fontsize=8)
b.plot(n, [r["overhead_p50_ms"] for r in runs], "o-", label="p50")
b.plot(n, [r["overhead_p99_ms"] for r in runs], "s-", label="p99")
b.set_xscale("log")
b.set_xlabel("simulated workers")
b.set_ylabel("ms")
b.set_title("overhead: end-to-end minus decode")
b.legend(fontsize=8)
fig.tight_layout()
fig.savefig(os.path.join(os.path.dirname(here), "fleet.png"), dpi=110)
