"""Two spirals: the certified globally optimal two-layer ReLU network vs Adam.

Fits the bundled 160-point two-spiral dataset as a Lasso over the B1+ dictionary (ℓ1 inner
penalty, biases: exact per THEORY §2.4), certifies it over ℚ, and trains the same
non-convex objective ½‖f(X) − y‖² + β·½Σ(‖w_j‖₁² + α_j²) with Adam
(:mod:`exactgeo.nets.trainer`, explicit seed) at the same width. The figure
(``examples/figures/spiral_fit.png``) puts them side by side:

- left, the certified optimum: f(x), its decision boundary f = 0, and every neuron as the
  line through the training samples whose wedge product it is (samples ringed);
- middle, the trained network with its neurons' lines (through no particular samples);
- right, what differs: objective = data fit + penalty for both, neurons used, training
  samples misclassified (sign f ≠ y) and the largest error |f − y|.

    python examples/spiral_fit.py [--beta 1/100] [--steps 3000] [--restarts 3] [--seed 0]
                                  [--out-dir examples/figures] [--quick]
"""
from __future__ import annotations

import argparse
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _figures import figures_dir, fit_status, pyplot, save  # noqa: E402

from exactgeo import fit, load  # noqa: E402
from exactgeo.nets.trainer import train  # noqa: E402

ACTIVE = 1e-4     # a trained neuron counts when |α_j|‖w_j‖₁ > ACTIVE · Σ_k |α_k|‖w_k‖₁


def run(beta="1/100", steps=3000, restarts=3, seed=0, every=1):
    """The certified fit and the trained net on every ``every``-th spiral sample."""
    X, y = load("spiral", exact=True)
    X, y = X[::every], y[::every]
    res = fit(X, y, model="relu", reg="l1", bias=True, beta=beta, exact=True, certify=True)
    Xf, yf = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    tr = train(Xf, yf, float(Fraction(beta)), width=max(res.nnz, 1), model="relu",
               reg="l1", bias=True, steps=steps, restarts=restarts, seed=seed)
    return Xf, yf, res, tr


def describe(net, Xf, yf, beta, neurons):
    """Objective split into data fit and penalty, neurons, misclassified, max error."""
    f = np.asarray(net.forward(Xf), dtype=float)
    loss = 0.5 * float(np.sum((f - yf) ** 2))
    objective = float(net.objective(Xf, yf, beta))
    return {"objective": objective, "loss": loss, "penalty": objective - loss,
            "neurons": neurons, "misclassified": int(np.sum(np.sign(f) != np.sign(yf))),
            "max_error": float(np.max(np.abs(f - yf)))}


def active_neurons(net) -> np.ndarray:
    """Indices of the trained neurons that contribute (see ``ACTIVE``)."""
    W, _ = net.layers[0]
    size = np.abs(np.asarray(net.alpha, dtype=float)) * np.abs(np.asarray(W, float)).sum(1)
    return np.flatnonzero(size > ACTIVE * size.sum())


def _line(ax, u, c, lim, **kw):
    """The line u·x + c = 0 across the square [-lim, lim]²."""
    g = np.array([-lim, lim])
    if abs(u[1]) > abs(u[0]):
        ax.plot(g, -(u[0] * g + c) / u[1], **kw)
    else:
        ax.plot(-(u[1] * g + c) / u[0], g, **kw)


def figure(Xf, yf, res, tr, beta, seed, path, grid=300):
    plt = pyplot()
    b = float(Fraction(beta))
    act = active_neurons(tr.net)
    cert = describe(res.net, Xf, yf, b, res.nnz)
    adam = describe(tr.net, Xf, yf, b, len(act))
    lim = 1.15
    g = np.linspace(-lim, lim, grid)
    GX, GY = np.meshgrid(g, g)
    pts = np.column_stack([GX.ravel(), GY.ravel()])
    fig, axs = plt.subplots(1, 3, figsize=(17, 6), layout="constrained",
                            gridspec_kw={"width_ratios": [1, 1.2, 0.8]})
    levels = np.linspace(-2, 2, 21)
    for ax, net, name in ((axs[0], res.net, "certified optimum"),
                          (axs[1], tr.net, f"Adam (seed {seed})")):
        F = np.clip(np.asarray(net.forward(pts), dtype=float).reshape(GX.shape), -2, 2)
        cs = ax.contourf(GX, GY, F, levels=levels, cmap="RdBu_r", alpha=0.75)
        ax.contour(GX, GY, F, levels=[0], colors="k", linewidths=1.2)
        f = np.asarray(net.forward(Xf), dtype=float)
        wrong = np.sign(f) != np.sign(yf)
        ax.scatter(Xf[:, 0], Xf[:, 1], c=yf, cmap="RdBu_r", vmin=-1.5, vmax=1.5,
                   edgecolors="k", linewidths=0.4, s=16, zorder=3)
        if wrong.any():
            ax.scatter(Xf[wrong, 0], Xf[wrong, 1], marker="x", c="lime", s=60, zorder=5,
                       label=f"misclassified ({int(wrong.sum())})")
        ax.set_xlim(-lim, lim), ax.set_ylim(-lim, lim), ax.set_aspect("equal")
        ax.set_xlabel("x₁"), ax.set_ylabel("x₂")
    fig.colorbar(cs, ax=axs[1], shrink=0.85, label="network output f(x) (clipped to ±2)")

    # the optimum's neurons: each the line through the samples spanning it
    spanning = set()
    for nj in res.neurons():
        atom = nj["atom"]
        color = "darkred" if nj["coef"] > 0 else "navy"
        _line(axs[0], atom["u"], atom["c"], lim, lw=0.4, color=color, alpha=0.12)
        P = Xf[nj["points"]]
        if len(P) == 2:
            axs[0].plot(P[:, 0], P[:, 1], lw=1.6, color=color, alpha=0.9)
        spanning.update(nj["points"])
    S = Xf[sorted(spanning)]
    axs[0].scatter(S[:, 0], S[:, 1], s=60, facecolors="none", edgecolors="gold",
                   linewidths=1.3, zorder=4, label=f"spanning samples ({len(spanning)})")
    axs[0].plot([], [], color="darkred", label="neuron, z > 0 (line through its samples)")
    axs[0].plot([], [], color="navy", label="neuron, z < 0")
    axs[0].legend(loc="lower left", fontsize=7, framealpha=0.9)
    axs[0].set_title(f"certified optimum: {res.nnz} neurons, each a wedge product of "
                     f"samples\n{fit_status(res)}", fontsize=9)
    W, bias = tr.net.layers[0]
    for j in act:
        _line(axs[1], np.asarray(W[j], float), float(bias[j]), lim, lw=0.5, color="0.2",
              alpha=0.3)
    axs[1].plot([], [], color="0.2", label="trained neuron's line w·x + b = 0")
    axs[1].legend(loc="lower left", fontsize=7, framealpha=0.9)
    axs[1].set_title(f"Adam, width {tr.net.layers[0][0].shape[0]} ({len(act)} active), "
                     f"{len(tr.objectives)} restarts × {tr.steps} steps\nobjective "
                     f"{tr.objective:.6g}, no certificate (an upper bound)", fontsize=9)

    ax = axs[2]
    names = ["certified\noptimum", f"Adam\n(seed {seed})"]
    x = np.arange(2)
    loss = [cert["loss"], adam["loss"]]
    pen = [cert["penalty"], adam["penalty"]]
    ax.bar(x, loss, 0.55, color="tab:orange", label="data fit ½‖f(X) − y‖²")
    ax.bar(x, pen, 0.55, bottom=loss, color="tab:purple", label=f"penalty β·R, β = {beta}")
    for i, d in enumerate((cert, adam)):
        ax.text(i, d["objective"], f"{d['objective']:.5g}", ha="center", va="bottom",
                fontsize=9)
    gap = adam["objective"] - cert["objective"]
    ax.set_xticks(x, names)
    ax.set_ylabel("objective ½‖f(X) − y‖² + β·R(θ)")
    ax.set_ylim(0, 1.7 * max(cert["objective"], adam["objective"]))
    ax.legend(loc="upper left", fontsize=8)
    rows = [("neurons", cert["neurons"], adam["neurons"]),
            ("misclassified", cert["misclassified"], adam["misclassified"]),
            ("max |f − y|", f"{cert['max_error']:.3g}", f"{adam['max_error']:.3g}")]
    table = "\n".join(f"{k:>13}: {a!s:>7} | {t!s:>7}" for k, a, t in rows)
    ax.text(0.02, 0.84, f"{'':>13}  optimum |    Adam\n{table}", transform=ax.transAxes,
            ha="left", va="top", family="monospace", fontsize=8,
            bbox={"facecolor": "white", "alpha": 0.85})
    rel = f" ({gap / cert['objective']:+.2%})" if cert["objective"] > 0 else ""
    ax.set_title(f"what differs\nAdam's objective is {gap:+.4g} above the optimum{rel}",
                 fontsize=9)
    fig.suptitle(f"two spirals, n = {len(yf)}, relu, ℓ1 inner penalty, β = {beta}", fontsize=11)
    return save(fig, path), cert, adam


def main(out_dir=None, quick=False, beta="1/100", steps=3000, restarts=3, seed=0):
    """Write ``spiral_fit.png`` into ``out_dir``; ``quick``: every 3rd sample (both
    classes: the file alternates them), a short
    Adam run and a coarse grid (seconds). Returns [path]."""
    if quick:
        steps, restarts = min(steps, 300), 1
    Xf, yf, res, tr = run(beta, steps, restarts, seed, every=3 if quick else 1)
    path, cert, adam = figure(Xf, yf, res, tr, beta, seed,
                              figures_dir(out_dir) / "spiral_fit.png",
                              grid=80 if quick else 300)
    print(f"certified optimum {cert['objective']:.6f} ({res.certificate.status}), "
          f"{cert['neurons']} neurons; Adam {adam['objective']:.6f}, {adam['neurons']} "
          f"active neurons (gap {adam['objective'] - cert['objective']:+.3g})")
    return [path]


def cli(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--beta", default="1/100")
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--restarts", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out-dir", default=None, help="default: examples/figures/")
    p.add_argument("--quick", action="store_true", help="a tiny version (seconds)")
    a = p.parse_args(argv)
    main(a.out_dir, a.quick, a.beta, a.steps, a.restarts, a.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(cli())
