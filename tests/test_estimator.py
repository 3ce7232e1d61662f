"""``exactgeo.ConvexNet``: the scikit-learn-style estimator around ``exactgeo.fit``.

Certified results are re-checked by routes that share nothing with the certifier
(tests/_independent.py: the network read back from the JSON and evaluated by plain numpy,
and an own Lasso solver over a dense sampled neuron dictionary). scikit-learn's own
estimator checks run where they apply; scikit-learn is a test-only dependency.
"""
import pathlib
import pickle
import sys
import warnings
from fractions import Fraction as F

import numpy as np
import pytest

import exactgeo
from exactgeo.estimator import ConvexNet, DataConversionWarning, NotFittedError

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import _independent as ind  # noqa: E402

X1 = [[0], [1], [2], [3], [4]]          # a tiny 1-D set
Y1 = [0, 1, 0, 2, 1]


def test_exported_from_the_package():
    assert exactgeo.ConvexNet is ConvexNet


def test_g1_exact_certified_and_rechecked():
    """THEORY G1 (19/100); the objective recomputed from the JSON network by plain numpy."""
    net = ConvexNet(bias=False, beta="1/10", exact=True, certify=True)
    assert net.fit([[1, 0], [0, 1]], [1, 1]) is net
    assert net.certificate_ == "certified-optimal"
    assert net.objective_exact_ == F(19, 100)
    assert net.n_features_in_ == 2 and len(net.neurons_) == 2
    assert net.result_.certificate.status == net.certificate_
    js = net.result_.to_json()
    plain = ind.network_from_json(js, 2)
    X = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 3.0], [-1.0, 0.5]])
    # float tolerance: four neurons' worth of float64 arithmetic on values ≲ 10
    assert np.allclose(net.predict(X), plain.forward(X, "relu"), rtol=1e-12, atol=1e-12)
    assert abs(plain.objective(X[:2], [1, 1], "relu", "l1", 0.1) - 0.19) <= ind.tol(0.19)


def test_1d_certified_against_a_dense_dictionary():
    """The certified optimum lies inside [lb, ub] of an own Lasso over 2000 sampled ramps
    plus the ramps at the data (which contain the exact 1-D dictionary)."""
    net = ConvexNet(beta=0.1, exact=True, certify=True).fit(X1, Y1)
    assert net.certificate_ == "certified-optimal"
    Xf, yf = np.array(X1, dtype=float), np.array(Y1, dtype=float)
    Us, cs = ind.sample_neurons(Xf, "l1", True, 2000, seed=0)
    br = ind.lasso_bracket(ind.unit_columns(Xf, Us, cs, "relu"), yf, 0.1, True)
    t = ind.tol(net.objective_)
    assert br.lb - t <= net.objective_ <= br.ub + t
    plain = ind.network_from_json(net.result_.to_json(), 1)
    assert abs(plain.objective(Xf, yf, "relu", "l1", 0.1) - net.objective_) <= t


def test_predict_and_score():
    net = ConvexNet(beta=0.01).fit(X1, Y1)
    pred = net.predict(X1)
    assert pred.dtype == np.float64 and pred.shape == (5,)
    y = np.array(Y1, dtype=float)
    r2 = 1 - np.sum((y - pred) ** 2) / np.sum((y - y.mean()) ** 2)
    assert abs(net.score(X1, Y1) - r2) <= 1e-12 and net.score(X1, Y1) > 0.9
    w = np.array([1.0, 2.0, 1.0, 1.0, 3.0])
    sk = pytest.importorskip("sklearn.metrics")
    assert abs(net.score(X1, Y1, sample_weight=w) - sk.r2_score(y, pred, sample_weight=w)) \
        <= 1e-12
    assert net.certificate_ == "upper-bound"       # certify=False: realizable, an upper bound


def test_min_norm_interpolates():
    net = ConvexNet(min_norm=True, exact=True).fit(X1, Y1)
    assert np.allclose(net.predict(X1), Y1, atol=1e-12)
    assert net.objective_exact_ == sum(abs(F(nj["coef_exact"])) for nj in net.neurons_)


def test_not_fitted():
    with pytest.raises(NotFittedError, match="not fitted yet.*'predict'") as info:
        ConvexNet().predict(X1)
    assert isinstance(info.value, ValueError) and isinstance(info.value, AttributeError)
    with pytest.raises(NotFittedError):
        ConvexNet().score(X1, Y1)


@pytest.mark.parametrize("X, y, exc, match", [
    ([0, 1, 2], [0, 1, 2], ValueError, r"X: expected a 2-D array.*reshape\(-1, 1\)"),
    (np.zeros((2, 2, 2)), [0, 1], ValueError, r"X: expected a 2-D array"),
    ([[0], [1]], [0, 1, 2], ValueError, r"y: expected 2 values"),
    ([[0], [1]], [[0, 1], [1, 0]], ValueError, r"y: expected a 1-D array"),
    ([[0], [np.nan]], [0, 1], ValueError, r"X: .*NaN"),
    ([[0], [1]], [0, np.inf], ValueError, r"y: .*inf"),
    ([[0], [1]], None, ValueError, r"y: .*requires y"),
    (None, [0, 1], ValueError, r"X: expected an array-like"),
    ([[0], [1j]], [0, 1], ValueError, r"X: Complex data not supported"),
    ([["a"], ["b"]], [0, 1], TypeError, r"X: expected numbers"),
    ([[0], [1, 2]], [0, 1], ValueError, r"X: expected a rectangular array"),
    (np.zeros((0, 2)), [], ValueError, r"X: found array with 0 sample"),
])
def test_bad_input_names_the_argument(X, y, exc, match):
    with pytest.raises(exc, match=match):
        ConvexNet().fit(X, y)


def test_bad_parameters_are_reported_at_fit():
    net = ConvexNet(model="tanh")               # stored unchanged, as scikit-learn wants
    assert net.model == "tanh"
    with pytest.raises(ValueError, match="model"):
        net.fit(X1, Y1)
    with pytest.raises(ValueError, match="beta"):
        ConvexNet(beta=-1.0).fit(X1, Y1)


def test_sparse_is_refused():
    sp = pytest.importorskip("scipy.sparse")
    with pytest.raises(TypeError, match=r"X: sparse input is not supported.*toarray"):
        ConvexNet().fit(sp.csr_matrix(np.eye(3)), [0, 1, 2])


def test_predict_checks_features():
    net = ConvexNet().fit(X1, Y1)
    with pytest.raises(ValueError, match="X has 2 features, but ConvexNet is expecting 1"):
        net.predict([[0, 1]])
    with pytest.raises(ValueError, match="reshape"):
        net.predict([0, 1])


def test_column_vector_y_warns_and_fits():
    with pytest.warns(DataConversionWarning, match="column-vector y"):
        net = ConvexNet().fit(X1, np.array(Y1, dtype=float)[:, None])
    assert net.predict(X1).shape == (5,)


def test_params_roundtrip_repr_and_pickle():
    net = ConvexNet(reg="l2", beta=0.05, seed=3)
    params = net.get_params()
    assert params["reg"] == "l2" and params["beta"] == 0.05 and params["seed"] == 3
    assert sorted(params) == sorted(["model", "depth", "reg", "bias", "beta", "min_norm",
                                     "exact", "certify", "colgen", "samples", "seed"])
    assert ConvexNet(**params).get_params() == params
    assert repr(net) == "ConvexNet(beta=0.05, reg='l2', seed=3)"
    assert net.set_params(beta=0.2, bias=False) is net and net.beta == 0.2
    with pytest.raises(ValueError, match="invalid parameter 'lr'"):
        net.set_params(lr=1)
    fitted = ConvexNet(beta=0.1).fit(X1, Y1)
    again = pickle.loads(pickle.dumps(fitted))
    assert np.array_equal(again.predict(X1), fitted.predict(X1))


# --- behaviours of the scikit-learn checks skipped below, on data small enough to fit

def test_small_versions_of_the_skipped_checks():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(12, 2))                 # negative values too
    y = X[:, 0] - 2 * X[:, 1] + 0.1 * rng.standard_normal(12)
    assert ConvexNet(beta=0.01).fit(X, y).score(X, y) > 0.5          # regressors_train
    yi = np.round(3 * y).astype(np.int64)                             # regressors_int
    a = ConvexNet(beta=0.01).fit(X, yi).predict(X)
    b = ConvexNet(beta=0.01).fit(X, yi.astype(float)).predict(X)
    assert np.array_equal(a, b)

    class NotAnArray:                                   # regressor_data_not_an_array
        def __init__(self, data):
            self.data = data

        def __array__(self, dtype=None, copy=None):
            return np.asarray(self.data, dtype=dtype)
    c = ConvexNet(beta=0.01).fit(NotAnArray(X), NotAnArray(y)).predict(NotAnArray(X))
    assert np.array_equal(c, ConvexNet(beta=0.01).fit(X, y).predict(X))
    Xo = X.astype(object)                                # dtype_object: floats in objects
    assert np.array_equal(ConvexNet(beta=0.01).fit(Xo, y).predict(Xo),
                          ConvexNet(beta=0.01).fit(X, y).predict(X))
    Xo[0, 0] = {"foo": "bar"}
    with pytest.raises(TypeError, match="X: expected numbers, got dict"):
        ConvexNet().fit(Xo, y)


# --- scikit-learn's estimator checks

# Their regression data sets have n = 50…200 samples in d = 4…10 features: the exact ℓ1
# dictionary of n points in d = 10 has C(n + 10, 10) columns (3.7e16 for n = 200), so these
# fits take minutes to hours; test_small_versions_of_the_skipped_checks covers each
# behaviour on small data instead.
TOO_LARGE = {
    "check_regressors_train": "n = 200, d = 10",
    "check_regressor_data_not_an_array": "n = 200, d = 10",
    "check_regressors_int": "n = 50, d = 10",
    "check_dtype_object": "n = 56, d = 10",
    "check_positive_only_tag_during_fit": "n = 150, d = 4",
}

try:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*does not inherit from")
        from sklearn.utils.estimator_checks import parametrize_with_checks
        _checks = parametrize_with_checks([ConvexNet()])
except ImportError:                                     # pragma: no cover
    _checks = None

if _checks is not None:
    @pytest.mark.filterwarnings("ignore:Estimator ConvexNet does not inherit")
    @_checks
    def test_sklearn_estimator_checks(estimator, check):
        name = getattr(check, "func", check).__name__
        if name in TOO_LARGE:
            pytest.skip(f"{name}: data set too large for an exact dictionary "
                        f"({TOO_LARGE[name]}); see test_small_versions_of_the_skipped_checks")
        check(estimator)
else:                                                   # pragma: no cover
    def test_sklearn_estimator_checks():
        pytest.skip("scikit-learn is not installed (it is in the 'test' extra)")
