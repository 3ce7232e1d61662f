"""×(P[idx]) of k ≤ 3 rows of a float pool, for numba kernels (no array per call).

The convention of :func:`exactgeo.ga.cross`: ⟨×(V), x⟩ = det[v_1; …; v_k; x], so
×(V)_c = (−1)^{k+1+c} det V^{(c)} (1-based c), written out by minors for k + 1 ≤ 4.

>>> import numpy as np
>>> from exactgeo.ga import cross
>>> P = np.array([[1.0, 2.0, 0.5, -1.0], [0.0, 1.0, 3.0, 2.0], [2.0, -1.0, 1.0, 1.0]])
>>> out = np.empty(4)
>>> cross_rows(P, np.array([0, 1, 2]), out)
>>> bool(np.allclose(out, cross(P), rtol=0, atol=1e-12))
True
"""
from __future__ import annotations

from numba import njit

__all__ = ["cross_rows"]


@njit(cache=True)
def _det3(P, a, b, c, i, j, l):
    """det of rows a, b, c of P restricted to the columns i, j, l."""
    return (P[a, i] * (P[b, j] * P[c, l] - P[b, l] * P[c, j])
            - P[a, j] * (P[b, i] * P[c, l] - P[b, l] * P[c, i])
            + P[a, l] * (P[b, i] * P[c, j] - P[b, j] * P[c, i]))


@njit(cache=True)
def cross_rows(P, idx, out):
    """out (k + 1,) = ×(P[idx]) for 1 ≤ k = idx.size ≤ 3 rows of P (·, k + 1)."""
    k = idx.size
    a = idx[0]
    if k == 1:
        out[0] = -P[a, 1]
        out[1] = P[a, 0]
    elif k == 2:
        b = idx[1]
        out[0] = P[a, 1] * P[b, 2] - P[a, 2] * P[b, 1]
        out[1] = P[a, 2] * P[b, 0] - P[a, 0] * P[b, 2]
        out[2] = P[a, 0] * P[b, 1] - P[a, 1] * P[b, 0]
    else:
        b, c = idx[1], idx[2]
        out[0] = -_det3(P, a, b, c, 1, 2, 3)
        out[1] = _det3(P, a, b, c, 0, 2, 3)
        out[2] = -_det3(P, a, b, c, 0, 1, 3)
        out[3] = _det3(P, a, b, c, 0, 1, 2)
