"""Activation functions σ of a network layer: ``relu``, ``abs`` and ``identity``.

:func:`apply` works elementwise on float arrays and on exact object arrays. Exact stays
exact: relu keeps each positive entry and puts Fraction(0) elsewhere; a sympy entry (an
irrational weight's product) is simplified with ``radsimp`` before its sign is decided.

>>> import numpy as np
>>> from fractions import Fraction as F
>>> apply("relu", np.array([F(-1, 2), F(3, 4)], dtype=object)).tolist()
[Fraction(0, 1), Fraction(3, 4)]
>>> apply("abs", np.array([-1.5, 2.0])).tolist()
[1.5, 2.0]
>>> apply_exact("relu", F(-2)), apply_exact("identity", F(-2))
(Fraction(0, 1), Fraction(-2, 1))
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..numbers import sigma
from .exact import is_rational

__all__ = ["ACTIVATIONS", "check_activation", "apply", "apply_exact"]

ACTIVATIONS = ("relu", "abs", "identity")


def check_activation(name, where: str = "activation") -> str:
    """``name`` if it is one of :data:`ACTIVATIONS`; ValueError naming ``where`` otherwise."""
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"{where}: expected one of {ACTIVATIONS}, got {name!r}")
    return name


def apply_exact(name: str, t):
    """σ(t) for one exact scalar (Fraction, int or sympy number)."""
    if name == "identity":
        return t
    if is_rational(t):
        if name == "relu":
            return t if t > 0 else Fraction(0)
        return abs(t)
    import sympy
    t = sympy.radsimp(t)
    if name == "relu":
        return t if t > 0 else sympy.Integer(0)
    return sympy.Abs(t)


def apply(name: str, T):
    """σ(T) elementwise: float arrays → float64; object arrays → exact entries.

    relu and abs are :func:`exactgeo.numbers.sigma`; this adds ``identity`` and sympy
    entries. Rational object arrays stay object arrays (relu writes Fraction(0)); other
    input is mapped as ``np.maximum(T, 0.0)`` / ``np.abs(T)`` would (relu → float).
    """
    if name == "identity":
        return T
    if isinstance(T, np.ndarray) and T.dtype == object:
        if all(is_rational(v) for v in T.flat):
            res = sigma(name, T, zero=Fraction(0))
            # a 0-d object array: numpy's ufunc returns the scalar, keep the array
            return res if isinstance(res, np.ndarray) else np.array(res, dtype=object)
        return np.array([apply_exact(name, v) for v in T.flat], dtype=object).reshape(T.shape)
    if isinstance(T, np.ndarray) and T.dtype.kind in "biuf":
        # relu of an integer/bool array is float64 (as np.maximum(T, 0.0)); abs keeps dtype
        return sigma(name, T.astype(float) if name == "relu" and T.dtype.kind != "f" else T)
    return np.maximum(T, 0.0) if name == "relu" else np.abs(T)   # scalars, lists
