"""Column generation (THEORY §2.5): the working-set loop over a generated column source.

The restricted problem is the Lasso over the columns held so far (solved by
:func:`exactgeo.lasso.solve_lasso`, warm-started); pricing is the family's oracle
sup_θ |rᵀφ(X; θ)| (:class:`~exactgeo.sources.GeneratedSource`); adding holds the
maximiser's column. :func:`exactgeo.certify.column_generation` is this function.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Optional

import numpy as np
from numba import njit

from ..sources import GeneratedSource, Priced
from ..sources.base import positions
from .active_qr import Carry, active_lasso
from .solver import solve
from .working_set import Restricted, working_set

__all__ = ["column_generation", "streamed_column_generation", "ColumnGeneration", "STOP_REASONS"]


# --------------------------------------------------------------------- colgen

#: Why :func:`column_generation` stopped (``ColumnGeneration.stop``).
STOP_REASONS = ("no-violation-float", "no-violation-sampled", "max-rounds", "time-limit",
                "repeat-column", "no-candidate")


@dataclass
class ColumnGeneration:
    """Result of :func:`column_generation` (floats). It never claims optimality: only an
    exact certificate of the final residual does (:func:`exactgeo.certify.network_certificate`).

    ``atoms`` the final column set, ``A`` (n, p) its float feature matrix, ``solution`` the
    last :class:`~exactgeo.lasso.LassoSolution`, ``history`` the oracle value S(r) per
    completed pricing round, ``added`` the atoms added, ``rounds`` the rounds started,
    ``pricing`` the last oracle answer.

    ``stop`` says why it stopped (one of :data:`STOP_REASONS`), ``message`` the same in
    words with the numbers: "no-violation-float" (the exact oracle, in floating point,
    found S ≤ β(1 + tol): evidence, not a certificate), "no-violation-sampled" (the
    sampled oracle found none: a lower bound on S), "max-rounds", "time-limit"
    (``max_seconds`` reached; the last completed round's solution is returned),
    "repeat-column" (the maximiser is already a column: the Lasso solve, not the
    dictionary, limits progress), "no-candidate" (the oracle returned no neuron).
    ``oracle_kind`` "exact" | "sampled"; ``pricing_work`` the oracle's work over all
    rounds in ``pricing_unit`` (subsets "candidates", "anchors", or sampled
    "directions") and ``pricing_seconds`` its time; ``lasso_work`` the inner solvers'
    iterations over all rounds.
    """
    atoms: list
    A: np.ndarray
    solution: Any
    history: list = field(default_factory=list)
    added: list = field(default_factory=list)
    rounds: int = 0
    pricing: Any = None
    seconds: float = 0.0
    stop: str = ""
    message: str = ""
    beta: float = float("nan")
    tol: float = 0.0
    max_rounds: Optional[int] = None
    max_seconds: Optional[float] = None
    oracle_kind: str = ""
    pricing_work: int = 0
    pricing_unit: str = "candidates"
    pricing_seconds: float = 0.0
    lasso_work: int = 0

    @property
    def objective(self) -> float:
        return float(self.solution.objective)

    @property
    def no_violation_float(self) -> bool:
        """The last pricing round, in floating point, found no S(r) > β(1 + tol) (exact
        oracle) or no violating sampled neuron. Not a certificate."""
        return self.stop in ("no-violation-float", "no-violation-sampled")

    @property
    def converged(self) -> bool:
        """Deprecated alias of :attr:`no_violation_float` (floating-point evidence only,
        never a certificate); read :attr:`stop` instead."""
        return self.no_violation_float

    def to_json(self) -> dict:
        """The run's summary for reports (fitting adds ``from_empty`` and ``converged``
        = whether the final certificate is ``certified-optimal``)."""
        rate = self.pricing_work / self.pricing_seconds if self.pricing_seconds > 0 else None
        return {"stop": self.stop, "message": self.message,
                "no_violation_float": self.no_violation_float, "rounds": int(self.rounds),
                "added": len(self.added), "columns": int(self.A.shape[1]),
                "history": [float(v) for v in self.history], "beta": float(self.beta),
                "tol": float(self.tol), "max_rounds": self.max_rounds,
                "max_seconds": self.max_seconds, "oracle": self.oracle_kind,
                "seconds": float(self.seconds), "pricing_seconds": float(self.pricing_seconds),
                "pricing_work": int(self.pricing_work), "pricing_unit": self.pricing_unit,
                "pricing_rate": rate, "lasso_work": int(self.lasso_work)}


class _TimeUp(Exception):
    """Raised from the pricing progress callback when ``max_seconds`` has passed."""

    def __init__(self, done, total, unit):
        super().__init__("time limit")
        self.done, self.total, self.unit = done, total, unit


def _g(x) -> str:
    return f"{x:.3g}"


def _time_limit(st: dict, message: str) -> "Priced":
    """The empty pricing that ends the working-set loop at ``max_seconds``, with why."""
    st["message"] = message
    return Priced(np.zeros(0, dtype=np.int64), np.zeros(0), math.nan, stop="time-limit")


def column_generation(family, X, y, beta, *, intercept: bool = True, max_rounds: int = 50,
                      tol: float = 1e-6, lasso_tol: float = 1e-10, samples: int = 2000,
                      seed: int = 0, atoms=None, dictionary=None,
                      max_seconds: Optional[float] = None, max_bytes: Optional[int] = None,
                      max_candidates: Optional[int] = None,
                      progress=True) -> ColumnGeneration:
    """Solve the Lasso on a dictionary (``atoms``, default the family's finite dictionary),
    price the residual with the family oracle, add the maximiser as a column and re-solve
    warm-started, until the float oracle finds no violation S(r) ≤ β(1 + tol), or a limit
    (THEORY §2.5): the working-set loop over a :class:`~exactgeo.sources.GeneratedSource`.
    r is the Lasso solver's dual point (the residual rescaled to be dual feasible on the
    held columns; it tends to the optimal residual), so a violation names a new neuron.
    ``result.stop`` / ``result.message`` say which (:class:`ColumnGeneration`); the run
    never claims optimality — certify the final residual exactly for that.

    Floating point throughout; with an exact oracle (1-D, 2-D, ℓ1) the value converges to
    the network optimum P∞. On THEORY G1 (ℓ2) it adds u = (1, 1)/√2 and reaches
    √2/10 − 1/200. ``atoms=[]`` starts from the empty dictionary (for dictionaries too
    large to store); ``dictionary`` reuses an already built one. Every re-solve is warm
    started (the interior point honours it).

    Limits: ``max_rounds`` pricing rounds; ``max_seconds`` wall-clock seconds (checked
    between rounds, during pricing, and passed to the Lasso solver); ``max_bytes`` the
    oracle's peak working memory (default 256 MiB) and ``max_candidates`` its ℓ1
    enumeration size (default 10⁹ subsets per round) — beyond them the oracle refuses up
    front, before the first solve (``PricingTooLarge``, a MemoryError, naming the sizes).
    ``progress``: True (default) reports round, objective, S/β, columns and pricing
    throughput on stderr once the run exceeds ~2 s; False is silent; or an
    :class:`exactgeo.progress.Progress` (its clock also times ``max_seconds``).

    >>> import numpy as np
    >>> from exactgeo.families import get_family
    >>> cg = column_generation(get_family("relu", reg="l2", bias=False), np.eye(2),
    ...                        np.ones(2), 0.1, intercept=False)
    >>> round(cg.objective, 12), cg.added[0].u.round(6).tolist()
    (0.136421356237, [0.707107, 0.707107])
    >>> cg.stop, cg.no_violation_float                # evidence, not a certificate
    ('no-violation-float', True)
    """
    from ..progress import as_progress
    prog = as_progress(progress)
    clock = prog.clock
    t0 = clock()
    deadline = None if max_seconds is None else t0 + float(max_seconds)
    Xf = np.asarray(np.asarray(X), dtype=float)
    yf = np.asarray(y, dtype=float)
    n, d = Xf.shape
    b_f = float(beta)
    src = GeneratedSource(family, Xf, atoms=atoms, dictionary=dictionary, samples=samples,
                          seed=seed, max_bytes=max_bytes, max_candidates=max_candidates)
    oracle, plan = src.oracle, src.plan
    unit = plan["unit"]

    def remaining():
        return None if deadline is None else deadline - clock()

    st = {"round": 0, "t": t0, "work": 0, "t_pricing": 0.0, "sol": None, "pr": None,
          "history": [], "lasso_work": 0, "stop": None, "message": None}

    def restricted(W, z0, _last):
        A = src.float_matrix()
        xi0 = None if st["sol"] is None else float(st["sol"].xi)
        sol = solve(A, yf, b_f, intercept=intercept, tol=lasso_tol,
                    z0=None if z0 is None else np.asarray(z0, dtype=float), xi0=xi0,
                    max_seconds=remaining())
        st["sol"] = sol
        st["lasso_work"] += int(getattr(sol, "n_epochs", 0))
        # price at the solver's dual point λ (the residual rescaled into |A_kᵀλ| ≤ β on
        # the held columns, or the interior point's own dual): λ → r* as the solve
        # converges, and held columns cannot look violated through the solve's rounding
        # (a residual at relative gap 1e-11 still overshoots β by ~1e-3 on coherent
        # dictionaries), so a violation names a new neuron
        z = np.asarray(sol.z, dtype=float)
        lam = np.asarray(getattr(sol, "lam", None) if getattr(sol, "lam", None) is not None
                         else yf - A @ z - float(sol.xi), dtype=float)
        return Restricted(z, lam, float(sol.objective), info=sol)

    def ratio():
        h = st["history"]
        return h[-1] / b_f if h and b_f > 0 else float("nan")

    def tick(done, total, u):
        now = clock()
        if deadline is not None and now > deadline:
            raise _TimeUp(done, total, u)
        dt = now - st["t"]
        if dt >= min(1.0, prog.interval) and prog.due():   # slow pricing: report inside it
            rate = done / dt if dt > 0 else float("inf")
            eta = f", ETA {(total - done) / rate:.0f} s" if 0 < rate < float("inf") else ""
            prog.update(f"colgen round {st['round']}: pricing {done / max(total, 1):.0%} of "
                        f"{_g(total)} {u} ({_g(rate)} {u}/s{eta}); objective "
                        f"{float(st['sol'].objective):.10g}, {src.size} columns")

    def price(res, W):
        rounds = st["round"] + 1
        if deadline is not None and clock() > deadline:
            return _time_limit(st, f"stopped at max_seconds={max_seconds:g} after "
                                   f"{rounds - 1} rounds ({clock() - t0:.1f} s)")
        st.update(round=rounds, t=clock())
        try:
            pr = src.price(res.r, progress=tick)
        except _TimeUp as up:
            st["work"] += int(up.done)
            st["t_pricing"] += clock() - st["t"]
            return _time_limit(st, (
                f"stopped at max_seconds={max_seconds:g} during the pricing of round "
                f"{rounds} ({up.done / max(up.total, 1):.0%} of {_g(up.total)} {up.unit}"
                f" priced, {clock() - t0:.1f} s); the solution of round {rounds - 1} "
                "is returned"))
        dt = clock() - st["t"]
        st["t_pricing"] += dt
        w = int(plan["candidates"]) if plan["candidates"] else 0
        st["work"] += w
        st["pr"] = pr.info
        st["history"].append(float(pr.sup))
        sol = st["sol"]
        prog.update(force=dt >= prog.interval, msg=lambda: (
            f"colgen round {rounds}: objective {float(sol.objective):.10g}, S/beta "
            f"{ratio():.6g}, {len(W)} columns, priced {_g(w)} {unit} in {dt:.2g} s"
            + (f" ({_g(w / dt)} {unit}/s)" if dt > 0 and w else "")))
        return pr

    def optimal(res, pr):
        return pr.sup <= b_f * (1 + tol)

    def select(W, res, pr):
        # W is every held column: the oracle's maximiser is new, or already held
        if pr.idx.size == 0:
            return None, "no-candidate"
        if pr.idx[0] < len(W):
            return None, "repeat"
        return np.arange(src.size), None

    out = working_set(src, restricted, np.arange(src.size), price=price, select=select,
                      optimal=optimal, beta=b_f, max_rounds=max_rounds, clock=clock,
                      solve_last=True)
    sol, pr, rounds = st["sol"], st["pr"], st["round"]
    stop, message = out.stop, st["message"]
    if stop == "optimal":
        if pr.kind == "sampled":
            stop = "no-violation-sampled"
            message = (f"no violation among {pr.samples} sampled neurons: S(r) >= "
                       f"{pr.sup:.10g}, S/beta = {ratio():.9g} <= 1 + {tol:g} after {rounds} "
                       "rounds; a sampled oracle gives only a lower bound on S and "
                       "never certifies")
        else:
            stop = "no-violation-float"
            message = (f"floating-point pricing found no violation: S(r) = {pr.sup:.10g}, "
                       f"S/beta = {ratio():.9g} <= 1 + {tol:g} after {rounds} rounds; "
                       "evidence, not a certificate (the exact certificate decides: "
                       "exact=True, certify=True)")
    elif stop == "no-candidate":
        message = (f"the pricing oracle returned no neuron in round {rounds} "
                   f"(S(r) = {float(pr.sup):.10g}); nothing to add")
    elif stop == "repeat":
        stop = "repeat-column"
        message = (f"the oracle's maximiser (S/beta = {ratio():.9g} > 1 + {tol:g}) is "
                   f"already a column in round {rounds}: the Lasso solution (rel_gap "
                   f"{float(getattr(sol, 'rel_gap', float('nan'))):.3g}, tol "
                   f"{lasso_tol:g}), not the dictionary, limits progress")
    elif stop != "time-limit":        # (time-limit: the message is st["message"])
        stop = "max-rounds"
        message = (f"stopped at max_rounds={max_rounds}: " +
                   (f"the last pricing found S/beta = {ratio():.9g} > 1 + {tol:g}; its "
                    "maximiser was added but the new solution was not priced"
                    if st["history"] else "no pricing round was run"))
    if not getattr(sol, "converged", True):
        message += (f"; the last Lasso solve stopped at rel_gap "
                    f"{float(getattr(sol, 'rel_gap', float('nan'))):.3g} > {lasso_tol:g}")
    z = np.asarray(sol.z, dtype=float)
    if len(z) < src.size:
        # a column added after the last solve (a round or time limit) holds z = 0
        sol = replace(sol, z=np.r_[z, np.zeros(src.size - len(z))])
    seconds = clock() - t0
    prog.done(lambda: (f"colgen {stop} after {rounds} rounds, {len(src.added)} columns "
                       f"added, objective {float(sol.objective):.10g}: {message}"))
    return ColumnGeneration(src.atoms(), src.float_matrix(), sol, st["history"],
                            list(src.added), rounds, pr, seconds, stop, message, b_f,
                            float(tol), max_rounds,
                            None if max_seconds is None else float(max_seconds),
                            pr.kind if pr is not None else oracle.oracle_kind(d),
                            st["work"], unit, st["t_pricing"], st["lasso_work"])


# --------------------------------------------------------------------- streamed

def streamed_column_generation(source, y, beta, *, intercept: bool = True,
                               max_rounds: int = 100, tol: float = 1e-9,
                               lasso_tol: float = 1e-10, add: Optional[int] = None,
                               prune: float = 0.02, hold: Optional[int] = None,
                               per_anchor: int = 2,
                               margin: float = 1e-6, max_seconds: Optional[float] = None,
                               progress=True, client=None,
                               cache: Optional[int] = None,
                               neighbours: Optional[int] = None,
                               max_bytes: Optional[int] = None) -> ColumnGeneration:
    """Column generation over an implicit (streamed) finite dictionary ``source``
    (:class:`~exactgeo.sources.ImplicitSource`): the working-set loop from the
    hyperplanes through each sample and its ``neighbours`` nearest samples or an axis
    (:meth:`~exactgeo.sources.ImplicitSource.neighbour_columns`; 0: from the empty set;
    default the source's ``neighbour_count``, halved while the start would fill more than
    half of ``max_bytes``)
    — restricted Lasso on the held columns (warm-started), price the dual point, add the
    ``add`` (default max(2n, 50)) most violating columns and, once more than ``hold``
    (default 256 MiB / 8n) columns are held, drop those that are zero and far from
    active (|A_kᵀλ| < (1 − ``prune``)β) — a column dropped too early costs a full pass
    to find again, one held costs n multiply-adds a step; at most ``per_anchor``
    added columns share an anchor (training point), so a round adds diverse neurons, not
    near-copies — until max_k |A_kᵀλ| ≤ β(1 + ``tol``) over *every* column in floating
    point, or a limit (``max_rounds``, ``max_seconds``). Partial pricing: a full streamed
    pass also keeps the ``cache`` (default max(4·add, min(20000, 256 MiB / 8n))) columns
    with the largest |A_kᵀλ| as a float matrix; up to 4 following rounds price only
    those (one matrix product) while their worst violation exceeds half the last full
    pass's, else a full pass runs; only a full pass can stop the loop. Then one more
    streamed pass adds the columns within ``margin`` of the dual boundary
    (|A_kᵀλ| ≥ β(1 − margin)), so the exact KKT step sees every column that may be
    active at the exact optimum.

    The run never claims optimality (floating point): the exact KKT on the held columns
    and the exact certificate over the whole dictionary (rigorous streamed pricing,
    :func:`exactgeo.families.streamed.price_rigorous`) decide. ``progress`` as in
    :func:`column_generation`: per round, the objective, the relative duality gap, the
    worst violation S/β, the working-set size and the pricing throughput (columns/s).
    ``client`` a dask.distributed Client prices on its workers (identical results).
    ``max_bytes`` bounds the float columns held (working set and cache, 8n bytes per
    column; the final solve's copy of the working set replaces the cache): the start,
    the batches and the cache shrink to fit, and a working set that still cannot fit is
    refused before it is allocated (MemoryError with the size; at the start, or when a
    round would grow it beyond).

    >>> import numpy as np
    >>> from exactgeo.families import get_family
    >>> from exactgeo.sources import ImplicitSource
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]]); y = np.array([0.0, 1.0, 0.0, 1.0])
    >>> src = ImplicitSource(get_family("relu", reg="l1", bias=True), X)
    >>> cg = streamed_column_generation(src, y, 0.01, progress=False)
    >>> cg.stop, round(cg.objective, 9)
    ('no-violation-float', 0.039)
    """
    from ..progress import as_progress
    prog = as_progress(progress)
    clock = prog.clock
    t0 = clock()
    deadline = None if max_seconds is None else t0 + float(max_seconds)
    yf = np.asarray(y, dtype=float)
    b_f = float(beta)
    n = yf.shape[0]
    n_add = min(max(2 * n, 50) if add is None else int(add), source.size)
    n_cache = (max(4 * n_add, min(20000, 2 ** 28 // (8 * n))) if cache is None
               else max(int(cache), 0))
    n_hold = 2 ** 28 // (8 * n) if hold is None else int(hold)
    fit_cols = None if max_bytes is None else int(max_bytes) // (8 * n)
    W0, neighbours = _first_working_set(source, neighbours, fit_cols, n_add)
    if fit_cols is not None:
        # the held columns must fit: a round adds at most half the room left, pruning
        # starts at half the budget; the cache is an accelerator: at most half of the
        # room left at the start, and dropped when the working set needs its room
        n_add = max(1, min(n_add, (fit_cols - W0.size) // 2))
        n_hold = min(n_hold, fit_cols // 2)
        _Held.check(W0.size + n_add, fit_cols, n, max_bytes, neighbours)
        n_cache = min(n_cache, (fit_cols - W0.size - n_add) // 2)
    pool = {"idx": np.zeros(0, dtype=np.int64), "A": np.zeros((n, 0)), "anchor": None}
    held = _Held(source, n, intercept, max_bytes=max_bytes)   # the working set's columns
    yc = yf - yf.mean() if intercept else yf
    carry = Carry()                                   # the restricted solves' factor
    st = {"n_cache": n_cache, "sol": None, "round": 0, "cache_rounds": 0, "excess": 0.0,
          "t_pricing": 0.0, "work": 0, "history": [], "lasso_work": 0, "message": None,
          "pr": None, "rate": None}

    def remaining():
        return None if deadline is None else max(deadline - clock(), 1e-3)

    def restricted(W, z0, _last):
        # the active-set method on the held columns (centred for the intercept), warm
        # from the last basic solution: each round costs a few steps of O(n·|support|)
        if fit_cols is not None:
            if len(W) + st["n_cache"] > fit_cols:      # the working set needs the room
                st["n_cache"] = 0
                pool.update(idx=np.zeros(0, dtype=np.int64), A=np.zeros((n, 0)))
            held.cap = fit_cols - st["n_cache"]
        Ac = held(W)
        z, r, it = active_lasso(Ac, yc, b_f, z0=None if z0 is None else
                                np.asarray(z0, dtype=float), ids=W, carry=carry)
        st["lasso_work"] += int(it)
        # the dual point: the residual scaled into |A_kᵀλ| ≤ β on the held columns
        corr = np.abs(Ac.T @ r)
        scale = min(1.0, b_f / max(float(corr.max(initial=0.0)), 1e-300))
        lam = r * scale
        keep = (None if len(W) <= n_hold else          # active columns sit at β
                corr * scale >= (1 - prune) * b_f)
        return Restricted(z, lam, 0.5 * float(r @ r) + b_f * float(np.abs(z).sum()),
                          keep=keep)

    r0 = yf - (yf.mean() if intercept else 0.0)
    start = Restricted(np.zeros(0), r0, 0.5 * float(r0 @ r0))

    def tick(done, total, u):
        if deadline is not None and clock() > deadline:
            raise _TimeUp(done, total, u)
        prog.update(lambda: f"colgen round {st['round']}: pricing {done / max(total, 1):.0%} "
                            f"of {_g(total)} {u}")

    def price(res, W):
        rounds = st["round"] + 1
        if deadline is not None and clock() > deadline:
            return _time_limit(st, f"stopped at max_seconds={max_seconds:g} after "
                                   f"{rounds - 1} rounds ({clock() - t0:.1f} s)")
        st["round"] = rounds
        t = clock()
        if pool["idx"].size and st["cache_rounds"] < 4:
            # the cache serves while its worst violation is a fair share of the last
            # full pass's, at most 4 rounds in a row (a stale cache only finds ever
            # smaller ones: price all again); a rule on sizes, not on measured times,
            # so the rounds are the same in every run
            pr = _from_cache(pool, res.r, W, n_add, b_f * (1 + tol), per_anchor,
                             worth=b_f * (1 + max(tol, 0.5 * st["excess"])))
            if pr is not None:
                st["t_pricing"] += clock() - t
                st["cache_rounds"] += 1
                st["full"] = False
                st["pr"] = pr
                st["history"].append(float(pr.sup))
                return pr
        st["full"] = True
        st["cache_rounds"] = 0
        try:
            if st["n_cache"] > n_add:
                full = source.price(res.r, k=st["n_cache"], exclude=W, progress=tick,
                                    client=client)
                pool["idx"] = full.idx
                pool["A"] = np.asfortranarray(source.columns(full.idx))
                pool["anchor"] = source.anchors(full.idx)
                pr = _from_cache(pool, res.r, W, n_add, b_f * (1 + tol), per_anchor,
                                 sup=full.sup, arg=full.argmax)
                st["excess"] = max(full.sup / b_f - 1, 0.0)
            else:
                pr = source.price(res.r, k=n_add, exclude=W, threshold=b_f * (1 + tol),
                                  per_anchor=per_anchor, progress=tick, client=client)
        except _TimeUp as up:
            st["t_pricing"] += clock() - t
            return _time_limit(st, f"stopped at max_seconds={max_seconds:g} during the "
                                   f"pricing of round {rounds} ({up.done / max(up.total, 1):.0%}"
                                   f" of {_g(up.total)} {up.unit} priced)")
        dt = clock() - t
        st["t_pricing"] += dt
        st["work"] += source.size
        st["rate"] = source.size / dt if dt > 0 else None
        st["pr"] = pr
        st["history"].append(float(pr.sup))
        return pr

    def on_round(rec, res, pr):
        rate = st["rate"]
        if not st.get("full", True):        # a cache round: its sup is only a lower bound
            prog.update(force=True, msg=lambda: (
                f"colgen round {rec.round}: objective {rec.primal:.10g}, worst violation "
                f"S/beta >= {pr.sup / b_f:.6g} among {pool['idx'].size} cached columns, "
                f"working set {rec.size}"))
            return
        st["gap"] = rec.rel_gap if rec.rel_gap == rec.rel_gap else 1.0
        prog.update(force=True, msg=lambda: (
            f"colgen round {rec.round}: objective {rec.primal:.10g}, gap {rec.rel_gap:.2e}, "
            f"worst violation S/beta {pr.sup / b_f:.6g}, working set {rec.size}, priced "
            f"{_g(source.size)} columns" + (f" ({_g(rate)} columns/s)" if rate else "")))

    out = working_set(source, restricted, W0, start=None if W0.size else start,
                      price=price, optimal=lambda res, pr: st.get("full", True) and
                      pr.sup <= b_f * (1 + tol),
                      beta=b_f, y=yf, max_rounds=max_rounds, clock=clock, solve_last=True,
                      on_round=on_round)
    W, res = out.W, out.restricted
    stop, message = out.stop, st["message"]
    # the final solve runs once, after the margin columns are in
    z_last = np.asarray(res.z, dtype=float) if len(W) else None
    if stop == "optimal":
        stop = "no-violation-float"
        message = (f"floating-point pricing of all {source.size} columns found no "
                   f"violation: S = {st['history'][-1]:.10g} <= beta(1 + {tol:g}) after "
                   f"{out.rounds} rounds; evidence, not a certificate")
        if margin > 0 and len(W):
            pr = source.price(res.r, k=max(n_add, len(W)), exclude=W,
                              threshold=b_f * (1 - margin), client=client)
            if pr.idx.size:
                W = np.concatenate([W, pr.idx])
                z_last = np.r_[z_last, np.zeros(pr.idx.size)]
                message += (f"; {pr.idx.size} columns within {margin:g} of the dual "
                            "boundary added")
    elif stop == "no-candidate":
        message = f"no column above beta(1 + {tol:g}) to add in round {out.rounds}"
    elif stop == "repeat":
        stop = "repeat-column"
        message = f"every violating column is already held in round {out.rounds}"
    elif stop != "time-limit":
        stop = "max-rounds"
        message = f"stopped at max_rounds={max_rounds}"
    # the final solve on the final columns (uncentred: the intercept is solved for);
    # the active-set method's answer is basic, as the exact KKT step wants
    pool.clear()                                      # the cache's memory, for the copy
    A = held.raw(W) if len(W) else np.zeros((n, 0))
    sol = solve(A, yf, b_f, intercept=intercept, tol=lasso_tol, z0=z_last,
                max_seconds=remaining(), method="active-set")
    if not getattr(sol, "converged", True):
        message += (f"; the last Lasso solve stopped at rel_gap "
                    f"{float(getattr(sol, 'rel_gap', float('nan'))):.3g} > {lasso_tol:g}")
    if len(W) and getattr(sol, "lam", None) is not None:
        # hand on only the columns the exact KKT step needs: the support and those
        # within ``margin`` of the dual boundary (the rest are zero at the float optimum;
        # the exact certificate re-prices every column of the source anyway)
        z = np.asarray(sol.z, dtype=float)
        need = (np.abs(z) > 1e-9 * np.abs(z).max(initial=0.0)) | \
            (np.abs(A.T @ np.asarray(sol.lam, dtype=float)) >= b_f * (1 - margin))
        if not need.all():
            W, A = W[need], A[:, need]
            sol.z = z[need]
    atoms = source.atoms(W)
    seconds = clock() - t0
    prog.done(lambda: (f"colgen {stop} after {out.rounds} rounds, working set {len(W)}, "
                       f"objective {float(sol.objective):.10g}: {message}"))
    cg = ColumnGeneration(atoms, A, sol, st["history"], list(atoms), out.rounds, st["pr"],
                          seconds, stop, message, b_f, float(tol), max_rounds,
                          None if max_seconds is None else float(max_seconds),
                          "dictionary", st["work"], "columns", st["t_pricing"],
                          st["lasso_work"])
    cg.columns_idx = np.asarray(W, dtype=np.int64)
    return cg


def _first_working_set(source, neighbours, fit_cols, n_add):
    """(columns, neighbours): the source's neighbour columns (default: its
    ``neighbour_count``, fewer while they would fill more than half of ``fit_cols``)."""
    if not hasattr(source, "neighbour_columns"):
        return np.zeros(0, dtype=np.int64), 0
    if neighbours is not None:
        return (source.neighbour_columns(neighbours) if neighbours > 0
                else np.zeros(0, dtype=np.int64)), neighbours
    m = source.neighbour_count
    while True:
        W0 = source.neighbour_columns(m) if m > 0 else np.zeros(0, dtype=np.int64)
        if m == 0 or fit_cols is None or 2 * (W0.size + n_add) <= fit_cols:
            return W0, m
        m //= 2


@njit(cache=True)
def _compact(buf, pos):
    """Move column pos[j] of the Fortran-ordered buf to j, in place (pos increasing)."""
    for j in range(pos.size):
        p = pos[j]
        if p != j:
            buf[:, j] = buf[:, p]


class _Held:
    """The working set's float columns, centred with an intercept, in working-set order,
    in one buffer updated in place: each round keeps a prefix of the last order (the
    columns not pruned) and appends the new ones, so no round copies the whole matrix."""

    def __init__(self, source, n, centre, max_bytes=None):
        self.source, self.centre = source, centre
        self.cap, self.max_bytes = None, max_bytes    # at most cap columns (None: any)
        self.buf = np.empty((n, 0), order="F")
        self.ids = np.zeros(0, dtype=np.int64)
        self.mean = np.zeros(0)

    @staticmethod
    def check(size, cap, n, max_bytes, neighbours):
        """MemoryError, before allocating, when ``size`` held columns exceed ``cap``."""
        if cap is not None and size > cap:
            from ..families.budget import fmt_bytes
            raise MemoryError(
                f"column generation would hold {size} float columns of n = {n} samples "
                f"(about {fmt_bytes(8 * n * size)}), more than max_bytes = "
                f"{fmt_bytes(max_bytes)} allows ({max(cap, 0)} columns); raise max_bytes"
                + (f", or start from fewer columns (neighbours={neighbours} gives "
                   "the first working set; 0 starts empty)" if neighbours else ""))

    def __call__(self, W):
        """The (centred) columns W, (n, |W|): a view of the buffer."""
        W = np.asarray(W, dtype=np.int64)
        pos = positions(self.ids, W)
        k = int(np.sum(pos >= 0))
        if (pos[:k] >= 0).all() and np.all(np.diff(pos[:k]) > 0):
            _compact(self.buf, pos[:k])            # a kept prefix, in order: shift left
            mean = self.mean[pos[:k]]
        else:                                      # any other order: all afresh
            k = 0
            mean = np.zeros(0)
        new = W[k:]
        if W.size > self.buf.shape[1]:
            self.check(W.size, self.cap, self.buf.shape[0], self.max_bytes, 0)
            size = max(W.size, self.buf.shape[1] * 3 // 2)
            grown = np.empty((self.buf.shape[0], size if self.cap is None else
                              min(size, self.cap)), order="F")
            if k:
                grown[:, :k] = self.buf[:, :k]
            self.buf = grown
        if new.size:
            cols = self.source.columns(new)
            mu = cols.mean(axis=0) if self.centre else np.zeros(new.size)
            self.buf[:, k:W.size] = cols - mu
            mean = np.r_[mean, mu]
        self.ids, self.mean = W.copy(), mean
        return self.buf[:, :W.size]

    def raw(self, W):
        """The columns W as the source gives them (uncentred), a new (n, |W|) array."""
        return self(W) + self.mean


def _from_cache(pool, r, W, k, threshold, per_anchor, sup=None, arg=None, worth=None):
    """Priced answer from the cached columns (``pool``: their indices, float matrix and
    anchors): the k most violating (|A_kᵀr| > threshold, not in W, at most ``per_anchor``
    per anchor), or None when none violates (and no true ``sup`` of a full pass is
    given, or the worst is not above ``worth``). ``sup`` defaults to the cache's max —
    a lower bound on the source's."""
    from ..sources.implicit import per_anchor_cap
    from ..sources.base import top_k
    corr = pool["A"].T @ np.asarray(r, dtype=float)
    a = np.abs(corr)
    cand = a > threshold
    if len(W):
        cand &= ~np.isin(pool["idx"], np.asarray(W, dtype=np.int64))
    if sup is None and (not cand.any() or (worth is not None and
                                           a[cand].max() <= worth)):
        return None
    if per_anchor:
        cand = per_anchor_cap(a, cand, pool["anchor"], int(per_anchor))
    sel = top_k(a, k, cand)
    if sup is None:
        j = int(np.argmax(a))
        sup, arg = float(a[j]), int(pool["idx"][j])
    return Priced(pool["idx"][sel].astype(np.int64), corr[sel], float(sup), int(arg), "float")
