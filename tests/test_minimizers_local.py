"""Local minima (THEORY §4.5, §4.6) and the numpy trainer."""
from fractions import Fraction

import numpy as np
import pytest

from exactgeo.minimizers.comparison import gd_comparison
from exactgeo.minimizers.gd import cost, flatten, gradient, random_init, unflatten
from exactgeo.minimizers.local import (active_neuron_network, affine_least_squares,
                                       local_minima_report, no_truncation_minimum, rrr_costs,
                                       subset_truncation_probe)


def data(Q=3, M=3, n=8, noise=0.15, seed=0, exact=False):
    rng = np.random.default_rng(seed)
    means = rng.normal(size=(Q, M)) * 2
    X = np.round(np.concatenate([means[j] + noise * rng.uniform(-1, 1, size=(n, M))
                                 for j in range(Q)]), 2)
    if exact:
        X = np.array([[Fraction(str(v)) for v in r] for r in X], dtype=object)
    return X, np.repeat(np.arange(Q), n)


@pytest.mark.parametrize("Q,M,seed", [(2, 2, 0), (3, 3, 1), (4, 4, 2), (3, 2, 3), (3, 5, 4)])
def test_affine_closed_form_exact(Q, M, seed):
    X, lab = data(Q, M, seed=seed, exact=True)
    Y = np.array([[Fraction(i * Q + j, 3) for j in range(Q)] for i in range(2)], dtype=object)
    for targets in (None, Y):
        out = affine_least_squares(X, lab, Y=targets, exact=True)
        assert isinstance(out["direct"], Fraction) and out["direct"] == out["closed_form"]


@pytest.mark.parametrize("Q,M", [(3, 3), (4, 3)])
def test_no_truncation_network_cost_exact(Q, M):
    X, lab = data(Q, M, seed=7, exact=True)
    out = no_truncation_minimum(X, lab, layers=Q + 1, exact=True)
    assert out["cost"] == out["cost_closed_form"] == out["cost_direct"]


def test_rrr_values_and_networks():
    X, lab = data(4, 4, seed=3)
    vals = rrr_costs(X, lab)
    assert all(a >= b - 1e-15 for a, b in zip(vals, vals[1:]))
    # centred one-hot targets have rank Q − 1: RRR_{Q−1} = RRR_Q (float, rel 1e-9)
    assert abs(vals[3] - vals[4]) <= 1e-9 * vals[3]
    assert abs(vals[4] - float(affine_least_squares(X, lab)["direct"])) <= 1e-9 * vals[4]
    T = np.eye(4)[lab]
    for sub in ([2], [0, 3], [0, 1, 2], [0, 1, 2, 3]):
        params, value = active_neuron_network(X, lab, sub, layers=4)
        assert abs(cost(params, X, T) - value) <= 1e-9 * value   # float forward vs closed form


def test_local_minima_report_counts():
    X, lab = data(3, 3, seed=5)
    rep = local_minima_report(X, lab, layers=3, samples=30)
    assert rep["count"] == 2 ** 3 - 1
    assert rep["distinct_values"] <= 3 - 1
    for row in rep["families"]:
        assert row["verdict"].startswith("local minimum")
        assert row["grad_norm"] < 1e-8 and row["min_delta"] > -1e-10


def test_subset_truncation_is_not_critical():
    X, lab = data(3, 3, seed=0)
    probes = [subset_truncation_probe(X, lab, s, 3) for s in ([0], [1], [0, 1])]
    assert all(p["grad_norm"] > 1e-3 for p in probes)


def test_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 3))
    T = rng.normal(size=(12, 2))
    p = random_init(3, 3, 2, layers=2, seed=1)
    p = [(W, b + 0.1) for W, b in p]
    _, g = gradient(p, X, T)
    th, gv = flatten(p), flatten(g)
    h = 1e-6
    for i in rng.choice(th.size, 10, replace=False):
        e = np.zeros_like(th); e[i] = h
        fd = (cost(unflatten(th + e, p), X, T) - cost(unflatten(th - e, p), X, T)) / (2 * h)
        assert abs(fd - gv[i]) <= 1e-6 * (1 + abs(gv[i]))  # central differences, O(h²)


def test_gd_comparison_rows():
    X, lab = data(3, 3, seed=0)
    rows = gd_comparison(X, lab, layers=3, inits=2, steps=300)
    assert len(rows) == 3 and rows[-1]["where"] == "global (zero cost)"
    assert all(r["final_cost"] <= r["start_cost"] for r in rows)
