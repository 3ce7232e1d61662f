"""The vertex oracle of THEORY §3.2: for fixed signs, Λ(θ) = λᵀφ(X; θ) is piecewise linear
in θ = (a_1, c_2, …) with pieces cut by kink planes, bounded (𝟙ᵀλ = 0, 1-Lipschitz
features), and the cells are pointed; so sup |Λ| is attained at a vertex of the
arrangement, and enumerating every vertex exactly (over ℚ) gives the exact supremum.

Kink planes. The value of hidden layer l at sample x_n is, on each cell, one affine form
f = N·θ + μx_n (μ ∈ {−1, 0, 1}, N integer) from a finite set A_l: A_1 = {x_n}; relu
A_{l+1} = {0} ∪ {s_l(f − θ_l)}; abs A_{l+1} = {±(f − θ_l)}. Layer l kinks where f = θ_l,
so the planes (N − e_l)·θ + μx_n = 0 for f ∈ A_l cut ℝ^m into cells on which every
pre-activation has a fixed sign and Λ is linear. (Extending each kink set to the whole
plane only adds vertices; every vertex is a realizable chain, so the maximum over the
larger set is still the supremum.) Planes with the same normal are parallel: they form
*groups* with offsets μx_n, and a vertex picks m groups with independent normals and one
offset in each, θ = −N⁻¹(μx).

>>> groups = kink_groups("abs", (1, 1))
>>> [(N, sorted(mus)) for N, mus in groups]
[((1, -1), [-1]), ((1, 0), [-1]), ((1, 1), [-1])]
>>> vertex_delta("abs", 2), vertex_delta("relu", 3)
(2, 1)
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from itertools import combinations
from math import lcm

import numpy as np

from ..numbers import as_exact_array, integer_scale
from .base import Pricing, check_residual
from .chains_1d import check_1d, chain_values, data_values, scaled_data, sign_patterns

__all__ = ["kink_groups", "vertex_combos", "vertex_delta", "vertex_blocks", "vertex_count",
           "price_vertices", "vertex_thetas"]

_U = 2.0 ** -53


@lru_cache(maxsize=None)
def kink_groups(activation: str, signs: tuple) -> tuple:
    """The kink planes N·θ + μx_n = 0 of chains with these signs, grouped by the normal N
    (made canonical: first non-zero entry positive): ((N, frozenset of μ), ...), sorted."""
    m = len(signs)
    forms = {((0,) * m, 1)}
    planes = set()
    for l in range(m):
        nxt = set()
        for N, mu in forms:
            P = list(N)
            P[l] -= 1
            planes.add((tuple(P), mu))
            if l < m - 1:
                if activation == "abs":
                    nxt.add((tuple(P), mu))
                    nxt.add((tuple(-v for v in P), -mu))
                else:
                    s = signs[l]
                    nxt.add((tuple(s * v for v in P), s * mu))
        if activation != "abs" and l < m - 1:
            nxt.add(((0,) * m, 0))
        forms = nxt
    groups = {}
    for N, mu in planes:
        lead = next(v for v in N if v != 0)
        if lead < 0:
            N, mu = tuple(-v for v in N), -mu
        groups.setdefault(N, set()).add(mu)
    return tuple(sorted((N, frozenset(mus)) for N, mus in groups.items()))


def _inverse(N) -> list:
    """Inverse of a small integer matrix over ℚ (Gauss–Jordan), or None if singular."""
    m = len(N)
    A = [[Fraction(v) for v in row] + [Fraction(int(i == j)) for j in range(m)]
         for i, row in enumerate(N)]
    for c in range(m):
        piv = next((r for r in range(c, m) if A[r][c] != 0), None)
        if piv is None:
            return None
        A[c], A[piv] = A[piv], A[c]
        p = A[c][c]
        A[c] = [v / p for v in A[c]]
        for r in range(m):
            if r != c and A[r][c] != 0:
                f = A[r][c]
                A[r] = [a - f * b for a, b in zip(A[r], A[c])]
    return [row[m:] for row in A]


@lru_cache(maxsize=None)
def vertex_combos(activation: str, signs: tuple) -> tuple:
    """The independent m-subsets of groups: ((group indices), M) with θ = M·(μx) and
    M = −N⁻¹ (Fractions)."""
    groups = kink_groups(activation, signs)
    m = len(signs)
    out = []
    for combo in combinations(range(len(groups)), m):
        inv = _inverse([groups[g][0] for g in combo])
        if inv is None:
            continue
        out.append((combo, tuple(tuple(-v for v in row) for row in inv)))
    return tuple(out)


@lru_cache(maxsize=None)
def vertex_delta(activation: str, m: int) -> int:
    """Δ: the lcm of the denominators of every vertex map M (vertices are in (1/Δ)·data)."""
    d = 1
    for signs in sign_patterns(activation, m):
        for _, M in vertex_combos(activation, signs):
            for row in M:
                for v in row:
                    d = lcm(d, v.denominator)
    return d


def _options(mus, n: int):
    """Offsets of one group: arrays (μ, n) — μ = 0 once (n = −1), μ = ±1 for every n."""
    mu, idx = [], []
    for s in sorted(mus):
        if s == 0:
            mu.append(0)
            idx.append(-1)
        else:
            mu += [s] * n
            idx += list(range(n))
    return np.array(mu, dtype=np.int64), np.array(idx, dtype=np.int64)


def vertex_count(activation: str, m: int, n: int) -> int:
    """Number of (not deduplicated) vertices over every sign pattern for n points."""
    tot = 0
    for signs in sign_patterns(activation, m):
        groups = kink_groups(activation, signs)
        for combo, _ in vertex_combos(activation, signs):
            k = 1
            for g in combo:
                k *= sum(1 if s == 0 else n for s in groups[g][1])
            tot += k
    return tot


def vertex_blocks(activation: str, signs: tuple, xs, delta: int, exact: bool):
    """Yield one block per independent group combination: (Theta (K, m) in the units of
    ``xs`` = Δ·D·x (exact, integers) or floats, Signs (K, m), meta (K, 2m) = (n_1…n_m,
    μ_1…μ_m), recipe maker). ``delta`` must be a multiple of :func:`vertex_delta`."""
    groups = kink_groups(activation, signs)
    m = len(signs)
    n = len(xs)
    base = xs // delta if exact else xs                 # D·x (exact) or x
    for combo, M in vertex_combos(activation, signs):
        opts = [_options(groups[g][1], n) for g in combo]
        sizes = [len(o[0]) for o in opts]
        grid = np.indices(sizes).reshape(m, -1).T           # (K, m)
        mus = np.column_stack([opts[g][0][grid[:, g]] for g in range(m)])
        idx = np.column_stack([opts[g][1][grid[:, g]] for g in range(m)])
        vals = np.where(idx >= 0, base[np.maximum(idx, 0)], 0) * mus   # μ·x
        if exact:
            Mi = np.array([[int(v * delta) for v in row] for row in M],
                          dtype=np.int64 if vals.dtype != object else object)
        else:
            Mi = np.array([[float(v) for v in row] for row in M])
        Theta = vals @ Mi.T
        Signs = np.broadcast_to(np.array(signs, dtype=np.int64), (len(Theta), m))
        meta = np.column_stack([idx, mus])
        normals = tuple(groups[g][0] for g in combo)
        yield Theta, Signs, meta, _vertex_recipe_maker(normals)


def _vertex_recipe_maker(normals):
    m = len(normals)

    def make(row):
        row = [int(v) for v in row]
        return ("vertex", tuple(row[:m]), tuple(row[m:]), normals)
    return make


def vertex_thetas(x, recipe) -> tuple:
    """Exact thetas of a ("vertex", points, mus, normals) recipe on the exact data x:
    the solution of N·θ + μx = 0."""
    _, pts, mus, normals = recipe
    inv = _inverse(list(normals))
    if inv is None:
        raise ValueError(f"recipe: the normals {normals} are dependent")
    o = [Fraction(mu) * (x[p] if p >= 0 else 0) for p, mu in zip(pts, mus)]
    return tuple(-sum((a * b for a, b in zip(row, o)), Fraction(0)) for row in inv)


def price_vertices(fam, X, r) -> Pricing:
    """sup over every unit chain of ``fam`` of |rᵀφ(X; θ)| by vertex enumeration (THEORY
    §3.2), with its maximiser. Exact r: the supremum is exact (``sup_exact``), found by a
    float pass whose rounding error is bounded (4(n+4)·2⁻⁵³·Σ|r_i||φ_i| per vertex) and
    an exact evaluation of every vertex that bound cannot exclude. Float r: floats."""
    X, x_exact = check_1d(X)
    n = X.shape[0]
    r_arr, exact = check_residual(r, n)
    if exact:
        X = as_exact_array(X, "X") if not x_exact else X
        tot = sum(r_arr, Fraction(0))
        if tot != 0:
            raise ValueError(f"r: the bias family needs 1ᵀr = 0 (free intercept), got "
                             f"sum(r) = {tot}; the supremum is infinite")
    else:
        X = np.asarray(X, dtype=np.float64)
    if all(v == 0 for v in r_arr):
        zero = Fraction(0) if exact else None
        return Pricing(0.0, None, 1, "exact", sup_exact=zero)
    delta = vertex_delta(fam.activation, fam.m)
    xs, den = scaled_data(X, exact, delta)
    x = data_values(xs, den, exact)
    rf = np.array([float(v) for v in r_arr])
    if exact:
        rint, rden = integer_scale(r_arr)
        rint = [int(v) for v in rint]
    best_lo, cands = 0.0, []
    best_f = (-1.0, None)
    for signs in sign_patterns(fam.activation, fam.m):
        for Theta, Signs, meta, maker in vertex_blocks(fam.activation, signs, xs, delta,
                                                       exact):
            if len(Theta) == 0:
                continue
            F = chain_values(fam.activation, xs, Theta, Signs)
            try:
                Ff = F.astype(np.float64)
            except OverflowError:             # beyond the float range: all exactly
                Ff = np.full(F.shape, np.inf)
            vals = rf @ Ff
            if not exact:
                k = int(np.argmax(np.abs(vals)))
                if abs(vals[k]) > best_f[0]:
                    best_f = (abs(float(vals[k])), (signs, Theta[k], maker(meta[k]),
                                                    1 if vals[k] >= 0 else -1))
                continue
            err = 4 * (n + 4) * _U * (np.abs(rf) @ np.abs(Ff)) + \
                n * float(np.abs(Ff).max(initial=0.0)) * 2.0 ** -1000
            av = np.abs(vals)
            if not np.all(np.isfinite(err)) or not np.all(np.isfinite(vals)):
                av, err = np.zeros(len(vals)), np.full(len(vals), np.inf)
            best_lo = max(best_lo, float(np.max(av - err)))
            keep = np.flatnonzero(av + err >= best_lo)
            for k in keep:
                cands.append((float(av[k] + err[k]), signs, Theta[k], F[:, k],
                              maker(meta[k])))
            if len(cands) > 4096:                 # prune, and keep one vertex per column
                kept = {}
                for cand in cands:
                    if cand[0] >= best_lo:
                        kept.setdefault(tuple(int(v) for v in cand[3]), cand)
                cands = list(kept.values())
    if not exact:
        sup, found = best_f
        if found is None:
            return Pricing(0.0, None, 1, "exact")
        signs, th, recipe, sgn = found
        atom = fam.make_atom(signs, tuple(float(t) for t in th), recipe, x)
        return Pricing(float(sup), atom, sgn, "exact")
    best = (Fraction(-1), None)
    seen = set()
    for hi, signs, th, col, recipe in cands:
        if hi < best_lo:
            continue
        key = tuple(int(v) for v in col)
        if key in seen:
            continue
        seen.add(key)
        v = Fraction(sum(a * int(b) for a, b in zip(rint, col)), rden * den)
        if abs(v) > best[0]:
            best = (abs(v), (signs, th, recipe, 1 if v >= 0 else -1))
    if best[1] is None:
        return Pricing(0.0, None, 1, "exact", sup_exact=Fraction(0))
    signs, th, recipe, sgn = best[1]
    atom = fam.make_atom(signs, tuple(Fraction(int(t), den) for t in th), recipe, x)
    return Pricing(float(best[0]), atom, sgn, "exact", sup_exact=best[0])
