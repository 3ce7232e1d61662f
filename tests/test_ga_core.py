"""exactgeo.ga: shapes, exact-vs-float agreement, every float backend, Hodge dual,
hyperplanes, distances, reflections, bad input, and the generated-kernel file."""
from __future__ import annotations

from fractions import Fraction
from itertools import combinations
from math import comb

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from exactgeo.testing import (exact_batches, exact_matrices, exact_vectors,  # noqa: E402
                        float_batches, float_matrices, rationals, to_object)

from exactgeo.ga import (affine_hyperplane, blade_indices, cross, gram_norm2,  # noqa: E402
                         hodge_dual, hyperplane_value, linear_hyperplane,
                         reflect_across_hyperplane, reflect_across_point,
                         reflect_hyperplane_across_hyperplane,
                         reflect_hyperplane_across_point, signed_distance,
                         signed_distance_squared, volume, wedge)
from exactgeo.ga.blades import float_exterior  # noqa: E402
from exactgeo.ga.hodge import hodge_layout  # noqa: E402
from exactgeo.numbers import as_exact_array, exact_det  # noqa: E402

EPS = np.finfo(float).eps
SET = settings(max_examples=30, deadline=None)


def dot(a, b):
    return sum((x * y for x, y in zip(a, b)), Fraction(0))


def to_float(A):
    return np.asarray(A, dtype=object).astype(np.float64)


def minor_tol(V):
    """Rounding bound for float minors of the rows of V (..., k, d) computed by the
    Laplace recursion: every minor is a signed sum of k! products of k entries, so its
    error is ≤ γ_{2k}·perm|V_S| ≤ 2k·eps·(1+δ)·Π‖v_i‖₁; we allow 4k·eps·Π‖v_i‖₁."""
    k = V.shape[-2]
    return 4 * max(k, 1) * EPS * np.prod(np.abs(V).sum(axis=-1), axis=-1)[..., None] + 1e-300


# ---------------------------------------------------------------- shapes / doc examples

def test_blade_order_is_lexicographic_like_clifford():
    assert blade_indices(4, 2) == ((0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3))
    assert blade_indices(3, 0) == ((),)


@pytest.mark.parametrize("shape", [(2, 3), (4, 2, 3), (2, 5, 2, 4), (0, 2, 3)])
def test_batch_shapes(shape):
    rng = np.random.default_rng(0)
    V = rng.normal(size=shape)
    k, d = shape[-2:]
    assert wedge(V).shape == shape[:-2] + (comb(d, k),)
    assert gram_norm2(V).shape == shape[:-2]
    C = rng.normal(size=shape[:-2] + (d - 1, d))
    assert cross(C).shape == shape[:-2] + (d,)


def test_cross_basis_convention():
    for d in range(2, 8):
        E = np.eye(d)[:-1]
        assert np.array_equal(cross(E), np.eye(d)[-1])
        Ex = to_object(np.eye(d, dtype=int)[:-1].tolist())
        assert list(cross(Ex)) == [Fraction(int(i == d - 1)) for i in range(d)]
    # d = 3 is the usual cross product
    a, b = np.array([1., 2, 3]), np.array([-4., 5, 0.5])
    assert np.allclose(cross(np.stack([a, b])), np.cross(a, b))


def test_wedge_zero_and_one_vectors():
    assert wedge(np.zeros((0, 3))).tolist() == [1.0]
    assert wedge(to_object([[1, 2]])).tolist() == [Fraction(1), Fraction(2)]


# ---------------------------------------------------------------- float vs exact

@SET
@given(st.data())
def test_wedge_float_matches_exact(data):
    d = data.draw(st.integers(1, 6))
    k = data.draw(st.integers(1, d))
    V = data.draw(float_batches(k, d, max_batch=3))
    exact = to_float(wedge(as_exact_array(V)))
    for backend in ("numpy", "numba"):
        got = float_exterior(V, backend=backend)
        assert np.all(np.abs(got - exact) <= minor_tol(V)), backend
    assert np.all(np.abs(wedge(V) - exact) <= minor_tol(V))


@SET
@given(st.data())
def test_cross_float_matches_exact(data):
    d = data.draw(st.integers(2, 6))
    V = data.draw(float_batches(d - 1, d, max_batch=3))
    exact = to_float(cross(as_exact_array(V)))
    assert np.all(np.abs(cross(V) - exact) <= minor_tol(V))
    for backend in ("numpy", "numba"):
        got = float_exterior(V, *hodge_layout(d, d - 1), backend=backend)
        assert np.all(np.abs(got - exact) <= minor_tol(V)), backend


@pytest.mark.parametrize("d,k", [(7, 2), (7, 3), (8, 7), (8, 8), (12, 11), (12, 2)])
def test_generic_kernels_match_exact(d, k):
    """d > 6 leaves the unrolled kernels: wedge2_kernel, the table recursion and the LU
    minors (12, 11). Integer data: the recursion is exact; LU gets a relative 1e-9
    (partial pivoting on well-scaled 12×12 minors of small integers)."""
    rng = np.random.default_rng(d * 100 + k)
    V = rng.integers(-4, 5, size=(2, k, d)).astype(float)
    Vx = as_exact_array(V.astype(int))
    ex = to_float(wedge(Vx))
    got = float_exterior(V, backend="numba")
    scale = np.prod(np.abs(V).sum(axis=-1), axis=-1)[:, None]
    assert np.all(np.abs(got - ex) <= 1e-9 * scale)
    if k == d - 1:
        assert np.all(np.abs(cross(V) - to_float(cross(Vx))) <= 1e-9 * scale)


def test_unrolled_kernels_equal_table_kernel():
    """The generated straight-line kernels use the table order: equal values."""
    from exactgeo.ga import _unrolled as U
    from exactgeo.ga import kernels as K
    from exactgeo.ga.blades import exterior_tables
    rng = np.random.default_rng(3)
    for d in range(2, 7):
        for k in range(2, d + 1):
            V = rng.normal(size=(50, k, d))
            a = np.empty((50, comb(d, k)))
            b = np.empty_like(a)
            U.__dict__[f"ext_d{d}_k{k}"](V, a)
            m = comb(d, k)
            K.exterior_kernel(V, *exterior_tables(d, k), np.ones(m),
                              np.arange(m, dtype=np.int64), b)
            assert np.array_equal(a, b)


def test_generated_kernels_file_is_current():
    from exactgeo.ga import _codegen
    assert _codegen.target().read_text() == _codegen.generate(), \
        "run: python -m exactgeo.ga._codegen"


@SET
@given(st.data())
def test_volume_and_gram_float_match_exact(data):
    d = data.draw(st.integers(1, 5))
    V = data.draw(float_batches(d, d, max_batch=3))
    ex = to_float(volume(as_exact_array(V)))
    # closed forms for d ≤ 3 (recursion bound); LU for d ≥ 4: 1e-12·d·Hadamard bound,
    # with ℓ1 row norms (≥ ℓ2, and no underflow when squaring tiny entries); 1e-300
    # absolute for products that underflow
    had = np.prod(np.abs(V).sum(axis=-1), axis=-1)
    assert np.all(np.abs(volume(V) - ex) <= 1e-12 * had * d + 1e-300)
    k = data.draw(st.integers(1, d))
    W = V[:, :k]
    exg = to_float(gram_norm2(as_exact_array(W)))
    # Gram entries carry d·eps relative error of ‖v_i‖‖v_j‖; det by LU: 1e-11·Π‖v_i‖₁²
    assert np.all(np.abs(gram_norm2(W) - exg) <= 1e-11 * np.prod(
        np.abs(W).sum(axis=-1) ** 2, axis=-1) + 1e-300)


# ---------------------------------------------------------------- Hodge dual

@SET
@given(st.data())
def test_hodge_pairs_blades_into_the_determinant(data):
    """⟨⋆(v_1∧…∧v_k), u_1∧…∧u_{d−k}⟩ = det[V; U] for every k (defines ⋆)."""
    d = data.draw(st.integers(1, 5))
    k = data.draw(st.integers(0, d))
    V = data.draw(exact_matrices(k, d)) if k else np.zeros((0, d), dtype=object)
    U = data.draw(exact_matrices(d - k, d)) if d - k else np.zeros((0, d), dtype=object)
    lhs = dot(hodge_dual(wedge(V), d, k), wedge(U))
    M = to_object(V.tolist() + U.tolist())
    assert lhs == exact_det(M)


@pytest.mark.parametrize("d", range(1, 7))
def test_hodge_twice_and_cross(d):
    rng = np.random.default_rng(d)
    for k in range(d + 1):
        A = rng.integers(-5, 6, size=(3, comb(d, k))).astype(float)
        twice = hodge_dual(hodge_dual(A, d, k), d, d - k)
        assert np.array_equal(twice, (-1) ** (k * (d - k)) * A)
        Ax = as_exact_array(A.astype(int)).astype(object)
        assert (hodge_dual(Ax, d, k) == as_exact_array(hodge_dual(A, d, k))).all()
    if d >= 2:
        V = rng.normal(size=(4, d - 1, d))
        assert np.allclose(hodge_dual(wedge(V), d, d - 1), cross(V), rtol=0, atol=1e-12)


# ---------------------------------------------------------------- hyperplanes

@SET
@given(st.data())
def test_affine_hyperplane_float_matches_exact(data):
    d = data.draw(st.integers(1, 5))
    P = data.draw(float_batches(d, d, max_batch=3))
    hx = affine_hyperplane(as_exact_array(P))
    hf = affine_hyperplane(P)
    # w = −×(p_i − p_d): recursion bound on edges rounded once (factor 2 margin)
    edges = np.abs(P[:, :-1] - P[:, -1:]).sum(-1) + EPS * np.abs(P[:, -1:]).sum(-1)
    tol_w = 8 * d * EPS * np.prod(edges, axis=-1)[:, None] + 1e-300
    assert np.all(np.abs(hf.w - to_float(hx.w)) <= tol_w)
    tol_b = (tol_w[:, 0] + np.abs(to_float(hx.w)).sum(-1) * EPS * d) * np.abs(P[:, -1]).sum(-1)
    assert np.all(np.abs(hf.b - to_float(hx.b)) <= tol_b + 1e-300)
    # exact degeneracy flag ⇔ w = 0; the float flag agrees on exactly-zero w
    assert np.array_equal(hx.degenerate, [all(v == 0 for v in w) for w in hx.w])
    assert np.all(hf.degenerate[np.all(hf.w == 0, axis=-1)])


def test_degenerate_hyperplanes_are_reported_or_raised():
    P = to_object([[[1, 2], [1, 2]], [[0, 0], [1, 0]]])       # repeated points, then fine
    h = affine_hyperplane(P)
    assert h.degenerate.tolist() == [True, False]
    assert (h.w[0] == 0).all()
    with pytest.raises(ValueError, match=r"P: the points at batch index \(0,\)"):
        affine_hyperplane(P, on_degenerate="raise")
    Pf = np.array([[0., 0, 0], [1, 1, 1], [2, 2, 2]])          # collinear points in R^3
    assert bool(affine_hyperplane(Pf).degenerate)
    assert bool(linear_hyperplane(np.array([[1., 2, 3], [-2, -4, -6]])).degenerate)
    with pytest.raises(ValueError, match="on_degenerate"):
        affine_hyperplane(Pf, on_degenerate="ignore")


@SET
@given(st.data())
def test_distances_exact_and_float(data):
    d = data.draw(st.integers(1, 4))
    w = data.draw(exact_vectors(d).filter(lambda v: any(x != 0 for x in v)))
    b = data.draw(rationals())
    X = data.draw(exact_batches(1, d, max_batch=4))[:, 0]
    num, norm2 = signed_distance(X, w, b)
    assert list(num) == [dot(w, x) + b for x in X]
    assert list(norm2) == [dot(w, w)] * len(X)
    assert (hyperplane_value(X, w, b) == num).all()
    s2 = signed_distance_squared(X, w, b)
    assert list(s2) == [n * abs(n) / dot(w, w) for n in num]
    # float path: relative 1e-12 (one dot product and one sqrt)
    fl = signed_distance(to_float(X), to_float(w), float(b))
    ref = to_float(num) / np.sqrt(float(dot(w, w)))
    assert np.allclose(fl, ref, rtol=1e-12, atol=1e-12 * (1 + np.abs(ref).max()))


# ---------------------------------------------------------------- reflections

@SET
@given(st.data())
def test_reflections_exact(data):
    d = data.draw(st.integers(1, 4))
    x, y, p = (data.draw(exact_vectors(d)) for _ in range(3))
    u = data.draw(exact_vectors(d).filter(lambda v: any(t != 0 for t in v)))
    c = data.draw(rationals())
    w = data.draw(exact_vectors(d))
    b = data.draw(rationals())
    # point reflection: involution, p fixed
    assert (reflect_across_point(reflect_across_point(x, p), p) == x).all()
    assert (reflect_across_point(p, p) == p).all()
    # mirror: involution, isometry, fixes the mirror's points, flips the side
    s = lambda z: reflect_across_hyperplane(z, u, c)  # noqa: E731
    sx, sy = s(x), s(y)
    assert (s(sx) == x).all()
    assert dot(sx - sy, sx - sy) == dot(x - y, x - y)
    assert dot(u, sx) + c == -(dot(u, x) + c)
    on = x - (dot(u, x) + c) / dot(u, u) * u            # foot point, on the mirror
    assert (s(on) == on).all()
    # hyperplanes carry their affine function: f'(σx) = f(x)
    w2, b2 = reflect_hyperplane_across_hyperplane(w, b, u, c)
    assert dot(w2, sx) + b2 == dot(w, x) + b
    w3, b3 = reflect_hyperplane_across_point(w, b, p)
    assert dot(w3, reflect_across_point(x, p)) + b3 == dot(w, x) + b


@SET
@given(float_matrices(4, 3, degenerate=False))
def test_reflections_float_match_exact(M):
    x, u, w, p = M
    if not np.any(u):
        u = np.array([1., 0, 0])
    # rational maps: relative 1e-12 of the operand scale
    scale = 1 + np.abs(M).max() ** 2
    ex = to_float(reflect_across_hyperplane(as_exact_array(x), as_exact_array(u), Fraction(1)))
    assert np.allclose(reflect_across_hyperplane(x, u, 1.0), ex, rtol=1e-12, atol=1e-12 * scale)
    w2, b2 = reflect_hyperplane_across_hyperplane(w, 0.5, u, 1.0)
    w2x, b2x = reflect_hyperplane_across_hyperplane(*(as_exact_array(a) for a in (w, 0.5, u, 1.0)))
    assert np.allclose(w2, to_float(w2x), rtol=1e-12, atol=1e-12 * scale)
    assert np.isclose(b2, float(b2x), rtol=1e-12, atol=1e-12 * scale)
    w3, b3 = reflect_hyperplane_across_point(w, 0.5, p)
    assert np.array_equal(w3, -w) and np.isclose(b3, 0.5 + 2 * w @ p, rtol=1e-12,
                                                 atol=1e-12 * scale)


def test_reflection_broadcasting():
    X = np.arange(12.).reshape(4, 3)
    U = np.array([[1., 0, 0], [0, 1, 0]])
    R = reflect_across_hyperplane(X[:, None, :], U[None, :, :])
    assert R.shape == (4, 2, 3)
    assert np.array_equal(R[:, 0, 0], -X[:, 0]) and np.array_equal(R[:, 1, 1], -X[:, 1])


# ---------------------------------------------------------------- bad input

BAD_V = [
    (np.array([1., 2, 3]), ValueError, r"V: expected an array of shape \(\.\.\., k, d\).*got shape \(3,\)"),
    (np.ones((3, 2)), ValueError, r"V: cannot wedge k=3 vectors in R\^2; expected k <= d"),
    (np.array([[1., np.nan, 0], [0, 1, 0]]), ValueError, r"V: expected finite numbers, got nan"),
    (np.array([[1., np.inf, 0], [0, 1, 0]]), ValueError, r"V: expected finite numbers, got inf"),
    (np.full((3000, 2, 3), np.inf), ValueError, r"V: expected finite numbers"),   # numba path
    ([[1.0, float("nan")], [0.0, 1.0]], ValueError, r"V: expected finite numbers"),
    ([[Fraction(1), 0.5], [0, 1]], TypeError, r"V: mixes exact values .* with floats"),
    ([["a", 1], [0, 1]], TypeError, r"V: expected numbers, got the string 'a'"),
    ([[None, 1], [0, 1]], TypeError, r"V: expected numbers, got NoneType"),
    (np.ones((2, 3), dtype=complex), TypeError, r"V: expected a numeric array, got dtype complex"),
    (np.ones((2, 3), dtype=bool), TypeError, r"V: expected a numeric array, got dtype bool"),
]


@pytest.mark.parametrize("V,err,msg", BAD_V)
def test_wedge_bad_input(V, err, msg):
    with pytest.raises(err, match=msg):
        wedge(V)


def test_bad_input_other_functions():
    with pytest.raises(ValueError, match=r"V: the cross product takes d-1 vectors in R\^d, "
                                         r"got 1 vectors in R\^3 .*expected shape \(\.\.\., 2, 3\)"):
        cross(np.ones((1, 3)))
    with pytest.raises(ValueError, match=r"V: expected finite numbers"):
        cross(np.full((3000, 4, 5), np.nan))
    with pytest.raises(ValueError, match=r"V: a signed volume needs d vectors.*\(\.\.\., 3, 3\)"):
        volume(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"P: an affine hyperplane in R\^3 needs d=3 points, got 2"):
        affine_hyperplane(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"A: expected grade-1 Plücker coordinates of shape "
                                         r"\(\.\.\., 3\) for d=3, got shape \(2,\)"):
        hodge_dual(np.ones(2), 3, 1)
    with pytest.raises(ValueError, match=r"k: expected an int grade with 0 <= k <= d=3, got 4"):
        hodge_dual(np.ones(1), 3, 4)
    with pytest.raises(ValueError, match=r"d: expected a positive int dimension, got 0"):
        hodge_dual(np.ones(1), 0, 0)
    with pytest.raises(ValueError, match=r"w: got a zero normal"):
        signed_distance(np.ones(2), np.zeros(2))
    with pytest.raises(ValueError, match=r"x: expected points of length d=2 .*got shape \(3,\)"):
        signed_distance(np.ones(3), np.ones(2))
    with pytest.raises(TypeError, match=r"x is exact .* but w is float"):
        signed_distance([Fraction(1), Fraction(2)], np.ones(2))
    with pytest.raises(ValueError, match=r"u: got a zero normal"):
        reflect_across_hyperplane(np.ones(2), np.zeros(2))
    with pytest.raises(TypeError, match=r"p: expected numbers, got the string 'zz'"):
        reflect_across_point([1.0, 2.0], ["zz", 1.0])
    with pytest.raises(ValueError, match=r"x: expected points of shape \(\.\.\., d\), got shape \(\)"):
        reflect_across_point(1.0, [1.0])
    with pytest.raises(ValueError, match=r"p: expected points of length d=2"):
        reflect_across_point(np.ones(2), np.ones(3))
    with pytest.raises(TypeError, match=r"w: expected numbers, got the string"):
        reflect_hyperplane_across_point(["1/2", 0], 0, [0, 0])


def test_int_arguments_follow_the_others():
    """Plain ints are neutral: exact with exact data, float with float data."""
    out = reflect_across_hyperplane([Fraction(1), Fraction(2)], [0, 1], 0)
    assert out.tolist() == [Fraction(1), Fraction(-2)]
    out = reflect_across_hyperplane(np.array([1., 2.]), [0, 1], 0)
    assert out.dtype == np.float64 and out.tolist() == [1.0, -2.0]


@SET
@given(st.data())
def test_hyperplanes_batched_exact_and_float(data):
    """Batched exact hyperplanes equal the per-item ones; swapping two points flips
    (w, b); the float path agrees with the exact one (recursion bound, as above)."""
    d = data.draw(st.integers(2, 4))
    P = data.draw(exact_batches(d, d, max_batch=3))
    h = affine_hyperplane(P)
    for i in range(len(P)):
        hi = affine_hyperplane(P[i])
        assert list(h.w[i]) == list(hi.w) and h.b[i] == hi.b
        assert bool(h.degenerate[i]) == bool(hi.degenerate)
    Q = P.copy()
    Q[:, [0, 1]] = P[:, [1, 0]]
    hq = affine_hyperplane(Q)
    assert (hq.w == -h.w).all() and (hq.b == -h.b).all()
    L = P[:, :-1]
    hl = linear_hyperplane(L)
    assert (hl.w == cross(L)).all() and (hl.b == 0).all()
    Lf = to_float(L)
    assert np.all(np.abs(linear_hyperplane(Lf).w - to_float(hl.w)) <= minor_tol(Lf))


def test_tiny_and_huge_float_normals_are_rescaled():
    """‖u‖² would underflow (1e-200) or overflow (1e200); the float path divides the
    hyperplane by max|u| first, so results are exact here (powers of ten aside)."""
    x = np.array([3., 4.])
    for s in (1e-200, 1e200):
        assert np.array_equal(reflect_across_hyperplane(x, np.array([s, 0.]), -s), [-1., 4.])
        assert signed_distance(x, np.array([0., s]), -2 * s) == 2.0
        w2, b2 = reflect_hyperplane_across_hyperplane(np.array([1., 0]), 0., np.array([s, s]))
        assert np.allclose(w2, [0., -1.], atol=1e-15) and b2 == 0.0
