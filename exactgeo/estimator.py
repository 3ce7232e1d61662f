"""``ConvexNet``: :func:`exactgeo.fit` as a scikit-learn-style regressor.

``fit(X, y)`` solves the convex (Lasso) form of a two-layer network problem of the family
(model, depth, reg, bias) and keeps the result; ``predict`` evaluates the reported
network; ``score`` is R². Fitted attributes end in ``_``:

========================  ==============================================================
``result_``               the :class:`~exactgeo.results.FitResult` (``to_json()``: the
                          ``fit --json`` contract)
``certificate_``          the status word: ``certified-optimal``, ``upper-bound`` (also
                          when ``certify=False``: the value is realizable, hence an upper
                          bound), ``sampled-no-violation`` or ``undecided``
``objective_``            ½‖f(X) − y‖² + β·penalty of the reported network (float; the
                          ℓ1 norm for ``min_norm``); ``objective_exact_`` the Fraction or
                          None
``neurons_``              one dict per hidden neuron: ``coef``, ``points`` (the training
                          rows whose wedge product it is), ``axes``, ``layers``, …
``network_``              the reported :class:`~exactgeo.nets.Network`
``n_features_in_``        d
========================  ==============================================================

Why no scikit-learn base class: scikit-learn is a test-only dependency of exactgeo, and a
class cannot inherit from it "when available" without behaving differently on machines
with and without it. So :meth:`~ConvexNet.get_params` / :meth:`~ConvexNet.set_params`
follow its conventions here (parameters read from the ``__init__`` signature, stored
unchanged, validated in ``fit``), ``__sklearn_tags__`` imports scikit-learn lazily (only
scikit-learn calls it), and :class:`NotFittedError` subclasses ValueError and
AttributeError as scikit-learn's does. The estimator clones, pickles and passes
scikit-learn's estimator checks (``tests/test_estimator.py`` lists the few that cannot
apply).

Exactness follows :func:`exactgeo.fit`: exact inputs (Fractions; object arrays) or
``exact=True`` give an exact fit; ``predict`` returns float64 (the exact values:
``network_.forward(X)`` on exact X).

>>> from fractions import Fraction as F
>>> net = ConvexNet(bias=False, beta="1/10", exact=True, certify=True)     # THEORY G1
>>> net = net.fit([[1, 0], [0, 1]], [1, 1])
>>> net.certificate_, net.objective_exact_, len(net.neurons_)
('certified-optimal', Fraction(19, 100), 2)
>>> net.predict([[1, 0], [2, 2]]).round(12).tolist()          # float64 forward pass
[0.9, 3.6]
>>> net.get_params()["beta"], net.set_params(beta=0.5).beta
('1/10', 0.5)
"""
from __future__ import annotations

import inspect
import sys
import warnings

import numpy as np

from .numbers import as_array, check_float_range

__all__ = ["ConvexNet", "NotFittedError", "DataConversionWarning"]


class NotFittedError(ValueError, AttributeError):
    """``predict``/``score`` before ``fit`` (the bases of scikit-learn's NotFittedError;
    when scikit-learn is loaded the error raised also subclasses its NotFittedError)."""


class DataConversionWarning(UserWarning):
    """y of shape (n, 1) was raveled to (n,) (when scikit-learn is loaded the warning
    also subclasses its DataConversionWarning)."""


class ConvexNet:
    """A two-layer network fitted globally through its convex Lasso form, as a regressor.

    Parameters are those of :func:`exactgeo.fit`: ``model`` "relu" | "abs", ``depth``,
    ``reg`` "l1" | "l2" (penalty on the inner weights), ``bias``, ``beta`` β > 0 (a
    float, a Fraction or a string such as "1/100"; ignored when ``min_norm``),
    ``min_norm`` (the β → 0 limit: the minimum-ℓ1 interpolating network), ``exact``
    (exact KKT over ℚ; automatic for exact inputs), ``certify`` (the global dual
    certificate), ``colgen`` (column generation: needed when the dictionary is too large
    to store), ``samples`` and ``seed`` (the sampled pricing oracle in d ≥ 3).
    X has shape (n, d), rows are samples; y shape (n,).
    """

    def __init__(self, model="relu", depth=2, reg="l1", bias=True, beta=1e-3,
                 min_norm=False, exact=False, certify=False, colgen=False, samples=2000,
                 seed=0):
        self.model = model
        self.depth = depth
        self.reg = reg
        self.bias = bias
        self.beta = beta
        self.min_norm = min_norm
        self.exact = exact
        self.certify = certify
        self.colgen = colgen
        self.samples = samples
        self.seed = seed

    # ---------------------------------------------------------------- parameters

    @classmethod
    def _get_param_names(cls):
        sig = inspect.signature(cls.__init__)
        return sorted(p for p in sig.parameters if p != "self")

    def get_params(self, deep=True):
        """The constructor parameters as a dict (``deep`` is accepted for scikit-learn;
        no parameter is itself an estimator)."""
        return {name: getattr(self, name) for name in self._get_param_names()}

    def set_params(self, **params):
        """Set constructor parameters (validated at ``fit``); returns self."""
        valid = self._get_param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"set_params: invalid parameter {name!r} for ConvexNet; "
                                 f"expected one of {valid}")
            setattr(self, name, value)
        return self

    def __repr__(self):
        defaults = {p.name: p.default for p in
                    inspect.signature(type(self).__init__).parameters.values()}
        shown = [f"{k}={v!r}" for k, v in self.get_params().items()
                 if not _same(v, defaults.get(k))]
        return f"{type(self).__name__}({', '.join(shown)})"

    def __sklearn_tags__(self):
        from sklearn.utils import InputTags, RegressorTags, Tags, TargetTags
        return Tags(estimator_type="regressor", target_tags=TargetTags(required=True),
                    regressor_tags=RegressorTags(), input_tags=InputTags())

    def __sklearn_is_fitted__(self):
        return hasattr(self, "result_")

    # ---------------------------------------------------------------------- fit

    def fit(self, X, y):
        """Fit on X (n, d) and y (n,); returns self."""
        from .pipeline import fit
        X, _ = _check_X(X, "X")
        y = _check_y(y, X.shape[0])
        res = fit(X, y, model=self.model, depth=self.depth, reg=self.reg, bias=self.bias,
                  beta=None if self.min_norm else self.beta, min_norm=self.min_norm,
                  exact=self.exact, certify=self.certify, colgen=self.colgen,
                  samples=self.samples, seed=self.seed)
        self.result_ = res
        self.network_ = res.net
        self.certificate_ = "upper-bound" if res.certificate is None else \
            res.certificate.status
        self.objective_ = res.objective
        self.objective_exact_ = res.objective_exact
        self.neurons_ = res.neurons()
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        """f(X) of the reported network: float64, shape (n,)."""
        self._check_fitted("predict")
        X, _ = _check_X(X, "X")
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but ConvexNet is expecting "
                             f"{self.n_features_in_} features as input")
        Xf = np.asarray(X, dtype=np.float64)
        return np.asarray(self.network_.forward(Xf), dtype=np.float64).reshape(-1)

    def score(self, X, y, sample_weight=None):
        """R² = 1 − Σw(y − f)² / Σw(y − ȳ)² of ``predict(X)`` (1.0 for a perfect fit;
        0.0 for constant y fitted imperfectly, as scikit-learn)."""
        self._check_fitted("score")
        pred = self.predict(X)
        y = np.asarray(_check_y(y, pred.shape[0]), dtype=np.float64)
        w = np.ones_like(y) if sample_weight is None else \
            np.asarray(sample_weight, dtype=np.float64).reshape(-1)
        if w.shape != y.shape:
            raise ValueError(f"sample_weight: expected shape {y.shape}, got {w.shape}")
        mean = np.average(y, weights=w)
        ss_res = float(np.sum(w * (y - pred) ** 2))
        ss_tot = float(np.sum(w * (y - mean) ** 2))
        if ss_tot == 0:
            return 1.0 if ss_res == 0 else 0.0
        return 1.0 - ss_res / ss_tot

    def _check_fitted(self, what):
        if not hasattr(self, "result_"):
            raise _compatible(NotFittedError)(
                f"This ConvexNet instance is not fitted yet: call 'fit' with training data "
                f"before '{what}'")


# ----------------------------------------------------------------- validation

def _same(a, b) -> bool:
    try:
        return type(a) is type(b) and bool(a == b)
    except Exception:              # arrays and other odd values: show them
        return False


def _to_array(a, name):
    if a is None:
        raise ValueError(f"{name}: expected an array-like of numbers, got None")
    if hasattr(a, "toarray") or type(a).__module__.startswith("scipy.sparse"):
        raise TypeError(f"{name}: sparse input is not supported; expected a dense array "
                        f"(convert with {name}.toarray())")
    if isinstance(a, str):
        raise TypeError(f"{name}: expected an array-like of numbers, got the string {a!r}")
    try:
        arr = a if isinstance(a, np.ndarray) else np.asarray(a)
    except ValueError:
        raise ValueError(f"{name}: expected a rectangular array of numbers, got a ragged "
                         "nested sequence") from None
    if arr.dtype.kind in "US":
        raise TypeError(f"{name}: expected numbers, got strings (dtype {arr.dtype}); convert "
                        "them first (exactgeo.numbers.as_exact_array reads '1/3' exactly)")
    if arr.dtype.kind == "c" or (arr.dtype == object and any(
            isinstance(v, complex) for v in arr.ravel().tolist())):
        raise ValueError(f"{name}: Complex data not supported; expected real numbers")
    return arr


def _check_X(X, name="X"):
    """(n, d) array (exact object array or float64) and whether it is exact."""
    arr = _to_array(X, name)
    if arr.ndim != 2:
        hint = (" Reshape your data either using array.reshape(-1, 1) if it has a single "
                "feature or array.reshape(1, -1) if it contains a single sample."
                if arr.ndim == 1 else "")
        raise ValueError(f"{name}: expected a 2-D array of shape (n_samples, n_features), "
                         f"got shape {arr.shape}.{hint}")
    for axis, what in ((0, "sample"), (1, "feature")):
        if arr.shape[axis] < 1:       # scikit-learn's wording
            raise ValueError(f"{name}: found array with 0 {what}(s) (shape={arr.shape}) "
                             "while a minimum of 1 is required.")
    out, exact = as_array(arr, name)     # finite numbers, exact values kept exact
    check_float_range(out, name)
    return out, exact


def _check_y(y, n):
    if y is None:
        raise ValueError("y: ConvexNet requires y to be passed, but the target y is None")
    arr = _to_array(y, "y")
    if arr.ndim == 2 and arr.shape[1] == 1:
        warnings.warn("A column-vector y was passed when a 1d array was expected; y was "
                      "raveled to shape (n_samples,)", _compatible(DataConversionWarning),
                      stacklevel=3)
        arr = arr.reshape(-1)
    if arr.ndim != 1:
        raise ValueError(f"y: expected a 1-D array of shape (n_samples,), got shape "
                         f"{arr.shape}")
    if arr.shape[0] != n:
        raise ValueError(f"y: expected {n} values (one per row of X), got {arr.shape[0]}")
    out, _ = as_array(arr, "y")
    check_float_range(out, "y")
    return out


_COMPATIBLE = {}


def _compatible(cls):
    """``cls``, or — when scikit-learn is loaded (never imported here) — a subclass of
    both ``cls`` and scikit-learn's class of the same name, so either catches it."""
    theirs = getattr(sys.modules.get("sklearn.exceptions"), cls.__name__, None)
    if theirs is None:
        return cls
    if cls not in _COMPATIBLE:
        _COMPATIBLE[cls] = type(cls.__name__, (cls, theirs), {"__module__": __name__,
                                                              "__doc__": cls.__doc__})
    return _COMPATIBLE[cls]
