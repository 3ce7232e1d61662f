"""The generalized cross product ×(V) of d − 1 vectors in R^d (THEORY §0).

Convention: ⟨×(V), x⟩ = det[v_1; …; v_{d−1}; x] with x as the **last** row, so
×(V)_k = (−1)^{d+k} det V^{(k)} (1-based) and ×(e_1, …, e_{d−1}) = +e_d.
Equivalently ×(V) = ⋆(v_1∧…∧v_{d−1}) (:func:`exactgeo.ga.hodge.hodge_dual`) =
clifford's ``B.right_complement()``; clifford's ``B.dual()`` is (−1)^{d−1}·×(V).
"""
from __future__ import annotations

import numpy as np

from .blades import exact_exterior, float_exterior
from .hodge import hodge_layout
from ._validate import as_vectors


def cross(V):
    """Generalized cross product of the d − 1 rows of V.

    Shape (..., d−1, d) → (..., d). Exact in → exact out; float in → float64.

    >>> from fractions import Fraction as F
    >>> cross([[F(1), F(0), F(0)], [F(0), F(1), F(0)]]).tolist()
    [Fraction(0, 1), Fraction(0, 1), Fraction(1, 1)]
    >>> cross(np.array([[1., 2.]]))          # d = 2: rotation by +90°
    array([-2.,  1.])
    """
    V, exact = as_vectors(V, "V", check_finite=False)
    k, d = V.shape[-2:]
    if k != d - 1:
        raise ValueError(f"V: the cross product takes d-1 vectors in R^d, got {k} vectors "
                         f"in R^{d} (shape {V.shape}); expected shape (..., {d - 1}, {d})")
    perm, signs = hodge_layout(d, d - 1)
    if not exact:
        return float_exterior(V, perm, signs, checked=False)
    A = exact_exterior(V)
    out = np.empty(A.shape, dtype=object)
    for i, (p, s) in enumerate(zip(perm, signs)):
        out[..., p] = A[..., i] if s > 0 else -A[..., i]
    return out
