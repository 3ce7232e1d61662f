"""The zero-cost construction of THEORY §4.4: exact zero cost, cumulative identity, the
projection variant, bad input, JSON and the CLI."""
import json
from fractions import Fraction

import numpy as np
import pytest

from exactgeo.cli import main
from exactgeo.minimizers import construct_minimizer
from exactgeo.minimizers.truncation import hidden_states, tau_states


def clusters(Q, M, n, noise, seed=0, decimals=2, scale=3.0, exact=False):
    rng = np.random.default_rng(seed)
    means = rng.normal(size=(Q, M)) * scale
    X = np.concatenate([means[j] + noise * rng.uniform(-1, 1, size=(n, M)) for j in range(Q)])
    X = np.round(X, decimals)
    lab = np.repeat(np.arange(Q), n)
    if exact:
        X = np.array([[Fraction(str(v)) for v in row] for row in X], dtype=object)
    return X, lab


@pytest.mark.parametrize("Q,M", [(2, 2), (3, 3), (4, 4), (6, 6), (3, 5), (4, 3), (3, 2)])
def test_float_zero_cost(Q, M):
    X, lab = clusters(Q, M, 15, 0.1, seed=Q + M)
    for L in (Q, Q + 2):
        r = construct_minimizer(X, lab, layers=L)
        # float: relative to c_N Σ|y|² (= 1/2 for one-hot); bound from the issue, 1e-12
        assert r.cost <= 1e-12 * 0.5
        assert len(r.layers) == L and r.layers[0][0].shape == (Q, M)
        assert r.kappa < 0.5


@pytest.mark.parametrize("Q,M,seed", [(2, 2, 1), (3, 3, 2), (4, 4, 3), (3, 5, 4), (3, 2, 5)])
def test_exact_zero_cost(Q, M, seed):
    X, lab = clusters(Q, M, 6, 0.2, seed=seed, exact=True)
    r = construct_minimizer(X, lab, layers=Q + 1, exact=True)
    assert r.cost_exact == 0 and isinstance(r.cost_exact, Fraction)
    for W, b in r.layers + [r.output]:
        assert all(isinstance(v, Fraction) for v in np.asarray(W).ravel())
        assert all(isinstance(v, Fraction) for v in np.asarray(b).ravel())
    # independent check: the network maps every sample exactly onto its one-hot target
    F = r.predict(X)
    assert (F == np.eye(Q, dtype=int)[lab].astype(object)).all()


def test_exact_cumulative_identity_and_truncation_steps():
    X, lab = clusters(3, 3, 8, 0.3, seed=11, exact=True)
    r = construct_minimizer(X, lab, layers=4, exact=True, order=[2, 0, 1])
    Z = r.data.Z
    states = hidden_states(r.layers, Z)   # M = Q: the layers act on the data directly
    taus = tau_states(r.cumulative, Z)
    for l, (Wc, bc) in enumerate(r.cumulative, 1):
        assert (states[l] == Wc @ taus[l] + bc.reshape(-1, 1)).all()
    for step, j in enumerate(r.order, 1):   # layer `step` collapses class j onto a_j ...
        assert (taus[step][:, lab == j] == r.apexes[:, [j]]).all()
        assert (taus[step][:, lab != j] == taus[step - 1][:, lab != j]).all()  # ... fixes rest


def test_exact_custom_targets_and_cN():
    X, lab = clusters(3, 3, 5, 0.2, seed=3, exact=True)
    Y = np.array([[1, 2, 3], [Fraction(1, 3), 0, -5]], dtype=object)
    r = construct_minimizer(X, lab, Y=Y, layers=3, exact=True, c_N=Fraction(7))
    assert r.cost_exact == 0 and r.output[0].shape == (2, 3)
    assert (r.predict(X) == Y[:, lab].T).all()


def test_exact_from_float_input_and_string_labels():
    X, lab = clusters(2, 2, 5, 0.1, seed=9)
    names = np.array(["b", "a"])[lab]
    r = construct_minimizer(X, names, layers=2, exact=True)  # floats converted exactly
    assert r.cost_exact == 0 and r.classes == ["a", "b"]


def test_projection_kappa_not_larger():
    X, lab = clusters(3, 6, 10, 0.15, seed=21)
    r = construct_minimizer(X, lab, layers=3)
    assert r.kappa <= r.kappa_input + 1e-12   # projection does not increase deviations


def test_large_kappa_error_reports_kappa_class_threshold():
    X = np.array([[0, 0], [1.4, 0], [2, 0], [2, 0.1]])
    with pytest.raises(ValueError, match=r"kappa = .* >= 1/2.*offending class"):
        construct_minimizer(X, [0, 0, 1, 1], layers=2)


@pytest.mark.parametrize("kw,msg", [
    (dict(layers=1), "layers: the construction needs L >= Q = 2"),
    (dict(layers=2, Y=np.ones((2, 3))), r"Y: expected shape \(P, Q\)"),
    (dict(layers=2, classes=[0, 1, 5]), "class 5 has no points"),
    (dict(layers=2, order=[0, 0]), "order"),
    (dict(layers=2, eps=10.0), "eps"),
])
def test_bad_input(kw, msg):
    X = np.array([[0, 0], [0.1, 0], [2, 0], [2, 0.1]])
    with pytest.raises(ValueError, match=msg):
        construct_minimizer(X, [0, 0, 1, 1], **kw)


def test_bad_input_data():
    X = np.array([[0, 0], [0.1, 0], [2, 0], [2, 0.1]])
    with pytest.raises(ValueError, match="labels: expected one label per row"):
        construct_minimizer(X, [0, 1, 1], layers=2)
    with pytest.raises(ValueError, match="coincident means"):
        construct_minimizer(np.array([[0, 0], [1, 1], [1, 1], [0, 0]]), [0, 0, 1, 1], layers=2)
    Xd = np.array([[0, 0, 0], [1, 0, 0], [2, 0, 0]], dtype=float)
    with pytest.raises(ValueError, match="affinely dependent"):
        construct_minimizer(Xd, [0, 1, 2], layers=3)
    with pytest.raises(ValueError, match="at least 2 classes"):
        construct_minimizer(X, [0, 0, 0, 0], layers=2)
    with pytest.raises(TypeError, match="layers"):
        construct_minimizer(X, [0, 0, 1, 1], layers=2.5)


def test_json_contract():
    X, lab = clusters(3, 3, 4, 0.2, seed=5, exact=True)
    d = json.loads(construct_minimizer(X, lab, layers=4, exact=True).to_json())
    for key in ("cost", "cost_exact", "kappa", "condition", "layers", "output"):
        assert key in d
    assert d["cost_exact"] == "0" and len(d["layers"]) == 4
    assert all(isinstance(v, str) for row in d["layers"][0]["W"] for v in row)
    df = json.loads(construct_minimizer(X.astype(float), lab, layers=3).to_json())
    assert df["cost_exact"] is None and isinstance(df["layers"][0]["W"][0][0], float)


def test_cli(capsys, tmp_path):
    assert main(["construct", "clusters3", "--layers", "3", "--exact", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["cost_exact"] == "0"
    assert main(["construct", "clusters2d", "--layers", "3"]) == 0
    out = capsys.readouterr().out
    assert "kappa" in out and "cost" in out and "layer 3" in out
    assert main(["construct", "clusters3", "--layers", "2"]) == 2
    assert "L >= Q = 3" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("0,0,1\n1,1,1\n")
    assert main(["construct", str(bad), "--layers", "3"]) == 2


from hypothesis import assume, given, settings, strategies as st  # noqa: E402


@settings(max_examples=12, deadline=None)
@given(st.integers(2, 3).flatmap(lambda Q: st.tuples(
    st.just(Q),
    st.lists(st.integers(-2, 2), min_size=Q * Q, max_size=Q * Q),
    st.lists(st.fractions(-1, 1, max_denominator=8), min_size=3 * Q * Q, max_size=3 * Q * Q),
    st.lists(st.fractions(-5, 5, max_denominator=4), min_size=Q * Q, max_size=Q * Q),
    st.permutations(list(range(Q))))))
def test_property_exact_zero_cost(case):
    """Random rational clustered data (3 points per class), random targets and class order:
    whenever the hypotheses hold the exact network interpolates every sample exactly."""
    Q, mshift, devs, ys, order = case
    means = 6 * np.eye(Q, dtype=int) + np.array(mshift).reshape(Q, Q)
    X = np.array([[Fraction(int(means[j, k])) + devs[(3 * j + i) * Q + k] for k in range(Q)]
                  for j in range(Q) for i in range(3)], dtype=object)
    lab = np.repeat(np.arange(Q), 3)
    Y = np.array(ys, dtype=object).reshape(Q, Q)
    try:
        r = construct_minimizer(X, lab, Y=Y, layers=Q + 1, exact=True, order=order)
    except ValueError as exc:   # κ ≥ 1/2 or dependent means: outside the theorem
        assume("kappa" not in str(exc) and "dependent" not in str(exc) and
               "coincident" not in str(exc))
        raise
    assert r.cost_exact == 0
    assert (r.predict(X) == Y[:, lab].T).all()
