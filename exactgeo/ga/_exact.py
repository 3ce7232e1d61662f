"""Exact determinants and cross-product cofactors of one matrix by fraction-free
(Bareiss) elimination: over the integers, and over ℚ by scaling rows to integers."""
from __future__ import annotations

import math
from fractions import Fraction


def det_fraction(rows) -> Fraction:
    """Exact determinant of a square list-of-lists of Fractions.

    >>> det_fraction([[Fraction(1), Fraction(2)], [Fraction(3), Fraction(4)]])
    Fraction(-2, 1)
    """
    k = len(rows)
    if k == 0:
        return Fraction(1)
    m = [list(r) for r in rows]
    sign = 1
    prev = Fraction(1)
    for c in range(k - 1):
        pivot = next((r for r in range(c, k) if m[r][c] != 0), None)
        if pivot is None:
            return Fraction(0)
        if pivot != c:
            m[c], m[pivot] = m[pivot], m[c]
            sign = -sign
        for r in range(c + 1, k):
            for j in range(c + 1, k):
                m[r][j] = (m[r][j] * m[c][c] - m[r][c] * m[c][j]) / prev
        prev = m[c][c]
    return sign * m[k - 1][k - 1]


def _integer_rows(rows):
    """Rows of Fractions → (rows of ints, s) with int row i = s_i·row i, s = Π s_i."""
    out, scale = [], 1
    for r in rows:
        s = math.lcm(*(x.denominator for x in r)) if r else 1
        out.append([x.numerator * (s // x.denominator) for x in r])
        scale *= s
    return out, scale


def _gauss_jordan(M, ncols: int):
    """Fraction-free Gauss–Jordan elimination of the int rows M, in place.

    Returns ``(pivots, free, sign, D)``: pivot columns (row i has its pivot in
    pivots[i]), the non-pivot columns (stopping after the second), the sign of the row
    swaps and D = sign·det M[:, pivots]. Every entry stays an integer minor of M
    (Bareiss), so ``//`` is exact; at the end every pivot equals D.
    """
    pivots, free, sign, prev = [], [], 1, 1
    for c in range(ncols):
        r = len(pivots)
        p = next((i for i in range(r, len(M)) if M[i][c]), None)
        if p is None:
            free.append(c)
            if len(free) > 1:
                break
            continue
        if p != r:
            M[r], M[p], sign = M[p], M[r], -sign
        top, a = M[r], M[r][c]
        for i, row in enumerate(M):
            if i != r:
                b = row[c]
                M[i] = [(a * x - b * y) // prev for x, y in zip(row, top)]
        prev = a
        pivots.append(c)
    return pivots, free, sign, prev


def cofactors_int(rows) -> list:
    """×(V) of the d − 1 integer rows of V (sequences of ints), O(d³), as Python ints:
    the d cofactors (−1)^{d+k} det V^{(k)} (THEORY §0); exactly 0 when rank V < d − 1.

    Fraction-free Gauss–Jordan (every intermediate is an integer minor of V). With one
    free column f after elimination, the null vector n of V has n_f = D and
    n_{pivots[i]} = −M[i][f]; ×(V) = ±n, the sign fixed by ×(V)_f.

    >>> cofactors_int([[1, 2]])                       # d = 2: (−v_2, v_1)
    [-2, 1]
    >>> cofactors_int([[1, 2, 0], [2, 4, 0]])         # dependent rows
    [0, 0, 0]
    """
    d = len(rows) + 1
    M = [[int(x) for x in r] for r in rows]
    pivots, free, sign, D = _gauss_jordan(M, d)
    if len(free) != 1:
        return [0] * d
    f = free[0]
    n = [0] * d
    n[f] = D
    for i, c in enumerate(pivots):
        n[c] = -M[i][f]
    # ×(V)_f = (−1)^{d+f+1}·det V^{(f)} (0-based f) and D = sign·det V^{(f)}
    eps = -sign if (d + f) % 2 == 0 else sign
    return [eps * x for x in n]


def cofactors_fraction(rows) -> list:
    """×(V) of the d − 1 rows of V (lists of Fractions), O(d³): the d cofactors
    (−1)^{d+k} det V^{(k)} (THEORY §0); exactly 0 when rank V < d − 1.

    Row i is scaled to integers by s_i (×(diag(s)·V) = Π s_i·×(V)), then
    :func:`cofactors_int`.

    >>> cofactors_fraction([[Fraction(1), Fraction(2)]])       # d = 2: (−v_2, v_1)
    [Fraction(-2, 1), Fraction(1, 1)]
    >>> cofactors_fraction([[Fraction(1, 2), 0, 0], [0, Fraction(1, 3), 0]])
    [Fraction(0, 1), Fraction(0, 1), Fraction(1, 6)]
    """
    M, scale = _integer_rows([[Fraction(x) for x in r] for r in rows])
    return [Fraction(x, scale) for x in cofactors_int(M)]
