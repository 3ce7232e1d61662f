"""Exact linear algebra over ℚ: determinants, rank, solves and inverses of exact
matrices, through python-flint's ``fmpq_mat`` (the bridge both ways is here too).

>>> from fractions import Fraction
>>> exact_solve([[2, 0], [0, Fraction(1, 2)]], [1, 1]).tolist()
[Fraction(1, 2), Fraction(2, 1)]
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from .scalars import as_exact_array, to_fraction

__all__ = ["to_fmpq_mat", "from_fmpq_mat", "exact_det", "exact_rank", "exact_solve",
           "exact_inv", "sum_of_squares"]


def sum_of_squares(values):
    """Σ v² exactly: rationals over their common denominator L, Σ (v·L)² / L² summed in
    flint integers (one gcd at the end instead of one per term), anything else as given.

    >>> sum_of_squares([Fraction(1, 2), Fraction(1, 3), 2])
    Fraction(157, 36)
    """
    import math
    import flint
    values = list(values)
    if not all(isinstance(v, (Fraction, int)) for v in values):
        return sum((v * v for v in values), Fraction(0))
    L = math.lcm(1, *(v.denominator for v in values))
    total = flint.fmpz(0)
    for v in values:
        a = flint.fmpz(v.numerator) * (L // v.denominator)
        total += a * a
    return Fraction(int(total), L * L)


def to_fmpq_mat(a):
    """2-D exact array (anything :func:`as_exact_array` takes) → ``flint.fmpq_mat``."""
    import flint
    arr = as_exact_array(a)
    if arr.ndim != 2:
        raise ValueError(f"expected a 2-D matrix, got shape {arr.shape}")
    m, n = arr.shape
    return flint.fmpq_mat(m, n, [flint.fmpq(q.numerator, q.denominator) for q in arr.flat])


def from_fmpq_mat(M) -> np.ndarray:
    """``flint.fmpq_mat`` → object array of Fractions.

    >>> from_fmpq_mat(to_fmpq_mat([[Fraction(1, 2), 3]])).tolist()
    [[Fraction(1, 2), Fraction(3, 1)]]
    """
    out = np.empty(M.nrows() * M.ncols(), dtype=object)
    out[:] = [Fraction(int(q.p), int(q.q)) for q in M.entries()]
    return out.reshape(M.nrows(), M.ncols())


def exact_det(a) -> Fraction:
    """Exact determinant of a square exact matrix.

    >>> exact_det([[Fraction(1, 2), 1], [1, 4]])
    Fraction(1, 1)
    """
    M = to_fmpq_mat(a)
    if M.nrows() != M.ncols():
        raise ValueError(f"det: expected a square matrix, got {M.nrows()}x{M.ncols()}")
    return to_fraction(M.det())


def exact_rank(a) -> int:
    """Exact rank over ℚ."""
    M = to_fmpq_mat(a)
    return int(M.rref()[1])


def exact_solve(a, b) -> np.ndarray:
    """Solve ``a x = b`` over ℚ for square nonsingular ``a``; ``b`` 1-D or 2-D."""
    b_arr = as_exact_array(b)
    vec = b_arr.ndim == 1
    B = to_fmpq_mat(b_arr.reshape(-1, 1) if vec else b_arr)
    A = to_fmpq_mat(a)
    if A.nrows() != A.ncols():
        raise ValueError(f"solve: expected a square matrix, got {A.nrows()}x{A.ncols()}")
    if A.det() == 0:
        raise ValueError("solve: the matrix is singular over Q")
    X = from_fmpq_mat(A.solve(B))
    return X[:, 0] if vec else X


def exact_inv(a) -> np.ndarray:
    """Exact inverse over ℚ."""
    A = to_fmpq_mat(a)
    if A.nrows() != A.ncols() or A.det() == 0:
        raise ValueError("inv: expected a square nonsingular matrix")
    return from_fmpq_mat(A.inv())
