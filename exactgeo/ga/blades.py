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

UNROLL_D = 6        # d ≤ UNROLL_D: generated unrolled kernels (_unrolled.py, by _codegen.py)
from ._validate import MAX_BYTES, as_vectors, finite_or_raise, flat_batch, refuse_large
from .symbolic import expand, is_symbolic

# Estimated bytes (tracemalloc, CPython 3.11, 64-bit) for the size guards: one index
# tuple of a grade-k blade is _blade_bytes(k); one entry of the cached recursion tables
# _TABLE_BYTES; one term of a recursion step per matrix (exact / numpy float path)
# _EXACT_TERM_BYTES / _FLOAT_TERM_BYTES; one exact output coordinate _EXACT_BYTES.
_TABLE_BYTES = 70
_EXACT_TERM_BYTES = 240
_FLOAT_TERM_BYTES = 40
_EXACT_BYTES = 120


def _blade_bytes(k: int) -> int:
    return 48 + 8 * k


@lru_cache(maxsize=None)
def _blades(d: int, k: int) -> tuple[tuple[int, ...], ...]:
    return tuple(combinations(range(d), k))


def blade_indices(d: int, k: int, *, max_bytes: int = MAX_BYTES):
    """Grade-k basis blades of Cl(d) as 0-based index tuples, in clifford's order.

    The C(d, k) tuples are refused (MemoryError) if they need more than ``max_bytes``.

    >>> blade_indices(3, 2)
    ((0, 1), (0, 2), (1, 2))
    """
    m = comb(d, k) if 0 <= k <= d else 0
    refuse_large("k", f"there are C({d}, {k}) = {m} grade-{k} blades in R^{d}",
                 m * _blade_bytes(k), max_bytes, "Use a smaller k or d.")
    return _blades(d, k)


@lru_cache(maxsize=None)
def blade_position(d: int, k: int) -> dict:
    """Map index tuple → position in ``blade_indices(d, k)`` (unguarded; iterating it
    gives the blades in that order).

    >>> list(blade_position(3, 2).items())
    [((0, 1), 0), ((0, 2), 1), ((1, 2), 2)]
    """
    return {S: m for m, S in enumerate(_blades(d, k))}


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
        targets = _blades(d, j + 1)
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
    """Plücker coordinates of V (..., k, d) → (..., C(d, k)) by ring operations only
    (+, −, ×; no division), so the entries' type is kept: Fractions or Python ints
    (object arrays) stay exact, int64 stays int64 (the caller bounds the entries, see
    :func:`exactgeo.ga.cross.cross_int`), float64 gives the float kernels' values.

    Same recursion and term order as the float kernels, vectorised over the batch: in
    step j → j + 1 the sign of term p, (−1)^{j−p}, does not depend on the target blade,
    so each term position p is one gather-multiply over all targets.

    >>> exact_exterior(np.array([[1, 2, 0], [0, 1, 1]])).tolist()
    [1, 1, 2]
    """
    k, d = V.shape[-2:]
    lead = V.shape[:-2]
    if k == 0:
        if V.dtype != object:
            return np.ones(lead + (1,), dtype=V.dtype)
        out = np.empty(lead + (1,), dtype=object)
        out[...] = Fraction(1)
        return out
    cur = np.array(V[..., 0, :])
    src, col, sgn, start, count, width = exterior_tables(d, k)
    for s in range(k - 1):
        w = int(width[s])
        n = int(count[s])
        sl = slice(int(start[s]), int(start[s]) + n * w)
        S = src[sl].reshape(n, w)
        C = col[sl].reshape(n, w)
        v = V[..., s + 1, :]
        acc = None
        for p in range(w):
            term = cur[..., S[:, p]] * v[..., C[:, p]]
            neg = (s + 1 - p) % 2 != 0           # = sgn[start[s] + t·w + p] < 0, every t
            if acc is None:
                acc = -term if neg else term
            elif neg:
                acc -= term
            else:
                acc += term
        cur = acc
    return cur.reshape(lead + (comb(d, k),))


def _float_cost(d: int, k: int):
    rec = sum(comb(d, j + 1) * (j + 1) for j in range(1, k))
    lu = comb(d, k) * max(k, 1) ** 3 / 3
    return rec, lu


#: float batches with at most this many output entries skip numba (numpy path, same
#: formula and term order); larger ones use the numba kernels.
NUMPY_MAX = 4096


def _float_route(d: int, k: int, batch: int, backend: str = "auto") -> str:
    """Float kernel for grade k in R^d: "numpy", "unrolled", "pairs" (k = 2, wedge
    only), "tables" (recursion) or "minors" (LU per blade)."""
    if backend == "auto":
        backend = "numpy" if batch * comb(d, k) <= NUMPY_MAX else "numba"
    if backend == "numpy" or k <= 1:
        return "numpy"
    if d <= UNROLL_D:
        return "unrolled"
    if k == 2:
        return "pairs"
    rec, lu = _float_cost(d, k)
    return "tables" if rec <= 4 * lu else "minors"


def exterior_bytes(d: int, k: int, batch: int, exact: bool) -> int:
    """Estimated peak bytes of the grade-k Plücker coordinates of ``batch`` matrices
    (k, d): output, index tables and working arrays of the route that ``wedge`` takes.

    >>> exterior_bytes(3, 2, 10 ** 4, exact=False)     # unrolled kernel: the output only
    240000
    >>> exterior_bytes(40, 20, 1, exact=False) > 10 ** 14
    True
    """
    m = comb(d, k)
    if k <= 1:
        return batch * m * (_EXACT_BYTES if exact else 8)
    steps = [comb(d, j) * j for j in range(2, k + 1)]
    tables = sum(steps) * _TABLE_BYTES
    if exact:
        return tables + batch * (max(steps) * _EXACT_TERM_BYTES + m * _EXACT_BYTES)
    out = batch * m * 8
    route = _float_route(d, k, batch)
    if route == "numpy":
        return tables + batch * max(steps) * _FLOAT_TERM_BYTES + out
    if route == "unrolled":
        return out
    if route == "pairs":
        return out + m * (_blade_bytes(2) + 16)
    if route == "tables":
        return out + tables
    return out + m * (_blade_bytes(k) + 16 * k)


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
    route = _float_route(d, k, B, backend)
    if not checked and route != "unrolled":
        finite_or_raise(flat, name)
    if route == "numpy":
        out = exact_exterior(flat) if k else np.ones((B, 1))
        if cross_layout:
            res = np.empty_like(out)
            res[:, np.asarray(perm)] = out * np.asarray(signs, dtype=np.float64)
            out = res
        return out.reshape(lead + (m,))
    out = np.empty((B, m))
    if route == "unrolled":
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
    if route == "pairs" and not cross_layout:
        I, J = _pair_tables(d)
        K.wedge2_kernel(flat, I, J, out)
        return out.reshape(lead + (m,))
    rec, lu = _float_cost(d, k)
    if rec <= 4 * lu:
        src, col, sgn, start, count, width = exterior_tables(d, k)
        K.exterior_kernel(flat, src, col, sgn, start, count, width, signs, perm, out)
    else:
        combos = np.asarray(_blades(d, k), dtype=np.int64).reshape(m, k)
        inv = np.empty(m, dtype=np.int64)
        inv[perm] = np.arange(m)
        # minors_kernel writes position q from combos[inv[q]] (so q = perm[m])
        K.minors_kernel(flat, combos[inv], signs[inv], out)
    return out.reshape(lead + (m,))


@lru_cache(maxsize=None)
def _pair_tables(d: int):
    pairs = _blades(d, 2)
    return (np.asarray([p[0] for p in pairs], dtype=np.int64),
            np.asarray([p[1] for p in pairs], dtype=np.int64))


def _wedge_hint(d: int, k: int) -> str:
    if k == d - 1:
        return (f"For k = d-1 use cross(V) (d = {d} cofactors, O(d^3)): "
                "wedge(V) = (-1)^(d-1)·hodge_dual(cross(V), d, 1); or pass a larger max_bytes.")
    if k == d:
        return "For k = d use volume(V) = det V, the only coordinate; or pass a larger max_bytes."
    return ("Use fewer vectors (a smaller k; for k = d-1 cross(V) takes O(d^3)) or a "
            "lower dimension d, or pass a larger max_bytes.")


def _guard_wedge(shape, exact: bool, max_bytes: int):
    k, d = shape[-2:]
    B = math.prod(shape[:-2])
    need = exterior_bytes(d, k, B, exact)
    if need <= max_bytes:       # the common case: skip building the message
        return
    m = comb(d, k)
    each = " per matrix" if len(shape) > 2 else ""
    what = (f"the wedge of k={k} vectors in R^{d} has C({d}, {k}) = {m} Plücker "
            f"coordinate{'s' if m != 1 else ''}{each}, plus index tables and working arrays")
    refuse_large("V", what, need, max_bytes, _wedge_hint(d, k))


def wedge(V, *, max_bytes: int = MAX_BYTES):
    """Plücker coordinates of v_1∧…∧v_k for the rows of V.

    Shape (..., k, d) → (..., C(d, k)); coordinate m is the k×k minor on the
    columns ``blade_indices(d, k)[m]``, the coefficient of that clifford blade.
    Exact in → exact out; float in → float64 (numba kernel); sympy symbols in → expanded
    sympy polynomials (:mod:`exactgeo.ga.symbolic`). Refused with MemoryError,
    before allocating, when the estimate (:func:`exterior_bytes`) exceeds ``max_bytes``.

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
    _guard_wedge(V.shape, exact, max_bytes)
    if is_symbolic(V):
        return expand(exact_exterior(V))
    return exact_exterior(V) if exact else float_exterior(V, checked=False)
