"""TwoLayerNet and the reconstruction identity (THEORY §2.6)."""
from fractions import Fraction as F

import numpy as np
import pytest
import sympy as sp

from exactgeo.families import get_family
from exactgeo.nets import TwoLayerNet, from_lasso


def _rational_data(seed, n, d):
    rng = np.random.default_rng(seed)
    X = np.array([[F(int(v), 4) for v in row] for row in rng.integers(-8, 9, (n, d))], dtype=object)
    y = np.array([F(int(v), 3) for v in rng.integers(-5, 6, n)], dtype=object)
    return X, y


@pytest.mark.parametrize("model,bias", [("relu", True), ("abs", True), ("relu", False)])
def test_reconstruction_identity_l1_exact(model, bias):
    X, y = _rational_data(1, 6, 2)
    fam = get_family(model, depth=2, reg="l1", bias=bias)
    D = fam.dictionary(X, exact=True)
    rng = np.random.default_rng(2)
    ks = rng.choice(D.shape[1], size=min(5, D.shape[1]), replace=False)
    z = np.array([F(int(rng.integers(-9, 10)) or 1, int(rng.integers(1, 7))) for _ in ks],
                 dtype=object)
    xi = F(3, 7) if bias else F(0)
    atoms = [D.atoms[k] for k in ks]
    net = from_lasso(fam, atoms, z, xi)
    cols = D.columns(list(ks))
    lasso_fit = cols.dot(z) + xi
    # α_jσ(w_jᵀx + b_j) = z_jσ(u_jᵀx + c_j): the fits agree exactly
    assert list(net.forward(X)) == list(lasso_fit)
    beta = F(1, 10)
    r = y - lasso_fit
    lasso_obj = sum(v * v for v in r) / 2 + beta * sum(abs(v) for v in z)
    assert net.objective(X, y, beta) == lasso_obj           # exact Fraction equality
    # the sympy weights themselves, evaluated literally, give the same exact numbers
    assert list(net.forward(X[:3], method="direct")) == list(lasso_fit[:3])
    assert net.penalty(method="direct") == net.penalty() == 2 * sum(abs(v) for v in z)
    (W, b), alpha = net.exact_layers()[0][0], net.exact_layers()[1]
    assert all(sp.simplify(alpha[j] ** 2 - abs(sp.Rational(z[j]))) == 0 for j in range(len(z)))
    assert net.width == len(z)
    assert [tuple(n) for n in net.points] == [tuple(a.points) for a in atoms]


def test_reconstruction_l2_exact_is_symbolic():
    X, y = _rational_data(5, 5, 2)
    fam = get_family("relu", depth=2, reg="l2", bias=False)
    D = fam.dictionary(X, exact=True)
    ks = [0, 1]
    z = np.array([F(2, 3), F(-1, 5)], dtype=object)
    net = from_lasso(fam, [D.atoms[k] for k in ks], z, 0)
    beta = F(1, 10)
    cols = D.columns(ks)
    f = [sum(sp.Rational(cols[i, j]) * sp.Rational(z[j]) / sp.sqrt(sp.Rational(D.norm_sq[k]))
             for j, k in enumerate(ks)) for i in range(X.shape[0])]
    want = sum((fi - sp.Rational(yi)) ** 2 for fi, yi in zip(f, y)) / 2 + \
        sp.Rational(beta) * sum(abs(sp.Rational(v)) for v in z)
    got = net.objective(X, y, beta)
    assert sp.simplify(sp.sympify(got) - want) == 0
    assert abs(float(net.objective(np.asarray(X, float), np.asarray(y, float), 0.1)) -
               float(want)) < 1e-12          # float path: rounding only


def test_forward_float_and_validation():
    net = TwoLayerNet([(np.array([[1.0, -1.0], [0.5, 0.0]]), np.array([0.0, 1.0]))],
                      np.array([1.0, -2.0]), 0.25, activation="abs")
    X = np.array([[1.0, 2.0], [0.0, 0.0]])
    assert np.allclose(net.forward(X), [1 - 2 * 1.5 + 0.25, 0 - 2 + 0.25])
    with pytest.raises(ValueError, match="activation"):
        TwoLayerNet([(np.eye(2), np.zeros(2))], np.ones(2), activation="tanh")
    with pytest.raises(ValueError, match="X"):
        net.forward(np.ones((3, 3)))
