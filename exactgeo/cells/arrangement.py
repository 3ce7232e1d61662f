"""The cells of the anchored hyperplane arrangement of THEORY §2.8, enumerated exactly.

For an anchor j (a neuron with bias through the sample x_j) the rows a_i = x_i − x_j cut
ℝ^d by the hyperplanes {u : a_iᵀu = 0}; without bias the anchor is ``None`` and a_i = x_i.
A *cell* is a full-dimensional open cone of this central arrangement: its sign vector
s_i = sign(a_iᵀu) is constant on it (0 exactly for the rows a_i = 0: the anchor itself,
repeated points, x_i = 0 without bias), and :class:`Cell` carries an exact rational
interior point. The ReLU / abs feature is linear on each closed cell (``pricing.py``).

Enumeration is exact (integer arithmetic on primitive integer rows) and streamed in a
deterministic order:

- d = 1: the two half-lines; d = 2: the sectors between the sorted rays ±×(a_i)
  (the shared sector walk :func:`exactgeo.families.pricing_2d.angular_rays`);
- d ≥ 3: by facets. Every cell of an arrangement with at least one hyperplane has a
  facet, so for each distinct hyperplane H the cells of the arrangement restricted to H
  (dimension d − 1, recursively, down to the 2-D sector walk) are lifted to the two
  cells on either side; a cell met again through another facet is skipped (a set of sign
  vectors). In d = 3 this walks every great circle a_i^⊥ through its sorted intersection
  rays ±×(a_i, a_k): O(m² log m) geometry for m hyperplanes, plus O(n) per reported cell
  for its sign vector. In general the cost is O(Σ_cells #facets · n · d), polynomial
  for fixed d, and the enumeration stays exact for every n; the practical limit is the
  number of cells, ``max_cells`` (default :data:`DEFAULT_MAX_CELLS`; about 2·C(n−1, d−1)
  per anchor in general position, e.g. 10⁴ for d = 4, n ≈ 30 or d = 5, n ≈ 20), checked
  before enumerating (:func:`cell_bound`, exact counts up to rank 3).

Counts (:func:`count_cells`) are exact without enumerating up to rank 3 of the row
matrix (rank ≤ 2: 2m or fewer; rank 3: Zaslavsky's 2(1 + Σ_L (m_L − 1)) over the
intersection lines L of the m hyperplanes); beyond that the cells are counted by
enumeration. :func:`sample_cells` is the sampled alternative for large instances.

>>> from fractions import Fraction as F
>>> [c.signs for c in cells([[1, 0], [0, 1]])]
[(1, 1), (-1, 1), (-1, -1), (1, -1)]
>>> count_cells([[1, 0], [0, 1], [1, 1]], bias=True)
12
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from math import comb
from typing import Iterator, Optional

import numpy as np

from ..families.pricing_2d import angular_rays, walk_chambers
from ..numbers import as_exact_array, exact_rank, integer_scale, primitive

__all__ = ["Cell", "SampledCells", "DEFAULT_MAX_CELLS", "anchored", "anchored_int",
           "integer_rows", "anchor_rows",
           "cells", "all_cells", "count_cells", "count_anchor_cells", "cell_bound",
           "sample_cells", "check_cells"]

#: cells one enumeration call may produce (all anchors together for :func:`all_cells`)
#: before it refuses up front, pointing to :func:`sample_cells`
DEFAULT_MAX_CELLS = 1_000_000


@dataclass(frozen=True)
class Cell:
    """One full-dimensional open cell of the arrangement {u : (x_i − x_j)ᵀu = 0}.

    ``anchor``: j (bias: hyperplanes through x_j) or None (no bias). ``signs``: length n,
    sign(a_iᵀu) ∈ {−1, 0, +1} on the open cell, 0 exactly where a_i = 0. ``point``: an
    exact rational interior point (d Fractions; a primitive integer vector).

    >>> c = next(cells([[2]]))
    >>> c.signs, c.point
    ((1,), (Fraction(1, 1),))
    """
    anchor: Optional[int]
    signs: tuple
    point: tuple


@dataclass(frozen=True)
class SampledCells:
    """The distinct cells found by :func:`sample_cells` among ``samples`` random directions
    (``cells`` in order of first discovery; ``found`` = len(cells) ≤ the true count).

    >>> S = sample_cells([[1, 0, 0], [0, 1, 0], [0, 0, 1]], samples=500, seed=0)
    >>> S.found, S.samples, S.anchor
    (8, 500, None)
    """
    anchor: Optional[int]
    cells: tuple
    samples: int
    seed: int

    @property
    def found(self) -> int:
        return len(self.cells)


# ---------------------------------------------------------------- data and anchors

def _exact_data(X) -> np.ndarray:
    Xe = as_exact_array(X, "X")
    if Xe.ndim != 2 or Xe.shape[0] < 1 or Xe.shape[1] < 1:
        raise ValueError(f"X: expected a 2-D array of shape (n, d) with n, d >= 1, got "
                         f"shape {Xe.shape}")
    return Xe


def _check_anchor(anchor, n: int) -> Optional[int]:
    if anchor is None:
        return None
    if isinstance(anchor, (bool, np.bool_)) or not isinstance(anchor, (int, np.integer)):
        raise TypeError(f"anchor: expected None or a row index in 0..{n - 1}, got "
                        f"{type(anchor).__name__} {anchor!r}")
    if not 0 <= anchor < n:
        raise ValueError(f"anchor: expected None or a row index in 0..{n - 1}, got {anchor}")
    return int(anchor)


def anchored(X, anchor=None) -> np.ndarray:
    """The exact anchored rows X − 𝟙x_jᵀ (X itself when ``anchor`` is None): object array
    of Fractions, shape (n, d).

    >>> anchored([[1, 2], [3, 5]], 0).tolist()
    [[Fraction(0, 1), Fraction(0, 1)], [Fraction(2, 1), Fraction(3, 1)]]
    """
    Xe = _exact_data(X)
    j = _check_anchor(anchor, Xe.shape[0])
    return Xe.copy() if j is None else Xe - Xe[j]


def anchored_int(X, anchor=None):
    """``(A, D)``: the anchored rows over one common denominator (the least one of X),
    ``anchored(X, anchor) = A / D``, with A a list of n tuples of Python ints (the form
    every exact routine of this package works on: signs and cells do not change under
    positive scaling).

    >>> anchored_int([["1/2", 1], [0, 0]], 1)
    ([(1, 2), (0, 0)], 2)
    """
    Xe = _exact_data(X)
    XI, D = integer_rows(Xe)
    return anchor_rows(XI, _check_anchor(anchor, Xe.shape[0])), D


def integer_rows(Xe):
    """``(XI, D)``: the rows of the exact array Xe (n, d) as tuples of Python ints over
    their least common denominator D (computed once, then anchored by :func:`anchor_rows`).

    >>> integer_rows(anchored([["1/2", 1]]))
    ([(1, 2)], 2)
    """
    ints, D = integer_scale(Xe)
    return [tuple(int(v) for v in row) for row in ints], int(D)


def anchor_rows(XI, anchor):
    """The integer rows x_i − x_j (XI itself when ``anchor`` is None).

    >>> anchor_rows([(1, 2), (3, 5)], 0)
    [(0, 0), (2, 3)]
    """
    if anchor is None:
        return list(XI)
    xj = XI[anchor]
    return [tuple(a - b for a, b in zip(row, xj)) for row in XI]


def _primitive_rows(A):
    return [tuple(primitive(a)) for a in A]


# ---------------------------------------------------------------- hyperplanes

def _canonical_line(a):
    """The primitive integer vector spanning a's line with its first non-zero entry > 0
    (the key of a hyperplane {u : aᵀu = 0}), and the orientation ±1 of a against it."""
    p = primitive(a)
    for v in p:
        if v:
            s = 1 if v > 0 else -1
            return tuple(s * x for x in p), s
    return tuple(p), 0


def _hyperplanes(rows):
    """Distinct hyperplanes of the non-zero rows: list of (representative index, key)."""
    seen = {}
    for k, a in enumerate(rows):
        if any(a):
            key, _ = _canonical_line(a)
            seen.setdefault(key, k)
    return sorted((k, key) for key, k in seen.items())


def _rank(rows) -> int:
    nz = [a for a in rows if any(a)]
    if not nz:
        return 0
    return exact_rank(np.array(nz, dtype=object))


def _dot(a, b):
    return sum(x * y for x, y in zip(a, b))


def _sign(v) -> int:
    return (v > 0) - (v < 0)


def _complement_basis(a):
    """Integer basis B ((d−1) rows) of the hyperplane a^⊥ (a ≠ 0): b_q = a_p e_q − a_q e_p
    for q ≠ p, p the first non-zero coordinate of a."""
    d = len(a)
    p = next(i for i, v in enumerate(a) if v)
    basis = []
    for q in range(d):
        if q == p:
            continue
        b = [0] * d
        b[q] = a[p]
        b[p] = -a[q]
        basis.append(tuple(b))
    return basis


# ---------------------------------------------------------------- enumeration core

def _regions(rows, d) -> Iterator[tuple]:
    """Yield ``(signs, point)`` for every full-dimensional cell of the central arrangement
    of integer ``rows`` (n tuples of length d): signs a tuple of −1/0/+1, point a tuple of
    Python ints (primitive) strictly inside."""
    n = len(rows)
    nz = [k for k in range(n) if any(rows[k])]
    if not nz:
        e1 = (1,) + (0,) * (d - 1)
        yield (0,) * n, e1
        return
    if d == 1:
        for u in (1, -1):
            yield tuple(_sign(a[0] * u) for a in rows), (u,)
        return
    if d == 2:
        yield from _regions_2d(rows)
        return
    yield from _regions_by_facets(rows, d)


def _regions_2d(rows):
    groups, start = angular_rays(rows, True)
    m = len(groups)
    for gi, pattern, _ in walk_chambers(groups, start):
        r1 = groups[gi][0]
        r2 = groups[(gi + 1) % m][0]
        if r1[0] * r2[1] - r1[1] * r2[0] > 0:       # angle < π: any positive combination
            pt = (r1[0] + r2[0], r1[1] + r2[1])
        else:                                        # angle π: rotate r1 by +90°
            pt = (-r1[1], r1[0])
        yield tuple(pattern), tuple(primitive(pt))


def _regions_by_facets(rows, d):
    n = len(rows)
    seen = set()
    for i, _ in _hyperplanes(rows):
        a = rows[i]
        B = _complement_basis(a)
        proj = [tuple(primitive([_dot(b, ak) for b in B])) for ak in rows]
        along = [_dot(ak, a) for ak in rows]         # a_kᵀa: how row k sees the normal a
        for sub_signs, v in _regions(proj, d - 1):
            w = [sum(v[q] * B[q][c] for q in range(d - 1)) for c in range(d)]   # Bᵀv ∈ a^⊥
            # step t·a off the facet: |t| < |a_kᵀw| / |a_kᵀa| keeps every other sign
            tn, td = 1, 0                           # t = tn / td, td = 0: no bound yet
            for k in range(n):
                if sub_signs[k] and along[k]:
                    num, den = abs(_dot(rows[k], w)), abs(along[k])
                    if td == 0 or num * td < tn * den:
                        tn, td = num, den
            t = Fraction(1) if td == 0 else Fraction(tn, 2 * td)
            for side in (1, -1):
                signs = tuple(sub_signs[k] if sub_signs[k] or not any(rows[k])
                              else side * _sign(along[k]) for k in range(n))
                key = bytes(s + 1 for s in signs)
                if key in seen:
                    continue
                seen.add(key)
                pt = [t.denominator * wc + side * t.numerator * ac for wc, ac in zip(w, a)]
                yield signs, tuple(primitive(pt))


# ---------------------------------------------------------------- counts

def cell_bound(X, anchor=None) -> int:
    """Upper bound on the number of cells for one anchor: the general-position count
    2Σ_{k<r} C(m − 1, k) of I13 for m distinct hyperplanes of rank r (1 if m = 0).
    Cheap (no enumeration); equal to the count for rows in general position.

    >>> cell_bound([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]])
    14
    """
    rows, _ = anchored_int(X, anchor)
    return _bound(_primitive_rows(rows))


def _bound(rows) -> int:
    m = len(_hyperplanes(rows))
    if m == 0:
        return 1
    r = _rank(rows)
    return 2 * sum(comb(m - 1, k) for k in range(r))


def _count_rank3(rows, planes) -> int:
    """Zaslavsky for a rank-3 central arrangement: 2(1 + Σ_L (m_L − 1)) over the lines L
    where hyperplanes meet, m_L the number of hyperplanes containing L."""
    from ..ga import cross_int
    normals = [rows[k] for k, _ in planes]
    d = len(normals[0])
    pairs = {}
    for p in range(len(normals)):
        for q in range(p + 1, len(normals)):
            if d == 3:
                line = cross_int(np.array([normals[p], normals[q]], dtype=object))
                key = _canonical_line([int(v) for v in line])[0]
            else:   # the line is the null space of (a_p, a_q) inside the rank-3 row space
                key = _pair_flat_key(normals, p, q)
            pairs[key] = pairs.get(key, 0) + 1
    total = 0
    for c in pairs.values():          # c = C(m_L, 2)
        m_L = (1 + math.isqrt(1 + 8 * c)) // 2
        total += m_L - 1
    return 2 * (1 + total)


def _pair_flat_key(normals, p, q):
    """Key of the rank-2 flat span(a_p, a_q) (the hyperplanes containing it meet there):
    the reduced row echelon form of (a_p, a_q) over ℚ."""
    import flint
    M = flint.fmpq_mat(2, len(normals[p]), list(normals[p]) + list(normals[q]))
    R, _ = M.rref()
    return tuple(str(R[i, c]) for i in range(2) for c in range(R.ncols()))


def _count_rows(rows, d, max_cells) -> int:
    planes = _hyperplanes(rows)
    m = len(planes)
    if m == 0:
        return 1
    r = _rank(rows)
    if r == 1:
        return 2
    if r == 2:
        return 2 * m
    if r == 3:
        return _count_rank3(rows, planes)
    count = 0
    for _ in _regions(rows, d):
        count += 1
        if max_cells is not None and count > max_cells:
            raise ValueError(_too_many_message(f"more than {max_cells}", None, max_cells))
    return count


def count_anchor_cells(X, anchor=None, *, max_cells: Optional[int] = None) -> int:
    """Exact number of cells for one anchor. Rank ≤ 3 row matrices by formula (no
    enumeration); higher rank by enumeration, refused (ValueError) once it passes
    ``max_cells`` when that is given.

    >>> count_anchor_cells([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]])
    12
    """
    Xe = _exact_data(X)
    rows = anchor_rows(integer_rows(Xe)[0], _check_anchor(anchor, Xe.shape[0]))
    return _count_rows(_primitive_rows(rows), Xe.shape[1], max_cells)


def count_cells(X, bias: bool, *, max_cells: Optional[int] = None) -> int:
    """Exact number of cells over all anchors (0..n−1 with ``bias``, else the single
    anchor None), each counted as in :func:`count_anchor_cells`.

    >>> count_cells([[1, 0], [0, 1]], bias=False), count_cells([[1, 0], [0, 1]], bias=True)
    (4, 4)
    """
    Xe = _exact_data(X)
    XI, d = integer_rows(Xe)[0], Xe.shape[1]
    return sum(_count_rows(_primitive_rows(anchor_rows(XI, j)), d, max_cells)
               for j in _anchors(Xe, bias))


def _anchors(Xe, bias):
    if not isinstance(bias, (bool, np.bool_)):
        raise TypeError(f"bias: expected True or False, got {type(bias).__name__} {bias!r}")
    return range(Xe.shape[0]) if bias else [None]


def _too_many_message(count_text, anchor, max_cells):
    where = "" if anchor is None else f" for anchor {anchor}"
    return (f"X: the arrangement{where} has {count_text} cells, more than max_cells="
            f"{max_cells}; enumerate a sample instead with sample_cells(X, anchor, samples, "
            f"seed), or raise max_cells")


def _check_max_cells(max_cells):
    if isinstance(max_cells, (bool, np.bool_)) or not isinstance(max_cells, (int, np.integer)) \
            or max_cells < 1:
        raise ValueError(f"max_cells: expected a positive integer, got {max_cells!r}")


def _refuse_if_too_many(Xe, anchors, max_cells):
    """ValueError before enumerating when the cells of ``anchors`` exceed max_cells: the
    cheap bound first, the exact count (rank ≤ 3, or the bound itself above) if needed."""
    d = Xe.shape[1]
    XI = integer_rows(Xe)[0]
    per = [_primitive_rows(anchor_rows(XI, j)) for j in anchors]
    bound = sum(_bound(rows) for rows in per)
    if bound <= max_cells:
        return
    total, exact = 0, True
    for rows in per:
        if _rank(rows) <= 3:
            total += _count_rows(rows, d, None)
        else:
            total += _bound(rows)
            exact = False
    if total > max_cells:
        text = str(total) if exact else f"up to {total} (the general-position count)"
        anchor = anchors[0] if len(anchors) == 1 else None
        raise ValueError(_too_many_message(text, anchor, max_cells))


# ---------------------------------------------------------------- public enumeration

def cells(X, anchor=None, *, max_cells: int = DEFAULT_MAX_CELLS) -> Iterator[Cell]:
    """Every full-dimensional cell of the central arrangement {u : (x_i − x_j)ᵀu = 0}
    (j = ``anchor``; x_i ᵀu = 0 when None), streamed in a deterministic order, exact.
    Refuses up front (ValueError with the count and the sampled alternative) when the
    arrangement has more than ``max_cells`` cells.

    >>> [(c.signs, c.point) for c in cells([[1], [2], [-1]])]
    [((1, 1, -1), (Fraction(1, 1),)), ((-1, -1, 1), (Fraction(-1, 1),))]
    >>> len(list(cells([[1, 0, 0], [0, 1, 0], [0, 0, 1]])))     # the 8 octants
    8
    """
    Xe = _exact_data(X)
    j = _check_anchor(anchor, Xe.shape[0])
    _check_max_cells(max_cells)
    _refuse_if_too_many(Xe, [j], max_cells)
    return _stream(Xe, [j])


def all_cells(X, bias: bool, *, max_cells: int = DEFAULT_MAX_CELLS) -> Iterator[Cell]:
    """The cells of every anchor: 0..n−1 with ``bias``, else the single anchor None;
    ``max_cells`` bounds the total (checked before enumerating).

    >>> sum(1 for _ in all_cells([[0, 0], [1, 0], [0, 1]], bias=True))
    12
    """
    Xe = _exact_data(X)
    anchors = list(_anchors(Xe, bias))
    _check_max_cells(max_cells)
    _refuse_if_too_many(Xe, anchors, max_cells)
    return _stream(Xe, anchors)


def _stream(Xe, anchors):
    d = Xe.shape[1]
    XI = integer_rows(Xe)[0]
    for j in anchors:
        for signs, pt in _regions(_primitive_rows(anchor_rows(XI, j)), d):
            yield Cell(j, signs, tuple(Fraction(v) for v in pt))


# ---------------------------------------------------------------- sampling

def sample_cells(X, anchor=None, samples: int = 10000, seed: int = 0) -> SampledCells:
    """The distinct cells met by ``samples`` random directions (standard normal, fixed
    ``seed``), for arrangements too large to enumerate. Signs are exact (each float
    direction is a rational, and signs the float product cannot decide are recomputed
    over the integers); directions on a hyperplane are skipped. ``point`` is the sampled
    direction itself, exactly. The result is a lower bound on the cell set.

    >>> S = sample_cells([[1, 0], [0, 1]], None, samples=200, seed=1)
    >>> S.found, sorted(c.signs for c in S.cells)
    (4, [(-1, -1), (-1, 1), (1, -1), (1, 1)])
    """
    Xe = _exact_data(X)
    j = _check_anchor(anchor, Xe.shape[0])
    if isinstance(samples, (bool, np.bool_)) or not isinstance(samples, (int, np.integer)) \
            or samples < 1:
        raise ValueError(f"samples: expected a positive integer, got {samples!r}")
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed: expected an integer, got {type(seed).__name__} {seed!r}")
    rows = _primitive_rows(anchor_rows(integer_rows(Xe)[0], j))
    n, d = Xe.shape
    Af = np.array([[float(v) for v in a] for a in rows], dtype=np.float64).reshape(n, d)
    rng = np.random.default_rng(int(seed))
    U = rng.standard_normal((int(samples), d))
    P = U @ Af.T
    # |float − exact| ≤ (d + 2)·2⁻⁵²·Σ|a_k u_k| (the rows' own rounding included)
    slack = (d + 2) * 2.0 ** -52 * (np.abs(U) @ np.abs(Af).T) * 4
    found = {}
    zero_rows = [not any(a) for a in rows]
    for s in range(int(samples)):
        row = P[s]
        signs = []
        ok = True
        for k in range(n):
            if zero_rows[k]:
                signs.append(0)
                continue
            v = row[k]
            if abs(v) > slack[s, k]:
                signs.append(1 if v > 0 else -1)
            else:
                ex = _sign(_dot(rows[k], [Fraction(float(x)) for x in U[s]]))
                if ex == 0:
                    ok = False
                    break
                signs.append(ex)
        if not ok:
            continue
        key = tuple(signs)
        if key not in found:
            found[key] = Cell(j, key, tuple(Fraction(float(x)) for x in U[s]))
    return SampledCells(j, tuple(found.values()), int(samples), int(seed))


# ---------------------------------------------------------------- checks

def check_cells(X, cell_list) -> None:
    """Raise AssertionError unless every cell's point lies strictly inside it (exact sign
    check against ``signs``) and no two cells of one anchor share a sign vector.

    >>> check_cells([[1, 0], [0, 1]], list(cells([[1, 0], [0, 1]])))
    """
    Xe = _exact_data(X)
    seen = set()
    for c in cell_list:
        A = anchored(Xe, c.anchor)
        signs = tuple(_sign(sum(a * p for a, p in zip(row, c.point))) for row in A)
        if signs != tuple(c.signs):
            raise AssertionError(f"cell point {c.point} has signs {signs}, not {c.signs}")
        key = (c.anchor, tuple(c.signs))
        if key in seen:
            raise AssertionError(f"two cells share the sign vector {c.signs}")
        seen.add(key)
