"""Shared helpers for the GA theorem modules (private: not a theorem).

Symbolic side: generic sympy symbol matrices, the cofactor formula of THEORY §0 for
×(V), and polynomial zero tests (``expand(...) == 0``). Exact side: seeded random
rational instances, degenerate ones included, fed to the library (Fractions in numpy
object arrays), and a compiled form of a symbolic formula to compare the library with.

Import sympy lazily: theorem modules import this module at load time.
"""
from __future__ import annotations

import random
from fractions import Fraction
from itertools import combinations

import numpy as np

DIMS = (2, 3, 4)


class Cases:
    """Counts checks; ``check(ok, msg)`` raises AssertionError(msg) when ``ok`` is false."""

    def __init__(self):
        self.n = 0

    def check(self, ok, msg):
        self.n += 1
        if not ok:
            raise AssertionError(msg() if callable(msg) else msg)

    def zero(self, expr, msg):
        """Check that a sympy expression (or Matrix) expands to the zero polynomial."""
        import sympy as sp
        if isinstance(expr, sp.MatrixBase):
            bad = [e for e in expr if sp.expand(e) != 0]
            self.check(not bad, lambda: f"{msg}: nonzero entry {sp.expand(bad[0])}")
        else:
            e = sp.expand(expr)
            self.check(e == 0, lambda: f"{msg}: difference expands to {e}")


# --- symbolic ---------------------------------------------------------------------

def sym_matrix(name: str, rows: int, cols: int):
    """A rows×cols sympy Matrix of distinct real symbols ``name_i_j`` (generic entries)."""
    import sympy as sp
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}_{i + 1}_{j + 1}", real=True))


def sym_vector(name: str, d: int):
    """A d×1 column of symbols ``name_j``."""
    import sympy as sp
    return sp.Matrix(d, 1, lambda j, _: sp.Symbol(f"{name}_{j + 1}", real=True))


def det(M):
    """Division-free (Berkowitz) determinant, expanded; det of a 0×0 matrix is 1."""
    import sympy as sp
    if M.rows == 0:
        return sp.Integer(1)
    return sp.expand(M.det(method="berkowitz"))


def cross_formula(V):
    """×(V) by THEORY §0 cofactors: ×(V)_k = (−1)^{d+k} det V^{(k)} (1-based k); d×1 Matrix."""
    import sympy as sp
    k, d = V.shape
    assert k == d - 1, (k, d)
    return sp.Matrix(d, 1, lambda j, _: (-1) ** (d + j + 1) * det(_drop_col(V, j)))


def _drop_col(V, j):
    cols = [c for c in range(V.cols) if c != j]
    return V.extract(list(range(V.rows)), cols)


def minors_formula(V):
    """Plücker coordinates of the rows of V (k×d): k×k minors in clifford blade order."""
    import sympy as sp
    k, d = V.shape
    return sp.Matrix([det(V.extract(list(range(k)), list(c))) for c in combinations(range(d), k)])


def dot(a, b):
    """Euclidean inner product of two column matrices, expanded."""
    import sympy as sp
    return sp.expand((a.T * b)[0, 0])


def compile_exprs(symbols, exprs):
    """Compile integer-coefficient polynomials to a Python function of Fractions.

    Returns ``f(values) -> list`` evaluating ``exprs`` at ``symbols = values`` with exact
    Fraction arithmetic (coefficients must be integers so nothing becomes a float).
    """
    import sympy as sp
    exprs = [sp.expand(e) for e in exprs]
    for e in exprs:
        for c in sp.Poly(e, *symbols).coeffs() if e != 0 else []:
            assert c.is_Integer, f"non-integer coefficient {c} in {e}"
    f = sp.lambdify(list(symbols), exprs, modules=[{}])
    return lambda values: [Fraction(v) for v in f(*values)]


# --- exact instances -------------------------------------------------------------

def rng(seed: int) -> random.Random:
    return random.Random(seed)


def rand_fraction(r: random.Random, num: int = 9, den: int = 6) -> Fraction:
    return Fraction(r.randint(-num, num), r.randint(1, den))


def rand_matrix(r: random.Random, rows: int, cols: int, kind: str = "generic"):
    """A rows×cols list of Fraction rows.

    kind: ``generic`` (random), ``zero-row``, ``repeated`` (two equal rows),
    ``multiple`` (a row is a multiple of another), ``dependent`` (last row a rational
    combination of the others), ``axes`` (standard basis rows, a signed permutation).
    """
    M = [[rand_fraction(r) for _ in range(cols)] for _ in range(rows)]
    if kind == "generic" or rows == 0:
        return M
    if kind == "zero-row":
        M[r.randrange(rows)] = [Fraction(0)] * cols
    elif kind == "repeated" and rows >= 2:
        i, j = r.sample(range(rows), 2)
        M[j] = list(M[i])
    elif kind == "multiple" and rows >= 2:
        i, j = r.sample(range(rows), 2)
        a = rand_fraction(r)
        M[j] = [a * x for x in M[i]]
    elif kind == "dependent" and rows >= 2:
        coef = [rand_fraction(r) for _ in range(rows - 1)]
        M[-1] = [sum((c * M[i][j] for i, c in enumerate(coef)), Fraction(0)) for j in range(cols)]
    elif kind == "axes":
        idx = r.sample(range(cols), min(rows, cols))
        M = [[Fraction(r.choice((-1, 1)) if j == idx[i] else 0) for j in range(cols)]
             for i in range(rows)]
    return M


KINDS = ("generic", "generic", "generic", "zero-row", "repeated", "multiple", "dependent",
         "axes")


def instances(seed: int, rows: int, cols: int, count: int):
    """``count`` seeded rational rows×cols instances cycling through :data:`KINDS`."""
    r = rng(seed)
    return [rand_matrix(r, rows, cols, KINDS[i % len(KINDS)]) for i in range(count)]


def lib_cross(rows) -> list:
    """exactgeo.cross on Fraction rows → list of Fractions (checks exactness is kept)."""
    import exactgeo
    out = exactgeo.cross(np.array(rows, dtype=object))
    vals = list(out.tolist())
    assert all(isinstance(v, Fraction) for v in vals), f"cross lost exactness: {vals}"
    return vals


def lib_wedge(rows) -> list:
    """exactgeo.wedge on Fraction rows → list of Fractions (checks exactness is kept)."""
    import exactgeo
    out = exactgeo.wedge(np.array(rows, dtype=object))
    vals = list(out.tolist())
    assert all(isinstance(v, Fraction) for v in vals), f"wedge lost exactness: {vals}"
    return vals


def fdot(a, b) -> Fraction:
    return sum((x * y for x, y in zip(a, b)), Fraction(0))


def fdet(rows) -> Fraction:
    """Exact determinant of a square list of Fraction rows (Leibniz-free: via flint)."""
    from exactgeo.numbers import exact_det
    if len(rows) == 0:
        return Fraction(1)
    return Fraction(exact_det(np.array(rows, dtype=object)))


def fgram(rows):
    return [[fdot(a, b) for b in rows] for a in rows]


def flat(M) -> list:
    return [x for row in M for x in row]
