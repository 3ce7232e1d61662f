"""d-D symmetry identities (THEORY §3.5, §3.6) and reflection planes of fitted networks.

Identities are exact over ℚ and re-checked by plain Fraction arithmetic written here (the
second route: no exactgeo code on that side)."""
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from exactgeo.nets import Network
from exactgeo.symmetry.dd import (abs_feature, chains_of, comparison_table, depth_comparison,
                                  mirror, planes_table, reflection_planes, slab_mirrors,
                                  spanned_hyperplane)
from exactgeo.testing import exact_vectors, general_position, rationals

SETTINGS = settings(max_examples=40, derandomize=True, deadline=None)


# ---------------------------------------------------------------- second route (plain ℚ)
def _dot(a, b):
    return sum((F(x) * F(y) for x, y in zip(a, b)), F(0))


def _plain_mirror(x, w, offset):
    k = 2 * (_dot(w, x) - offset) / _dot(w, w)
    return [F(a) - k * F(b) for a, b in zip(x, w)]


def _plain_feature(x, w, b, cs):
    g = abs(_dot(w, x) + b)
    for c in cs:
        g = abs(g - c)
    return g


def _in_slab(x, w, tau):
    """x moved along w so that wᵀx = tau (exact)."""
    return _plain_mirror(x, w, (_dot(w, x) + tau) / 2)   # mirror in the mid-plane


nonneg = rationals(12, 5).map(abs)


@st.composite
def features(draw, d):
    w = draw(exact_vectors(d).filter(lambda v: any(a != 0 for a in v)))
    b = draw(rationals())
    cs = draw(st.lists(nonneg, min_size=0, max_size=3))
    return w, b, cs


# ---------------------------------------------------------------- identities
@SETTINGS
@given(st.integers(1, 4).flatmap(lambda d: st.tuples(features(d), exact_vectors(d))))
def test_every_feature_is_invariant_under_the_level_one_mirror(case):
    (w, b, cs), x = case
    img = mirror(x, w, -b)                       # the plane wᵀx + b = 0
    assert list(img) == _plain_mirror(x, w, -b)
    assert abs_feature(x, w, b, cs) == abs_feature(img, w, b, cs) == _plain_feature(x, w, b, cs)
    assert list(mirror(img, w, -b)) == list(x)          # an involution


@SETTINGS
@given(st.integers(2, 4).flatmap(lambda d: st.tuples(
    st.just(d), general_position(d + 1, d), st.booleans(), exact_vectors(d),
    rationals(2, 7).map(abs).filter(lambda q: q <= 2))))
def test_depth3_feature_from_training_points_is_invariant_on_its_slab(case):
    """φ_{S,k}(x) = ||uᵀx| − |uᵀx_k||: invariant under x ↦ x − 2(uᵀx − c)u for
    0 ≤ uᵀx ≤ 2c, c = |uᵀx_k| (THEORY §3.6), here with the unnormalised u = ×(x_S) or the
    affine plane through d points (bias)."""
    d, P, bias, x, q = case
    if bias:
        w, b = spanned_hyperplane(P[:d], bias=True)
        xk = P[d]
    else:
        w, b = spanned_hyperplane(P[:d - 1]), F(0)
        xk = P[d - 1]
    assert all(_dot(w, p) + b == 0 for p in (P[:d] if bias else P[:d - 1]))
    c = abs(_dot(w, xk) + b)
    assert c != 0                                     # general position
    xs = _in_slab(x, w, q * c - b)                    # t = wᵀx + b = q·c ∈ [0, 2c]
    img = mirror(xs, w, c - b)
    assert _dot(w, img) + b == (2 - q) * c            # stays in the slab
    assert abs_feature(xs, w, b, [c]) == abs_feature(img, w, b, [c]) == \
        _plain_feature(img, w, b, [c])
    assert abs_feature(xk, w, b, [c]) == 0            # zero on H_k ...
    assert abs_feature(mirror(xk, w, -b), w, b, [c]) == 0      # ... and on its mirror H'_k


@SETTINGS
@given(st.integers(1, 3).flatmap(lambda d: st.tuples(
    features(d), exact_vectors(d), rationals(4, 7).map(abs).filter(lambda q: q <= 1))))
def test_every_canonical_slab_is_a_mirror_symmetry(case):
    """Every node (centre m, radius ρ) of the canonical tree of (0, c_2, c_3, …) is a mirror
    of the feature on the slab |t − m| ≤ ρ (multilevel symmetry in d-D)."""
    (w, b, cs), x, q = case
    for slab in slab_mirrors(cs):
        if slab.radius is None:
            tau = _dot(w, x) + b
        else:
            tau = slab.centre + (2 * q - 1) * slab.radius      # |t − m| ≤ ρ
        xs = _in_slab(x, w, tau - b)
        img = mirror(xs, w, slab.centre - b)
        assert _plain_feature(xs, w, b, cs) == _plain_feature(img, w, b, cs), slab


def test_slab_mirrors_of_a_depth4_unit():
    slabs = slab_mirrors([F(4), F(1)])
    assert [(s.level, s.centre, s.radius) for s in slabs] == [
        (1, 0, None), (2, -4, 4), (2, 4, 4), (3, -5, 1), (3, -3, 1), (3, 3, 1), (3, 5, 1)]
    # windows that do not nest (c_3 > c_2/2): the measured radii shrink
    assert [(s.centre, s.radius) for s in slab_mirrors([F(1), F(2)]) if s.level == 3] == \
        [(-3, 2), (-1, 1), (1, 1), (3, 2)]


# ---------------------------------------------------------------- fitted networks
G5_X = [[F(v)] for v in range(-3, 4)]
G5_Y = [F(v) for v in (1, 0, 1, 2, 1, 0, 1)]


def test_g5_depth_comparison_matches_the_golden_values():
    rows = depth_comparison(G5_X, G5_Y, depths=(2, 3))
    assert [(r.depth, r.l1_norm, r.symmetric, r.mirror_pairs) for r in rows] == \
        [(2, 3, 0, 0), (3, 1, 1, 1)]                       # THEORY §6 G5
    assert [r.status for r in rows] == ["certified-optimal"] * 2
    for r in rows:                                          # second route: plain forward pass
        assert list(r.result.net.forward(np.array(G5_X, dtype=object))) == G5_Y
    planes = reflection_planes(rows[1].result)
    assert [(p.level, p.offset, p.on_plane, p.across) for p in planes] == \
        [(1, 0, (3,), None), (2, -2, (1,), 0), (2, 2, (5,), 0)]
    assert [(i, list(img), j) for p in planes[1:] for i, img, j in p.images] == \
        [(1, [F(2)], 5), (5, [F(-2)], 1)]                    # −2 and 2 mirror each other
    assert "| 3 | 1 |" in comparison_table(rows)


def test_planes_of_a_hand_built_2d_depth3_chain():
    """||x₁ + x₂| − 2|: level 1 the line x₁ + x₂ = 0, level 2 the lines x₁ + x₂ = ±2,
    mirror images across the first."""
    net = Network([(np.array([[F(1), F(1)]], dtype=object), [F(0)]),
                   (np.array([[F(1)]], dtype=object), [F(-2)])], [F(1)], F(0), activation="abs")
    X = np.array([[F(1), F(-1)], [F(2), F(0)], [F(0), F(-2)], [F(3), F(1)]], dtype=object)
    planes = reflection_planes(net, X)
    assert [(p.level, p.offset, p.on_plane, p.across) for p in planes] == \
        [(1, 0, (0,), None), (2, -2, (2,), 0), (2, 2, (1,), 0)]
    (i, img, j), = planes[1].images
    assert (i, list(img), j) == (2, [F(2), F(0)], 1)        # (0, −2) ↦ (2, 0), point 1
    assert _plain_mirror(X[2], [1, 1], 0) == list(img)
    assert "| 0 | 2 | 2 | 1 |" in planes_table(planes)


def test_planes_of_an_exact_2d_fit_pass_through_their_recipe_points():
    X = [[F(1), F(0)], [F(0), F(1)], [F(-1), F(1)], [F(2), F(1)], [F(1), F(-2)],
         [F(-1), F(-1)]]
    y = [F(1), F(-1), F(1), F(-1), F(1), F(-1)]
    rows = depth_comparison(X, y, depths=(2,), beta=F(1, 10))
    res = rows[0].result
    assert rows[0].status == "certified-optimal" and res.exact
    planes = reflection_planes(res)
    assert planes and all(p.level == 1 for p in planes)
    for p in planes:
        assert set(p.recipe) <= set(p.on_plane)
        for i in p.on_plane:                                # second route: plain ℚ
            assert _dot(p.w, X[i]) + p.b == p.offset == 0
    # second route for the objective: the float network against the exact value
    # (float64 on 6 samples of size ≤ 2: 1e-12 is a hundred times the rounding error)
    f = np.asarray(res.net.forward(np.array(X, dtype=float)), dtype=float)
    value = 0.5 * float(np.sum((f - np.array(y, dtype=float)) ** 2)) + \
        0.1 * float(np.sum(np.abs(np.asarray(res.z, dtype=float))))
    assert abs(value - float(res.objective_exact)) < 1e-12


def test_float_network_planes_use_the_tolerance():
    W1 = np.array([[1.0, 1.0]]); net = Network([(W1, [0.0]), (np.array([[1.0]]), [-2.0])],
                                               [1.0], 0.0, activation="abs")
    X = np.array([[1.0, -1.0 + 1e-12], [2.0, 0.0], [0.0, -2.0]])
    planes = reflection_planes(net, X, tol=1e-9)
    assert [(p.level, round(p.offset, 9), p.on_plane) for p in planes] == \
        [(1, 0.0, (0,)), (2, -2.0, (2,)), (2, 2.0, (1,))]
    assert planes[1].images[0][2] == 1


def test_depth_comparison_reports_a_missing_depth_as_a_row():
    rows = depth_comparison(G5_X, G5_Y, depths=(7,), certify=False)
    assert rows[0].error and rows[0].result is None
    assert "unavailable" in comparison_table(rows)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="thresholds"):
        abs_feature([F(1)], [F(1)], 0, [F(-1)])
    with pytest.raises(ValueError, match="X"):
        abs_feature([[F(1), F(2)]], [F(1)])
    with pytest.raises(ValueError, match="P"):
        spanned_hyperplane([[F(1), F(1)], [F(1), F(1)]], bias=True)
    net = Network([(np.eye(2), [0.0, 0.0]), (np.ones((2, 2)), [0.0, 0.0])], [1.0, 1.0], 0.0,
                  activation="abs")
    with pytest.raises(ValueError, match="diagonal"):
        chains_of(net)
    with pytest.raises(ValueError, match="X"):
        reflection_planes(Network([(np.eye(2), [0.0, 0.0])], [1.0, 1.0], 0.0))


def test_planes_of_a_2d_depth3_fit_name_the_reflected_sample():
    X = [[F(1), F(0)], [F(0), F(1)], [F(-1), F(1)], [F(2), F(1)], [F(1), F(-2)],
         [F(-1), F(-1)], [F(3), F(2)], [F(-2), F(0)]]
    y = [F(1), F(-1), F(1), F(-1), F(1), F(-1), F(1), F(1)]
    row, = depth_comparison(X, y, depths=(3,), beta=F(1, 10))
    if row.error:
        pytest.skip(f"depth-3 d-D abs family not available: {row.error}")
    assert row.status in ("certified-optimal", "sampled-no-violation", "upper-bound")
    # second route for the value: the reported exact network, plain ℚ sums
    f = row.result.net.forward(np.array(X, dtype=object))
    value = sum(((F(a) - b) ** 2 for a, b in zip(f, y)), F(0)) / 2 + \
        F(1, 10) * sum((abs(F(v)) for v in row.result.z), F(0))
    assert value == row.result.objective_exact
    planes = reflection_planes(row.result)
    level2 = [p for p in planes if p.level == 2]
    assert level2 and row.symmetric >= 1
    for p in level2:
        assert p.across == 0
        assert any(q.neuron == p.neuron and q.offset == -p.offset for q in level2)
        for k in p.recipe:                      # the sample whose value gave c = |wᵀx_k + b|
            assert _dot(p.w, X[k]) + p.b == p.offset
        for i, img, j in p.images:
            assert _dot(p.w, img) + p.b == -p.offset
