"""The generalized cross product ×(V) of d − 1 vectors in R^d (THEORY §0).

Convention: ⟨×(V), x⟩ = det[v_1; …; v_{d−1}; x] with x as the **last** row, so
×(V)_k = (−1)^{d+k} det V^{(k)} (1-based) and ×(e_1, …, e_{d−1}) = +e_d.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from .blades import exact_minors, float_minors
from ._validate import as_vectors


@lru_cache(maxsize=None)
def _cofactor_layout(d: int):
    combos = tuple(tuple(j for j in range(d) if j != k) for k in range(d))
    signs = tuple((-1) ** (d + k + 1) for k in range(d))  # k 0-based → (−1)^{d+(k+1)}
    return combos, signs


def cross(V):
    """Generalized cross product of the d − 1 rows of V.

    Shape (..., d−1, d) → (..., d). Exact in → exact out; float in → float64.

    >>> from fractions import Fraction as F
    >>> cross([[F(1), F(0), F(0)], [F(0), F(1), F(0)]]).tolist()
    [Fraction(0, 1), Fraction(0, 1), Fraction(1, 1)]
    >>> cross(np.array([[1., 2.]]))          # d = 2: rotation by +90°
    array([-2.,  1.])
    """
    V, exact = as_vectors(V, "V")
    k, d = V.shape[-2:]
    if k != d - 1:
        raise ValueError(f"V: the cross product takes d-1 vectors in R^d, got {k} vectors "
                         f"in R^{d} (shape {V.shape}); expected shape (..., {d - 1}, {d})")
    combos, signs = _cofactor_layout(d)
    return exact_minors(V, combos, signs) if exact else float_minors(V, combos, signs)
