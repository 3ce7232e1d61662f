"""exactgeo.ga for large d: the O(d³) cross product and the size guards (issue 7).

The d = 30 results are checked by a second route that shares no code with exactgeo:
determinants by Fraction Gaussian elimination written here (exact) or
numpy.linalg.det (float). No wall-clock assertions.
"""
from __future__ import annotations

import tracemalloc
from fractions import Fraction
from math import comb

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from exactgeo.testing import exact_batches, exact_matrices, exact_rank, float_matrices  # noqa: E402

from exactgeo.ga import blade_indices, cross, hodge_dual, to_clifford, wedge  # noqa: E402
from exactgeo.ga.blades import float_exterior  # noqa: E402
from exactgeo.ga.cross import cross_cofactors  # noqa: E402
from exactgeo.ga.hodge import hodge_layout  # noqa: E402

EPS = np.finfo(float).eps
D = 30


def det_gauss(rows) -> Fraction:
    """Exact determinant by Gaussian elimination over Fractions (independent of exactgeo)."""
    m = [[Fraction(x) for x in r] for r in rows]
    n, det = len(m), Fraction(1)
    for c in range(n):
        p = next((r for r in range(c, n) if m[r][c] != 0), None)
        if p is None:
            return Fraction(0)
        if p != c:
            m[c], m[p] = m[p], m[c]
            det = -det
        det *= m[c][c]
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            if f:
                m[r] = [a - f * b for a, b in zip(m[r], m[c])]
    return det


def dot(a, b):
    return sum((x * y for x, y in zip(a, b)), Fraction(0))


def random_fractions(rng, shape):
    num = rng.integers(-9, 10, size=shape)
    den = rng.integers(1, 6, size=shape)
    out = np.empty(shape, dtype=object)
    for idx in np.ndindex(shape):
        out[idx] = Fraction(int(num[idx]), int(den[idx]))
    return out


# ---------------------------------------------------------------- d = 30, exact

def test_cross_d30_exact_against_gaussian_elimination():
    """⟨c, v_i⟩ = 0 for every row and ⟨c, x⟩ = det[V; x] ≠ 0 determine c uniquely (c is
    orthogonal to the d − 1 independent rows and its length along the normal is fixed
    by x), so together they prove c = ×(V). The first and last cofactors are also
    checked directly against (−1)^{d+k} det V^{(k)}."""
    rng = np.random.default_rng(30)
    V = random_fractions(rng, (D - 1, D))
    x = random_fractions(rng, (D,))
    c = cross(V)
    assert c.shape == (D,) and all(type(v) is Fraction for v in c)
    rows = V.tolist()
    assert all(dot(c, v) == 0 for v in rows)
    det = det_gauss(rows + [list(x)])
    assert det != 0
    assert dot(c, x) == det
    for k in (1, D):     # 1-based column k
        minor = [r[:k - 1] + r[k:] for r in rows]
        assert c[k - 1] == (-1) ** (D + k) * det_gauss(minor)


def test_cross_d30_exact_rank_deficient_is_exactly_zero():
    rng = np.random.default_rng(31)
    V = random_fractions(rng, (D - 1, D))
    V[7] = Fraction(2, 3) * V[0] - 5 * V[3]       # a rational combination of other rows
    assert exact_rank(V) < D - 1
    c = cross(V)
    assert all(type(v) is Fraction and v == 0 for v in c)


def test_cross_d30_exact_batches_and_input_types():
    """Leading axes are batch axes; sympy Rational and flint fmpq entries give the same
    Fractions (exact in → Fractions out)."""
    import flint
    import sympy
    rng = np.random.default_rng(32)
    V = random_fractions(rng, (2, 3, D - 1, D))
    c = cross(V)
    assert c.shape == (2, 3, D)
    for idx in np.ndindex(2, 3):
        assert list(c[idx]) == list(cross(V[idx]))
    one = V[1, 2]
    as_sympy = np.vectorize(lambda q: sympy.Rational(q.numerator, q.denominator),
                            otypes=[object])(one)
    as_fmpq = np.vectorize(lambda q: flint.fmpq(q.numerator, q.denominator),
                           otypes=[object])(one)
    for W in (as_sympy, as_fmpq):
        got = cross(W)
        assert all(type(v) is Fraction for v in got) and list(got) == list(c[1, 2])


# ---------------------------------------------------------------- d = 30, float

def hadamard(rows):
    """Π‖r‖₂ ≥ |det| of the matrix with these rows (Hadamard's inequality)."""
    return np.prod(np.linalg.norm(rows, axis=-1), axis=-1)


def test_cross_d30_float_against_numpy_det():
    """Tolerance 8·d²·eps·Π‖rows‖₂. Both sides are backward stable: QR/LU (and numpy's
    LU det) compute exact results for rows perturbed by O(d·eps)·‖row‖; by multilinearity
    and Hadamard's inequality each such row perturbation moves a (d−1)- or d-row
    determinant by at most O(d·eps)·Π‖rows‖₂, summed over d rows — d²·eps, with a
    safety factor 8. Exact orthogonality ⟨c, v_i⟩ = det[V; v_i] = 0 gets the same bound."""
    rng = np.random.default_rng(33)
    V = rng.normal(size=(D - 1, D))
    x = rng.normal(size=D)
    c = cross(V)
    assert c.dtype == np.float64 and c.shape == (D,)
    tol = 8 * D * D * EPS * hadamard(V)
    assert abs(c @ x - np.linalg.det(np.vstack([V, x]))) <= tol * np.linalg.norm(x)
    assert np.all(np.abs(V @ c) <= tol * np.linalg.norm(V, axis=1))
    # batched (and int-dtype input takes the float path)
    B = rng.normal(size=(4, D - 1, D))
    cb = cross(B)
    for i in range(4):
        assert np.allclose(cb[i], cross(B[i]), rtol=0, atol=tol)
    assert cross(np.eye(D, dtype=int)[:-1]).tolist() == np.eye(D)[-1].tolist()


def test_cross_d30_float_rank_deficient_is_tiny():
    rng = np.random.default_rng(34)
    V = rng.normal(size=(D - 1, D))
    V[5] = 0.5 * V[1] - 2.0 * V[2]
    assert np.linalg.norm(cross(V)) <= 8 * D * D * EPS * hadamard(V)


# ---------------------------------------------------------------- O(d³) route = blade route

SET = settings(max_examples=40, deadline=None)


@SET
@given(st.data())
def test_cofactor_route_equals_blade_route_exact(data):
    """cross_cofactors (elimination) == ⋆(wedge) (blade enumeration), exactly, including
    repeated / collinear / zero / combination rows (exact_matrices' degeneracies)."""
    d = data.draw(st.integers(2, 6))
    V = data.draw(st.one_of(exact_matrices(d - 1, d), exact_batches(d - 1, d)))
    blade = hodge_dual(wedge(V), d, d - 1)
    got = cross_cofactors(V)
    assert got.shape == blade.shape and all(type(v) is Fraction for v in got.flat)
    assert (got == blade).all()
    assert (cross(V) == blade).all()
    # the identity the wedge refusal message suggests for k = d − 1
    assert (wedge(V) == (-1) ** (d - 1) * hodge_dual(got, d, 1)).all()
    if V.ndim == 2 and exact_rank(V) < d - 1:
        assert all(v == 0 for v in got)


@SET
@given(st.data())
def test_cofactor_route_matches_blade_route_float(data):
    """Float routes agree within both rounding bounds: the blade recursion's
    4k·eps·Π‖v_i‖₁ (tests/test_ga_core.py) plus the cofactor route's 8·d²·eps·Π‖v_i‖₂
    (see the d = 30 test). float_matrices mixes scales from 1e-300-ish to 1e3 inside
    one matrix: without row equilibration QR missed this bound by up to 7×; with it the
    worst of 1500 examples used 5% of it."""
    d = data.draw(st.integers(2, 10))
    V = data.draw(float_matrices(d - 1, d))
    blade = float_exterior(V, *hodge_layout(d, d - 1))
    got = cross_cofactors(V)
    tol = ((4 * (d - 1) + 8 * d * d) * EPS * np.prod(np.abs(V).sum(axis=-1)) + 1e-300)
    assert np.all(np.abs(got - blade) <= tol)


# ---------------------------------------------------------------- size guards

def peak_bytes(f):
    """Run f (expected to raise MemoryError) and return the traced peak allocation."""
    tracemalloc.start()
    try:
        with pytest.raises(MemoryError) as err:
            f()
        return tracemalloc.get_traced_memory()[1], str(err.value)
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("exact", [False, True])
def test_wedge_k20_d40_is_refused_before_allocating(exact):
    V = np.zeros((20, 40))
    if exact:
        V = np.full((20, 40), Fraction(1, 2), dtype=object)
    peak, msg = peak_bytes(lambda: wedge(V))
    assert peak < 2 ** 20      # nothing beyond the message was allocated
    assert msg.startswith("V: the wedge of k=20 vectors in R^40")
    assert f"C(40, 20) = {comb(40, 20)} Plücker coordinates" in msg
    assert "137846528820" in msg
    assert "bytes" in msg and "max_bytes=2147483648" in msg
    assert "cross(V)" in msg and "smaller k" in msg


def test_wedge_refusals_name_the_alternative_and_honour_max_bytes():
    with pytest.raises(MemoryError, match=r"V: the wedge of k=39 vectors in R\^40 .*"
                                          r"For k = d-1 use cross\(V\)"):
        wedge(np.zeros((39, 40)))
    with pytest.raises(MemoryError, match=r"For k = d use volume\(V\)"):
        wedge(np.zeros((40, 40)))
    with pytest.raises(MemoryError, match=r"per matrix"):
        wedge(np.zeros((0, 20, 40)))          # an empty batch still builds the tables
    V = np.ones((3, 6))
    with pytest.raises(MemoryError, match=r"more than max_bytes=10 "):
        wedge(V, max_bytes=10)
    assert wedge(V).shape == (comb(6, 3),)


def test_other_blade_enumerations_are_refused():
    peak, msg = peak_bytes(lambda: blade_indices(40, 20))
    assert peak < 2 ** 20 and msg.startswith("k: there are C(40, 20) = 137846528820")
    A = np.empty((0, comb(40, 20)))
    peak, msg = peak_bytes(lambda: hodge_dual(A, 40, 20))
    assert peak < 2 ** 20 and msg.startswith("A: the Hodge dual of grade 20 in R^40")
    assert "cross(V)" in msg
    peak, msg = peak_bytes(lambda: to_clifford(np.ones(16), 16, 1))
    assert peak < 2 ** 20 and msg.startswith("d: clifford's Cl(16) has 2^16 = 65536 blades")
    assert blade_indices(5, 2, max_bytes=10 ** 6)[-1] == (3, 4)
