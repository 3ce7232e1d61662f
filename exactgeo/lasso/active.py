"""Active-set (feature-sign) inner solver on a working set, for small n.

Works on the Gram matrix of the working set: every step is a Newton step on the
sign-fixed quadratic with an exact line search over the kinks of the true objective, an
activation of the most violating column, or — when that column depends linearly on
the active ones — a simplex-like pivot. The objective never increases, the active
columns stay linearly independent, and the result is exact up to rounding.

>>> import numpy as np
>>> G = np.eye(2); b = np.array([1.0, 1.0])
>>> z, it = active_set_solve(G, b, 0.1, np.zeros(2))
>>> np.round(z, 12).tolist()
[0.9, 0.9]
"""
from __future__ import annotations

import numpy as np

__all__ = ["active_set_solve"]


def _line_search(zS, d, gS, a, beta):
    """argmin over t ∈ [0, 1] of ½‖r − tq‖² + β‖zS + td‖₁ (convex, piecewise quadratic),
    with gS = A_Sᵀr, a = ‖q‖² = dᵀG_Sd. Returns (t, index hitting zero or -1)."""
    b = float(gS @ d)
    with np.errstate(divide="ignore", invalid="ignore"):
        bp = np.where(zS * d < 0, -zS / d, np.inf)
    sg = np.sign(zS)
    zero = zS == 0
    sg[zero] = np.sign(d[zero])
    slope = beta * float(sg @ d)
    t0 = 0.0
    order = np.argsort(bp)
    for idx in order:
        t1 = bp[idx]
        if t1 >= 1.0:
            break
        tstar = (b - slope) / a if a > 0 else (np.inf if b - slope > 0 else -np.inf)
        if tstar <= t1:
            return max(t0, tstar), -1
        slope -= 2.0 * beta * sg[idx] * d[idx]
        sg[idx] = -sg[idx]
        t0 = t1
        # if the minimum sits exactly on this kink, the next piece returns t0 = t1
        tstar2 = (b - slope) / a if a > 0 else (np.inf if b - slope > 0 else -np.inf)
        if tstar2 <= t1:
            return t1, int(idx)
    tstar = (b - slope) / a if a > 0 else (np.inf if b - slope > 0 else -np.inf)
    return min(max(t0, tstar), 1.0), -1


def active_set_solve(G, bvec, beta, z, *, max_iter=10_000, viol_tol=1e-11, dep_tol=1e-11,
                     valid=None, n_add=1):
    """Minimise ½zᵀGz − bᵀz + β‖z‖₁ (G = AᵀA, b = Aᵀy of a working set) from z.

    G (m, m), bvec (m,), z (m,) start (its support must be independent; it is purified
    otherwise). Returns (z, iterations). Its step threshold 1e-13·(max|z| + 1) is absolute
    near z = 0, so it expects z of order 1, i.e. data normalised as ``solve_lasso`` does.
    """
    m = G.shape[0]
    z = np.array(z, dtype=float)
    diag = np.diag(G).copy()
    if valid is None:
        valid = diag > 0
    tabu = np.zeros(m, dtype=bool)
    S = [int(k) for k in np.flatnonzero(z)]
    # make the start support independent (drop the smallest coefficients of dependent sets)
    S = _independent_subset(G, S, z, dep_tol)
    keep = np.zeros(m, dtype=bool)
    keep[S] = True
    if np.any(z[~keep] != 0):
        z[~keep] = 0.0
    it = 0
    stall = 0
    while it < max_iter:
        it += 1
        Sa = np.array(S, dtype=int)
        g = bvec - G[:, Sa] @ z[Sa] if Sa.size else bvec.copy()
        if Sa.size:
            GS = G[np.ix_(Sa, Sa)]
            th = np.sign(z[Sa])
            zeroS = th == 0
            th[zeroS] = np.sign(g[Sa][zeroS])
            try:
                x = np.linalg.solve(GS, bvec[Sa] - beta * th)
            except np.linalg.LinAlgError:
                x = np.linalg.lstsq(GS, bvec[Sa] - beta * th, rcond=None)[0]
            d = x - z[Sa]
            scale = np.abs(z[Sa]).max() + 1.0
            if np.abs(d).max() > 1e-13 * scale:
                a = float(d @ GS @ d)
                t, j = _line_search(z[Sa], d, g[Sa], a, beta)
                if t <= 0.0:
                    stall += 1
                else:
                    stall = 0
                znew = z[Sa] + t * d
                if j >= 0:
                    znew[j] = 0.0
                z[Sa] = znew
                S = [int(k) for k in Sa[znew != 0.0]]
                if stall == 0 or stall < 3:
                    if stall:
                        # no progress: drop zero-valued coordinates and forbid re-entry once
                        for k in Sa[znew == 0.0]:
                            tabu[k] = True
                    continue
        # S-optimal: activate the most violating column
        viol = np.abs(g) - beta * (1 + viol_tol)
        viol[Sa] = -np.inf
        viol[~valid | tabu] = -np.inf
        k = int(np.argmax(viol)) if m else -1
        if k < 0 or viol[k] <= 0:
            break
        tabu[:] = False
        stall = 0
        if n_add > 1:
            # several violators at once (each checked for independence), when possible
            top = np.argpartition(-viol, min(n_add, m - 1))[:n_add]
            top = [int(q) for q in top[np.argsort(-viol[top])] if viol[q] > 0]
            added = 0
            for q in top:
                Sb = np.array(S, dtype=int)
                if Sb.size:
                    GSb = G[np.ix_(Sb, Sb)]
                    cq = np.linalg.lstsq(GSb, G[Sb, q], rcond=None)[0]
                    res_q = diag[q] - float(G[Sb, q] @ cq)
                else:
                    res_q = diag[q]
                if res_q > 1e-6 * diag[q]:
                    S.append(q)
                    added += 1
            if added:
                continue
        if Sa.size:
            GSk = G[Sa, k]
            try:
                c = np.linalg.solve(GS, GSk)
            except np.linalg.LinAlgError:
                c = np.linalg.lstsq(GS, GSk, rcond=None)[0]
            resid = diag[k] - float(GSk @ c)
        else:
            resid = diag[k]
        if resid > dep_tol * diag[k]:
            S.append(k)          # z_k = 0; the next Newton step moves it
            continue
        # a_k ≈ A_S c: pivot along (z_S − τtc, z_k + τt), fit unchanged, ℓ1 decreasing
        tau = np.sign(g[k])
        zS = z[Sa]
        step = -tau * c
        with np.errstate(divide="ignore", invalid="ignore"):
            tt = np.where(zS * step < 0, -zS / step, np.inf)
        j = int(np.argmin(tt))
        if not np.isfinite(tt[j]) or 1.0 - tau * float(np.sign(zS) @ c) >= 0:
            tabu[k] = True
            continue
        z[Sa] = zS + tt[j] * step
        z[Sa[j]] = 0.0
        z[k] = tau * tt[j]
        S = [int(q) for q in Sa if z[q] != 0.0] + [k]
    return z, it


def _independent_subset(G, S, z, tol):
    if not S:
        return S
    order = sorted(S, key=lambda k: -abs(z[k]))
    keep = []
    for k in order:
        if not keep:
            if G[k, k] > 0:
                keep.append(k)
            continue
        Ka = np.array(keep)
        GS = G[np.ix_(Ka, Ka)]
        c = np.linalg.lstsq(GS, G[Ka, k], rcond=None)[0]
        if G[k, k] - float(G[Ka, k] @ c) > tol * G[k, k]:
            keep.append(k)
    return keep
