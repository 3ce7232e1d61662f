"""Wedge products as Plücker coordinates, in clifford's blade order.

The Plücker coordinates of v_1∧…∧v_k (rows of V ∈ ℝ^{k×d}) are the k×k minors
det V[:, S] for the index sets S = ``blade_indices(d, k)`` (lexicographic, which is
clifford's order inside one grade): v_1∧…∧v_k = Σ_S det V[:, S] e_S.
"""
from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from itertools import combinations
from math import comb

import numpy as np

from ._codegen import UNROLL_D as _UNROLL_D
from ._validate import as_vectors, finite_or_raise, flat_batch


@lru_cache(maxsize=None)
def blade_indices(d: int, k: int) -> tuple[tuple[int, ...], ...]:
    """Grade-k basis blades of Cl(d) as 0-based index tuples, in clifford's order.

    >>> blade_indices(3, 2)
    ((0, 1), (0, 2), (1, 2))
    """
    return tuple(combinations(range(d), k))


@lru_cache(maxsize=None)
def blade_position(d: int, k: int) -> dict:
    """Map index tuple → position in ``blade_indices(d, k)``."""
    return {S: m for m, S in enumerate(blade_indices(d, k))}


@lru_cache(maxsize=None)
def exterior_tables(d: int, k: int):
    """Index tables of the incremental recursion grade j → j+1, j = 1 … k−1.

    Returns ``(src, col, sgn, start, count, width)``: for step s (grade s+1 → s+2) and
    target blade t (position in grade s+2), term p has source position ``src`` in
    grade s+1, column ``col`` = T[p] and sign (−1)^{(s+1)−p}, at flat entry
    ``start[s] + t·width[s] + p``.
    """
    src, col, sgn, start, count, width = [], [], [], [], [], []
    for j in range(1, k):
        pos = blade_position(d, j)
        start.append(len(src))
        targets = blade_indices(d, j + 1)
        count.append(len(targets))
        width.append(j + 1)
        for T in targets:
            for p in range(j + 1):
                src.append(pos[T[:p] + T[p + 1:]])
                col.append(T[p])
                sgn.append(1.0 if (j - p) % 2 == 0 else -1.0)
    as_i = lambda a: np.asarray(a, dtype=np.int64)  # noqa: E731
    return (as_i(src), as_i(col), np.asarray(sgn, dtype=np.float64),
            as_i(start), as_i(count), as_i(width))


def exact_exterior(V) -> np.ndarray:
    """Exact Plücker coordinates of object array V (..., k, d) → (..., C(d, k)).

    Same recursion as the float kernel, vectorised over the batch on object arrays
    (division-free, so Fractions stay exact).
    """
    k, d = V.shape[-2:]
    lead = V.shape[:-2]
    if k == 0:
        out = np.empty(lead + (1,), dtype=object)
        out[...] = Fraction(1)
        return out
    cur = V[..., 0, :]
    src, col, sgn, start, count, width = exterior_tables(d, k)
    for s in range(k - 1):
        w = int(width[s])
        n = int(count[s])
        sl = slice(int(start[s]), int(start[s]) + n * w)
        S = src[sl].reshape(n, w)
        C = col[sl].reshape(n, w)
        G = sgn[sl].reshape(n, w).astype(int)
        v = V[..., s + 1, :]
        terms = cur[..., S] * v[..., C]
        nxt = np.where(G > 0, terms, -terms).sum(axis=-1)
        cur = nxt
    return np.asarray(cur, dtype=object).reshape(lead + (comb(d, k),))


def _float_cost(d: int, k: int):
    rec = sum(comb(d, j + 1) * (j + 1) for j in range(1, k))
    lu = comb(d, k) * max(k, 1) ** 3 / 3
    return rec, lu


#: float batches with at most this many output entries skip numba (numpy path, same
#: formula and term order); larger ones use the numba kernels.
NUMPY_MAX = 4096


def float_exterior(V, perm=None, signs=None, backend: str = "auto",
                   checked: bool = True, name: str = "V") -> np.ndarray:
    """Float Plücker coordinates of V (..., k, d); with ``perm``/``signs`` the output is
    permuted (``out[..., perm[m]] = signs[m]·coord[m]``; the Hodge dual / cross).

    ``backend``: ``"numba"`` (kernels), ``"numpy"`` (vectorised recursion, no numba
    import) or ``"auto"`` (numpy for small batches, see :data:`NUMPY_MAX`).
    ``checked=False``: V was not scanned for NaN/inf yet; do it here (after the
    unrolled kernels from their returned sum, before the other paths).
    """
    k, d = V.shape[-2:]
    flat, lead = flat_batch(V)
    B = flat.shape[0]
    m = comb(d, k)
    cross_layout = perm is not None
    if backend == "auto":
        backend = "numpy" if B * m <= NUMPY_MAX else "numba"
    unrolled = backend == "numba" and 2 <= k and d <= _UNROLL_D
    if not checked and not unrolled:
        finite_or_raise(flat, name)
    if backend == "numpy" or k <= 1:
        out = exact_exterior(flat).astype(np.float64) if k else np.ones((B, 1))
        if cross_layout:
            res = np.empty_like(out)
            res[:, np.asarray(perm)] = out * np.asarray(signs, dtype=np.float64)
            out = res
        return out.reshape(lead + (m,))
    out = np.empty((B, m))
    if d <= _UNROLL_D:
        from . import _unrolled as U
        if cross_layout and k == d - 1:
            total = getattr(U, f"cross_d{d}")(flat, out)
            if not checked and not math.isfinite(total):
                finite_or_raise(flat, name)
            return out.reshape(lead + (m,))
        total = getattr(U, f"ext_d{d}_k{k}")(flat, out)
        if not checked and not math.isfinite(total):
            finite_or_raise(flat, name)
        if cross_layout:
            res = np.empty_like(out)
            res[:, np.asarray(perm)] = out * np.asarray(signs, dtype=np.float64)
            out = res
        return out.reshape(lead + (m,))
    from . import kernels as K
    if perm is None:
        perm = np.arange(m, dtype=np.int64)
        signs = np.ones(m)
    perm = np.asarray(perm, dtype=np.int64)
    signs = np.asarray(signs, dtype=np.float64)
    if k == 2 and not cross_layout:
        I, J = _pair_tables(d)
        K.wedge2_kernel(flat, I, J, out)
        return out.reshape(lead + (m,))
    rec, lu = _float_cost(d, k)
    if rec <= 4 * lu:
        src, col, sgn, start, count, width = exterior_tables(d, k)
        K.exterior_kernel(flat, src, col, sgn, start, count, width, signs, perm, out)
    else:
        combos = np.asarray(blade_indices(d, k), dtype=np.int64).reshape(m, k)
        inv = np.empty(m, dtype=np.int64)
        inv[perm] = np.arange(m)
        # minors_kernel writes position q from combos[inv[q]] (so q = perm[m])
        K.minors_kernel(flat, combos[inv], signs[inv], out)
    return out.reshape(lead + (m,))


@lru_cache(maxsize=None)
def _pair_tables(d: int):
    pairs = blade_indices(d, 2)
    return (np.asarray([p[0] for p in pairs], dtype=np.int64),
            np.asarray([p[1] for p in pairs], dtype=np.int64))


def wedge(V):
    """Plücker coordinates of v_1∧…∧v_k for the rows of V.

    Shape (..., k, d) → (..., C(d, k)); coordinate m is the k×k minor on the
    columns ``blade_indices(d, k)[m]``, the coefficient of that clifford blade.
    Exact in → exact out; float in → float64 (numba kernel).

    >>> from fractions import Fraction as F
    >>> wedge([[F(1), F(0), F(0)], [F(0), F(1), F(2)]]).tolist()
    [Fraction(1, 1), Fraction(2, 1), Fraction(0, 1)]
    >>> wedge(np.array([[1., 0, 0], [0, 1, 2]]))
    array([1., 2., 0.])
    """
    V, exact = as_vectors(V, "V", check_finite=False)
    k, d = V.shape[-2:]
    if k > d:
        raise ValueError(f"V: cannot wedge k={k} vectors in R^{d}; expected k <= d "
                         f"(shape (..., k, d), got {V.shape})")
    return exact_exterior(V) if exact else float_exterior(V, checked=False)
