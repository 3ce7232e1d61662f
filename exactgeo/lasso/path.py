"""Warm-started regularisation path.

>>> import numpy as np
>>> from exactgeo.lasso import lasso_path
>>> A = np.eye(2)
>>> [round(s.objective, 12) for s in lasso_path(A, [1.0, 1.0], [0.5, 0.1], intercept=False)]
[0.75, 0.19]
"""
from __future__ import annotations

import math

import numpy as np

from .solver import LassoSolution, solve_lasso

__all__ = ["lasso_path"]


def lasso_path(A, y, betas, *, intercept=True, tol=1e-9, **kwargs) -> list[LassoSolution]:
    """Solve the Lasso for every β in ``betas``, warm-starting each solve from the previous one.

    The βs are **sorted decreasing** (large β ⇒ sparse, cheap solutions first) and the
    returned list follows that order; each solution records its ``beta``. Extra keyword
    arguments go to :func:`solve_lasso`.
    """
    try:
        bs = [float(b) for b in np.ravel(np.asarray(betas, dtype=object))]
    except (TypeError, ValueError):
        raise TypeError(f"betas: expected a sequence of positive numbers, got {betas!r}") from None
    if not bs:
        raise ValueError("betas: expected at least one value, got an empty sequence")
    for b in bs:
        if not math.isfinite(b) or b <= 0:
            raise ValueError(f"betas: expected finite values > 0, got {b!r}")
    bs.sort(reverse=True)
    out = []
    z = None
    for b in bs:
        sol = solve_lasso(A, y, b, intercept=intercept, tol=tol, z0=z, **kwargs)
        out.append(sol)
        z = sol.z
    return out
