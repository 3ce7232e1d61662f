"""Centre search for 1-D mirror symmetries of a piecewise-linear function (THEORY §3.6).

A symmetry is a pair (m, ρ) with D(f; m, ρ) = 0. For a centre m, g(t) = f(m + t) − f(m − t)
is linear between the offsets |p − m| of the knots p, so the largest symmetric radius is read
off exactly: walk the offsets until g ≠ 0 (then the radius is the previous offset), and past
the last one g stays 0 iff slope_left + slope_right = 0 (radius ∞). Candidate centres of a
non-trivial symmetry are the breakpoints and the midpoints of pairs of breakpoints.

>>> from exactgeo.symmetry import PiecewiseLinear
>>> f = PiecewiseLinear([-2, 0, 2], [0, 2, 0], slope_left=-1, slope_right=1)
>>> symmetric_radius(f, 0), symmetric_radius(f, 2), symmetric_radius(f, 2, limit=1)
(inf, Fraction(2, 1), Fraction(1, 1))
>>> [(s.centre, s.radius) for s in centres(f)][:3]
[(Fraction(0, 1), inf), (Fraction(-2, 1), Fraction(2, 1)), (Fraction(2, 1), Fraction(2, 1))]
>>> best_centre(f, 3).centre, best_centre(f, 3).defect.value
(Fraction(0, 1), Fraction(0, 1))
"""
from __future__ import annotations

import math
from itertools import combinations
from typing import NamedTuple, Optional

from .defect import Defect, defect
from .piecewise import PiecewiseLinear, to_number

__all__ = ["Symmetry", "Candidate", "candidate_centres", "symmetric_radius", "centres",
           "best_centre", "is_nontrivial"]


class Symmetry(NamedTuple):
    """A mirror symmetry: D(f; centre, radius) = 0 (radius ``math.inf``: on the whole line)."""
    centre: object
    radius: object


class Candidate(NamedTuple):
    """The best centre at a given radius: ``centre`` and its :class:`Defect`."""
    centre: object
    defect: Defect


def _tol(f, tol):
    return 0 if f.exact else float(tol)


def candidate_centres(f: PiecewiseLinear, *, tol: float = 0.0) -> list:
    """Breakpoints and midpoints of pairs of breakpoints, sorted, without repeats."""
    bps = f.breakpoints(tol)
    two = 2 if f.exact else 2.0
    return sorted(set(bps) | {(p + q) / two for p, q in combinations(bps, 2)})


def symmetric_radius(f: PiecewiseLinear, m, *, limit=None, tol: float = 0.0):
    """The largest ρ (≤ ``limit``) with D(f; m, ρ) = 0 — ``math.inf`` when f is symmetric
    about m on the whole line and no limit is given. Float functions: |g| ≤ ``tol``."""
    if not isinstance(f, PiecewiseLinear):
        raise TypeError(f"f: expected a PiecewiseLinear, got {type(f).__name__}")
    m = to_number(m, f.exact and _exactish(m), "m")
    cap = math.inf if limit is None else limit
    if cap != math.inf:
        cap = to_number(cap, f.exact and _exactish(cap), "limit")
        if cap < 0:
            raise ValueError(f"limit: expected a radius >= 0, got {cap}")
    eps = _tol(f, tol)
    prev = m * 0
    for t in sorted({abs(p - m) for p in f.knots} - {m * 0}):
        if t > cap:
            return cap
        if abs(f(m + t) - f(m - t)) > eps:
            return prev
        prev = t
    if abs(f.slope_left + f.slope_right) > eps:
        return prev
    return cap


def _exactish(v) -> bool:
    from ..numbers import is_exact_scalar
    return is_exact_scalar(v)


def is_nontrivial(f: PiecewiseLinear, centre, radius, *, tol: float = 0.0) -> bool:
    """True when a breakpoint of f lies strictly inside the window (an affine window is
    symmetric only when constant, which says nothing about the fit)."""
    return any(abs(p - centre) < radius for p in f.breakpoints(tol))


def centres(f: PiecewiseLinear, *, window: Optional[tuple] = None, within=None,
            side_of=None, min_radius=0, tol: float = 0.0) -> list:
    """Non-trivial symmetries at the candidate centres, largest radius first (ties: smaller
    centre first).

    ``window`` (lo, hi): radii are capped so that [m − ρ, m + ρ] ⊆ [lo, hi]. ``within``
    (lo, hi): only centres with lo < m < hi. ``side_of`` c: the symmetry window stays on
    the side of c where its centre lies (ρ ≤ |m − c|; used by the multilevel profile).
    Only radii > ``min_radius`` are kept.
    """
    out = []
    for m in candidate_centres(f, tol=tol):
        if within is not None and not (within[0] < m < within[1]):
            continue
        cap = math.inf
        if window is not None:
            if not (window[0] <= m <= window[1]):
                continue
            cap = min(m - window[0], window[1] - m)
        if side_of is not None:
            cap = min(cap, abs(m - side_of))
        rho = symmetric_radius(f, m, limit=None if cap == math.inf else cap, tol=tol)
        if rho > min_radius and is_nontrivial(f, m, rho, tol=tol):
            out.append(Symmetry(m, rho))
    out.sort(key=lambda s: (-s.radius, s.centre))
    return out


def best_centre(f: PiecewiseLinear, rho, *, candidates=None, tol: float = 0.0) -> Candidate:
    """The candidate centre with the smallest defect D(f; m, ρ) (ties: the smaller m)."""
    cands = candidate_centres(f, tol=tol) if candidates is None else list(candidates)
    if not cands:
        raise ValueError("candidates: expected at least one centre (f has no breakpoints; "
                         "pass candidates=[...])")
    best = None
    for m in sorted(cands):
        d = defect(f, m, rho)
        if best is None or d.value < best.defect.value:
            best = Candidate(m, d)
    return best
