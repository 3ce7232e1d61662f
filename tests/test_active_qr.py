"""The active-set solver on an updated QR (exactgeo.lasso.active_qr), checked by routes
that share none of its code, on dictionaries with exact repeats and integer combinations
of columns: the optimality conditions and a duality gap (dual point, value and gap
computed here) with plain matrix products; independence of the support with numpy's
SVD; warm starts through ``Carry`` against a cold solve; and scipy's HiGHS, which
confirms that no coefficient vector with the same fit has a smaller ℓ1 norm.

Float tolerances: |A_kᵀr| ≤ β(1 + 1e-8) and gaps ≤ 1e-8 relative (the solver stops at
1e-10 on the violation; a few hundred pivots on well-scaled data round at ~1e-13).
"""
import numpy as np
from hypothesis import given, settings, strategies as st

from exactgeo.lasso.active_qr import Carry, active_lasso


def _rank(M):
    sv = np.linalg.svd(M, compute_uv=False)
    return int(np.sum(sv > 1e-9 * sv[0])) if sv.size and sv[0] > 0 else 0


def _degenerate(rng, n, p):
    base = rng.standard_normal((n, max(p // 3, 1)))
    A = base @ rng.integers(-2, 3, (base.shape[1], p)).astype(float)
    A[:, rng.integers(0, p, p // 4)] = A[:, :p // 4] if p >= 4 else A[:, :1]
    return A


def _primal(A, y, z, beta):
    r = y - A @ z
    return 0.5 * float(r @ r) + beta * float(np.abs(z).sum())


def _dual_bound(A, y, r, beta):
    """A lower bound on the optimum from any residual: λ = r scaled into |Aᵀλ| ≤ β."""
    lam = r * min(1.0, beta / max(np.abs(A.T @ r).max(), 1e-300))
    return float(lam @ y) - 0.5 * float(lam @ lam)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6), st.integers(3, 25), st.integers(4, 80), st.floats(0.02, 0.6))
def test_active_lasso_is_optimal_basic_and_consistent(seed, n, p, frac):
    rng = np.random.default_rng(seed)
    A = _degenerate(rng, n, p) if seed % 2 else rng.standard_normal((n, p))
    y = rng.standard_normal(n)
    beta = frac * float(np.abs(A.T @ y).max()) + 1e-3
    z, r, steps = active_lasso(A, y, beta)
    assert np.allclose(r, y - A @ z, rtol=0, atol=1e-10 * (1 + np.abs(y).max()))
    assert np.abs(A.T @ r).max() <= beta * (1 + 1e-8)            # dual feasible
    S = np.flatnonzero(z)
    assert np.allclose(A[:, S].T @ r, beta * np.sign(z[S]), rtol=1e-8, atol=1e-10 * beta)
    assert _rank(A[:, S]) == S.size                               # a basic solution
    p_val = _primal(A, y, z, beta)
    assert p_val - _dual_bound(A, y, r, beta) <= 1e-8 * max(p_val, 1e-12)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6))
def test_carry_warm_start_over_changed_columns_matches_a_cold_solve(seed):
    rng = np.random.default_rng(seed)
    n, p, beta = 15, 120, 0.3
    A = _degenerate(rng, n, p)
    y = rng.standard_normal(n)
    ids = rng.permutation(10 * p)[:p]
    carry = Carry()
    z, r, _ = active_lasso(A, y, beta, ids=ids, carry=carry)
    # the next round: unused columns dropped, the order shuffled, new columns appended
    keep = np.flatnonzero((z != 0) | (rng.random(p) < 0.6))
    keep = keep[rng.permutation(keep.size)]
    extra = rng.standard_normal((n, 10))
    A2 = np.c_[A[:, keep], extra]
    ids2 = np.r_[ids[keep], 10 * p + np.arange(10)]
    z2, r2, _ = active_lasso(A2, y, beta, z0=np.r_[z[keep], np.zeros(10)], ids=ids2,
                             carry=carry)
    cold, _, _ = active_lasso(A2, y, beta)
    assert np.allclose(r2, y - A2 @ z2, rtol=0, atol=1e-10)
    assert np.abs(A2.T @ r2).max() <= beta * (1 + 1e-8)
    assert abs(_primal(A2, y, z2, beta) - _primal(A2, y, cold, beta)) <= \
        1e-9 * _primal(A2, y, cold, beta)


def test_active_lasso_agrees_with_scipy_highs_on_the_l1_part():
    """With β large enough that the fit is fixed at 0, the answer is z = 0; with the
    fit given, min ‖z‖₁ subject to Az = fit is an LP: HiGHS confirms the ℓ1 value."""
    from scipy.optimize import linprog
    rng = np.random.default_rng(7)
    A = _degenerate(rng, 10, 40)
    y = rng.standard_normal(10)
    beta = 0.1 * float(np.abs(A.T @ y).max())
    z, r, _ = active_lasso(A, y, beta)
    fit = A @ z
    p = A.shape[1]
    lp = linprog(np.ones(2 * p), A_eq=np.c_[A, -A], b_eq=fit, bounds=[(0, None)] * (2 * p),
                 method="highs")
    assert lp.status == 0
    # at a Lasso optimum no other coefficient vector with the same fit has smaller ℓ1
    assert np.abs(z).sum() <= lp.fun * (1 + 1e-9) + 1e-12
    z0, r0, _ = active_lasso(A, y, 10 * float(np.abs(A.T @ y).max()))
    assert not z0.any() and np.array_equal(r0, y)
