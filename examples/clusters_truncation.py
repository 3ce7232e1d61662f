"""2-D clusters truncated layer by layer by the zero-cost construction (THEORY §4.4).

Writes two PNG figures into ``examples/figures/`` (or the folder given):

- ``clusters_truncation_q3.png``: the bundled ``clusters2d`` data (Q = 3 classes in ℝ², so
  the construction works in the affine hull of the means, padded to ℝ³); panel ℓ shows
  τ^{(ℓ)}(x) mapped back to the input plane: after layer ℓ the classes truncated so far sit on
  their apexes, the others have not moved.
- ``clusters_truncation_q2.png``: Q = 2 in ℝ² with the cones: layer j collapses the cone
  a_j − K_j (shaded) onto the apex a_j and fixes a_j + K_j.

Each title carries the network's cost, recomputed exactly over ℚ by a forward pass of the
exact construction (``cost_exact``): 0 is the proof that the network is a global minimizer.

Run: ``python examples/clusters_truncation.py [--out-dir DIR] [--quick]``
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
from exactgeo.minimizers.truncation import tau_states  # noqa: E402

COLORS = ["tab:blue", "tab:orange", "tab:green", "tab:red"]


def exact_status(X, lab, layers) -> str:
    """The cost of the exact construction on the same data, computed over ℚ."""
    res = construct_minimizer(X, lab, layers=layers, exact=True)
    verdict = "exactly 0, so a global minimizer (cost ≥ 0)" if res.cost_exact == 0 else \
        "not zero"
    return f"cost_exact = {res.cost_exact} over ℚ: {verdict}"


def figure_q3(path):
    plt = pyplot()
    X, lab = load("clusters2d", exact=False)
    res = construct_minimizer(X, lab, layers=3)
    data = res.data
    C, c0 = data.proj                      # z = Cx + c0; rows 0..1 orthonormal, row 2 zero
    U = C[:2].T                            # (2, 2) orthonormal chart of the plane
    back = lambda Z: (U @ (Z[:2] - c0[:2, None])).T  # noqa: E731  z → x (exact inverse)
    taus = tau_states(res.cumulative, data.Z)
    fig, axes = plt.subplots(1, len(res.cumulative) + 1, figsize=(4 * (len(taus)), 4.4),
                             sharex=True, sharey=True, layout="constrained")
    for l, ax in enumerate(axes):
        P = back(taus[l])
        for j in range(data.Q):
            m = data.cls == j
            ax.scatter(P[m, 0], P[m, 1], s=18, color=COLORS[j], label=f"class {res.classes[j]:g}")
        if l > 0:
            for j in res.order[:l]:
                a = back(res.apexes[:, [j]])[0]
                ax.scatter([a[0]], [a[1]], marker="*", s=200, color=COLORS[j], edgecolor="k",
                           label=f"apex a_{j} (class {res.classes[j]:g} truncated)")
        ax.set_title("input" if l == 0 else f"after layer {l} (τ^({l}))")
        ax.set_xlabel("x₁"), ax.set_ylabel("x₂")
        ax.set_aspect("equal")
        ax.legend(loc="center right", fontsize=7)
    Xq, labq = load("clusters2d", exact=True)
    fig.suptitle(f"Q = 3 clusters, κ = {res.kappa:.3f}, float cost {res.cost:.1e}; "
                 f"{exact_status(Xq, labq, 3)}", fontsize=10)
    return save(fig, path)


def figure_q2(path):
    plt = pyplot()
    rng = np.random.default_rng(3)
    X = np.concatenate([np.array([0.0, 0.0]) + 0.35 * rng.uniform(-1, 1, (15, 2)),
                        np.array([2.0, 1.0]) + 0.35 * rng.uniform(-1, 1, (15, 2))])
    lab = np.repeat([0, 1], 15)
    res = construct_minimizer(X, lab, layers=2)
    taus = tau_states(res.cumulative, X.T)
    fig, axes = plt.subplots(1, 3, figsize=(12, 4.4), sharex=True, sharey=True,
                             layout="constrained")
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
                     a[1] - big * e2[1]], color=COLORS[j], alpha=0.15,
                    label=f"cone a_{j} − K_{j} (collapsed)")
            for k, e in enumerate((e1, e2)):
                ax.plot([a[0], a[0] + big * e[0]], [a[1], a[1] + big * e[1]], "k--", lw=0.8,
                        label=f"cone a_{j} + K_{j} (fixed)" if k == 0 else None)
            ax.scatter([a[0]], [a[1]], marker="*", s=200, color=COLORS[j], edgecolor="k",
                       label=f"apex a_{j}")
        for j in range(2):
            m = lab == j
            ax.scatter(P[m, 0], P[m, 1], s=18, color=COLORS[j], label=f"class {j}")
        ax.set_xlim(lim[0], lim[1]); ax.set_ylim(lim[2], lim[3]); ax.set_aspect("equal")
        ax.set_xlabel("x₁"), ax.set_ylabel("x₂")
        ax.set_title("input" if l == 0 else f"after layer {l}")
        ax.legend(loc="upper left", fontsize=7)
    fig.suptitle(f"Q = 2 clusters in ℝ², κ = {res.kappa:.3f}, float cost {res.cost:.1e}; "
                 f"{exact_status(X, lab, 2)}", fontsize=10)
    return save(fig, path)


def main(out_dir=None, quick=False):
    """Write both figures into ``out_dir`` (default examples/figures/); returns the paths.
    ``quick`` changes nothing: both constructions take well under a second."""
    out = figures_dir(out_dir)
    return [figure_q3(out / "clusters_truncation_q3.png"),
            figure_q2(out / "clusters_truncation_q2.png")]


def cli(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out-dir", default=None, help="default: examples/figures/")
    p.add_argument("--quick", action="store_true")
    a = p.parse_args(argv)
    main(a.out_dir, a.quick)
    return 0


if __name__ == "__main__":
    sys.exit(cli())
