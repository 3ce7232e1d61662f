"""Beyond κ < 1/2: the exact step-wise separability frontier (THEORY §7.4, open question).

Grows the noise of fixed-mean clusters and prints, per noise level, κ, whether the sufficient
condition κ < 1/2 holds, the exact separability decision (greedy order, :mod:`exactgeo.
minimizers.separability`) and — when feasible — the exact cost of the LP-built network
(verified 0) and its worst condition number.

Run: ``python examples/clusters_frontier.py [--classes 3] [--points 12]``
"""
from __future__ import annotations

import argparse
import sys
from fractions import Fraction

import numpy as np

from exactgeo.minimizers import construct_minimizer
from exactgeo.minimizers.clusters import cluster_geometry, prepare_data
from exactgeo.minimizers.separability import check_truncation


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--classes", type=int, default=3)
    p.add_argument("--points", type=int, default=12)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    Q, n = args.classes, args.points
    rng = np.random.default_rng(args.seed)
    means = 2 * np.eye(Q)
    dirs = rng.uniform(-1, 1, size=(Q, n, Q))
    print("| noise | kappa | kappa < 1/2 | separable (exact) | order | cost_exact | max cond |")
    print("|---|---|---|---|---|---|---|")
    for noise in (0.2, 0.5, 0.8, 1.1, 1.4, 1.7, 2.0, 2.5):
        X = np.concatenate([means[j] + noise * dirs[j] for j in range(Q)])
        X = np.array([[Fraction(str(round(v, 3))) for v in r] for r in X], dtype=object)
        lab = np.repeat(np.arange(Q), n)
        kappa = cluster_geometry(prepare_data(X, lab, exact=True)).kappa
        rep = check_truncation(X, lab)
        if rep.feasible:
            r = construct_minimizer(X, lab, layers=Q, exact=True, method="lp")
            extra = f"{r.cost_exact} | {max(r.condition):.3g}"
        else:
            extra = "- | -"
        print(f"| {noise} | {kappa:.3f} | {kappa < 0.5} | {rep.feasible} | {rep.order} | {extra} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
