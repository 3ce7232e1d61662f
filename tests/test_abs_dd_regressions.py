"""Regressions of the d-D deep abs chain families (THEORY §3.5, §3.7, §5 step 8).

* ℓ2 column generation with certify: the ball KKT step certifies an enclosure of the
  objective at *its* KKT point; the network used to be built from the float solver's z
  (5e-8 worse here), so ``fit`` raised InconsistentResult. The reported network must now
  evaluate inside the reported enclosure — re-checked by a plain numpy forward pass of the
  JSON weights (tolerance 1e-9 relative: k/4 data, |x| ≤ 2, float64 evaluation of the
  objective is accurate to ~1e-13).
* the family hands the exact X to the exact cells oracle also when r is float.
"""
from __future__ import annotations

from fractions import Fraction as F

import numpy as np

import exactgeo
import exactgeo.cells.deep as deep
from exactgeo.families import AbsChainsDD


def quarter_data(n, seed=5):
    rng = np.random.default_rng(seed)
    X = np.array([[F(int(v), 4) for v in row] for row in rng.integers(-8, 9, (n, 2))])
    y = np.array([F(int(v), 4) for v in rng.integers(-8, 9, n)])
    return X, y


def json_objective(js, X, y, beta, L):
    """½‖f − y‖² + β·(1/L)Σ(|α|^L + ‖w_1‖₂^L + Σ|w_l|^L) from the JSON weights alone."""
    Xf, yf = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    f = np.full(len(Xf), float(js["intercept"]))
    pen = 0.0
    for nj in js["neurons"]:
        w1 = np.array(nj["layers"][0]["w"])
        h = np.abs(Xf @ w1 + nj["layers"][0]["b"])
        pen += np.linalg.norm(w1) ** L + abs(nj["alpha"]) ** L
        for layer in nj["layers"][1:]:
            h = np.abs(layer["w"] * h + layer["b"])
            pen += abs(layer["w"]) ** L
        f += nj["alpha"] * h
    return 0.5 * float(((f - yf) ** 2).sum()) + float(beta) * pen / L


def test_l2_colgen_network_is_the_enclosed_kkt_point():
    X, y = quarter_data(12)
    beta = F(1, 10)
    res = exactgeo.fit(X, y, model="abs", depth=3, reg="l2", bias=True, beta=beta,
                       certify=True, colgen=True)
    assert res.lasso_status == "enclosed"
    lo, hi = (float(v) for v in res.objective_enclosure)
    assert hi - lo < 1e-8 * (1 + abs(hi))
    got = json_objective(res.to_json(), X, y, beta, 3)
    assert lo - 1e-9 * (1 + abs(hi)) <= got <= hi + 1e-9 * (1 + abs(hi))


def test_cells_oracle_receives_exact_X_with_float_r(monkeypatch):
    X, _ = quarter_data(6)
    seen = {}
    real = deep.price_deep_abs

    def spy(Xo, r, *a, **k):
        seen["X"] = Xo
        return real(Xo, r, *a, **k)

    monkeypatch.setattr(deep, "price_deep_abs", spy)
    fam = AbsChainsDD(3, "l2", bias=True)
    r = np.array([0.5, -0.25, 0.125, -0.375, 0.25, -0.25])
    pr = fam.price(X, r)
    assert fam.last_oracle["oracle"] == "cells"
    assert np.asarray(seen["X"]).dtype == object
    assert all(isinstance(v, F) for v in np.ravel(seen["X"]))
    assert np.asarray(seen["X"]).tolist() == X.tolist()
    assert pr.sup > 0
