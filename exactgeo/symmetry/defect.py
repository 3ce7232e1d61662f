"""The 1-D symmetry defect of a piecewise-linear function (THEORY §3.6).

    D(f; m, ρ) = max_{0 ≤ t ≤ ρ} |f(m + t) − f(m − t)|.

t ↦ f(m + t) − f(m − t) is linear between the points t = |p − m| of the knots p, so the
maximum is taken exactly over t ∈ {0, ρ} ∪ {|p − m| : p a knot, |p − m| ≤ ρ}. The relative
defect divides by the range max f − min f on the window [m − ρ, m + ρ] (0 when f is
constant there). Exact f, m, ρ give Fractions.

>>> from fractions import Fraction as F
>>> from exactgeo.symmetry import PiecewiseLinear
>>> f = PiecewiseLinear([-2, 0, 2], [0, 2, 0], slope_left=-1, slope_right=1)  # ||x| − 2|
>>> defect(f, 0, 5).value, defect(f, 2, 2).value, defect(f, 2, 3).value
(Fraction(0, 1), Fraction(0, 1), Fraction(2, 1))
>>> defect(f, 2, 3).relative                # f ranges over [0, 3] on the window [−1, 5]
Fraction(2, 3)
"""
from __future__ import annotations

from typing import NamedTuple

from .piecewise import PiecewiseLinear, all_exact, to_number

__all__ = ["Defect", "defect", "window_points"]


class Defect(NamedTuple):
    """``value`` D(f; m, ρ); ``relative`` D / (range of f on the window), 0 for a constant
    window; ``at`` a t ∈ [0, ρ] attaining D; ``range`` (min f, max f) on the window."""
    value: object
    relative: object
    at: object
    range: tuple


def _check(f, m, rho):
    if not isinstance(f, PiecewiseLinear):
        raise TypeError(f"f: expected a PiecewiseLinear (symmetry.from_network or "
                        f"symmetry.PiecewiseLinear), got {type(f).__name__}")
    exact = f.exact and all_exact([m, rho])
    m = to_number(m, exact, "m")
    rho = to_number(rho, exact, "rho")
    if rho < 0:
        raise ValueError(f"rho: expected a radius >= 0, got {rho}")
    return m, rho


def window_points(f: PiecewiseLinear, m, rho) -> list:
    """The offsets t ∈ [0, ρ] at which D is evaluated: 0, ρ and |p − m| for knots p."""
    m, rho = _check(f, m, rho)
    ts = {rho * 0, rho} | {abs(p - m) for p in f.knots if abs(p - m) <= rho}
    return sorted(ts)


def defect(f: PiecewiseLinear, m, rho) -> Defect:
    """D(f; m, ρ) exactly, with the relative defect (see the module doc)."""
    m, rho = _check(f, m, rho)
    best, at = None, rho * 0
    for t in window_points(f, m, rho):
        d = abs(f(m + t) - f(m - t))
        if best is None or d > best:
            best, at = d, t
    lo, hi = f.window_range(m - rho, m + rho)
    spread = hi - lo
    relative = best / spread if spread > 0 else best * 0
    return Defect(best, relative, at, (lo, hi))
