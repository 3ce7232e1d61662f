"""Interior-point inner solver for few samples and many columns (n ≪ p).

The dual of ½‖Az − y‖² + β‖z‖₁ is the projection of y onto {λ : |Aᵀλ| ≤ β}; its
primal-dual Newton system reduces to one n×n SPD matrix I + A·D·Aᵀ, so an iteration
costs O(n²·m) on m columns. This is the high-accuracy inner solver for the highly
coherent wedge dictionaries, where coordinate descent stalls; the working-set loop
(:mod:`.working_set`) calls it on the columns of the current working set.

Warm starts are honoured: from ``z0`` the iterate starts at the residual of z0 rescaled
into the dual's interior, with the complementarity of the warm point's own duality gap
(so a near-optimal z0 costs a few iterations, an optimal one none).

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> A, y = rng.standard_normal((20, 300)), rng.standard_normal(20)
>>> z, lam, it = ipm_lasso(A, y, 0.5, tol=1e-12)
>>> z2, lam2, it2 = ipm_lasso(A, y, 0.5, tol=1e-12, z0=z)        # warm: from the optimum
>>> bool(np.abs(z2 - z).max() < 1e-9), it2 <= 3 < it
(True, True)
"""
from __future__ import annotations

import numpy as np
from scipy.linalg import LinAlgError, cho_factor, cho_solve

from . import problem

__all__ = ["ipm_lasso"]


def _step_to_boundary(x, dx):
    """Largest α ≤ 1 with x + α·dx ≥ 0 (x > 0)."""
    neg = dx < 0
    if not np.any(neg):
        return 1.0
    return min(1.0, float(np.min(-x[neg] / dx[neg])))


def _newton_system(A, D, rd, u, v, s1, s2, QR=None):
    """Factor the reduced Newton system once; return ``direction(rc1, rc2) → (dλ, du, dv,
    ds1, ds2)`` for any complementarity right-hand side (predictor and corrector share
    the factor), or None when the factorisation fails.

    Eliminating du, dv leaves K·dλ = −rd − A·h, K = I + A·D·Aᵀ, h = rc1/s1 − rc2/s2.
    Row form: K (n×n) formed with one symmetric BLAS product (A·√D)(A·√D)ᵀ. Column form
    (``QR`` = the thin QR of A, m < n): K⁻¹ = (I − QQᵀ) + Q·(I + R·D·Rᵀ)⁻¹·Qᵀ, an m×m
    matrix with eigenvalues ≥ 1 like K itself (so as well conditioned as the row form,
    unlike D⁻¹ + AᵀA). Both by Cholesky and triangular solves."""
    if QR is None:
        B = A * np.sqrt(D)
    else:
        Q, R = QR
        B = R * np.sqrt(D)
    K = B @ B.T
    K[np.diag_indices(K.shape[0])] += 1.0
    try:
        F = cho_factor(K, lower=True, check_finite=False)
    except (LinAlgError, np.linalg.LinAlgError, ValueError):
        return None

    def direction(rc1, rc2):
        rhs = -rd - A @ ((rc1 / s1) - (rc2 / s2))
        if QR is None:
            dlam = cho_solve(F, rhs, check_finite=False)
            g = A.T @ dlam
        else:
            q = Q.T @ rhs
            w = cho_solve(F, q, check_finite=False)
            dlam = rhs - Q @ (q - w)
            g = R.T @ w    # = Aᵀdλ without the cancellation in rhs − QQᵀrhs
        return dlam, (rc1 + u * g) / s1, (rc2 - v * g) / s2, -g, g

    return direction

def _warm_point(A, y, beta, z0, tol, scale):
    """Interior (λ, u, v) from a warm start z0: λ the residual of z0 rescaled strictly
    inside {|Aᵀλ| ≤ β}, u − v = z0, and the complementarity products u∘s1, v∘s2 of the
    size of z0's duality gap (centred: the free parts are μ/s). Returns (λ, u, v, gap), or
    None when rounding leaves no slack."""
    m = A.shape[1]
    r = y - A @ z0
    c = A.T @ r
    sup = float(np.abs(c).max(initial=0.0))
    lam, d = problem.dual_point(r, y, sup, beta)
    gap = max(problem.primal(r, z0, beta) - d, 0.0)
    mu = max(gap, 1e-2 * tol * scale ** 2) / (2 * m)
    zmax = float(np.abs(z0).max())
    # shrink λ by (1 − θ): the slacks of the active columns become ≈ θβ, so their products
    # z_k·θβ are ≈ μ; θ ≥ 1e-12 keeps every slack a clearly positive float
    theta = min(0.5, max(1e-12, mu / (beta * zmax))) if zmax > 0 else 0.5
    lam = (1.0 - theta) * lam
    cl = c * ((1.0 - theta) * (1.0 if sup <= beta else beta / sup))
    s1, s2 = beta - cl, beta + cl
    if s1.min(initial=1.0) <= 0 or s2.min(initial=1.0) <= 0:
        return None
    w = mu / np.sqrt(s1 * s2)
    u = np.maximum(z0, 0.0) + w
    v = np.maximum(-z0, 0.0) + w
    return lam, u, v, gap


def ipm_lasso(A, y, beta, *, tol=1e-12, max_iter=200, z0=None):
    """Mehrotra predictor-corrector IPM for min ½‖Az − y‖² + β‖z‖₁ (no intercept).

    A (n, m), y (n,); ``z0`` (m,) a warm start (None or 0: the cold start u = v = 1,
    λ = 0). Returns ``(z, lam, iterations)`` with lam ≈ y − Az at convergence;
    ``iterations`` counts the Newton steps taken plus the final test (1 when z0 already
    meets the stopping test). Not scale invariant by itself (it stops on residuals
    measured against max(1, max|y|)): it expects max|A|, max|y| of order 1, which
    :func:`exactgeo.lasso.solve_lasso` guarantees by normalising its input.
    """
    n, m = A.shape
    if m == 0:
        return np.zeros(0), y.copy(), 0
    scale = max(1.0, float(np.abs(y).max()))
    z0 = None if z0 is None else np.asarray(z0, dtype=float)
    if z0 is None or not np.any(z0):
        lam = np.zeros(n)
        u = np.ones(m)
        v = np.ones(m)
    else:
        warm = _warm_point(A, y, beta, z0, tol, scale)
        if warm is None:             # rounding left no interior point near z0: start cold
            return ipm_lasso(A, y, beta, tol=tol, max_iter=max_iter)
        lam, u, v, gap = warm
        if gap <= tol * scale ** 2:   # z0 already meets the tolerance, as a duality gap
            return z0.copy(), lam, 1
    At = A.T
    # the Newton system in the smaller space: n×n (row form) or, with more samples than
    # columns, m×m through the thin QR of A, computed once (column form)
    QR = np.linalg.qr(A, mode="reduced") if m < n else None
    it = 0
    for it in range(1, max_iter + 1):
        c = At @ lam
        s1, s2 = beta - c, beta + c
        if s1.min(initial=1.0) <= 0 or s2.min(initial=1.0) <= 0:
            break  # a slack reached 0 by rounding: stop at the last interior iterate
        rd = lam - y + A @ (u - v)
        mu = (u @ s1 + v @ s2) / (2 * m)
        if np.linalg.norm(rd) <= tol * scale and 2 * m * mu <= tol * scale ** 2:
            break
        D = u / s1 + v / s2
        direction = _newton_system(A, D, rd, u, v, s1, s2, QR)
        if direction is None:  # rounding at the end game: stop at the iterate
            break

        # predictor (affine scaling), then Mehrotra's centring + corrector
        dl, du, dv, ds1, ds2 = direction(-u * s1, -v * s2)
        a = min(_step_to_boundary(s1, ds1), _step_to_boundary(s2, ds2),
                _step_to_boundary(u, du), _step_to_boundary(v, dv))
        mu_aff = ((u + a * du) @ (s1 + a * ds1) + (v + a * dv) @ (s2 + a * ds2)) / (2 * m)
        sigma = (mu_aff / mu) ** 3
        dl, du, dv, ds1, ds2 = direction(sigma * mu - u * s1 - du * ds1,
                                         sigma * mu - v * s2 - dv * ds2)
        a = 0.995 * min(_step_to_boundary(s1, ds1), _step_to_boundary(s2, ds2),
                        _step_to_boundary(u, du), _step_to_boundary(v, dv))
        lam = lam + a * dl
        u = u + a * du
        v = v + a * dv
    return u - v, lam, it
