"""THEORY §1 identities I1–I13 as exact-rational property tests (I11, the clifford
float check, is in test_ga_clifford.py). Every comparison here is exact (Fractions).

Independent references: determinants, ranks, inverses and solves come from
python-flint via exactgeo.numbers (not from the Plücker recursion under test), or
from the fraction-exact elimination in exactgeo.testing.exact_rank.
"""
from __future__ import annotations

from fractions import Fraction
from itertools import combinations
from math import comb

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from exactgeo.testing import (exact_matrices, exact_rank, exact_vectors,  # noqa: E402
                        general_position, invertible_matrices, rational_rotations,
                        rationals, to_object)

from exactgeo.ga import (affine_hyperplane, cross, gram_norm2, linear_hyperplane,  # noqa: E402
                         signed_distance, signed_distance_squared, volume, wedge)
from exactgeo.numbers import exact_det, exact_inv, exact_solve  # noqa: E402

SET = settings(max_examples=40, deadline=None)
d_st = st.integers(2, 5)


def dot(a, b):
    return sum((x * y for x, y in zip(a, b)), Fraction(0))


def matmul(A, B):
    A, B = np.asarray(A, dtype=object), np.asarray(B, dtype=object)
    return to_object([[dot(A[i], B[:, j]) for j in range(B.shape[1])]
                      for i in range(A.shape[0])])


def stack(V, x):
    return to_object(list(V.tolist()) + [list(x)])


# ------------------------------------------------------------------------- I1

@SET
@given(st.data())
def test_I1_multilinear_and_alternating(data):
    d = data.draw(d_st)
    V = data.draw(exact_matrices(d - 1, d))
    u, w = data.draw(exact_vectors(d)), data.draw(exact_vectors(d))
    a, b = data.draw(rationals()), data.draw(rationals())
    i = data.draw(st.integers(0, d - 2))
    Vu, Vw, Vm = V.copy(), V.copy(), V.copy()
    Vu[i], Vw[i] = u, w
    Vm[i] = a * u + b * w
    assert (cross(Vm) == a * cross(Vu) + b * cross(Vw)).all()
    if d >= 3:
        j = data.draw(st.integers(0, d - 2).filter(lambda j: j != i))
        Vs = V.copy()
        Vs[[i, j]] = V[[j, i]]
        assert (cross(Vs) == -cross(V)).all()
        Vr = V.copy()
        Vr[j] = V[i]
        assert (cross(Vr) == 0).all()


# ------------------------------------------------------------------------- I2

@SET
@given(st.data())
def test_I2_cross_pairs_with_last_row_determinant(data):
    d = data.draw(d_st)
    V = data.draw(exact_matrices(d - 1, d))
    x = data.draw(exact_vectors(d))
    c = cross(V)
    assert dot(c, x) == exact_det(stack(V, x))
    assert dot(c, x) == volume(stack(V, x))
    for v in V:
        assert dot(c, v) == 0


# ------------------------------------------------------------------------- I3, I8

@SET
@given(st.data())
def test_I3_norm_is_gram_determinant(data):
    d = data.draw(d_st)
    V = data.draw(exact_matrices(d - 1, d))
    c = cross(V)
    G = matmul(V, V.T)
    assert dot(c, c) == exact_det(G) == gram_norm2(V)
    assert dot(c, c) == sum((p * p for p in wedge(V)), Fraction(0))


@SET
@given(st.data())
def test_I8_wedge_norm_is_gram_determinant(data):
    d = data.draw(d_st)
    k = data.draw(st.integers(1, d))
    V = data.draw(exact_matrices(k, d))
    P = wedge(V)
    assert P.shape == (comb(d, k),)
    assert sum((p * p for p in P), Fraction(0)) == exact_det(matmul(V, V.T)) == gram_norm2(V)
    # coordinates are the minors on blade_indices (flint determinants)
    for p, S in zip(P, combinations(range(d), k)):
        assert p == exact_det(V[:, list(S)])


# ------------------------------------------------------------------------- I4

@SET
@given(st.data())
def test_I4_cauchy_binet(data):
    d = data.draw(d_st)
    V = data.draw(exact_matrices(d - 1, d))
    U = data.draw(exact_matrices(d - 1, d))
    assert dot(cross(V), cross(U)) == exact_det(matmul(V, U.T))


# ------------------------------------------------------------------------- I5

@SET
@given(st.data())
def test_I5_linear_change_of_variables(data):
    d = data.draw(st.integers(2, 4))
    V = data.draw(exact_matrices(d - 1, d))
    A = data.draw(invertible_matrices(d, max_num=5, max_den=3))
    lhs = cross(matmul(V, A.T))
    AinvT = exact_inv(A).T
    rhs = exact_det(A) * np.array([dot(row, cross(V)) for row in AinvT], dtype=object)
    assert (lhs == rhs).all()


@SET
@given(st.data())
def test_I5_rotation_equivariance(data):
    d = data.draw(st.integers(2, 4))
    V = data.draw(exact_matrices(d - 1, d, max_num=6, max_den=3))
    R = data.draw(rational_rotations(d))
    assert (matmul(R, R.T) == to_object(np.eye(d, dtype=int).tolist())).all()
    assert exact_det(R) == 1
    lhs = cross(matmul(V, R.T))
    rhs = np.array([dot(row, cross(V)) for row in R], dtype=object)
    assert (lhs == rhs).all()


# ------------------------------------------------------------------------- I6

@SET
@given(st.data())
def test_I6_zero_iff_rank_deficient(data):
    d = data.draw(d_st)
    V = data.draw(exact_matrices(d - 1, d))
    zero = bool((cross(V) == 0).all())
    assert zero == (exact_rank(V) < d - 1)
    assert bool(linear_hyperplane(V).degenerate) == zero


# ------------------------------------------------------------------------- I7

@SET
@given(st.data())
def test_I7_distance_to_span(data):
    d = data.draw(d_st)
    V = data.draw(exact_matrices(d - 1, d))
    x = data.draw(exact_vectors(d))
    h = linear_hyperplane(V)
    assume(not h.degenerate)
    num, norm2 = signed_distance(x, h.w, h.b)
    # signed: ⟨×(V), x⟩/‖×(V)‖ = vol_d(V, x)/vol_{d−1}(V)
    assert num == volume(stack(V, x)) and norm2 == gram_norm2(V)
    # unsigned: dist(x, span V)² by exact least squares (Gram system, flint)
    G = matmul(V, V.T)
    coef = exact_solve(G, np.array([dot(v, x) for v in V], dtype=object))
    r = x - sum((c * v for c, v in zip(coef, V)), np.zeros(d, dtype=object))
    dist2 = dot(r, r)
    assert num * num == dist2 * norm2
    assert signed_distance_squared(x, h.w, h.b) == (dist2 if num >= 0 else -dist2)


# ------------------------------------------------------------------------- I9

def shoelace2(pts):
    """Twice the signed area of a polygon (independent formula)."""
    n = len(pts)
    return sum((pts[i][0] * pts[(i + 1) % n][1] - pts[(i + 1) % n][0] * pts[i][1]
                for i in range(n)), Fraction(0))


@SET
@given(exact_matrices(2, 2))
def test_I9_planar_wedge_is_twice_signed_area(X):
    xi, xj = X
    w = wedge(X)[0]
    assert w == xi[0] * xj[1] - xi[1] * xj[0]
    assert w == shoelace2([[Fraction(0), Fraction(0)], list(xi), list(xj)])
    assert dot(cross(to_object([list(xj)])), xi) == wedge(to_object([list(xj), list(xi)]))[0]


# ------------------------------------------------------------------------- I10

@SET
@given(st.data())
def test_I10_affine_hyperplane_is_augmented_determinant(data):
    d = data.draw(st.integers(1, 4))
    P = data.draw(exact_matrices(d, d))
    x = data.draw(exact_vectors(d))
    h = affine_hyperplane(P)
    aug = to_object([list(p) + [1] for p in P] + [list(x) + [1]])
    assert dot(h.w, x) + h.b == exact_det(aug)
    for p in P:
        assert dot(h.w, p) + h.b == 0
    # (w, b) is the (d+1)-dimensional cross product of the augmented points
    wb = cross(to_object([list(p) + [1] for p in P]))
    assert list(wb) == list(h.w) + [h.b]
    if d >= 2:
        aff_rank = exact_rank(P[:-1] - P[-1])
        assert bool(h.degenerate) == (aff_rank < d - 1)


@SET
@given(exact_matrices(3, 2))
def test_I10_planar_signed_distance_to_line(T):
    p1, p2, x = T
    h = affine_hyperplane(to_object([list(p1), list(p2)]))
    assume(not h.degenerate)
    area2 = shoelace2([list(p1), list(p2), list(x)])   # 2·area(p1, p2, x), signed
    num, norm2 = signed_distance(x, h.w, h.b)
    e = p1 - p2
    assert num == area2
    assert norm2 == dot(e, e)
    assert signed_distance_squared(x, h.w, h.b) == area2 * abs(area2) / dot(e, e)


# ------------------------------------------------------------------------- I12

@SET
@given(rationals(50, 7), rationals(50, 7).map(abs))
def test_I12_abs_folding(s, c):
    assert abs(abs(s) - c) == min(abs(s - c), abs(s + c))


# ------------------------------------------------------------------------- I13

def _chambers_via_rays(X):
    """Exact chamber and ray enumeration of the central arrangement {x_i^⊥}.

    Rays: r = ±×(x_S), |S| = d − 1. Around each ray the arrangement is locally d − 1
    hyperplanes through a line, so the 2^{d−1} sign choices on S are realised by the
    exact points r + ε·Σ s_i a_i (a_i dual to x_i on S, a_i ⊥ r) with ε small enough
    to keep every other sign; every chamber is a pointed cone (the x_i span R^d) and
    so has a ray: the distinct sign vectors of these points are all the chambers.
    """
    n, d = X.shape
    rays, chambers = set(), set()
    for S in combinations(range(n), d - 1):
        XS = X[list(S)]
        c = cross(XS)
        for sgn in (1, -1):
            r = sgn * c
            first = next(v for v in r if v != 0)
            rays.add(tuple(v / abs(first) for v in r))
            # dual vectors: rows of M = [x_S; r] times a_i = e_i (i < d−1)
            M = to_object([list(v) for v in XS] + [list(r)])
            Minv = exact_inv(M)              # columns are the a_i and r/‖r‖²
            others = [i for i in range(n) if i not in S]
            for signs in np.ndindex(*(2,) * (d - 1)):
                s = [1 if b else -1 for b in signs]
                t = sum((s[i] * Minv[:, i] for i in range(d - 1)), np.zeros(d, dtype=object))
                eps = min([abs(dot(X[l], r)) / (2 * (abs(dot(X[l], t)) + 1)) for l in others]
                          + [Fraction(1)])
                p = r + eps * t
                sv = tuple(int(np.sign(dot(X[l], p))) for l in range(n))
                assert 0 not in sv
                chambers.add(sv)
    return len(chambers), len(rays)


@settings(max_examples=8, deadline=None)
@given(st.data())
def test_I13_chambers_and_rays_d2_d3_d4(data):
    d = data.draw(st.integers(2, 4))
    n = data.draw(st.integers(d, {2: 6, 3: 5, 4: 5}[d]))
    X = data.draw(general_position(n, d, max_num=6, max_den=2))
    n_ch, n_rays = _chambers_via_rays(X)
    assert n_rays == 2 * comb(n, d - 1)
    assert n_ch == 2 * sum(comb(n - 1, k) for k in range(d))


def test_I13_chambers_d2_by_angular_sweep():
    """d = 2, independent of the ray construction: sort the 2n ray directions by
    angle exactly and read off the sign vector between consecutive rays."""
    X = to_object([[1, 0], [1, 1], [0, 1], [-2, 1], [3, -1]])
    n = len(X)
    rays = [s * cross(to_object([list(x)])) for x in X for s in (1, -1)]

    def key(v):  # exact angle order: half-plane, then cross-product comparison
        upper = v[1] > 0 or (v[1] == 0 and v[0] > 0)
        return (0 if upper else 1, Fraction(-v[0], abs(v[0]) + abs(v[1])) if upper
                else Fraction(v[0], abs(v[0]) + abs(v[1])))
    rays.sort(key=key)
    chambers = set()
    for i in range(len(rays)):
        mid = rays[i] + rays[(i + 1) % len(rays)]
        chambers.add(tuple(int(np.sign(dot(x, mid))) for x in X))
    assert len(chambers) == 2 * n == 2 * sum(comb(n - 1, k) for k in range(2))


@pytest.mark.parametrize("n,d", [(1, 2), (2, 3), (3, 4)])
def test_I13_fewer_vectors_than_dimensions(n, d):
    """n < d independent vectors: all 2^n sign patterns occur (formula gives 2^n)."""
    X = to_object(np.eye(d, dtype=int)[:n].tolist())
    seen = set()
    for signs in np.ndindex(*(2,) * n):
        p = sum(((1 if b else -1) * X[i] for i, b in enumerate(signs)),
                np.zeros(d, dtype=object))
        seen.add(tuple(int(np.sign(dot(x, p))) for x in X))
    assert len(seen) == 2 ** n == 2 * sum(comb(n - 1, k) for k in range(d))
