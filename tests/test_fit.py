"""exactgeo.fit: golden cases G3/G4 (THEORY §6), the JSON contract (DESIGN), validation."""
from fractions import Fraction as F

import numpy as np
import pytest

from exactgeo.fitting import fit

DESIGN_KEYS = {"objective", "objective_exact", "l1_norm", "l1_norm_exact", "intercept", "nnz",
               "certificate", "neurons", "seconds"}


def _col(v):
    return np.array([[F(t)] for t in v], dtype=object)


def _vec(v):
    return np.array([F(t) for t in v], dtype=object)


@pytest.mark.parametrize("x,y,want", [
    ((0, 4, 5, 7, 10, 11), (0, 0, 0, 2, 3, 3), 2),      # G3 "opt", L = 2
    ((0, 2, 6, 7), (0, 0, 3, 7), 4),                      # G4 "bounce", L = 2
])
def test_min_norm_golden(x, y, want):
    res = fit(_col(x), _vec(y), model="relu", reg="l1", bias=True, min_norm=True, certify=True)
    assert res.l1_norm_exact == want
    assert res.objective == want and res.objective_exact == want
    assert res.certificate.status == "certified-optimal"
    # the network interpolates exactly
    assert list(res.net.forward(_col(x))) == list(_vec(y))


def test_json_contract_keys():
    X = [[F(1), F(0)], [F(0), F(1)], [F(1), F(1)]]
    y = [F(1), F(1), F(0)]
    res = fit(X, y, model="relu", reg="l1", bias=True, beta=F(1, 10), certify=True)
    js = res.to_json()
    assert DESIGN_KEYS <= set(js)
    assert {"status", "sup", "beta", "samples"} <= set(js["certificate"])
    assert isinstance(js["objective"], float)
    assert F(js["objective_exact"]) == res.objective_exact
    assert len(js["neurons"]) == js["nnz"] == res.nnz
    for nj in js["neurons"]:
        assert {"coef", "coef_exact", "points", "layers"} <= set(nj)
        assert {"w", "b"} <= set(nj["layers"][0]) and len(nj["layers"][0]["w"]) == 2
        assert F(nj["coef_exact"]) != 0
        assert all(0 <= p < 3 for p in nj["points"])
    assert res.reconstruction_exact is True


def test_exact_flag_converts_float_data_exactly():
    X = np.array([[0.5, 0.0], [0.0, 0.25]])
    y = np.array([1.0, 0.5])
    res = fit(X, y, reg="l1", bias=False, beta="1/10", exact=True, certify=True)
    assert isinstance(res.objective_exact, F)
    flt = fit(X, y, reg="l1", bias=False, beta=0.1)
    assert abs(flt.objective - float(res.objective_exact)) < 1e-9   # solver gap 1e-9
    assert flt.objective_exact is None and flt.lasso_status == "float"


@pytest.mark.parametrize("kw,match", [
    (dict(beta=0), "beta"), (dict(beta=-1), "beta"), (dict(beta="x"), "beta"),
    (dict(beta=None), "beta"), (dict(beta=0.1, min_norm=True), "beta"),
    (dict(beta=0.1, model="tanh"), "model"), (dict(beta=0.1, reg="l3"), "reg"),
    (dict(beta=0.1, depth=5), r"depth: expected one of \[2, 3, 4\], got 5"),
    (dict(beta=0.1, depth=3), r"depth > 2 needs 1-D data"),
])
def test_validation(kw, match):
    with pytest.raises(ValueError, match=match):
        fit(np.eye(2), np.ones(2), **kw)


def test_shape_mismatch():
    with pytest.raises(ValueError, match="y"):
        fit(np.eye(2), np.ones(3), beta=0.1)


def test_too_large_dictionary_refused_or_column_generation():
    X = [[F(1), F(0)], [F(0), F(1)]]
    y = [F(1), F(1)]
    # too small even for one streamed block of the implicit route: refused with the minimum
    with pytest.raises(MemoryError, match="too small for one streamed block.*at least"):
        fit(X, y, bias=False, beta=F(1, 10), max_bytes=1)
    res = fit(X, y, bias=False, beta=F(1, 10), max_bytes=10_000, colgen=True, certify=True)
    assert res.colgen["converged"]
    assert res.objective_exact == F(19, 100)
    assert res.certificate.status == "certified-optimal"
