"""Basic solutions from interior ones: supports with linearly independent columns.

An interior-point solution spreads its weight over every optimal column; the exact
certificate (THEORY §5.3) and readable networks want a *basic* one (a solution whose
active columns, with 𝟙 when ξ is free, are independent — one always exists, §2.7).

* :func:`crossover` — an LP vertex on the equicorrelation set (HiGHS dual simplex);
* :func:`polish` — the equicorrelation equations on the support, kept if signs agree;
* :func:`sparsify` — crossover + polish, kept when the duality gap still meets ``tol``;
* :func:`purify` — null-space moves (fit unchanged, ℓ1 not increased) until the support
  is independent.

>>> import numpy as np
>>> sorted(np.round(purify(np.array([[1.0, 1.0]]), np.array([0.5, 0.5]), intercept=False), 12).tolist())
[0.0, 1.0]
"""
from __future__ import annotations

import numpy as np

from . import problem

__all__ = ["crossover", "polish", "sparsify", "purify"]


def polish(A, y, beta, z):
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


def sparsify(A, y, beta, z, theta, corr, primal, dual, tol):
    """Basic solution from an interior one: crossover onto the equicorrelation set of the
    dual point θ (``corr`` = Aᵀθ; KKT: other columns are 0), then :func:`polish` on that
    basis. Returns (z, primal, rel_gap): the basic solution when its gap still meets
    ``tol`` (or the interior one's), else the interior one."""
    E = np.flatnonzero(np.abs(corr) >= beta * (1 - 1e-6))
    zb = crossover(A, y, theta, E, np.sign(corr[E])) if E.size else np.zeros_like(z)
    if zb is None:
        return z, primal, problem.rel_gap(primal, dual)
    zs = polish(A, y, beta, zb)
    ps = problem.primal(y - A @ zs, zs, beta)
    rel_s = problem.rel_gap(ps, dual)
    if rel_s <= max(tol, problem.rel_gap(primal, dual)):
        return zs, ps, rel_s
    return z, primal, problem.rel_gap(primal, dual)


def _crossings(zS, d):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(zS * d < 0, -zS / d, np.inf)


def purify(A, z, *, intercept=True, rank_tol=1e-10, max_steps=None):
    """Move z along null directions of [A_S, 𝟙] (fit unchanged, ℓ1 not increased) until
    its support S has independent columns; returns a copy. Used to turn an interior
    (e.g. interior-point) solution into a basic one before exact certification."""
    z = np.array(z, dtype=float)
    A = np.asarray(A, dtype=float)
    S = np.flatnonzero(z)
    if S.size == 0:
        return z
    M = A[:, S] - A[:, S].mean(axis=0) if intercept else A[:, S]
    _, sv, Vt = np.linalg.svd(M, full_matrices=True)
    rank = int(np.sum(sv > rank_tol * sv[0])) if sv.size and sv[0] > 0 else 0
    N = Vt[rank:].T.copy()          # null-space basis (|S|, k)
    zS = z[S].copy()
    steps = max_steps if max_steps is not None else S.size
    while N.shape[1] > 0 and steps > 0:
        steps -= 1
        v = N[:, 0]
        if np.sign(zS) @ v > 0:
            v = -v
        tt = _crossings(zS, v)
        j = int(np.argmin(tt))
        if not np.isfinite(tt[j]):
            v = -v
            tt = _crossings(zS, v)
            j = int(np.argmin(tt))
            if not np.isfinite(tt[j]):   # v vanishes on the support
                N = N[:, 1:]
                continue
        zS = zS + tt[j] * v
        zS[j] = 0.0
        # keep only null directions with a zero j-th coordinate
        c = int(np.argmax(np.abs(N[j])))
        if N[j, c] != 0.0:
            N = N - np.outer(N[:, c], N[j] / N[j, c])
        N = np.delete(N, c, axis=1)
    z[S] = zS
    return z
