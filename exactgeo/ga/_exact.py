"""Small exact determinants over Fractions (fraction-free Bareiss elimination)."""
from __future__ import annotations

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
