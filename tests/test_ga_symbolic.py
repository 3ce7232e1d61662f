"""Symbolic GA: exactgeo.ga on sympy symbols gives sympy polynomials / quotients.

Identities I1–I3 (THEORY §1) are checked as polynomial identities on the library's own
output (``sympy.expand(lhs - rhs) == 0``), for d = 2..4, with sympy's Berkowitz
determinant as the independent second route for det[V; x] and det(VVᵀ).
"""
from fractions import Fraction as F

import numpy as np
import pytest
import sympy as sp

from exactgeo.ga import (affine_hyperplane, cross, cross_int, gram_norm2, hodge_dual,
                         hyperplane_value, linear_hyperplane, reflect_across_hyperplane,
                         reflect_across_point, reflect_hyperplane_across_hyperplane,
                         reflect_hyperplane_across_point, signed_distance,
                         signed_distance_squared, to_clifford, volume, wedge)
from exactgeo.ga.cross import cross_cofactors

DIMS = (2, 3, 4)


def sym(name, rows, cols):
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}{i}{j}", real=True))


def is_zero(e):
    return sp.expand(e) == 0


def berkowitz(M):
    return sp.expand(sp.Matrix(M).det(method="berkowitz"))


@pytest.mark.parametrize("d", DIMS)
def test_i1_multilinear_alternating(d):
    V = sym("v", d - 1, d)
    w = cross(V)
    assert w.dtype == object and all(isinstance(e, sp.Expr) for e in w)
    if d >= 3:                                   # swapping two rows flips the sign
        swapped = V.copy()
        swapped.row_swap(0, 1)
        assert all(is_zero(a + b) for a, b in zip(cross(swapped), w))
        repeated = V.copy()
        repeated[1, :] = V[0, :]
        assert all(e == 0 for e in cross(repeated))
    a, b = sp.symbols("a b")
    U = V.copy()
    U[0, :] = a * V[0, :] + b * sym("u", 1, d)
    V2 = V.copy()
    V2[0, :] = sym("u", 1, d)
    assert all(is_zero(lhs - a * p - b * q) for lhs, p, q in zip(cross(U), w, cross(V2)))


@pytest.mark.parametrize("d", DIMS)
def test_i2_inner_product_is_det(d):
    V = sym("v", d - 1, d)
    x = sym("x", 1, d)
    w = cross(V)
    lhs = sum(w[j] * x[0, j] for j in range(d))
    assert is_zero(lhs - berkowitz(V.col_join(x)))
    assert is_zero(lhs - volume(V.col_join(x)))           # the library's own det agrees
    for i in range(d - 1):
        assert sp.expand(sum(w[j] * V[i, j] for j in range(d))) == 0
    # the linear hyperplane through V is the same polynomial
    assert is_zero(hyperplane_value(list(x), linear_hyperplane(V).w) - lhs)


@pytest.mark.parametrize("d", DIMS)
def test_i3_norm_is_gram_det(d):
    V = sym("v", d - 1, d)
    w = cross(V)
    norm2 = sum(e ** 2 for e in w)
    assert is_zero(norm2 - berkowitz(V * V.T))
    assert is_zero(norm2 - gram_norm2(V))
    P = wedge(V)                                            # ‖v_1∧…∧v_{d−1}‖²
    assert is_zero(norm2 - sum(e ** 2 for e in P))
    assert all(is_zero(a - b) for a, b in zip(hodge_dual(P, d, d - 1), w))


def test_outputs_are_expanded_sympy_and_batches_work():
    a, b, c = sp.symbols("a b c")
    out = cross(np.array([[[a, b]], [[1, c]]], dtype=object))
    assert out.shape == (2, 2) and out.tolist() == [[-b, a], [-c, 1]]
    assert volume([[a + 1, 0], [0, a - 1]]) == a ** 2 - 1      # expanded


def test_mixed_fraction_and_symbol_input():
    t = sp.Symbol("t")
    V = [[F(1, 2), t, 0], [0, F(1, 3), 1]]
    w = cross(V)
    assert w.tolist() == [t, sp.Rational(-1, 2), sp.Rational(1, 6)]
    # substituting a rational for t gives the library's Fraction result
    t0 = F(5, 7)
    exact = cross([[F(1, 2), t0, F(0)], [F(0), F(1, 3), F(1)]])
    assert [sp.Rational(q.numerator, q.denominator) for q in exact] == \
        [e.subs(t, sp.Rational(5, 7)) for e in w]
    # flint fmpq and sympy Rational entries mix with symbols too
    import flint
    assert cross([[flint.fmpq(1, 2), t]]).tolist() == [-t, sp.Rational(1, 2)]


def test_hyperplanes_distances_reflections():
    s, t = sp.symbols("s t", real=True)
    h = affine_hyperplane([[0, 0], [1, t]])
    assert h.w.tolist() == [-t, 1] and h.b == 0 and not bool(h.degenerate)
    num, norm2 = signed_distance([s, 1], h.w, h.b)
    assert num == 1 - s * t and norm2 == t ** 2 + 1
    d2 = signed_distance_squared([0, 1], h.w, h.b)
    assert sp.simplify(d2 - 1 / (t ** 2 + 1)) == 0
    # reflection in the line through 0 and (1, t), with one sympy division by ‖u‖²
    y = reflect_across_hyperplane([s, 0], h.w, h.b)
    assert all(sp.simplify(a - b) == 0 for a, b in zip(
        y, [s * (1 - t ** 2) / (1 + t ** 2), 2 * s * t / (1 + t ** 2)]))
    assert all(is_zero(e) for e in reflect_across_hyperplane(y, h.w, h.b) - np.array([s, 0]))
    assert reflect_across_point([s, t], [1, F(1, 2)]).tolist() == [2 - s, 1 - t]
    w2, b2 = reflect_hyperplane_across_point([1, t], s, [1, 0])
    assert w2.tolist() == [-1, -t] and b2 == s + 2
    w3, b3 = reflect_hyperplane_across_hyperplane([1, 0], 0, [1, -1])
    assert w3.tolist() == [0, 1] and b3 == 0
    w4, b4 = reflect_hyperplane_across_hyperplane([t, 0], s, [1, -1], 1)
    assert sp.simplify(b4 - (s - t)) == 0 and w4.tolist() == [0, t]
    # a hyperplane that is identically zero is reported degenerate
    assert bool(linear_hyperplane([[t, 2 * t, 0], [1, 2, 0]]).degenerate)
    with pytest.raises(ValueError, match="zero normal"):
        signed_distance([s, 1], [t - t, 0])


def test_floats_do_not_mix_with_symbols():
    t = sp.Symbol("t")
    with pytest.raises(TypeError, match="V: entry .* float 0.5"):
        cross([[0.5, t]])
    with pytest.raises(TypeError, match="x holds sympy symbols but w is float"):
        hyperplane_value([t, 1], np.array([1.0, 2.0]))
    with pytest.raises(TypeError, match="holds a float"):
        cross([[sp.Float(0.5) * t, t]])


def test_float_only_paths_name_the_function():
    t = sp.Symbol("t")
    with pytest.raises(TypeError, match="^cross_cofactors: V holds sympy"):
        cross_cofactors([[t, 1]])
    with pytest.raises(TypeError, match="^cross_int: V holds sympy"):
        cross_int([[t, 1]])
    with pytest.raises(TypeError, match="^to_clifford: coords holds sympy"):
        to_clifford([t, 1, 2], 3, 2)


def test_numeric_paths_unchanged():
    assert cross([[F(1), F(2)]]).tolist() == [F(-2), F(1)]
    assert isinstance(volume([[F(1), F(0)], [F(0), F(2)]]), F)
    assert cross(np.array([[1.0, 2.0]])).dtype == np.float64
