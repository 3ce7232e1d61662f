"""One solution type for every solver's answer: coefficients, intercept, residual (or
dual), objective, and how far it is proven.

``status`` says what the numbers are:

* ``"float"``          floating point (``exact=False``);
* ``"exact"``          rationals, KKT verified over ℚ (``objective_exact``);
* ``"enclosed"``       irrational (ℓ2) columns: a rigorous ``enclosure`` of the objective;
* ``"undecided"``      enclosed, but a tie |A_kᵀr| ∋ β was left open;
* ``"not-certified"``  the exact step failed (``message`` says why): float numbers.

>>> import numpy as np
>>> from fractions import Fraction as F
>>> s = Solution.intercept_only(np.array([F(1), F(3)], dtype=object), bias=True)
>>> s.status, s.xi, s.objective_exact, s.r.tolist()
('exact', Fraction(2, 1), Fraction(1, 1), [Fraction(-1, 1), Fraction(1, 1)])
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, Optional

import numpy as np

__all__ = ["Solution"]


@dataclass(frozen=True)
class Solution:
    """z (p,) over the state's atoms; ``r`` the residual y − Az − ξ𝟙 for the Lasso, the
    dual λ for min-norm (the certificate's input: Fractions, flint arb balls, or floats);
    ``raw`` the solver's own result (for the exact step's warm start)."""
    z: np.ndarray
    xi: Any
    r: Any
    objective: float
    status: str
    objective_exact: Optional[Fraction] = None
    enclosure: Optional[tuple] = None
    message: str = ""
    rel_gap: Optional[float] = None
    raw: Any = None

    @property
    def exact(self) -> bool:
        return self.status == "exact"

    @classmethod
    def from_float(cls, sol, A, y, beta: float) -> "Solution":
        """A float Lasso result (LassoSolution) over the float matrix A (n, p)."""
        z = np.asarray(sol.z, dtype=float)
        xi = float(sol.xi)
        r = y - A @ z - xi
        obj = 0.5 * float(r @ r) + beta * float(np.abs(z).sum())
        return cls(z, xi, r, obj, "float", message="floating-point solution (exact=False)",
                   rel_gap=float(sol.rel_gap), raw=sol)

    @classmethod
    def intercept_only(cls, y, bias: bool) -> "Solution":
        """The exact optimum over an empty dictionary: ξ = mean(y) (or 0), r = y − ξ."""
        xi = sum(y, Fraction(0)) / len(y) if bias else Fraction(0)
        r = np.array([v - xi for v in y], dtype=object)
        obj = sum((v * v for v in r), Fraction(0)) / 2
        return cls(np.zeros(0, dtype=object), xi, r, float(obj), "exact", obj,
                   message="empty dictionary: the fit is the intercept only")

    @classmethod
    def from_kkt(cls, ex, flt: "Solution") -> "Solution":
        """The exact KKT step's result (ExactLasso) on top of the float solution."""
        if ex.status == "exact":
            return cls(np.asarray(ex.z, dtype=object),
                       ex.xi if ex.xi is not None else Fraction(0),
                       np.asarray(ex.residual, dtype=object), float(ex.objective_exact),
                       "exact", ex.objective_exact, message=ex.message,
                       rel_gap=flt.rel_gap, raw=flt.raw)
        if ex.status in ("enclosed", "undecided"):
            enc = ex.objective_enclosure
            obj = float(ex.objective) if ex.objective is not None else \
                float((Fraction(enc[0]) + Fraction(enc[1])) / 2)
            # the enclosure and r describe the ball KKT point, so the network is built from
            # that point's z, ξ (midpoints), never from the float start
            return replace(flt, z=np.asarray(ex.z, dtype=float), xi=_mid(ex.xi),
                           r=ex.residual if ex.residual is not None else flt.r,
                           objective=obj, status=ex.status, enclosure=enc,
                           message=ex.message)
        return replace(flt, status=ex.status, message=ex.message)

    @classmethod
    def from_min_norm(cls, mn, exact: bool) -> "Solution":
        """A min-ℓ1 interpolation (MinNormSolution); the objective is ‖z‖₁."""
        xi = mn.xi if mn.xi is not None else 0
        if not exact:
            status = "float"
        elif mn.status == "exact" and mn.l1_norm_exact is not None:
            return cls(mn.z, xi, mn.lam, float(mn.l1_norm), "exact", mn.l1_norm_exact,
                       message=mn.message, raw=mn)
        elif mn.status in ("enclosed", "undecided"):
            return cls(mn.z, xi, mn.lam, float(mn.l1_norm), mn.status,
                       enclosure=mn.l1_enclosure, message=mn.message, raw=mn)
        else:
            status = "not-certified"
        return cls(mn.z, xi, mn.lam, float(mn.l1_norm), status, message=mn.message, raw=mn)

    def restricted(self, keep) -> "Solution":
        """The same solution with only the coefficients ``keep`` (the non-zero ones)."""
        z = np.asarray(self.z, dtype=object if self.exact else float)
        return replace(self, z=z[list(keep)] if len(keep) else z[:0])


def _mid(v) -> float:
    """A flint arb ball's midpoint (or a number; None: no intercept) as a float."""
    if v is None:
        return 0.0
    return float(v.mid()) if hasattr(v, "mid") else float(v)
