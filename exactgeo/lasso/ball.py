"""Ball-arithmetic certificate for columns a_k/√q_k (THEORY §5 step 8); used by
:func:`exactgeo.lasso.certify_lasso` when ``norm_sq`` is given.

>>> import numpy as np
>>> from fractions import Fraction as F
>>> from exactgeo.lasso import solve_lasso, certify_lasso
>>> A = np.array([[F(1), F(1)], [F(0), F(1)]], dtype=object)    # columns e1, (1,1)/√2
>>> q = np.array([F(1), F(2)], dtype=object)
>>> Af = A.astype(float) / np.sqrt(q.astype(float))
>>> sol = solve_lasso(Af, np.array([1.0, 1.0]), 0.1, intercept=False)
>>> cert = certify_lasso(A, [F(1), F(1)], F(1, 10), sol, norm_sq=q, intercept=False)
>>> cert.status, round(cert.objective, 12)    # √2/10 − 1/200
('enclosed', 0.136421356237)
"""
from __future__ import annotations

import math
import time
from fractions import Fraction

import numpy as np

from .exact import ExactLasso, _U, _float_start, _drop, _arb_to_interval, _choose_basis, _fmpq

__all__ = ["certify_ball"]


class _NeedPrecision(Exception):
    pass


def _same_column(A, norm_sq, k, j):
    """±1 if column k equals ±column j exactly (a_k/√q_k = ±a_j/√q_j), else 0."""
    ak, aj, qk, qj = A[:, k], A[:, j], norm_sq[k], norm_sq[j]
    sign = 0
    for x, w in zip(ak, aj):
        if x * x * qj != w * w * qk:
            return 0
        if x != 0:
            sg = 1 if (x > 0) == (w > 0) else -1
            if sign == 0:
                sign = sg
            elif sign != sg:
                return 0
    return sign


def _solve_arb(A, y, beta, norm_sq, F, s, intercept):
    import flint
    n = A.shape[0]
    m = len(F) + (1 if intercept else 0)
    M = flint.arb_mat(n, m)
    for j, k in enumerate(F):
        inv = 1 / flint.arb(_fmpq(norm_sq[k])).sqrt()
        for i in range(n):
            q = A[i, k]
            if q:
                M[i, j] = flint.arb(_fmpq(q)) * inv
    if intercept:
        for i in range(n):
            M[i, m - 1] = 1
    Y = flint.arb_mat(n, 1, [flint.arb(_fmpq(q)) for q in y])
    Mt = M.transpose()
    rhs = Mt * Y
    b = flint.arb(_fmpq(beta))
    for j in range(len(F)):
        rhs[j, 0] -= b * int(s[j])
    try:
        theta = (Mt * M).solve(rhs)
    except (ZeroDivisionError, ValueError):
        raise _NeedPrecision from None
    fit = M * theta
    th = [theta[j, 0] for j in range(m)]
    r = [Y[i, 0] - fit[i, 0] for i in range(n)]
    return th[:len(F)], (th[-1] if intercept else flint.arb(0)), r


def _check_all_ball(A, Cf, absCf, norm_sq, r, beta, F, s, n):
    import flint
    rm = np.array([float(x.mid()) for x in r])
    rr = np.array([float(x.rad()) for x in r]) * (1 + 4 * _U) + _U * np.abs(rm)
    corr = Cf.T @ rm
    bound = 2.0 * (n + 8) * _U * (absCf.T @ np.abs(rm)) + 1.01 * (absCf.T @ rr) + n * 1e-300
    bf = float(beta)
    sure_ok = np.abs(corr) + bound < bf * (1 - 4 * _U)
    todo = np.flatnonzero(~sure_ok)
    b = flint.arb(_fmpq(beta))
    Fset = dict(zip(F, s))
    viol, ties = {}, []
    uncertain = False
    best = (-math.inf, -1)
    for k in todo:
        k = int(k)
        acc = flint.arb(0)
        for i in range(n):
            q = A[i, k]
            if q:
                acc += flint.arb(_fmpq(q)) * r[i]
        v = acc / flint.arb(_fmpq(norm_sq[k])).sqrt()
        av = abs(v)
        fe = float(av.mid()) - bf
        if fe > best[0]:
            best = (fe, k)
        if av < b:
            continue
        if av > b:
            viol[k] = 1 if v > 0 else -1
            continue
        if k in Fset:        # equality A_kᵀr = βs_k holds by construction
            continue
        dup = 0
        for j in F:
            sg = _same_column(A, norm_sq, k, j)
            if sg:
                dup = sg
                break
        if dup:
            continue
        if av.rad() < 2.0 ** (-flint.ctx.prec // 2) * (1 + abs(float(av.mid()))):
            ties.append(k)   # a tight ball around β: more bits will not help
        else:
            uncertain = True
    if best[1] < 0 and corr.size:
        k = int(np.argmax(np.abs(corr)))
        best = (float(abs(corr[k]) - bf), k)
    return viol, ties, uncertain, best


def certify_ball(A, Af, y, beta, zt, sol, norm_sq, intercept, tau, max_rounds, max_prec, t0):
    import flint
    n, p = A.shape
    qf = np.array([float(q) for q in norm_sq])
    Cf = Af / np.sqrt(qf)
    absCf = np.abs(Cf)
    yf = np.array([float(q) for q in y])
    bf = float(beta)
    corr_t, E, signs, zt = _float_start(Cf, yf, sol, zt, bf, tau, intercept)
    old_prec = flint.ctx.prec
    msg = ""
    last = None
    try:
        for rnd in range(1, max_rounds + 1):
            F = _choose_basis(A, Af, sorted(E), zt, intercept, n)
            s = np.array([signs[k] for k in F], dtype=int)
            prec = 64
            while True:
                flint.ctx.prec = prec
                try:
                    zF, xi, r = _solve_arb(A, y, beta, norm_sq, F, s, intercept)
                    bad, unsure = [], False
                    for j, k in enumerate(F):
                        if zF[j] > 0 or zF[j] < 0:
                            if (zF[j] > 0) != (s[j] > 0):
                                bad.append(k)
                        elif not zF[j].is_zero():
                            unsure = True
                    if unsure:
                        raise _NeedPrecision
                    viol, ties, uncertain, best = _check_all_ball(A, Cf, absCf, norm_sq, r,
                                                                  beta, F, s, n)
                    if uncertain and not viol and not bad:
                        raise _NeedPrecision
                    break
                except _NeedPrecision:
                    if prec >= max_prec:
                        bad, viol, ties, best = [], {}, list(range(0)), (math.nan, -1)
                        msg = f"balls still undecided at {prec} bits"
                        last = None
                        raise
                    prec *= 2
            last = (F, s, zF, xi, r, best, prec)
            if not bad and not viol:
                z = np.zeros(p)
                for j, k in enumerate(F):
                    z[k] = float(zF[j].mid())
                obj = flint.arb(0)
                for x in r:
                    obj += x * x
                l1 = flint.arb(0)
                for x in zF:
                    l1 += abs(x)
                obj = obj / 2 + flint.arb(_fmpq(beta)) * l1
                lo, hi = _arb_to_interval(obj)
                keep = [j for j in range(len(F)) if not zF[j].is_zero()]
                status = "enclosed" if not ties else "undecided"
                return ExactLasso(
                    status=status, support=np.array([F[j] for j in keep], dtype=int),
                    signs=np.array([s[j] for j in keep], dtype=int), z=z, xi=xi,
                    residual=np.array(r, dtype=object), objective_exact=None,
                    objective_enclosure=(lo, hi), objective=float(obj.mid()),
                    max_violation=best[0], argmax_violation=best[1], rounds=rnd,
                    message="" if not ties else
                    f"{len(ties)} column(s) with |A_kᵀr| ∋ β could not be resolved exactly",
                    z_enclosure=[zF[j] for j in keep], undecided=ties, precision=prec,
                    seconds=time.perf_counter() - t0)
            _drop(E, bad, Cf)
            zt = zt.copy()
            zt[bad] = 0.0
            for k, sg in viol.items():
                E.add(k)
                signs[k] = sg
            msg = f"round {rnd}: {len(bad)} sign-inconsistent, {len(viol)} violating columns"
    except _NeedPrecision:
        pass
    finally:
        flint.ctx.prec = old_prec
    z = np.zeros(p)
    F, s, best, prec = [], np.zeros(0, int), (math.nan, -1), max_prec
    xi, r = math.nan, np.array([], dtype=object)
    if last is not None:
        F, s, zF, xi, r, best, prec = last
        for j, k in enumerate(F):
            z[k] = float(zF[j].mid())
        r = np.array(r, dtype=object)
    return ExactLasso(
        status="not-certified", support=np.array(F, dtype=int), signs=s, z=z, xi=xi,
        residual=r, objective_exact=None, objective_enclosure=None,
        objective=float(getattr(sol, "objective", math.nan)), max_violation=best[0],
        argmax_violation=best[1], rounds=max_rounds, message=f"not certified: {msg}",
        precision=prec, seconds=time.perf_counter() - t0)
