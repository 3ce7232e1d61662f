"""Hypothesis strategies for exact rational (and float) vectors and matrices.

Shared by the test suite; import with::

    import sys, pathlib
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
    from strategies import exact_matrices, ...

(pytest runs with ``--import-mode=importlib``, so ``tests/`` is not on ``sys.path``.)

Exact values are :class:`fractions.Fraction` in numpy object arrays, small numerators
and denominators so exact arithmetic stays fast. ``degenerate=True`` (the default)
mixes in the inputs that break naive code: repeated rows, collinear (scaled) rows,
zero rows, a row that is a rational combination of the others, and tiny/huge scales
for floats.

Strategies
----------
rationals(max_num, max_den)               Fraction
exact_vectors(d)                          object array (d,)
exact_matrices(k, d, degenerate=True)     object array (k, d)
exact_batches(k, d, max_batch)            object array (b, k, d)
general_position(n, d)                    object array (n, d), every min(n, d) rows independent
invertible_matrices(d)                    object array (d, d), det ≠ 0
rational_rotations(d)                     object array (d, d), RᵀR = I, det R = 1 (Cayley)
float_matrices(k, d, degenerate=True)     float64 array (k, d), finite, moderate range
float_batches(k, d, max_batch)            float64 array (b, k, d)
dims(lo, hi)                              int
"""
from __future__ import annotations

from fractions import Fraction
from itertools import combinations

import numpy as np
from hypothesis import strategies as st

__all__ = [
    "rationals", "exact_vectors", "exact_matrices", "exact_batches", "general_position",
    "invertible_matrices", "rational_rotations", "float_matrices", "float_batches", "dims",
    "to_object", "exact_rank",
]


def to_object(rows) -> np.ndarray:
    """Nested lists of Fractions/ints → object array of Fractions."""
    arr = np.array(rows, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for idx, v in np.ndenumerate(arr):
        out[idx] = Fraction(v)
    return out


def exact_rank(M) -> int:
    """Rank over ℚ by fraction-exact Gaussian elimination (independent of exactgeo)."""
    m = [list(r) for r in np.asarray(M, dtype=object)]
    rank, cols = 0, (len(m[0]) if m else 0)
    for c in range(cols):
        piv = next((r for r in range(rank, len(m)) if m[r][c] != 0), None)
        if piv is None:
            continue
        m[rank], m[piv] = m[piv], m[rank]
        for r in range(len(m)):
            if r != rank and m[r][c] != 0:
                f = m[r][c] / m[rank][c]
                m[r] = [a - f * b for a, b in zip(m[r], m[rank])]
        rank += 1
    return rank


def dims(lo: int = 2, hi: int = 5):
    return st.integers(lo, hi)


def rationals(max_num: int = 12, max_den: int = 5):
    """Fractions p/q with |p| ≤ max_num, 1 ≤ q ≤ max_den (0 included)."""
    return st.builds(Fraction, st.integers(-max_num, max_num), st.integers(1, max_den))


def exact_vectors(d: int, **kw):
    return st.lists(rationals(**kw), min_size=d, max_size=d).map(lambda r: to_object(r))


_DEGENERACIES = ("none",) * 4 + ("repeat", "collinear", "zero", "combination")


@st.composite
def exact_matrices(draw, k: int, d: int, degenerate: bool = True, **kw):
    """k rows in ℚ^d; with ``degenerate`` one row may be replaced by a repeat, a
    rational multiple, zero or a rational combination of the other rows."""
    rows = [draw(st.lists(rationals(**kw), min_size=d, max_size=d)) for _ in range(k)]
    if degenerate and k >= 1:
        kind = draw(st.sampled_from(_DEGENERACIES))
        i = draw(st.integers(0, k - 1))
        others = [j for j in range(k) if j != i]
        if kind == "zero":
            rows[i] = [Fraction(0)] * d
        elif kind in ("repeat", "collinear") and others:
            j = draw(st.sampled_from(others))
            f = Fraction(1) if kind == "repeat" else draw(rationals(6, 3))
            rows[i] = [f * x for x in rows[j]]
        elif kind == "combination" and others:
            coef = [draw(rationals(4, 3)) for _ in others]
            rows[i] = [sum((c * rows[j][t] for c, j in zip(coef, others)), Fraction(0))
                       for t in range(d)]
    return to_object(rows)


@st.composite
def exact_batches(draw, k: int, d: int, max_batch: int = 3, **kw):
    b = draw(st.integers(1, max_batch))
    mats = [draw(exact_matrices(k, d, **kw)) for _ in range(b)]
    out = np.empty((b, k, d), dtype=object)
    for i, M in enumerate(mats):
        out[i] = M
    return out


def _general(M, d) -> bool:
    n = M.shape[0]
    r = min(n, d)
    return all(exact_rank(M[list(S)]) == r for S in combinations(range(n), r))


def general_position(n: int, d: int, **kw):
    """n vectors in ℚ^d with every min(n, d) of them linearly independent."""
    return exact_matrices(n, d, degenerate=False, **kw).filter(lambda M: _general(M, d))


def invertible_matrices(d: int, **kw):
    return exact_matrices(d, d, degenerate=False, **kw).filter(
        lambda M: exact_rank(M) == d)


@st.composite
def rational_rotations(draw, d: int):
    """R = (I − K)(I + K)⁻¹ for a random rational skew K: orthogonal, det 1, rational."""
    K = [[Fraction(0)] * d for _ in range(d)]
    for i in range(d):
        for j in range(i + 1, d):
            v = draw(rationals(3, 2))
            K[i][j], K[j][i] = v, -v
    I = [[Fraction(int(i == j)) for j in range(d)] for i in range(d)]
    A = [[I[i][j] - K[i][j] for j in range(d)] for i in range(d)]
    Bm = [[I[i][j] + K[i][j] for j in range(d)] for i in range(d)]
    # solve (I + K) X = I → X = (I + K)⁻¹ by Gauss–Jordan (I + K is always invertible)
    aug = [Bm[i] + I[i] for i in range(d)]
    for c in range(d):
        p = next(r for r in range(c, d) if aug[r][c] != 0)
        aug[c], aug[p] = aug[p], aug[c]
        pv = aug[c][c]
        aug[c] = [x / pv for x in aug[c]]
        for r in range(d):
            if r != c and aug[r][c] != 0:
                f = aug[r][c]
                aug[r] = [x - f * y for x, y in zip(aug[r], aug[c])]
    inv = [row[d:] for row in aug]
    R = [[sum((A[i][t] * inv[t][j] for t in range(d)), Fraction(0)) for j in range(d)]
         for i in range(d)]
    return to_object(R)


def _float_entries(scale_exp: int = 3):
    lim = 10.0 ** scale_exp
    return st.one_of(
        st.floats(-lim, lim, allow_nan=False, allow_infinity=False, allow_subnormal=False),
        st.integers(-20, 20).map(float),
        st.just(0.0),
    )


@st.composite
def float_matrices(draw, k: int, d: int, degenerate: bool = True, scale_exp: int = 3):
    """k rows in R^d of finite floats (|x| ≤ 10^scale_exp), degeneracies as above."""
    rows = [draw(st.lists(_float_entries(scale_exp), min_size=d, max_size=d))
            for _ in range(k)]
    if degenerate and k >= 1:
        kind = draw(st.sampled_from(_DEGENERACIES))
        i = draw(st.integers(0, k - 1))
        others = [j for j in range(k) if j != i]
        if kind == "zero":
            rows[i] = [0.0] * d
        elif kind in ("repeat", "collinear") and others:
            j = draw(st.sampled_from(others))
            f = 1.0 if kind == "repeat" else draw(st.sampled_from([-2.0, 0.5, 3.0]))
            rows[i] = [f * x for x in rows[j]]
        elif kind == "combination" and others:
            coef = [draw(st.sampled_from([-1.0, 0.5, 2.0])) for _ in others]
            rows[i] = [sum(c * rows[j][t] for c, j in zip(coef, others)) for t in range(d)]
    return np.array(rows, dtype=np.float64).reshape(k, d)


@st.composite
def float_batches(draw, k: int, d: int, max_batch: int = 4, **kw):
    b = draw(st.integers(1, max_batch))
    return np.stack([draw(float_matrices(k, d, **kw)) for _ in range(b)])
