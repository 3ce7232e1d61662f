"""Integer forms of exact rationals: an array over one common denominator, a primitive
(gcd-free) integer vector, and the exact square root of a rational square.

Exact geometry runs fastest on integers (fraction-free elimination, int64 matrix
products); these are the conversions to and from them.

>>> from fractions import Fraction
>>> ints, D = integer_scale([Fraction(1, 2), Fraction(-1, 3), 2])
>>> ints.tolist(), D
([3, -2, 12], 6)
>>> primitive([4, -6, 0]), exact_sqrt(Fraction(9, 4))
([2, -3, 0], Fraction(3, 2))
"""
from __future__ import annotations

from fractions import Fraction
from math import gcd, isqrt, lcm

import numpy as np

from .scalars import to_fraction

__all__ = ["integer_scale", "primitive", "exact_sqrt"]


def integer_scale(q):
    """Exact scalar or array (any shape) → ``(ints, D)``: an object array of Python ints
    of the same shape and the least positive int D with q = ints / D.

    >>> Xi, D = integer_scale(np.array([[Fraction(1, 2), 1]], dtype=object))
    >>> Xi.tolist(), D
    ([[1, 2]], 2)
    >>> integer_scale(np.zeros((0, 2), dtype=object))[1]
    1
    """
    flat = [to_fraction(v) for v in np.asarray(q, dtype=object).flat]
    D = lcm(*[v.denominator for v in flat]) if flat else 1
    ints = np.empty(len(flat), dtype=object)
    ints[:] = [v.numerator * (D // v.denominator) for v in flat]
    return ints.reshape(np.shape(q)), D


def primitive(v) -> list:
    """Integer sequence divided by the gcd of its entries, as a list of Python ints
    (the zero vector stays zero; signs are kept).

    >>> primitive([0, 0]), primitive(np.array([3, 9], dtype=np.int64))
    ([0, 0], [1, 3])
    """
    g = gcd(*[int(a) for a in v])
    if g <= 1:
        return [int(a) for a in v]
    return [int(a) // g for a in v]


def exact_sqrt(q):
    """√q as a Fraction when q ≥ 0 is the square of a rational, else None.

    >>> exact_sqrt(Fraction(81, 100)), exact_sqrt(Fraction(2)), exact_sqrt(-1)
    (Fraction(9, 10), None, None)
    """
    q = to_fraction(q)
    if q < 0:
        return None
    a, b = isqrt(q.numerator), isqrt(q.denominator)
    return Fraction(a, b) if a * a == q.numerator and b * b == q.denominator else None
