"""I11 and the clifford bridge: exactgeo agrees with clifford (Euclidean Cl(d), d = 2…6).

Float comparisons: clifford computes the same minors with its own summation order,
so results agree to rounding; we use atol = 1e-9·scale with scale = Π‖v_i‖₁ (the
bound on every minor), far above the ~1e-15·scale rounding and far below any sign or
permutation error (which would be O(scale)).
"""
from __future__ import annotations

from math import comb

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from exactgeo.testing import float_matrices  # noqa: E402

from exactgeo.ga import (clifford_sign, cross, from_clifford, hodge_dual,  # noqa: E402
                         to_clifford, wedge)
from exactgeo.ga.clifford_bridge import clifford_layout  # noqa: E402

clifford = pytest.importorskip("clifford")
DIMS = range(2, 7)


def blade_of(V):
    d = V.shape[-1]
    B = to_clifford(V[0], d, 1)
    for v in V[1:]:
        B = B ^ to_clifford(v, d, 1)
    return B


def scale(V):
    return 1e-9 * max(1.0, float(np.prod(np.abs(V).sum(axis=-1))))


@pytest.mark.parametrize("d", DIMS)
def test_I11_cross_vs_right_complement_dual_left_complement(d):
    """THEORY §0 table: right_complement = ×(V); dual = left_complement = (−1)^{d−1}×(V)."""
    rng = np.random.default_rng(10 + d)
    for _ in range(5):
        V = rng.normal(size=(d - 1, d))
        B = blade_of(V)
        c = cross(V)
        tol = scale(V)
        assert np.allclose(from_clifford(B, d - 1), wedge(V), rtol=0, atol=tol)
        assert np.allclose(from_clifford(B.right_complement(), 1), c, rtol=0, atol=tol)
        s = (-1) ** (d - 1)
        assert np.allclose(from_clifford(B.dual(), 1), s * c, rtol=0, atol=tol)
        assert np.allclose(from_clifford(B.left_complement(), 1), s * c, rtol=0, atol=tol)


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_I11_every_grade_hodge_vs_clifford(data):
    """For every d = 2…6 and k: clifford op(B) = clifford_sign(d, k, op)·⋆B, on blades
    from hypothesis (degenerate ones included) and on arbitrary k-vectors."""
    d = data.draw(st.sampled_from(list(DIMS)))
    k = data.draw(st.integers(1, d))
    V = data.draw(float_matrices(k, d, scale_exp=2))
    B = blade_of(V)
    tol = scale(V)
    assert np.allclose(from_clifford(B, k), wedge(V), rtol=0, atol=tol)
    star = hodge_dual(wedge(V), d, k)
    for op in ("right_complement", "left_complement", "dual"):
        got = from_clifford(getattr(B, op)(), d - k)
        assert np.allclose(got, clifford_sign(d, k, op) * star, rtol=0, atol=tol), op


@pytest.mark.parametrize("d", DIMS)
def test_hodge_signs_on_general_k_vectors(d):
    rng = np.random.default_rng(d)
    for k in range(d + 1):
        A = rng.normal(size=comb(d, k))
        mv = to_clifford(A, d, k)
        star = hodge_dual(A, d, k)
        for op in ("right_complement", "left_complement", "dual"):
            assert np.allclose(from_clifford(getattr(mv, op)(), d - k),
                               clifford_sign(d, k, op) * star, atol=1e-12)


def test_dual_sign_table_matches_theory():
    assert [clifford_sign(d, d - 1, "dual") for d in range(2, 7)] == [-1, 1, -1, 1, -1]
    assert [clifford_sign(d, d - 1, "left_complement") for d in range(2, 7)] == \
        [(-1) ** (d - 1) for d in range(2, 7)]


def test_bridge_round_trip_and_batches():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(4, 3, comb(5, 2)))
    arr = to_clifford(A, 5, 2)
    assert isinstance(arr, clifford.MVArray) and arr.shape == (4, 3)
    assert np.array_equal(from_clifford(arr, 2), A)
    assert np.array_equal(from_clifford(list(arr.flat), 2), A.reshape(12, -1))
    assert np.array_equal(from_clifford(arr, 3), np.zeros((4, 3, comb(5, 3))))
    layout = clifford_layout(3)
    e1, e2, e3 = (layout.blades[n] for n in ("e1", "e2", "e3"))
    assert from_clifford(e1 ^ e3, 2).tolist() == [0.0, 1.0, 0.0]
    assert from_clifford(to_clifford(wedge(np.eye(3)[:2]), 3, 2), 2).tolist() == [1.0, 0, 0]


def test_bridge_bad_input():
    with pytest.raises(ValueError, match=r"coords: expected grade-2 coordinates of shape "
                                         r"\(\.\.\., 3\) for d=3, got shape \(4,\)"):
        to_clifford(np.ones(4), 3, 2)
    with pytest.raises(ValueError, match=r"grade: expected an int with 0 <= grade <= d=3"):
        to_clifford(np.ones(1), 3, 5)
    with pytest.raises(TypeError, match=r"mv: expected a clifford MultiVector"):
        from_clifford([1.0, 2.0], 1)
    layout, blades = clifford.Cl(2, 1)
    with pytest.raises(ValueError, match=r"mv: expected a Euclidean Cl\(d\) multivector"):
        from_clifford(blades["e1"], 1)
