"""Which reflection hyperplanes does the convex optimum pick in sentence-embedding space?
(THEORY §3.5, §3.6; issue 12 part C.)

Pipeline — embed → reduce → fit → report:

1. the sentences of ``sentences.csv`` (3 topics) are embedded offline by the packaged
   all-MiniLM-L6-v2 model (:mod:`embed`; the ``embeddings`` extra);
2. reduced to ``dims`` (2 or 3) principal components (:func:`pca`: numpy SVD of the centred
   matrix, each component's sign fixed so that its largest-magnitude loading is positive),
   scaled so the largest |coordinate| is 1 and rounded to the grid 1/``grid`` (exact
   rationals, :func:`to_rationals`);
3. labelled ±1: +1 for the *target* topic (default: the topic whose PC1 mean is the middle
   one, so the target is a band between the other two — a mirror-symmetric shape);
4. fitted convexly with abs networks at each depth (``exactgeo.fit``, ℓ1 inner penalty, biases,
   β; certificate attempted), and trained non-convexly with the same architecture and penalty
   (parallel chains, ℓ_L^L with p = 1, :func:`exactgeo.nets.chain_trainer.train_chains`);
5. reported: the depth comparison (Σ|z|, objective, certificate status, symmetric pieces);
   every reflection hyperplane of the optimum with the sentences spanning it, the plane it is
   mirrored across and the sentence a mirror image lands on; the trained nets' planes with
   their nearest sentences (:mod:`exactgeo.symmetry.dd`); a figure and a markdown table.

:func:`run` is the core (it takes an embedding matrix, so the test feeds a small fixed one);
:func:`main` embeds the sentences and runs it. Certificate status is stated as the pipeline
returns it: ``certified-optimal`` only after the global certificate passed; depth ≥ 3 in d-D
is usually ``upper-bound`` or ``sampled-no-violation`` (THEORY §3.5).

Run: ``python examples/llm_embeddings/experiment.py [--dims 2] [--beta 1/2] [--grid 100]
[--steps 3000] [--seed 0] [--out-dir DIR] [--quick]`` (β = 1/2 by default: sparse enough
to draw; exit 2 with the install hint when the
``embeddings`` extra is missing).
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
from _figures import figures_dir, fit_status, pyplot, save  # noqa: E402

from exactgeo.nets.chain_trainer import train_chains  # noqa: E402
from exactgeo.symmetry.dd import (comparison_table, depth_comparison,  # noqa: E402
                                  reflection_planes)

NAME = "llm_embeddings"


# ------------------------------------------------------------------ reduce
def pca(E, dims: int):
    """(scores (n, dims), explained-variance fractions (dims,)) of the rows of E (n, D):
    SVD of the centred matrix; each component's sign makes its largest-|loading| positive
    (ties: the first), so the result does not depend on the SVD routine's sign choice."""
    E = np.asarray(E, dtype=float)
    if E.ndim != 2 or E.shape[0] < 2 or not np.all(np.isfinite(E)):
        raise ValueError(f"E: expected a finite embedding matrix (n, D) with n >= 2, got "
                         f"shape {E.shape}")
    if isinstance(dims, bool) or not isinstance(dims, int) or not 1 <= dims <= min(E.shape):
        raise ValueError(f"dims: expected an integer in 1..{min(E.shape)}, got {dims!r}")
    C = E - E.mean(axis=0)
    _, s, Vt = np.linalg.svd(C, full_matrices=False)
    V = Vt[:dims]
    signs = np.sign(V[np.arange(dims), np.argmax(np.abs(V), axis=1)])
    V = V * signs[:, None]
    var = s ** 2
    return C @ V.T, var[:dims] / var.sum()


def to_rationals(Z, grid: int = 100) -> np.ndarray:
    """Z (n, k) scaled so that max |Z| = 1, rounded to multiples of 1/grid: object array of
    Fractions (exact data for exact fits)."""
    Z = np.asarray(Z, dtype=float)
    if isinstance(grid, bool) or not isinstance(grid, int) or grid < 1:
        raise ValueError(f"grid: expected an integer >= 1, got {grid!r}")
    scale = np.max(np.abs(Z))
    if not scale > 0:
        raise ValueError("Z: expected coordinates that are not all zero")
    K = np.rint(Z / scale * grid).astype(np.int64)
    return np.array([[Fraction(int(k), grid) for k in row] for row in K], dtype=object)


def middle_topic(scores, topics):
    """The topic whose mean first coordinate is the median of the topic means."""
    names = sorted(set(topics))
    means = {t: np.mean([s[0] for s, u in zip(scores, topics) if u == t]) for t in names}
    order = sorted(names, key=lambda t: means[t])
    return order[(len(order) - 1) // 2]


# ------------------------------------------------------------------ run
@dataclass
class Experiment:
    """Everything :func:`run` computed: exact data ``X`` (n, dims), labels ``y`` (±1),
    ``target`` topic, ``explained`` variance fractions, ``rows`` (depth comparison of the
    convex fits), ``trained`` {depth: ChainTrainResult}, ``planes`` {depth: MirrorPlanes of
    the optimum}, ``trained_planes`` {depth: [(plane, z, nearest [(i, distance)])]},
    ``table`` (markdown) and ``paths`` (figure, table)."""
    X: np.ndarray
    y: list
    topics: list
    sentences: list
    target: str
    explained: np.ndarray
    beta: Fraction
    rows: list
    trained: dict
    planes: dict
    trained_planes: dict
    table: str = ""
    paths: list = field(default_factory=list)


def _chain_coefficients(net):
    """z_j = α_j Π_l w_l,jj of each chain (the Lasso coefficient of a trained chain)."""
    z = np.asarray(net.alpha, dtype=float).copy()
    for W, _ in net.layers[1:]:
        z = z * np.diag(np.asarray(W, dtype=float))
    return z * np.linalg.norm(np.asarray(net.layers[0][0], dtype=float), ord=1, axis=1)


def _trained_planes(tr, Xf, rel: float = 1e-2, tol: float = 1e-6):
    """Planes of the chains carrying at least ``rel`` of the largest |z|, each with its two
    nearest training points (Euclidean distance to the plane)."""
    z = _chain_coefficients(tr.net)
    keep = {j for j in range(len(z)) if abs(z[j]) >= rel * max(np.max(np.abs(z)), 1e-300)}
    out = []
    for p in reflection_planes(tr.net, Xf, tol=tol):
        if p.neuron not in keep:
            continue
        w = np.asarray(p.w, dtype=float)
        dist = np.abs(Xf @ w + float(p.b) - float(p.offset)) / np.linalg.norm(w)
        near = [(int(i), float(dist[i])) for i in np.argsort(dist, kind="stable")[:2]]
        out.append((p, float(z[p.neuron]), near))
    return out


def run(E, topics, sentences=None, *, dims: int = 2, target=None, beta="1/2",
        depths=(2, 3), grid: int = 100, steps: int = 3000, restarts: int = 2, width: int = 8,
        seed: int = 0, out_dir=None, figure: bool = True, samples: int = 2000) -> Experiment:
    """embed → reduce → fit → report on the embedding matrix E (n, D) with topic labels
    ``topics`` (n,) (see the module doc); writes ``<name>.png`` and ``<name>.md`` into
    ``out_dir`` (default ``examples/figures/``) and prints the table."""
    E = np.asarray(E, dtype=float)
    topics = [str(t) for t in topics]
    if len(topics) != E.shape[0] if E.ndim == 2 else True:
        raise ValueError(f"topics: expected {E.shape[0] if E.ndim == 2 else '?'} labels to "
                         f"match E {E.shape}, got {len(topics)}")
    if not 2 <= len(set(topics)) <= 4:
        raise ValueError(f"topics: expected 2 to 4 distinct topics, got {sorted(set(topics))}")
    sentences = list(sentences) if sentences is not None else [f"#{i}" for i in
                                                               range(len(topics))]
    scores, explained = pca(E, dims)
    X = to_rationals(scores, grid)
    target = middle_topic(scores, topics) if target is None else target
    if target not in topics:
        raise ValueError(f"target: expected one of {sorted(set(topics))}, got {target!r}")
    y = [Fraction(1) if t == target else Fraction(-1) for t in topics]
    seen = {}
    for i, row in enumerate(map(tuple, X)):
        if row in seen and y[seen[row]] != y[i]:
            raise ValueError(f"grid: sentences {seen[row]} and {i} round to the same point "
                             f"with different labels at grid {grid}; use a finer grid")
        seen.setdefault(row, i)
    b = Fraction(beta) if not isinstance(beta, Fraction) else beta
    rows = depth_comparison(X, y, depths=depths, model="abs", reg="l1", bias=True, beta=b,
                            certify=True, samples=samples, seed=seed)
    Xf = X.astype(float)
    yf = np.array([float(v) for v in y])
    trained = {L: train_chains(Xf, yf, float(b), depth=L, width=width, model="abs", p=1,
                               bias=True, restarts=restarts, steps=steps, seed=seed)
               for L in depths}
    planes = {r.depth: reflection_planes(r.result) for r in rows if r.result is not None}
    tplanes = {L: _trained_planes(tr, Xf) for L, tr in trained.items()}
    exp = Experiment(X, y, topics, sentences, target, explained, b, rows, trained, planes,
                     tplanes)
    exp.table = report_table(exp)
    print(exp.table)
    out = figures_dir(out_dir)
    if figure:
        exp.paths.append(draw(exp, out / f"{NAME}.png"))
    md = out / f"{NAME}.md"
    md.write_text(exp.table + "\n", encoding="utf-8")
    print(f"table: {md}")
    exp.paths.append(md)
    return exp


# ------------------------------------------------------------------ report
def _short(text, n=60):
    return text if len(text) <= n else text[:n - 1] + "…"


def _names(exp, idx):
    return "; ".join(f"{i} ({exp.topics[i]}): {_short(exp.sentences[i])}" for i in idx) or "—"


def _num(v):
    s = str(v)
    return s if isinstance(v, Fraction) and len(s) <= 16 else f"{float(v):.4g}"


def report_table(exp) -> str:
    """Markdown: setting, depth comparison (convex and trained), the optimum's reflection
    planes naming their sentences, the trained nets' planes with their nearest sentences."""
    lines = ["# Reflection hyperplanes in sentence-embedding space",
             "",
             f"n = {len(exp.y)} sentences, topics {sorted(set(exp.topics))}; target "
             f"+1 = **{exp.target}**, −1 = the others; {exp.X.shape[1]} principal components "
             f"(explained variance {', '.join(f'{v:.3f}' for v in exp.explained)}), scaled to "
             f"max |x| = 1 and rounded to exact rationals; abs networks, ℓ1 inner penalty, "
             f"biases, β = {exp.beta}.",
             "",
             "## Depth comparison (convex optimum, `exactgeo.fit`)",
             "",
             comparison_table(exp.rows),
             "",
             "Trained non-convex parallel chains (Adam, same architecture and penalty, float): "
             + ", ".join(f"depth {L}: objective {tr.objective:.6g}"
                         for L, tr in exp.trained.items()),
             "",
             "## Reflection hyperplanes of the convex optimum",
             "",
             "Plane: wᵀx + b = offset (level 1: offset 0, the hyperplane spanned by the "
             "sentences on it; level 2: the pair at ±c, mirror images across level 1).",
             "",
             "| depth | neuron | z | level | offset | sentences on the plane | mirrored across "
             "| mirror image lands on |",
             "|---|---|---|---|---|---|---|---|"]
    for r in exp.rows:
        if r.result is None:
            continue
        z = r.result.z
        for p in exp.planes[r.depth]:
            across = "—" if p.across is None else f"offset {_num(p.across)}"
            lands = _names(exp, [j for _, _, j in p.images if j is not None])
            lines.append(f"| {r.depth} | {p.neuron} | {_num(z[p.neuron])} | {p.level} | "
                         f"{_num(p.offset)} | {_names(exp, p.on_plane)} | {across} | {lands} |")
    lines += ["", "## Reflection hyperplanes of the trained networks (nearest sentences)", "",
              "| depth | chain | z | level | offset | nearest sentences (distance) |",
              "|---|---|---|---|---|---|"]
    for L, items in exp.trained_planes.items():
        for p, z, near in items:
            txt = "; ".join(f"{i} ({exp.topics[i]}, {d:.3g}): {_short(exp.sentences[i], 40)}"
                            for i, d in near)
            lines.append(f"| {L} | {p.neuron} | {z:.4g} | {p.level} | {float(p.offset):.4g} | "
                         f"{txt} |")
    return "\n".join(lines)


def _draw_planes(ax, X, items, colour):
    """items [(plane, style, weight ∈ (0, 1])]: line width and opacity grow with weight."""
    lo, hi = X.min(axis=0) - 0.15, X.max(axis=0) + 0.15
    for p, style, wt in items:
        kw = dict(color=colour, lw=0.4 + 2.2 * wt, alpha=0.25 + 0.75 * wt)
        w = np.asarray(p.w, dtype=float)
        off = float(p.offset) - float(p.b)
        if abs(w[1]) > abs(w[0]):
            xs = np.array([lo[0], hi[0]])
            ax.plot(xs, (off - w[0] * xs) / w[1], style, **kw)
        else:
            ys = np.array([lo[1], hi[1]])
            ax.plot((off - w[1] * ys) / w[0], ys, style, **kw)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])


def draw(exp, path) -> Path:
    """One panel per (convex | trained) × depth: sentences by topic (target filled), the
    reflection hyperplanes (level 1 solid, level 2 dashed), sentence ids on convex planes."""
    plt = pyplot()
    X = exp.X.astype(float)
    depths = list(exp.trained)
    fig, axes = plt.subplots(2, len(depths), figsize=(6.2 * len(depths), 11), squeeze=False)
    colours = dict(zip(sorted(set(exp.topics)), ["tab:blue", "tab:orange", "tab:green",
                                                 "tab:purple"]))
    rows = {r.depth: r for r in exp.rows}
    for k, L in enumerate(depths):
        for row, (kind, ax) in enumerate((("convex", axes[0, k]), ("trained", axes[1, k]))):
            for t, c in colours.items():
                idx = [i for i, u in enumerate(exp.topics) if u == t]
                ax.scatter(X[idx, 0], X[idx, 1] if X.shape[1] > 1 else 0 * X[idx, 0],
                           s=36, color=c, label=f"{t} ({'+1' if t == exp.target else '−1'})",
                           edgecolors="k", linewidths=0.4, zorder=3)
            style = {1: "-", 2: "--", 3: ":"}
            if kind == "convex":
                r = rows.get(L)
                if r is None or r.result is None:
                    ax.set_title(f"convex depth {L}: unavailable\n{r.error if r else ''}"[:120],
                                 fontsize=9)
                elif X.shape[1] == 2:
                    z = np.abs(np.asarray(r.result.z, dtype=float))
                    items = [(p, style.get(p.level, ":"), z[p.neuron] / z.max())
                             for p in exp.planes[L]]
                    _draw_planes(ax, X, items, "crimson")
                    for p in exp.planes[L]:
                        if z[p.neuron] < 0.2 * z.max():      # label the heavy neurons only
                            continue
                        for i in p.on_plane:
                            ax.annotate(str(i), X[i, :2], fontsize=7, xytext=(3, 3),
                                        textcoords="offset points")
                if r is not None and r.result is not None:
                    ax.set_title(f"convex optimum, abs depth {L}, β = {exp.beta}\n"
                                 f"{fit_status(r.result)}\nΣ|z| = {_num(r.l1_norm)}, "
                                 f"{r.symmetric} symmetric pieces", fontsize=9)
            else:
                tr = exp.trained[L]
                if X.shape[1] == 2:
                    zt = max([abs(z) for _, z, _ in exp.trained_planes[L]] or [1.0])
                    items = [(p, style.get(p.level, ":"), abs(z) / zt)
                             for p, z, _ in exp.trained_planes[L]]
                    _draw_planes(ax, X, items, "black")
                ax.set_title(f"trained parallel chains (Adam), depth {L}\nobjective "
                             f"{tr.objective:.6g} (float, not certified)", fontsize=9)
            ax.set_xlabel("PC1 (scaled, rational grid)")
            ax.set_ylabel("PC2 (scaled, rational grid)")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    from matplotlib.lines import Line2D
    handles += [Line2D([], [], color="crimson", ls="-"), Line2D([], [], color="crimson", ls="--"),
                Line2D([], [], color="black", ls="-")]
    labels += ["optimum: level-1 plane (spanned by the numbered sentences)",
               "optimum: level-2 mirror pair (width ∝ |z|)", "trained net: planes"]
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8)
    fig.suptitle("Sentence embeddings (all-MiniLM-L6-v2, PCA): reflection hyperplanes of the "
                 "convex optimum vs a trained network", fontsize=11)
    fig.tight_layout(rect=(0, 0.05, 1, 0.97))
    return save(fig, path)


# ------------------------------------------------------------------ command line
def main(out_dir=None, quick: bool = False, argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dims", type=int, default=2)
    ap.add_argument("--beta", default="1/2")
    ap.add_argument("--grid", type=int, default=100)
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out-dir", default=out_dir)
    ap.add_argument("--quick", action="store_true", default=quick)
    args = ap.parse_args(argv)
    from embed import MissingExtra, embed, load_sentences
    sentences, topics = load_sentences()
    try:
        E = embed(sentences)
    except MissingExtra as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"embedded {E.shape[0]} sentences offline: shape {E.shape}")
    run(E, topics, sentences, dims=args.dims, beta=args.beta, grid=args.grid,
        steps=200 if args.quick else args.steps, seed=args.seed, out_dir=args.out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
