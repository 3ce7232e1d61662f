"""Geometric-algebra primitives, exact (Fraction in → Fraction out) and batched float64.

Batched inputs have shape (..., k, d) (k row vectors in R^d); float kernels are numba
(imported on the first float call with more than ``blades.NUMPY_MAX`` outputs; smaller
batches use the same formula in numpy). Conventions: THEORY §0. The exact paths also take
sympy symbols and expressions and return sympy expressions (:mod:`exactgeo.ga.symbolic`).

==========================================  ==========================================
``wedge(V)``                                (..., k, d) → (..., C(d,k)) Plücker coords
``cross(V)``                                (..., d−1, d) → (..., d), ⟨×V, x⟩ = det[V; x]
``cross_int(V)``                            the same over the integers: int in → int out
``hodge_dual(A, d, k)``                     (..., C(d,k)) → (..., C(d,d−k))
``volume(V)``                               (..., d, d) → (...) signed volume det V
``gram_norm2(V)``                           (..., k, d) → (...) ‖v_1∧…∧v_k‖² = det VVᵀ
``linear_hyperplane(P)``                    (..., d−1, d) → Hyperplane(w, b=0, degenerate)
``affine_hyperplane(P)``                    (..., d, d) → Hyperplane(w, b, degenerate)
``signed_distance(x, w, b)``                float: distance; exact: (wᵀx + b, ‖w‖²)
``signed_distance_squared(x, w, b)``        sign·distance², exact for exact input
``reflect_across_point(x, p)``              2p − x
``reflect_across_hyperplane(x, u, c)``      mirror image in uᵀy + c = 0
``reflect_hyperplane_across_point``         (w, b, p) → (w', b')
``reflect_hyperplane_across_hyperplane``    (w, b, u, c) → (w', b')
``to_clifford`` / ``from_clifford``         bridge to clifford's Cl(d) (lazy import)
==========================================  ==========================================

>>> import numpy as np
>>> from fractions import Fraction as F
>>> cross([[F(1), F(2), F(0)], [F(0), F(1), F(1)]]).tolist()
[Fraction(2, 1), Fraction(-1, 1), Fraction(1, 1)]
>>> wedge(np.array([[1., 2, 0], [0, 1, 1]]))
array([1., 1., 2.])
>>> cross_int(np.array([[1, 2, 0], [0, 1, 1]]))
array([ 2, -1,  1])
"""
from .blades import blade_indices, wedge
from .cross import cross, cross_int
from .hodge import clifford_sign, hodge_dual
from .volumes import gram_norm2, volume
from .hyperplanes import (Hyperplane, affine_hyperplane, hyperplane_value,
                          linear_hyperplane, signed_distance, signed_distance_squared)
from .reflections import (reflect_across_hyperplane, reflect_across_point,
                          reflect_hyperplane_across_hyperplane,
                          reflect_hyperplane_across_point)
from .clifford_bridge import from_clifford, to_clifford

__all__ = [
    "wedge", "blade_indices", "cross", "cross_int", "hodge_dual", "clifford_sign", "volume",
    "gram_norm2", "Hyperplane", "linear_hyperplane", "affine_hyperplane",
    "hyperplane_value", "signed_distance", "signed_distance_squared",
    "reflect_across_point", "reflect_across_hyperplane",
    "reflect_hyperplane_across_point", "reflect_hyperplane_across_hyperplane",
    "to_clifford", "from_clifford",
]
