"""The one network type (rows are samples): deep exact forward passes over ℚ."""
from fractions import Fraction as F

import numpy as np
import pytest
import sympy as sp

from exactgeo.nets import Network, TwoLayerNet
from exactgeo.nets.units import Units


def _q(rng, shape, den=4):
    return np.array([F(int(v), den) for v in rng.integers(-8, 9, size=shape).ravel()],
                    dtype=object).reshape(shape)


def _hand_forward(X, layers, acts, alpha=None, xi=None, output=None):
    """The network written out entry by entry, with Python Fractions only."""
    sigma = {"relu": lambda t: t if t > 0 else F(0), "abs": abs, "identity": lambda t: t}
    out = []
    for x in X:
        h = list(x)
        for (W, b), act in zip(layers, acts):
            h = [sigma[act](sum((W[j][k] * h[k] for k in range(len(h))), F(0)) + b[j])
                 for j in range(len(W))]
        if output is None:
            out.append(sum((alpha[j] * h[j] for j in range(len(h))), F(0)) + xi)
        else:
            Wo, bo = output
            out.append([sum((Wo[p][j] * h[j] for j in range(len(h))), F(0)) + bo[p]
                        for p in range(len(Wo))])
    return out


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("acts", [["relu"] * 3, ["abs", "relu", "identity"]])
def test_deep_forward_exact_matches_hand_loop(seed, acts):
    rng = np.random.default_rng(seed)
    dims = [3, 4, 3, 2]                     # d = 3, three hidden layers of widths 4, 3, 2
    layers = [(_q(rng, (dims[i + 1], dims[i])), _q(rng, (dims[i + 1],)))
              for i in range(3)]
    alpha, xi = _q(rng, (2,)), F(-2, 7)
    X = _q(rng, (6, 3), den=3)
    net = Network(layers, alpha, xi, activation=acts)
    got = net.forward(X)
    want = _hand_forward(X, layers, acts, alpha=alpha, xi=xi)
    assert got.dtype == object and all(isinstance(v, F) for v in got)
    assert list(got) == want                                  # exact equality over ℚ
    assert net.exact and net.depth == 4 and net.width == 4 and net.n_features == 3
    # the float pass of the same net agrees to rounding
    Xf = np.asarray(X, dtype=float)
    netf = Network([(np.asarray(W, float), np.asarray(b, float)) for W, b in layers],
                   np.asarray(alpha, float), float(xi), activation=acts)
    assert np.allclose(netf.forward(Xf), [float(v) for v in want], rtol=1e-12, atol=1e-12)
    # the hidden states are the intermediate values of the same pass
    tr = net.trace(X)
    assert len(tr.pre) == 3 and len(tr.post) == 4 and (tr.post[0] == X).all()
    assert list(tr.out) == want


def test_deep_forward_matrix_output_exact():
    rng = np.random.default_rng(9)
    dims = [2, 3, 3, 3]
    layers = [(_q(rng, (dims[i + 1], dims[i])), _q(rng, (dims[i + 1],))) for i in range(3)]
    output = (_q(rng, (2, 3)), _q(rng, (2,)))
    X = _q(rng, (5, 2), den=5)
    net = Network(layers, output=output)
    got = net.forward(X)
    assert got.shape == (5, 2)
    assert got.tolist() == _hand_forward(X, layers, ["relu"] * 3, output=output)
    y = np.array([[F(1), F(0)]] * 5, dtype=object)
    beta = F(1, 3)
    res = got - y
    want = sum(v * v for v in res.flat) / 2 + beta * sum(
        v * v for W in [W for W, _ in layers] + [output[0]] for v in W.flat) / 2
    assert net.objective(X, y, beta) == want                  # weight decay (the default)


def test_two_layer_net_is_the_two_layer_case():
    W = np.array([[F(1), F(-1)], [F(1, 2), F(0)]], dtype=object)
    b = np.array([F(0), F(1)], dtype=object)
    net = TwoLayerNet([(W, b)], [F(1), F(-2)], F(1, 4), activation="abs")
    assert isinstance(net, Network) and net.depth == 2 and net.reg == "l1"
    X = np.array([[F(1), F(2)], [F(0), F(0)]], dtype=object)
    assert list(net.forward(X)) == [1 - 2 * F(3, 2) + F(1, 4), 0 - 2 + F(1, 4)]
    with pytest.raises(ValueError, match="layers"):
        TwoLayerNet([(np.eye(2), np.zeros(2))] * 2, np.ones(2))


def test_factorised_net_keeps_exact_forward_and_sympy_weights():
    U = [[F(3), F(4)], [F(1), F(0)]]
    net = TwoLayerNet.from_units(U, [F(0), F(-1)], [F(2), F(-1, 3)], xi=F(1, 2), reg="l2",
                                 norm_sq=[F(25), F(1)])
    assert isinstance(net.units, Units)
    U_, c_, z_, ns_ = net.units                                 # still unpacks as a 4-tuple
    X = np.array([[F(1), F(1)], [F(2), F(-1)]], dtype=object)
    fast, direct = net.forward(X), net.forward(X, method="direct")
    assert all(sp.simplify(sp.sympify(a) - sp.sympify(b)) == 0 for a, b in zip(fast, direct))
    (W, _), alpha = net.exact_layers()[0][0], net.exact_layers()[1]
    assert sp.simplify(alpha[0] - sp.sqrt(2)) == 0 and sp.simplify(W[0, 0] - 3 * sp.sqrt(2) / 5) == 0


def test_validation_names_the_argument():
    with pytest.raises(ValueError, match="activation"):
        Network([(np.eye(2), np.zeros(2))], np.ones(2), activation="tanh")
    with pytest.raises(ValueError, match="activation"):
        Network([(np.eye(2), np.zeros(2))] * 2, np.ones(2), activation=["relu"])
    with pytest.raises(ValueError, match=r"layers\[1\]\[0\]"):
        Network([(np.eye(2), np.zeros(2)), (np.eye(3), np.zeros(3))], np.ones(3))
    with pytest.raises(ValueError, match="alpha"):
        Network([(np.eye(2), np.zeros(2))], np.ones(3))
    with pytest.raises(ValueError, match="alpha/output"):
        Network([(np.eye(2), np.zeros(2))])
    with pytest.raises(ValueError, match="output"):
        Network([(np.eye(2), np.zeros(2))], output=(np.eye(3), np.zeros(3)))
    with pytest.raises(ValueError, match="reg"):
        Network([(np.eye(2), np.zeros(2))], np.ones(2), reg="l3")
    with pytest.raises(ValueError, match="X"):
        Network([(np.eye(2), np.zeros(2))], np.ones(2)).forward(np.ones((3, 3)))


def test_minimizer_result_is_a_network():
    from exactgeo.minimizers import construct_minimizer
    from exactgeo.minimizers.truncation import forward
    X = np.array([[F(0), F(0)], [F(1, 10), F(0)], [F(2), F(0)], [F(2), F(1, 10)]], dtype=object)
    r = construct_minimizer(X, [0, 0, 1, 1], layers=3, exact=True)
    net = r.network
    assert isinstance(net, Network) and net.depth == 4 and net.exact
    assert (net.forward(X) == r.predict(X)).all()
    assert (forward(r.layers, r.output, X.T).T == net.forward(X)).all()   # columns wrapper
    assert (net.forward(X) == np.eye(2, dtype=int)[[0, 0, 1, 1]].astype(object)).all()
