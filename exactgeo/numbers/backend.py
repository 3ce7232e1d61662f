"""The exactness backend: ℚ or float arithmetic behind one interface, so that a builder
whose exact and float versions differ only in arithmetic is written once.

A backend converts arrays into its number type and provides the operations where the two
differ: ``inv``, ``solve`` and the activation σ (``relu``, ``abs``). :data:`QQ` works on
object arrays of exact rationals (Fraction, int; python-flint for linear algebra),
:data:`RR` on float64. :func:`sigma` is *the* activation of exactgeo: exact input stays
exact (and keeps its type: Fractions give Fractions, integers give integers), float input
gives float64.

>>> from fractions import Fraction as F
>>> K = backend(exact=True)
>>> K.sigma("relu", K.array([F(-1, 2), F(3, 4)])).tolist()
[Fraction(0, 1), Fraction(3, 4)]
>>> K.solve([[2, 0], [0, 4]], [1, 1]).tolist()
[Fraction(1, 2), Fraction(1, 4)]
>>> RR.sigma("abs", np.array([-1.5, 2.0])).tolist(), RR.inv([[2.0]]).tolist()
([1.5, 2.0], [[0.5]])
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from .linalg import exact_inv, exact_solve
from .scalars import as_exact_array, as_float_array

__all__ = ["ACTIVATIONS", "sigma", "Backend", "QQ", "RR", "backend"]

#: the activations σ of exactgeo's neurons (THEORY §0)
ACTIVATIONS = ("relu", "abs")


def _check_activation(activation) -> None:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation: expected one of {ACTIVATIONS}, got {activation!r}")


def _is_exact_array(T) -> bool:
    return T.dtype == object or T.dtype.kind in "iu"


def sigma(activation: str, T, out=None, zero=None):
    """σ(T) elementwise, σ = ``activation`` ("relu": max(t, 0); "abs": |t|).

    Arrays: float → float64 (``out`` may receive it, as in ``np.maximum``); exact —
    object arrays of rationals (Fraction, Python int) or integer dtypes — stay exact and
    keep the entries' type (relu writes the zero of the entries' type, or ``zero`` when
    given, e.g. ``Fraction(0)``, for exact arrays). Scalars are mapped the same way.

    >>> sigma("relu", np.array([-2, 3])).tolist(), sigma("abs", Fraction(-1, 3))
    ([0, 3], Fraction(1, 3))
    >>> sigma("relu", np.array([-0.5, 0.25]))
    array([0.  , 0.25])
    >>> sigma("relu", np.array([-2, 3], dtype=object), zero=Fraction(0)).tolist()
    [Fraction(0, 1), 3]
    """
    _check_activation(activation)
    if not isinstance(T, np.ndarray):
        if isinstance(T, (float, np.floating)):
            return max(float(T), 0.0) if activation == "relu" else abs(float(T))
        if activation == "relu":
            return T if T > 0 else T * 0
        return abs(T)
    if _is_exact_array(T):
        if activation == "abs":
            res = np.abs(T)
        else:
            if zero is None:
                zero = T.flat[0] * 0 if T.size else 0
            res = np.where(T > 0, T, zero)
            if T.dtype != object:
                res = res.astype(T.dtype, copy=False)
        if out is None:
            return res
        out[...] = res
        return out
    if activation == "relu":
        return np.maximum(T, 0.0, out=out)
    return np.abs(T, out=out)


class Backend:
    """Arithmetic over ℚ (``exact=True``: object arrays of Fractions) or over float64.

    ``array(a)`` converts into the backend's numbers (exactly, or to float64);
    ``inv(A)``, ``solve(A, b)`` (A square and nonsingular, else ValueError; b 1-D or
    2-D) and ``sigma(activation, T)`` compute in them.
    """

    def __init__(self, exact: bool):
        self.exact = bool(exact)
        self.name = "QQ" if self.exact else "RR"

    def __repr__(self):
        return self.name

    @property
    def zero(self):
        return Fraction(0) if self.exact else 0.0

    def array(self, a, name: str = "array") -> np.ndarray:
        """``a`` as an object array of Fractions (ℚ) or a finite float64 array."""
        return as_exact_array(a, name) if self.exact else as_float_array(a, name)

    def inv(self, A) -> np.ndarray:
        """A⁻¹ (exact over ℚ, or LAPACK in float64)."""
        if self.exact:
            return exact_inv(A)
        return np.linalg.inv(self.array(A, "A"))

    def solve(self, A, b) -> np.ndarray:
        """x with A x = b (exact over ℚ, or LAPACK in float64)."""
        if self.exact:
            return exact_solve(A, b)
        return np.linalg.solve(self.array(A, "A"), self.array(b, "b"))

    def sigma(self, activation: str, T, out=None):
        """:func:`sigma` of T converted to this backend's numbers."""
        if not (isinstance(T, np.ndarray) and (_is_exact_array(T) == self.exact)):
            T = self.array(T, "T")
        return sigma(activation, T, out=out)


#: the exact backend (ℚ)
QQ = Backend(exact=True)
#: the float64 backend
RR = Backend(exact=False)


def backend(exact: bool) -> Backend:
    """:data:`QQ` if ``exact`` else :data:`RR`."""
    return QQ if exact else RR
