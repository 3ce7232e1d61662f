"""Exact certification of a Lasso solution (THEORY §5, steps 2–6 and 8).

From a float solution, guess the equicorrelation set, pick an independent basis,
solve the KKT equations exactly over ℚ (or in ball arithmetic for columns a_k/√q_k)
and verify sign consistency, |A_kᵀr| ≤ β for **every** column and 𝟙ᵀr = 0.

>>> import numpy as np
>>> from fractions import Fraction as F
>>> from exactgeo.lasso import solve_lasso, certify_lasso
>>> A = np.array([[F(1), F(0)], [F(0), F(1)]], dtype=object)
>>> y = np.array([F(1), F(1)], dtype=object)
>>> sol = solve_lasso(A.astype(float), y.astype(float), 0.1, intercept=False)
>>> cert = certify_lasso(A, y, F(1, 10), sol, intercept=False)
>>> cert.status, cert.objective_exact, cert.z.tolist()
('exact', Fraction(19, 100), [Fraction(9, 10), Fraction(9, 10)])
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Optional

import numpy as np

from ..numbers import as_exact_array, to_fraction

__all__ = ["ExactLasso", "certify_lasso"]

_U = 2.0 ** -53


@dataclass
class ExactLasso:
    """Result of :func:`certify_lasso`.

    ``status``: "exact" (rational dictionary: KKT verified over ℚ), "enclosed" (columns
    a_k/√q_k: every inequality verified strictly on rigorous balls), "undecided" (all
    checks passed except ties |A_kᵀr| ∋ β that could not be resolved; see ``undecided``)
    or "not-certified" (see ``message``).
    ``support`` F (indices of the basis), ``signs`` s_F; ``z`` (p,) object array of
    Fractions (rational case) or float64 (ball case, with ``z_enclosure`` a list of flint
    ``arb`` balls on F); ``xi`` Fraction (or arb); ``residual`` r (n,) Fractions (or
    arbs); ``objective_exact`` Fraction or None; ``objective_enclosure`` (lo, hi) as
    Fractions, rigorous; ``objective`` float; ``max_violation`` = max_k |A_kᵀr| − β as a
    float (≤ 0 when certified) at column ``argmax_violation``; ``rounds`` repair rounds;
    ``precision`` bits used (ball case).
    """
    status: str
    support: np.ndarray
    signs: np.ndarray
    z: np.ndarray
    xi: Any
    residual: np.ndarray
    objective_exact: Optional[Fraction]
    objective_enclosure: Optional[tuple]
    objective: float
    max_violation: float
    argmax_violation: int
    rounds: int
    message: str
    z_enclosure: Optional[list] = None
    undecided: list = field(default_factory=list)
    precision: int = 0
    seconds: float = 0.0

    @property
    def certified(self) -> bool:
        return self.status in ("exact", "enclosed")


# ----------------------------------------------------------------- helpers

def _frac_int_vec(v):
    """Fractions (n,) → (ints (n,), common denominator)."""
    den = 1
    for q in v:
        den = den * q.denominator // math.gcd(den, q.denominator)
    return [q.numerator * (den // q.denominator) for q in v], den


def _int_columns(A_cols):
    """Object (n, m) Fractions → list of per-column (ints, den)."""
    return [_frac_int_vec(A_cols[:, j]) for j in range(A_cols.shape[1])]


def _pivot_columns(cols, n):
    """Greedy independent subset (in the given order) of integer columns, exactly:
    the pivot columns of the reduced row echelon form of [cols]."""
    import flint
    if not cols:
        return []
    M = flint.fmpz_mat(n, len(cols))
    for j, c in enumerate(cols):
        for i in range(n):
            if c[i]:
                M[i, j] = c[i]
    R, _den, rank = M.rref()
    piv = []
    j = 0
    ncols = len(cols)
    for i in range(int(rank)):
        while j < ncols and R[i, j] == 0:
            j += 1
        piv.append(j)
        j += 1
    return piv


def _float_prefilter(cols_f, n, order, tol=1e-9):
    """Float greedy independence (modified Gram–Schmidt) to shorten the exact rref."""
    Q = []
    keep = []
    for k in order:
        v = cols_f[:, k].astype(float).copy()
        nv = np.linalg.norm(v)
        if nv == 0:
            continue
        for q in Q:
            v -= (q @ v) * q
        for q in Q:
            v -= (q @ v) * q
        nr = np.linalg.norm(v)
        if nr > tol * nv:
            Q.append(v / nr)
            keep.append(k)
            if len(keep) >= n:
                break
    return keep


def _basic_guess(Af, zt, E, intercept, yf, rt, signs):
    """A basic float guess supported on E (independent columns), for the greedy basis:
    the crossover of :func:`.ipm.crossover`, else z̃ on E purified along null directions."""
    from .cd import purify
    from .ipm import crossover
    idx = np.array(sorted(E), dtype=int)
    if not idx.size:
        return np.zeros_like(zt)
    out = crossover(Af, yf, rt, idx, [signs[k] for k in idx], intercept)
    if out is None:
        out = np.zeros_like(zt)
        out[idx] = purify(Af[:, idx], zt[idx], intercept=intercept)
    return out


def _float_start(Af, yf, sol, zt, beta, tau, intercept):
    """Equicorrelation set E = {k : |A_kᵀr̃| ≥ β(1 − τ)}, signs and a basic guess on E.

    r̃ is the solver's dual point when it has one: it estimates the unique optimal
    residual best (for an interior-point solution far better than y − Az̃).
    """
    guess = getattr(sol, "lam", None)
    if guess is None:
        guess = getattr(sol, "residual", None)
    rt = np.asarray(guess, dtype=float) if guess is not None else yf - Af @ zt
    if intercept:
        rt = rt - rt.mean()
    corr_t = Af.T @ rt
    E = set(np.flatnonzero(np.abs(corr_t) >= beta * (1 - tau)).tolist())
    signs = {k: int(np.sign(corr_t[k])) or int(np.sign(zt[k])) or 1 for k in E}
    return corr_t, E, signs, _basic_guess(Af, zt, E, intercept, yf, rt, signs)


def _drop(E, bad, Af):
    """Remove ``bad`` and every candidate with the same float column (exact duplicates
    of a dropped column would otherwise re-enter the basis with the same sign)."""
    if not bad:
        return
    cand = np.array(sorted(E), dtype=int)
    for k in bad:
        same = np.all(Af[:, cand] == Af[:, [k]], axis=0)
        for j in cand[same]:
            E.discard(int(j))
        E.discard(k)


def _fmpq(q):
    import flint
    return flint.fmpq(q.numerator, q.denominator)


def _arb_to_interval(a):
    """Rigorous (lo, hi) Fractions of an arb ball."""
    lo = a.lower()
    hi = a.upper()
    m1, e1 = lo.man_exp()
    m2, e2 = hi.man_exp()
    f = lambda m, e: Fraction(int(m)) * (Fraction(2) ** int(e))  # noqa: E731
    return f(m1, e1), f(m2, e2)


def _validate(A, y, beta, sol, norm_sq, intercept):
    if not isinstance(A, np.ndarray) or A.ndim != 2:
        raise ValueError(f"A: expected an exact 2-D (n, p) object array, got "
                         f"{type(A).__name__} {getattr(A, 'shape', '')}")
    if A.dtype != object:
        raise TypeError(f"A: expected an object array of Fractions, got dtype {A.dtype}")
    n, p = A.shape
    y = as_exact_array(y, "y")
    if y.shape != (n,):
        raise ValueError(f"y: expected shape ({n},), got {y.shape}")
    beta = to_fraction(beta, "beta")
    if beta <= 0:
        raise ValueError(f"beta: expected an exact value > 0, got {beta}")
    z = np.asarray(getattr(sol, "z", None), dtype=np.float64)
    if z.shape != (p,):
        raise ValueError(f"sol: expected a LassoSolution with z of shape ({p},), got {z.shape}")
    if norm_sq is not None:
        norm_sq = as_exact_array(norm_sq, "norm_sq")
        if norm_sq.shape != (p,):
            raise ValueError(f"norm_sq: expected shape ({p},), got {norm_sq.shape}")
        if any(q <= 0 for q in norm_sq):
            raise ValueError("norm_sq: expected positive values")
    return y, beta, z, norm_sq


# ----------------------------------------------------------------- rational case

def _exact_corr(A, k, r_int, r_den):
    """A_kᵀr exactly (Fraction)."""
    ints, den = _frac_int_vec(A[:, k])
    return Fraction(sum(a * b for a, b in zip(ints, r_int) if a), den * r_den)


def _check_all(A, Af, absAf, r, beta, n):
    """|A_kᵀr| ≤ β for all k, rigorously: float filter with an a-priori rounding bound,
    exact evaluation of the undecided columns. Returns (violators dict k→value,
    max_violation float, argmax)."""
    rf = np.array([float(q) for q in r])
    corr = Af.T @ rf
    mag = absAf.T @ np.abs(rf)
    bound = 2.0 * (n + 4) * _U * mag + n * 1e-300
    bf = float(beta)
    sure_ok = np.abs(corr) + bound < bf * (1 - 4 * _U)
    todo = np.flatnonzero(~sure_ok)
    r_int, r_den = _frac_int_vec(r)
    viol = {}
    best = (-math.inf, -1)
    for k in todo:
        v = _exact_corr(A, k, r_int, r_den)
        excess = abs(v) - beta
        if excess > 0:
            viol[int(k)] = v
        fe = float(excess)
        if fe > best[0]:
            best = (fe, int(k))
    if best[1] < 0 and corr.size:
        k = int(np.argmax(np.abs(corr)))
        best = (float(abs(corr[k]) - bf), k)
    return viol, best[0], best[1]


def _kkt_solve_q(A, y, beta, F, s, intercept):
    """Exact θ for MᵀMθ = Mᵀy − (βs, 0), M = [A_F, 𝟙]; returns (z_F, xi, r)."""
    import flint
    n = A.shape[0]
    m = len(F) + (1 if intercept else 0)
    M = flint.fmpq_mat(n, m)
    for j, k in enumerate(F):
        for i in range(n):
            q = A[i, k]
            if q:
                M[i, j] = _fmpq(q)
    if intercept:
        for i in range(n):
            M[i, m - 1] = 1
    Y = flint.fmpq_mat(n, 1, [_fmpq(q) for q in y])
    Mt = M.transpose()
    rhs = Mt * Y
    for j in range(len(F)):
        rhs[j, 0] -= _fmpq(beta) * int(s[j])
    theta = (Mt * M).solve(rhs)
    fit = M * theta
    th = [Fraction(int(theta[j, 0].p), int(theta[j, 0].q)) for j in range(m)]
    r = np.array([y[i] - Fraction(int(fit[i, 0].p), int(fit[i, 0].q)) for i in range(n)],
                 dtype=object)
    zF = th[:len(F)]
    xi = th[-1] if intercept else Fraction(0)
    return zF, xi, r


def _choose_basis(A, Af, cand, zt, intercept, n):
    """Greedy independent basis from ``cand`` ordered by |z̃| (𝟙 first with intercept)."""
    order = sorted(cand, key=lambda k: (-abs(zt[k]), k))
    Fl = np.array(Af[:, order], dtype=float) if order else np.zeros((n, 0))
    if intercept:
        Fl = np.column_stack([np.ones(n), Fl])
    pre = _float_prefilter(Fl, n, range(Fl.shape[1]), tol=1e-10)
    # exact confirmation: pivots of the pre-selected columns, then of all candidates
    cols = []
    idx = []
    for j in pre:
        if intercept and j == 0:
            cols.append([1] * n)
            idx.append(-1)
        else:
            k = order[j - (1 if intercept else 0)]
            cols.append(_frac_int_vec(A[:, k])[0])
            idx.append(k)
    piv = _pivot_columns(cols, n)
    chosen = [idx[j] for j in piv]
    if len(piv) < len(cols):
        # float pre-selection was fooled: run the exact greedy on all candidates
        cols = ([[1] * n] if intercept else []) + [_frac_int_vec(A[:, k])[0] for k in order]
        idx = ([-1] if intercept else []) + list(order)
        piv = _pivot_columns(cols, n)
        chosen = [idx[j] for j in piv]
    if intercept and -1 not in chosen:
        chosen = [-1] + chosen  # 𝟙 is always first in the order; kept for clarity
    return [k for k in chosen if k >= 0]


def certify_lasso(A, y, beta, sol, *, norm_sq=None, intercept=True, tau=1e-6,
                  max_rounds=20, A_float=None, max_prec=2048, resolve=True) -> ExactLasso:
    """Exact KKT certificate of the Lasso ½‖Az + ξ𝟙 − y‖² + β‖z‖₁ (THEORY §5).

    A (n, p) object array of Fractions, y (n,) exact, β exact > 0, ``sol`` a float
    :class:`LassoSolution` of the float version of the dictionary. ``norm_sq`` (p,)
    exact: the true column k is A[:, k]/√norm_sq[k] (ball arithmetic, status "enclosed").
    ``A_float`` may pass float(A) (correctly rounded, e.g. ``A.astype(float)``) to
    save the conversion. Rigorous: floats only pre-filter with an a-priori error bound.
    If the first KKT round fails and ``resolve``, the float Lasso is re-solved once
    (warm-started, tol 1e-12) before the repair rounds of THEORY §5.6.
    """
    t0 = time.perf_counter()
    y, beta, zt, norm_sq = _validate(A, y, beta, sol, norm_sq, intercept)
    n, p = A.shape
    Af = np.asarray(A_float, dtype=np.float64) if A_float is not None else A.astype(np.float64)
    if Af.shape != (n, p):
        raise ValueError(f"A_float: expected shape ({n}, {p}), got {Af.shape}")
    if norm_sq is not None:
        from .ball import certify_ball
        return certify_ball(A, Af, y, beta, zt, sol, norm_sq, intercept, tau, max_rounds,
                            max_prec, t0)
    absAf = np.abs(Af)
    yf = np.array([float(q) for q in y])
    bf = float(beta)
    zt0 = zt
    corr_t, E, signs, zt = _float_start(Af, yf, sol, zt, bf, tau, intercept)
    msg = ""
    last = None
    for rnd in range(1, max_rounds + 1):
        F = _choose_basis(A, Af, sorted(E), zt, intercept, n)
        s = np.array([signs[k] for k in F], dtype=int)
        zF, xi, r = _kkt_solve_q(A, y, beta, F, s, intercept)
        bad = [F[j] for j in range(len(F)) if zF[j] != 0 and (zF[j] > 0) != (s[j] > 0)]
        viol, maxv, argv = _check_all(A, Af, absAf, r, beta, n)
        last = (F, s, zF, xi, r, maxv, argv)
        if intercept and sum(r) != 0:  # cannot happen: 𝟙 is in the basis
            msg = "1ᵀr ≠ 0"
        if not bad and not viol:
            z = np.array([Fraction(0)] * p, dtype=object)
            for j, k in enumerate(F):
                z[k] = zF[j]
            l1 = sum((abs(q) for q in zF), Fraction(0))
            obj = Fraction(1, 2) * sum((q * q for q in r), Fraction(0)) + beta * l1
            keep = [j for j in range(len(F)) if zF[j] != 0]
            return ExactLasso(
                status="exact", support=np.array([F[j] for j in keep], dtype=int),
                signs=np.array([s[j] for j in keep], dtype=int), z=z, xi=xi, residual=r,
                objective_exact=obj, objective_enclosure=(obj, obj), objective=float(obj),
                max_violation=maxv, argmax_violation=argv, rounds=rnd, message="",
                seconds=time.perf_counter() - t0)
        if rnd == 1 and resolve:
            # the float guess may be poor: re-solve in floats (warm start) once, then repair
            from .cd import solve_lasso
            s2 = solve_lasso(Af, yf, bf, intercept=intercept, tol=1e-12, z0=zt0)
            if s2.rel_gap < float(getattr(sol, "rel_gap", math.inf)):
                rt = s2.lam - s2.lam.mean() if intercept else s2.lam
                corr_t = Af.T @ rt
                E = set(np.flatnonzero(np.abs(corr_t) >= bf * (1 - tau)).tolist())
                signs = {k: int(np.sign(corr_t[k])) or int(np.sign(s2.z[k])) or 1 for k in E}
                zt = _basic_guess(Af, s2.z, E, intercept, yf, rt, signs)
                continue
        # repair: drop sign-inconsistent columns, add violators with their signs
        _drop(E, bad, Af)
        zt = zt.copy()
        zt[bad] = 0.0
        # add the most violating columns (at most n per round)
        for k in sorted(viol, key=lambda k: -abs(viol[k]))[:n]:
            E.add(k)
            signs[k] = 1 if viol[k] > 0 else -1
        msg = (f"round {rnd}: {len(bad)} sign-inconsistent, {len(viol)} violating columns "
               f"(max |A_kᵀr| − β = {maxv:.3g} at column {argv})")
    F, s, zF, xi, r, maxv, argv = last
    z = np.array([Fraction(0)] * p, dtype=object)
    for j, k in enumerate(F):
        z[k] = zF[j]
    return ExactLasso(
        status="not-certified", support=np.array(F, dtype=int), signs=s, z=z, xi=xi,
        residual=r, objective_exact=None, objective_enclosure=None,
        objective=float(getattr(sol, "objective", math.nan)), max_violation=maxv,
        argmax_violation=argv, rounds=max_rounds,
        message=f"not certified after {max_rounds} rounds; last {msg}",
        seconds=time.perf_counter() - t0)
