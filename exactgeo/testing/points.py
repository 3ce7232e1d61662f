"""Point sets: general position, the degenerate configurations, invertible matrices and
rational rotations (object arrays of Fractions, rows are points).

General position is *constructed*, not filtered: a random draw is kept when it is in
general position (checked exactly) and otherwise replaced by points on the moment curve
t ↦ (t, t², …, t^d) for distinct nonzero t, moved by a random invertible rational map,
which are in general position by the Vandermonde determinant. So no example is rejected.

>>> from hypothesis import find
>>> P = find(degenerate_points(4, 3, kinds=("coplanar",)), lambda P: True)
>>> from exactgeo.testing import exact_rank
>>> exact_rank(P[1:] - P[0]) <= 2                 # four points on one plane in R^3
True
"""
from __future__ import annotations

from fractions import Fraction
from itertools import combinations

from hypothesis import strategies as st

from .arrays import exact_rank, rationals, to_object

__all__ = ["general_position", "degenerate_points", "DEGENERACIES", "invertible_matrices",
           "rational_rotations"]

#: the configurations of :func:`degenerate_points`
DEGENERACIES = ("repeated", "collinear", "coplanar", "origin", "axis")


def _rows(draw, n, d, **kw):
    return [draw(st.lists(rationals(**kw), min_size=d, max_size=d)) for _ in range(n)]


def _matmul(A, B):
    return [[sum((a * b for a, b in zip(row, col)), Fraction(0)) for col in zip(*B)]
            for row in A]


@st.composite
def _invertible(draw, d: int):
    """L·U with L unit lower triangular and U upper triangular with a nonzero diagonal."""
    L = [[Fraction(int(i == j)) if j >= i else draw(rationals(3, 2)) for j in range(d)]
         for i in range(d)]
    nonzero = rationals(4, 3).filter(lambda q: q != 0)
    U = [[(draw(nonzero) if i == j else draw(rationals(3, 2))) if j >= i else Fraction(0)
          for j in range(d)] for i in range(d)]
    return _matmul(L, U)


def _in_general_position(M, d: int, affine: bool) -> bool:
    rows = [list(r) + ([Fraction(1)] if affine else []) for r in M]
    r = min(len(rows), d + 1 if affine else d)
    return all(exact_rank([rows[i] for i in S]) == r for S in combinations(range(len(rows)), r))


@st.composite
def general_position(draw, n: int, d: int, affine: bool = False, **kw):
    """n points of ℚ^d in general position, object array (n, d).

    Linear (default): every min(n, d) rows are linearly independent (no row is zero).
    ``affine=True``: every min(n, d + 1) points are affinely independent (no d + 1 on one
    hyperplane, no three on a line in the plane). ``**kw`` goes to :func:`rationals`.

    >>> from hypothesis import find
    >>> P = find(general_position(4, 2, affine=True), lambda P: True)
    >>> from exactgeo.testing import exact_rank
    >>> all(exact_rank([P[i] - P[k], P[j] - P[k]]) == 2       # no three on a line
    ...     for i, j, k in [(0, 1, 2), (0, 1, 3), (0, 2, 3), (1, 2, 3)])
    True
    """
    M = _rows(draw, n, d, **kw)
    if _in_general_position(M, d, affine):
        return to_object(M).reshape(n, d)
    ts = draw(st.lists(rationals(6, 3).filter(lambda q: q != 0), min_size=n, max_size=n,
                       unique=True))
    curve = [[t ** (j + 1) for j in range(d)] for t in ts]
    A = draw(_invertible(d))
    P = _matmul(curve, [list(r) for r in zip(*A)])            # rows: A·m(t)
    if affine:
        b = draw(st.lists(rationals(4, 2), min_size=d, max_size=d))
        P = [[x + y for x, y in zip(row, b)] for row in P]
    return to_object(P).reshape(n, d)


@st.composite
def invertible_matrices(draw, d: int, **kw):
    """d×d rational matrices with det ≠ 0 (a random draw, else L·U with a nonzero
    diagonal), object array (d, d)."""
    M = _rows(draw, d, d, **kw)
    if exact_rank(M) == d:
        return to_object(M).reshape(d, d)
    return to_object(draw(_invertible(d))).reshape(d, d)


def _combination(draw, base, directions):
    coef = [draw(rationals(6, 3)) for _ in directions]
    return [b + sum((c * u[t] for c, u in zip(coef, directions)), Fraction(0))
            for t, b in enumerate(base)]


@st.composite
def degenerate_points(draw, n: int, d: int, kinds=DEGENERACIES, **kw):
    """n points of ℚ^d in one degenerate configuration drawn from ``kinds``:

    ``repeated``   two rows are equal (n ≥ 2)
    ``collinear``  all rows on one affine line
    ``coplanar``   all rows on one affine hyperplane (a plane in ℝ³, a line in ℝ²)
    ``origin``     one row is the zero vector
    ``axis``       one or more rows are multiples of a standard basis vector e_j

    Object array (n, d). ``**kw`` goes to :func:`rationals`.
    """
    kinds = tuple(kinds)
    bad = [k for k in kinds if k not in DEGENERACIES]
    if not kinds or bad:
        raise ValueError(f"kinds: expected a non-empty subset of {DEGENERACIES}, got {kinds!r}")
    if "repeated" in kinds and n < 2:
        raise ValueError(f"kinds: 'repeated' needs n >= 2 points, got n={n}")
    kind = draw(st.sampled_from(kinds))
    M = _rows(draw, n, d, **kw)
    if kind == "repeated":
        i, j = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
        M[j] = list(M[i])
    elif kind in ("collinear", "coplanar"):
        k = 1 if kind == "collinear" else max(d - 1, 1)
        base, directions = M[0], _rows(draw, k, d, **kw)
        M = [base] + [_combination(draw, base, directions) for _ in range(n - 1)]
    elif kind == "origin":
        M[draw(st.integers(0, n - 1))] = [Fraction(0)] * d
    else:
        rows = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
        for i in rows:
            j = draw(st.integers(0, d - 1))
            M[i] = [draw(rationals(**kw)) if t == j else Fraction(0) for t in range(d)]
    return to_object(M).reshape(n, d)


@st.composite
def rational_rotations(draw, d: int):
    """Rotations with rational entries, object array (d, d): RᵀR = I, det R = 1.

    The Cayley transform R = (I − K)(I + K)⁻¹ of a random rational skew matrix K
    (I + K is always invertible; every rotation without eigenvalue −1 arises).

    >>> from hypothesis import find
    >>> R = find(rational_rotations(2), lambda R: R[0, 1] != 0)
    >>> (R.T @ R).tolist() == [[1, 0], [0, 1]]
    True
    """
    K = [[Fraction(0)] * d for _ in range(d)]
    for i in range(d):
        for j in range(i + 1, d):
            v = draw(rationals(3, 2))
            K[i][j], K[j][i] = v, -v
    eye = [[Fraction(int(i == j)) for j in range(d)] for i in range(d)]
    minus = [[eye[i][j] - K[i][j] for j in range(d)] for i in range(d)]
    aug = [[eye[i][j] + K[i][j] for j in range(d)] + eye[i] for i in range(d)]
    for c in range(d):                      # Gauss–Jordan: (I + K)⁻¹
        p = next(r for r in range(c, d) if aug[r][c] != 0)
        aug[c], aug[p] = aug[p], aug[c]
        pv = aug[c][c]
        aug[c] = [x / pv for x in aug[c]]
        for r in range(d):
            if r != c and aug[r][c] != 0:
                f = aug[r][c]
                aug[r] = [x - f * y for x, y in zip(aug[r], aug[c])]
    return to_object(_matmul(minus, [row[d:] for row in aug])).reshape(d, d)
