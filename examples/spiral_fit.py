"""Two spirals: the globally optimal two-layer ReLU network, certified, vs Adam.

Fits the bundled 160-point two-spiral dataset as a Lasso over the B1+ dictionary
(ℓ1 inner penalty, biases: exact per THEORY §2.4), certifies it over ℚ, trains the same
non-convex objective with Adam at the same width, and draws the fitted function with the
neuron hyperplanes (each through the named training points).

    python examples/spiral_fit.py [--beta 1/100] [--out spiral_fit.png] [--steps 3000]
"""
from __future__ import annotations

import argparse
import time
from fractions import Fraction

import numpy as np

from exactgeo.data import dataset_path, read_csv
from exactgeo.fitting import fit, summary
from exactgeo.train import train


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--beta", default="1/100")
    p.add_argument("--out", default="spiral_fit.png")
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--restarts", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)

    X, y = read_csv(dataset_path("spiral"), exact=True)
    res = fit(X, y, model="relu", reg="l1", bias=True, beta=args.beta, exact=True, certify=True)
    print(summary(res, "spiral"))

    Xf, yf = np.asarray(X, float), np.asarray(y, float)
    beta = float(Fraction(args.beta))
    t = time.perf_counter()
    tr = train(Xf, yf, beta, width=max(res.nnz, 1), model="relu", reg="l1", bias=True,
               steps=args.steps, restarts=args.restarts, seed=args.seed)
    print(f"\nAdam, width {max(res.nnz, 1)}, {args.restarts} restarts x {args.steps} steps "
          f"({time.perf_counter() - t:.1f} s): objectives {[round(v, 6) for v in tr.objectives]}")
    print(f"certified optimum {res.objective:.6f} ({res.certificate.status}); "
          f"best Adam {tr.objective:.6f} (gap {tr.objective - res.objective:+.3g})")

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover
        print("matplotlib not installed: no figure")
        return 0
    g = np.linspace(-1.15, 1.15, 300)
    GX, GY = np.meshgrid(g, g)
    grid = np.column_stack([GX.ravel(), GY.ravel()])
    fig, axs = plt.subplots(1, 2, figsize=(11, 5.2))
    for ax, net, title in ((axs[0], res.net, f"Lasso optimum ({res.certificate.status}), "
                                              f"{res.nnz} neurons"),
                           (axs[1], tr.net, f"Adam, width {max(res.nnz, 1)}")):
        F = net.forward(grid).reshape(GX.shape)
        ax.contourf(GX, GY, F, levels=30, cmap="RdBu_r", alpha=0.8)
        ax.contour(GX, GY, F, levels=[0], colors="k", linewidths=1)
        ax.scatter(Xf[:, 0], Xf[:, 1], c=yf, cmap="RdBu_r", edgecolors="k", s=18)
        ax.set_title(title, fontsize=10)
        ax.set_xlim(g[0], g[-1]), ax.set_ylim(g[0], g[-1]), ax.set_aspect("equal")
    for atom in res.atoms[:40]:                       # the optimal neurons' hyperplanes
        u, c = atom.float_u_c()
        if abs(u[1]) > abs(u[0]):
            axs[0].plot(g, -(u[0] * g + c) / u[1], lw=0.4, color="0.3", alpha=0.5)
        else:
            axs[0].plot(-(u[1] * g + c) / u[0], g, lw=0.4, color="0.3", alpha=0.5)
    fig.tight_layout()
    fig.savefig(args.out, dpi=120)
    print(f"figure: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
