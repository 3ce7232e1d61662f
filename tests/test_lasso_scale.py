"""Scale invariance of the float Lasso solver (exactgeo.lasso.solve_lasso).

Substituting A = A'·s, y = y'·t, z = z'·t/s, ξ = ξ'·t into ½‖Az + ξ𝟙 − y‖² + β‖z‖₁ gives
t²·(½‖A'z' + ξ'𝟙 − y'‖² + β/(s·t)·‖z'‖₁). So the Lasso of (A·s, y·t, β·s·t) has the
solutions (z·t/s, ξ·t), the residual r·t, the dual point λ·t and the objective ·t², and
its relative duality gap is scale free. Every inner solver is checked against its own
s = t = 1 solution, and every solution is checked for optimality independently, by the
KKT conditions evaluated here with numpy.
"""
import math

import numpy as np
import pytest

import exactgeo
from exactgeo.families import get_family
from exactgeo.lasso import beta_max, duality_gap, lasso_path, solve_lasso

SCALES = (1e-20, 1e-5, 1.0, 1e5, 1e20)
METHODS = ("ipm", "cd", "active-set")
TOL = 1e-12             # the solvers' relative-gap stopping tolerance used throughout
EPS = np.finfo(float).eps
PTS = [[0, 0], [3, 1], [-2, 4], [1, 1], [4, -3], [2, 2], [-1, -2]]
PTS_Y = [1, -2, 0, 3, 1, -1, 2]


def problem(kind, intercept):
    """"generic": Gaussian columns (in general position, so the solution z is unique),
    with an offset so that centring matters. "relu": the ReLU dictionary of 7 points,
    with duplicate and dependent columns (z is not unique; the fitted values are)."""
    rng = np.random.default_rng(7)
    if kind == "generic":
        A = rng.standard_normal((30, 80)) + 0.5
        y = A[:, :4] @ np.array([1.5, -2.0, 0.7, 1.0]) + 0.3 * rng.standard_normal(30) + 2.0
    else:
        A = get_family("relu", reg="l1", bias=True).dictionary(
            np.array(PTS, dtype=float)).float_matrix()
        y = np.array(PTS_Y, dtype=float)
    return A, y, 0.05 * beta_max(A, y, intercept)


def assert_kkt(A, y, beta, z, xi, intercept):
    """Optimality of (z, ξ) for ½‖Az + ξ𝟙 − y‖² + β‖z‖₁, from scratch: with r = y − Az − ξ𝟙,
    |A_kᵀr| ≤ β for all k, A_kᵀr = β·sign(z_k) on the support, and 𝟙ᵀr = 0 with an
    intercept. Tolerances: KKT_TOL = 1e-9 relative to β — the solvers finish on the
    sign-fixed KKT equations of their support, so these hold up to rounding amplified by
    the conditioning (measured ≤ 2e-13 on these problems at every scale), well inside
    1e-9; and |𝟙ᵀr| ≤ 2n·ε·(‖y‖₁ + ‖Az‖₁ + n|ξ|), the rounding of forming and summing r
    (ξ = mean(y − Az) is exact up to rounding)."""
    KKT_TOL = 1e-9
    r = y - A @ z - xi
    g = A.T @ r
    assert np.all(np.abs(g) <= beta * (1 + KKT_TOL)), np.abs(g).max() / beta - 1
    S = np.flatnonzero(z)
    assert np.all(np.abs(g[S] - beta * np.sign(z[S])) <= KKT_TOL * beta)
    if intercept:
        n = len(y)
        bound = 2 * n * EPS * (np.abs(y).sum() + np.abs(A @ z).sum() + n * abs(xi))
        assert abs(r.sum()) <= bound
    else:
        assert xi == 0.0


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("intercept", [True, False])
@pytest.mark.parametrize("kind", ["generic", "relu"])
def test_solution_scales(kind, intercept, method):
    A, y, beta = problem(kind, intercept)
    ref = solve_lasso(A, y, beta, intercept=intercept, method=method, tol=TOL)
    assert ref.converged and ref.rel_gap <= TOL
    assert_kkt(A, y, beta, ref.z, ref.xi, intercept)
    f_ref = A @ ref.z + ref.xi
    for s in SCALES:
        for t in SCALES:
            As, ys, bs = A * s, y * t, beta * s * t
            sol = solve_lasso(As, ys, bs, intercept=intercept, method=method, tol=TOL)
            where = (s, t)
            assert sol.converged and sol.rel_gap <= TOL, where
            assert sol.beta == bs
            # independent optimality check of the scaled problem, in its own units
            assert_kkt(As, ys, bs, sol.z, sol.xi, intercept)
            # objective·(1/t²) vs s = t = 1: both are within their relative gap (≤ TOL) of
            # the optimum; 1e-14 covers rounding the data A·s, y·t and the evaluation
            assert math.isclose(sol.objective / t ** 2, ref.objective,
                                rel_tol=2 * TOL + 1e-14), where
            # the fitted values are unique: ½‖f − f*‖² ≤ P(z) − P* ≤ gap for any (z, ξ)
            # (the loss is 1-strongly convex in f), so both lie within √(2·gap) of f*;
            # 1e-12·‖y‖ again covers rounding the data
            f = (As @ sol.z + sol.xi) / t
            bound = (math.sqrt(2 * max(sol.gap, 0.0)) / t + math.sqrt(2 * max(ref.gap, 0.0))
                     + 1e-12 * np.linalg.norm(y))
            assert np.linalg.norm(f - f_ref) <= bound, where
            # reported fields keep their meaning, in the caller's units
            assert np.allclose(sol.residual, ys - As @ sol.z - sol.xi, rtol=0,
                               atol=1e-12 * np.abs(ys).max())
            assert np.abs(As.T @ sol.lam).max() <= bs * (1 + 1e-12)
            assert sol.dual_objective <= sol.objective * (1 + 1e-13)   # weak duality
            assert math.isclose(sol.gap, sol.objective - sol.dual_objective,
                                rel_tol=1e-12, abs_tol=1e-14 * sol.objective)
            assert all(h[1] > 0 and math.isfinite(h[1]) for h in sol.history)
            if kind == "generic":
                # unique z (columns in general position): every solver finishes on the
                # KKT equations of the same support, so z·s/t agrees up to rounding times
                # the support's conditioning (measured ≤ 6e-15 relative); 1e-10 is margin
                assert np.array_equal(sol.z != 0, ref.z != 0), where
                scale = np.abs(ref.z).max()
                assert np.abs(sol.z * (s / t) - ref.z).max() <= 1e-10 * scale, where
                assert abs(sol.xi / t - ref.xi) <= 1e-10 * max(abs(ref.xi), np.abs(y).max())


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("kind", ["generic", "relu"])
def test_power_of_two_scales_are_bit_identical(kind, method):
    """solve_lasso normalises by powers of two, which is exact: for s, t powers of two
    (here far outside [1e-20, 1e20]) the results are the s = t = 1 ones scaled exactly."""
    A, y, beta = problem(kind, True)
    ref = solve_lasso(A, y, beta, method=method, tol=TOL)
    for es, et in [(-70, 30), (50, -90), (600, -500), (-900, 20)]:
        s, t = 2.0 ** es, 2.0 ** et
        sol = solve_lasso(A * s, y * t, beta * s * t, method=method, tol=TOL)
        assert np.array_equal(sol.z, np.ldexp(ref.z, et - es))
        assert sol.xi == ref.xi * t and sol.objective == ref.objective * t * t
        assert sol.dual_objective == ref.dual_objective * t * t
        assert sol.gap == ref.gap * t * t and sol.rel_gap == ref.rel_gap
        assert np.array_equal(sol.residual, ref.residual * t)
        assert np.array_equal(sol.lam, ref.lam * t)
        assert sol.n_epochs == ref.n_epochs and sol.converged == ref.converged


@pytest.mark.parametrize("method", METHODS)
def test_extreme_scales(method):
    """1e±150: the squared residual and objective of the raw data would be at the edge of
    the float range (≈ 1e−300); the normalised solve keeps rel_gap meaningful."""
    A, y, beta = problem("generic", True)
    ref = solve_lasso(A, y, beta, method=method, tol=TOL)
    for s, t in [(1e-150, 1.0), (1e150, 1.0), (1.0, 1e-150), (1e150, 1e-150)]:
        sol = solve_lasso(A * s, y * t, beta * s * t, method=method, tol=TOL)
        assert sol.converged and sol.rel_gap <= TOL, (s, t)
        assert math.isclose(sol.objective / t ** 2, ref.objective, rel_tol=2 * TOL + 1e-14)
        assert np.abs(sol.z * (s / t) - ref.z).max() <= 1e-10 * np.abs(ref.z).max()


def test_warm_start_is_in_caller_units():
    """z0 is given in the caller's units: warm-starting the scaled problem from its own
    (scaled) solution converges at once to the same point."""
    A, y, beta = problem("generic", True)
    s, t = 1e20, 1e-5
    sol = solve_lasso(A * s, y * t, beta * s * t, method="cd", tol=TOL)
    warm = solve_lasso(A * s, y * t, beta * s * t, method="cd", tol=TOL, z0=sol.z)
    assert warm.converged and warm.n_epochs == 0
    assert np.allclose(warm.z, sol.z, rtol=1e-12, atol=0)


def test_beta_max_duality_gap_and_path_scale():
    A, y, beta = problem("generic", True)
    b1 = beta_max(A, y)
    ref = solve_lasso(A, y, beta, method="cd", tol=TOL)
    p1, d1, g1, rg1 = duality_gap(A, y, beta, ref.z)
    path1 = lasso_path(A, y, [beta, 2 * beta, 4 * beta], method="cd", tol=TOL)
    for s in SCALES:
        for t in SCALES:
            # β_max(A·s, y·t) = β_max(A, y)·s·t (up to rounding the data and the product)
            assert math.isclose(beta_max(A * s, y * t), b1 * s * t, rel_tol=1e-13)
            p, d, g, rg = duality_gap(A * s, y * t, beta * s * t, ref.z * (t / s))
            assert math.isclose(p / t ** 2, p1, rel_tol=1e-13)
            assert math.isclose(d / t ** 2, d1, rel_tol=1e-13)
            assert abs(rg - rg1) <= 1e-13           # a gap of rounding size, scale free
            path = lasso_path(A * s, y * t, [beta * s * t * k for k in (1, 2, 4)],
                              method="cd", tol=TOL)
            for a, b in zip(path, path1):
                assert math.isclose(a.objective / t ** 2, b.objective, rel_tol=2 * TOL + 1e-14)


def test_brief_reproduction_float_fit_large_data():
    """fit(X·1e20, y, β = 0.1) in floats: XOR·1e20 with β = 0.1 is the XOR problem with
    β = 1e−21, objective ≈ 4e−21 (the unnormalised interior point returned 0.5)."""
    X = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=float)
    y = [0, 1, 1, 0]
    res = exactgeo.fit(X * 1e20, y, beta=0.1)
    ref = exactgeo.fit(X, y, beta=1e-21)
    assert 1e-21 < res.objective < 1e-20
    assert math.isclose(res.objective, ref.objective, rel_tol=1e-8)
