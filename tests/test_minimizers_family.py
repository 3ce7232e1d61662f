"""Degenerate family (THEORY §4.4): every member keeps zero cost — exactly in exact mode."""
from fractions import Fraction

import numpy as np
import pytest

from exactgeo.minimizers import construct_minimizer
from exactgeo.minimizers.family import family_member, output_null_direction


def data(Q=3, M=3, n=6, seed=0, exact=True):
    rng = np.random.default_rng(seed)
    means = rng.normal(size=(Q, M)) * 3
    X = np.round(np.concatenate([means[j] + 0.2 * rng.uniform(-1, 1, size=(n, M))
                                 for j in range(Q)]), 2)
    if exact:
        X = np.array([[Fraction(str(v)) for v in r] for r in X], dtype=object)
    return X, np.repeat(np.arange(Q), n)


VARIANTS = [dict(mu=[1, 2, -3]), dict(rescale=True), dict(extra_layers=2),
            dict(order=[2, 0, 1]), dict(rotate=True),
            dict(mu=[0, 1, 1], rescale=True, rotate=True, extra_layers=1, order=[1, 2, 0])]


@pytest.fixture(scope="module")
def exact_base():
    X, lab = data()
    return construct_minimizer(X, lab, layers=4, exact=True)


@pytest.fixture(scope="module")
def float_base():
    X, lab = data(exact=False, seed=1)
    return construct_minimizer(X, lab, layers=4)


@pytest.mark.parametrize("kw", VARIANTS)
def test_exact_members_zero_cost(exact_base, kw):
    m = family_member(exact_base, seed=2, **kw)
    assert m.cost_exact == 0
    assert len(m.layers) == 4 + kw.get("extra_layers", 0)
    differs = any((W1 != W2).any() for (W1, _), (W2, _) in zip(m.layers, exact_base.layers)) \
        or (m.output[0] != exact_base.output[0]).any()
    assert differs


@pytest.mark.parametrize("kw", VARIANTS + [dict(eps=0.05), dict(t=0.01)])
def test_float_members_zero_cost(float_base, kw):
    m = family_member(float_base, seed=3, **kw)
    # float: relative to c_N Σ|y|² = 1/2 (one-hot), issue tolerance 1e-12
    assert m.cost <= 1e-12 * 0.5


def test_exact_eps_and_t_choices(exact_base):
    m = family_member(exact_base, eps=exact_base.eps / 2)
    assert m.cost_exact == 0
    t_small = [t / 3 for t in exact_base.t]
    m = family_member(exact_base, t=t_small)
    assert m.cost_exact == 0 and m.t == t_small


def test_null_direction(exact_base):
    n = output_null_direction(exact_base)
    Q = exact_base.apexes.shape[1]
    Z = np.vstack([exact_base.apexes, np.array([Fraction(1)] * Q, dtype=object).reshape(1, -1)])
    assert (n @ Z == 0).all() and any(v != 0 for v in n)


def test_explicit_rescale_and_bad_input(exact_base):
    specs = [([1, 0, 2], [Fraction(1, 2), 3, 1])] * 4
    assert family_member(exact_base, rescale=specs).cost_exact == 0
    with pytest.raises(ValueError, match="positive"):
        family_member(exact_base, rescale=[([0, 1, 2], [1, -1, 1])] * 4)
    with pytest.raises(ValueError, match="mu"):
        family_member(exact_base, mu=[1, 2])
