"""Beyond κ < 1/2: the exact step-wise separability frontier (THEORY §7.4, open question).

Grows the noise of fixed-mean clusters and reports, per noise level, κ, whether the
sufficient condition κ < 1/2 holds, the exact separability decision (greedy order,
:mod:`exactgeo.minimizers.separability`) and — when feasible — the exact cost of the
LP-built network (verified 0 over ℚ) and its worst condition number. Prints the table and
writes ``examples/figures/clusters_frontier.png``: κ against the noise, each level marked by
the exact decision, with the κ = 1/2 line, and the condition numbers of the networks built.

Run: ``python examples/clusters_frontier.py [--classes 3] [--points 12] [--out-dir DIR]
[--quick]``
"""
from __future__ import annotations

import argparse
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _figures import figures_dir, pyplot, save  # noqa: E402

from exactgeo.minimizers import construct_minimizer  # noqa: E402
from exactgeo.minimizers.clusters import cluster_geometry, prepare_data  # noqa: E402
from exactgeo.minimizers.separability import check_truncation  # noqa: E402

NOISES = (0.2, 0.5, 0.8, 1.1, 1.4, 1.7, 2.0, 2.5)


def frontier(classes=3, points=12, seed=0, noises=NOISES) -> list:
    """One dict per noise level: noise, kappa, separable, order, cost_exact, cond."""
    Q, n = classes, points
    rng = np.random.default_rng(seed)
    means = 2 * np.eye(Q)
    dirs = rng.uniform(-1, 1, size=(Q, n, Q))
    rows = []
    for noise in noises:
        X = np.concatenate([means[j] + noise * dirs[j] for j in range(Q)])
        X = np.array([[Fraction(str(round(v, 3))) for v in r] for r in X], dtype=object)
        lab = np.repeat(np.arange(Q), n)
        kappa = cluster_geometry(prepare_data(X, lab, exact=True)).kappa
        rep = check_truncation(X, lab)
        row = {"noise": noise, "kappa": float(kappa), "separable": bool(rep.feasible),
               "order": list(rep.order), "cost_exact": None, "cond": None}
        if rep.feasible:
            r = construct_minimizer(X, lab, layers=Q, exact=True, method="lp")
            row.update(cost_exact=r.cost_exact, cond=float(max(r.condition)))
        rows.append(row)
    return rows


def figure(rows, classes, points, path):
    plt = pyplot()
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(12, 4.6), layout="constrained")
    noise = [r["noise"] for r in rows]
    ax.plot(noise, [r["kappa"] for r in rows], color="0.6", zorder=1)
    for ok, mark, color, name in ((True, "o", "tab:green", "separable (exact), cost_exact = 0"),
                                  (False, "X", "tab:red", "not step-wise separable (exact)")):
        pts = [r for r in rows if r["separable"] == ok]
        ax.scatter([r["noise"] for r in pts], [r["kappa"] for r in pts], marker=mark, s=70,
                   color=color, label=name, zorder=2)
    ax.axhline(0.5, ls="--", color="k", lw=1, label="κ = 1/2 (the sufficient condition)")
    for r in rows:
        if r["separable"]:
            ax.annotate(f"cost {r['cost_exact']}", (r["noise"], r["kappa"]),
                        textcoords="offset points", xytext=(-8, 10), fontsize=7)
    ax.set_xlabel("noise (cluster radius around the means 2·e_j)")
    ax.set_ylabel("κ (cluster geometry)")
    ax.legend(loc="upper left", fontsize=8)
    last = max((r for r in rows if r["separable"]), key=lambda r: r["noise"], default=None)
    beyond = "" if last is None else (f": separable up to noise {last['noise']} "
                                      f"(κ = {last['kappa']:.3f})")
    ax.set_title(f"exact separability frontier{beyond}", fontsize=10)
    feas = [r for r in rows if r["separable"]]
    ax2.semilogy([r["noise"] for r in feas], [r["cond"] for r in feas], "o-",
                 color="tab:green", label="LP-built network (exact, cost 0)")
    ax2.set_xlabel("noise")
    ax2.set_ylabel("max cond₂ of the cumulative weights")
    ax2.set_xlim(ax.get_xlim())
    ax2.legend(loc="upper left", fontsize=8)
    ax2.set_title("conditioning of the zero-cost networks", fontsize=10)
    fig.suptitle(f"Q = {classes} classes × {points} points: where κ < 1/2 stops being "
                 "needed (THEORY §7.4)", fontsize=11)
    return save(fig, path)


def main(out_dir=None, quick=False, classes=3, points=12, seed=0):
    """Print the table and write ``clusters_frontier.png``; ``quick``: 6 points per class,
    3 noise levels. Returns [path]."""
    noises = (0.2, 1.1, 2.0) if quick else NOISES
    points = min(points, 6) if quick else points
    rows = frontier(classes, points, seed, noises)
    print("| noise | kappa | kappa < 1/2 | separable (exact) | order | cost_exact | max cond |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        extra = f"{r['cost_exact']} | {r['cond']:.3g}" if r["separable"] else "- | -"
        print(f"| {r['noise']} | {r['kappa']:.3f} | {r['kappa'] < 0.5} | {r['separable']} | "
              f"{r['order']} | {extra} |")
    return [figure(rows, classes, points, figures_dir(out_dir) / "clusters_frontier.png")]


def cli(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--classes", type=int, default=3)
    p.add_argument("--points", type=int, default=12)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out-dir", default=None, help="default: examples/figures/")
    p.add_argument("--quick", action="store_true")
    a = p.parse_args(argv)
    main(a.out_dir, a.quick, a.classes, a.points, a.seed)
    return 0


if __name__ == "__main__":
    sys.exit(cli())
