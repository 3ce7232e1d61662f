"""Weight decay, exactly, by arrangement cells (THEORY §2.8): which optimal neurons are
wedge products of training samples?

Fits random 2-D data with a two-layer ReLU network under weight decay (ℓ2, biases) by the
cells route — the group Lasso over every anchored arrangement cell, certified by Krawczyk
(``fit(..., reg="l2", certify=True)``) — and draws
(``examples/figures/weight_decay_cells.png``):

- left, the data (colour = target) and every optimal neuron as its line wᵀx + b = 0,
  coloured by kind: *ray* (through two samples: a wedge product of samples), *face*, or
  *interior* (u = g/‖g‖ — through one sample only, not a wedge product);
- right, the cells of one anchor: the lines through that sample and every other one cut
  the directions into sectors (the groups of the group Lasso), with the optimal neurons
  anchored there.

The objective enclosure and the certificate status are in the title.

    python examples/weight_decay_cells.py [--n 12] [--beta 0.1] [--seed 5] [--model relu]
                                          [--out-dir examples/figures] [--quick]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _figures import figures_dir, pyplot, save  # noqa: E402

from exactgeo import fit  # noqa: E402

KIND_COLOUR = {"ray": "tab:red", "face": "tab:orange", "interior": "tab:blue"}


def run(n=12, beta=0.1, seed=5, model="relu"):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, 2)).round(3)
    y = np.sin(3 * X[:, 0]) * X[:, 1] + 0.3 * np.sign(X[:, 0])
    res = fit(X, y, model=model, reg="l2", bias=True, beta=beta, certify=True)
    return X, y, res


def _line(ax, w, b, lim, **kw):
    w = np.asarray(w, dtype=float)
    t = np.linspace(-lim, lim, 2)
    if abs(w[1]) >= abs(w[0]):
        ax.plot(t, -(b + w[0] * t) / w[1], **kw)
    else:
        ax.plot(-(b + w[1] * t) / w[0], t, **kw)


def draw(X, y, res, out):
    plt = pyplot()
    js = res.to_json()
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(12, 5.6))
    lim = 1.25
    sc = ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", s=45, edgecolor="k", zorder=3)
    fig.colorbar(sc, ax=ax, label="target y")
    seen = set()
    for nj in js["neurons"]:
        kind = nj["atom"]["kind"]
        lw = nj["layers"][0]
        _line(ax, lw["w"], lw["b"], lim, color=KIND_COLOUR[kind], lw=1.8,
              label=None if kind in seen else f"{kind} neuron", zorder=2)
        seen.add(kind)
        for p in nj["atom"]["spanning_rows"]:
            ax.scatter(*X[p], s=160, facecolor="none", edgecolor=KIND_COLOUR[kind], lw=1.5)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.legend(loc="lower left", fontsize=8)
    ax.set_title("optimal neurons (lines wᵀx + b = 0), ringed: samples spanning them",
                 fontsize=9)
    # the cells of one anchor: the anchor of the first neuron (or sample 0)
    anchors = [nj["atom"]["anchor"] for nj in js["neurons"] if nj["atom"]["anchor"] is not None]
    j = anchors[0] if anchors else 0
    bx.scatter(X[:, 0], X[:, 1], c="lightgray", s=30, edgecolor="k", zorder=3)
    bx.scatter(*X[j], c="k", s=80, zorder=4, label=f"anchor x_{j}")
    for i in range(len(X)):
        if i != j and np.any(X[i] != X[j]):
            d = (X[i] - X[j]) / np.linalg.norm(X[i] - X[j])
            bx.plot([X[j][0] - 3 * d[0], X[j][0] + 3 * d[0]],
                    [X[j][1] - 3 * d[1], X[j][1] + 3 * d[1]], color="0.75", lw=0.8)
    for nj in js["neurons"]:
        if nj["atom"]["anchor"] == j:
            lw = nj["layers"][0]
            _line(bx, lw["w"], lw["b"], lim, color=KIND_COLOUR[nj["atom"]["kind"]], lw=2.2)
    bx.set_xlim(-lim, lim)
    bx.set_ylim(-lim, lim)
    bx.set_xlabel("x₁")
    bx.set_ylabel("x₂")
    bx.plot([], [], color="0.75", label="cell boundaries (lines through the anchor)")
    bx.legend(loc="lower left", fontsize=8)
    bx.set_title(f"the cells of anchor {j}: sectors between the grey lines", fontsize=9)
    cert = js["certificate"]
    enc = js.get("objective_enclosure")
    width = cert.get("enclosure_width")
    obj = f"objective {res.objective:.12g}"
    if enc and width is not None:
        obj += f" (enclosure width {width:.2g})"
    fig.suptitle(f"weight decay by cells, {res.family}, β = {float(res.beta):g}: {obj}, "
                 f"{cert['status']}", fontsize=10)
    fig.tight_layout()
    return save(fig, out)


def main(out_dir=None, quick=False, n=12, beta=0.1, seed=5, model="relu"):
    X, y, res = run(n=6 if quick else n, beta=beta, seed=seed, model=model)
    return [draw(X, y, res, figures_dir(out_dir) / "weight_decay_cells.png")]


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=12)
    ap.add_argument("--beta", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--model", default="relu", choices=["relu", "abs"])
    ap.add_argument("--out-dir", default=None)
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    main(a.out_dir, a.quick, a.n, a.beta, a.seed, a.model)
