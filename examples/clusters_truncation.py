"""2-D clusters truncated layer by layer by the zero-cost construction (THEORY §4.4).

Writes two PNG figures to the directory given on the command line (default examples/out/):

- ``clusters_truncation_q3.png``: the bundled ``clusters2d`` data (Q = 3 classes in ℝ², so
  the construction works in the affine hull of the means, padded to ℝ³); panel ℓ shows
  τ^{(ℓ)}(x) mapped back to the input plane: after layer ℓ the classes truncated so far sit on
  their apexes, the others have not moved.
- ``clusters_truncation_q2.png``: Q = 2 in ℝ² with the cones: layer j collapses the cone
  a_j − K_j (shaded) onto the apex a_j and fixes a_j + K_j.

Run: ``python examples/clusters_truncation.py [OUT_DIR]``
"""
from __future__ import annotations

import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from exactgeo.minimizers import construct_minimizer  # noqa: E402
from exactgeo.data import load  # noqa: E402
from exactgeo.minimizers.truncation import tau_states  # noqa: E402

COLORS = ["tab:blue", "tab:orange", "tab:green", "tab:red"]


def figure_q3(path):
    X, lab = load("clusters2d", exact=False)
    res = construct_minimizer(X, lab, layers=3)
    data = res.data
    C, c0 = data.proj                      # z = Cx + c0; rows 0..1 orthonormal, row 2 zero
    U = C[:2].T                            # (2, 2) orthonormal chart of the plane
    back = lambda Z: (U @ (Z[:2] - c0[:2, None])).T  # noqa: E731  z → x (exact inverse)
    taus = tau_states(res.cumulative, data.Z)
    fig, axes = plt.subplots(1, len(res.cumulative) + 1, figsize=(4 * (len(taus)), 4),
                             sharex=True, sharey=True)
    for l, ax in enumerate(axes):
        P = back(taus[l])
        for j in range(data.Q):
            m = data.cls == j
            ax.scatter(P[m, 0], P[m, 1], s=18, color=COLORS[j], label=f"class {res.classes[j]:g}")
        if l > 0:
            for j in res.order[:l]:
                a = back(res.apexes[:, [j]])[0]
                ax.scatter([a[0]], [a[1]], marker="*", s=200, color=COLORS[j], edgecolor="k")
        ax.set_title("input" if l == 0 else f"after layer {l} (τ^({l}))")
        ax.set_aspect("equal")
    axes[0].legend(loc="upper left", fontsize=8)
    fig.suptitle(f"Q = 3 clusters, κ = {res.kappa:.3f}, cost = {res.cost:.1e}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def figure_q2(path):
    rng = np.random.default_rng(3)
    X = np.concatenate([np.array([0.0, 0.0]) + 0.35 * rng.uniform(-1, 1, (15, 2)),
                        np.array([2.0, 1.0]) + 0.35 * rng.uniform(-1, 1, (15, 2))])
    lab = np.repeat([0, 1], 15)
    res = construct_minimizer(X, lab, layers=2)
    taus = tau_states(res.cumulative, X.T)
    fig, axes = plt.subplots(1, 3, figsize=(12, 4), sharex=True, sharey=True)
    lim = (-1.2, 3.2, -1.2, 2.4)
    for l, ax in enumerate(axes):
        P = taus[l].T
        if l > 0:
            W, b = res.cumulative[l - 1]
            j = res.order[l - 1]
            a = res.apexes[:, j]
            Wi = np.linalg.inv(W)
            e1, e2 = Wi[:, 0], Wi[:, 1]
            big = 20.0
            ax.fill([a[0], a[0] - big * e1[0], a[0] - big * e1[0] - big * e2[0],
                     a[0] - big * e2[0]],
                    [a[1], a[1] - big * e1[1], a[1] - big * e1[1] - big * e2[1],
                     a[1] - big * e2[1]], color=COLORS[j], alpha=0.15, label="a − K (collapsed)")
            for e in (e1, e2):
                ax.plot([a[0], a[0] + big * e[0]], [a[1], a[1] + big * e[1]], "k--", lw=0.8)
            ax.scatter([a[0]], [a[1]], marker="*", s=200, color=COLORS[j], edgecolor="k")
        for j in range(2):
            m = lab == j
            ax.scatter(P[m, 0], P[m, 1], s=18, color=COLORS[j])
        ax.set_xlim(lim[0], lim[1]); ax.set_ylim(lim[2], lim[3]); ax.set_aspect("equal")
        ax.set_title("input" if l == 0 else f"after layer {l}: cone a + K fixed (dashed)")
    fig.suptitle(f"Q = 2 clusters in R², κ = {res.kappa:.3f}, cost = {res.cost:.1e}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", nargs="?", default=os.path.join("examples", "out"))
    args = p.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    f1 = os.path.join(args.out, "clusters_truncation_q3.png")
    f2 = os.path.join(args.out, "clusters_truncation_q2.png")
    figure_q3(f1)
    figure_q2(f2)
    print(f1)
    print(f2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
