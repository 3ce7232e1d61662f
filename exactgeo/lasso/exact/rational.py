"""Exact arithmetic shared by the certificates (KKT over ℚ, ball arithmetic, the LP):
integer columns, exact pivots, flint conversions, and the rigorous violation test.

>>> from fractions import Fraction as F
>>> frac_int_vec([F(1, 2), F(1, 3)])
([3, 2], 6)
>>> pivot_columns([[1, 0], [2, 0], [0, 1]], 2)      # column 1 = 2·column 0
[0, 2]
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

__all__ = ["ULP", "frac_int_vec", "column_ints", "pivot_columns", "float_prefilter", "fmpq",
           "arb_to_interval", "exact_products", "rigorous_violations"]

#: Unit roundoff of float64.
ULP = 2.0 ** -53


def frac_int_vec(v):
    """Fractions (n,) → (ints (n,), common denominator)."""
    den = 1
    for q in v:
        if den % q.denominator:      # (a division is cheaper than the gcd it saves)
            den = den * q.denominator // math.gcd(den, q.denominator)
    return [q.numerator * (den // q.denominator) for q in v], den


def column_ints(A):
    """k ↦ column k of the exact columns A as (ints (n,), positive denominator), each
    converted once. A an (n, p) object array of Fractions, or an exact
    :class:`~exactgeo.families.Dictionary` (its integer storage is used directly).

    >>> from fractions import Fraction as F
    >>> column_ints(np.array([[F(1, 2)], [F(1, 3)]], dtype=object))(0)
    ([3, 2], 6)
    """
    from ...sources import ExplicitSource
    if isinstance(A, np.ndarray):
        return ExplicitSource(exact=A).exact_column_ints
    return ExplicitSource.from_dictionary(A).exact_column_ints


def pivot_columns(cols, n):
    """Greedy independent subset (in the given order) of integer columns, exactly:
    the pivot columns of the reduced row echelon form of [cols]."""
    import flint
    if not cols:
        return []
    M = flint.fmpz_mat(n, len(cols))
    for j, c in enumerate(cols):
        for i in range(n):
            if c[i]:
                M[i, j] = c[i]
    R, _den, rank = M.rref()
    piv = []
    j = 0
    ncols = len(cols)
    for i in range(int(rank)):
        while j < ncols and R[i, j] == 0:
            j += 1
        piv.append(j)
        j += 1
    return piv


def float_prefilter(cols_f, n, order, tol=1e-9):
    """Float greedy independence in ``order``, to shorten the exact rref: a column is kept
    when its part orthogonal to the columns before it exceeds tol·its norm — |R_jj| of
    one unpivoted QR when there are at most n columns, else modified Gram–Schmidt."""
    order = list(order)
    if len(order) <= n:
        from scipy.linalg import qr
        M = np.asarray(cols_f[:, order], dtype=float)
        if not M.size:
            return []
        R = qr(M, mode="r", check_finite=False)[0]
        d = np.abs(np.diag(R))
        return [order[j] for j in np.flatnonzero(d > tol * np.linalg.norm(M, axis=0))]
    Q = []
    keep = []
    for k in order:
        v = cols_f[:, k].astype(float).copy()
        nv = np.linalg.norm(v)
        if nv == 0:
            continue
        for q in Q:
            v -= (q @ v) * q
        for q in Q:
            v -= (q @ v) * q
        nr = np.linalg.norm(v)
        if nr > tol * nv:
            Q.append(v / nr)
            keep.append(k)
            if len(keep) >= n:
                break
    return keep


def fmpq(q):
    """A Fraction as a flint fmpq."""
    import flint
    return flint.fmpq(q.numerator, q.denominator)


def arb_to_interval(a):
    """Rigorous (lo, hi) Fractions of an arb ball."""
    lo = a.lower()
    hi = a.upper()
    m1, e1 = lo.man_exp()
    m2, e2 = hi.man_exp()
    f = lambda m, e: Fraction(int(m)) * (Fraction(2) ** int(e))  # noqa: E731
    return f(m1, e1), f(m2, e2)


def exact_products(exact_col, cols, r_int, r_den):
    """[A_kᵀr for k in cols] exactly (Fractions), ``exact_col(k)`` → (ints, den) column k
    and r = r_int/r_den: one flint integer product for all of them.

    >>> exact_products(lambda k: ([1, k], 2), [0, 3], [1, 1], 3)
    [Fraction(1, 6), Fraction(2, 3)]
    """
    import flint
    if not len(cols):
        return []
    got = [exact_col(int(k)) for k in cols]
    M = flint.fmpz_mat(len(got), len(r_int), [v for c, _ in got for v in c])
    s = M * flint.fmpz_mat(len(r_int), 1, r_int)
    return [Fraction(int(s[j, 0]), den * r_den) for j, (_, den) in enumerate(got)]


def rigorous_violations(exact_col, Af, absAf, r, beta):
    """|A_kᵀr| ≤ β for all k, rigorously: a float filter with an a-priori rounding bound,
    exact evaluation of the undecided columns. ``exact_col(k)`` → (ints, den) is column
    k exactly; ``Af`` its float64 rounding (n, p), ``absAf`` = |Af|; r exact (n,), β exact.
    Returns (violators dict k → A_kᵀr, max_violation float = max |A_kᵀr| − β, argmax)."""
    n = Af.shape[0]
    rf = np.array([float(q) for q in r])
    corr = Af.T @ rf
    mag = absAf.T @ np.abs(rf)
    bound = 2.0 * (n + 4) * ULP * mag + n * 1e-300
    bf = float(beta)
    sure_ok = np.abs(corr) + bound < bf * (1 - 4 * ULP)
    todo = np.flatnonzero(~sure_ok)
    r_int, r_den = frac_int_vec(r)
    viol = {}
    best = (-math.inf, -1)
    for k, v in zip(todo, exact_products(exact_col, todo, r_int, r_den)):
        excess = abs(v) - beta
        if excess > 0:
            viol[int(k)] = v
        fe = float(excess)
        if fe > best[0]:
            best = (fe, int(k))
    if best[1] < 0 and corr.size:
        k = int(np.argmax(np.abs(corr)))
        best = (float(abs(corr[k]) - bf), k)
    return viol, best[0], best[1]
