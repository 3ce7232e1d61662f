"""Degenerate optima of the cells route (THEORY §2.7–2.8): the fit and residual are unique
but the weights are not. Two kinds, each certified by exact identities of the residual
(:class:`exactgeo.cells.certificate._Identities`) and re-checked by routes that share
nothing with the certifier: a numpy forward pass of the reported JSON weights, and a dense
sampled pricing of its residual (:mod:`_cells_checks`)."""
import pathlib
import sys

import numpy as np
import pytest

from exactgeo import fit

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from _cells_checks import forward_objective, sampled_sup  # noqa: E402


def _instance(k):
    """Instance k of ``benchmarks/weight_decay.py --part random`` (seed 0)."""
    rng = np.random.default_rng(0)
    for j in range(k + 1):
        n = int(rng.integers(5, 31))
        X = rng.standard_normal((n, 2)).round(4)
        y = rng.standard_normal(n).round(4)
        beta = float(rng.uniform(0.05, 1.0))
    return X, y, ("relu", "abs")[k % 2], bool((k // 2) % 2), beta


def _recheck(res, X, y, beta, model, bias):
    assert res.certificate.status == "certified-optimal", res.certificate.message
    obj, r = forward_objective(res, X, y, beta)
    lo, hi = (float(v) for v in res.objective_enclosure)
    # the JSON weights are float64 roundings of the enclosed ones: 1e-12 relative
    assert lo - 1e-12 * (1 + hi) <= obj <= hi + 1e-12 * (1 + hi)
    # dense sampled pricing (3000 angles × every anchor + 41 offsets) of the reported
    # residual never exceeds the true supremum β; 1e-8 covers the float64 weights
    assert sampled_sup(X, r, model, bias, angles=3000) <= beta * (1 + 1e-8)
    return r


@pytest.mark.parametrize("k", [6, 11])      # relu and abs, with bias
def test_linear_cells(k):
    # ‖Xᵀr‖ = β: hyperplanes outside the data from several anchors (relu: pairs ±u)
    # give one fit up to the intercept; an interior active neuron in a linear cell
    # proves every such cell's ‖g‖ = β exactly
    X, y, model, bias, beta = _instance(k)
    res = fit(X, y, model=model, reg="l2", bias=bias, beta=beta, certify=True)
    r = _recheck(res, X, y, beta, model, bias)
    assert res.to_json()["certificate"]["cell_checks"]["by_identity"] > 0
    # the degeneracy is real (float, 1e-6: the reported residual's accuracy ≫ 1e-12)
    assert abs(np.linalg.norm(X.T @ r) - beta) <= 1e-6 * beta


def test_flat_offset_merged_pair():
    # two parallel interior neurons through samples 6 and 9: c ↦ rᵀrelu(Xû + c) is flat
    # between them (r_9 + r_15 = 0); merged into one unanchored neuron (w, b)
    X, y, model, bias, beta = _instance(22)
    res = fit(X, y, model=model, reg="l2", bias=bias, beta=beta, certify=True)
    r = _recheck(res, X, y, beta, model, bias)
    js = res.to_json()
    assert js["certificate"]["cell_checks"]["by_identity"] > 0
    free = [nj for nj in js["neurons"] if nj["atom"]["anchor"] is None]
    assert len(free) == 1 and free[0]["atom"]["spanning_rows"] == []
    # its plane meets no sample (strictly inside the flat interval), and the flat slope
    # holds on the reported residual: Σ_{i ∈ S} r_i = 0 for its active set S
    w = np.asarray(free[0]["layers"][0]["w"], dtype=float)
    b = float(free[0]["layers"][0]["b"])
    t = X @ w + b
    assert np.abs(t).min() > 1e-6
    assert abs(r[t > 0].sum()) <= 1e-6
