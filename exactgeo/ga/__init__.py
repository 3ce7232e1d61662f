"""Geometric-algebra primitives, exact (Fraction in → Fraction out) and batched float64."""
from .blades import wedge, blade_indices
from .cross import cross

__all__ = ["wedge", "blade_indices", "cross"]
