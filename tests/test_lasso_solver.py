"""Float Lasso solver: agreement with an independent solver, degenerate dictionaries,
warm starts, the path, beta_max and input validation."""
import numpy as np
import pytest

from exactgeo.lasso import beta_max, duality_gap, lasso_path, solve_lasso


def reference(A, y, beta, intercept, sol):
    """The exact optimum: the float data read exactly as rationals and certified over ℚ
    (THEORY §5; independent of the float solver's arithmetic). cvxpy + Clarabel (about
    1e-8 relative accuracy) only where the exact certificate does not close."""
    from fractions import Fraction
    from exactgeo.lasso import certify_lasso
    from exactgeo.numbers import as_exact_array
    cert = certify_lasso(as_exact_array(A), as_exact_array(y), Fraction(beta), sol,
                         intercept=intercept)
    if cert.status == "exact":
        return float(cert.objective_exact), True
    cp = pytest.importorskip("cvxpy")
    z = cp.Variable(A.shape[1])
    xi = cp.Variable() if intercept else 0.0
    prob = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(A @ z + xi - y) + beta * cp.norm1(z)))
    prob.solve(solver="CLARABEL")
    return prob.value, False


def degenerate(rng, n, p):
    base = rng.standard_normal((n, p))
    return np.hstack([base, base[:, :3], -base[:, 3:5], np.ones((n, 2)), np.zeros((n, 1)),
                      1e-9 * base[:, :2], 1e4 * base[:, 5:7]])


@pytest.mark.parametrize("method", ["ipm", "cd", "active-set"])
@pytest.mark.parametrize("intercept", [True, False])
@pytest.mark.parametrize("case", ["random", "degenerate", "wide"])
def test_matches_reference(method, intercept, case):
    rng = np.random.default_rng({"random": 0, "degenerate": 1, "wide": 2}[case])
    if case == "random":
        A = rng.standard_normal((30, 60))
    elif case == "degenerate":
        A = degenerate(rng, 12, 20)
    else:
        A = np.abs(rng.standard_normal((8, 400)))
    y = rng.standard_normal(A.shape[0])
    beta = 0.05 * beta_max(A, y, intercept)
    sol = solve_lasso(A, y, beta, intercept=intercept, method=method)
    assert sol.converged and sol.rel_gap <= 1e-9
    # the objective is unique; the reference is exact (or Clarabel's, ~1e-7 relative)
    ref, exact = reference(A, y, beta, intercept, sol)
    if exact:  # the gap bounds the excess; 1e-12 allows the float evaluation's rounding
        assert ref * (1 - 1e-12) <= sol.objective <= ref * (1 + 1e-9) + 1e-12
    else:
        assert sol.objective <= ref + 1e-7 * max(1.0, abs(ref))
        assert sol.objective >= ref - 1e-6 * max(1.0, abs(ref))
    # reported quantities are consistent
    r = y - A @ sol.z - sol.xi
    assert np.allclose(r, sol.residual, atol=1e-12 * (1 + np.abs(y).max()))
    lam_ok = np.abs(A.T @ sol.lam).max() <= beta * (1 + 1e-12)
    assert lam_ok
    if intercept:
        assert abs(sol.lam.sum()) <= 1e-10 * (1 + np.abs(sol.lam).sum())
        # constant columns are never selected
        const = np.flatnonzero(np.ptp(A, axis=0) == 0)
        assert np.all(sol.z[const] == 0)
    else:
        assert sol.xi == 0.0


def test_zero_solution_above_beta_max():
    rng = np.random.default_rng(4)
    A = rng.standard_normal((10, 15))
    y = rng.standard_normal(10)
    bm = beta_max(A, y, True)
    sol = solve_lasso(A, y, bm * 1.0001)
    assert np.all(sol.z == 0)
    sol2 = solve_lasso(A, y, bm * 0.9)
    assert np.any(sol2.z != 0)


def test_warm_start_and_path():
    rng = np.random.default_rng(5)
    A = rng.standard_normal((20, 80))
    y = rng.standard_normal(20)
    cold = solve_lasso(A, y, 0.1, method="cd")
    warm = solve_lasso(A, y, 0.1, z0=cold.z, method="cd")
    assert warm.converged and warm.n_epochs <= cold.n_epochs
    # objective values agree to the gap tolerance (both certified by their duality gaps)
    assert abs(warm.objective - cold.objective) <= 2e-9 * cold.objective
    path = lasso_path(A, y, [0.05, 0.5, 0.1])
    assert [s.beta for s in path] == [0.5, 0.1, 0.05]
    assert all(s.converged for s in path)
    objs = [s.objective for s in path]
    assert objs[0] > objs[1] > objs[2]


def test_duality_gap_function():
    A = np.eye(2)
    p, d, g, rg = duality_gap(A, [1.0, 1.0], 0.1, [0.9, 0.9], intercept=False)
    assert abs(p - 0.19) < 1e-15 and abs(g) < 1e-15   # exact up to rounding
    p, d, g, rg = duality_gap(A, [1.0, 1.0], 0.1, [0.0, 0.0], intercept=False)
    assert g > 0.1


def test_validation():
    A = np.eye(3)
    with pytest.raises(ValueError, match="beta"):
        solve_lasso(A, np.ones(3), 0.0)
    with pytest.raises(ValueError, match="beta"):
        solve_lasso(A, np.ones(3), -1)
    with pytest.raises(ValueError, match="y"):
        solve_lasso(A, np.ones(2), 0.1)
    with pytest.raises(ValueError, match="A"):
        solve_lasso(np.array([[np.nan, 1.0]]), np.ones(1), 0.1)
    with pytest.raises(ValueError, match="y"):
        solve_lasso(A, np.array([1.0, np.nan, 0.0]), 0.1)
    with pytest.raises(ValueError, match="z0"):
        solve_lasso(A, np.ones(3), 0.1, z0=np.ones(2))
    with pytest.raises(ValueError, match="betas"):
        lasso_path(A, np.ones(3), [0.1, -1])
    with pytest.raises(ValueError, match="method"):
        solve_lasso(A, np.ones(3), 0.1, method="foo")
