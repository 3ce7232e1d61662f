"""Geometric-algebra primitives, exact (Fraction in → Fraction out) and batched float64.

Batched inputs have shape (..., k, d) (k row vectors in R^d); float kernels are numba
(imported on first float call). See THEORY §0 for the conventions.
"""
from .blades import blade_indices, wedge
from .cross import cross
from .hodge import clifford_sign, hodge_dual
from .volumes import gram_norm2, volume
from .hyperplanes import (Hyperplane, affine_hyperplane, hyperplane_value,
                          linear_hyperplane, signed_distance, signed_distance_squared)
from .reflections import (reflect_across_hyperplane, reflect_across_point,
                          reflect_hyperplane_across_hyperplane,
                          reflect_hyperplane_across_point)
from .clifford_bridge import from_clifford, to_clifford

__all__ = [
    "wedge", "blade_indices", "cross", "hodge_dual", "clifford_sign", "volume",
    "gram_norm2", "Hyperplane", "linear_hyperplane", "affine_hyperplane",
    "hyperplane_value", "signed_distance", "signed_distance_squared",
    "reflect_across_point", "reflect_across_hyperplane",
    "reflect_hyperplane_across_point", "reflect_hyperplane_across_hyperplane",
    "to_clifford", "from_clifford",
]
