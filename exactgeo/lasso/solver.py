"""The float Lasso solver: the working-set loop with an inner solver, on the normalised
problem.

Solves ``min_{z, ξ} ½‖Az + ξ𝟙 − y‖² + β‖z‖₁`` (ξ free and unpenalised iff
``intercept``; THEORY §0) and stops on the relative duality gap of :mod:`.problem`.
The loop (:func:`.working_set.working_set`) runs over an
:class:`~exactgeo.sources.ExplicitSource` of the centred, power-of-two normalised A; the
inner solvers are the interior point (:mod:`.ipm`), coordinate descent (:mod:`.cd`) and
the active-set method on an updated QR (:mod:`.active_qr`).

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

import numpy as np

from ..sources import ExplicitSource, top_k
from . import problem
from .active_qr import active_lasso
from .basic import polish, sparsify
from .cd import cd_solve, refine
from .ipm import ipm_lasso
from .problem import TINY
from .working_set import Restricted, working_set

__all__ = ["LassoSolution", "solve_lasso", "solve", "METHODS"]

METHODS = ("auto", "ipm", "cd", "active-set")


@dataclass
class LassoSolution:
    """Result of :func:`solve_lasso`.

    ``z`` (p,), ``xi`` (0.0 without intercept), ``residual`` r = y − Az − ξ𝟙 (n,),
    ``objective`` ½‖r‖² + β‖z‖₁, ``dual_objective`` D(λ) = λᵀy − ½‖λ‖² at the dual
    point ``lam`` (the residual, centred with an intercept and rescaled so that
    max_k |A_kᵀλ| ≤ β), ``gap`` = objective − dual_objective, ``rel_gap`` =
    gap / max(objective, tiny), ``n_epochs`` (coordinate-descent passes over the
    working sets, or interior-point iterations), ``converged`` (rel_gap ≤ tol),
    ``seconds``, ``beta``, ``n_screened`` columns removed by the gap-safe rule,
    ``n_zero_columns`` columns treated as zero (constant columns with an intercept),
    ``history`` (seconds, objective, rel_gap) per outer round, ``rounds`` working-set
    rounds. All in the caller's units; the solver computes them on its normalised
    problem (see :func:`solve_lasso`), so rel_gap and converged do not depend on the
    scale of A and y.
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
    rounds: int = 0

    @property
    def r(self) -> np.ndarray:
        """Alias of ``residual``."""
        return self.residual

    @property
    def support(self) -> np.ndarray:
        """Indices k with z_k ≠ 0."""
        return np.flatnonzero(self.z)


def _unscale(sol, ea, eb, beta):
    """A solution of the problem normalised by :func:`.problem.normalise` (A/2^ea, y/2^eb,
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


def _final(A, y, nz, beta, z, intercept, tol, t0, *, dual_point=None, **kw) -> LassoSolution:
    """The LassoSolution of z in normalised units, scored on the original (uncentred) A,
    read as A/2^ea (never formed), with the gap of :mod:`.problem`: the dual point is the
    rescaled residual, or ``dual_point`` (λ, D(λ)) when that is better."""
    xi = float(nz.y_mean - nz.a_mean @ z) if intercept else 0.0
    r = y - A @ np.ldexp(z, -nz.ea) - xi
    rc = r - r.mean() if intercept else r
    corr = np.ldexp(A.T @ rc, -nz.ea)
    corr[~nz.valid] = 0.0
    sup = float(np.max(np.abs(corr))) if corr.size else 0.0
    lam, dual = problem.dual_point(rc, y, sup, beta)
    if dual_point is not None and dual_point[1] > dual:
        lam, dual = dual_point
    primal = 0.5 * float(r @ r) + beta * float(np.abs(z).sum())
    rel = problem.rel_gap(primal, dual)
    return LassoSolution(z=z, xi=xi, residual=r, objective=primal, dual_objective=dual,
                         gap=primal - dual, rel_gap=rel, converged=bool(rel <= tol), lam=lam,
                         seconds=time.perf_counter() - t0, beta=beta,
                         n_zero_columns=int((~nz.valid).sum()), **kw)


# ----------------------------------------------------------------- interior point

def _solve_ipm(A, y, beta, intercept, tol, nz, z0, t0, *, max_rounds=50, ws_size=None,
               prune=0.02, deadline=None, verbose=False):
    """Interior point on a working set (normalised units): the working set starts with
    the columns most correlated with the residual of the warm start (and its support),
    doubles while columns violate |A_kᵀr| ≤ β and sheds columns below (1 − prune)β; every
    inner solve is warm-started from the previous coefficients. Then a purification to a
    basic solution (:func:`.basic.sparsify`)."""
    Ac, yc = nz.Ac, nz.yc
    n, p = Ac.shape
    norms = np.sqrt(nz.norms2)
    pickable = nz.valid & (norms > 1e-14 * max(1.0, norms.max(initial=0.0)))
    src = ExplicitSource(Ac, valid=nz.valid)
    grow = ws_size or max(2 * n, 50)
    inner_tol = min(1e-12, tol * 1e-2)
    warm = z0 is not None and np.any(z0)
    if warm:
        r0 = yc - Ac @ z0
        supp = np.flatnonzero(z0)
        pr = src.price(r0, k=grow, mask=pickable, exclude=supp)
        W0 = np.concatenate([supp, pr.idx])
        zW0 = z0[W0]
    else:
        W0 = src.price(yc, k=grow, mask=pickable).idx
        zW0 = None

    def solve(W, zW, _last):
        AW = Ac[:, W]
        z, lam, k = ipm_lasso(AW, yc, beta, tol=inner_tol, z0=zW)
        if intercept:  # back onto 𝟙ᵀλ = 0 (rounding drifts off it; Aᵀλ is unchanged)
            lam = lam - lam.mean()
        r = yc - AW @ z
        primal = problem.primal(r, z, beta)
        zp = polish(AW, yc, beta, z)
        rp = yc - AW @ zp
        primal_p = problem.primal(rp, zp, beta)
        if primal_p <= primal:
            z, r, primal = zp, rp, primal_p
        # keep the working set small: drop columns that are far from active
        keep = (np.abs(z) > 1e-9 * np.abs(z).max(initial=0.0)) | \
            (np.abs(AW.T @ r) >= (1 - prune) * beta)
        return Restricted(z, r, primal, keep=keep, duals=(lam,), work=k)

    def price(res, W):
        return src.price(res.r, k=max(grow, len(W)), mask=pickable, exclude=W,
                         threshold=beta * (1 + 1e-7))

    def report(rec, res, pr):
        if verbose:
            print(f"round {rec.round}: working set {rec.size}, violators {pr.idx.size}, "
                  f"IPM iterations {res.work}, rel_gap {rec.rel_gap:.3e}")

    out = working_set(src, solve, W0, z0=zW0, price=price, beta=beta, y=yc, tol=tol,
                      max_rounds=max_rounds, deadline=deadline, on_round=report)
    zW = out.restricted.z
    z = np.zeros(p)
    z[out.W] = zW
    theta = out.lam
    corr = src.price(theta, k=0).corr
    z, _, _ = sparsify(Ac, yc, beta, z, theta, corr, out.primal, out.dual, tol)
    hist = [(h.seconds, h.primal, h.rel_gap) for h in out.history]
    return _final(A, y, nz, beta, z, intercept, tol, t0, dual_point=(theta, out.dual),
                  n_epochs=out.work, rounds=out.rounds, history=hist)


# ----------------------------------------------------------------- active set

def _solve_active(A, y, beta, intercept, tol, nz, z, t0):
    """The active-set method on an updated QR (:mod:`.active_qr`) over every valid
    column, warm from z (normalised units): its answer is basic."""
    Ac = nz.Ac if nz.valid.all() else nz.Ac * nz.valid        # zero columns never join
    z, _, steps = active_lasso(Ac, nz.yc, beta, z0=z, tol=min(tol, 1e-10))
    return _final(A, y, nz, beta, z, intercept, tol, t0, n_epochs=steps)


# ----------------------------------------------------------------- coordinate descent

def _solve_cd(A, y, beta, intercept, tol, nz, z, t0, *, max_epochs, ws_start,
              polish_cd, screen, deadline, verbose):
    """Coordinate descent on working sets chosen by distance to the dual constraint's
    boundary, with gap-safe screening (normalised units)."""
    Ac, yc, norms2, valid = nz.Ac, nz.yc, nz.norms2, nz.valid
    n, p = Ac.shape
    norms = np.sqrt(norms2)
    src = ExplicitSource(Ac, valid=valid)
    active = valid.copy()          # not screened, not zero
    if ws_start is None:
        ws_start = 64
    state = {"ws_size": int(min(max(ws_start, 1), p)) if p else 0}
    W0 = np.flatnonzero(z)
    start = Restricted(z[W0].copy(), yc - Ac @ z)

    def price(res, W):
        return src.price(res.r, k=0)

    def select(W, res, pr):
        # gap-safe sphere test: ‖λ* − λ‖ ≤ √(2 gap), so |A_kᵀλ| + ‖A_k‖√(2 gap) < β ⇒ z*_k = 0
        rec = hist[-1]
        zW = res.z
        if screen:
            radius = math.sqrt(2.0 * max(rec.primal - rec.dual, 0.0))
            corr = pr.corr
            corr_l = corr if pr.sup <= beta else corr * (beta / pr.sup)
            kill = active & (np.abs(corr_l) + norms * radius < beta * (1 - 1e-12))
            if kill.any():
                zW[kill[W]] = 0.0
                active[kill] = False
        # working set: support first, then the columns closest to the constraint boundary
        supp = W[zW != 0.0]
        ws_size = int(min(max(state["ws_size"], 2 * supp.size), int(active.sum())))
        cand = active.copy()
        cand[supp] = False
        ws = top_k(np.where(cand, -(beta - np.abs(pr.corr)) / np.where(cand, norms, 1.0), 0.0),
                   ws_size - supp.size if ws_size < p else p, cand)
        state["ws_size"] = min(2 * ws_size, p)
        return np.union1d(ws, supp), None

    def solve(W, zW, last):
        Aw = np.asfortranarray(Ac[:, W])
        zW = np.array(zW, dtype=float)
        primal, gap, work = last.primal, last.primal - last.dual, last.work
        tol_in = max(0.25 * gap, 0.1 * tol * max(primal, TINY))
        ep = cd_solve(Aw, yc, zW, beta, tol_abs=tol_in, max_epochs=max_epochs - work,
                      norms2=norms2[W])
        if polish_cd:
            zW = refine(Aw, yc, zW, beta)
        return Restricted(zW, yc - Aw @ zW, work=ep)

    hist = []

    def report(rec, res, pr):
        hist.append(rec)
        if verbose:
            print(f"outer {rec.round - 1}: primal {float(np.ldexp(rec.primal, 2 * nz.eb)):.12g} "
                  f"rel_gap {rec.rel_gap:.3e} ws {state['ws_size']} "
                  f"epochs {rec.work} active {int(active.sum())}")

    out = working_set(src, solve, W0, start=start, price=price, select=select, beta=beta,
                      y=yc, tol=tol, max_rounds=200, max_work=max_epochs,
                      deadline=deadline, on_round=report)
    Wb, best = (out.W, out.restricted) if out.stop == "optimal" or out.best is None \
        else out.best
    z = np.zeros(p)
    z[Wb] = best.z
    history = [(h.seconds, h.primal, h.rel_gap) for h in out.history]
    return _final(A, y, nz, beta, z, intercept, tol, t0, n_epochs=out.work, rounds=out.rounds,
                  n_screened=int((valid & ~active).sum()), history=history)


# ----------------------------------------------------------------- front end

def solve_lasso(A, y, beta, *, intercept=True, tol=1e-9, max_epochs=100_000, z0=None,
                xi0=None, method="auto", ws_start=None, polish=True, screen=True,
                max_seconds=None, verbose=False) -> LassoSolution:
    """Minimise ½‖Az + ξ𝟙 − y‖² + β‖z‖₁ over z (p,) and, iff ``intercept``, ξ ∈ ℝ.

    A float64 (n, p), y (n,), β > 0. The working-set loop (:mod:`.working_set`) with an
    inner solver; ``method``: "ipm" (interior point, :mod:`.ipm`, on a working set that
    grows by the violating columns, then a purification to a basic solution), "cd"
    (coordinate descent, numba, Anderson extrapolation, on working sets chosen by
    distance to the dual constraint boundary, gap-safe screening and a least-squares
    KKT "polish" on the current support/sign pattern), "active-set" (the primal active-set
    method on an updated QR, :mod:`.active_qr`, over all columns: basic, warm-startable,
    O(n·support) per step), or "auto" (ipm for n ≤ 2000, else cd). Stops when
    rel_gap ≤ ``tol`` (or after ``max_epochs`` / ``max_seconds``; then ``converged`` is
    False). With an intercept A and y are centred;
    constant columns are then zero and are never selected. ``z0`` warm-starts every
    method (``xi0`` is accepted but unused: with an intercept ξ = mean(y − Az) is optimal
    for every z). The empty dictionary (p = 0) is solved exactly (ξ = mean(y) or 0).

    Scale invariant: every method solves the problem normalised by powers of two (the
    centred A and y scaled to max|·| ∈ [1, 2), β' = β/(2^ea·2^eb), see
    :func:`.problem.normalise`) and maps the result back (z·2^(eb−ea), ξ, r, λ ·2^eb,
    values ·2^(2eb)); all tolerances are relative. So solve_lasso(A·s, y·t, β·s·t)
    returns z·t/s and the objective·t² (bit for bit when s, t are powers of two), and
    data already in that range is solved exactly as without the normalisation.

    >>> sol = solve_lasso(np.array([[1.0, 1.0], [0.0, 1.0], [1.0, 1.0]]), np.array([1.0, 0.0, 1.0]), 0.01)
    >>> bool(sol.converged), float(sol.z[1])  # the constant column 1 is never selected
    (True, 0.0)
    """
    t0 = time.perf_counter()
    A, y, beta = problem.validate(A, y, beta, intercept)
    try:
        tol = float(tol)
    except (TypeError, ValueError):
        raise TypeError(f"tol: expected a positive float, got {tol!r}") from None
    if not tol > 0:
        raise ValueError(f"tol: expected a number > 0, got {tol!r}")
    if method not in METHODS:
        raise ValueError(f"method: expected 'auto', 'ipm', 'cd' or 'active-set', got {method!r}")
    n, p = A.shape
    # from here on everything is in normalised units: Ac, yc, a_mean, y_mean, y, β and z;
    # the original A is read as A/2^ea (never formed); _unscale maps the result back
    nz = problem.normalise(A, y, intercept)
    beta_in = beta
    beta = problem.normalised_beta(beta, nz.ea, nz.eb)
    y = np.ldexp(y, -nz.eb)
    if z0 is None:
        z = np.zeros(p)
    else:
        z = np.array(z0, dtype=np.float64)
        if z.shape != (p,):
            raise ValueError(f"z0: expected shape ({p},), got {z.shape}")
        if not np.all(np.isfinite(z)):
            raise ValueError("z0: expected finite entries, got NaN or inf")
        z[~nz.valid] = 0.0
        z = np.ldexp(z, nz.ea - nz.eb)
    deadline = None if max_seconds is None else t0 + float(max_seconds)
    if p == 0:
        sol = _final(A, y, nz, beta, z, intercept, tol, t0, n_epochs=0)
        return _unscale(sol, nz.ea, nz.eb, beta_in)
    if method == "ipm" or (method == "auto" and n <= 2000):
        sol = _solve_ipm(A, y, beta, intercept, tol, nz, z, t0, deadline=deadline,
                         verbose=verbose)
        if method == "ipm" or np.all(np.isfinite(sol.z)):
            return _unscale(sol, nz.ea, nz.eb, beta_in)
        method = "active-set"  # fall back: rounding broke the interior-point iterates
    if method == "active-set":
        return _unscale(_solve_active(A, y, beta, intercept, tol, nz, z, t0), nz.ea, nz.eb,
                        beta_in)
    sol = _solve_cd(A, y, beta, intercept, tol, nz, z, t0,
                    max_epochs=max_epochs, ws_start=ws_start, polish_cd=polish, screen=screen,
                    deadline=deadline, verbose=verbose)
    return _unscale(sol, nz.ea, nz.eb, beta_in)


def solve(A, y, beta, *, intercept=True, tol=1e-9, z0=None, xi0=None, max_seconds=None,
          method=None) -> LassoSolution:
    """:func:`solve_lasso` for callers that pass limits through: ``max_seconds`` (clamped
    to ≥ 1 ms) and ``method`` only when given (with ``max_seconds`` the solution may have
    ``converged`` False). The empty dictionary (p = 0) is solved exactly."""
    kw = {} if max_seconds is None else {"max_seconds": max(float(max_seconds), 1e-3)}
    if method is not None:
        kw["method"] = method
    return solve_lasso(np.asarray(A, dtype=float), np.asarray(y, dtype=float), float(beta),
                       intercept=intercept, tol=tol, z0=z0, xi0=xi0, **kw)
