"""Shallow relations (THEORY §4.7): exact trace identities and the δ² scaling probe."""
from fractions import Fraction

import numpy as np
import pytest

from exactgeo.minimizers.shallow import shallow_relations

MEANS = np.array([[2, 0.3, 0], [0, 2, 0.5], [0.2, 0, 2]])


def noisy(s, seed=0, n=10):
    rng = np.random.default_rng(seed)
    Delta = rng.uniform(-1, 1, size=(3, n, 3))
    Delta -= Delta.mean(axis=1, keepdims=True)   # fixed means along the whole path
    X = np.concatenate([MEANS[j] + s * Delta[j] for j in range(3)])
    return X, np.repeat(np.arange(3), n)


@pytest.mark.parametrize("seed", [0, 1])
def test_exact_identities(seed):
    X, lab = noisy(0.1, seed=seed, n=6)
    Xe = np.array([[Fraction(str(round(v, 3))) for v in row] for row in X], dtype=object)
    Y = np.array([[1, 0, Fraction(-1, 2)], [0, 3, 1], [2, 2, 0]], dtype=object)
    for targets in (None, Y):
        r = shallow_relations(Xe, lab, Y=targets, exact=True)
        assert r["U"] == r["U_network"]                     # bound realised by a network
        assert r["m"] == r["m_direct"] == r["m_alt"]        # trace formula = least squares
        assert r["U"] - r["m"] == r["gap_formula"]
        assert 0 <= r["m"] <= r["U"]
        assert r["C_aff"] <= r["U_aff_best"] <= r["U_aff0"]


def test_delta_squared_scaling():
    lin, aff_best, aff0 = [], [], []
    for s in (0.05, 0.025, 0.0125):
        r = shallow_relations(*noisy(s))
        lin.append(r["rel_gap_over_delta2"])
        aff_best.append(r["rel_gap_aff_best"] / float(r["delta2"]))
        aff0.append(r["rel_gap_aff0"])
    # relative gap / δ² tends to a constant; the correction is O(δ²): here < 1e-3 relative
    # between the last two noise levels (float tolerance, values ~0.16)
    assert abs(lin[-1] / lin[-2] - 1) < 1e-3 and lin[-1] > 0
    assert abs(aff_best[-1] / aff_best[-2] - 1) < 1e-3 and aff_best[-1] > 0
    # the minimum-norm member (mu = 0) does not close its relative gap
    assert aff0[-1] > 0.5 * aff0[0]


def test_requires_square():
    X = np.zeros((4, 3)); X[2:, 0] = 1
    with pytest.raises(ValueError, match="M = Q"):
        shallow_relations(X, [0, 0, 1, 1])
