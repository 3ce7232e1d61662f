"""Symmetry of d-D absolute-value features and fitted networks (THEORY §3.5, §3.6).

Every §3.5 feature is φ(x) = g(t), t = wᵀx + b, with g_2 = |t| and g_{l+1} = |g_l − c_l|
(c_l ≥ 0, in the units of t; w need not be normalised: φ is positively homogeneous, so a
unit normal only rescales it). Hence, exactly over ℚ:

- φ is invariant under the mirror in the level-1 plane {t = 0}: x ↦ x − 2(wᵀx + b)w/‖w‖²
  (x ↦ x − 2(uᵀx)u for unit u and no bias);
- at depth ≥ 3 also under the mirror in {t = c} restricted to the slab 0 ≤ t ≤ 2c, c = c_2
  (x ↦ x − 2(uᵀx − c)u), and deeper under the nested mirrors of the canonical tree
  (:func:`exactgeo.symmetry.canonical_tree` of (0, c_2, c_3, …) in t): :func:`slab_mirrors`.

For a fitted network, :func:`reflection_planes` lists the kink hyperplanes of every neuron with
their nesting level, the training points on each (those spanning it), and for each level ≥ 2
plane the lower-level plane it is mirrored across and the mirror images of its training
points. :func:`depth_comparison` fits the same data at several depths and compares the ℓ1 norm
Σ|z| and the number of symmetric pieces (neurons whose planes come in mirror pairs).

>>> from fractions import Fraction as F
>>> w, b, c = spanned_hyperplane([[F(1), F(1)]]), F(0), None     # the line y = x, no bias
>>> w.tolist()
[Fraction(-1, 1), Fraction(1, 1)]
>>> xk = [F(0), F(2)]; c = abs(sum(a * v for a, v in zip(w, xk)))   # c = |wᵀx_k| = 2
>>> x = [F(1, 2), F(3, 2)]                                         # t = 1: in the slab [0, 4]
>>> abs_feature(x, w, 0, [c]) == abs_feature(mirror(x, w, c), w, 0, [c])
True
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import NamedTuple, Optional

import numpy as np

from ..ga import affine_hyperplane, linear_hyperplane, reflect_across_hyperplane
from ..numbers import is_exact_scalar, to_fraction
from .report import reflection_report
from .tree import canonical_tree

__all__ = ["mirror", "abs_feature", "spanned_hyperplane", "Slab", "slab_mirrors", "Chain",
           "chains_of", "MirrorPlane", "reflection_planes", "DepthRow", "depth_comparison",
           "comparison_table", "planes_table"]


def _exact_all(*values) -> bool:
    return all(is_exact_scalar(v) for v in values)


def _vector(v, name):
    arr = np.asarray(v, dtype=object)
    if arr.ndim != 1 or arr.shape[0] < 1:
        raise ValueError(f"{name}: expected a vector of shape (d,) with d >= 1, got shape "
                         f"{arr.shape}")
    if all(is_exact_scalar(a) for a in arr):
        return np.array([to_fraction(a) for a in arr], dtype=object), True
    return np.asarray(v, dtype=float), False


def mirror(x, w, offset=0):
    """Mirror image of the points x (..., d) in the hyperplane {y : wᵀy = offset}:
    x − 2(wᵀx − offset)w/‖w‖² (exact for rational input). With ‖u‖ = 1 these are THEORY
    §3.6's maps x ↦ x − 2(uᵀx)u (offset 0) and x ↦ x − 2(uᵀx − c)u (offset c).

    >>> from fractions import Fraction as F
    >>> mirror([F(3), F(1)], [F(1), F(0)], F(1)).tolist()            # across x = 1
    [Fraction(-1, 1), Fraction(1, 1)]
    """
    return reflect_across_hyperplane(x, w, -offset if offset != 0 else 0)


def abs_feature(X, w, b=0, thresholds=()):
    """φ = g(Xw + b) with g_2 = |t|, g_{l+1} = |g_l − c_l| (THEORY §3.5); X (n, d) → (n,)
    or x (d,) → scalar; ``thresholds`` (c_2, c_3, …) ≥ 0 in the units of t (depth =
    2 + len(thresholds)). Exact (Fractions) for rational input.

    >>> from fractions import Fraction as F
    >>> abs_feature([[F(3)], [F(-1)]], [F(1)], 0, [F(2)]).tolist()      # ||x| − 2|
    [Fraction(1, 1), Fraction(1, 1)]
    """
    w, exact_w = _vector(w, "w")
    X = np.asarray(X, dtype=object)
    if X.ndim not in (1, 2) or X.shape[-1] != w.shape[0]:
        raise ValueError(f"X: expected shape (n, {w.shape[0]}) or ({w.shape[0]},) to match w, "
                         f"got {X.shape}")
    cs = list(thresholds)
    for c in cs:
        if not c >= 0:
            raise ValueError(f"thresholds: expected numbers >= 0 (THEORY §3.5), got {c!r}")
    exact = exact_w and _exact_all(b, *cs, *X.ravel())
    if exact:
        X = np.vectorize(to_fraction, otypes=[object])(X)
        t = X.dot(w) + to_fraction(b)
        cs = [to_fraction(c) for c in cs]
    else:
        t = X.astype(float).dot(w.astype(float)) + float(b)
        cs = [float(c) for c in cs]
    g = abs(t)
    for c in cs:
        g = abs(g - c)
    return g


def spanned_hyperplane(P, *, bias: bool = False):
    """The normal w (and, with ``bias``, (w, b)) of the hyperplane spanned by the rows of P:
    without bias span(P) with d − 1 rows, w = ×(P); with bias the affine plane through d
    rows (THEORY §0). Dependent rows: ValueError (no hyperplane)."""
    if bias:
        h = affine_hyperplane(P, on_degenerate="raise")
        return h.w, h.b
    return linear_hyperplane(P, on_degenerate="raise").w


class Slab(NamedTuple):
    """A mirror of a feature g(t), t = wᵀx + b: the plane {t = centre} (nesting ``level``,
    1 for {t = 0}) maps the slab |t − centre| ≤ ``radius`` (None: all of ℝ^d) onto itself and
    leaves the feature unchanged there. In x: :func:`mirror` (x, w, centre − b)."""
    level: int
    centre: object
    radius: object


def slab_mirrors(thresholds) -> list:
    """[Slab] of the feature with thresholds (c_2, c_3, …): the centres of the canonical tree
    (:func:`exactgeo.symmetry.canonical_tree` with a_1 = 0: level 1 {t = 0}, level 2
    {t = ±c_2}, level 3 {t = ±c_2 ± c_3}, …), each with the largest radius on which g is
    mirror-symmetric about it, measured exactly (:func:`exactgeo.symmetry.symmetric_radius`
    of g as a piecewise-linear function of t; it is c_l when the windows nest,
    c_{l+1} ≤ c_l/2, and may be smaller otherwise).

    >>> from fractions import Fraction as F
    >>> [(s.level, s.centre, s.radius) for s in slab_mirrors([F(2)])]
    [(1, Fraction(0, 1), None), (2, Fraction(-2, 1), Fraction(2, 1)), (2, Fraction(2, 1), Fraction(2, 1))]
    """
    from .piecewise import from_network
    from .search import symmetric_radius
    cs = list(thresholds)
    exact = _exact_all(*cs)
    zero = Fraction(0) if exact else 0.0
    one = Fraction(1) if exact else 1.0
    w = np.array([one], dtype=object if exact else float)
    g = from_network(_inner_network(Chain(w, zero, [(one, -c) for c in cs], "abs"), exact),
                     exact=exact)
    out = []
    for tier, node in canonical_tree([zero, *cs]).nodes():
        r = symmetric_radius(g, node.centre)
        out.append(Slab(tier + 1, node.centre, None if r == math.inf else r))
    return sorted(out, key=lambda s: (s.level, s.centre))


# ------------------------------------------------------------------ fitted networks
class Chain(NamedTuple):
    """One hidden unit of a parallel-chain network: t = wᵀx + b (first layer) and ``inner``,
    the deeper layers as [(weight, bias)] scalars (empty for depth 2), ``activation``."""
    w: np.ndarray
    b: object
    inner: list
    activation: str


def _row(W, j):
    return np.asarray(W, dtype=object)[j]


def chains_of(net) -> list:
    """[Chain] of a :class:`exactgeo.nets.Network` whose deeper layers are diagonal (parallel
    chains, THEORY §3.1; two-layer nets included). Exact factorisations are read exactly:
    two-layer ``Units`` (U, c: the plane uᵀx + c = 0 is rational also when ‖u‖ is not),
    1-D ``ChainUnits`` (signs, θ) and d-D abs chain units (U, c, thresholds)."""
    units = getattr(net, "units", None)
    acts = net.activations
    if units is not None and hasattr(units, "thresholds"):     # d-D abs chains (§3.5)
        T = np.asarray(units.thresholds, dtype=object)
        return [Chain(np.asarray(units.U[j], dtype=object), units.c[j],
                      [(Fraction(1), -T[j, l]) for l in range(T.shape[1])], "abs")
                for j in range(units.width)]
    if units is not None and hasattr(units, "U") and not hasattr(units, "thetas"):
        return [Chain(np.asarray(units.U[j], dtype=object), units.c[j], [], acts[0])
                for j in range(units.width)]
    if units is not None and hasattr(units, "thetas"):
        out = []
        thetas = np.asarray(units.thetas, dtype=object)
        signs = getattr(units, "signs", None)
        for j in range(units.width):
            s = [1] * thetas.shape[1] if signs is None or units.activation == "abs" else \
                [int(v) for v in signs[j]]
            w = np.array([Fraction(s[0])], dtype=object)      # t = s_1(x − θ_1)
            b, th, s = -s[0] * thetas[j][0], list(thetas[j][1:]), s[1:]
            out.append(Chain(w, b, [(Fraction(s[k]), -s[k] * th[k]) for k in range(len(th))],
                             units.activation))
        return out
    layers = net.layers
    for l, (W, _) in enumerate(layers[1:], start=2):
        W = np.asarray(W, dtype=object)
        if W.shape[0] != W.shape[1] or any(W[i, k] != 0 for i in range(W.shape[0])
                                           for k in range(W.shape[1]) if i != k):
            raise ValueError(f"net: layer {l} is not diagonal; expected parallel chains "
                             "(THEORY §3.1)")
    W1, b1 = layers[0]
    return [Chain(_row(W1, j), b1[j],
                  [(layers[l][0][j][j], layers[l][1][j]) for l in range(1, len(layers))],
                  acts[0]) for j in range(np.asarray(W1).shape[0])]


def _inner_network(chain: Chain, exact: bool):
    """The chain as a 1-D network of t (first layer t ↦ t), for the 1-D reflection report."""
    from ..nets import Network
    one, zero = (Fraction(1), Fraction(0)) if exact else (1.0, 0.0)
    cast = to_fraction if exact else float
    mat = (lambda v: np.array([[cast(v)]], dtype=object if exact else float))
    layers = [(mat(one), [zero])] + [(mat(a), [cast(c)]) for a, c in chain.inner]
    return Network(layers, [one], zero, activation=chain.activation)


class MirrorPlane(NamedTuple):
    """A kink hyperplane {x : wᵀx + b = offset} of hidden neuron ``neuron`` at nesting
    ``level`` (the layer whose pre-activation vanishes there). ``on_plane``: indices of the
    training points on it (for level 1 these span it); ``recipe``: the points the family
    named for the neuron and ``axes`` the basis directions in its recipe (level 1; level ≥ 2:
    the sample whose value gave the threshold, when it lies on this plane — a d-D deep abs
    atom's ``reflect``; () if unknown). For level ≥ 2: ``across`` the offset
    of the lower-level plane it mirrors (its partner is at 2·across − offset) and
    ``images`` [(i, image, j)]: training point i on this plane, its mirror image across that
    plane, and j the training point there (None if none)."""
    neuron: int
    level: int
    w: np.ndarray
    b: object
    offset: object
    on_plane: tuple
    recipe: tuple
    axes: tuple
    across: object
    images: list


def _norm2(w):
    return sum((v * v for v in w), Fraction(0) if _exact_all(*w) else 0.0)


def _find(X, p, exact, tol):
    for i, x in enumerate(X):
        if exact and all(a == b for a, b in zip(x, p)):
            return i
        if not exact and float(np.max(np.abs(np.asarray(x, float) - np.asarray(p, float)))) <= tol:
            return i
    return None


def reflection_planes(fitted, X=None, *, tol: float = 1e-9) -> list:
    """[MirrorPlane] of every neuron of ``fitted`` (a :class:`exactgeo.FitResult` — its
    ``net``, training data and atoms — or a Network with ``X`` (n, d)). Exact for rational
    planes (exact fits; float nets use ``tol``: a point within distance ``tol`` of a plane is
    on it, two offsets within ``tol``·‖w‖ are one).

    >>> from fractions import Fraction as F
    >>> import exactgeo
    >>> X = [[F(v)] for v in range(-3, 4)]; y = [F(v) for v in (1, 0, 1, 2, 1, 0, 1)]   # G5
    >>> res = exactgeo.fit(X, y, model="abs", depth=3, reg="l1", bias=True, min_norm=True)
    >>> [(p.level, p.offset, p.on_plane, p.across) for p in reflection_planes(res)]
    [(1, Fraction(0, 1), (3,), None), (2, Fraction(-2, 1), (1,), Fraction(0, 1)), (2, Fraction(2, 1), (5,), Fraction(0, 1))]
    """
    net = getattr(fitted, "net", fitted)
    if X is None:
        X = getattr(fitted, "X", None)
        if X is None:
            raise ValueError("X: expected the training data (n, d) with a Network")
    X = np.asarray(X, dtype=object)
    if X.ndim != 2 or X.shape[1] != net.n_features:
        raise ValueError(f"X: expected shape (n, {net.n_features}), got {X.shape}")
    atoms = getattr(fitted, "atoms", None)
    chains = chains_of(net)
    known = atoms is not None and len(atoms) == len(chains)
    recipes = [tuple(getattr(a, "points", ()) or ()) for a in atoms] if known else \
        [()] * len(chains)
    axes = [tuple(getattr(a, "axes", ()) or ()) for a in atoms] if known else \
        [()] * len(chains)
    reflects = [tuple(getattr(a, "reflect", ()) or ()) for a in atoms] if known else \
        [()] * len(chains)
    out = []
    for j, ch in enumerate(chains):
        exact = _exact_all(*ch.w, ch.b, *(v for pair in ch.inner for v in pair)) and \
            _exact_all(*X.ravel())
        w = np.array([to_fraction(v) for v in ch.w], dtype=object) if exact else \
            np.asarray(ch.w, dtype=float)
        b = to_fraction(ch.b) if exact else float(ch.b)
        norm = _norm2(w) ** 0.5 if not exact else None
        Xe = np.vectorize(to_fraction, otypes=[object])(X) if exact else X.astype(float)
        t = Xe.dot(w) + b
        eps = 0 if exact else tol * float(norm)
        for kinks in reflection_report(_inner_network(ch, exact), tol=eps):
            across = {}
            for m, rho in kinks.reflections:
                across.setdefault(m + rho, m)
                across.setdefault(m - rho, m)
            for tau in kinks.points:
                on = tuple(int(i) for i in range(len(t)) if abs(t[i] - tau) <= eps)
                m = across.get(tau) if kinks.layer > 1 else None
                if m is None and kinks.layer > 1:      # float nets: the nearest key
                    m = next((v for k, v in across.items() if abs(k - tau) <= eps), None)
                images = []
                if m is not None:
                    for i in on:
                        img = mirror(Xe[i], w, m - b)
                        images.append((i, img, _find(Xe, img, exact, tol)))
                first = kinks.layer == 1
                k = reflects[j][kinks.layer - 2] if not first and \
                    len(reflects[j]) > kinks.layer - 2 else -1
                recipe = recipes[j] if first else ((int(k),) if k in on else ())
                out.append(MirrorPlane(j, kinks.layer, w, b, tau, on, recipe,
                                       axes[j] if first else (), m, images))
    return out


def planes_table(planes, names=None) -> str:
    """A markdown table of :func:`reflection_planes`; ``names[i]`` labels training point i."""
    def name(i):
        return str(i) if names is None else f"{i}: {names[i]}"
    rows = ["| neuron | level | plane wᵀx + b = | training points on it | mirrored across "
            "| mirror images land on |", "|---|---|---|---|---|---|"]
    for p in planes:
        on = "; ".join(name(i) for i in p.on_plane) or "—"
        across = "—" if p.across is None else f"wᵀx + b = {_fmt(p.across)}"
        lands = "; ".join(name(j) for _, _, j in p.images if j is not None) or "—"
        rows.append(f"| {p.neuron} | {p.level} | {_fmt(p.offset)} | {on} | {across} | "
                    f"{lands} |")
    return "\n".join(rows)


def _fmt(v) -> str:
    return str(v) if isinstance(v, Fraction) and len(str(v)) <= 24 else f"{float(v):.6g}"


# ------------------------------------------------------------------ depth comparison
class DepthRow(NamedTuple):
    """One depth of :func:`depth_comparison`: ``l1_norm`` Σ|z| (exact when available),
    ``objective`` (float), ``status`` (certificate status or "not certified"),
    ``neurons``, ``symmetric`` (neurons with a mirror pair of distinct planes),
    ``mirror_pairs`` (such pairs over all neurons), ``result`` (FitResult) or ``error``
    (why this depth did not run)."""
    depth: int
    l1_norm: object
    objective: Optional[float]
    status: str
    neurons: int
    symmetric: int
    mirror_pairs: int
    result: object = None
    error: str = ""


def _symmetry_counts(planes):
    pairs = {(p.neuron, p.level, min(p.offset, 2 * p.across - p.offset))
             for p in planes if p.across is not None and p.offset != p.across}
    return len({k[0] for k in pairs}), len(pairs)


def depth_comparison(X, y, depths=(2, 3), *, model: str = "abs", reg: str = "l1",
                     bias: bool = True, beta=None, certify: bool = True, **fit_kw) -> list:
    """[DepthRow] of ``exactgeo.fit`` at each depth on the same data (β None: the min-norm
    limit, the minimum Σ|z| interpolant). A depth whose family is missing or whose fit fails
    is a row with ``error`` (the message), not an exception.

    >>> from fractions import Fraction as F
    >>> X = [[F(v)] for v in range(-3, 4)]; y = [F(v) for v in (1, 0, 1, 2, 1, 0, 1)]   # G5
    >>> [(r.depth, r.l1_norm, r.symmetric) for r in depth_comparison(X, y, certify=False)]
    [(2, Fraction(3, 1), 0), (3, Fraction(1, 1), 1)]
    """
    from ..pipeline import fit
    rows = []
    for L in depths:
        try:
            res = fit(X, y, model=model, depth=L, reg=reg, bias=bias, beta=beta,
                      min_norm=beta is None, certify=certify, **fit_kw)
        except (KeyError, ValueError, NotImplementedError, MemoryError) as exc:
            rows.append(DepthRow(L, None, None, "unavailable", 0, 0, 0, None,
                                 f"{type(exc).__name__}: {exc}"))
            continue
        planes = reflection_planes(res)
        sym, pairs = _symmetry_counts(planes)
        l1 = res.l1_norm_exact if res.l1_norm_exact is not None else res.l1_norm
        status = res.certificate.status if res.certificate is not None else "not certified"
        rows.append(DepthRow(L, l1, float(res.objective), status, len(chains_of(res.net)),
                             sym, pairs, res))
    return rows


def comparison_table(rows) -> str:
    """A markdown table of :func:`depth_comparison` rows."""
    out = ["| depth | Σ\\|z\\| | objective | certificate | neurons | symmetric pieces "
           "| mirror pairs |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        if r.error:
            out.append(f"| {r.depth} | — | — | unavailable: {r.error} | — | — | — |")
            continue
        out.append(f"| {r.depth} | {_fmt(r.l1_norm)} | {r.objective:.6g} | {r.status} | "
                   f"{r.neurons} | {r.symmetric} | {r.mirror_pairs} |")
    return "\n".join(out)
