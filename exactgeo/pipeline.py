"""``exactgeo.fit``: a network fitted as a Lasso over a family's columns, certified —
explicit stages over one state.

Stages (each takes and returns the :class:`FitState`; its time goes into ``timings``):

    columns      the family's finite dictionary (None: column generation from empty)
    lasso        float Lasso, or column generation over the family's oracle
    exact_kkt    exact KKT over ℚ, or a ball enclosure for irrational columns (THEORY §5)
    lp           (min-norm instead of lasso + exact_kkt) the exact min-ℓ1 LP
    certificate  the network-level dual certificate S(r) ≤ β (THEORY §2.5)
    network      the network rebuilt from (atoms, z) by the family (THEORY §2.6)
    check        the reported network reproduces the reported objective

Every stage asks the family (:class:`exactgeo.families.Family`) what depends on the
architecture; none branches on model, penalty or bias.

Exactness: exact inputs (Fractions, sympy Rationals, fmpq; object arrays) switch on
``exact``; ``exact=True`` on float data converts every float *exactly* (its binary value),
so ``0.1`` becomes 3602879701896397/2**55 — read decimal data with
``read_csv(path, exact=True)`` or pass Fractions. Pass β as a Fraction or a string such
as ``"1/1000"`` to keep it exact.

>>> from fractions import Fraction as F
>>> X = [[F(1), F(0)], [F(0), F(1)]]; y = [F(1), F(1)]
>>> res = fit(X, y, model="relu", reg="l1", bias=False, beta=F(1, 10), certify=True)
>>> res.objective_exact, res.certificate.status
(Fraction(19, 100), 'certified-optimal')
"""
from __future__ import annotations

import json
import math
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Optional

import numpy as np

from .certify import network_certificate
from .data import Data
from .families import get_family
from .lasso import certify_lasso, min_l1_interpolation
from .lasso.colgen import column_generation
from .lasso.solver import solve
from .numbers import (check_max_bytes, describe, exact_sqrt, parse_fraction_str,
                      to_fraction)
from .results import FitResult, check_reported
from .solution import Solution

__all__ = ["fit", "FitState", "Settings", "cli_fit"]


@dataclass(frozen=True)
class Settings:
    """The knobs of one fit, validated once (:meth:`of`)."""
    beta: Any                     # Fraction (exact data) or float; None for min-norm
    min_norm: bool
    bias: bool
    certify: bool
    colgen: bool
    samples: int
    seed: int
    max_rounds: int
    max_bytes: Any
    max_seconds: Optional[float]
    progress: bool
    scheduler: Optional[str] = None      # dask.distributed pricing (exactgeo.distributed)
    workers: Optional[int] = None

    @classmethod
    def of(cls, *, beta, min_norm, bias, certify, colgen, samples, seed, max_rounds,
           max_bytes, max_seconds, progress, exact: bool, scheduler=None,
           workers=None) -> "Settings":
        b = _parse_beta(beta, min_norm)
        if exact and b is not None and not isinstance(b, Fraction):
            b = to_fraction(b, "beta")
        for name, v, low in (("samples", samples, 1), ("seed", seed, 0),
                             ("max_rounds", max_rounds, 1)):
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
                raise TypeError(f"{name}: expected an integer >= {low}, got "
                                f"{type(v).__name__} {v!r}")
            if v < low:
                raise ValueError(f"{name}: expected an integer >= {low}, got {v}")
        check_max_bytes(max_bytes)
        if max_seconds is not None and not (isinstance(max_seconds, (int, float))
                                             and max_seconds > 0):
            raise ValueError(f"max_seconds: expected a number of seconds > 0 or None, got "
                             f"{max_seconds!r}")
        from .distributed import check_settings
        check_settings(scheduler, workers)
        return cls(b, bool(min_norm), bool(bias), bool(certify), bool(colgen), int(samples),
                   int(seed), int(max_rounds), max_bytes, max_seconds, bool(progress),
                   scheduler, None if workers is None else int(workers))


def _parse_beta(beta, min_norm):
    if min_norm:
        if beta is not None:
            raise ValueError(f"beta: give beta or min_norm=True, not both (got beta={beta!r})")
        return None
    if beta is None:
        raise ValueError("beta: expected a regularization β > 0 (or min_norm=True), got None")
    if isinstance(beta, str):
        b = parse_fraction_str(beta, "beta")      # exact: "1e-400" stays 1/10**400
    elif isinstance(beta, (float, np.floating)):
        if not math.isfinite(beta):
            raise ValueError(f"beta: expected a finite number > 0, got {beta!r}")
        b = float(beta)
    else:
        b = to_fraction(beta, "beta")
    shown = repr(beta) if isinstance(beta, str) else describe(beta)   # what the user gave
    if not b > 0:
        raise ValueError(f"beta: expected a number > 0, got {shown}")
    try:
        b_f = float(b)
    except OverflowError:
        raise ValueError(f"beta: {shown} is beyond the float range (about 1.8e308); expected "
                         "a finite number > 0") from None
    if not b_f > 0:
        raise ValueError(f"beta: {shown} underflows to 0.0 in floating point (the Lasso "
                         "solver works in floats), so it is not > 0; expected beta >= about "
                         "5e-324, or min_norm=True (CLI: --min-norm) for the beta -> 0 limit")
    return b


@dataclass
class FitState:
    """What the stages pass along. ``atoms`` index the columns of ``solution.z``;
    ``columns`` the explicit dictionary (None when generated from empty); ``A_float`` the
    float columns the solver saw; ``exact_columns`` the exact dictionary of the KKT step and
    ``kkt`` its result (support, signs; Lasso only)."""
    data: Data
    family: Any
    settings: Settings
    columns: Any = None
    atoms: Any = field(default_factory=list)
    A_float: Any = None
    solution: Optional[Solution] = None
    exact_columns: Any = None
    kkt: Any = None
    certificate: Any = None
    colgen: Optional[dict] = None
    network: Any = None
    timings: dict = field(default_factory=dict)
    route: Optional[dict] = None      # how the columns were held (explicit / implicit)
    client: Any = None                # dask.distributed Client for streamed pricing
    program: Any = None               # a family-supplied route's own state (Family.stages)


# ------------------------------------------------------------------------ stages

def columns(state: FitState) -> FitState:
    fam, data, st = state.family, state.data, state.settings
    if st.certify or st.colgen:
        fam.pricer().check_sizes(data.n, data.d, samples=st.samples, max_bytes=st.max_bytes)
    too_large = fam.estimate_bytes(data.n, data.d, data.exact) > st.max_bytes
    if too_large and not st.min_norm:
        # too large to store: stream the finite dictionary (no flag needed), or, for a
        # family without one, column generation from empty (--colgen)
        src = fam.implicit_source(data.X, max_bytes=min(int(st.max_bytes), 2 ** 27))
        if src is not None:
            state.columns = src
            state.route = {"route": "implicit", "description": src.route,
                           "block_size": src.block_size, "columns": src.size,
                           "max_bytes": src.max_bytes}
            return state
    if st.colgen and too_large and not st.min_norm:
        state.route = {"route": "generated", "description": "column generation from empty "
                       "(the family's pricing oracle)"}
        return state
    state.columns = fam.dictionary(data.X, exact=data.exact, max_bytes=st.max_bytes)
    state.atoms = state.columns.atoms          # a lazy sequence: atoms are built on access
    state.route = {"route": "explicit", "description": "explicit dictionary",
                   "columns": int(state.columns.shape[1])}
    return state


def lasso(state: FitState) -> FitState:
    data, st, D = state.data, state.settings, state.columns
    b = float(st.beta)
    if getattr(D, "streamed", False):           # implicit source: streamed column generation
        from .lasso.colgen import streamed_column_generation
        cg = streamed_column_generation(D, data.y_float, b, intercept=st.bias,
                                        max_rounds=max(st.max_rounds, 400),
                                        max_seconds=st.max_seconds, progress=st.progress,
                                        client=state.client, max_bytes=st.max_bytes)
        state.colgen = dict(cg.to_json(), from_empty=True, route=D.route)
        sol, A = cg.solution, cg.A
        state.columns = (D.exact_dictionary(cg.columns_idx) if data.exact else None)
        state.atoms = list(state.columns.atoms) if data.exact else list(cg.atoms)
    elif st.colgen:
        cg = column_generation(state.family, data.X_float, data.y_float, b, intercept=st.bias,
                               max_rounds=st.max_rounds, samples=st.samples, seed=st.seed,
                               atoms=[] if D is None else None,
                               dictionary=None if (D is None or data.exact) else D,
                               max_seconds=st.max_seconds, progress=st.progress)
        state.colgen = dict(cg.to_json(), from_empty=D is None)
        sol, A = cg.solution, cg.A
        assert len(sol.z) == A.shape[1], "column generation: one coefficient per column"
        if data.exact and (D is None or cg.added):     # generated columns, made exact
            state.columns = state.family.exact_columns(data.X, list(cg.atoms))
        state.atoms = list(state.columns.atoms) if data.exact else list(cg.atoms)
    else:
        A = np.asarray(D.float_matrix(), dtype=float)
        sol = solve(A, data.y_float, b, intercept=st.bias)
    state.A_float = A
    state.solution = Solution.from_float(sol, A, data.y_float, b)
    return state


def exact_kkt(state: FitState) -> FitState:
    data, st, D, flt = state.data, state.settings, state.columns, state.solution
    if not data.exact:
        return state
    if D.shape[1] == 0:
        state.solution = Solution.intercept_only(data.y, st.bias)
        return state
    if D.norm_sq is None:              # the dictionary's integer storage, as it is
        A, ns, A_float = D, None, None
    else:
        A, ns = _rational_columns(D.A, D.norm_sq)
        A_float = None if ns is not None else np.asarray(A, dtype=float)
    ex = certify_lasso(A, data.y, st.beta, flt.raw, norm_sq=ns, intercept=st.bias,
                       A_float=A_float)
    state.exact_columns, state.kkt = D, ex
    state.solution = Solution.from_kkt(ex, flt)
    return state


def min_norm_lp(state: FitState) -> FitState:
    data, st, D = state.data, state.settings, state.columns
    _check_interpolable(data)
    A, ns = (_rational_columns(D.A, D.norm_sq) if data.exact else (D.float_matrix(), None))
    mn = min_l1_interpolation(A, data.y, intercept=st.bias, exact=data.exact, norm_sq=ns)
    state.A_float = D.float_matrix()
    state.solution = Solution.from_min_norm(mn, data.exact)
    return state


def certificate(state: FitState) -> FitState:
    data, st, sol = state.data, state.settings, state.solution
    if state.colgen is not None:      # "converged" means certified, nothing less
        state.colgen["converged"] = False
    if not st.certify or sol.r is None:
        return state
    beta = Fraction(1) if st.min_norm else st.beta
    cert = network_certificate(state.family, data.X, sol.r,
                               beta if data.exact else float(beta), samples=st.samples,
                               seed=st.seed, lasso_status=sol.status)
    ex = state.kkt
    if cert.status == "undecided" and sol.status in ("enclosed", "undecided") and \
            ex is not None:
        D = state.exact_columns
        tie = state.family.resolve_tie(data.X, D.A, D.norm_sq, list(ex.support),
                                       list(ex.signs), data.y, st.beta, intercept=st.bias)
        cert = tie if tie is not None else cert
    if st.min_norm and cert.violating_atom is not None:
        cert = _check_min_norm_witness(cert, state)
    state.certificate = cert
    if state.colgen is not None:
        state.colgen["converged"] = cert.status == "certified-optimal"
    return state


def network(state: FitState) -> FitState:
    sol = state.solution
    keep = [k for k in range(len(sol.z)) if sol.z[k] != 0]
    state.atoms = [state.atoms[k] for k in keep]
    state.solution = sol.restricted(keep)
    state.network = state.family.network(state.atoms, state.solution.z, state.solution.xi,
                                         n_features=state.data.d)
    return state


LASSO_STAGES = (columns, lasso, exact_kkt, certificate, network)
MIN_NORM_STAGES = (columns, min_norm_lp, certificate, network)


# ------------------------------------------------------------------------- fit

def fit(X, y, model: str = "relu", depth: int = 2, reg: str = "l1", bias: bool = True,
        beta=None, min_norm: bool = False, exact: bool = False, certify: bool = False,
        colgen: bool = False, samples: int = 2000, seed: int = 0, axes=None,
        max_rounds: int = 50, max_bytes: int = 2 ** 31, max_seconds=None,
        progress: bool = False, scheduler: Optional[str] = None,
        workers: Optional[int] = None, family_options: Optional[dict] = None) -> FitResult:
    """Fit a network of the family (model, depth, reg, bias) as a Lasso over its columns.

    X (n, d) (1-D X is read as (n, 1)), y (n,); loss ½‖f(X) − y‖² + β·penalty = the Lasso
    ½‖Az + ξ𝟙 − y‖² + β‖z‖₁ (THEORY §2.2). ``min_norm``: the β → 0 limit, the minimum-ℓ1
    interpolating network (objective = its ℓ1 norm). ``exact``: exact KKT certificate
    (automatic for exact inputs). ``certify``: the global dual certificate. ``colgen``:
    column generation until the float oracle finds no violation S(r) ≤ β(1 + 1e-6), or
    ``max_rounds`` / ``max_seconds``; ``colgen.stop`` says which, and ``colgen.converged``
    is True only when certified. ``axes`` goes to the family (ℓ1: add the basis
    directions). A dictionary needing more than ``max_bytes`` is refused (MemoryError with
    its size) — unless the family can stream it: then the *implicit* route runs (columns
    in blocks within ``max_bytes``, column generation over them; ``result.route`` says
    which route ran) — or ``colgen``: then column generation starts from the empty
    dictionary. ``progress``: progress lines on stderr, one when each stage starts and ends
    (:func:`stage_progress`), and column generation's rounds.
    ``scheduler`` (a dask.distributed address) or ``workers`` (a LocalCluster of that many
    workers) price the streamed blocks on dask workers (the ``dask`` extra).

    ``family_options`` go to the family's factory as keywords (e.g. ``{"midpoints": False}``
    for the reflection-only depth-3 abs dictionary).
    """
    t0 = time.perf_counter()
    options = dict(({} if axes is None else {"axes": axes}), **(family_options or {}))
    get_family(model, depth=depth, reg=reg, bias=bias, **options)   # bad names first
    data = Data.of(X, y, exact=exact)
    family = get_family(model, depth=depth, reg=reg, bias=bias, d=data.d, **options)
    settings = Settings.of(beta=beta, min_norm=min_norm, bias=family.intercept,
                           certify=certify,
                           colgen=colgen, samples=samples, seed=seed, max_rounds=max_rounds,
                           max_bytes=max_bytes, max_seconds=max_seconds, progress=progress,
                           exact=data.exact, scheduler=scheduler, workers=workers)
    state = FitState(data, family, settings)
    prog = stage_progress(settings.progress)
    from .distributed import client_for
    with client_for(settings.scheduler, settings.workers) as client:
        state.client = client
        stages = family.stages(data, settings) or \
            (MIN_NORM_STAGES if settings.min_norm else LASSO_STAGES)
        for stage in stages:
            state = run_stage(stage, state, prog)
        state.client = None
    res = FitResult.from_state(state, seconds=time.perf_counter() - t0)
    t = time.perf_counter()
    with phase(prog, "check (the reported network reproduces the reported objective)",
               lambda: f"check done in {res.timings['check']:.2f} s; fit took "
                       f"{time.perf_counter() - t0:.2f} s"):
        check_reported(res, data.X, data.y)
        if res.objective_exact is not None and res.exact:
            res.reconstruction_exact = True          # THEORY §2.6, checked exactly above
        res.timings["check"] = time.perf_counter() - t
    return res


def run_stage(stage, state: FitState, prog) -> FitState:
    """Run one stage, time it into ``state.timings`` and report its start and end on
    ``prog`` (:func:`phase`; stages that do nothing under the settings print nothing)."""
    name = stage.__name__
    key = _TIMING_KEY.get(name, name)
    runs = _RUNS.get(name, lambda s: True)(state)
    box = [state]
    t = time.perf_counter()
    with phase(prog if runs else None, key,
               lambda: f"{key} done in {box[0].timings[key]:.2f} s"
                       f"{_stage_outcome(name, box[0])}"):
        box[0] = stage(state)
        box[0].timings[key] = time.perf_counter() - t
    return box[0]


ANNOUNCE_AFTER = 0.1
"""Seconds a phase runs before its start line is printed (0: at once). Quick phases print
nothing, so a user mistake found in the first moments stays a one-line error."""


@contextmanager
def phase(prog, name: str, done):
    """Report a phase on ``prog``: "<name> …" once it has run :data:`ANNOUNCE_AFTER`
    seconds (a timer thread, so the line appears *while* it runs), and ``done()`` (a
    message) when it ends, if its start was printed. ``prog`` None: silent.

    >>> import io
    >>> p = stage_progress(True); p.stream = io.StringIO()
    >>> with phase(p, "demo", lambda: "demo done"):
    ...     pass                                  # too quick: nothing printed
    >>> p.stream.getvalue()
    ''
    """
    if prog is None or not prog.enabled:
        yield
        return
    said = []

    def announce():
        said.append(prog.update(f"{name} …", force=True))

    timer = None
    if ANNOUNCE_AFTER <= 0:
        announce()
    else:
        timer = threading.Timer(ANNOUNCE_AFTER, announce)
        timer.daemon = True
        timer.start()
    try:
        yield
    finally:
        if timer is not None:
            timer.cancel()
            timer.join()
    if any(said):
        prog.update(done, force=True)


def stage_progress(enabled):
    """The progress reporter of :func:`fit`'s stages: one line on stderr when a stage starts
    (once it has run :data:`ANNOUNCE_AFTER` s) and one when it ends, with its time; silent
    when ``enabled`` is False (the API default; the CLI with ``--json`` or ``-q``).

    >>> import io
    >>> p = stage_progress(True); p.stream = io.StringIO()
    >>> p.update("dictionary …", force=True), p.stream.getvalue().startswith("exactgeo fit: ")
    (True, True)
    """
    from .progress import Progress
    if isinstance(enabled, Progress):
        return enabled
    return Progress(bool(enabled), label="exactgeo fit", delay=0.0, interval=0.0)


# stages that do nothing under these settings print no progress lines
_RUNS = {"exact_kkt": lambda s: s.data.exact,
         "certificate": lambda s: s.settings.certify and s.solution is not None
         and s.solution.r is not None}


def _stage_outcome(name: str, state: FitState) -> str:
    """A few words on what a stage produced, for its progress line."""
    if name == "columns":
        D = state.columns
        return (": column generation from the empty dictionary" if D is None else
                f": {D.shape[1]:,} columns" if hasattr(D, "shape") else "")
    sol = state.solution
    if name in ("lasso", "min_norm_lp", "exact_kkt") and sol is not None:
        extra = f", {state.colgen['rounds']} colgen rounds" if \
            name == "lasso" and state.colgen else ""
        return f": {sol.status}, objective {float(sol.objective):.12g}{extra}"
    if name == "certificate" and state.certificate is not None:
        return f": {state.certificate.status}"
    if name == "network" and state.network is not None:
        return f": {state.network.width} neurons"
    return ""


_TIMING_KEY = {"columns": "dictionary", "min_norm_lp": "lp", "network": "reconstruction"}


def cli_fit(args) -> int:
    """``exactgeo fit``: read the data (a CSV path or a bundled name such as ``spiral``),
    fit, print a summary, ``--json`` or the ``--latex`` closed form (both: the JSON gains a
    "latex" key). Returns the exit status (0)."""
    from .data import load
    from .results import summary
    X, y = load(args.data, exact=bool(args.exact))
    res = fit(X, y, model=args.model, depth=args.depth, reg=args.reg, bias=not args.no_bias,
              beta=args.beta if not args.min_norm else None, min_norm=bool(args.min_norm),
              exact=bool(args.exact), certify=bool(args.certify), colgen=bool(args.colgen),
              max_seconds=args.max_seconds, progress=not (args.json or args.quiet),
              samples=args.samples, seed=args.seed,
              max_bytes=getattr(args, "max_bytes", 2 ** 31),
              scheduler=getattr(args, "scheduler", None), workers=getattr(args, "workers", None))
    latex = getattr(args, "latex", False)
    if args.json:
        out = res.to_json()
        if latex:
            out["latex"] = res.to_latex()
        print(json.dumps(out))
    elif latex:
        print(res.to_latex())
    else:
        print(summary(res, args.data))
    return 0


# ---------------------------------------------------------------------- helpers

def _check_interpolable(data) -> None:
    """ValueError when two samples share x but not y: no function interpolates them, so
    the min-norm (β → 0) problem is infeasible for every family; the Lasso is fine."""
    first = {}
    for i, (row, t) in enumerate(zip(data.X.tolist(), data.y.tolist())):
        j = first.setdefault(tuple(row), i)
        if j != i and data.y[j] != t:
            raise ValueError(
                f"y: samples {j} and {i} have the same x = {_short_row(row)} but different "
                f"targets ({data.y[j]} and {t}): no network interpolates them, so min-norm "
                "(beta -> 0) has no solution; fit the Lasso with beta > 0 (--beta B) instead")


def _short_row(row) -> str:
    return "(" + ", ".join(str(v) for v in row[:4]) + (", ...)" if len(row) > 4 else ")")



def _rational_columns(A, ns):
    """(A, norm_sq) → (A/√norm_sq, None) when every ℓ2 norm is rational (e.g. axis-aligned
    atoms), else unchanged: irrational columns stay for ball arithmetic."""
    if ns is None:
        return A, None
    roots = [exact_sqrt(q) for q in ns]
    if any(v is None for v in roots):
        return A, ns
    A = np.array([[a / rt for a, rt in zip(row, roots)] for row in A], dtype=object) \
        if A.size else A
    return A, None


def _check_min_norm_witness(cert, state):
    """A neuron violating the LP dual λ refutes optimality only if λ is the unique dual
    (THEORY §2.5). Keep it as a witness only when adding its column lowers the float LP
    value (then the evidence is floating point); otherwise drop it and say why."""
    data, st = state.data, state.settings
    col = np.asarray(state.family.features(data.X_float, [cert.violating_atom]), dtype=float)
    new = min_l1_interpolation(np.column_stack([state.A_float, col]), data.y_float,
                               intercept=st.bias, exact=False)
    l1 = state.solution.objective
    if new.l1_norm < l1 * (1 - 1e-9):
        return replace(cert, evidence="float", message=(
            f"{cert.message}; adding the neuron lowers the ℓ1 norm from {l1:.12g} to "
            f"{new.l1_norm:.12g} (floating-point LP)"))
    return replace(cert, violating_atom=None, evidence="", message=(
        f"{cert.message}; but adding that neuron does not lower the float LP value (the "
        "dual is not unique), so no violation is claimed"))
