"""Penalties as strategies: exact values by hand, agreement of the exact paths, gradients."""
from fractions import Fraction as F

import numpy as np
import pytest
import sympy as sp

from exactgeo.nets import LLL, L1Inner, Network, TwoLayerNet, WeightDecay, get_penalty, train


def _obj(rows):
    return np.array(rows, dtype=object)


def _two_chains():
    """Two parallel width-1 chains on ℝ², L = 3 weight layers (THEORY §3.1):
    chain 1: w_1 = (1, 2), w_2 = 3, α = −1; chain 2: w_1 = (1/2, 0), w_2 = −2, α = 2."""
    W1 = _obj([[F(1), F(2)], [F(1, 2), F(0)]])
    W2 = _obj([[F(3), F(0)], [F(0), F(-2)]])                      # diagonal: parallel chains
    b = _obj([F(0), F(0)])
    return Network([(W1, b), (W2, b)], _obj([F(-1), F(2)]), F(0))


def test_lll_on_two_chains_by_hand():
    net = _two_chains()
    # p = 1: chain 1: |α|³ + ‖w_1‖₁³ + |w_2|³ = 1 + 27 + 27 = 55; chain 2: 8 + 1/8 + 8 = 129/8
    assert LLL(3, p=1).total(net) == F(55) + F(129, 8)
    assert LLL(3, p=1).value(net) == (F(55) + F(129, 8)) / 3
    # p = 2: ‖(1, 2)‖₂³ = 5√5 is irrational: the value is an exact sympy number
    v = LLL(3, p=2).value(net)
    assert sp.simplify(v - (28 + 5 * sp.sqrt(5) + sp.Rational(129, 8)) / 3) == 0
    # weight decay on the same net: ½(1 + 4 + 1/4 + 9 + 4 + 1 + 4)
    assert WeightDecay().value(net) == F(1, 2) * (F(5) + F(1, 4) + 13 + 5)
    # the float net gives the same numbers to rounding
    netf = Network([(np.asarray(W, float), np.asarray(b, float)) for W, b in net.layers],
                   np.asarray(net.alpha, float), 0.0)
    assert abs(LLL(3, p=2).value(netf) - float(v)) < 1e-12
    assert LLL(3, p=1).value(netf) == pytest.approx(float((F(55) + F(129, 8)) / 3), rel=1e-15)


def test_lll_even_depth_stays_rational():
    W1 = _obj([[F(1), F(2)]])
    one = _obj([[F(1, 2)]])
    z = _obj([F(0)])
    net = Network([(W1, _obj([F(0)])), (one, z), (one, z)], _obj([F(-3)]), F(0))
    # (1/4)(|α|⁴ + ‖w_1‖₂⁴ + |w_2|⁴ + |w_3|⁴) = (81 + 25 + 1/16 + 1/16)/4
    assert LLL(4).value(net) == (F(81) + F(25) + F(1, 8)) / 4


def test_two_layer_penalties_by_hand():
    W = _obj([[F(1), F(-2)], [F(0), F(3, 2)]])
    net = TwoLayerNet([(W, _obj([F(5), F(-5)]))], _obj([F(2), F(-1, 2)]), F(0))
    # weight decay: ½Σ_j(‖w_j‖₂² + α_j²) = ½((5 + 4) + (9/4 + 1/4)); biases not penalised
    assert WeightDecay().value(net) == F(1, 2) * (F(9) + F(5, 2))
    # ℓ1 inner: ½Σ_j(‖w_j‖₁² + α_j²) = ½((9 + 4) + (9/4 + 1/4))
    assert L1Inner().value(net) == F(1, 2) * (F(13) + F(5, 2))
    # net.penalty(reg) keeps its meaning: the sum without ½
    assert net.penalty("l2") == F(9) + F(5, 2) and net.penalty() == F(13) + F(5, 2)
    # LLL(2, p) is the same penalty as weight decay (p = 2) and ℓ1 inner (p = 1)
    assert LLL(2, p=2).value(net) == WeightDecay().value(net)
    assert LLL(2, p=1).value(net) == L1Inner().value(net)
    X, y, beta = _obj([[F(1), F(1)], [F(-1), F(2)]]), _obj([F(1), F(0)]), F(1, 10)
    f = net.forward(X)
    fit = sum((a - b) ** 2 for a, b in zip(f, y)) / 2
    assert net.objective(X, y, beta) == fit + beta * L1Inner().value(net)
    assert net.objective(X, y, beta, reg=LLL(2)) == fit + beta * WeightDecay().value(net)


@pytest.mark.parametrize("norm_sq", [None, [F(5), F(1)]])
def test_factorised_net_penalties_are_rational_and_match_direct(norm_sq):
    U = [[F(1), F(2)], [F(-1), F(0)]]
    z = [F(3, 2), F(-2)]
    net = TwoLayerNet.from_units(U, [F(0), F(1)], z, reg="l2", norm_sq=norm_sq)
    q = norm_sq or [F(1), F(1)]
    for strategy, nu in ((WeightDecay(), [F(5), F(1)]), (L1Inner(), [F(9), F(1)]),
                         (LLL(2, p=1), [F(9), F(1)])):
        # ‖w_j‖_p² = (|z_j|/q_j)‖u_j‖_p², α_j² = |z_j|
        want = F(1, 2) * sum(abs(zj) * n / qj + abs(zj) for zj, n, qj in zip(z, nu, q))
        fast = strategy.value(net)
        assert isinstance(fast, F) and fast == want
        assert sp.simplify(sp.sympify(strategy.value(net, method="direct")) - want) == 0


def test_strategy_validation():
    deep = _two_chains()
    with pytest.raises(ValueError, match="L1Inner"):
        L1Inner().value(deep)
    with pytest.raises(ValueError, match="LLL"):
        LLL(4).value(deep)
    with pytest.raises(ValueError, match="L"):
        LLL(1)
    with pytest.raises(ValueError, match="p"):
        LLL(3, p=3)
    with pytest.raises(ValueError, match="reg"):
        get_penalty("l3")
    assert get_penalty("l2") == WeightDecay() and get_penalty("l1") == L1Inner()
    assert LLL(3, p=1) == LLL(3, p=1) != LLL(3)


@pytest.mark.parametrize("strategy", [WeightDecay(), LLL(3, p=2), LLL(3, p=1), LLL(4)])
def test_gradients_match_finite_differences(strategy):
    rng = np.random.default_rng(1)
    L = getattr(strategy, "L", 3)
    dims = [3] + [2] * (L - 1)
    Ws = [rng.normal(size=(dims[i + 1], dims[i])) for i in range(L - 1)]
    a = rng.normal(size=2)

    def value(Ws, a):
        return strategy.value(Network([(W, np.zeros(W.shape[0])) for W in Ws], a, 0.0))

    gWs, ga = strategy.gradient(Ws, a)
    h = 1e-6
    for li, W in enumerate(Ws):
        for idx in np.ndindex(W.shape):
            Wp = [V.copy() for V in Ws]; Wp[li][idx] += h
            Wm = [V.copy() for V in Ws]; Wm[li][idx] -= h
            assert abs((value(Wp, a) - value(Wm, a)) / (2 * h) - gWs[li][idx]) < 1e-6
    for j in range(len(a)):
        ap, am = a.copy(), a.copy(); ap[j] += h; am[j] -= h
        assert abs((value(Ws, ap) - value(Ws, am)) / (2 * h) - ga[j]) < 1e-6


def test_l1_gradient_and_trainer_take_strategies():
    W = np.array([[1.0, -2.0], [0.5, 0.0]])
    a = np.array([0.3, -1.0])
    (gW,), ga = L1Inner().gradient([W], a)
    assert np.array_equal(gW, np.array([[3.0, -3.0], [0.5, 0.0]])) and np.array_equal(ga, a)
    X = np.array([[0.0, 1.0], [1.0, 0.5], [-1.0, 0.2]])
    y = np.array([1.0, -1.0, 0.5])
    for reg, strategy in (("l1", L1Inner()), ("l2", WeightDecay()), ("l2", LLL(2))):
        a_ = train(X, y, 0.05, width=4, steps=100, restarts=1, seed=2, reg=reg)
        b_ = train(X, y, 0.05, width=4, steps=100, restarts=1, seed=2, reg=strategy)
        assert a_.objective == b_.objective
    with pytest.raises(ValueError, match="reg"):
        train(X, y, 0.05, steps=1, reg=LLL(3))
