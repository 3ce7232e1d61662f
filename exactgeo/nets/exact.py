"""Exact network numbers: a Fraction where the value is rational, a sympy number otherwise.

Weights rebuilt from a Lasso solution carry square roots (γ = √|z|, THEORY §2.6), so an exact
weight, output or objective is either rational or a sympy algebraic number. :func:`normal_form`
puts any exact number into that one form; :func:`half_power` gives |t|ᵏ from t² exactly (the
ℓ_L^L penalty of a factorised net, whose squares are rational).

>>> import sympy
>>> from fractions import Fraction
>>> normal_form(sympy.sqrt(2) * sympy.sqrt(8)), normal_form(sympy.sqrt(8) / 2)
(Fraction(4, 1), sqrt(2))
>>> half_power(Fraction(4, 9), 3), half_power(Fraction(2), 3)
(Fraction(8, 27), 2*sqrt(2))
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..numbers import exact_sqrt, is_exact_scalar, to_fraction

__all__ = ["normal_form", "to_sympy", "is_rational", "all_rational", "exact_sum", "half_power"]


def to_sympy(q):
    """An exact scalar as a sympy number: rationals (Fraction, int, sympy Rational, fmpq) →
    ``sympy.Rational``; sympy numbers are returned unchanged."""
    import sympy
    if isinstance(q, sympy.Basic):
        return q
    q = to_fraction(q)
    return sympy.Rational(q.numerator, q.denominator)


def normal_form(v):
    """A rational value → Fraction; otherwise the simplified sympy number (radsimp)."""
    import sympy
    v = sympy.nsimplify(v) if not isinstance(v, (int, Fraction)) else v
    if isinstance(v, (int, Fraction)):
        return Fraction(v)
    v = sympy.radsimp(sympy.expand(v))
    if v.is_Rational:
        return Fraction(int(v.p), int(v.q))
    return v


def is_rational(v) -> bool:
    """True for Fraction and int (not bool): the entries of the fast exact paths."""
    return isinstance(v, (Fraction, int)) and not isinstance(v, bool)


def all_rational(a) -> bool:
    """True if every entry of ``a`` is an exact rational scalar (ints included)."""
    arr = np.asarray(a, dtype=object)
    return all(is_exact_scalar(v) for v in arr.flat)


def exact_sum(values):
    """Σ values exactly: a Fraction when every term is rational, else :func:`normal_form`."""
    tot = Fraction(0)
    for v in values:
        tot = tot + v
    return tot if isinstance(tot, Fraction) else normal_form(tot)


def half_power(sq, k: int):
    """|t|ᵏ from ``sq`` = t² ≥ 0: exact (Fraction, or sympy when √sq is irrational and k is
    odd) for exact ``sq``, float for float ``sq``."""
    if isinstance(sq, (float, np.floating)):
        return float(sq) ** (k / 2)
    if k % 2 == 0:
        return sq ** (k // 2) if not is_rational(sq) else Fraction(sq) ** (k // 2)
    if is_rational(sq):
        if sq < 0:
            raise ValueError(f"sq: expected t² >= 0, got {sq}")
        r = exact_sqrt(sq)
        if r is not None:
            return r ** k
    import sympy
    return normal_form(sympy.sqrt(to_sympy(sq)) ** k)
