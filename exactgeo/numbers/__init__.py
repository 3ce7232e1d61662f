"""Exact numbers: the value types of exactgeo and the arithmetic on them.

One module per concept, everything re-exported here (import from ``exactgeo.numbers``):

==================  ==========================================================
``scalars``         exact scalars and their conversion (Fraction, sympy Rational,
                    fmpq, floats, strings), for single values and arrays
``linalg``          exact linear algebra over ℚ (python-flint ``fmpq_mat``)
``integers``        integer forms of rationals: common denominator, primitive
                    vectors, exact square roots
``backend``         the exactness backend: ℚ or float (``inv``, ``solve``, σ)
==================  ==========================================================

>>> from exactgeo.numbers import QQ, integer_scale, to_fraction
>>> to_fraction("1/3"), integer_scale([to_fraction("1/3"), 1])[1], QQ.zero
(Fraction(1, 3), 3, Fraction(0, 1))
"""
from __future__ import annotations

from .scalars import (FLOAT_MAX, MAX_DECIMAL_EXPONENT, Fraction, as_array, as_exact_array,
                      as_float_array, check_float_range, check_max_bytes, describe,
                      fraction_str, int_str, is_exact, is_exact_scalar, parse_fraction_str,
                      to_float, to_fraction)
from .linalg import (exact_det, exact_inv, exact_rank, exact_solve, from_fmpq_mat,
                     sum_of_squares, to_fmpq_mat)
from .integers import exact_sqrt, integer_scale, primitive
from .backend import ACTIVATIONS, QQ, RR, Backend, backend, sigma

__all__ = [
    "Fraction", "is_exact_scalar", "is_exact", "to_fraction", "as_exact_array",
    "as_float_array", "as_array", "fraction_str", "int_str", "parse_fraction_str", "to_float",
    "describe", "check_float_range", "check_max_bytes", "FLOAT_MAX", "MAX_DECIMAL_EXPONENT",
    "to_fmpq_mat", "from_fmpq_mat", "exact_det", "exact_rank", "exact_solve", "exact_inv",
    "sum_of_squares",
    "integer_scale", "primitive", "exact_sqrt",
    "ACTIVATIONS", "sigma", "Backend", "QQ", "RR", "backend",
]
