"""Pencil-sweep correlations (exactgeo.families.sweep) against the candidate-by-candidate
streamed kernel (a second route that shares no code with the sweep): the same four sums
per candidate, for relu and abs families, with and without bias, d = 1, 2, 3, on data
with repeated and collinear points (degenerate pencils) and on random integer data.

Float tolerance: 1e-9·(1 + Σ_i |r_i|·|z_i|) per candidate — both are float evidence with
errors of order n·u·Σ|r_i z_i| (prefix sums against direct sums), n ≤ 60 here.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from exactgeo.families import get_family
from exactgeo.families.streamed import rank_blocks, streamed_correlations
from exactgeo.families.sweep import sweep_correlations
from exactgeo.sources import ImplicitSource


def _compare(src, r):
    P = src.P
    for _, C in rank_blocks(src.N, src.k, 0, src.candidates, 5000):
        B = src.family.subset_block(src.X, C, prep=src._prep)
        W = np.ascontiguousarray(B.W)
        fast = sweep_correlations(P, W, C, r, True)
        slow = streamed_correlations(P, W, r, True)
        scale = 1 + np.abs(P @ W.T).T @ np.abs(r)
        for f, s in zip(fast, slow):
            assert np.all(np.abs(f - s)[~B.deg] <= 1e-9 * scale[~B.deg])


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from([(1, True), (2, True), (2, False), (3, True)]),
       st.sampled_from(["relu", "abs"]), st.booleans())
def test_sweep_equals_direct_sums(seed, shape, act, degenerate):
    d, bias = shape
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 25 if d == 3 else 60))
    X = rng.integers(-4, 5, (n, d)).astype(float)
    if degenerate:                       # repeats and points on a common line
        X[: n // 3] = X[0]
        X[n // 3: n // 2] = np.outer(np.arange(n // 2 - n // 3), np.ones(d))
    src = ImplicitSource(get_family(act, reg="l1", bias=bias), X)
    _compare(src, rng.standard_normal(n))


def test_implicit_pricing_matches_a_dense_dictionary():
    """The whole priced answer (sup, top columns) from the sweep equals a dense scan of
    the explicit float columns (ImplicitSource.columns of every index)."""
    rng = np.random.default_rng(5)
    X = rng.standard_normal((40, 2)).round(3)
    src = ImplicitSource(get_family("relu", reg="l1", bias=True), X)
    r = rng.standard_normal(40)
    r -= r.mean()
    dense = src.columns(np.arange(src.size)).T @ r
    pr = src.price(r, k=20)
    assert pr.sup == pytest.approx(np.abs(dense).max(), rel=1e-12)
    assert np.allclose(pr.values, dense[pr.idx], rtol=0, atol=1e-10)
    assert np.all(np.abs(pr.values) >= np.sort(np.abs(dense))[-20] - 1e-10)
