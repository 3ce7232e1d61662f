"""Float Lasso solver: coordinate descent (numba) with working sets and gap-safe screening.

Solves ``min_{z, ξ} ½‖Az + ξ𝟙 − y‖² + β‖z‖₁`` (ξ free and unpenalised iff
``intercept``; THEORY §0) and stops on the relative duality gap.

>>> import numpy as np
>>> from exactgeo.lasso import solve_lasso
>>> A = np.array([[1.0, 0.0], [0.0, 1.0]])
>>> sol = solve_lasso(A, np.array([1.0, 1.0]), 0.1, intercept=False)
>>> np.round(sol.z, 12).tolist(), round(sol.objective, 12), sol.converged
([0.9, 0.9], 0.19, True)
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
from numba import njit

from .active import active_set_solve

__all__ = ["LassoSolution", "solve_lasso", "beta_max", "duality_gap", "purify"]

_TINY = 1e-300


@dataclass
class LassoSolution:
    """Result of :func:`solve_lasso`.

    ``z`` (p,), ``xi`` (0.0 without intercept), ``residual`` r = y − Az − ξ𝟙 (n,),
    ``objective`` ½‖r‖² + β‖z‖₁, ``dual_objective`` D(λ) = λᵀy − ½‖λ‖² at the dual
    point ``lam`` (the residual, centred with an intercept and rescaled so that
    max_k |A_kᵀλ| ≤ β), ``gap`` = objective − dual_objective, ``rel_gap`` =
    gap / max(objective, tiny), ``n_epochs`` (coordinate-descent passes over the
    working sets), ``converged`` (rel_gap ≤ tol), ``seconds``, ``beta``,
    ``n_screened`` columns removed by the gap-safe rule, ``n_zero_columns``
    columns treated as zero (constant columns with an intercept), ``history``
    (seconds, objective, rel_gap) per outer round. All in the caller's units; the
    solver computes them on its normalised problem (see :func:`solve_lasso`), so
    rel_gap and converged do not depend on the scale of A and y.
    """
    z: np.ndarray
    xi: float
    residual: np.ndarray
    objective: float
    dual_objective: float
    gap: float
    rel_gap: float
    n_epochs: int
    converged: bool
    lam: np.ndarray
    seconds: float
    beta: float = float("nan")
    n_screened: int = 0
    n_zero_columns: int = 0
    history: list = field(default_factory=list, repr=False)

    @property
    def r(self) -> np.ndarray:
        """Alias of ``residual``."""
        return self.residual

    @property
    def support(self) -> np.ndarray:
        """Indices k with z_k ≠ 0."""
        return np.flatnonzero(self.z)


# ----------------------------------------------------------------- validation

def _validate(A, y, beta, intercept):
    if isinstance(A, np.ndarray) and A.dtype == object:
        raise TypeError("A: expected a float64 matrix, got an object array "
                        "(convert exact dictionaries with Dictionary.float_matrix())")
    try:
        A = np.asarray(A, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"A: expected a numeric (n, p) matrix, got {type(A).__name__}") from None
    if A.ndim != 2:
        raise ValueError(f"A: expected a 2-D (n, p) matrix, got shape {A.shape}")
    try:
        y = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"y: expected a numeric vector, got {type(y).__name__}") from None
    if y.ndim != 1:
        raise ValueError(f"y: expected a 1-D vector of length {A.shape[0]}, got shape {y.shape}")
    if y.shape[0] != A.shape[0]:
        raise ValueError(f"y: expected length n = {A.shape[0]} (rows of A), got {y.shape[0]}")
    if A.shape[0] == 0:
        raise ValueError("A: expected at least one row (sample), got 0")
    if not np.all(np.isfinite(A)):
        raise ValueError("A: expected finite entries, got NaN or inf")
    if not np.all(np.isfinite(y)):
        raise ValueError("y: expected finite entries, got NaN or inf")
    try:
        beta = float(beta)
    except (TypeError, ValueError):
        raise TypeError(f"beta: expected a positive number, got {beta!r}") from None
    if not math.isfinite(beta) or beta <= 0:
        raise ValueError(f"beta: expected a finite number > 0, got {beta!r}")
    if not isinstance(intercept, (bool, np.bool_)):
        raise TypeError(f"intercept: expected a bool, got {intercept!r}")
    return A, y, beta


def _exponent(m) -> int:
    """e with 2**e ≤ m < 2**(e + 1); 0 when m is 0 (or not finite)."""
    m = float(m)
    return math.frexp(m)[1] - 1 if m > 0 and math.isfinite(m) else 0


def _max_abs(X) -> float:
    """max |X_ij| without an |X|-sized temporary (0 for an empty X)."""
    return max(float(X.max(initial=0.0)), -float(X.min(initial=0.0)))


def _normalised_beta(beta, ea, eb) -> float:
    """β' = β / (2^ea·2^eb), kept in [tiny, 1e300]. The clamp changes nothing: above 1e300
    β' exceeds β_max' ≤ 4n (max|A'|, max|y'| < 2), so z = 0 is optimal either way; below
    tiny the penalty is far under the rounding of the loss."""
    b = float(np.ldexp(beta, -(ea + eb)))
    return min(max(b, np.finfo(float).tiny), 1e300)


def _prepare(A, y, intercept):
    """Centre (with intercept) and normalise → Fortran Ac, yc, means, column norms², the
    zero-column mask, and the exponents (ea, eb).

    Scale invariance (the Lasso of (A·a, y·b, β·a·b) has the solutions z·b/a, ξ·b, the
    residual r·b and the values ·b²): Ac = (A − ā)/2^ea and yc = (y − ȳ)/2^eb, with ea, eb
    chosen so that max|Ac|, max|yc| ∈ [1, 2) (ā = ȳ = 0 without intercept). Scaling by
    powers of two is exact, so for data already in that range nothing changes, and
    solving the normalised problem with β' = β/2^(ea+eb) gives *bit-identical* results
    for data scaled by any power of two; a_mean, y_mean are returned normalised as well.
    """
    if intercept:
        a_mean = A.mean(axis=0)
        y_mean = float(y.mean())
        Ac = np.asfortranarray(A - a_mean)
        yc = y - y_mean
    else:
        a_mean = np.zeros(A.shape[1])
        y_mean = 0.0
        Ac = np.asfortranarray(A)
        yc = y.copy()
    ea, eb = _exponent(_max_abs(Ac)), _exponent(_max_abs(yc))
    if ea:
        if Ac is A or np.may_share_memory(Ac, A):
            Ac = np.ldexp(Ac, -ea, order="F")
        else:
            np.ldexp(Ac, -ea, out=Ac)
        a_mean = np.ldexp(a_mean, -ea)
    if eb:
        yc = np.ldexp(yc, -eb)
        y_mean = float(np.ldexp(y_mean, -eb))
    norms2 = np.einsum("ij,ij->j", Ac, Ac)
    # a column is "zero" when its (centred) norm is at rounding level of its entries:
    # constant columns become O(1e-16)·scale after centring and must never be selected.
    scale = np.ldexp(np.abs(A).max(axis=0), -ea) if A.shape[1] else np.zeros(0)
    thr = (64 * np.finfo(float).eps) ** 2 * A.shape[0] * scale ** 2
    valid = norms2 > np.maximum(thr, _TINY)
    norms2 = np.where(valid, norms2, 0.0)
    return Ac, yc, a_mean, y_mean, norms2, valid, ea, eb


def beta_max(A, y, intercept: bool = True) -> float:
    """Smallest β for which z = 0 solves the Lasso: max_k |A_kᵀ(y − ȳ𝟙)| (ȳ = 0 without
    intercept). Computed on the normalised data (see :func:`_prepare`) and scaled back,
    so that it neither underflows nor overflows for data far from unit scale.

    >>> beta_max(np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([1.0, 0.0]), intercept=False)
    2.0
    """
    A, y, _ = _validate(A, y, 1.0, intercept)
    Ac, yc, _, _, norms2, valid, ea, eb = _prepare(A, y, intercept)
    if not valid.any():
        return 0.0
    return float(np.ldexp(np.max(np.abs(Ac[:, valid].T @ yc)), ea + eb))


# ----------------------------------------------------------------- numba kernels

@njit(cache=True)
def _primal(r, z, beta):
    s = 0.0
    for i in range(r.shape[0]):
        s += r[i] * r[i]
    l1 = 0.0
    for j in range(z.shape[0]):
        l1 += abs(z[j])
    return 0.5 * s + beta * l1


@njit(cache=True)
def _dual_at(r, yc, Aw, norms2, beta):
    """Dual value at r rescaled to satisfy |A_jᵀλ| ≤ β on the columns of Aw."""
    n, m = Aw.shape
    mx = 0.0
    for j in range(m):
        if norms2[j] == 0.0:
            continue
        g = 0.0
        for i in range(n):
            g += Aw[i, j] * r[i]
        if abs(g) > mx:
            mx = abs(g)
    sc = 1.0
    if mx > beta:
        sc = beta / mx
    ly = 0.0
    ll = 0.0
    for i in range(n):
        li = sc * r[i]
        ly += li * yc[i]
        ll += li * li
    return ly - 0.5 * ll


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
    p_val = _primal(r, z, beta)
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
                        if _primal(r_acc, z_acc, beta) < _primal(r, z, beta):
                            z[:] = z_acc
                            r[:] = r_acc
        if ep % 5 == 0 or ep >= max_epochs:
            p_val = _primal(r, z, beta)
            dv = _dual_at(r, yc, Aw, norms2, beta)
            if dv > d_val:
                d_val = dv
            if p_val - d_val <= tol_abs:
                break
    p_val = _primal(r, z, beta)
    dv = _dual_at(r, yc, Aw, norms2, beta)
    if dv > d_val:
        d_val = dv
    return ep, p_val, d_val


# ----------------------------------------------------------------- helpers

def _gap_parts(Ac, yc, z, beta, valid):
    r = yc - Ac @ z
    corr = Ac.T @ r
    corr[~valid] = 0.0
    mx = float(np.max(np.abs(corr))) if corr.size else 0.0
    sc = 1.0 if mx <= beta else beta / mx
    lam = sc * r
    primal = 0.5 * float(r @ r) + beta * float(np.abs(z).sum())
    dual = float(lam @ yc) - 0.5 * float(lam @ lam)
    return r, corr, lam, primal, dual


def duality_gap(A, y, beta, z, xi=None, *, intercept=True):
    """``(primal, dual, gap, rel_gap)`` of an arbitrary point (z, ξ) of the Lasso.

    The same gap every benchmark uses: the residual r = y − Az − ξ𝟙 is centred when
    there is an intercept (this only lowers the primal value: ξ is re-optimised),
    rescaled to λ with max_k |A_kᵀλ| ≤ β, and D(λ) = λᵀy − ½‖λ‖².

    >>> A = np.eye(2); p, d, g, rg = duality_gap(A, [1.0, 1.0], 0.1, [0.9, 0.9], intercept=False)
    >>> abs(g) < 1e-15
    True
    """
    A, y, beta = _validate(A, y, beta, intercept)
    z = np.asarray(z, dtype=np.float64)
    if z.shape != (A.shape[1],):
        raise ValueError(f"z: expected shape ({A.shape[1]},), got {z.shape}")
    if not intercept and xi is not None and xi != 0:
        raise ValueError("xi: must be None or 0 without intercept")
    # evaluated on the problem normalised by powers of two (A/2^ea, y/2^eb, z·2^(ea−eb),
    # β/2^(ea+eb); exact, see _prepare) and scaled back by 2^(2eb): the same numbers at
    # unit scale, and no underflow/overflow (or relative gap lost under _TINY) far from it
    ea = _exponent(_max_abs(A))
    eb = _exponent(_max_abs(y - y.mean()) if intercept else _max_abs(y))
    y = np.ldexp(y, -eb)
    zn = np.ldexp(z, -eb)            # A'·z' = (A/2^ea)·(z·2^(ea−eb)) = A·(z/2^eb)
    r = y - A @ zn
    if intercept:
        r = r - r.mean()
    bn = float(np.ldexp(beta, -(ea + eb)))
    primal = 0.5 * float(r @ r) + bn * float(np.abs(np.ldexp(z, ea - eb)).sum())
    corr = np.ldexp(A.T @ r, -ea)
    mx = float(np.max(np.abs(corr))) if corr.size else 0.0
    lam = r if mx <= bn else (bn / mx) * r
    dual = float(lam @ y) - 0.5 * float(lam @ lam)
    gap = primal - dual
    rel = gap / max(primal, _TINY)
    primal, dual, gap = (float(np.ldexp(v, 2 * eb)) for v in (primal, dual, gap))
    return primal, dual, gap, rel


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


def purify(A, z, *, intercept=True, rank_tol=1e-10, max_steps=None):
    """Move z along null directions of [A_S, 𝟙] (fit unchanged, ℓ1 not increased) until
    its support S has independent columns; returns a copy. Used to turn an interior
    (e.g. interior-point) solution into a basic one before exact certification.

    >>> sorted(np.round(purify(np.array([[1.0, 1.0]]), np.array([0.5, 0.5]), intercept=False), 12).tolist())
    [0.0, 1.0]
    """
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


def _refine(Ac, yc, z, beta, max_steps=50, rank_tol=1e-10):
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


# ----------------------------------------------------------------- solver

def _unscale(sol, ea, eb, beta):
    """A solution of the problem normalised by :func:`_prepare` (A/2^ea, y/2^eb,
    β/2^(ea+eb)) → the solution of the original one: z·2^(eb−ea); ξ, r, λ ·2^eb; the
    objective, dual objective, gap (and the history's objective) ·2^(2eb); β as given.
    rel_gap, converged and the counts are scale-free. Exact (powers of two)."""
    sol.beta = beta
    if ea == 0 and eb == 0:
        return sol
    sol.z = np.ldexp(sol.z, eb - ea)
    sol.xi = float(np.ldexp(sol.xi, eb))
    sol.residual = np.ldexp(sol.residual, eb)
    sol.lam = np.ldexp(sol.lam, eb)
    sol.objective, sol.dual_objective, sol.gap = (
        float(np.ldexp(v, 2 * eb)) for v in (sol.objective, sol.dual_objective, sol.gap))
    sol.history = [(t, float(np.ldexp(v, 2 * eb)), rel) for t, v, rel in sol.history]
    return sol


def _solve_ipm(A, y, beta, intercept, tol, Ac, yc, a_mean, y_mean, valid, t0, ea):
    """Interior point on the normalised problem (y, β, Ac, yc, means normalised; the
    original A is read as A/2^ea); the result is in normalised units."""
    from .ipm import working_set_ipm
    z = np.zeros(A.shape[1])
    zv, info = working_set_ipm(np.ascontiguousarray(Ac[:, valid]), yc, beta, tol=tol,
                               centred=intercept)
    z[valid] = zv
    xi = float(y_mean - a_mean @ z) if intercept else 0.0
    r = y - A @ np.ldexp(z, -ea) - xi     # (A/2^ea)·z without forming A/2^ea
    primal, dual = float(info["primal"]), float(info["dual"])
    return LassoSolution(z=z, xi=xi, residual=r, objective=primal,
                         dual_objective=dual, gap=primal - dual,
                         rel_gap=float(info["rel_gap"]), n_epochs=info["iterations"],
                         converged=bool(info["rel_gap"] <= tol), lam=info["theta"],
                         seconds=time.perf_counter() - t0, beta=beta,
                         n_zero_columns=int((~valid).sum()))


def solve_lasso(A, y, beta, *, intercept=True, tol=1e-9, max_epochs=100_000, z0=None,
                xi0=None, method="auto", ws_start=None, polish=True, screen=True,
                max_seconds=None, verbose=False) -> LassoSolution:
    """Minimise ½‖Az + ξ𝟙 − y‖² + β‖z‖₁ over z (p,) and, iff ``intercept``, ξ ∈ ℝ.

    A float64 (n, p), y (n,), β > 0. Coordinate descent (numba) on working sets chosen
    by distance to the dual constraint boundary, Anderson extrapolation, gap-safe
    screening, and a least-squares KKT "polish" on the current support/sign pattern.
    Stops when rel_gap ≤ ``tol`` (or after ``max_epochs`` / ``max_seconds``; then
    ``converged`` is False). ``method``: "ipm" (interior point on a working set,
    :mod:`.ipm`; no warm start), "cd", "active-set", or "auto" (ipm for n ≤ 2000, else cd). With an intercept A and y are centred; constant
    columns are then zero and are never selected. ``z0`` warm-starts (``xi0`` is
    accepted but unused: with an intercept ξ = mean(y − Az) is optimal for every z).

    Scale invariant: every method solves the problem normalised by powers of two (the
    centred A and y scaled to max|·| ∈ [1, 2), β' = β/(2^ea·2^eb), see :func:`_prepare`)
    and maps the result back (z·2^(eb−ea), ξ, r, λ ·2^eb, values ·2^(2eb)); all
    tolerances are relative. So solve_lasso(A·s, y·t, β·s·t) returns z·t/s and the
    objective·t² (bit for bit when s, t are powers of two), and data already in that
    range is solved exactly as without the normalisation.

    >>> sol = solve_lasso(np.array([[1.0, 1.0], [0.0, 1.0], [1.0, 1.0]]), np.array([1.0, 0.0, 1.0]), 0.01)
    >>> bool(sol.converged), float(sol.z[1])  # the constant column 1 is never selected
    (True, 0.0)
    """
    t0 = time.perf_counter()
    A, y, beta = _validate(A, y, beta, intercept)
    try:
        tol = float(tol)
    except (TypeError, ValueError):
        raise TypeError(f"tol: expected a positive float, got {tol!r}") from None
    if not tol > 0:
        raise ValueError(f"tol: expected a number > 0, got {tol!r}")
    n, p = A.shape
    # from here on everything is in normalised units: Ac, yc, a_mean, y_mean, y, β and z;
    # the original A is read as A/2^ea (never formed); _unscale maps the result back
    Ac, yc, a_mean, y_mean, norms2, valid, ea, eb = _prepare(A, y, intercept)
    beta_in = beta
    beta = _normalised_beta(beta, ea, eb)
    y = np.ldexp(y, -eb)
    if z0 is None:
        z = np.zeros(p)
    else:
        z = np.array(z0, dtype=np.float64)
        if z.shape != (p,):
            raise ValueError(f"z0: expected shape ({p},), got {z.shape}")
        if not np.all(np.isfinite(z)):
            raise ValueError("z0: expected finite entries, got NaN or inf")
        z[~valid] = 0.0
        z = np.ldexp(z, ea - eb)
    active = valid.copy()          # not screened, not zero
    norms = np.sqrt(norms2)
    n_epochs = 0
    history = []
    if method not in ("auto", "ipm", "cd", "active-set"):
        raise ValueError(f"method: expected 'auto', 'ipm', 'cd' or 'active-set', got {method!r}")
    if method == "ipm" or (method == "auto" and n <= 2000):
        sol = _solve_ipm(A, y, beta, intercept, tol, Ac, yc, a_mean, y_mean, valid, t0, ea)
        if method == "ipm" or np.all(np.isfinite(sol.z)):
            return _unscale(sol, ea, eb, beta_in)
        method = "active-set"  # fall back: rounding broke the interior-point iterates
    use_as = method == "active-set"
    ws_cap = 4000     # the active-set inner solver holds the working set's Gram matrix
    if ws_start is None:
        ws_start = 4 * n if use_as else 64
    ws_size = int(min(max(ws_start, 1), p)) if p else 0
    best = None
    converged = False
    max_outer = 200
    for outer in range(max_outer):
        r, corr, lam, primal, dual = _gap_parts(Ac, yc, z, beta, valid)
        gap = primal - dual
        if best is None or gap < best[3]:
            best = (z.copy(), primal, dual, gap)
        rel = gap / max(primal, _TINY)
        history.append((time.perf_counter() - t0, primal, rel))
        if verbose:
            print(f"outer {outer}: primal {float(np.ldexp(primal, 2 * eb)):.12g} "
                  f"rel_gap {rel:.3e} ws {ws_size} "
                  f"epochs {n_epochs} active {int(active.sum())}")
        if rel <= tol:
            converged = True
            break
        if n_epochs >= max_epochs or p == 0:
            break
        if max_seconds is not None and time.perf_counter() - t0 > max_seconds:
            break
        # gap-safe sphere test: ‖λ* − λ‖ ≤ √(2 gap), so |A_kᵀλ| + ‖A_k‖√(2 gap) < β ⇒ z*_k = 0
        if screen:
            radius = math.sqrt(2.0 * max(gap, 0.0))
            mxc = float(np.abs(corr).max())
            corr_l = corr if mxc <= beta else corr * (beta / mxc)
            kill = active & (np.abs(corr_l) + norms * radius < beta * (1 - 1e-12))
            if kill.any():
                if np.any(z[kill] != 0.0):
                    z[kill] = 0.0
                active &= ~kill
        # working set: support first, then the columns closest to the constraint boundary
        supp = np.flatnonzero(z)
        ws_size = int(min(max(ws_size, 2 * supp.size), int(active.sum())))
        if use_as:
            ws_size = min(ws_size, max(ws_cap, supp.size + 1))
        score = np.full(p, np.inf)
        idx_act = np.flatnonzero(active)
        score[idx_act] = (beta - np.abs(corr[idx_act])) / norms[idx_act]
        score[supp] = -np.inf
        if ws_size < p:
            ws = np.argpartition(score, ws_size - 1)[:ws_size]
        else:
            ws = np.arange(p)
        ws = ws[np.isfinite(score[ws]) | (score[ws] == -np.inf)]
        ws = np.union1d(ws, supp)
        Aw = np.asfortranarray(Ac[:, ws])
        zw = z[ws].copy()
        rw = yc - Aw @ zw
        tol_in = max(0.25 * gap, 0.1 * tol * max(primal, _TINY))
        if use_as:
            Gw = Aw.T @ Aw
            bw = Aw.T @ yc
            zw, ep = active_set_solve(Gw, bw, beta, zw, valid=norms2[ws] > 0)
            n_epochs += ep
            z[ws] = zw
        else:
            ep, _, _ = _inner(Aw, yc, zw, rw, norms2[ws], beta, tol_in,
                              max(1, max_epochs - n_epochs), 5)
            n_epochs += ep
            z[ws] = zw
            if polish:
                z = _refine(Ac, yc, z, beta)
        ws_size = min(2 * ws_size, p)
    z_best = z if converged else best[0]
    # final quantities on the original (uncentred) A, read as A/2^ea (normalised units)
    xi = float(y_mean - a_mean @ z_best) if intercept else 0.0
    r = y - A @ np.ldexp(z_best, -ea) - xi
    rc = r - r.mean() if intercept else r
    corr = np.ldexp(A.T @ rc, -ea)
    corr[~valid] = 0.0
    mx = float(np.max(np.abs(corr))) if corr.size else 0.0
    lam = rc if mx <= beta else (beta / mx) * rc
    primal = 0.5 * float(r @ r) + beta * float(np.abs(z_best).sum())
    dual = float(lam @ y) - 0.5 * float(lam @ lam)
    gap = primal - dual
    rel = gap / max(primal, _TINY)
    sol = LassoSolution(z=z_best, xi=xi, residual=r, objective=primal, dual_objective=dual,
                        gap=gap, rel_gap=rel, n_epochs=n_epochs, converged=bool(rel <= tol),
                        lam=lam, seconds=time.perf_counter() - t0, beta=beta,
                        n_screened=int((valid & ~active).sum()),
                        n_zero_columns=int((~valid).sum()), history=history)
    return _unscale(sol, ea, eb, beta_in)
