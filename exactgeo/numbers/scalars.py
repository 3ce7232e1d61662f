"""Exact scalars and their conversion: one interface over Fraction, sympy Rational,
python-flint fmpq and floats, for single values and for arrays.

exactgeo keeps exact values as :class:`fractions.Fraction` inside numpy object
arrays (they mix freely with numpy indexing and with sympy). Every binary float *is*
a rational, so float data converts exactly:

>>> from exactgeo.numbers import to_fraction, as_exact_array, fraction_str
>>> to_fraction(0.5), to_fraction("1/3"), to_fraction(3)
(Fraction(1, 2), Fraction(1, 3), Fraction(3, 1))
>>> to_fraction(0.1) == Fraction(3602879701896397, 36028797018963968)
True
>>> as_exact_array([[1, "1/2"], [0.25, 2]])[0, 1]
Fraction(1, 2)
>>> fraction_str(Fraction(-3, 4))
'-3/4'
"""
from __future__ import annotations

import math
import numbers as _abc
import re
import sys
from fractions import Fraction

import numpy as np

__all__ = [
    "Fraction", "is_exact_scalar", "is_exact", "to_fraction", "as_exact_array",
    "as_float_array", "as_array", "fraction_str", "int_str", "parse_fraction_str", "to_float",
    "iter_leaves", "describe", "check_float_range", "check_max_bytes", "FLOAT_MAX",
    "MAX_DECIMAL_EXPONENT",
]


def _flint_types():
    try:
        import flint
    except ImportError:  # pragma: no cover - python-flint is a core dependency
        return ()
    return (flint.fmpq, flint.fmpz)


def _sympy_rational(x) -> bool:
    mod = type(x).__module__
    if not mod.startswith("sympy"):
        return False
    return bool(getattr(x, "is_Rational", False))


def is_exact_scalar(x) -> bool:
    """True for int, Fraction, sympy Rational/Integer, flint fmpq/fmpz (not bool, not float)."""
    if isinstance(x, (bool, np.bool_)):
        return False
    if isinstance(x, (int, np.integer, Fraction)):
        return True
    if _flint_types() and isinstance(x, _flint_types()):
        return True
    return _sympy_rational(x)


def _is_float_scalar(x) -> bool:
    return isinstance(x, (float, np.floating))


def to_fraction(x, name: str = "value") -> Fraction:
    """Convert one scalar to :class:`Fraction` exactly.

    Accepts int, Fraction, float (exactly, via its binary value), sympy Rational,
    flint fmpq/fmpz and strings such as ``"1/3"``, ``"-2"`` or ``"0.125"``.
    NaN/inf, bools and non-numeric strings raise ValueError/TypeError naming ``name``.
    """
    if isinstance(x, Fraction):
        return x
    if isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{name}: expected a number, got bool {x!r}")
    if isinstance(x, (int, np.integer)):
        return Fraction(int(x))
    if _is_float_scalar(x):
        if not math.isfinite(x):
            raise ValueError(f"{name}: expected a finite number, got {x!r}")
        return Fraction(float(x))
    if isinstance(x, str):
        return parse_fraction_str(x, name)
    flint_types = _flint_types()
    if flint_types and isinstance(x, flint_types):
        if isinstance(x, flint_types[1]):
            return Fraction(int(x))
        return Fraction(int(x.p), int(x.q))
    if _sympy_rational(x):
        return Fraction(int(x.p), int(x.q))
    if isinstance(x, _abc.Rational):
        return Fraction(x.numerator, x.denominator)
    raise TypeError(f"{name}: expected an int, float, Fraction, sympy Rational, fmpq "
                    f"or a string like '1/3', got {type(x).__name__} {x!r}")


# decimal exponents beyond this are refused before Fraction builds 10**exp (a cell such as
# "1e999999999" would otherwise take minutes and gigabytes); floats span 1e-324 .. 1e308
MAX_DECIMAL_EXPONENT = 10_000
_EXPONENT = re.compile(r"[eE]\s*([+-]?\d+)\s*$")

FLOAT_MAX = sys.float_info.max


def parse_fraction_str(s: str, name: str = "value") -> Fraction:
    """Parse ``"p/q"``, an integer or a decimal string exactly.

    Decimal exponents beyond ±10000 are refused (ValueError naming ``name``) before the
    exact value is built:

    >>> parse_fraction_str("1e-320")  == Fraction(1, 10 ** 320)
    True
    >>> parse_fraction_str("1e99999", "beta")
    Traceback (most recent call last):
    ...
    ValueError: beta: '1e99999' is beyond the float range (about 1.8e308); expected a finite number
    """
    if not isinstance(s, str):
        raise TypeError(f"{name}: expected a string such as '1/3', got {type(s).__name__} {s!r}")
    m = _EXPONENT.search(s)
    if m and abs(int(m.group(1))) > MAX_DECIMAL_EXPONENT:
        if int(m.group(1)) > 0:
            raise ValueError(f"{name}: {s!r} is beyond the float range (about 1.8e308); "
                             "expected a finite number")
        raise ValueError(f"{name}: {s!r} has a decimal exponent below -{MAX_DECIMAL_EXPONENT}; "
                         "expected a number that can be held exactly")
    try:
        return Fraction(s.strip())
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{name}: expected a number such as '3', '-1/3' or '0.25', "
                         f"got {s!r}") from None


def describe(q) -> str:
    """Short readable form of a scalar for error messages: ``2`` (not ``Fraction(2, 1)``),
    ``-3/4``, ``0.5``; long exact values as ``<digits>-digit ...``.

    >>> describe(Fraction(2, 1)), describe(Fraction(-3, 4)), describe(0.5), describe("a")
    ('2', '-3/4', '0.5', "'a'")
    >>> describe(Fraction(10 ** 400))
    '1000000000…000 (a 401-digit integer)'
    """
    if isinstance(q, str):
        return repr(q)
    if isinstance(q, (bool, np.bool_)):
        return repr(bool(q))
    if _is_float_scalar(q):
        return f"{float(q):g}" if float(q).is_integer() and abs(q) < 1e16 else repr(float(q))
    if is_exact_scalar(q):
        q = to_fraction(q)
        s = fraction_str(q)
        if len(s) <= 40:
            return s
        if q.denominator == 1:
            return f"{s[:10 + (q < 0)]}…{s[-3:]} (a {len(s) - (q < 0)}-digit integer)"
        return (f"{s[:10]}… (a fraction with a {len(int_str(abs(q.numerator)))}-digit numerator "
                f"and a {len(int_str(q.denominator))}-digit denominator)")
    return repr(q)


def int_str(n: int) -> str:
    """Decimal digits of any int. Python refuses ``str`` beyond 4300 digits (a guard
    against untrusted input); exact results are ours, so long ones go through flint.

    >>> len(int_str(10 ** 5000))
    5001
    """
    if -10 ** 4000 < n < 10 ** 4000:
        return str(n)
    import flint
    return str(flint.fmpz(n))


def fraction_str(q) -> str:
    """``"p/q"`` (or ``"p"`` for integers) — the JSON form of an exact value."""
    q = to_fraction(q)
    p = int_str(q.numerator)
    return p if q.denominator == 1 else f"{p}/{int_str(q.denominator)}"


def to_float(q, name: str = "value") -> float:
    """Nearest float of an exact scalar (or a float unchanged). An exact value beyond
    the float range raises ValueError naming ``name`` (never OverflowError)."""
    if _is_float_scalar(q):
        return float(q)
    f = to_fraction(q, name)
    try:
        return float(f)
    except OverflowError:
        raise ValueError(f"{name}: {describe(f)} is beyond the float range (about 1.8e308); "
                         "expected |value| < 1.8e308") from None


def iter_leaves(a):
    """The scalars of a nested list/tuple or array, depth first.

    >>> list(iter_leaves([1, (2, [3])]))
    [1, 2, 3]
    """
    if isinstance(a, np.ndarray):
        yield from a.flat
    elif isinstance(a, (list, tuple)):
        for item in a:
            yield from iter_leaves(item)
    else:
        yield a


def is_exact(a) -> bool:
    """True if ``a`` (scalar, list or array) holds exact values only and at least one
    non-int exact value, or is an object array of exact values.

    Plain int data (e.g. ``np.array([[1, 2]])``) is treated as float data, so that
    integer-valued user arrays take the fast float path; wrap them in Fraction to
    ask for exact arithmetic.
    """
    if isinstance(a, np.ndarray) and a.dtype != object:
        return False
    leaves = list(iter_leaves(a))
    if not leaves or not all(is_exact_scalar(v) for v in leaves):
        return False
    if isinstance(a, np.ndarray):
        return True
    return any(not isinstance(v, (int, np.integer)) for v in leaves)


def as_exact_array(a, name: str = "array") -> np.ndarray:
    """Object array of Fractions, converted exactly (floats by their binary value)."""
    arr = np.asarray(a, dtype=object) if not isinstance(a, np.ndarray) else a
    if arr.dtype != object:
        if arr.dtype.kind not in "iuf":
            raise TypeError(f"{name}: expected numbers, got dtype {arr.dtype}")
        if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
            raise ValueError(f"{name}: expected finite numbers, got NaN or inf")
    out = np.empty(arr.shape, dtype=object)
    for idx, v in np.ndenumerate(arr):
        out[idx] = to_fraction(v, name)
    return out


def as_float_array(a, name: str = "array") -> np.ndarray:
    """float64 array; raises on NaN/inf, bool, non-numeric and ragged input, and (ValueError
    naming the entry) on exact values beyond the float range."""
    if isinstance(a, np.ndarray) and a.dtype == np.bool_ or isinstance(a, (bool, np.bool_)):
        raise TypeError(f"{name}: expected numbers, got bool values; convert with "
                        f"{name}.astype(float) if 0/1 is meant")
    if not isinstance(a, np.ndarray) or a.dtype == object:
        for v in iter_leaves(a):
            if isinstance(v, (bool, np.bool_)):
                raise TypeError(f"{name}: expected numbers, got the bool {v!r}")
    try:
        arr = np.asarray(a, dtype=np.float64)
    except OverflowError:
        _raise_out_of_range(a, name)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected a numeric array, got {type(a).__name__}") from None
    if not _all_finite(arr):
        raise ValueError(f"{name}: expected finite numbers, got NaN or inf")
    return arr


def _raise_out_of_range(a, name):
    """ValueError naming the first entry of ``a`` whose float value overflows."""
    arr = np.asarray(a, dtype=object)
    for idx, v in np.ndenumerate(arr):
        try:
            float(v)
        except OverflowError:
            where = f"entry {idx[0] if len(idx) == 1 else idx}" if idx else "the value"
            raise ValueError(f"{name}: {where} = {describe(v)} is beyond the float range "
                             "(about 1.8e308), which the floating-point stages need; "
                             "rescale the data") from None
    raise ValueError(f"{name}: a value is beyond the float range (about 1.8e308)")


def check_float_range(arr, name: str = "array") -> None:
    """ValueError naming the entry if an exact (object) array holds a value whose float
    is infinite; float arrays pass (finiteness is :func:`as_float_array`'s job)."""
    if isinstance(arr, np.ndarray) and arr.dtype != object:
        return
    try:
        np.asarray(arr, dtype=np.float64)
    except OverflowError:
        _raise_out_of_range(arr, name)


def _all_finite(arr) -> bool:
    """True if every entry is finite. Fast path: a finite sum (one pass, no
    temporary) proves it; an inf/NaN sum (or overflow) falls back to the exact test."""
    if arr.size == 0:
        return True
    with np.errstate(over="ignore", invalid="ignore"):
        total = arr.sum()
    if math.isfinite(total):
        return True
    return bool(np.all(np.isfinite(arr)))


def as_array(a, name: str = "array"):
    """Return ``(array, exact)``: an object array of Fractions if ``a`` is exact,
    else a finite float64 array. Mixing floats with exact values is an error.

    >>> as_array([Fraction(1, 2), 1])[1], as_array([0.5, 1.0])[1]
    (True, False)
    """
    if isinstance(a, np.ndarray) and a.dtype != object:
        if a.dtype.kind not in "iuf":
            raise TypeError(f"{name}: expected a numeric array, got dtype {a.dtype}")
        return as_float_array(a, name), False
    leaves = list(iter_leaves(a))
    kinds = set()
    for v in leaves:
        if is_exact_scalar(v):
            kinds.add("int" if isinstance(v, (int, np.integer)) else "exact")
        elif _is_float_scalar(v):
            kinds.add("float")
        elif isinstance(v, str):
            raise TypeError(f"{name}: expected numbers, got the string {v!r}; "
                            "convert strings with exactgeo.numbers.as_exact_array")
        else:
            raise TypeError(f"{name}: expected numbers, got {type(v).__name__} {v!r}")
    if {"exact", "float"} <= kinds:
        raise TypeError(f"{name}: mixes exact values (Fraction/Rational/fmpq) with floats; "
                        "convert all entries with exactgeo.numbers.as_exact_array or to float")
    if "exact" in kinds or (isinstance(a, np.ndarray) and kinds <= {"int"}):
        # object arrays are exactgeo's exact container (also when empty or all-int)
        return as_exact_array(a, name), True
    return as_float_array(a, name), False


def check_max_bytes(max_bytes, name: str = "max_bytes") -> None:
    """A memory budget must be a positive number of bytes: an int, or a finite float as
    ``exactgeo.fit`` accepts. TypeError / ValueError naming it otherwise.

    >>> check_max_bytes(2 ** 20)
    >>> check_max_bytes(-1)
    Traceback (most recent call last):
    ...
    ValueError: max_bytes: expected a positive integer (a number of bytes), got -1
    """
    if isinstance(max_bytes, (bool, np.bool_)) or not isinstance(
            max_bytes, (int, np.integer, float, np.floating)):
        raise TypeError(f"{name}: expected a positive integer (a number of bytes), got "
                        f"{type(max_bytes).__name__} {max_bytes!r}")
    if not (math.isfinite(max_bytes) and max_bytes > 0):
        raise ValueError(f"{name}: expected a positive integer (a number of bytes), got "
                         f"{max_bytes!r}")
