"""Symbolic (sympy) coefficients for the exact GA functions.

The exact paths of ``wedge``, ``cross``, ``hodge_dual``, ``volume``, ``gram_norm2``, the
hyperplanes, distances and reflections use ring operations (+, −, ×) and, where the
formula needs it, one division. So the same code runs on sympy symbols and expressions:
an argument holding a sympy expression that is not a rational number makes the call
*symbolic*; every other exact entry (int, Fraction, fmpq, sympy Rational) is converted to
a sympy Rational, and the result is an object array of sympy expressions — expanded
polynomials for ring-only formulas, ``sympy.cancel``-ed quotients where there is a
division. Floats do not mix with symbols (TypeError naming the argument), and a float-only
function refuses symbols with a TypeError naming the function (:func:`reject_symbolic`).

Detection is lazy: exactgeo tries its number conversion first and looks for sympy
objects only when that fails, so numeric calls pay nothing and sympy is imported only
when symbols are passed.

>>> import sympy as sp
>>> from fractions import Fraction as F
>>> from exactgeo.ga import cross
>>> a, b = sp.symbols("a b")
>>> cross([[a, b, F(1, 2)], [1, 0, 0]]).tolist()
[0, 1/2, -b]
"""
from __future__ import annotations

import numpy as np

from ..numbers.scalars import iter_leaves

__all__ = ["is_symbolic", "symbolic_array", "to_symbolic", "expand", "cancel",
           "reject_symbolic", "is_zero"]


def _is_sympy(v) -> bool:
    return type(v).__module__.startswith("sympy")


def _is_symbolic_scalar(v) -> bool:
    """A sympy object that is not a rational number (a symbol, an expression, sqrt(2), …)."""
    return _is_sympy(v) and not getattr(v, "is_Rational", False)


def _matrix_to_array(a):
    """A sympy Matrix → object array of its entries (other inputs unchanged)."""
    if _is_sympy(a) and hasattr(a, "tolist") and hasattr(a, "shape"):
        return np.array(a.tolist(), dtype=object).reshape(a.shape)
    return a


def is_symbolic(arr) -> bool:
    """True for the arrays this module produces: object arrays of sympy objects.

    O(1): a symbolic array is converted as a whole, so its first entry decides.

    >>> import sympy as sp
    >>> is_symbolic(to_symbolic([sp.Symbol("x"), 1])), is_symbolic(np.array([1.0]))
    (True, False)
    """
    return (isinstance(arr, np.ndarray) and arr.dtype == object and arr.size > 0
            and _is_sympy(arr.flat[0]))


def holds_symbols(a) -> bool:
    """True if ``a`` (scalar, nested list, array or sympy Matrix) holds a sympy expression
    that is not a rational number."""
    a = _matrix_to_array(a)
    if isinstance(a, np.ndarray) and a.dtype != object:
        return False
    return any(_is_symbolic_scalar(v) or (_is_sympy(v) and hasattr(v, "shape"))
               for v in iter_leaves(a))


def to_symbolic(a, name: str = "array") -> np.ndarray:
    """``a`` as an object array of sympy expressions (exact numbers become Rationals).

    TypeError naming ``name`` for floats, bools, strings and non-expressions.

    >>> import sympy as sp
    >>> from fractions import Fraction as F
    >>> to_symbolic([sp.Symbol("x"), F(1, 2), 3]).tolist()
    [x, 1/2, 3]
    """
    import sympy as sp
    from ..numbers import is_exact_scalar, to_fraction
    a = _matrix_to_array(a)
    arr = a if isinstance(a, np.ndarray) else np.array(a, dtype=object)
    if arr.dtype != object and arr.dtype.kind not in "iu":
        raise TypeError(f"{name}: floats (dtype {arr.dtype}) do not mix with sympy symbols; "
                        "expected exact numbers (int, Fraction) or sympy expressions")
    out = np.empty(arr.shape, dtype=object)
    for idx, v in np.ndenumerate(arr):
        if isinstance(v, sp.Expr):
            if isinstance(v, sp.Float) or v.atoms(sp.Float):
                raise TypeError(f"{name}: entry {idx} = {v} holds a float; expected exact "
                                "numbers and sympy expressions (use sympy.Rational or "
                                "sympy.nsimplify)")
            out[idx] = v
        elif is_exact_scalar(v):
            f = to_fraction(v, name)
            out[idx] = sp.Rational(f.numerator, f.denominator)
        elif isinstance(v, (float, np.floating)):
            raise TypeError(f"{name}: entry {idx} is the float {v!r}, which does not mix "
                            "with sympy symbols; expected exact numbers (int, Fraction) or "
                            "sympy expressions")
        else:
            raise TypeError(f"{name}: expected numbers or sympy expressions, got "
                            f"{type(v).__name__} {v!r} at index {idx}")
    return out


def symbolic_array(a, name: str = "array"):
    """The object array of sympy expressions for ``a`` if it holds symbols, else None."""
    return to_symbolic(a, name) if holds_symbols(a) else None


def _map(f, arr):
    arr = np.asarray(arr, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for idx, v in np.ndenumerate(arr):
        out[idx] = f(v)
    return out


def expand(arr) -> np.ndarray:
    """Entrywise ``sympy.expand`` (canonical form of polynomial results)."""
    import sympy as sp
    return _map(sp.expand, arr)


def cancel(arr) -> np.ndarray:
    """Entrywise ``sympy.cancel`` (p/q in lowest terms, for results with a division)."""
    import sympy as sp
    return _map(sp.cancel, arr)


def is_zero(v) -> bool:
    """True if the sympy expression ``v`` is identically zero (``expand(v) == 0``)."""
    import sympy as sp
    return sp.expand(v) == 0


def reject_symbolic(a, func: str, name: str) -> None:
    """TypeError naming ``func`` when ``a`` holds sympy symbols (a float-only path).

    >>> import sympy as sp
    >>> reject_symbolic([sp.Symbol("x")], "to_clifford", "coords")
    Traceback (most recent call last):
    ...
    TypeError: to_clifford: coords holds sympy symbols/expressions, but to_clifford ...
    """
    if holds_symbols(a):
        raise TypeError(f"{func}: {name} holds sympy symbols/expressions, but {func} computes "
                        "with numbers only (float or rational); the symbolic functions are "
                        "wedge, cross, hodge_dual, volume, gram_norm2, the hyperplanes, "
                        "distances and reflections of exactgeo.ga")
