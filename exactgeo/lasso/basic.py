"""Basic solutions from interior ones: supports with linearly independent columns.

An interior-point solution spreads its weight over every optimal column; the exact
certificate (THEORY §5.3) and readable networks want a *basic* one (a solution whose
active columns, with 𝟙 when ξ is free, are independent — one always exists, §2.7).

* :func:`purify` — simplex pivots along null directions (fit and signs unchanged, ℓ1
  not increased) until the support is independent;
* :func:`polish` — the equicorrelation equations on the support, with sign-flipping
  columns dropped and violating ones added (a batch active-set method);
* :func:`sparsify` — purify + polish on the equicorrelation set, kept when the duality
  gap still meets ``tol``;
* :func:`crossover` — an LP vertex for a given fit, from no starting point (HiGHS dual
  simplex).

>>> import numpy as np
>>> sorted(np.round(purify(np.array([[1.0, 1.0]]), np.array([0.5, 0.5]), intercept=False), 12).tolist())
[0.0, 1.0]
"""
from __future__ import annotations

import numpy as np

from . import problem

__all__ = ["crossover", "polish", "sparsify", "purify"]


def polish(A, y, beta, z, *, rounds=20):
    """Re-solve the equicorrelation equations A_Sᵀ(y − A_S z_S) = β·sign(z_S) on the
    support S of a (near-)basic z, as a batch active-set method: columns whose sign flips
    leave S, columns of A with |A_kᵀr| > β (most violating first) join it, and the
    equations are solved again, up to ``rounds`` times. Returns the last sign-consistent
    solution (z itself if none); the caller's gap test decides whether it is better."""
    n = A.shape[0]
    S = np.flatnonzero(np.abs(z) > 1e-9 * max(np.abs(z).max(initial=0.0), 1e-300))
    s = np.sign(z[S])
    best = z
    for _ in range(rounds):
        if S.size == 0 or S.size >= n:
            break
        # A_S = QR: z_S = R⁻¹(Qᵀy − R⁻ᵀβs), without squaring the condition number
        Q, R = np.linalg.qr(A[:, S])
        d = np.abs(np.diag(R))
        dep = d <= 1e-10 * d.max()
        if dep.any():                          # a joining column was dependent
            S, s = S[~dep], s[~dep]
            continue
        try:
            zS = np.linalg.solve(R, Q.T @ y - np.linalg.solve(R.T, beta * s))
        except np.linalg.LinAlgError:
            break
        flip = np.sign(zS) != s
        if flip.any():
            S, s = S[~flip], s[~flip]
            continue
        best = np.zeros_like(z)
        best[S] = zS
        corr = A.T @ (y - A[:, S] @ zS)
        corr[S] = 0.0
        viol = np.flatnonzero(np.abs(corr) > beta * (1 + 1e-12))
        if viol.size == 0:
            break
        viol = viol[np.argsort(-np.abs(corr[viol]))][:max(n - 1 - S.size, 0)]
        if viol.size == 0:
            break
        S, s = np.r_[S, viol], np.r_[s, np.sign(corr[viol])]
    return best


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
    """Basic solution from an interior one (A already centred): z's sign-consistent part
    on the equicorrelation set of the dual point θ (``corr`` = Aᵀθ; KKT: other columns
    are 0) made basic by :func:`purify`, else — when that part does not carry the fit (a
    primal spoilt by rounding while θ is good) — the LP crossover onto y − θ; then
    :func:`polish` on that basis. Returns (z, primal, rel_gap): the first basic solution
    whose gap meets ``tol`` or beats the interior one's, else one that ties it, else the
    interior one."""
    E = np.abs(corr) >= beta * (1 - 1e-6)
    zE = np.where(E & (z * np.sign(corr) > 0), z, 0.0)
    best = (problem.rel_gap(primal, dual), z, primal)
    for basic in (lambda: purify(A, zE, intercept=False),
                  lambda: crossover(A, y, theta, np.flatnonzero(E), np.sign(corr[E]))):
        zb = basic()
        if zb is None:
            continue
        zs = polish(A, y, beta, zb)
        ps = problem.primal(y - A @ zs, zs, beta)
        rel_s = problem.rel_gap(ps, dual)
        if rel_s <= tol or rel_s < best[0]:
            return zs, ps, rel_s
        if rel_s <= best[0]:
            best = (rel_s, zs, ps)
    return best[1], best[2], best[0]


def purify(A, z, *, intercept=True, rank_tol=1e-10, max_steps=None):
    """A basic point with z's fit: move z along null directions of [A_S, 𝟙] (fit
    unchanged, signs kept, ℓ1 never increased) until its support S has independent
    columns; returns a copy. Used to turn an interior (e.g. interior-point) solution into
    a basic one before exact certification.

    Simplex pivots on the tableau of S: a pivoted QR of A_S (scaled by |z_S|, so large
    coefficients stay basic) picks a basis J of rank r; each other column k of S, written
    a_k = A_J c_k, is moved to 0, or into J in place of a basic column that reaches 0,
    whichever comes first along the direction that does not increase ℓ1. One pass over
    the |S| − r non-basic columns, O(r·|S|) each; ``max_steps`` caps the pass.
    """
    from scipy.linalg import qr, solve_triangular
    z = np.array(z, dtype=float)
    A = np.asarray(A, dtype=float)
    S = np.flatnonzero(z)
    if S.size == 0:
        return z
    M = A[:, S] - A[:, S].mean(axis=0) if intercept else A[:, S]
    w = np.abs(z[S])
    Bt = M * (np.sign(z[S]) * w)              # scaled: u = 1 is z; u ≥ 0 keeps the signs
    _, R, P = qr(Bt, mode="economic", pivoting=True, check_finite=False)
    d = np.abs(np.diag(R))
    r = int(np.sum(d > rank_tol * d[0])) if d.size and d[0] > 0 else 0
    if r == S.size:
        return z
    J, N = P[:r].copy(), P[r:]
    C = solve_triangular(R[:r, :r], R[:r, r:S.size], check_finite=False) if r else \
        np.zeros((0, N.size))
    uJ, uN = np.ones(r), np.ones(N.size)
    cJ, cN = w[J], w[N]                         # ℓ1 per unit of u
    steps = N.size if max_steps is None else min(int(max_steps), N.size)
    for q in range(steps):
        col = C[:, q]
        up = cN[q] - cJ @ col < 0               # raising u_q lowers ℓ1
        g = -col if up else col                 # d u_J / dt, t the move of u_q
        lim = np.full(r, np.inf)
        neg = g < 0
        lim[neg] = uJ[neg] / -g[neg]
        j = int(np.argmin(lim)) if r else -1
        if not up and (j < 0 or uN[q] <= lim[j]):
            uJ += uN[q] * g                     # u_q reaches 0 first: drop it
            uN[q] = 0.0
            continue
        if j < 0 or not np.isfinite(lim[j]):   # (cannot happen: ℓ1 ≥ 0 is bounded)
            continue
        t = lim[j]
        uJ += t * g
        uq = uN[q] + (t if up else -t)
        # pivot: q enters the basis in row j, the basic column J[j] leaves at 0
        rest = slice(q + 1, N.size)
        row = C[j, rest] / col[j]
        C[:, rest] -= np.outer(col, row)
        C[j, rest] = row
        J[j], uJ[j], cJ[j] = N[q], uq, cN[q]
        uJ[uJ < 0] = 0.0
        uN[q] = 0.0
    u = np.zeros(S.size)
    u[N] = uN
    u[J] = uJ
    # the pivots drift by rounding: refit the basic coefficients to z's fit (kept if ≥ 0)
    keep = np.flatnonzero(u > 0)
    if keep.size and steps == N.size:
        ls = np.linalg.lstsq(Bt[:, keep], Bt.sum(axis=1), rcond=None)[0]
        if np.all(ls >= 0):
            u[keep] = ls
    z[S] = np.sign(z[S]) * w * u
    return z
