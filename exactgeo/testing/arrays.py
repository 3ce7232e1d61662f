"""Rational scalars, vectors, matrices and batches (exact), and float matrices.

``degenerate=True`` (the default of the matrix strategies) replaces one row, some of the
time, by a repeat, a rational multiple, zero or a rational combination of the others.

>>> from hypothesis import find
>>> find(rationals(), lambda q: q > 1)
Fraction(2, 1)
>>> find(exact_matrices(3, 2), lambda M: exact_rank(M) == 2).shape
(3, 2)
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import strategies as st

__all__ = ["rationals", "exact_vectors", "exact_matrices", "exact_batches", "float_matrices",
           "float_batches", "dims", "to_object", "exact_rank"]


def to_object(rows) -> np.ndarray:
    """Nested lists of Fractions/ints → object array of Fractions.

    >>> to_object([[1, 2]]).tolist()
    [[Fraction(1, 1), Fraction(2, 1)]]
    """
    arr = np.array(rows, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for idx, v in np.ndenumerate(arr):
        out[idx] = Fraction(v)
    return out


def exact_rank(M) -> int:
    """Rank over ℚ by plain Fraction Gauss–Jordan elimination — deliberately independent
    of exactgeo's linear algebra, so tests can use it as a second route.

    >>> exact_rank([[1, 2], [2, 4]]), exact_rank([[1, 0], [0, 1]])
    (1, 2)
    """
    m = [[Fraction(x) for x in r] for r in np.asarray(M, dtype=object)]
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
    """Dimensions d with lo ≤ d ≤ hi."""
    return st.integers(lo, hi)


def rationals(max_num: int = 12, max_den: int = 5):
    """Fractions p/q with |p| ≤ max_num, 1 ≤ q ≤ max_den (0 included; shrinks towards 0)."""
    return st.builds(Fraction, st.integers(-max_num, max_num), st.integers(1, max_den))


def exact_vectors(d: int, **kw):
    """Vectors in ℚ^d: object arrays (d,) of :func:`rationals` (``**kw`` passed on)."""
    return st.lists(rationals(**kw), min_size=d, max_size=d).map(to_object)


_DEGENERACIES = ("none",) * 4 + ("repeat", "collinear", "zero", "combination")


@st.composite
def exact_matrices(draw, k: int, d: int, degenerate: bool = True, **kw):
    """k rows in ℚ^d, object array (k, d); with ``degenerate`` one row may be replaced by a
    repeat, a rational multiple, zero or a rational combination of the other rows."""
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
    return to_object(rows).reshape(k, d)


@st.composite
def exact_batches(draw, k: int, d: int, max_batch: int = 3, **kw):
    """Stacks of 1..max_batch :func:`exact_matrices`: object array (b, k, d)."""
    b = draw(st.integers(1, max_batch))
    out = np.empty((b, k, d), dtype=object)
    for i in range(b):
        out[i] = draw(exact_matrices(k, d, **kw))
    return out


def _float_entries(scale_exp: int = 3):
    lim = 10.0 ** scale_exp
    return st.one_of(
        st.floats(-lim, lim, allow_nan=False, allow_infinity=False, allow_subnormal=False),
        st.integers(-20, 20).map(float),
        st.just(0.0),
    )


@st.composite
def float_matrices(draw, k: int, d: int, degenerate: bool = True, scale_exp: int = 3):
    """k rows in ℝ^d of finite floats (|x| ≤ 10^scale_exp), float64 (k, d); degeneracies
    as for :func:`exact_matrices`."""
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
    """Stacks of 1..max_batch :func:`float_matrices`: float64 (b, k, d)."""
    b = draw(st.integers(1, max_batch))
    return np.stack([draw(float_matrices(k, d, **kw)) for _ in range(b)])
