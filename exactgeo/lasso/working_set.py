"""THE working-set loop: restricted solve → price → add, over any column source.

One loop serves every place where a Lasso is solved on a subset of its columns:

* the float solvers (:func:`exactgeo.lasso.solve_lasso`): the interior point and the
  coordinate-descent / active-set solvers run on a working set of an
  :class:`~exactgeo.sources.ExplicitSource` (the dictionary in memory);
* column generation (:func:`exactgeo.lasso.colgen.column_generation`, THEORY §2.5): the
  same loop over a :class:`~exactgeo.sources.GeneratedSource`, whose pricing is the
  family's oracle;
* the exact repair rounds of the KKT certificate (THEORY §5.6): exact KKT solves on a
  basis, priced exactly over ℚ (or in ball arithmetic).

A round is::

    priced = price(restricted.r)          # the whole source: max_k |A_kᵀr|, candidates
    stop?  optimal / time / work / rounds
    W      = select(W, restricted, priced) # add (and drop) columns
    restricted = solve(W, warm start)      # inner solver on the columns W

The inner solvers (:mod:`.ipm`, :mod:`.cd`, :mod:`.active`, the exact KKT) only ever
"solve on these columns from this warm start"; the loop carries the warm start from one
working set to the next (coefficients of columns still in W, zero for new ones), and —
given y — scores every round with the problem's primal, dual and gap (:mod:`.problem`).

>>> import numpy as np
>>> from exactgeo.sources import ExplicitSource
>>> from exactgeo.lasso.ipm import ipm_lasso
>>> A = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5]]); y = np.array([1.0, 1.0])
>>> src = ExplicitSource(A)
>>> def solve(W, z0, last):
...     z, lam, it = ipm_lasso(A[:, W], y, 0.1, z0=z0)
...     return Restricted(z, y - A[:, W] @ z, duals=(lam,), work=it)
>>> out = working_set(src, solve, [0], beta=0.1, y=y, tol=1e-9)
>>> out.stop, out.W.tolist(), round(out.primal, 9)
('optimal', [0, 1], 0.19)
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import numpy as np

from ..sources import Priced
from . import problem

__all__ = ["Restricted", "Round", "Outcome", "working_set", "grow", "LOOP_STOPS"]

#: Why :func:`working_set` stopped (``Outcome.stop``): the optimality test passed; the
#: pricing returned no candidate; every candidate is already in W; ``max_rounds``,
#: ``deadline`` or ``max_work`` reached; or the reason a pricing gave (``Priced.stop``).
LOOP_STOPS = ("optimal", "no-candidate", "repeat", "max-rounds", "time-limit", "work-limit")


@dataclass
class Restricted:
    """A restricted solve's answer on the working set W.

    ``z`` (|W|,) coefficients on W (float, or exact for the exact KKT); ``r`` (n,) the
    residual to price (the dual candidate); ``primal`` its objective (computed from r, z
    and β when None); ``ok`` False when the solve is not a valid restricted optimum (an
    exact KKT point with inconsistent signs); ``keep`` bool (|W|,) the columns to keep in
    the next W (None: all); ``duals`` further dual candidates λ (n,) to score (an IPM's
    own λ); ``work`` inner iterations/epochs; ``info`` the solver's payload.
    """
    z: Any
    r: Any
    primal: Optional[float] = None
    ok: bool = True
    keep: Any = None
    duals: tuple = ()
    work: int = 0
    info: Any = None


@dataclass
class Round:
    """One priced round: ``size`` |W|, ``sup`` max_k |A_kᵀr| over the source, and —
    when the loop was given y — ``primal``, ``dual`` (best dual point so far this
    round), ``rel_gap``; ``work`` cumulative inner work; ``seconds`` since the start."""
    round: int
    size: int
    sup: float
    primal: float = math.nan
    dual: float = math.nan
    rel_gap: float = math.nan
    work: int = 0
    seconds: float = 0.0


@dataclass
class Outcome:
    """Result of :func:`working_set`: the last working set ``W`` and its ``restricted``
    solution, the last ``priced`` answer, ``stop`` (:data:`LOOP_STOPS` or a pricing's
    reason), ``rounds`` priced, ``history`` (:class:`Round` per round), ``work`` total;
    with y: the last round's ``primal``, ``dual``, ``rel_gap`` and dual point ``lam``, and
    the ``best`` (W, restricted) by absolute gap."""
    W: np.ndarray
    restricted: Restricted
    priced: Optional[Priced]
    stop: str
    rounds: int
    history: list = field(default_factory=list)
    work: int = 0
    primal: float = math.nan
    dual: float = math.nan
    rel_gap: float = math.nan
    lam: Any = None
    best: Any = None


def grow(W, res, priced):
    """The default selection: keep ``res.keep`` of W and add the priced candidates not in
    W. Returns (new W, None), or (None, reason) when nothing is added."""
    if priced.idx.size == 0:
        return None, "no-candidate"
    W = np.asarray(W, dtype=np.int64)
    inW = np.zeros(max(int(priced.idx.max()) + 1, int(W.max(initial=-1)) + 1), dtype=bool)
    inW[W] = True
    new = priced.idx[~inW[priced.idx]]
    if new.size == 0:
        return None, "repeat"
    kept = W if res.keep is None else W[np.asarray(res.keep, dtype=bool)]
    return np.concatenate([kept, new]), None


def _carry(W_old, z_old, W_new):
    """Warm start on W_new: the coefficients of columns still there, zero for new ones."""
    if z_old is None or len(W_new) == 0:
        return np.zeros(len(W_new))
    size = max(int(np.max(W_old, initial=-1)), int(np.max(W_new))) + 1
    full = np.zeros(size)
    if len(W_old):
        full[np.asarray(W_old, dtype=np.int64)] = np.asarray(z_old, dtype=float)
    return full[np.asarray(W_new, dtype=np.int64)]


def working_set(source, solve: Callable, W, *, z0=None, start: Optional[Restricted] = None,
                price: Optional[Callable] = None, select: Callable = grow,
                optimal: Optional[Callable] = None, beta=None, y=None, tol: float = 0.0,
                viol_tol: Optional[float] = None, max_rounds: int = 50,
                max_work: Optional[int] = None, deadline: Optional[float] = None,
                clock: Callable[[], float] = time.perf_counter, solve_last: bool = False,
                on_round: Optional[Callable] = None) -> Outcome:
    """Run the loop (see the module docstring) from the working set ``W`` (indices into
    ``source``).

    ``solve(W, z_W, last_round)`` → :class:`Restricted` is the inner solver, warm-started
    from ``z_W`` (``z0`` for the first solve; then the previous coefficients carried over);
    ``start`` replaces the first solve (a point already at hand). ``price(restricted, W)``
    → :class:`~exactgeo.sources.Priced` (default: ``source.price`` of the residual, the
    most violating columns outside W); ``select(W, restricted, priced)`` → (new W, None)
    or (None, reason) (default :func:`grow`).

    Stops as "optimal" when ``optimal(restricted, priced)`` holds — by default when y is
    given and the relative duality gap ≤ ``tol``, or when ``viol_tol`` is given and
    ``restricted.ok`` and max_k |A_kᵀr| ≤ β(1 + viol_tol) — else at ``max_rounds`` priced
    rounds (with ``solve_last`` the last round's additions are still solved, not priced),
    at ``deadline`` (a ``clock()`` value), after ``max_work`` inner work, when a pricing
    says ``stop``, or when ``select`` adds nothing. ``on_round(round, restricted, priced)``
    is called after each priced round.
    """
    t0 = clock()
    W = np.asarray(W, dtype=np.int64)
    if price is None:
        def price(res, W):
            thr = None if viol_tol is None else beta * (1 + viol_tol)
            return source.price(res.r, k=max(len(W), 1), beta=beta, exclude=W, threshold=thr)
    res = start if start is not None else solve(W, z0, None)
    work = res.work
    history, best = [], None
    out = Outcome(W, res, None, "max-rounds", 0)
    last = None
    for rnd in range(1, max_rounds + 1):
        priced = price(res, W)
        out.rounds = rnd
        out.priced = priced
        if priced.stop is not None:
            out.stop = priced.stop
            break
        rec = Round(rnd, len(W), float(priced.sup), work=work, seconds=clock() - t0)
        if y is not None:
            p = res.primal if res.primal is not None else problem.primal(res.r, res.z, beta)
            lam, d = problem.dual_point(res.r, y, priced.sup, beta)
            for cand in res.duals:
                sup_c = source.price(cand, k=0).sup
                lam_c, d_c = problem.dual_point(cand, y, sup_c, beta)
                if d_c > d:
                    lam, d = lam_c, d_c
            rec.primal, rec.dual, rec.rel_gap = p, d, problem.rel_gap(p, d)
            out.primal, out.dual, out.rel_gap, out.lam = p, d, rec.rel_gap, lam
            if best is None or p - d < best[0]:
                best = (p - d, W, res)
        history.append(rec)
        last = rec
        if on_round is not None:
            on_round(rec, res, priced)
        if optimal is not None:
            done = optimal(res, priced)
        else:
            done = (y is not None and rec.rel_gap <= tol) or (
                viol_tol is not None and res.ok and priced.sup <= beta * (1 + viol_tol))
        if done:
            out.stop = "optimal"
            break
        if deadline is not None and clock() > deadline:
            out.stop = "time-limit"
            break
        if max_work is not None and work >= max_work:
            out.stop = "work-limit"
            break
        if rnd == max_rounds and not solve_last:
            break
        W_new, reason = select(W, res, priced)
        if W_new is None:
            out.stop = reason
            break
        W_new = np.asarray(W_new, dtype=np.int64)
        res = solve(W_new, _carry(W, res.z, W_new), last)
        W = W_new
        work += res.work
        out.W, out.restricted = W, res
    out.W, out.restricted, out.history, out.work = W, res, history, work
    out.best = None if best is None else (best[1], best[2])
    return out
