"""Column generation (THEORY §2.5): the working-set loop over a generated column source.

The restricted problem is the Lasso over the columns held so far (solved by
:func:`exactgeo.lasso.solve_lasso`, warm-started); pricing is the family's oracle
sup_θ |rᵀφ(X; θ)| (:class:`~exactgeo.sources.GeneratedSource`); adding holds the
maximiser's column. :func:`exactgeo.certify.column_generation` is this function.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

from ..sources import GeneratedSource, Priced
from .solver import solve
from .working_set import Restricted, working_set

__all__ = ["column_generation", "ColumnGeneration", "STOP_REASONS"]


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
            st["message"] = (f"stopped at max_seconds={max_seconds:g} after {rounds - 1} "
                             f"rounds ({clock() - t0:.1f} s)")
            return Priced(np.zeros(0, dtype=np.int64), np.zeros(0), math.nan,
                          stop="time-limit")
        st.update(round=rounds, t=clock())
        try:
            pr = src.price(res.r, progress=tick)
        except _TimeUp as up:
            st["work"] += int(up.done)
            st["t_pricing"] += clock() - st["t"]
            st["message"] = (
                f"stopped at max_seconds={max_seconds:g} during the pricing of round "
                f"{rounds} ({up.done / max(up.total, 1):.0%} of {_g(up.total)} {up.unit}"
                f" priced, {clock() - t0:.1f} s); the solution of round {rounds - 1} "
                "is returned")
            return Priced(np.zeros(0, dtype=np.int64), np.zeros(0), math.nan,
                          stop="time-limit")
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
    seconds = clock() - t0
    prog.done(lambda: (f"colgen {stop} after {rounds} rounds, {len(src.added)} columns "
                       f"added, objective {float(sol.objective):.10g}: {message}"))
    return ColumnGeneration(src.atoms(), src.float_matrix(), sol, st["history"],
                            list(src.added), rounds, pr, seconds, stop, message, b_f,
                            float(tol), max_rounds,
                            None if max_seconds is None else float(max_seconds),
                            pr.kind if pr is not None else oracle.oracle_kind(d),
                            st["work"], unit, st["t_pricing"], st["lasso_work"])
