"""exactgeo.symmetry: exact 1-D defect, centre search, multilevel trees, per-depth reflection
report (THEORY §3.6, golden case G5 of §6)."""
import math
import pathlib
import sys
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

try:                                            # being moved to exactgeo.testing
    from exactgeo.testing import rationals
except ImportError:
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
    from strategies import rationals

from exactgeo.nets import Network
from exactgeo.symmetry import (PiecewiseLinear, canonical_tree, centres, defect, from_network,
                               nearest_predicted, predicted_points, profile, reflection_report,
                               symmetric_radius)

FAST = settings(max_examples=40, deadline=None)


def _one(v):
    return np.array([[F(v)]], dtype=object)


def abs_unit(a):
    """The depth-(len(a)+1) abs unit |…||x − a_1| − a_2| … − a_k| as a hand-made Network."""
    layers = [(_one(1), [F(-a[0])])] + [(_one(1), [F(-v)]) for v in a[1:]]
    return Network(layers, [F(1)], F(0), activation="abs")


positive = st.builds(F, st.integers(1, 40), st.integers(1, 4))


@st.composite
def piecewise(draw, k_max=6):
    k = draw(st.integers(1, k_max))
    knots = sorted(set(draw(st.lists(rationals(20, 4), min_size=k, max_size=k))))
    vals = draw(st.lists(rationals(10, 3), min_size=len(knots), max_size=len(knots)))
    return PiecewiseLinear(knots, vals, draw(rationals(3, 2)), draw(rationals(3, 2)))


@st.composite
def symmetric_functions(draw):
    """f(m ± t) = h(t) for a random piecewise-linear h on t ≥ 0: symmetric about m."""
    m = draw(rationals(10, 3))
    ts = sorted(set(draw(st.lists(positive, min_size=1, max_size=5))))
    vals = draw(st.lists(rationals(10, 3), min_size=len(ts) + 1, max_size=len(ts) + 1))
    end = draw(rationals(3, 2))
    knots = [m - t for t in reversed(ts)] + [m] + [m + t for t in ts]
    values = list(reversed(vals[1:])) + vals
    return m, PiecewiseLinear(knots, values, -end, end)


@FAST
@given(symmetric_functions(), positive)
def test_symmetric_by_construction_has_zero_defect(mf, rho):
    m, f = mf
    d = defect(f, m, rho)
    assert d.value == 0 and d.relative == 0
    assert symmetric_radius(f, m) == math.inf


@FAST
@given(piecewise(), rationals(10, 3), positive, rationals(30, 4))
def test_defect_is_translation_invariant(f, m, rho, delta):
    assert defect(f.shifted(delta), m + delta, rho) == defect(f, m, rho)   # value, at, range
    assert symmetric_radius(f.shifted(delta), m + delta) == symmetric_radius(f, m)


@FAST
@given(piecewise(), rationals(10, 3), positive)
def test_defect_against_a_dense_grid(f, m, rho):
    """Second route: the sup over a fine rational grid of t never exceeds D, and D is
    attained at the reported t (exact, by direct evaluation)."""
    d = defect(f, m, rho)
    grid = [rho * F(i, 64) for i in range(65)]
    assert all(abs(f(m + t) - f(m - t)) <= d.value for t in grid)
    assert abs(f(m + d.at) - f(m - d.at)) == d.value and 0 <= d.at <= rho
    lo, hi = d.range
    assert all(lo <= f(m + s * t) <= hi for t in grid for s in (1, -1))


@FAST
@given(rationals(10, 3), positive, positive)
def test_abs_unit_tree_matches_its_breakpoints(a1, a2, r):
    a3 = a2 * F(1, 1 + int(r) % 7 + 1) if r != a2 else a2 / 3     # 0 < a3 < a2
    f = from_network(abs_unit([a1, a2, a3]))
    tree = canonical_tree([a1, a2, a3])
    assert sorted(f.breakpoints()) == sorted(n.centre for _, n in tree.nodes())
    assert tree.level == 3 and tree.centres(1) == [a1 - a2, a1 + a2]


@FAST
@given(rationals(10, 3), positive, st.integers(1, 8))
def test_canonical_trees_have_zero_defect_and_are_found(a1, a2, k):
    a = [a1, a2, a2 * F(k, 16), a2 * F(k, 64)]        # nested windows: a_{l+1} ≤ a_l/2
    for depth in (3, 4, 5):
        net = abs_unit(a[:depth - 1])
        f = from_network(net)
        tree = canonical_tree(a[:depth - 1])
        for _, node in tree.nodes():
            rho = node.radius if node.radius != math.inf else 4 * a2 + 1
            assert defect(f, node.centre, rho).value == 0
            # second route: the network's own forward pass at the mirrored points
            ts = [rho * F(i, 8) for i in range(9)]
            xs = np.array([[node.centre + s * t] for t in ts for s in (1, -1)], dtype=object)
            out = net.forward(xs)
            assert all(out[2 * i] == out[2 * i + 1] for i in range(len(ts)))
        assert profile(f).same_as(tree)


def test_from_network_equals_the_forward_pass():
    W1 = np.array([[F(1)], [F(-2)], [F(1, 3)]], dtype=object)
    W2 = np.array([[F(1), F(-1), F(0)], [F(2), F(1), F(1)]], dtype=object)
    for act in ("relu", "abs"):
        net = Network([(W1, [F(1), F(3), F(-1)]), (W2, [F(-1), F(1, 2)])], [F(1), F(-3)],
                      F(1, 5), activation=act)
        f = from_network(net)
        xs = [F(i, 7) for i in range(-40, 41)] + list(f.knots)
        out = net.forward(np.array([[x] for x in xs], dtype=object))
        assert [f(x) for x in xs] == list(out)


def _g5_fit():
    from exactgeo.fitting import fit
    x = [F(v) for v in range(-3, 4)]
    y = [abs(abs(v) - 2) for v in x]
    res = fit([[v] for v in x], y, model="abs", reg="l1", bias=True, min_norm=True,
              certify=True)
    return x, y, res


def test_g5_is_multilevel_symmetric_with_the_predicted_tree():
    x, y, res = _g5_fit()
    assert res.l1_norm_exact == 3 and res.certificate.status == "certified-optimal"
    assert list(res.net.forward([[v] for v in x])) == y           # second route: interpolates
    f = from_network(res.net)
    unit = from_network(abs_unit([0, 2]))                          # the depth-3 witness
    assert all(f(p) == unit(p) for p in set(f.knots) | set(unit.knots))
    assert f.slope_left == unit.slope_left and f.slope_right == unit.slope_right
    tree = canonical_tree([0, 2])
    assert profile(f).same_as(tree) and profile(unit).same_as(tree)
    assert defect(f, 0, 3).value == 0 and defect(f, 2, 2).value == 0
    assert defect(f, 1, 1).value == 2 and defect(f, 1, 1).relative == 1
    # inside the data window the radii are capped: root (0, 3), children (±2, 1)
    win = profile(f, window=(-3, 3))
    assert (win.centre, win.radius) == (0, 3)
    assert [(c.centre, c.radius) for c in win.children] == [(-2, 1), (2, 1)]


def test_reflection_report_nesting_levels():
    a = [F(1), F(4), F(1)]
    rep = reflection_report(abs_unit(a))
    assert [(n.layer, n.points) for n in rep] == [(1, [1]), (2, [-3, 5]), (3, [-4, -2, 4, 6])]
    assert rep[1].reflections == [(1, 4)]
    assert rep[2].reflections == [(-3, 1), (5, 1)]


def test_relu_reflection_of_g3_depth4_witness_lands_on_a_reflection():
    # cr(5, 8)(x) = min((x − 5)_+, 3) = (x − 5)_+ − (x − 8)_+, a relu chain (THEORY §3.3)
    net = Network([(_one(1), [F(-5)]), (_one(-1), [F(3)])], [F(-1)], F(3), activation="relu")
    f = from_network(net)
    assert f.breakpoints() == (5, 8)
    land = nearest_predicted(f.breakpoints(), [0, 4, 5, 7, 10, 11])
    assert [(l.kind, l.distance) for l in land] == [("data", 0), ("reflection", 0)]
    assert 8 in predicted_points([0, 4, 5, 7, 10, 11])["reflection"]


def test_float_functions_and_tolerance():
    f = PiecewiseLinear([-2.0, 0.0, 2.0 + 1e-13], [0.0, 2.0, 0.0], -1.0, 1.0)
    assert symmetric_radius(f, 0.0) < 1e-12
    assert symmetric_radius(f, 0.0, tol=1e-9) == math.inf
    assert centres(f, tol=1e-9)[0].centre == 0.0


@pytest.mark.parametrize("call,match", [
    (lambda: PiecewiseLinear([1, 0], [0, 0]), "knots"),
    (lambda: PiecewiseLinear([], []), "knots"),
    (lambda: PiecewiseLinear([0, 1], [0]), "values"),
    (lambda: defect(PiecewiseLinear([0], [0]), 0, -1), "rho"),
    (lambda: canonical_tree([0, -1]), "a"),
    (lambda: profile(PiecewiseLinear([0], [0]), window=(1, 0)), "window"),
    (lambda: from_network(Network([(np.eye(2), np.zeros(2))], np.ones(2))), "net"),
])
def test_bad_inputs_name_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_defect_rejects_non_functions():
    with pytest.raises(TypeError, match="f"):
        defect([0, 1], 0, 1)


def _deep_fit(x, y, model, depth):
    from exactgeo.families import registered
    from exactgeo.fitting import fit
    if (model, depth, "l1", True) not in registered():
        pytest.skip(f"no registered family ({model}, depth {depth})")
    return fit([[F(v)] for v in x], [F(v) for v in y], model=model, depth=depth, reg="l1",
               bias=True, min_norm=True, certify=True)


@pytest.mark.parametrize("depth", [3, 4])
def test_deep_g5_fit_report_and_tree(depth):
    x = list(range(-3, 4))
    y = [abs(abs(v) - 2) for v in x]
    res = _deep_fit(x, y, "abs", depth)
    assert res.l1_norm_exact == 1 and res.certificate.status == "certified-optimal"
    f = from_network(res.net)
    assert f.exact and [f(v) for v in x] == y                    # interpolates, exactly
    X = np.array([[F(v, 2)] for v in range(-9, 10)], dtype=object)
    assert [f(r[0]) for r in X] == list(res.net.forward(X))    # second route: the net itself
    assert profile(f).same_as(canonical_tree([0, 2]))
    rep = [n for n in reflection_report(res.net) if n.points]
    assert (rep[0].layer, rep[0].points) == (1, [0])
    assert (rep[1].layer, rep[1].points, rep[1].reflections) == (2, [-2, 2], [(0, 2)])


def test_deep_g3_depth4_fit_kinks_land_on_samples_or_reflections():
    x, y = (0, 4, 5, 7, 10, 11), (0, 0, 0, 2, 3, 3)
    res = _deep_fit(x, y, "relu", 4)
    assert res.l1_norm_exact == 1
    f = from_network(res.net)
    assert [f(v) for v in x] == [F(v) for v in y]
    # every kink of a depth-4 relu dictionary atom is a sample or a reflection 2x_j − x_i
    # (THEORY §3.3; the witness cr(5, 8) has 8 = 2·4 − 0; minimisers are not unique)
    land = nearest_predicted(f.breakpoints(), x)
    assert land and all(l.distance == 0 and l.kind in ("data", "reflection") for l in land)
