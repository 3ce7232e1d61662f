"""Argument checks shared by the GA functions.

Exactness rule: an argument is *exact* if :func:`exactgeo.numbers.as_array` says so
(Fraction / sympy Rational / fmpq entries, or an object array of ints), *float* if it
holds floats, and *neutral* if it holds plain ints only (a Python int, a list of ints,
an integer-dtype array). Neutral arguments follow the others; if every argument is
neutral the float path is taken. Mixing an exact with a float argument is a TypeError
naming both.

Symbolic arguments (sympy symbols or expressions, :mod:`exactgeo.ga.symbolic`) count as
exact: they are returned as object arrays of sympy expressions (``exact`` is True and
:func:`~exactgeo.ga.symbolic.is_symbolic` tells them apart), and every other exact or
neutral argument of the call is converted to sympy too.
"""
from __future__ import annotations

import numpy as np

from ..numbers import as_array, as_exact_array, as_float_array
from .symbolic import is_symbolic, symbolic_array, to_symbolic

#: default ``max_bytes`` of the GA size guards (2 GiB, as families' ``dictionary``)
MAX_BYTES = 2 ** 31


def _is_neutral(a) -> bool:
    if isinstance(a, (bool, np.bool_)):
        return False
    if isinstance(a, (int, np.integer)):
        return True
    if isinstance(a, np.ndarray):
        return a.dtype.kind in "iu"
    if isinstance(a, (list, tuple)):
        return len(a) > 0 and all(_is_neutral(x) for x in a)
    return False


def as_array_or_symbolic(a, name: str):
    """:func:`exactgeo.numbers.as_array`, or ``(sympy object array, True)`` when ``a``
    holds sympy symbols (looked for only when the numeric conversion fails)."""
    try:
        return as_array(a, name)
    except TypeError:
        sym = symbolic_array(a, name)
        if sym is None:
            raise
        return sym, True


def coerce(**named):
    """Convert keyword arguments to arrays in one common mode.

    Returns ``(arrays, exact)`` with ``arrays`` in the order given.

    >>> from fractions import Fraction as F
    >>> (x, b), exact = coerce(x=[F(1, 2), 1], b=0)
    >>> exact, b[()]
    (True, Fraction(0, 1))
    """
    conv = {}
    modes = {}
    for name, a in named.items():
        arr, exact = as_array_or_symbolic(a, name)
        conv[name] = arr
        if not _is_neutral(a):
            modes[name] = exact
    symbolic = [n for n, arr in conv.items() if is_symbolic(arr)]
    if symbolic:
        floats = [n for n, e in modes.items() if not e]
        if floats:
            raise TypeError(f"{symbolic[0]} holds sympy symbols but {floats[0]} is float; "
                            "expected exact numbers (int, Fraction) or sympy expressions "
                            "with symbols")
        # neutral ints were converted to floats above: convert the originals
        return [arr if is_symbolic(arr) else to_symbolic(named[n] if n not in modes else arr, n)
                for n, arr in conv.items()], True
    exact_names = [n for n, e in modes.items() if e]
    float_names = [n for n, e in modes.items() if not e]
    if exact_names and float_names:
        raise TypeError(f"{exact_names[0]} is exact (Fraction/Rational/fmpq) but "
                        f"{float_names[0]} is float; expected all arguments exact or all "
                        "float (convert with exactgeo.numbers.as_exact_array)")
    exact = bool(exact_names)
    out = []
    for name, arr in conv.items():
        if exact and arr.dtype != object:
            arr = as_exact_array(arr, name)
        elif not exact and arr.dtype == object:
            arr = as_float_array(arr.astype(np.float64), name)
        out.append(arr)
    return out, exact


def as_vectors(V, name: str = "V", min_ndim: int = 2, check_finite: bool = True):
    """Return ``(array, exact)`` for a stack of row vectors of shape (..., k, d).

    ``check_finite=False`` skips the NaN/inf scan of a float ndarray; the caller must
    then check (e.g. the unrolled kernels' returned sum, :func:`finite_or_raise`).
    """
    if (not check_finite and isinstance(V, np.ndarray) and V.dtype.kind in "iuf"
            and V.dtype != np.bool_):
        arr, exact = np.asarray(V, dtype=np.float64), False
    else:
        arr, exact = as_array_or_symbolic(V, name)
    if arr.ndim < min_ndim:
        raise ValueError(f"{name}: expected an array of shape (..., k, d) with rows as "
                         f"vectors, got shape {arr.shape}")
    if arr.shape[-1] < 1:
        raise ValueError(f"{name}: expected dimension d >= 1, got shape {arr.shape}")
    return arr, exact


def finite_or_raise(arr, name: str):
    """Raise the standard ValueError if the float array holds NaN/inf."""
    bad = ~np.isfinite(arr)
    if np.any(bad):
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{name}: expected finite numbers, got {float(arr[idx])!r} at index "
                         f"{idx} (shape {arr.shape})")


def check_last(arr, name: str, d: int, what: str = "vectors"):
    """Require ``arr.shape[-1] == d``."""
    if np.ndim(arr) < 1 or np.shape(arr)[-1] != d:
        raise ValueError(f"{name}: expected {what} of length d={d} in the last axis, "
                         f"got shape {np.shape(arr)}")


def flat_batch(V):
    """(..., k, d) float array → C-contiguous (B, k, d) and the leading shape."""
    lead = V.shape[:-2]
    B = int(np.prod(lead, dtype=np.int64))
    return np.ascontiguousarray(V.reshape((B,) + V.shape[-2:]), dtype=np.float64), lead


def scalar_out(arr):
    """0-d result → scalar (Fraction or float64); otherwise the array."""
    return arr[()] if arr.ndim == 0 else arr


def rescale_hyperplane(w, b, exact: bool, name: str = "w"):
    """Check w ≠ 0 and, for floats, divide (w, b) by max|w| so that ‖w‖² can neither
    underflow nor overflow (the hyperplane and every ratio are unchanged). Returns
    ``(w, b, norm2)``; exact input is returned as is."""
    if exact:
        norm2 = (w * w).sum(axis=-1)
        if is_symbolic(w):
            from .symbolic import expand
            norm2 = expand(norm2)
        zero = np.asarray(norm2) == 0
    else:
        s = np.max(np.abs(w), axis=-1) if w.shape[-1] else np.zeros(w.shape[:-1])
        zero = np.asarray(s) == 0
    if np.any(zero):
        raise ValueError(f"{name}: got a zero normal (degenerate hyperplane); expected "
                         f"{name} != 0 — drop degenerate hyperplanes using "
                         "Hyperplane.degenerate")
    if not exact:
        s = np.asarray(s)
        w = w / s[..., None]
        b = b / s
        norm2 = (w * w).sum(axis=-1)
    return w, b, norm2


def _gib(n) -> str:
    return f"{n / 2 ** 30:.3g} GiB"


def refuse_large(name: str, what: str, need: int, max_bytes: int, hint: str):
    """Raise MemoryError (before anything is allocated) if the estimate ``need`` bytes
    exceeds ``max_bytes``; the message is ``"{name}: {what} …{hint}"``.

    >>> refuse_large("V", "C(4, 2) = 6 coordinates", 48, 2 ** 31, "")
    >>> refuse_large("V", "C(40, 20) = 137846528820 coordinates", 10 ** 12, 2 ** 31,
    ...              "Use a smaller k.")
    Traceback (most recent call last):
    MemoryError: V: C(40, 20) = 137846528820 coordinates; this needs about 1.00e+12 bytes ...
    """
    if need > max_bytes:
        raise MemoryError(f"{name}: {what}; this needs about {need:.2e} bytes ({_gib(need)}), "
                          f"more than max_bytes={max_bytes} ({_gib(max_bytes)}). {hint}")
