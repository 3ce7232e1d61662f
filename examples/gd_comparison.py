"""Gradient descent vs the constructed family (THEORY §4.4–4.6): where does Adam end?

Trains the deep Q-width ReLU network (numpy, full batch, seeded) from random
initialisations and from the zero-cost construction (slightly perturbed), and places each end
point relative to the family: zero cost, or the active-neuron local values c_N·RRR_k.
Also prints the 2^Q − 1 active-neuron families with their probes.

Run: ``python examples/gd_comparison.py [--steps 3000] [--inits 5]``
"""
from __future__ import annotations

import argparse
import sys


from exactgeo.data import load
from exactgeo.minimizers.comparison import gd_comparison
from exactgeo.minimizers.local import local_minima_report, rrr_costs


def main(argv=None):
    p = argparse.ArgumentParser(description="GD end points vs the constructed family")
    p.add_argument("--data", default="clusters3")
    p.add_argument("--layers", type=int, default=3)
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--inits", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    X, lab = load(args.data, exact=False)
    vals = rrr_costs(X, lab)
    print("active-neuron values c_N*RRR_k, k = 0..Q:", ", ".join(f"{v:.4g}" for v in vals))
    rep = local_minima_report(X, lab, layers=args.layers, samples=50, seed=args.seed)
    print(f"\n{rep['count']} active-neuron families, {rep['distinct_values']} distinct values")
    print("| subset | k | cost | grad norm | min ΔC (perturbations) | verdict |")
    print("|---|---|---|---|---|---|")
    for r in rep["families"]:
        print(f"| {r['subset']} | {r['k']} | {r['cost']:.6g} | {r['grad_norm']:.1e} | "
              f"{r['min_delta']:.1e} | {r['verdict']} |")
    rows = gd_comparison(X, lab, layers=args.layers, inits=args.inits, steps=args.steps,
                         seed=args.seed)
    print("\n| start | start cost | final cost | where |")
    print("|---|---|---|---|")
    for r in rows:
        print(f"| {r['start']} | {r['start_cost']:.4g} | {r['final_cost']:.3e} | {r['where']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
