"""Gradient descent vs the constructed family (THEORY §4.4–4.6): where does Adam end?

Trains the deep Q-width ReLU network (numpy, full batch, seeded) from random
initialisations and from the zero-cost construction (slightly perturbed), and places each end
point relative to the family: zero cost, or the active-neuron local values c_N·RRR_k.
Also prints the 2^Q − 1 active-neuron families with their probes, and writes
``examples/figures/gd_comparison.png``: the families' costs by k (left) and each training
run from its start cost to its end cost (right), both against the levels c_N·RRR_k, with
the exact cost of the construction (0 over ℚ) in the title.

Run: ``python examples/gd_comparison.py [--steps 3000] [--inits 5] [--out-dir DIR]
[--quick]``
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _figures import figures_dir, pyplot, save  # noqa: E402

from exactgeo.data import load  # noqa: E402
from exactgeo.minimizers import construct_minimizer  # noqa: E402
from exactgeo.minimizers.comparison import gd_comparison  # noqa: E402
from exactgeo.minimizers.local import local_minima_report, rrr_costs  # noqa: E402

FLOOR = 1e-16      # costs are drawn on a log scale: 0 is drawn at this floor


def figure(vals, rep, rows, cost_exact, layers, data_name, path):
    plt = pyplot()
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(13, 4.8), layout="constrained")
    for k, v in enumerate(vals):
        for a in (ax, ax2):
            a.axhline(max(v, FLOOR), ls=":", lw=0.9, color=f"C{k}",
                      label=f"c_N·RRR_{k} = {v:.4g}" if a is ax else None)
    ok = [r for r in rep["families"] if r["verdict"].startswith("local minimum")]
    bad = [r for r in rep["families"] if not r["verdict"].startswith("local minimum")]
    for pts, mark, name in ((ok, "o", "local minimum (proof §4.6; probes agree)"),
                            (bad, "X", "probe disagrees")):
        if pts:
            jitter = np.linspace(-0.15, 0.15, len(pts))
            ax.scatter([r["k"] + j for r, j in zip(pts, jitter)],
                       [max(r["cost"], FLOOR) for r in pts], marker=mark, s=50,
                       color="k", label=name, zorder=3)
    ax.set_yscale("log")
    ax.set_xlabel("k = number of active neurons (family A, |A| = k)")
    ax.set_ylabel("network cost C (forward pass)")
    ax.set_xticks(range(len(vals)))
    ax.legend(loc="lower left", fontsize=7)
    ax.set_title(f"{rep['count']} active-neuron families, {rep['distinct_values']} distinct "
                 "values", fontsize=10)
    for i, r in enumerate(rows):
        construction = r["start"].startswith("construction")
        color = "tab:green" if construction else "tab:blue"
        s, f = max(r["start_cost"], FLOOR), max(r["final_cost"], FLOOR)
        ax2.annotate("", (i, f), (i, s), arrowprops={"arrowstyle": "->", "color": color})
        ax2.scatter([i], [s], color=color, s=25, marker="s")
        ax2.scatter([i], [f], color=color, s=40)
        ax2.annotate(r["where"].split(" (")[0], (i, f), textcoords="offset points",
                     xytext=(4, -10), fontsize=6, rotation=-20)
    ax2.scatter([], [], marker="s", color="0.4", label="start cost")
    ax2.scatter([], [], color="0.4", label="end cost (Adam)")
    ax2.set_yscale("log")
    ax2.set_xticks(range(len(rows)), [r["start"].replace(" + ", "\n+ ") for r in rows],
                   fontsize=7)
    ax2.set_xlabel("start")
    ax2.set_ylabel(f"cost C (0 drawn at {FLOOR:g})")
    ax2.legend(loc="lower left", fontsize=7)
    ax2.set_title("Adam from random starts vs from the construction", fontsize=10)
    fig.suptitle(f"{data_name}, L = {layers} layers: the constructed network has cost "
                 f"{cost_exact} exactly (over ℚ, a global minimizer); Adam's end points are "
                 "float observations", fontsize=10)
    return save(fig, path)


def main(out_dir=None, quick=False, data="clusters3", layers=3, steps=3000, inits=5,
         seed=0):
    """Print the tables and write ``gd_comparison.png``; ``quick``: 2 starts, 200 steps,
    few probes. Returns [path]."""
    if quick:
        steps, inits = min(steps, 200), min(inits, 2)
    X, lab = load(data, exact=False)
    vals = rrr_costs(X, lab)
    print("active-neuron values c_N*RRR_k, k = 0..Q:", ", ".join(f"{v:.4g}" for v in vals))
    rep = local_minima_report(X, lab, layers=layers, samples=10 if quick else 50, seed=seed)
    print(f"\n{rep['count']} active-neuron families, {rep['distinct_values']} distinct values")
    print("| subset | k | cost | grad norm | min ΔC (perturbations) | verdict |")
    print("|---|---|---|---|---|---|")
    for r in rep["families"]:
        print(f"| {r['subset']} | {r['k']} | {r['cost']:.6g} | {r['grad_norm']:.1e} | "
              f"{r['min_delta']:.1e} | {r['verdict']} |")
    rows = gd_comparison(X, lab, layers=layers, inits=inits, steps=steps, seed=seed)
    print("\n| start | start cost | final cost | where |")
    print("|---|---|---|---|")
    for r in rows:
        print(f"| {r['start']} | {r['start_cost']:.4g} | {r['final_cost']:.3e} | {r['where']} |")
    Xq, labq = load(data, exact=True)
    cost_exact = construct_minimizer(Xq, labq, layers=layers, exact=True).cost_exact
    return [figure(vals, rep, rows, cost_exact, layers, data,
                   figures_dir(out_dir) / "gd_comparison.png")]


def cli(argv=None) -> int:
    p = argparse.ArgumentParser(description="GD end points vs the constructed family")
    p.add_argument("--data", default="clusters3")
    p.add_argument("--layers", type=int, default=3)
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--inits", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out-dir", default=None, help="default: examples/figures/")
    p.add_argument("--quick", action="store_true")
    a = p.parse_args(argv)
    main(a.out_dir, a.quick, a.data, a.layers, a.steps, a.inits, a.seed)
    return 0


if __name__ == "__main__":
    sys.exit(cli())
