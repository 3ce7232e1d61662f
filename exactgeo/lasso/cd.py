"""Coordinate-descent inner solver (numba): solve on the columns of a working set.

:func:`cd_solve` runs cyclic coordinate descent with Anderson extrapolation on a
working-set matrix Aw until the restricted duality gap (:mod:`.problem`) is below an
absolute tolerance; :func:`refine` then polishes the support by Newton steps on the
sign-fixed quadratic (feature-sign search). The working-set loop
(:mod:`.working_set`, driven by :func:`exactgeo.lasso.solve_lasso` with
``method="cd"``) chooses the columns.

>>> import numpy as np
>>> Aw = np.asfortranarray(np.eye(2)); y = np.array([1.0, 1.0]); z = np.zeros(2)
>>> ep = cd_solve(Aw, y, z, 0.1, tol_abs=1e-14)
>>> np.round(z, 12).tolist()
[0.9, 0.9]
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .problem import dual_at_nb, primal_nb

__all__ = ["cd_solve", "refine"]


@njit(cache=True)
def _epoch(Aw, z, r, norms2, beta):
    n, m = Aw.shape
    for j in range(m):
        nj = norms2[j]
        if nj == 0.0:
            continue
        g = 0.0
        for i in range(n):
            g += Aw[i, j] * r[i]
        old = z[j]
        u = old + g / nj
        thr = beta / nj
        if u > thr:
            new = u - thr
        elif u < -thr:
            new = u + thr
        else:
            new = 0.0
        d = new - old
        if d != 0.0:
            z[j] = new
            for i in range(n):
                r[i] -= d * Aw[i, j]


@njit(cache=True)
def _residual(Aw, z, yc, r):
    n, m = Aw.shape
    for i in range(n):
        r[i] = yc[i]
    for j in range(m):
        zj = z[j]
        if zj != 0.0:
            for i in range(n):
                r[i] -= zj * Aw[i, j]


@njit(cache=True)
def _inner(Aw, yc, z, r, norms2, beta, tol_abs, max_epochs, K):
    """CD on the working-set matrix Aw (n, m), Anderson extrapolation every K epochs.

    Updates z (m,) and r = yc − Aw z in place; returns (epochs, primal, dual).
    """
    n, m = Aw.shape
    last = np.zeros((K + 1, m))
    z_acc = np.zeros(m)
    r_acc = np.zeros(n)
    p_val = primal_nb(r, z, beta)
    d_val = -np.inf
    ep = 0
    stored = 0
    while ep < max_epochs:
        _epoch(Aw, z, r, norms2, beta)
        ep += 1
        # Anderson extrapolation of the primal iterates (accepted only if it helps)
        if K > 0:
            last[stored, :] = z
            stored += 1
            if stored == K + 1:
                stored = 0
                U = np.empty((K, m))
                for k in range(K):
                    U[k, :] = last[k + 1, :] - last[k, :]
                C = U @ U.T
                nrm = 0.0
                for k in range(K):
                    nrm += C[k, k]
                if nrm > 0.0:
                    for k in range(K):
                        C[k, k] += 1e-10 * nrm
                    ok = True
                    c = np.ones(K)
                    try:
                        c = np.linalg.solve(C, np.ones(K))
                    except Exception:  # noqa: BLE001 - singular system, skip
                        ok = False
                    sc = c.sum()
                    if ok and sc != 0.0 and np.all(np.isfinite(c)):
                        c /= sc
                        for j in range(m):
                            acc = 0.0
                            for k in range(K):
                                acc += c[k] * last[k + 1, j]
                            z_acc[j] = acc
                        _residual(Aw, z_acc, yc, r_acc)
                        if primal_nb(r_acc, z_acc, beta) < primal_nb(r, z, beta):
                            z[:] = z_acc
                            r[:] = r_acc
        if ep % 5 == 0 or ep >= max_epochs:
            p_val = primal_nb(r, z, beta)
            dv = dual_at_nb(r, yc, Aw, norms2, beta)
            if dv > d_val:
                d_val = dv
            if p_val - d_val <= tol_abs:
                break
    p_val = primal_nb(r, z, beta)
    dv = dual_at_nb(r, yc, Aw, norms2, beta)
    if dv > d_val:
        d_val = dv
    return ep, p_val, d_val


def cd_solve(Aw, yc, z, beta, *, tol_abs, max_epochs=100_000, norms2=None, anderson=5) -> int:
    """Coordinate descent on Aw (n, m) Fortran-ordered, from z (m,) (updated in place),
    until the gap of the restricted problem is ≤ ``tol_abs`` or ``max_epochs``; columns
    with ``norms2`` 0 are skipped. Returns the epochs run."""
    if norms2 is None:
        norms2 = np.einsum("ij,ij->j", Aw, Aw)
    r = yc - Aw @ z
    ep, _, _ = _inner(Aw, yc, z, r, norms2, beta, tol_abs, max(1, int(max_epochs)), anderson)
    return int(ep)


def _obj(Ac, yc, z, beta):
    r = yc - Ac @ z
    return 0.5 * float(r @ r) + beta * float(np.abs(z).sum())


def _crossings(zS, d):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(zS * d < 0, -zS / d, np.inf)


def _first_crossing(zS, d):
    """Largest t ∈ (0, 1] keeping sign(zS + t d) = sign(zS); index hitting zero or -1."""
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(zS * d < 0, -zS / d, np.inf)
    j = int(np.argmin(t)) if t.size else -1
    if j < 0 or t[j] >= 1.0:
        return 1.0, -1
    return float(t[j]), j


def refine(Ac, yc, z, beta, max_steps=50, rank_tol=1e-10):
    """Active-set descent on the support (feature-sign search): null-space moves that
    shrink a rank-deficient support, then Newton steps on the sign-fixed quadratic
    with a line search stopping at the first sign change. Never increases the objective.
    Returns the new z (a copy)."""
    z = z.copy()
    f = _obj(Ac, yc, z, beta)
    for _ in range(max_steps):
        S = np.flatnonzero(z)
        if S.size == 0:
            break
        AS = Ac[:, S]
        s = np.sign(z[S])
        U, sv, Vt = np.linalg.svd(AS, full_matrices=False)
        rank = int(np.sum(sv > rank_tol * sv[0])) if sv.size else 0
        if rank < S.size:
            # a (near) null direction v: the fit is (almost) unchanged, ℓ1 changes by sᵀv·t
            if rank < Vt.shape[0]:
                v = Vt[rank]
            else:
                _, _, Vf = np.linalg.svd(AS, full_matrices=True)
                v = Vf[-1]
            if s @ v > 0:
                v = -v
            tt = _crossings(z[S], v)
            j = int(np.argmin(tt))
            if not np.isfinite(tt[j]):
                v = -v
                tt = _crossings(z[S], v)
                j = int(np.argmin(tt))
            zn = z.copy()
            zn[S] = z[S] + tt[j] * v
            zn[S[j]] = 0.0
            fn = _obj(Ac, yc, zn, beta)
            if fn <= f + 1e-13 * max(abs(f), 1e-300):
                z, f = zn, fn
                continue
            break
        # Newton step on the sign-fixed quadratic: z_S ← (A_SᵀA_S)⁻¹(A_Sᵀy − βs)
        # A_S = U diag(sv) Vt (full column rank): z_S = V diag(1/sv) (Uᵀy − diag(1/sv) Vt βs)
        cand = Vt.T @ ((U.T @ yc - beta * (Vt @ s) / sv) / sv)
        d = cand - z[S]
        t, j = _first_crossing(z[S], d)
        zn = z.copy()
        zn[S] = z[S] + t * d
        if j >= 0:
            zn[S[j]] = 0.0
        fn = _obj(Ac, yc, zn, beta)
        if fn > f + 1e-13 * max(abs(f), 1e-300):
            break
        z, f = zn, fn
        if j < 0:
            break
    return z
