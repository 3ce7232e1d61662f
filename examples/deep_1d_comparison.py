"""Deep 1-D networks: trained chains against the certified convex optimum (THEORY §3, §6 G3–G5).

For each golden dataset (G3, G4 relu; G5 abs) and depth L = 2…4 this trains parallel chains
with the ℓ_L^L penalty (:func:`exactgeo.nets.chain_trainer.train_chains`, seeded), fits the
convex Lasso of the same depth exactly with the global certificate (``exactgeo.fit``; a depth
whose family is not registered is reported as unavailable), and reports

- the trained objective against the certified optimum (the trained one is never below it);
- where the trained breakpoints land against the predicted points: samples x_j,
  reflections 2x_j − x_i and midpoints (x_i + x_k)/2 (:mod:`exactgeo.symmetry`);
- the multilevel symmetry profile of both fits.

Figures (one PNG per dataset, one panel per depth) go to ``examples/figures/``;
``main(out_dir=None, quick=False, ...)`` returns their paths (``quick``: a tiny version).

Run: ``python examples/deep_1d_comparison.py [--beta 1/10] [--steps 3000] [--seed 0]
[--form parallel|shared] [--datasets G3 G4 G5] [--out-dir DIR] [--quick] [--no-figures]``
"""
from __future__ import annotations

import argparse
import math
import pathlib
import sys
from fractions import Fraction as F

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from _figures import figures_dir, pyplot, save  # noqa: E402

from exactgeo.families import registered  # noqa: E402
from exactgeo.fitting import fit  # noqa: E402
from exactgeo.nets.chain_trainer import train_chains  # noqa: E402
from exactgeo.symmetry import (defect, from_network, nearest_predicted,  # noqa: E402
                               predicted_points, profile)

GOLDEN = {
    "G3": ((0, 4, 5, 7, 10, 11), (0, 0, 0, 2, 3, 3), "relu"),
    "G4": ((0, 2, 6, 7), (0, 0, 3, 7), "relu"),
    "G5": ((-3, -2, -1, 0, 1, 2, 3), (1, 0, 1, 2, 1, 0, 1), "abs"),
}


def convex_fit(x, y, model, depth, beta):
    """The certified convex fit of depth L at β (exact), or None when no family of that
    depth is registered."""
    if (model, depth, "l1", True) not in registered():
        return None
    return fit([[F(v)] for v in x], [F(v) for v in y], model=model, depth=depth, reg="l1",
               bias=True, beta=F(beta), exact=True, certify=True)


def trained_function(net, x, rel: float = 1e-3):
    """The trained float fit as a piecewise-linear function, with kinks whose slope change is
    below ``rel`` × the largest slope dropped and kinks closer than ``rel`` × the data span
    merged (several chains often kink at nearly the same point)."""
    f = from_network(net, exact=False)
    tol = rel * (max(abs(v) for v in f.slopes()) + 1.0)
    return f.merged(rel * (max(x) - min(x)), tol)


def trained_breakpoints(g, x) -> list:
    """Kinks of the simplified trained fit within one data span of the data."""
    lo, hi = min(x), max(x)
    span = hi - lo
    return [p for p in g.breakpoints() if lo - span <= p <= hi + span]


def node_defects(g, tree, x) -> list:
    """(centre, radius, relative defect of g) at every node of ``tree`` (an unbounded radius
    is cut to the data window)."""
    if tree is None:
        return []
    out = []
    for _, node in tree.nodes():
        c = float(node.centre)
        rho = float(node.radius) if node.radius != math.inf else min(c - min(x), max(x) - c)
        out.append((c, rho, float(defect(g, c, rho).relative)))
    return out


def compare(name, *, depths=(2, 3, 4), beta=F(1, 10), width=8, steps=3000, restarts=3,
            lr=0.02, seed=0, form="parallel") -> list:
    """One row (dict) per depth: convex objective/status, trained objective, gap, landings
    of the trained breakpoints, symmetry profiles."""
    x, y, model = GOLDEN[name]
    X, Y = np.array(x, float)[:, None], np.array(y, float)
    rows = []
    for L in depths:
        res = convex_fit(x, y, model, L, beta)
        tr = train_chains(X, Y, F(beta), depth=L, width=width, model=model, steps=steps,
                          restarts=restarts, lr=lr, seed=seed, form=form)
        g = trained_function(tr.net, x)
        bps = trained_breakpoints(g, x)
        land = nearest_predicted(bps, x)
        row = {"dataset": name, "model": model, "depth": L, "beta": F(beta), "form": form,
               "seed": seed, "trained": tr.objective, "history": tr.history, "net": tr.net,
               "breakpoints": bps, "landings": land,
               "max_landing_distance": max((l.distance for l in land), default=None),
               # float fit: |f(m + t) − f(m − t)| ≤ 1e-3 × (range of y) counts as symmetric
               "trained_profile": profile(g, tol=1e-3 * (max(y) - min(y)), levels=3,
                                          min_radius=1e-3 * (max(x) - min(x))),
               "convex": res}
        if res is not None:
            opt = res.objective_exact
            row.update(optimum=opt, status=res.certificate.status,
                       gap=tr.objective - float(opt),
                       convex_profile=profile(from_network(res.net), levels=3)
                       if res.net.exact else None)
        else:
            row.update(optimum=None, status="unavailable (family not registered)", gap=None,
                       convex_profile=None)
        row["trained_defects"] = node_defects(g, row["convex_profile"], x)
        rows.append(row)
    return rows


def _node_text(node):
    if node is None:
        return "none"
    r = "∞" if node.radius == math.inf else f"{float(node.radius):.3g}"
    kids = ", ".join(_node_text(c) for c in node.children)
    return f"({float(node.centre):.3g}, ρ={r}" + (f"; {kids})" if kids else ")")


def table(rows) -> str:
    """A markdown table of the comparison rows."""
    out = ["| data | model | L | β | certified optimum | status | trained | gap | "
           "breakpoints → nearest predicted (kind, distance) |",
           "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        opt = "—" if r["optimum"] is None else f"{r['optimum']} ≈ {float(r['optimum']):.6f}"
        gap = "—" if r["gap"] is None else f"{r['gap']:+.2e}"
        land = "; ".join(f"{l.point:.3f}→{float(l.nearest):g} ({l.kind}, {l.distance:.1e})"
                         for l in r["landings"])
        out.append(f"| {r['dataset']} | {r['model']} | {r['depth']} | {r['beta']} | {opt} | "
                   f"{r['status']} | {r['trained']:.6f} | {gap} | {land} |")
    return "\n".join(out)


def figure(rows, path) -> pathlib.Path:
    """One panel per depth: data, certified convex fit, trained net, predicted points."""
    plt = pyplot()
    name, model = rows[0]["dataset"], rows[0]["model"]
    x, y, _ = GOLDEN[name]
    pad = 0.15 * (max(x) - min(x))
    bps = [p for r in rows for p in r["breakpoints"]]
    lo, hi = min([min(x)] + bps), max([max(x)] + bps)
    grid = np.linspace(lo - pad, hi + pad, 800)
    pred = predicted_points(x)
    fig, axes = plt.subplots(1, len(rows), figsize=(5.2 * len(rows), 4.4), squeeze=False)
    for ax, r in zip(axes[0], rows):
        ax.plot(x, y, "ko", label="data", zorder=5)
        if r["convex"] is not None:
            cf = np.asarray(r["convex"].net.forward(grid[:, None].astype(float)), float)
            ax.plot(grid, cf, "C0-", lw=2, label="convex fit (exact Lasso)")
        tf = np.asarray(r["net"].forward(grid[:, None]), float)
        ax.plot(grid, tf, "C3--", lw=1.5, label=f"trained {r['form']} chains (seed {r['seed']})")
        ymin = min(y) - 0.12 * (max(y) - min(y) + 1)
        for kind, mark, col in (("reflection", "v", "C2"), ("midpoint", "^", "C4")):
            pts = [float(p) for p in pred[kind] if lo - pad <= p <= hi + pad]
            ax.plot(pts, [ymin] * len(pts), mark, color=col, ms=6, ls="none",
                    label=f"predicted {kind}s")
        if r["breakpoints"]:
            ax.plot(r["breakpoints"], [r["net"].forward(np.array([[p]]))[0]
                                       for p in r["breakpoints"]], "x", color="C3", ms=8,
                    mew=2, label="trained breakpoints")
        opt = ("unavailable" if r["optimum"] is None else
               f"{r['optimum']} ≈ {float(r['optimum']):.5f}")
        ax.set_title(f"{name}, {model}, L = {r['depth']}, β = {r['beta']}\n"
                     f"convex optimum {opt} [{r['status']}]\n"
                     f"trained objective {r['trained']:.5f}", fontsize=9)
        ax.set_xlabel("x")
        ax.set_ylabel("f(x)")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=8)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return save(fig, path)


def main(out_dir=None, quick=False, beta="1/10", steps=3000, restarts=3, width=8, seed=0,
         form="parallel", datasets=None, figures=True) -> list:
    """Compare on ``datasets`` (default all), print the profiles and the table, write one
    figure per dataset into ``out_dir`` (default ``examples/figures/``) unless
    ``figures=False``; ``quick``: a tiny version (seconds). Returns the figure paths."""
    beta = F(beta)
    if quick:
        steps, restarts, width = min(steps, 200), 1, min(width, 4)
    paths, every = [], []
    for name in datasets or list(GOLDEN):
        rows = compare(name, beta=beta, width=width, steps=steps, restarts=restarts,
                       seed=seed, form=form)
        every += rows
        for r in rows:
            print(f"{name} L={r['depth']}: trained profile {_node_text(r['trained_profile'])}; "
                  f"convex profile {_node_text(r['convex_profile'])}")
            if r["trained_defects"]:
                print("  relative defect of the trained fit at the convex tree's nodes: " +
                      ", ".join(f"D({c:g}, {rho:g}) = {d:.2e}"
                                for c, rho, d in r["trained_defects"]))
        if figures:
            paths.append(figure(rows, figures_dir(out_dir) / f"deep_1d_{name}.png"))
    print()
    print(table(every))
    if form == "shared":
        print("\nshared form: the trunk is penalised once, so the trained objective may lie "
              "below the parallel-chain optimum; the gap is not a certificate check here.")
    return paths


def cli(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--beta", default="1/10")
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--restarts", type=int, default=3)
    p.add_argument("--width", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--form", choices=("parallel", "shared"), default="parallel")
    p.add_argument("--datasets", nargs="*", default=list(GOLDEN), choices=list(GOLDEN))
    p.add_argument("--out-dir", default=None, help="default: examples/figures/")
    p.add_argument("--quick", action="store_true", help="a tiny version (seconds)")
    p.add_argument("--no-figures", action="store_true")
    a = p.parse_args(argv)
    try:
        beta = F(a.beta)
    except (ValueError, ZeroDivisionError):
        beta = None
    if beta is None or beta <= 0:
        print(f"--beta: expected a number > 0 such as 1/10, got {a.beta!r}", file=sys.stderr)
        return 2
    try:
        main(a.out_dir, a.quick, beta, a.steps, a.restarts, a.width, a.seed, a.form,
             a.datasets, not a.no_figures)
    except ImportError as exc:                      # matplotlib missing
        print(str(exc), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(cli())
