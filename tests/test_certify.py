"""Network certificates and column generation (THEORY §2.5, §5.7, golden cases §6 G1, G2)."""
import pathlib
import sys
from fractions import Fraction as F

import numpy as np
import pytest
import sympy as sp

from exactgeo.certify import STATUSES, column_generation, decide, network_certificate
from exactgeo.families import get_family
from exactgeo.fitting import fit

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))   # tests/ helpers
from _sympy_sectors import sympy_sup_sq  # noqa: E402

X_G1 = [[F(1), F(0)], [F(0), F(1)]]
Y_G1 = [F(1), F(1)]
P_G1_L2 = 2 ** 0.5 / 10 - 1 / 200          # √2/10 − 1/200


def test_decide_is_exact():
    b = F(1, 10)
    assert decide(b, b, kind="exact") == "certified-optimal"        # a tie is S ≤ β
    assert decide(b + F(1, 10 ** 30), b, kind="exact") == "upper-bound"
    assert decide(None, b, kind="exact", sup_sq=b * b) == "certified-optimal"
    assert decide(None, b, kind="exact", sup_sq=F(2, 100)) == "upper-bound"
    assert decide(F(1, 20), b, kind="sampled") == "sampled-no-violation"


@pytest.mark.parametrize("model", ["relu", "abs"])
def test_g1_l1_certified(model):
    res = fit(X_G1, Y_G1, model=model, reg="l1", bias=False, beta=F(1, 10), certify=True)
    assert res.objective_exact == F(19, 100)
    assert res.certificate.status == "certified-optimal"
    assert res.certificate.sup_exact == F(1, 10)                      # S = β (THEORY G1)


@pytest.mark.parametrize("model", ["relu", "abs"])
def test_g1_w2_fails_certificate(model):
    res = fit(X_G1, Y_G1, model=model, reg="l2", bias=False, beta=F(1, 10), certify=True,
              family_options={"route": "dictionary"})      # the W2 dictionary route
    if res.objective_exact is not None:
        assert res.objective_exact == F(19, 100)
    else:
        lo, hi = res.objective_enclosure
        assert F(lo) <= F(19, 100) <= F(hi)
    cert = res.certificate
    assert cert.status == "upper-bound"
    if cert.sup_sq_exact is not None:
        assert cert.sup_sq_exact == F(2, 100)                        # S = √2·β exactly
    # float display value; 1e-12 is rounding of √2/10
    assert abs(cert.sup - 2 ** 0.5 / 10) < 1e-12
    u, _ = cert.violating_atom.float_u_c()
    assert np.allclose(u, [2 ** -0.5, 2 ** -0.5], atol=1e-12)


@pytest.mark.parametrize("model", ["relu", "abs"])
def test_g1_colgen_l2_finds_the_diagonal_neuron(model):
    fam = get_family(model, depth=2, reg="l2", bias=False)
    cg = column_generation(fam, np.eye(2), np.ones(2), 0.1, intercept=False)
    assert cg.stop == "no-violation-float"     # evidence, not a certificate
    # tolerance: the Lasso is solved to a relative gap 1e-10, far below 1e-9
    assert abs(cg.objective - P_G1_L2) < 1e-9
    assert len(cg.added) >= 1
    u, _ = cg.added[0].float_u_c()
    assert np.allclose(np.abs(u), [2 ** -0.5, 2 ** -0.5], atol=1e-9)
    res = fit(np.eye(2), np.ones(2), model=model, reg="l2", bias=False, beta=0.1, colgen=True)
    assert abs(res.objective - P_G1_L2) < 1e-9 and res.colgen["stop"] == "no-violation-float"
    assert res.colgen["converged"] is False          # not certified (no --certify)
    # exact: the generated neuron (1,1)/√2 is rationalised, the KKT step is a ball enclosure,
    # and the tie S(r) = β is decided over algebraic numbers
    ex = fit(X_G1, Y_G1, model=model, reg="l2", bias=False, beta=F(1, 10), colgen=True,
             certify=True)
    lo, hi = ex.objective_enclosure
    assert F(lo) <= F(hi) and abs(float(lo) - P_G1_L2) < 1e-12
    assert ex.certificate.status == "certified-optimal"
    assert sp.simplify(ex.certificate.objective_algebraic - (sp.sqrt(2) / 10 - sp.Rational(1, 200))) == 0
    assert ex.to_json()["objective_algebraic"]


def test_g2_data_only_vs_axes():
    X, y = [[F(1), F(0)]], [F(1)]
    w1 = fit(X, y, reg="l1", bias=False, beta=F(1, 10), axes=False, certify=True)
    assert w1.objective_exact == F(1, 2) and w1.nnz == 0
    assert w1.certificate.status == "upper-bound"           # W1 misses e_1
    w1p = fit(X, y, reg="l1", bias=False, beta=F(1, 10), certify=True)
    assert w1p.objective_exact == F(19, 200)
    assert w1p.certificate.status == "certified-optimal"


def test_float_residual_is_never_certified():
    fam = get_family("relu", depth=2, reg="l1", bias=False)
    res = fit(np.eye(2), np.ones(2), reg="l1", bias=False, beta=0.1)
    r = np.ones(2) - res.net.forward(np.eye(2))
    cert = network_certificate(fam, np.eye(2), r, 0.1)
    assert cert.status in STATUSES and cert.status != "certified-optimal"
    assert cert.kind == "float"


def test_not_certified_lasso_caps_status():
    fam = get_family("relu", depth=2, reg="l1", bias=False)
    r = np.array([F(1, 10), F(1, 10)], dtype=object)
    cert = network_certificate(fam, np.array(X_G1, dtype=object), r, F(1, 10),
                               lasso_status="not-certified")
    assert cert.status == "upper-bound"


def test_sampled_oracle_reports_samples():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((6, 3))
    y = rng.standard_normal(6)
    res = fit(X, y, reg="l2", bias=False, beta=0.05, certify=True, samples=300, seed=1,
              family_options={"route": "dictionary"})      # the sampled oracle route
    cert = res.certificate
    assert cert.status in ("sampled-no-violation", "upper-bound")
    assert cert.kind in ("sampled", "float")
    if cert.status == "sampled-no-violation":
        assert cert.samples == 300


@pytest.mark.parametrize("model", ["relu", "abs"])
def test_algebraic_2d_oracle_matches_family_oracle(model):
    """The sympy sector walk (used for irrational residuals) agrees exactly with the
    family's rational ℓ2 oracle on rational residuals."""
    fam = get_family(model, depth=2, reg="l2", bias=False)
    rng = np.random.default_rng(11)
    for _ in range(6):
        X = np.array([[F(int(v), 3) for v in row] for row in rng.integers(-5, 6, (5, 2))],
                     dtype=object)
        lam = [F(int(v), 7) for v in rng.integers(-6, 7, 5)]
        S2, _ = sympy_sup_sq(X, [sp.Rational(v) for v in lam], model)
        pr = fam.price(X, np.array(lam, dtype=object))
        assert S2 == sp.Rational(pr.sup_sq_exact)
