"""The exact pricing oracle of deep absolute-value chains in d-D by cells (THEORY §3.7).

A unit θ = (u, c_1, c_2[, c_3]) (c_1 = 0 without bias, thresholds c_l ≥ 0) has the feature
φ(x; θ) = ||uᵀx + c_1| − c_2| (depth 3) or |||uᵀx + c_1| − c_2| − c_3| (depth 4), and the
oracle returns the exact S(r) = sup |rᵀφ(X; θ)| over ‖u‖_p = 1 (p = 1: ℓ1, p = 2: ℓ2).

The thresholds are eliminated first (the 1-D vertex principle of §3.2 for the projected
data t = Xu): for each fixed u, sup_c rᵀφ is attained at a vertex of the kink
arrangement in c-space (with the planes c_l = 0), and a vertex is a *recipe* — m
independent kink groups (``vertices_1d.kink_groups``) and one sample per group — that
fixes the thresholds as a linear map of u, θ(u) = T·u. So

    S(r) = max over recipes T of sup_{‖u‖_p = 1, T_l u ≥ 0} |rᵀφ(X; u, T u)|,

and each ψ_T(u) = φ(X; u, Tu) is piecewise linear in u on the cells of a central
arrangement in ℝ^d (the kink rows ±(±(x_i − T_1) − T_2) − T_3 …, and the rows T_l of the
validity conditions c_l ≥ 0). Together the (recipe, cell) pairs are the cells of the
§3.7 arrangement with the thresholds solved for: on each, φ = M_C u exactly and with
g = M_Cᵀr the price of the cell is

- p = 2: ‖Π_{K_C}(g)‖ (the face recursion of §2.8, ``pricing.project_cone_exact``),
  decided in ℚ by squares; the maximiser is interior (u = g), on a face, or a ray;
- p = 1: the LP max gᵀu over K_C ∩ {‖u‖₁ ≤ 1}, attained at an extreme ray of K_C cut by
  the coordinate planes: every ray ±×(S) of d − 1 rows of K_C and axes is tried, exactly.

The u = 0 directions carry the constant feature: with bias 𝟙ᵀr = 0 is required (else
ValueError); without bias and 𝟙ᵀr ≠ 0 the supremum is +∞ (c_2 → ∞ gives c_2 − |uᵀx|),
reported as ``sup = inf`` with no atom.

(Every recipe point θ(u) with T_l u ≥ 0 is a genuine unit, so the maximum is ≤ S(r); and
for every u the 1-D supremum is one of the recipe values, so it is ≥ S(r).) In 1-D this
is the vertex oracle of §3.2 itself (tested equal).

All cells of all recipes are enumerated once per data set (exact integer arithmetic; d = 2
the sector walk ``pricing_2d.angular_rays``, else ``arrangement._regions``) and cached;
each call screens every cell with a rigorous float upper bound and prices exactly only the
cells that bound cannot exclude: d = 2 the sector rule (bound within rounding of the
price), any other d the cruder ‖g‖₂ / ‖g‖_∞ (slower: seconds per call at n ≈ 6, d = 3).
Counts grow as O(n^{m} · (2^m n)^{d−1}) (m = L − 1): bounded per recipe up front and
refused above ``max_cells``.

>>> from fractions import Fraction as F
>>> X = [[0, 0], [1, 0], [0, 1], [1, 1]]
>>> P = price_deep_abs(X, [F(1), F(-1), F(-1), F(1)], 3, True, "l1")
>>> P.sup_exact, P.kind, P.atom.kind
(Fraction(1, 1), 'exact', 'ray')
>>> check_atom(X, [F(1), F(-1), F(-1), F(1)], P)
True
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations, product
from typing import Any, Optional

import numpy as np

from ..families.base import Atom, Pricing, check_residual
from ..families.vertices_1d import _inverse, kink_groups
from ..numbers import as_exact_array, exact_sqrt, integer_scale, primitive
from ..progress import as_progress
from .arrangement import _canonical_line, _regions
from .pricing import project_cone_exact

__all__ = ["DeepAbsAtom", "DeepBall", "DEFAULT_MAX_CELLS", "price_deep_abs",
           "price_deep_abs_ball", "estimate_cells", "deep_abs_features", "check_atom"]

#: (recipe, cell) pairs one call may enumerate before refusing up front
DEFAULT_MAX_CELLS = 400_000
_EPS = 2.0 ** -52
_INT64_SAFE = 2 ** 62


@dataclass(frozen=True, eq=False)
class DeepAbsAtom(Atom):
    """A unit deep abs chain θ = (u, c_1, c_2[, c_3]) found by :func:`price_deep_abs`.

    ``u`` (d,) Fractions, ``c`` = c_1, ``thresholds`` = (c_2[, c_3]) ≥ 0. ℓ1: ‖u‖₁ = 1 and
    ``norm_sq`` None. ℓ2: ``u`` is the unnormalised rational maximiser (primitive integer
    entries as Fractions), ``norm_sq`` = ‖u‖₂², the unit is (u, c, thresholds)/√norm_sq.
    ``kind``: "interior" (u = g, algebraic, not data-spanned), "face" (on a data-spanned
    face of dimension ≥ 2), "ray" (on a ray spanned by kink rows: a wedge product of data
    differences), "axis-ray" (ℓ1 vertex with a coordinate plane), "zero".
    ``recipe`` = (normals of the kink groups, sample per group (−1: none), μ per group):
    the 1-D vertex that fixes the thresholds as linear functions of u.

    >>> a = DeepAbsAtom(np.array([Fraction(1)], dtype=object), Fraction(0),
    ...                 thresholds=(Fraction(1),), kind="ray")
    >>> a.key()
    ((Fraction(1, 1),), Fraction(0, 1), (Fraction(1, 1),), None)
    """
    thresholds: tuple = ()
    kind: str = ""
    recipe: tuple = ()

    def key(self):
        return (tuple(self.u.tolist()), self.c, tuple(self.thresholds), self.norm_sq)

    def to_json(self) -> dict:
        from ..numbers import fraction_str
        out = super().to_json()
        s = 1.0 if self.norm_sq is None else math.sqrt(float(self.norm_sq))
        out["thresholds"] = [float(t) / s for t in self.thresholds]
        out["thresholds_exact"] = [fraction_str(t) for t in self.thresholds]
        out["kind"] = self.kind
        return out


# ---------------------------------------------------------------- recipes

def _groups(m: int, bias: bool):
    """Kink groups (normal N, offsets μ) of the 1-D chain θ = (a_1, c_2, …) plus the planes
    c_l = 0 (l ≥ 2) and, without bias, a_1 = 0."""
    g = {}
    for N, mus in kink_groups("abs", (1,) * m):
        g.setdefault(N, set()).update(mus)
    for l in range(1, m):
        g.setdefault(tuple(int(k == l) for k in range(m)), set()).add(0)
    if not bias:        # a_1 ≡ 0: its planes a_1 = x_n are no threshold planes any more
        g[tuple(int(k == 0) for k in range(m))] = {0}
    return sorted((N, tuple(sorted(mus))) for N, mus in g.items())


def _combos(m: int, bias: bool):
    groups = _groups(m, bias)
    e0 = tuple(int(k == 0) for k in range(m))
    out = []
    for combo in combinations(range(len(groups)), m):
        if not bias and all(groups[g][0] != e0 for g in combo):
            continue
        inv = _inverse([groups[g][0] for g in combo])
        if inv is not None:
            out.append((tuple(groups[g] for g in combo), inv))
    return out


def _options(mus, n):
    return [(-1, 0)] if mus == (0,) else [(i, mu) for mu in mus if mu for i in range(n)] + \
        ([(-1, 0)] if 0 in mus else [])


def _recipes(XI, m: int, bias: bool):
    """Distinct threshold maps: list of (T (m rows of d Fractions), recipe description)."""
    n, d = len(XI), len(XI[0])
    seen, out = set(), []
    for groups, inv in _combos(m, bias):
        for choice in product(*[_options(mus, n) for _, mus in groups]):
            Y = [[Fraction(mu * v) for v in XI[i]] if i >= 0 else [Fraction(0)] * d
                 for i, mu in choice]
            T = tuple(tuple(-sum((inv[a][b] * Y[b][k] for b in range(m)), Fraction(0))
                            for k in range(d)) for a in range(m))
            if T in seen:
                continue
            seen.add(T)
            out.append((T, (tuple(N for N, _ in groups), tuple(i for i, _ in choice),
                            tuple(mu for _, mu in choice))))
    return out


def _recipe_count(n: int, m: int, bias: bool) -> int:
    tot = 0
    for groups, _ in _combos(m, bias):
        k = 1
        for _, mus in groups:
            k *= len(_options(mus, n))
        tot += k
    return tot


def estimate_cells(n: int, d: int, depth: int, bias: bool) -> int:
    """Upper bound on the (recipe, cell) pairs of :func:`price_deep_abs` for n points in
    dimension d: recipes × the general-position cell count 2Σ_{k<d} C(R − 1, k) of the
    R = n(2^m − 1) + m − 1 rows of one recipe (m = depth − 1).

    >>> estimate_cells(20, 2, 3, True)
    153720
    """
    m = _check_depth(depth) - 1
    R = n * (2 ** m - 1) + m - 1
    per = 2 * sum(math.comb(R - 1, k) for k in range(d)) if R > 0 else 1
    return _recipe_count(n, m, bias) * per


# ---------------------------------------------------------------- cells of one recipe

def _dot(a, b):
    return sum(x * y for x, y in zip(a, b))


def _kink_rows(x, T):
    """The pre-activation rows of every layer at sample x (all sign choices)."""
    m = len(T)
    forms = [tuple(a - b for a, b in zip(x, T[0]))]
    rows = list(forms)
    for l in range(1, m):
        forms = [tuple(s * a - b for a, b in zip(f, T[l])) for f in forms for s in (1, -1)]
        rows += forms
    return rows


def _chain_matrix(Xs, T, P):
    """For points P (K, d) inside cells: M (K, n, d) with ψ_i(u) = M[k, i]·u on the cell of
    P[k], and the validity mask (every threshold T_l·P[k] ≥ 0). Integer arrays."""
    m = len(T)
    H = np.broadcast_to(Xs - T[0], (len(P),) + Xs.shape).copy()       # (K, n, d)
    for l in range(m):
        if l:
            H = H - T[l]
        v = np.einsum("knd,kd->kn", H, P)
        s = (v > 0).astype(np.int64) - (v < 0).astype(np.int64)
        H = H * s[:, :, None]
    valid = np.ones(len(P), dtype=bool)
    for l in range(1, m):
        valid &= (P @ T[l]) >= 0
    return H, valid


def _cone_rows(x_rows, T, u):
    """The oriented rows of the closed cell of u: every pre-activation s·h (s = its sign
    at u) and the thresholds T_l (l ≥ 2), as integer tuples (zero rows dropped)."""
    m = len(T)
    rows = set()
    for x in x_rows:
        h = [a - b for a, b in zip(x, T[0])]
        for l in range(m):
            if l:
                h = [a - b for a, b in zip(h, T[l])]
            s = (_dot(h, u) > 0) - (_dot(h, u) < 0)
            h = [s * a for a in h]
            if any(h):
                rows.add(tuple(primitive(h)))
    for l in range(1, m):
        if any(T[l]):
            rows.add(tuple(primitive(T[l])))
    return sorted(rows)


def _sectors_2d(rows):
    """The sectors of the lines {u : aᵀu = 0} (a in ``rows``, distinct, non-zero):
    interior points and the boundary rays (v1, v2), counter-clockwise, exact integers."""
    from ..families.pricing_2d import angular_rays
    groups, _ = angular_rays(rows, True)
    m = len(groups)
    pts, sectors = [], []
    for gi in range(m):
        r1, r2 = groups[gi][0], groups[(gi + 1) % m][0]
        if r1[0] * r2[1] - r1[1] * r2[0] > 0:       # angle < π
            pt = (r1[0] + r2[0], r1[1] + r2[1])
        else:                                        # angle π: rotate r1 by +90°
            pt = (-r1[1], r1[0])
        pts.append(tuple(primitive(pt)))
        sectors.append((tuple(int(v) for v in r1), tuple(int(v) for v in r2)))
    return pts, sectors


_AXES_2D = ((1, 0), (-1, 0), (0, 1), (0, -1))


def _cross2(a, b):
    return a[0] * b[1] - a[1] * b[0]


def _in_sector(v1, v2, e) -> bool:
    """Is e strictly inside the sector from v1 counter-clockwise to v2 (angle ≤ π)?"""
    return _cross2(v1, e) > 0 and (_cross2(v1, v2) <= 0 or _cross2(e, v2) > 0)


def _cells_bound(lines: int, d: int) -> int:
    """Cells of a central arrangement of ``lines`` distinct hyperplanes in ℝ^d: at most
    2Σ_{k<d} C(lines − 1, k) (exact in general position, and exact for d ≤ 2)."""
    if lines == 0:
        return 1
    if d == 1:
        return 2
    return 2 * sum(math.comb(lines - 1, k) for k in range(d))


class _Structure:
    """Every (recipe, cell) of one data set: the integer matrices M (N, n, d), the scale
    δ of each (ψ_real = M u / (D δ)), the recipe index and an interior point."""

    def __init__(self, Xe, depth, bias, max_cells, progress, max_bytes=2 ** 30):
        n, d = Xe.shape
        m = depth - 1
        ints, D = integer_scale(Xe)
        XI = [tuple(int(v) for v in row) for row in ints]
        self.D, self.n, self.d, self.m = int(D), n, d, m
        self.recipes = []                       # (T ints (m, d), δ, description, Xs ints)
        Ms, scale, owner, points, rays = [], [], [], [], []
        prog = as_progress(progress, label="deep cells")
        prepared, bound = [], 0
        for T, desc in _recipes(XI, m, bias):
            delta = math.lcm(*[t.denominator for row in T for t in row]) if T else 1
            Ti = [tuple(int(t * delta) for t in row) for row in T]
            Xs = [tuple(v * delta for v in x) for x in XI]
            lines = {}
            for x in Xs:
                for row in _kink_rows(x, Ti):
                    if any(row):
                        lines.setdefault(_canonical_line(row)[0], None)
            for row in Ti[1:]:
                if any(row):
                    lines.setdefault(_canonical_line(row)[0], None)
            rows = list(lines)
            prepared.append((Ti, delta, desc, Xs, rows))
            bound += _cells_bound(len(rows), d)
        if bound > max_cells:             # refused before enumerating a single cell
            raise ValueError(_too_many(f"up to {bound}", max_cells))
        need = bound * n * d * 16         # M as integers and as floats
        if need > max_bytes:
            raise MemoryError(f"X: the cell matrices of up to {bound} (recipe, cell) pairs "
                              f"need about {need} bytes, more than max_bytes={max_bytes}; "
                              f"price by sampling θ = (u, c) instead (label "
                              f"sampled-no-violation), or raise max_bytes")
        for ri, (Ti, delta, desc, Xs, rows) in enumerate(prepared):
            if d == 2 and rows:
                pts, sectors = _sectors_2d(rows)
            else:
                pts = [pt for _, pt in _regions(rows, d)] if rows else [(1,) + (0,) * (d - 1)]
                sectors = None
            big = max([abs(v) for x in Xs for v in x] + [abs(v) for r in Ti for v in r]
                      + [0]) * (2 ** m) * max([abs(v) for p in pts for v in p] + [1]) * d
            dt = np.int64 if big < _INT64_SAFE else object
            P = np.array(pts, dtype=dt).reshape(len(pts), d)
            H, valid = _chain_matrix(np.array(Xs, dtype=dt).reshape(n, d),
                                     np.array(Ti, dtype=dt).reshape(m, d), P)
            keep = np.flatnonzero(valid)
            self.recipes.append((Ti, delta, desc, Xs))
            Ms.append(H[keep])
            scale += [delta] * len(keep)
            owner += [ri] * len(keep)
            points += [pts[k] for k in keep]
            if d == 2:
                rays += [sectors[k] if sectors else ((1, 0), (-1, 0)) for k in keep]
            prog.update(lambda: f"recipe {ri + 1}/{len(prepared)}, {len(points)} cells")
        self.M = np.concatenate(Ms) if Ms else np.zeros((0, n, d), dtype=np.int64)
        self.scale = np.array(scale, dtype=object)
        self.owner = np.array(owner, dtype=np.int64)
        self.points = points
        try:
            self.Mf = self.M.astype(np.float64)
        except OverflowError:                   # pragma: no cover - astronomically large data
            self.Mf = np.array([[[float(v) for v in r] for r in c] for c in self.M])
        self.scale_f = np.array([float(self.D * s) for s in scale], dtype=np.float64)
        #: d = 2: the two boundary rays (v1, v2) of each sector, counter-clockwise, and
        #: which of the axes ±e_1, ±e_2 (:data:`_AXES_2D`) lie strictly inside (exact)
        self.rays = rays
        self.axes_in = np.array([[_in_sector(v1, v2, e) for e in _AXES_2D]
                                 for v1, v2 in rays], dtype=bool).reshape(len(rays), 4)

    def __len__(self):
        return len(self.points)


_CACHE: dict = {}


def _structure(Xe, depth, bias, max_cells, progress, max_bytes=2 ** 30) -> _Structure:
    key = (tuple(tuple(row) for row in Xe.tolist()), depth, bias)
    s = _CACHE.get(key)
    if s is None:
        s = _Structure(Xe, depth, bias, max_cells, progress, max_bytes)
        if len(_CACHE) >= 4:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = s
    return s


def _too_many(count_text, max_cells):
    return (f"X: the deep abs cell arrangement has {count_text} (recipe, cell) pairs, more "
            f"than max_cells={max_cells}; price by sampling θ = (u, c) instead (a sampled "
            f"oracle, label sampled-no-violation), or raise max_cells")


# ---------------------------------------------------------------- exact cell prices

def _rays_l1(C, d):
    """Extreme-ray candidates of {u : C u ≥ 0} cut by the coordinate planes: ±×(S) for
    every d − 1 rows S of C and the axes (tag True if S holds an axis), in the cone.
    All subsets at once (batched ``cross_int``, one exact membership product)."""
    from ..ga import cross_int
    if d == 1:
        return [((s,), False) for s in (1, -1) if all(c[0] * s >= 0 for c in C)]
    axes = [tuple(int(k == j) for k in range(d)) for j in range(d)]
    pool = list(C) + axes
    subsets = list(combinations(range(len(pool)), d - 1))
    V = np.array([[pool[q] for q in S] for S in subsets], dtype=object)
    W = cross_int(V)                                    # (K, d) exact integers
    W = np.concatenate([W, -W]).astype(object)
    tags = [any(q >= len(C) for q in S) for S in subsets] * 2
    Cm = np.array(C, dtype=object).reshape(len(C), d)
    ok = np.all(Cm.dot(W.T) >= 0, axis=0) if len(C) else np.ones(len(W), dtype=bool)
    out, seen = [], set()
    for k in sorted(np.flatnonzero(ok & np.any(W != 0, axis=1)), key=tags.__getitem__):
        w = tuple(primitive(W[k]))
        if w not in seen:
            seen.add(w)
            out.append((w, tags[k]))
    out.sort(key=lambda t: t[1])               # data rays before axis rays (ties)
    return out


def _price_cell(g, C, d, reg):
    """(value, u, kind) of max gᵀu over K = {Cu ≥ 0}, ‖u‖_p ≤ 1, for integer g: ℓ1 value
    a Fraction with u (‖u‖₁ = 1); ℓ2 value² a Fraction with u = Π_K g unnormalised."""
    if reg == "l1":
        best = (Fraction(0), None, "zero")
        for v, tag in _rays_l1(C, d):
            val = Fraction(_dot(g, v), sum(abs(a) for a in v))
            if val > best[0]:
                best = (val, v, "axis-ray" if tag else "ray")
        if best[1] is None:
            return best
        n1 = sum(abs(a) for a in best[1])
        return best[0], tuple(Fraction(a, n1) for a in best[1]), best[2]
    u = project_cone_exact(C, g)
    val = sum((a * a for a in u), Fraction(0))
    if val == 0:
        return val, None, "zero"
    if all(a == b for a, b in zip(u, g)):
        kind = "interior"
    else:
        tight = [c for c in C if _dot(c, u) == 0]
        from .pricing import _int_rank
        kind = "ray" if d - (_int_rank(tight) if tight else 0) == 1 else "face"
    return val, tuple(u), kind


# ---------------------------------------------------------------- the oracle

def _check_depth(depth):
    if isinstance(depth, bool) or depth not in (3, 4):
        raise ValueError(f"depth: expected 3 or 4 (weight layers of the abs chain), got "
                         f"{depth!r}")
    return int(depth)


def _check_inputs(X, r, depth, bias, reg):
    _check_depth(depth)
    if reg not in ("l1", "l2"):
        raise ValueError(f"reg: expected 'l1' or 'l2' (the norm of u), got {reg!r}")
    if not isinstance(bias, (bool, np.bool_)):
        raise TypeError(f"bias: expected True or False, got {type(bias).__name__} {bias!r}")
    Xe = as_exact_array(X, "X")
    if Xe.ndim != 2 or Xe.shape[0] < 1 or Xe.shape[1] < 1:
        raise ValueError(f"X: expected a 2-D array of shape (n, d), got shape {Xe.shape}")
    r_arr, r_exact = check_residual(r, Xe.shape[0])
    re = np.array([Fraction(v) for v in r_arr], dtype=object)
    return Xe, re, bool(r_exact)


def price_deep_abs(X, r, depth: int, bias: bool, reg: str, *,
                   max_cells: int = DEFAULT_MAX_CELLS, progress=False,
                   max_bytes: int = 2 ** 30) -> Pricing:
    """Exact sup over unit depth-3/4 abs chains θ = (u, c_1, c_2[, c_3]), ‖u‖_p = 1
    (``reg`` "l1" | "l2"), c_1 = 0 unless ``bias``, of |rᵀφ(X; θ)| (X (n, d), r (n,)).

    Returns a :class:`~exactgeo.families.base.Pricing` of kind "exact": ℓ1 ``sup_exact``,
    ℓ2 ``sup_sq_exact`` (and ``sup_exact`` when the root is rational), the maximiser
    ``atom`` (a :class:`DeepAbsAtom`, exact) and ``sign`` of rᵀφ there. Float r is taken at
    its exact binary value. With ``bias``, exact r needs 𝟙ᵀr = 0 (ValueError otherwise);
    without bias and 𝟙ᵀr ≠ 0 the supremum is infinite (``sup = inf``, ``atom`` None).
    Refuses before enumerating: ValueError when the cell count (bounded per recipe)
    exceeds ``max_cells``, MemoryError when the cached cell matrices (≈ 16·cells·n·d
    bytes) would exceed ``max_bytes``. The cells of a data set are built once and cached
    (the 4 most recent data sets); ``progress`` reports the build on stderr.

    >>> P = price_deep_abs([[0], [1], [2]], [1, -2, 1], 3, True, "l2")
    >>> P.sup_sq_exact, P.sign, P.atom.thresholds
    (Fraction(4, 1), 1, (Fraction(0, 1),))
    """
    Xe, re, r_exact = _check_inputs(X, r, depth, bias, reg)
    n, d = Xe.shape
    if isinstance(max_cells, bool) or not isinstance(max_cells, (int, np.integer)) \
            or max_cells < 1:
        raise ValueError(f"max_cells: expected a positive integer, got {max_cells!r}")
    total = sum(re, Fraction(0))
    if total != 0:
        if bias and r_exact:
            raise ValueError(f"r: the bias family needs 1ᵀr = 0 (free intercept), got "
                             f"sum(r) = {total}; the supremum is infinite")
        if not bias:
            return Pricing(math.inf, None, 1 if total > 0 else -1, "exact")
    key = (tuple(tuple(row) for row in Xe.tolist()), int(depth), bool(bias))
    if key not in _CACHE and _recipe_count(n, int(depth) - 1, bool(bias)) > max_cells:
        # every recipe has a cell: refuse before building them (the estimate in the text)
        raise ValueError(_too_many(f"up to {estimate_cells(n, d, depth, bias)} "
                                   f"(estimated)", max_cells))
    S = _structure(Xe, int(depth), bool(bias), max_cells, progress, max_bytes)
    if all(v == 0 for v in re) or len(S) == 0:
        return Pricing(0.0, None, 1, "exact", sup_exact=Fraction(0),
                       sup_sq_exact=Fraction(0))
    best = _search(S, re, reg)
    return _pricing(S, best, reg, re)


def _float_g(S: _Structure, re):
    """Float g of every cell (real units) and a rigorous bound on its error (componentwise)."""
    rf = np.array([float(v) for v in re])
    G = np.einsum("knd,n->kd", S.Mf, rf) / S.scale_f[:, None]
    err = (S.n + 4) * _EPS * np.einsum("knd,n->kd", np.abs(S.Mf), np.abs(rf)) \
        / S.scale_f[:, None] + 1e-300
    return G, err


def _search_2d(S: _Structure, re, reg):
    """d = 2: each cell is a sector cone(v1, v2). ℓ2 price: ‖g‖ if g lies in it, else
    max(0, gᵀv̂1, gᵀv̂2); ℓ1: the best of v1, v2 and the axes inside, each /‖·‖₁. Screened
    in float64 with a rigorous margin, then decided exactly (by squares for ℓ2)."""
    rint, R = integer_scale(re)
    rint = [int(v) for v in rint]
    G, err = _float_g(S, re)
    E = np.linalg.norm(err, axis=1)
    V1 = np.array([v for v, _ in S.rays], dtype=np.float64)
    V2 = np.array([v for _, v in S.rays], dtype=np.float64)
    best = (Fraction(-1), None)
    lower = -1.0
    for sign in (1, -1):
        Gs = sign * G
        cands = []
        for V in (V1, V2):
            nrm = np.linalg.norm(V, axis=1) if reg == "l2" else np.abs(V).sum(axis=1)
            cands.append(((Gs * V).sum(axis=1) / nrm,
                          (E * np.linalg.norm(V, axis=1) / nrm) * (1 + 1e-9)
                          + 8 * _EPS * (np.abs(Gs) * np.abs(V)).sum(axis=1) / nrm))
        val = np.maximum(np.maximum(cands[0][0], cands[1][0]), 0.0)
        up = np.maximum(np.maximum(cands[0][0] + cands[0][1], cands[1][0] + cands[1][1]),
                        0.0)
        c1 = V1[:, 0] * Gs[:, 1] - V1[:, 1] * Gs[:, 0]         # cross(v1, g)
        c2 = Gs[:, 0] * V2[:, 1] - Gs[:, 1] * V2[:, 0]         # cross(g, v2)
        half = (V1[:, 0] * V2[:, 1] - V1[:, 1] * V2[:, 0]) <= 0  # angle π
        slack1 = E * np.linalg.norm(V1, axis=1) * 2 + 8 * _EPS * np.abs(V1).sum(1) \
            * np.abs(Gs).sum(1)
        slack2 = E * np.linalg.norm(V2, axis=1) * 2 + 8 * _EPS * np.abs(V2).sum(1) \
            * np.abs(Gs).sum(1)
        maybe = (c1 >= -slack1) & (half | (c2 >= -slack2))
        inside = (c1 >= 0) & (half | (c2 >= 0))
        if reg == "l2":
            gn = np.linalg.norm(Gs, axis=1)
            val = np.where(inside, gn, val)
            up = np.where(maybe, np.maximum(up, (gn + E) * (1 + 1e-9)), up)
        else:
            for q, e in enumerate(_AXES_2D):
                ax, sg = (0 if e[0] else 1), (e[0] or e[1])
                in_e = S.axes_in[:, q]
                a = sg * Gs[:, ax]
                val = np.where(in_e, np.maximum(val, a), val)
                up = np.where(in_e, np.maximum(up, (a + err[:, ax]) * (1 + 1e-9)), up)
        k0 = int(np.argmax(val))                 # the likely winner first: a high bar
        for k in [k0] + list(np.argsort(-up, kind="stable")):
            if up[k] < lower:
                break
            res = _exact_sector(S, k, rint, R, sign, reg)
            if res[0] > best[0]:
                best = res
                lower = (float(res[0]) if reg == "l1" else math.sqrt(float(res[0]))) \
                    * (1 - 1e-12)
    return best


def _exact_sector(S, k, rint, R, sign, reg):
    """(value or value², details) of sector k for the residual sign·r, exactly."""
    ri = int(S.owner[k])
    _, delta, _, _ = S.recipes[ri]
    Mk = S.M[k]
    g = [sign * sum(rint[i] * int(Mk[i, c]) for i in range(S.n)) for c in range(2)]
    den = S.D * delta * R
    v1, v2 = S.rays[k]
    cross = _cross2
    half = cross(v1, v2) <= 0
    cand = [(v1, "ray"), (v2, "ray")]
    if reg == "l1":
        cand += [(e, "axis-ray") for e in _AXES_2D if _in_sector(v1, v2, e)]
        best = (Fraction(0), None, "zero")
        for v, kind in cand:
            val = Fraction(_dot(g, v), sum(abs(a) for a in v))
            if val > best[0]:
                best = (val, tuple(Fraction(a, sum(abs(b) for b in v)) for a in v), kind)
        return best[0] / den, (sign, best[1], best[2], ri)
    if any(g) and cross(v1, g) >= 0 and (half or cross(g, v2) >= 0):
        return Fraction(_dot(g, g), den * den), (sign, tuple(Fraction(a) for a in g),
                                                  "interior", ri)
    best = (Fraction(0), None, "zero")
    for v, kind in cand:
        t = _dot(g, v)
        if t > 0:
            val = Fraction(t * t, _dot(v, v))
            if val > best[0]:
                best = (val, tuple(Fraction(a) for a in v), kind)
    return best[0] / (den * den), (sign, best[1], best[2], ri)


def _search(S: _Structure, re, reg):
    if S.d == 2:
        return _search_2d(S, re, reg)
    return _search_generic(S, re, reg)


def _search_generic(S: _Structure, re, reg):
    """Any d: screen by ‖g‖₂ (ℓ2) or ‖g‖_∞ (ℓ1), a rigorous upper bound of the cell's
    price, then price the remaining cells exactly (cone projection / extreme rays)."""
    rint, R = integer_scale(re)
    rint = [int(v) for v in rint]
    G, err = _float_g(S, re)
    if reg == "l2":
        bound = np.linalg.norm(G, axis=1) + np.linalg.norm(err, axis=1)
    else:
        bound = np.abs(G).max(axis=1) + err.max(axis=1)
    bound = bound * (1 + 1e-9)
    order = np.argsort(-bound, kind="stable")
    best = (Fraction(-1), None)                 # (value (ℓ1) or value² (ℓ2), details)
    lower = -1.0
    for k in order:
        if bound[k] < lower:
            break
        ri = int(S.owner[k])
        Ti, delta, desc, Xs = S.recipes[ri]
        Mk = S.M[k]
        g = [sum(rint[i] * int(Mk[i, c]) for i in range(S.n)) for c in range(S.d)]
        C = _cone_rows(Xs, Ti, S.points[k])
        den = S.D * delta * R                    # real g = g / den
        for sign in (1, -1):
            gs = [sign * v for v in g]
            val, u, kind = _price_cell(gs, C, S.d, reg)
            val = val / den if reg == "l1" else val / (den * den)
            if val > best[0]:
                best = (val, (sign, u, kind, ri))
                lower = (float(val) if reg == "l1" else math.sqrt(float(val))) * (1 - 1e-12)
    return best


def _pricing(S: _Structure, best, reg, re) -> Pricing:
    val, info = best
    if info is None or val <= 0:
        return Pricing(0.0, None, 1, "exact", sup_exact=Fraction(0), sup_sq_exact=Fraction(0))
    sign, u, kind, ri = info
    Ti, delta, desc, _ = S.recipes[ri]
    if reg == "l2":
        ints, _ = integer_scale(np.array(u, dtype=object))
        u = tuple(Fraction(int(v)) for v in primitive([int(v) for v in ints]))
        norm_sq = sum((a * a for a in u), Fraction(0))
    else:
        norm_sq = None
    th = [sum((Fraction(t) * a for t, a in zip(row, u)), Fraction(0)) / (S.D * delta)
          for row in Ti]
    atom = DeepAbsAtom(np.array(u, dtype=object), -th[0], norm_sq=norm_sq,
                       points=tuple(sorted({i for i in desc[1] if i >= 0})),
                       thresholds=tuple(th[1:]), kind=kind, recipe=desc)
    if reg == "l1":
        return Pricing(float(val), atom, sign, "exact", sup_exact=val, sup_sq_exact=val * val)
    return Pricing(math.sqrt(float(val)), atom, sign, "exact", sup_exact=exact_sqrt(val),
                   sup_sq_exact=val)


# ---------------------------------------------------------------- ball residuals

@dataclass(frozen=True)
class DeepBall:
    """S(r) for a residual known only as balls (irrational r, e.g. from ℓ2 KKT enclosures).

    ``value``: a flint ``arb`` enclosing S(r) for every r in the box with 𝟙ᵀr = 0;
    ``pricing``: the exact :class:`Pricing` at the centred midpoint r₀ (its maximiser is
    the witness); ``delta_l1``: the exact bound on ‖r − r₀‖₁ behind the radius.
    :meth:`compare` decides S(r) vs β strictly or reports a tie (None).
    """
    value: Any
    pricing: Pricing
    delta_l1: Fraction

    def compare(self, beta) -> Optional[int]:
        """+1 if S(r) > β for the whole box, −1 if S(r) < β, None if undecided (a tie
        within the enclosure: say so, never guess)."""
        from .pricing import _arb_of
        b = _arb_of(beta)
        if self.value > b:
            return 1
        if self.value < b:
            return -1
        return None


def price_deep_abs_ball(X, r, depth: int, bias: bool, reg: str, *,
                        max_cells: int = DEFAULT_MAX_CELLS, progress=False) -> DeepBall:
    """:func:`price_deep_abs` for a residual of python-flint ``arb`` balls (exact entries
    allowed), whose true value satisfies 𝟙ᵀr = 0 (the free intercept's dual condition;
    the caller's to guarantee). r₀ = mid(r) − mean(mid(r))·𝟙 is priced exactly; with
    Δ = r − r₀ (𝟙ᵀΔ = 0, |Δ_i| ≤ rad_i + Σ_j rad_j / n) every unit chain has
    |Δᵀφ| ≤ ‖Δ‖₁·osc(φ)/2 and the oscillation of a 1-Lipschitz chain of uᵀx over the data
    is at most max_ij ‖x_i − x_j‖_q (q = ∞ for ℓ1, 2 for ℓ2), so S(r) ∈ S(r₀) ± ε.

    >>> import flint
    >>> B = price_deep_abs_ball([[0], [1], [2]], [flint.arb(1, 1e-9), -2, 1], 3, True, "l1")
    >>> B.pricing.sup_exact, B.compare(1), B.compare(2), B.compare(3)
    (Fraction(2, 1), 1, None, -1)
    """
    import flint
    from .pricing import BALL_PREC, _prec, _residual
    Xe = as_exact_array(X, "X")
    if Xe.ndim != 2:
        raise ValueError(f"X: expected a 2-D array of shape (n, d), got shape {Xe.shape}")
    n = Xe.shape[0]
    mode, data = _residual(r, n)
    if mode == "float":
        raise TypeError("r: expected exact numbers or flint arb balls, got floats; use "
                        "price_deep_abs for float r")
    if mode == "exact":
        ints, R = data
        mids, rads = [Fraction(v, R) for v in ints], [Fraction(0)] * n
    else:
        ints, R, rads = data
        mids = [Fraction(v, R) for v in ints]
    mean = sum(mids, Fraction(0)) / n
    r0 = [v - mean for v in mids]
    P = price_deep_abs(Xe, r0, depth, bias, reg, max_cells=max_cells, progress=progress)
    spread = sum(rads, Fraction(0))
    delta1 = spread + spread          # Σ_i (rad_i + Σ_j rad_j / n)
    with _prec(BALL_PREC):
        if reg == "l1":
            osc = flint.arb(flint.fmpq(*_pair(max((max(abs(a - b) for a, b in zip(xi, xj))
                                                 for xi in Xe for xj in Xe), default=0))))
            centre = flint.arb(flint.fmpq(*_pair(P.sup_exact)))
        else:
            q = max((sum((a - b) ** 2 for a, b in zip(xi, xj)) for xi in Xe for xj in Xe),
                    default=Fraction(0))
            osc = flint.arb(flint.fmpq(*_pair(q))).sqrt()
            centre = flint.arb(flint.fmpq(*_pair(P.sup_sq_exact))).sqrt()
        eps = osc * flint.arb(flint.fmpq(*_pair(delta1))) / 2
        value = centre + flint.arb(0, eps.upper()) if spread else centre
    return DeepBall(value, P, delta1)


def _pair(q) -> tuple:
    q = Fraction(q)
    return q.numerator, q.denominator


# ---------------------------------------------------------------- direct evaluation

def deep_abs_features(X, u, c, thresholds) -> np.ndarray:
    """φ(X; θ) = |…||Xu + c| − c_2| − …| exactly (object array (n,) of Fractions), by the
    plain forward pass (no cells).

    >>> deep_abs_features([[0], [1], [3]], [1], 0, [1]).tolist()
    [Fraction(1, 1), Fraction(0, 1), Fraction(2, 1)]
    """
    Xe = as_exact_array(X, "X")
    h = np.array([abs(sum((Fraction(a) * Fraction(b) for a, b in zip(row, u)), Fraction(0))
                      + Fraction(c)) for row in Xe], dtype=object)
    for t in thresholds:
        h = np.array([abs(v - Fraction(t)) for v in h], dtype=object)
    return h


def check_atom(X, r, P: Pricing) -> bool:
    """Re-check a :func:`price_deep_abs` result by the forward pass: rᵀφ(X; atom) equals
    sign·sup (ℓ1) or its square is sup²·norm_sq (ℓ2), and the thresholds are ≥ 0."""
    a = P.atom
    if a is None:
        return P.sup_exact == 0
    phi = deep_abs_features(X, a.u, a.c, a.thresholds)
    v = sum((Fraction(ri) * f for ri, f in zip(r, phi)), Fraction(0))
    if any(t < 0 for t in a.thresholds) or (v > 0) - (v < 0) != P.sign:
        return False
    if a.norm_sq is None:
        return v == P.sign * P.sup_exact and sum(abs(x) for x in a.u) == 1
    return v * v == P.sup_sq_exact * a.norm_sq
