"""The exact deep abs chain oracle in d-D by cells (exactgeo/cells/deep.py, THEORY §3.7).

Second routes, sharing nothing with the oracle: a dense float grid over θ = (u, c_1, c_2)
with a plain numpy forward pass (it never exceeds the exact value and comes within the
grid's Lipschitz tolerance of it), the 1-D vertex oracle (d = 1: equal exactly), the
exact forward pass of every reported maximiser, and, for d = 2, the generic d-D route
(cone projection / extreme rays) against the 2-D sector route (equal exactly).
"""
from fractions import Fraction as F

import numpy as np
import pytest

from exactgeo.cells import deep
from exactgeo.cells.deep import check_atom, estimate_cells, price_deep_abs
from exactgeo.families.registry import get_family
from exactgeo.families.vertices_1d import price_vertices


def _instance(seed, n, d, num=6, den=3, zero_sum=True):
    rng = np.random.default_rng(seed)
    X = [[F(int(v), den) for v in row] for row in rng.integers(-num, num + 1, size=(n, d))]
    r = [F(int(v), 5) for v in rng.integers(-9, 10, size=n)]
    if zero_sum:
        r[-1] -= sum(r)
    return X, r


def _grid_sup(X, r, depth, bias, reg, n_u=1440, n_c=97):
    """max over a grid of θ of |rᵀφ(X; θ)| in float64 (2-D data), and the Lipschitz
    tolerance of the grid: every chain is 1-Lipschitz in uᵀx and in each threshold, the
    grid is within Δangle of every unit u (ℓ1: the map w ↦ w/‖w‖₁ on the circle is
    (1 + √2)-Lipschitz, so 3·max‖x‖₂·Δangle) and within Δc/2 of every threshold, so
    tol = ‖r‖₁·(3·max‖x‖₂·Δangle + Σ_thresholds Δc/2)."""
    Xf = np.array(X, dtype=np.float64)
    rf = np.array([float(v) for v in r])
    ang = np.linspace(0, 2 * np.pi, n_u, endpoint=False)
    U = np.stack([np.cos(ang), np.sin(ang)], axis=1)
    if reg == "l1":
        U = U / np.abs(U).sum(axis=1, keepdims=True)
    B = float(np.abs(Xf).sum(axis=1).max())            # |uᵀx| ≤ ‖x‖₁ ≤ B (‖u‖_∞ ≤ 1)
    c1 = np.linspace(-B, B, n_c) if bias else np.zeros(1)
    c2 = np.linspace(0, 2 * B, n_c)
    c3 = np.linspace(0, 2 * B, n_c) if depth == 4 else np.zeros(1)
    best = 0.0
    for u in U:
        t = Xf @ u                                                     # (n,)
        h = np.abs(t[None, None, None, :] + c1[:, None, None, None])
        h = np.abs(h - c2[None, :, None, None])
        if depth == 4:
            h = np.abs(h - c3[None, None, :, None])
        best = max(best, float(np.abs(h @ rf).max()))
    du = 2 * np.pi / n_u
    dc = 2 * B / (n_c - 1)
    tol = float(np.abs(rf).sum()) * (3 * float(np.linalg.norm(Xf, axis=1).max()) * du
                                     + (dc / 2) * (1 + 1 + (depth == 4)))
    return best, tol


def _value(P, reg):
    return float(P.sup_exact) if reg == "l1" else float(np.sqrt(float(P.sup_sq_exact)))


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("reg", ["l1", "l2"])
def test_2d_depth3_against_dense_grid(bias, reg):
    for seed in (0, 1):
        X, r = _instance(seed, 6, 2)
        P = price_deep_abs(X, r, 3, bias, reg)
        assert P.kind == "exact" and check_atom(X, r, P)
        assert bias or P.atom.c == 0
        exact = _value(P, reg)
        sampled, tol = _grid_sup(X, r, 3, bias, reg)
        # float grid: rounding ≤ 1e-12 relative (n = 6 terms of size ≤ 20)
        assert sampled <= exact * (1 + 1e-12) + 1e-12
        assert sampled >= exact - tol
        assert exact - sampled <= 0.05 * exact         # observed gaps are far below tol


def test_2d_depth4_against_dense_grid():
    X, r = _instance(3, 4, 2, num=4, den=2)
    for reg in ("l1", "l2"):
        P = price_deep_abs(X, r, 4, True, reg)
        assert check_atom(X, r, P)
        exact = _value(P, reg)
        sampled, tol = _grid_sup(X, r, 4, True, reg, n_u=360, n_c=33)
        assert sampled <= exact * (1 + 1e-12) + 1e-12
        assert sampled >= exact - tol


@pytest.mark.parametrize("depth", [3, 4])
def test_1d_equals_vertex_oracle(depth):
    fam = get_family("abs", depth, "l1", True)
    for seed in range(4):
        X, r = _instance(10 + seed, 6, 1, num=12, den=4)
        want = price_vertices(fam, X, r).sup_exact
        for reg in ("l1", "l2"):
            P = price_deep_abs(X, r, depth, True, reg)
            assert P.sup_exact == want and P.sup_sq_exact == want * want
            assert check_atom(X, r, P)


@pytest.mark.parametrize("bias", [True, False])
def test_2d_sector_route_equals_generic_route(bias):
    for seed in range(3):
        X, r = _instance(20 + seed, 6, 2)
        S = deep._structure(np.array(X, dtype=object), 3, bias, 10 ** 6, False)
        re = np.array(r, dtype=object)
        for reg in ("l1", "l2"):
            a = deep._pricing(S, deep._search_2d(S, re, reg), reg, re)
            b = deep._pricing(S, deep._search_generic(S, re, reg), reg, re)
            assert a.sup_sq_exact == b.sup_sq_exact
            assert check_atom(X, r, a) and check_atom(X, r, b)


def test_3d_small_against_sampling():
    X, r = _instance(5, 4, 3, num=3, den=1)
    rng = np.random.default_rng(0)
    Xf, rf = np.array(X, dtype=np.float64), np.array([float(v) for v in r])
    U = rng.standard_normal((3000, 3))
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    P = price_deep_abs(X, r, 3, True, "l2")
    assert check_atom(X, r, P)
    exact = _value(P, "l2")
    best = 0.0
    for u in U:                       # thresholds at every sample-derived value (float)
        t = Xf @ u
        c1 = np.concatenate([-t, -(t[:, None] + t[None, :]).ravel() / 2])
        c2 = np.abs(np.concatenate([t[:, None] - t[None, :], (t[:, None] - t[None, :]) / 2],
                                   axis=None))
        h = np.abs(np.abs(t[None, None, :] + c1[:, None, None]) - c2[None, :, None])
        best = max(best, float(np.abs(h @ rf).max()))
    assert best <= exact * (1 + 1e-12)
    assert best >= 0.9 * exact


def test_maximiser_kinds_and_exact_atoms():
    X, r = _instance(0, 6, 2)
    kinds = set()
    for seed in range(6):
        X, r = _instance(seed, 6, 2)
        for reg in ("l1", "l2"):
            P = price_deep_abs(X, r, 3, True, reg)
            a = P.atom
            assert a.exact and all(isinstance(t, F) and t >= 0 for t in a.thresholds)
            if reg == "l1":
                assert sum(abs(v) for v in a.u) == 1 and a.norm_sq is None
            else:
                assert a.norm_sq == sum(v * v for v in a.u)
            kinds.add((reg, a.kind))
    assert {k for reg, k in kinds if reg == "l2"} <= {"interior", "face", "ray"}
    assert ("l2", "interior") in kinds or ("l2", "ray") in kinds


def test_refuses_above_max_cells_with_count_and_alternative():
    X, r = _instance(0, 6, 2)
    with pytest.raises(ValueError, match=r"up to \d+.*max_cells=50.*sampl"):
        price_deep_abs(X, r, 3, True, "l2", max_cells=50)
    with pytest.raises(ValueError, match=r"estimated.*max_cells=10.*sampl"):
        price_deep_abs(X, r, 3, True, "l2", max_cells=10)
    assert estimate_cells(6, 2, 3, True) >= len(deep._structure(
        np.array(X, dtype=object), 3, True, 10 ** 6, False))


def test_bad_input_and_the_constant_direction():
    X, r = _instance(0, 5, 2, zero_sum=False)
    assert sum(r) != 0
    with pytest.raises(ValueError, match="1ᵀr = 0"):
        price_deep_abs(X, r, 3, True, "l1")
    P = price_deep_abs(X, r, 3, False, "l1")            # c_2 → ∞: c_2 − |uᵀx|
    assert P.sup == float("inf") and P.atom is None and P.exceeds(F(10 ** 9))
    with pytest.raises(ValueError, match="depth"):
        price_deep_abs(X, r, 5, True, "l1")
    with pytest.raises(ValueError, match="reg"):
        price_deep_abs(X, r, 3, True, "l3")
    with pytest.raises(ValueError, match="r: expected shape"):
        price_deep_abs(X, r[:-1], 3, True, "l1")
    with pytest.raises(ValueError, match="max_cells"):
        price_deep_abs(X, r, 3, True, "l1", max_cells=0)
    Z = price_deep_abs(X, [0] * 5, 3, True, "l2")
    assert Z.sup_exact == 0 and Z.atom is None


@pytest.mark.parametrize("reg", ["l1", "l2"])
def test_ball_residual_encloses_every_residual_in_the_box(reg):
    flint = pytest.importorskip("flint")
    from exactgeo.cells.deep import price_deep_abs_ball
    X, r = _instance(7, 5, 2)
    rad = F(1, 1000)
    balls = [flint.arb(flint.fmpq(v.numerator, v.denominator), float(rad)) for v in r]
    B = price_deep_abs_ball(X, balls, 3, True, reg)
    rng = np.random.default_rng(0)
    for _ in range(3):            # rational residuals inside the box with 1ᵀr = 0
        e = [F(int(v), 1000 * 100) for v in rng.integers(-20, 21, size=5)]
        e[-1] = -sum(e[:-1])                   # |e_i| ≤ 80/10⁵ < rad
        P = price_deep_abs(X, [a + b for a, b in zip(r, e)], 3, True, reg)
        s = flint.arb(flint.fmpq(P.sup_sq_exact.numerator, P.sup_sq_exact.denominator)).sqrt()
        assert B.value.contains(s)
    v = B.pricing.sup
    assert B.compare(F(int(v * 0.9 * 1000), 1000)) == 1
    assert B.compare(F(int(v * 1.1 * 1000) + 1, 1000)) == -1
    tie = B.pricing.sup_exact if reg == "l1" else None
    if tie is not None:
        assert B.compare(tie) is None            # within the enclosure: undecided


def test_refuses_memory_before_allocating_and_reports_progress(capsys):
    X, r = _instance(30, 5, 2)
    with pytest.raises(MemoryError, match=r"bytes.*max_bytes=1000.*sampl"):
        price_deep_abs(X, r, 3, True, "l1", max_bytes=1000)
    deep._CACHE.clear()
    P = price_deep_abs(X, r, 3, True, "l1", progress=True)
    assert check_atom(X, r, P)


@pytest.mark.parametrize("X, r", [
    ([[0, 0], [1, 1], [2, 2], [1, 1], [3, 3]], [1, -2, 3, -1, -1]),    # collinear, repeat
    ([[0, 0], [0, 0], [1, 0], [0, 1], [1, 1]], [1, 1, -3, 2, -1]),     # repeated origin
])
def test_degenerate_data(X, r):
    X = [[F(v) for v in row] for row in X]
    r = [F(v) for v in r]
    for bias in (True, False):
        S = deep._structure(np.array(X, dtype=object), 3, bias, 10 ** 6, False)
        for reg in ("l1", "l2"):
            P = price_deep_abs(X, r, 3, bias, reg)
            assert check_atom(X, r, P)
            generic = deep._pricing(S, deep._search_generic(S, np.array(r, dtype=object),
                                                            reg), reg, r)
            assert generic.sup_sq_exact == P.sup_sq_exact
            sampled, tol = _grid_sup(X, r, 3, bias, reg, n_u=360, n_c=41)
            assert _value(P, reg) - tol <= sampled <= _value(P, reg) * (1 + 1e-12)
