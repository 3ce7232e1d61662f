"""Hyperplanes through points, and signed distances to hyperplanes (THEORY §0).

A hyperplane is a pair (w, b): H = {x : wᵀx + b = 0}, oriented by w. Batched
shapes: w (..., d), b (...).

- ``linear_hyperplane(P)``: through the origin and the d − 1 rows of P:
  w = ×(P), b = 0, so wᵀx = det[P; x].
- ``affine_hyperplane(P)``: through the d rows p_1 … p_d of P: (w, b) = ×(p̃_1, …, p̃_d)
  with p̃ = (p, 1), i.e. w = −×(p_1 − p_d, …, p_{d−1} − p_d), b = −wᵀp_d, and
  wᵀx + b = det[p̃_1; …; p̃_d; x̃].

Degenerate input (linearly / affinely dependent points) gives w = 0; it is reported
in the ``degenerate`` mask of the returned :class:`Hyperplane` (exactly for exact
input; for float input when ‖w‖ ≤ rtol·Π‖edges‖, Hadamard's bound), or raised with
``on_degenerate="raise"``.

Sympy symbols in (:mod:`exactgeo.ga.symbolic`) → sympy expressions out: (w, b) and
wᵀx + b expanded polynomials, ``degenerate`` true where w is identically zero, and
:func:`signed_distance_squared` a cancelled quotient (with ``Abs`` of the numerator).

>>> import sympy as sp
>>> t = sp.Symbol("t")
>>> h = affine_hyperplane([[0, 0], [1, t]])        # the line through 0 and (1, t)
>>> h.w.tolist(), h.b
([-t, 1], 0)
>>> signed_distance_squared([0, 1], h.w, h.b)
1/(t**2 + 1)
"""
from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

import numpy as np

from .cross import cross
from ._validate import as_vectors, check_last, coerce, rescale_hyperplane, scalar_out
from .symbolic import cancel, expand, is_symbolic


class Hyperplane(NamedTuple):
    """(w, b, degenerate): normal (..., d), offset (...), bool mask (...)."""
    w: np.ndarray
    b: np.ndarray
    degenerate: np.ndarray


def _exact_constant(value, like):
    """The exact constant ``value`` in the number type of the exact array ``like``."""
    if is_symbolic(like):
        import sympy as sp
        return sp.Integer(value)
    return Fraction(value)


def _degenerate(w, edges, exact, rtol):
    if exact:
        return np.array([all(v == 0 for v in row) for row in w.reshape(-1, w.shape[-1])],
                        dtype=bool).reshape(w.shape[:-1])
    scale = np.prod(np.linalg.norm(edges, axis=-1), axis=-1)
    return np.linalg.norm(w, axis=-1) <= rtol * scale


def _finish(w, b, deg, on_degenerate, name):
    if on_degenerate not in ("report", "raise"):
        raise ValueError(f"on_degenerate: expected 'report' or 'raise', got {on_degenerate!r}")
    if on_degenerate == "raise" and np.any(deg):
        first = tuple(int(i) for i in np.argwhere(np.atleast_1d(deg))[0])
        raise ValueError(f"{name}: the points at batch index {first} do not span a "
                         "hyperplane (they are dependent); expected points in general "
                         "position")
    return Hyperplane(w, scalar_out(b), scalar_out(np.asarray(deg)))


def linear_hyperplane(P, *, on_degenerate: str = "report", rtol: float = 1e-12):
    """Hyperplane through the origin and the d − 1 rows of P; (..., d−1, d) → Hyperplane.

    >>> from fractions import Fraction as F
    >>> h = linear_hyperplane([[F(1), F(0), F(0)], [F(0), F(1), F(0)]])
    >>> h.w.tolist(), h.b, bool(h.degenerate)
    ([Fraction(0, 1), Fraction(0, 1), Fraction(1, 1)], Fraction(0, 1), False)
    """
    P, exact = as_vectors(P, "P")
    w = cross(P)
    zero = (np.full(w.shape[:-1], _exact_constant(0, P), dtype=object) if exact
            else np.zeros(w.shape[:-1]))
    deg = _degenerate(w, P, exact, rtol)
    return _finish(w, zero, deg, on_degenerate, "P")


def affine_hyperplane(P, *, on_degenerate: str = "report", rtol: float = 1e-12):
    """Affine hyperplane through the d rows of P; (..., d, d) → Hyperplane(w, b, degenerate).

    wᵀx + b = det[p̃_1; …; p̃_d; x̃] (THEORY I10), so wᵀx + b = 0 at every p_i.

    >>> from fractions import Fraction as F
    >>> h = affine_hyperplane([[F(1), F(0)], [F(0), F(1)]])   # det[p̃1; p̃2; x̃] = 1 − x − y
    >>> h.w.tolist(), h.b
    ([Fraction(-1, 1), Fraction(-1, 1)], Fraction(1, 1))
    >>> bool(affine_hyperplane(np.array([[1., 1], [1, 1]])).degenerate)   # repeated point
    True
    """
    P, exact = as_vectors(P, "P")
    n, d = P.shape[-2:]
    if n != d:
        raise ValueError(f"P: an affine hyperplane in R^{d} needs d={d} points, got {n} "
                         f"(shape {P.shape}); expected shape (..., {d}, {d})")
    last = P[..., -1, :]
    edges = P[..., :-1, :] - last[..., None, :]
    if d == 1:
        # a "hyperplane" in R^1 is the point p_1: w = 1·(−1)^0 … via ×(p̃_1) = (−1, p_1)
        w = (np.full(P.shape[:-2] + (1,), _exact_constant(-1, P), dtype=object) if exact
             else -np.ones(P.shape[:-2] + (1,)))
    else:
        w = -cross(edges)
    b = -(w * last).sum(axis=-1)
    if is_symbolic(P):
        b = expand(b)
    deg = _degenerate(w, edges, exact, rtol) if d > 1 else np.zeros(w.shape[:-1], bool)
    return _finish(w, np.asarray(b, dtype=P.dtype), deg, on_degenerate, "P")


def hyperplane_value(x, w, b=0):
    """wᵀx + b, broadcast over x (..., d), w (..., d), b (...). Exact or float."""
    (x, w, b), exact = coerce(x=x, w=w, b=b)
    if w.ndim < 1:
        raise ValueError(f"w: expected normals of shape (..., d), got shape {w.shape}")
    check_last(x, "x", w.shape[-1], "points")
    value = np.asarray((x * w).sum(axis=-1) + b)
    return scalar_out(expand(value) if is_symbolic(w) else value)


def signed_distance(x, w, b=0):
    """Signed distance (wᵀx + b)/‖w‖₂ of points x to hyperplanes (w, b).

    Broadcasts x (..., d), w (..., d), b (...). Positive on the side w points to.

    - float input → float64 distances;
    - exact input → the pair ``(num, norm2)`` = (wᵀx + b, ‖w‖²), both exact (a
      rational cannot hold the square root); distance = num/√norm2, and
      num·|num|/norm2 is the signed squared distance
      (:func:`signed_distance_squared`).

    w = 0 raises ValueError (degenerate hyperplane).

    >>> from fractions import Fraction as F
    >>> signed_distance([F(3), F(4)], [F(0), F(2)], F(-2))
    (Fraction(6, 1), Fraction(4, 1))
    >>> float(signed_distance(np.array([3., 4.]), np.array([0., 2.]), -2.))
    3.0
    """
    (x, w, b), exact = coerce(x=x, w=w, b=b)
    if w.ndim < 1:
        raise ValueError(f"w: expected normals of shape (..., d), got shape {w.shape}")
    check_last(x, "x", w.shape[-1], "points")
    w, b, norm2 = rescale_hyperplane(w, b, exact, "w")
    num = (x * w).sum(axis=-1) + b
    if is_symbolic(w):
        num, norm2 = expand(num), expand(norm2)
    if exact:
        return scalar_out(np.asarray(num, dtype=object)), scalar_out(
            np.broadcast_to(np.asarray(norm2, dtype=object), np.shape(num)).copy())
    return scalar_out(np.asarray(num / np.sqrt(norm2)))


def signed_distance_squared(x, w, b=0):
    """sign(wᵀx + b)·dist(x, H)² = (wᵀx + b)·|wᵀx + b|/‖w‖² — exact for exact input.

    >>> from fractions import Fraction as F
    >>> signed_distance_squared([F(0), F(0)], [F(1), F(1)], F(1))
    Fraction(1, 2)
    """
    (x, w, b), exact = coerce(x=x, w=w, b=b)
    if exact:
        num, norm2 = signed_distance(x, w, b)
        num = np.asarray(num, dtype=object)
        norm2 = np.asarray(norm2, dtype=object)
        out = np.asarray(num * abs(num) / norm2, dtype=object)
        return scalar_out(cancel(out) if is_symbolic(w) else out)
    s = np.asarray(signed_distance(x, w, b))
    return scalar_out(s * np.abs(s))
