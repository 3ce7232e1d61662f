"""Clustered classification data with a bound on κ (THEORY §4.1).

Class j has mean x̄_j and samples x̄_j + Δ_{j,i}; δ = max|Δ_{j,i}|, h_j = dist(x̄_j,
aff{x̄_k : k ≠ j}) and κ = δ / min_j h_j, as in :mod:`exactgeo.minimizers.clusters`.
:func:`clustered_data` draws affinely independent rational means, computes min_j h_j²
exactly, and draws deviations that sum to zero in each class with ‖Δ‖∞ ≤ t, where the
rational t satisfies M·t² ≤ kappa²·min_j h_j², so δ ≤ kappa·min_j h_j (proved with
rationals, no float comparison).

>>> from hypothesis import find
>>> from exactgeo.minimizers.clusters import cluster_geometry, prepare_data
>>> data = find(clustered_data(2, kappa=Fraction(1, 4)), lambda c: len(c.labels) > 3)
>>> geo = cluster_geometry(prepare_data(data.X, data.labels, exact=True))
>>> geo.delta2 <= Fraction(1, 16) * min(geo.h2)
True
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import NamedTuple

import numpy as np
from hypothesis import strategies as st

from .arrays import exact_rank, rationals, to_object

__all__ = ["Clustered", "clustered_data", "affine_distance2"]


class Clustered(NamedTuple):
    """``X`` (N, M) object array of Fractions; ``labels`` (N,) int classes 0..Q−1 (every
    class present); ``means`` (Q, M) the exact class means; ``kappa`` the bound, κ ≤ kappa."""
    X: np.ndarray
    labels: np.ndarray
    means: np.ndarray
    kappa: Fraction


def _dot(a, b):
    return sum((x * y for x, y in zip(a, b)), Fraction(0))


def affine_distance2(p, points) -> Fraction:
    """Squared distance of ``p`` to the affine hull of ``points`` (affinely independent),
    exactly: Gram–Schmidt over ℚ on the differences, keeping squared norms rational.

    >>> affine_distance2([Fraction(0), Fraction(1)], [[1, 0], [-1, 0]])
    Fraction(1, 1)
    """
    base = [Fraction(x) for x in points[0]]
    r = [Fraction(x) - b for x, b in zip(p, base)]
    basis = []                                    # orthogonal (not normalised) directions
    for q in points[1:]:
        u = [Fraction(x) - b for x, b in zip(q, base)]
        for e in basis:
            c = _dot(u, e) / _dot(e, e)
            u = [x - c * y for x, y in zip(u, e)]
        basis.append(u)
    for e in basis:
        c = _dot(r, e) / _dot(e, e)
        r = [x - c * y for x, y in zip(r, e)]
    return _dot(r, r)


def _step(bound2: Fraction, M: int) -> Fraction:
    """A rational t > 0 with M·t² ≤ bound2 (bound2 > 0)."""
    t = Fraction(math.sqrt(float(bound2) / M) * 0.99).limit_denominator(10 ** 6)
    while t <= 0 or M * t * t > bound2:
        t = t / 2 if t > 0 else Fraction(1, 10 ** 6)
    return t


@st.composite
def clustered_data(draw, Q: int = 2, M=None, kappa=Fraction(1, 4), max_per_class: int = 4):
    """Classification data whose clustering ratio κ is at most ``kappa`` (THEORY §4.1).

    Q ≥ 2 classes in ℚ^M (M ≥ Q − 1; default M = Q), 1..``max_per_class`` samples per
    class, class means affinely independent. ``kappa`` is a positive rational (the
    explicit minimizers of ``exactgeo construct`` need κ < 1/2). Returns
    :class:`Clustered`.
    """
    M = Q if M is None else M
    kappa = Fraction(kappa)
    if Q < 2 or M < Q - 1:
        raise ValueError(f"Q, M: expected Q >= 2 classes in R^M with M >= Q - 1, got Q={Q}, "
                         f"M={M}")
    if kappa <= 0:
        raise ValueError(f"kappa: expected a positive bound, got {kappa}")
    means = [draw(st.lists(rationals(8, 2), min_size=M, max_size=M)) for _ in range(Q)]
    if exact_rank([[a - b for a, b in zip(m, means[0])] for m in means[1:]]) < Q - 1:
        scale = draw(rationals(8, 2).filter(lambda q: q != 0))
        means = [[means[0][t] + (scale if t == j - 1 else 0) for t in range(M)]
                 for j in range(Q)]                       # a scaled simplex corner
    h2 = min(affine_distance2(means[j], [m for k, m in enumerate(means) if k != j])
             for j in range(Q))
    t = _step(kappa * kappa * h2, M)
    rows, labels = [], []
    for j in range(Q):
        n = draw(st.integers(1, max_per_class))
        u = [[t * Fraction(draw(st.integers(-8, 8)), 16) for _ in range(M)] for _ in range(n)]
        centre = [sum(col, Fraction(0)) / n for col in zip(*u)]
        for row in u:                                     # deviations sum to zero
            rows.append([m + x - c for m, x, c in zip(means[j], row, centre)])
            labels.append(j)
    return Clustered(to_object(rows).reshape(len(rows), M), np.array(labels, dtype=np.int64),
                     to_object(means).reshape(Q, M), kappa)
