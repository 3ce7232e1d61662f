"""Regression tests for false labels (issue "Truth first"): min-norm with ℓ2 columns, the
optimum with no neurons, reported network = reported objective, and the status words.

Each expected value here is computed by a route that does not use the certifier: by hand,
with sympy, or with scipy's HiGHS."""
from fractions import Fraction as F

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import linprog

from exactgeo.fitting import InconsistentResult, check_reported, fit


def _arr(rows):
    return np.array([[F(v) for v in r] for r in rows], dtype=object)


# ------------------------------------------------ min-norm with ℓ2 normalisation

MN_X = _arr([[1, 1], [2, -1]])
MN_Y = np.array([F(1), F(1)], dtype=object)


def test_min_norm_l2_is_enclosed_not_rational():
    res = fit(MN_X, MN_Y, model="relu", reg="l2", bias=False, min_norm=True, exact=True,
              certify=True)
    # W2 atoms are ±(1, −1)/√2 ⟂ x1 and ±(1, 2)/√5 ⟂ x2; relu features on the two rows.
    # The LP over the normalised columns, by hand: z1·relu((1,1)·u1) + z2·relu(..) = y.
    # Checked independently with HiGHS over the same normalised float columns:
    U = np.array([[1, -1], [-1, 1], [1, 2], [-1, -2]], float)
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    A = np.maximum(np.array([[1, 1], [2, -1]], float) @ U.T, 0)
    lp = linprog(np.ones(8), A_eq=np.hstack([A, -A]), b_eq=[1, 1], bounds=[(0, None)] * 8,
                 method="highs")
    assert lp.status == 0
    assert res.objective == pytest.approx(lp.fun, rel=1e-12)          # HiGHS tolerance
    assert res.objective == pytest.approx(1.21676051329096, rel=1e-12)
    assert res.objective_exact is None and res.l1_norm_exact is None  # never rational
    lo, hi = res.objective_enclosure
    exact_value = sp.sqrt(2) / 3 + sp.sqrt(5) / 3              # z = (√2/3, √5/3) by hand
    assert sp.Rational(lo.numerator, lo.denominator) <= exact_value
    assert exact_value <= sp.Rational(hi.numerator, hi.denominator)
    assert res.lasso_status in ("enclosed", "undecided")
    # a dense sampled dictionary reaches √5/3 ≈ 0.745 < 1.2168: not optimal, a violation
    assert res.certificate.status == "upper-bound"
    viol = res.to_json()["certificate"]["violation"]
    # λ violates rigorously; min-norm duals need not be unique, so the witness is kept
    # only because re-solving the LP with it lowers the value (floating point)
    assert viol is not None and viol["evidence"] == "float"
    assert "lowers the ℓ1 norm" in res.certificate.message
    # the reported network interpolates y (float weights: tolerance 1e-12)
    f = res.net.forward(np.array([[1.0, 1.0], [2.0, -1.0]]))
    assert np.allclose(f, [1.0, 1.0], rtol=0, atol=1e-12)


def test_min_norm_l2_axis_norms_stay_exact():
    # atoms with rational norms (ℓ2 columns rational): the exact LP still applies
    X = _arr([[1], [2], [3]])
    y = np.array([F(0), F(1), F(3)], dtype=object)
    res = fit(X, y, model="relu", reg="l2", bias=True, min_norm=True, exact=True, certify=True)
    assert res.objective_exact is not None and res.lasso_status == "exact"
    assert list(res.net.forward(X)) == list(y)


# --------------------------------------------------- an optimum with no neurons

@pytest.mark.parametrize("bias", [False, True])
def test_optimum_with_no_neurons(bias):
    X = _arr([[1], [2]])
    y = np.array([F(1, 10), F(-1, 10)], dtype=object)
    res = fit(X, y, bias=bias, beta=F(2), exact=True, certify=True)
    assert res.nnz == 0 and res.l1_norm_exact == 0
    xi = F(0)                                      # mean(y) = 0 either way
    assert res.intercept_exact == xi
    assert res.objective_exact == sum((v - xi) ** 2 for v in y) / 2 == F(1, 100)
    assert res.certificate.status == "certified-optimal"
    assert list(res.net.forward(X)) == [xi, xi]


def test_constant_target_is_intercept_only():
    X = _arr([[0, 1], [1, 0], [2, 2]])
    y = np.array([F(3)] * 3, dtype=object)
    res = fit(X, y, reg="l1", bias=True, beta=F(1, 10), exact=True, certify=True)
    assert res.nnz == 0 and res.objective_exact == 0 and res.intercept_exact == 3
    assert res.certificate.status == "certified-optimal"


# ------------------------------------------- reported network = reported objective

def test_check_reported_catches_a_tampered_network():
    X = _arr([[1, 0], [0, 1]])
    y = np.array([F(1), F(1)], dtype=object)
    res = fit(X, y, reg="l1", bias=False, beta=F(1, 10), exact=True, certify=True)
    assert res.objective_exact == F(19, 100) and res.reconstruction_exact is True
    check_reported(res, X, y)                              # consistent: no error
    res.objective_exact = F(18, 100)
    with pytest.raises(InconsistentResult, match="19/100"):
        check_reported(res, X, y)


def test_check_reported_catches_an_enclosure_mismatch():
    X = _arr([[1, 0], [0, 1], [1, 1]])
    y = np.array([F(1), F(1), F(0)], dtype=object)
    res = fit(X, y, reg="l2", bias=True, beta=F(1, 10), exact=True, certify=True,
              family_options={"route": "dictionary"})      # the T dictionary route
    assert res.objective_enclosure is not None
    check_reported(res, X, y)
    lo, hi = res.objective_enclosure
    res.objective_enclosure = (lo + 1, hi + 1)
    with pytest.raises(InconsistentResult, match="outside"):
        check_reported(res, X, y)


def test_tiny_beta_network_matches_enclosure():
    X = _arr([[1, 0], [0, 1], [1, 1]])
    y = np.array([F(1), F(1), F(0)], dtype=object)
    res = fit(X, y, reg="l2", bias=True, beta=F(1, 10 ** 300), exact=True, certify=True,
              family_options={"route": "dictionary"})      # the T dictionary route
    lo, hi = res.objective_enclosure
    # the reported float network, evaluated independently, lies in the enclosure
    W, b = res.net.layers[0]
    f = np.maximum(np.array([[1., 0], [0, 1], [1, 1]]) @ np.asarray(W, float).T
                   + np.asarray(b, float), 0) @ np.asarray(res.net.alpha, float) + res.intercept
    assert abs(0.5 * float(((f - [1, 1, 0]) ** 2).sum()) - float(hi)) <= 1e-9 * (1 + float(hi))


# ------------------------------------------------------------- status words

def test_status_words_in_json():
    X = _arr([[1, 0], [0, 1]])
    y = np.array([F(1), F(1)], dtype=object)
    js = fit(X, y, reg="l2", bias=False, beta=F(1, 10), exact=True).to_json()
    assert js["certificate"]["status"] == "upper-bound"        # not requested
    assert js["certificate"]["violation"] is None
    js = fit(X, y, reg="l1", bias=False, beta=F(1, 10), exact=True, certify=True).to_json()
    assert js["certificate"]["status"] == "certified-optimal"
    assert js["certificate"]["violation"] is None
