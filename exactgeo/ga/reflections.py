"""Reflections of points and of hyperplanes across a point or a hyperplane.

All maps are rational, so exact input gives exact output. Broadcasting: points
x (..., d), centres p (..., d), hyperplanes (w (..., d), b (...)).

- across a point p:        σ_p(x) = 2p − x;
- across a hyperplane (u, c): σ(x) = x − 2 (uᵀx + c)/‖u‖² · u  (an involution).

A hyperplane (w, b), read as the affine function f(x) = wᵀx + b, is carried to the
hyperplane of f∘σ (σ is an involution): the image (w', b') satisfies
w'ᵀσ(x) + b' = wᵀx + b, so the side each point lies on travels with it.

Sympy symbols in (:mod:`exactgeo.ga.symbolic`) → sympy expressions out: expanded
polynomials across a point, cancelled quotients (one sympy division by ‖u‖²) across a
hyperplane.
- across a point p:        (w', b') = (−w, b + 2wᵀp);
- across a hyperplane (u, c): w' = w − 2(wᵀu)/‖u‖²·u,  b' = b − 2c(wᵀu)/‖u‖².
"""
from __future__ import annotations

import numpy as np

from ._validate import check_last, coerce, rescale_hyperplane, scalar_out
from .symbolic import cancel, expand, is_symbolic


def _dims(w, name="w"):
    if w.ndim < 1:
        what = "points" if name in ("x", "p") else "normals"
        raise ValueError(f"{name}: expected {what} of shape (..., d), got shape {w.shape}")
    return w.shape[-1]


def reflect_across_point(x, p):
    """2p − x; x, p (..., d) broadcast.

    >>> from fractions import Fraction as F
    >>> reflect_across_point([F(1), F(2)], [F(0), F(1, 2)]).tolist()
    [Fraction(-1, 1), Fraction(-1, 1)]
    """
    (x, p), exact = coerce(x=x, p=p)
    check_last(p, "p", _dims(x, "x"), "points")
    out = 2 * p - x
    return expand(out) if is_symbolic(x) else out


def reflect_across_hyperplane(x, u, c=0):
    """Mirror image of points x in the hyperplane uᵀy + c = 0.

    x (..., d), u (..., d), c (...) broadcast → (..., d).

    >>> from fractions import Fraction as F
    >>> reflect_across_hyperplane([F(3), F(5)], [F(0), F(1)], F(-1)).tolist()   # y = 1
    [Fraction(3, 1), Fraction(-3, 1)]
    >>> reflect_across_hyperplane(np.array([1., 1.]), np.array([1., -1.]))
    array([1., 1.])
    >>> import sympy as sp
    >>> a = sp.Symbol("a")
    >>> reflect_across_hyperplane([a, 0], [1, 1]).tolist()       # mirror y = −x
    [0, -a]
    """
    (x, u, c), exact = coerce(x=x, u=u, c=c)
    check_last(x, "x", _dims(u, "u"), "points")
    u, c, norm2 = rescale_hyperplane(u, c, exact, "u")
    t = 2 * ((x * u).sum(axis=-1) + c) / norm2
    out = x - np.asarray(t)[..., None] * u
    return cancel(out) if is_symbolic(x) else out


def reflect_hyperplane_across_point(w, b, p):
    """Image (w', b') = (−w, b + 2wᵀp) of the hyperplane (w, b) under x ↦ 2p − x.

    >>> from fractions import Fraction as F
    >>> w2, b2 = reflect_hyperplane_across_point([F(1), F(0)], F(-1), [F(2), F(0)])
    >>> w2.tolist(), b2                     # x = 1 ↦ x = 3, written −x + 3 = 0
    ([Fraction(-1, 1), Fraction(0, 1)], Fraction(3, 1))
    """
    (w, b, p), exact = coerce(w=w, b=b, p=p)
    check_last(p, "p", _dims(w), "points")
    b2 = np.asarray(b + 2 * (w * p).sum(axis=-1))
    w2 = -np.broadcast_to(w, np.broadcast_shapes(w.shape, p.shape))
    if is_symbolic(w):
        w2, b2 = expand(w2), expand(b2)
    return w2, scalar_out(b2)


def reflect_hyperplane_across_hyperplane(w, b, u, c=0):
    """Image (w', b') of the hyperplane (w, b) in the mirror (u, c):
    w' = w − 2(wᵀu)/‖u‖²·u, b' = b − 2c(wᵀu)/‖u‖².

    >>> from fractions import Fraction as F
    >>> w2, b2 = reflect_hyperplane_across_hyperplane([F(1), F(0)], F(0), [F(1), F(-1)])
    >>> w2.tolist(), b2                     # the line x = 0 mirrored in y = x: y = 0
    ([Fraction(0, 1), Fraction(1, 1)], Fraction(0, 1))
    """
    (w, b, u, c), exact = coerce(w=w, b=b, u=u, c=c)
    check_last(u, "u", _dims(w), "normals")
    u, c, norm2 = rescale_hyperplane(u, c, exact, "u")
    t = 2 * (w * u).sum(axis=-1) / norm2
    w2 = w - np.asarray(t)[..., None] * u
    b2 = np.asarray(b - c * t)
    if is_symbolic(w):
        w2, b2 = cancel(w2), cancel(b2)
    return w2, scalar_out(b2)
