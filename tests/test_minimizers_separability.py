"""Exact step-wise separability (THEORY §7.4 frontier): exact certificates both ways and the
construction beyond the sufficient condition κ < 1/2."""
from fractions import Fraction

import numpy as np
import pytest

from exactgeo.minimizers import construct_minimizer
from exactgeo.minimizers.separability import check_truncation, separate
from exactgeo.numbers import as_exact_array

# class 0 lies inside the hull of classes 1 ∪ 2: not first, but fine after 1 and 2 collapse
X_ORDER = np.array([[3, 0], [3, 10], [-10, 20], [10, 22], [-10, -10], [10, -12]],
                   dtype=object) * Fraction(1, 10)
LAB = [0, 0, 1, 1, 2, 2]


def test_fixed_order_fails_with_exact_witness():
    rep = check_truncation(X_ORDER, LAB, order=[0, 1, 2])
    assert not rep.feasible
    step = rep.steps[0]
    assert step.status == "inseparable" and step.cls == 0
    lam, mu = step.witness
    assert sum(lam.values()) == 1 and sum(mu.values()) == 1
    assert all(v >= 0 for v in list(lam.values()) + list(mu.values()))


def test_greedy_order_succeeds_and_builds_zero_cost():
    rep = check_truncation(X_ORDER, LAB)
    assert rep.feasible and rep.order[0] != 0
    for s in rep.steps:
        assert s.status == "separable" and s.gap > 0
    r = construct_minimizer(X_ORDER, LAB, layers=4, exact=True, method="lp")
    assert r.kappa > 0.5 and r.cost_exact == 0
    assert (r.predict(X_ORDER) == np.eye(3, dtype=int)[LAB].astype(object)).all()
    with pytest.raises(ValueError, match="kappa"):
        construct_minimizer(X_ORDER, LAB, layers=3, exact=True)


def test_separable_beyond_kappa_half_in_3d():
    rng = np.random.default_rng(1)
    means = np.array([[0, 0, 0], [4, 0, 0], [0, 4, 0]], float)
    X = np.round(np.concatenate([m + 1.5 * rng.uniform(-1, 1, (8, 3)) for m in means]), 1)
    lab = np.repeat([0, 1, 2], 8)
    r = construct_minimizer(X, lab, layers=3, method="lp")
    assert r.kappa > 0.5 and r.exact and r.cost_exact == 0


def test_inseparable_everywhere():
    X = as_exact_array([[-1, 0], [1, 0], [0, 0], [0, 1]])   # (0, 0) of class 1 is in class 0's hull
    rep = check_truncation(X, [0, 0, 1, 1])
    assert not rep.feasible and {s.status for s in rep.steps} == {"inseparable"}
    with pytest.raises(ValueError, match="does not exist"):
        construct_minimizer(X, [0, 0, 1, 1], layers=2, method="lp")


def test_separate_exact_certificates():
    A = as_exact_array([[0, 1, 0], [0, 0, 1]])
    status, g, gap = separate(A, as_exact_array([[2], [2]]))
    assert status == "separable" and gap > 0
    assert min((g @ A).tolist()) - 2 * (g[0] + g[1]) == gap
    status, (lam, mu), _ = separate(A, as_exact_array([[Fraction(1, 3)], [Fraction(1, 3)]]))
    assert status == "inseparable"
    pt = sum(v * A[:, i] for i, v in lam.items())
    assert (pt == np.array([Fraction(1, 3)] * 2, dtype=object)).all()
