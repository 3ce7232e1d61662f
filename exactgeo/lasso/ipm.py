"""Interior-point Lasso for few samples and many columns (n ≪ p), on a working set.

The dual of ½‖Az − y‖² + β‖z‖₁ is the projection of y onto {λ : |Aᵀλ| ≤ β}; its
primal-dual Newton system reduces to one n×n SPD matrix I + A·D·Aᵀ, so an iteration
costs O(n²·|W|) on a working set W. Columns violating |A_kᵀr| ≤ β are added until the
duality gap of the *whole* dictionary is below ``tol``. This is the high-accuracy path
for the highly coherent wedge dictionaries, where coordinate descent stalls.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> A, y = rng.standard_normal((20, 300)), rng.standard_normal(20)
>>> z, info = working_set_ipm(A - A.mean(0), y - y.mean(), 0.1, tol=1e-10)
>>> bool(info["rel_gap"] <= 1e-10)
True
"""
from __future__ import annotations

import numpy as np


def _step_to_boundary(x, dx):
    """Largest α ≤ 1 with x + α·dx ≥ 0 (x > 0)."""
    neg = dx < 0
    if not np.any(neg):
        return 1.0
    return min(1.0, float(np.min(-x[neg] / dx[neg])))


def ipm_lasso(A, y, beta, *, tol=1e-12, max_iter=200):
    """Mehrotra predictor-corrector IPM for min ½‖Az − y‖² + β‖z‖₁ (no intercept).

    A (n, m), y (n,). Returns ``(z, lam, iterations)`` with lam = y − Az at convergence.
    Not scale invariant by itself (it starts at u = v = 1 and stops on residuals measured
    against max(1, max|y|)): it expects max|A|, max|y| of order 1, which
    :func:`exactgeo.lasso.solve_lasso` guarantees by normalising its input.
    """
    n, m = A.shape
    if m == 0:
        return np.zeros(0), y.copy(), 0
    lam = np.zeros(n)
    u = np.ones(m)
    v = np.ones(m)
    At = A.T
    scale = max(1.0, float(np.abs(y).max()))
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
        K = (A * D) @ At
        K[np.diag_indices(n)] += 1.0
        try:
            L = np.linalg.cholesky(K)
        except np.linalg.LinAlgError:  # rounding at the end game: stop at the iterate
            break

        def direction(rc1, rc2):
            rhs = -rd - A @ (rc1 / s1 - rc2 / s2)
            dlam = np.linalg.solve(L.T, np.linalg.solve(L, rhs))
            g = At @ dlam
            return dlam, (rc1 + u * g) / s1, (rc2 - v * g) / s2, -g, g

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


def _polish(A, y, beta, z):
    """Re-solve the equicorrelation equations A_Sᵀ(y − A_S z_S) = β·sign(z_S) on the
    support S of an interior-point z; keep the result only if signs agree."""
    big = np.abs(z) > 1e-9 * max(np.abs(z).max(initial=0.0), 1e-300)
    S = np.flatnonzero(big)
    if S.size == 0 or S.size >= A.shape[0]:
        return z
    # A_S = QR: z_S = R⁻¹(Qᵀy − R⁻ᵀβs), without squaring the condition number
    Q, R = np.linalg.qr(A[:, S])
    try:
        zS = np.linalg.solve(R, Q.T @ y - np.linalg.solve(R.T, beta * np.sign(z[S])))
    except np.linalg.LinAlgError:
        return z
    if np.any(np.sign(zS) != np.sign(z[S])):
        return z
    out = np.zeros_like(z)
    out[S] = zS
    return out


def crossover(A, y, r, cols, signs, intercept=False):
    """A vertex of {z : z_k = 0 off ``cols``, s_k z_k ≥ 0, Az + ξ𝟙 = y − r} minimising ‖z‖₁.

    HiGHS' dual simplex returns a basic point, so its support has independent columns:
    this turns an interior-point solution into a basic one. Returns None if the LP fails.
    """
    from scipy.optimize import linprog
    n = A.shape[0]
    sg = np.asarray(signs, dtype=float)
    blocks = [A[:, cols] * sg] + ([np.ones((n, 1))] if intercept else [])
    cost = np.r_[np.ones(len(cols)), np.zeros(int(intercept))]
    bounds = [(0, None)] * len(cols) + [(None, None)] * int(intercept)
    res = linprog(cost, A_eq=np.hstack(blocks), b_eq=y - r, bounds=bounds, method="highs-ds")
    if res.status != 0:
        return None
    z = np.zeros(A.shape[1])
    z[cols] = sg * res.x[:len(cols)]
    return z


def _sparsify(A, y, beta, z, theta, primal, dual, tol):
    """Basic solution from an interior one: crossover onto the equicorrelation set of θ
    (KKT: other columns are 0), then the equicorrelation equations on that basis.
    Kept when its gap still meets ``tol``."""
    corr = A.T @ theta
    E = np.flatnonzero(np.abs(corr) >= beta * (1 - 1e-6))
    zb = crossover(A, y, theta, E, np.sign(corr[E])) if E.size else np.zeros_like(z)
    if zb is None:
        return z, primal, (primal - dual) / max(primal, 1e-300)
    zs = _polish(A, y, beta, zb)
    ps, _ = _primal_value(A, y, beta, zs)
    rel_s = (ps - dual) / max(ps, 1e-300)
    if rel_s <= max(tol, (primal - dual) / max(primal, 1e-300)):
        return zs, ps, rel_s
    return z, primal, (primal - dual) / max(primal, 1e-300)


def _dual_point(A, y, beta, theta):
    """Rescale θ into {|Aᵀθ| ≤ β}; return (dual value, θ)."""
    corr = np.abs(A.T @ theta).max(initial=0.0)
    if corr > beta:
        theta = theta * (beta / corr)
    return y @ theta - 0.5 * theta @ theta, theta


def _primal_value(A, y, beta, z):
    r = y - A @ z
    return 0.5 * r @ r + beta * np.abs(z).sum(), r


def working_set_ipm(A, y, beta, *, tol=1e-9, max_rounds=50, ws_size=None, prune=0.2, centred=False,
                    verbose=False):
    """Solve the Lasso over all columns of A (``centred``: A and y were centred for an intercept)
    by IPM on a working set that doubles while columns violate |A_kᵀr| ≤ β and sheds
    columns far from active. Returns ``(z, info)``; ``info`` has primal, dual, the dual
    point theta (|Aᵀθ| ≤ β), rel_gap, rounds, iterations, working_set. Expects data of
    order 1 like :func:`ipm_lasso` (``solve_lasso`` normalises before calling it)."""
    n, p = A.shape
    norms = np.sqrt(np.einsum("ij,ij->j", A, A))
    valid = norms > 1e-14 * max(1.0, norms.max(initial=0.0))
    grow = ws_size or max(2 * n, 50)
    score = np.where(valid, np.abs(A.T @ y), -np.inf)
    W = np.argsort(-score, kind="stable")[:min(grow, int(valid.sum()))]
    z = np.zeros(p)
    iters = 0
    for rounds in range(1, max_rounds + 1):
        zW, lam, k = ipm_lasso(A[:, W], y, beta, tol=min(1e-12, tol * 1e-2))
        if centred:  # back onto 𝟙ᵀλ = 0 (rounding drifts off it; Aᵀλ is unchanged)
            lam = lam - lam.mean()
        iters += k
        z[:] = 0.0
        z[W] = zW
        primal, r = _primal_value(A, y, beta, z)
        zp = z.copy()
        zp[W] = _polish(A[:, W], y, beta, zW)
        primal_p, r_p = _primal_value(A, y, beta, zp)
        if primal_p <= primal:
            z, primal, r = zp, primal_p, r_p
        dual, theta = max(_dual_point(A, y, beta, r), _dual_point(A, y, beta, lam),
                          key=lambda pair: pair[0])
        rel = (primal - dual) / max(primal, 1e-300)
        if rel <= tol:
            break
        corr = np.where(valid, np.abs(A.T @ r), -np.inf)
        corr[W] = -np.inf
        cand = np.flatnonzero(corr > beta * (1 + 1e-7))
        if cand.size == 0:
            break  # nothing to add: the gap is limited by the inner accuracy
        if verbose:
            print(f"round {rounds}: working set {W.size}, violators {cand.size}, "
                  f"IPM iterations {k}, rel_gap {rel:.3e}")
        add = cand[np.argsort(-corr[cand], kind="stable")[:max(grow, W.size)]]
        # keep the working set small: drop columns that are far from active
        keep = (np.abs(z[W]) > 1e-9 * np.abs(z).max()) | (np.abs(A[:, W].T @ r) >= (1 - prune) * beta)
        W = np.concatenate([W[keep], add])
    z, primal, rel = _sparsify(A, y, beta, z, theta, primal, dual, tol)
    return z, {"rel_gap": rel, "primal": primal, "dual": dual, "theta": theta,
               "rounds": rounds, "iterations": iters, "working_set": int(W.size)}
