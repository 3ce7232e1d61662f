"""Basic solutions without an LP (exactgeo.lasso.basic): ``purify`` keeps the fit and the
signs, never raises ℓ1 and ends on independent columns; ``polish`` solves the
equicorrelation equations of its support and improves a rough start to the optimum. Every property is checked here with numpy's SVD and a plain residual, not with the
module's own QR and tableau.

Float tolerances: fits and ℓ1 are compared to 1e-9 relative (the pivots' rounding on
well-scaled 6–40 column problems is ~1e-13); ranks use the SVD with 1e-9 relative.
"""
import numpy as np
from hypothesis import given, settings, strategies as st

from exactgeo.lasso import solve_lasso
from exactgeo.lasso.basic import polish, purify


def _rank(M):
    sv = np.linalg.svd(M, compute_uv=False)
    return int(np.sum(sv > 1e-9 * sv[0])) if sv.size and sv[0] > 0 else 0


def _degenerate(rng, n, p):
    """Columns with exact repeats and combinations, so supports are dependent."""
    base = rng.standard_normal((n, max(p // 3, 1)))
    mix = rng.integers(-2, 3, (base.shape[1], p)).astype(float)
    A = base @ mix
    A[:, rng.integers(0, p, p // 4)] = A[:, :p // 4] if p >= 4 else A[:, :1]
    return A


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6), st.integers(3, 10), st.integers(6, 40), st.booleans())
def test_purify_keeps_fit_signs_and_l1_and_ends_independent(seed, n, p, intercept):
    rng = np.random.default_rng(seed)
    A = _degenerate(rng, n, p)
    z = rng.standard_normal(p) * (rng.random(p) < 0.7)
    out = purify(A, z, intercept=intercept)
    fit, fit0 = A @ out, A @ z
    if intercept:
        fit, fit0 = fit - fit.mean(), fit0 - fit0.mean()
    scale = np.abs(A).sum() * np.abs(z).sum() + 1e-300
    assert np.linalg.norm(fit - fit0) <= 1e-9 * scale
    S = np.flatnonzero(out)
    assert np.all(np.sign(out[S]) == np.sign(z[S]))          # signs kept, never created
    assert np.abs(out).sum() <= np.abs(z).sum() * (1 + 1e-9)
    M = A[:, S] - A[:, S].mean(axis=0) if intercept else A[:, S]
    assert _rank(M) == S.size                                   # independent support


def test_purify_of_an_independent_support_is_the_identity():
    A = np.eye(3)
    z = np.array([1.0, -2.0, 0.0])
    assert purify(A, z, intercept=False).tolist() == z.tolist()


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6))
def test_polish_improves_a_rough_start_to_the_optimum_on_its_equations(seed):
    rng = np.random.default_rng(seed)
    n, p, beta = 12, 60, 0.05
    A = rng.standard_normal((n, p))
    y = rng.standard_normal(n)

    def objective(z):
        return 0.5 * float(np.sum((y - A @ z) ** 2)) + beta * float(np.abs(z).sum())

    z0 = solve_lasso(A, y, beta, intercept=False, tol=1e-6).z     # a rough start
    best = solve_lasso(A, y, beta, intercept=False, tol=1e-13).objective
    z = polish(A, y, beta, z0)
    S = np.flatnonzero(z)
    c = A.T @ (y - A @ z)
    # a new point solves the equicorrelation equations A_Sᵀr = β·sign(z_S) of its support
    # (rounding of a 12 × |S| QR solve: 1e-9 relative; a support of n columns is left
    # alone), and it is no worse than the start and within 1e-9 of the optimum (a tight
    # interior-point solve)
    if not np.array_equal(z, z0):
        assert np.allclose(c[S], beta * np.sign(z[S]), rtol=1e-9, atol=0)
    assert objective(z) <= objective(z0) * (1 + 1e-12)
    assert objective(z) <= best * (1 + 1e-9)
