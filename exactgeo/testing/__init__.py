"""Hypothesis strategies for exact geometry: ``pip install "exactgeo[testing]"``.

Exact values are :class:`fractions.Fraction` in numpy object arrays (exactgeo's exact
container), with small numerators and denominators so exact arithmetic stays fast.
Degenerate inputs — the ones that break naive code — are first-class: repeated,
collinear, coplanar points, points at the origin or on an axis.

=============================================  ============================================
``rationals(max_num, max_den)``                Fraction p/q, |p| ≤ max_num, 1 ≤ q ≤ max_den
``exact_vectors(d)``                           object array (d,)
``exact_matrices(k, d, degenerate=True)``      object array (k, d); may hide a dependency
``exact_batches(k, d, max_batch)``             object array (b, k, d)
``invertible_matrices(d)``                     object array (d, d), det ≠ 0
``rational_rotations(d)``                      object array (d, d), RᵀR = I, det R = 1
``general_position(n, d, affine=False)``       object array (n, d), every min(n, d) rows
                                               independent (affine: every min(n, d+1)
                                               points affinely independent)
``degenerate_points(n, d, kinds)``             object array (n, d): repeated, collinear,
                                               coplanar, origin, axis
``clustered_data(Q, M, kappa)``                ``Clustered(X, labels, means, kappa)``:
                                               κ ≤ kappa (THEORY §4.1)
``float_matrices(k, d)``, ``float_batches``    float64 arrays, finite, degeneracies mixed in
``dims(lo, hi)``                               int
``to_object(rows)``, ``exact_rank(M)``         helpers (rank by plain Fraction elimination,
                                               a second route independent of exactgeo)
=============================================  ============================================

A property test (runs as written; ``derandomize`` makes it reproducible):

>>> from hypothesis import given, settings
>>> import exactgeo
>>> @settings(max_examples=25, derandomize=True)
... @given(exact_matrices(2, 3))
... def test_cross_is_orthogonal(V):
...     w = exactgeo.cross(V)
...     assert all(sum(w * v) == 0 for v in V)
>>> test_cross_is_orthogonal()

``hypothesis.find`` gives the simplest example with a property (deterministic):

>>> from hypothesis import find
>>> find(degenerate_points(3, 2, kinds=("collinear",)), lambda P: P[0, 0] != P[1, 0]).shape
(3, 2)
"""
try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess test
    raise ImportError('exactgeo.testing needs the hypothesis package; install it with '
                      'pip install "exactgeo[testing]"') from exc

from .arrays import (dims, exact_batches, exact_matrices, exact_rank, exact_vectors,
                     float_batches, float_matrices, rationals, to_object)
from .points import (DEGENERACIES, degenerate_points, general_position, invertible_matrices,
                     rational_rotations)
from .clusters import Clustered, clustered_data

__all__ = [
    "rationals", "exact_vectors", "exact_matrices", "exact_batches", "invertible_matrices",
    "rational_rotations", "general_position", "degenerate_points", "DEGENERACIES",
    "clustered_data", "Clustered", "float_matrices", "float_batches", "dims", "to_object",
    "exact_rank",
]
