"""Internal helpers shared by the two-layer families: batched cross products over
any numeric dtype (float64 or object arrays of Python ints/Fractions), integer
scaling of exact data, combination enumeration."""
from __future__ import annotations

from fractions import Fraction
from itertools import combinations
from math import comb, gcd, lcm

import numpy as np


def cross_rows(Q) -> np.ndarray:
    """Generalized cross product of the k rows of every Q[m] (shape (m, k, k+1)) →
    (m, k+1), THEORY §0 convention; works on float64 and on object arrays (exact ints
    or Fractions), vectorised over m by Laplace expansion along the rows.

    >>> cross_rows(np.array([[[1, 2]]], dtype=object)).tolist()
    [[-2, 1]]
    >>> cross_rows(np.array([[[1., 0, 0], [0, 1, 0]]]))
    array([[0., 0., 1.]])
    """
    Q = np.asarray(Q)
    m, k, D = Q.shape
    if D != k + 1:
        raise ValueError(f"Q: expected shape (m, k, k+1), got {Q.shape}")
    if Q.dtype == object:
        one = np.empty(m, dtype=object)
        one[:] = 1
    else:
        one = np.ones(m, dtype=np.float64)
    prev = {(): one}
    for t in range(1, k + 1):
        cur = {}
        for S in combinations(range(D), t):
            acc = None
            for p, col in enumerate(S):
                term = Q[:, t - 1, col] * prev[S[:p] + S[p + 1:]]
                if acc is None:
                    acc = term if (t - 1 + p) % 2 == 0 else -term
                elif (t - 1 + p) % 2 == 0:
                    acc = acc + term
                else:
                    acc = acc - term
            cur[S] = acc
        prev = cur
    out = np.empty((m, D), dtype=Q.dtype if Q.dtype == object else np.float64)
    for j in range(D):
        minor = prev[tuple(c for c in range(D) if c != j)]
        out[:, j] = minor if (D + j + 1) % 2 == 0 else -minor
    if out.dtype != object:
        out += 0.0  # no negative zeros
    return out


def integer_scale(X):
    """Exact (n, d) array → (Xint object ints, D) with X = Xint / D, D > 0 an int.

    >>> Xi, D = integer_scale(np.array([[Fraction(1, 2), 1]], dtype=object))
    >>> Xi.tolist(), D
    ([[1, 2]], 2)
    """
    flat = [Fraction(v) for v in np.asarray(X, dtype=object).flat]
    D = lcm(*[v.denominator for v in flat]) if flat else 1
    ints = np.empty(len(flat), dtype=object)
    ints[:] = [v.numerator * (D // v.denominator) for v in flat]
    return ints.reshape(np.shape(X)), D


def primitive(v):
    """Integer sequence divided by the gcd of its entries (zero stays zero)."""
    g = gcd(*[int(a) for a in v])
    if g <= 1:
        return [int(a) for a in v]
    return [int(a) // g for a in v]


def n_combos(n_points: int, n_axes: int, k: int, need_point: bool) -> int:
    total = comb(n_points + n_axes, k)
    if need_point:
        total -= comb(n_axes, k)
    return total


def combos_array(n_points: int, n_axes: int, k: int, need_point: bool) -> np.ndarray:
    """All k-subsets of range(n_points + n_axes) in lexicographic order, as an (m, k)
    int64 array; with ``need_point`` only those containing an index < n_points."""
    N = n_points + n_axes
    m = comb(N, k)
    if k == 0:
        return np.zeros((1, 0), dtype=np.int64)
    flat = np.fromiter((i for c in combinations(range(N), k) for i in c),
                       dtype=np.int64, count=m * k)
    C = flat.reshape(m, k)
    if need_point:
        C = C[C[:, 0] < n_points]
    return C


def combos_chunks(n_points: int, n_axes: int, k: int, need_point: bool, step: int):
    """The rows of :func:`combos_array` in consecutive (≤ step, k) int64 blocks,
    generated lazily (memory O(step·k))."""
    from itertools import islice
    N = n_points + n_axes
    if k == 0:
        yield np.zeros((1, 0), dtype=np.int64)
        return
    gen = combinations(range(N), k)
    if need_point:
        gen = (c for c in gen if c[0] < n_points)
    while True:
        block = list(islice(gen, step))
        if not block:
            return
        yield np.array(block, dtype=np.int64).reshape(len(block), k)
