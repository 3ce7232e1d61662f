"""Exact cell enumeration of the anchored arrangements (THEORY §2.8, I13).

Independent routes: the I13 count for data in general position (moment curve), an
exhaustive LP (scipy HiGHS) over all sign vectors of the distinct hyperplanes for
degenerate data, and exact sign checks of every interior point done here over ℚ.
"""
from __future__ import annotations

import itertools
from fractions import Fraction as F
from math import comb

import numpy as np
import pytest
from scipy.optimize import linprog

from exactgeo.cells import (Cell, all_cells, anchored, cell_bound, cells, count_anchor_cells,
                            count_cells, sample_cells)


def i13(m, d):
    """I13: chambers of m central hyperplanes in general position in ℝ^d."""
    return 2 * sum(comb(m - 1, k) for k in range(d)) if m else 1


def moment(n, d, lead_one):
    """Points on the moment curve: (1, t, …, t^{d−1}) (general linear position) or
    (t, t², …, t^d) (general affine position), t = 1..n, as Fractions."""
    if lead_one:
        return [[F(t) ** k for k in range(d)] for t in range(1, n + 1)]
    return [[F(t) ** k for k in range(1, d + 1)] for t in range(1, n + 1)]


def exact_signs(X, anchor, point):
    A = anchored(X, anchor)
    out = []
    for row in A:
        v = sum(a * p for a, p in zip(row, point))
        out.append((v > 0) - (v < 0))
    return tuple(out)


def assert_valid(X, cell_list):
    """Every point strictly inside its cell; signs 0 exactly on zero rows; no repeats."""
    seen = set()
    for c in cell_list:
        assert isinstance(c, Cell)
        assert all(isinstance(p, F) for p in c.point)
        assert exact_signs(X, c.anchor, c.point) == c.signs
        A = anchored(X, c.anchor)
        for row, s in zip(A, c.signs):
            assert (s == 0) == all(v == 0 for v in row)
        key = (c.anchor, c.signs)
        assert key not in seen
        seen.add(key)


def lp_sign_vectors(A):
    """Sign vectors (over all rows) of the full-dimensional cells of the central arrangement
    of the rows A, by an exhaustive feasibility LP {s_i a_iᵀu ≥ 1} over the distinct
    hyperplanes (scipy HiGHS; integer data, margin 1)."""
    A = [[F(v) for v in row] for row in A]
    reps, orient = [], []
    for row in A:
        if not any(row):
            orient.append(None)
            continue
        piv = next(v for v in row if v)
        key = tuple(v / abs(piv) for v in row)
        neg = tuple(-v for v in key)
        for r, rk in enumerate(reps):
            if rk == key:
                orient.append((r, 1))
                break
            if rk == neg:
                orient.append((r, -1))
                break
        else:
            reps.append(key)
            orient.append((len(reps) - 1, 1))
    d = len(A[0])
    out = set()
    if not reps:
        return {tuple(0 for _ in A)}
    R = np.array([[float(v) for v in rk] for rk in reps])
    for s in itertools.product((1, -1), repeat=len(reps)):
        res = linprog(np.zeros(d), A_ub=-(np.array(s)[:, None] * R), b_ub=-np.ones(len(reps)),
                      bounds=[(None, None)] * d, method="highs")
        if res.status == 0:
            out.add(tuple(0 if o is None else o[1] * s[o[0]] for o in orient))
    return out


@pytest.mark.parametrize("d,n", [(2, 5), (2, 7), (3, 5), (3, 7), (4, 5), (4, 6)])
def test_i13_counts_general_position(d, n):
    Xc = moment(n, d, lead_one=True)              # no bias: n rows in general position
    cl = list(cells(Xc))
    assert len(cl) == i13(n, d) == count_cells(Xc, bias=False) == cell_bound(Xc)
    assert_valid(Xc, cl)
    Xa = moment(n, d, lead_one=False)             # bias: n − 1 anchored rows per anchor
    cb = list(all_cells(Xa, bias=True))
    assert len(cb) == n * i13(n - 1, d) == count_cells(Xa, bias=True)
    assert_valid(Xa, cb)
    for j in range(n):
        assert sum(1 for c in cb if c.anchor == j) == i13(n - 1, d)


DEGENERATE = {
    "repeated_2d": [[1, 0], [1, 0], [0, 2], [-1, 0], [2, 0]],          # parallel/antiparallel
    "zero_rows_2d": [[0, 0], [1, 1], [0, 0], [2, 2]],
    "collinear_2d": [[0, 0], [1, 1], [2, 2], [3, 3], [1, 0]],
    "coplanar_3d": [[1, 0, 0], [0, 1, 0], [1, 1, 0], [2, -1, 0], [0, 0, 0]],
    "pencil_3d": [[1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1], [1, 0, 1], [1, 1, 1]],
    "repeats_3d": [[1, 2, 0], [1, 2, 0], [0, 1, 1], [-1, -2, 0], [1, 1, 1], [0, 0, 0]],
    "degenerate_4d": [[1, 0, 0, 0], [0, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 1, 1],
                      [1, 0, 0, 0], [0, 0, 0, 0]],
    "one_point_1d": [[3]],
    "line_1d": [[1], [-2], [0], [1]],
}


@pytest.mark.parametrize("name", sorted(DEGENERATE))
def test_degenerate_against_lp(name):
    X = [[F(v) for v in row] for row in DEGENERATE[name]]
    n = len(X)
    for anchor in [None] + list(range(n)):
        cl = list(cells(X, anchor))
        assert_valid(X, cl)
        expected = lp_sign_vectors(anchored(X, anchor))
        assert {c.signs for c in cl} == expected, (name, anchor)
        assert count_anchor_cells(X, anchor) == len(cl)
        assert len(cl) <= cell_bound(X, anchor)


def test_random_rank3_count_formula_matches_enumeration():
    """Zaslavsky's rank-3 count (no enumeration) against the facet walk, on small-integer
    data full of coincidences (many triple lines)."""
    rng = np.random.default_rng(7)
    for _ in range(4):
        X = [[F(int(v)) for v in row] for row in rng.integers(-3, 4, size=(9, 3))]
        for anchor in (None, 0, 4):
            cl = list(cells(X, anchor))
            assert_valid(X, cl)
            assert len(cl) == count_anchor_cells(X, anchor)


def test_d1_and_empty_arrangements():
    assert [(c.signs, c.point) for c in cells([[2], [-1], [0]])] == [
        ((1, -1, 0), (F(1),)), ((-1, 1, 0), (F(-1),))]
    only = list(cells([[0, 0, 0], [0, 0, 0]]))                # no hyperplane: one cell
    assert [c.signs for c in only] == [(0, 0)]
    assert list(all_cells([[1, 2]], bias=True))[0].signs == (0,)
    assert count_cells([[1, 2]], bias=True) == 1


def test_deterministic_order_and_anchor_field():
    X = moment(6, 3, lead_one=False)
    a = list(all_cells(X, bias=True))
    b = list(all_cells(X, bias=True))
    assert a == b
    assert [c.anchor for c in a] == sorted(c.anchor for c in a)
    assert {c.anchor for c in all_cells(X, bias=False)} == {None}


def test_float_data_is_taken_exactly():
    X = np.array([[0.1, 0.2], [0.3, -0.7], [1.0, 1.0]])
    cl = list(cells(X))
    assert_valid(X, cl)
    assert len(cl) == 6


def test_max_cells_refuses_up_front():
    X = moment(9, 3, lead_one=True)                # 2(1 + 8 + 28) = 74 cells
    with pytest.raises(ValueError, match=r"74 cells.*max_cells=50.*sample_cells"):
        cells(X, max_cells=50)
    assert sum(1 for _ in cells(X, max_cells=74)) == 74
    X5 = moment(8, 5, lead_one=True)               # rank 5: the refusal uses the bound
    with pytest.raises(ValueError, match=r"up to \d+ .*sample_cells"):
        cells(X5, max_cells=10)
    Xb = moment(5, 2, lead_one=False)
    with pytest.raises(ValueError, match=r"40 cells.*max_cells=39"):
        all_cells(Xb, bias=True, max_cells=39)


def test_sample_cells_finds_true_cells():
    X = [[F(1), F(0)], [F(0), F(1)], [F(1), F(1)]]
    S = sample_cells(X, None, samples=3000, seed=3)
    assert S.samples == 3000 and S.seed == 3
    assert {c.signs for c in S.cells} == {c.signs for c in cells(X)}
    assert_valid(X, list(S.cells))
    X3 = moment(7, 3, lead_one=False)
    S3 = sample_cells(X3, 2, samples=2000, seed=0)
    exact = {c.signs for c in cells(X3, 2)}
    assert {c.signs for c in S3.cells} <= exact and 0 < S3.found <= len(exact)
    assert sample_cells(X3, 2, samples=2000, seed=0) == S3


@pytest.mark.parametrize("call,match", [
    (lambda: cells([[1, 2]], anchor=3), "anchor"),
    (lambda: cells([[1, 2]], anchor=1.0), "anchor"),
    (lambda: cells([1, 2]), "X: expected a 2-D"),
    (lambda: all_cells([[1, 2]], bias="yes"), "bias"),
    (lambda: cells([[1, 2]], max_cells=0), "max_cells"),
    (lambda: sample_cells([[1, 2]], None, samples=0), "samples"),
    (lambda: cells([[float("nan"), 1.0]]), "X"),
])
def test_bad_inputs(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
