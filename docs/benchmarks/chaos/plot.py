#!/usr/bin/python3
"""Plots a `./tessera bench chaos --out docs/benchmarks/chaos` run (report.json, timeline.csv) into
docs/benchmarks/chaos.png: requests accepted and finished per second as the clients saw them, 503s
and unanswered calls, with every fault of the run marked. Only for the docs; nothing in the build or
the tests needs Python."""
import csv
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "report.json")) as f:
    report = json.loads(f.read().strip().splitlines()[-1])
rows = list(csv.DictReader(open(os.path.join(here, "timeline.csv"))))
t = [float(r["t_s"]) for r in rows]


def rate(column, window=5):
    values = [int(r[column]) for r in rows]
    out = []
    for i in range(len(values)):
        j = max(0, i - window)
        dt = t[i] - t[j]
        out.append((values[i] - values[j]) / dt if dt > 0 else 0)
    return out


colors = {"outage": "tab:red", "freeze": "tab:purple", "kill": "tab:orange"}
fig, (a, b) = plt.subplots(2, 1, figsize=(12, 6.5), sharex=True,
                           gridspec_kw={"height_ratios": [2, 1]})
accepted, finished = rate("accepted"), rate("finished")
a.plot(t, accepted, label="accepted/s (202 to a client)", lw=1.2)
a.plot(t, finished, label="finished/s (terminal, seen by a client)", lw=1.2)
top = 1.25 * max(accepted + finished + [1])
a.set_ylim(0, top)
b.plot(t, rate("http_503"), label="503 answers/s", lw=1, color="tab:red")
b.plot(t, rate("no_answer"), label="calls without an answer/s", lw=1, color="tab:gray")
for fault in report["faults"]:
    kind = fault["kind"]
    family = "outage" if kind.endswith("outage") else kind.split("-")[0]
    start = fault["at_s"]
    for ax in (a, b):
        if fault["lasted_s"] > 0:
            ax.axvspan(start, start + fault["lasted_s"], color=colors[family], alpha=0.15)
        else:
            ax.axvline(start, color=colors[family], lw=1.2, ls="--")
    a.text(start, top * 0.98, " " + kind + " " + fault["target"], fontsize=7, rotation=90,
           va="top", ha="right")
a.set_ylabel("requests per second (5 s window)")
a.set_title("bench chaos: %d s, seed %d, %s, %s — lost %d, duplicated %d, billing mismatches %d, "
            "5xx %d" % (report["seconds"], report["seed"], report["cluster"], report["model"],
                        report["lost"], report["duplicated"], report["billing_mismatches"],
                        report["http_5xx"]), fontsize=9)
a.legend(fontsize=8, loc="upper right")
b.set_ylabel("per second")
b.set_xlabel("seconds since the load started (shaded: outage or freeze; dashed: SIGKILL + restart)")
b.legend(fontsize=8, loc="upper right")
fig.tight_layout()
fig.savefig(os.path.join(os.path.dirname(here), "chaos.png"), dpi=110)
