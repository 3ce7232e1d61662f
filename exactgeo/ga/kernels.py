"""numba kernels for batched float64 GA (module level, ``cache=True``)."""
from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True, inline="always")
def _det_small(M, k):
    """Determinant of the leading k×k block of M (destroys M); partial pivoting."""
    if k == 1:
        return M[0, 0]
    if k == 2:
        return M[0, 0] * M[1, 1] - M[0, 1] * M[1, 0]
    if k == 3:
        return (M[0, 0] * (M[1, 1] * M[2, 2] - M[1, 2] * M[2, 1])
                - M[0, 1] * (M[1, 0] * M[2, 2] - M[1, 2] * M[2, 0])
                + M[0, 2] * (M[1, 0] * M[2, 1] - M[1, 1] * M[2, 0]))
    det = 1.0
    for c in range(k):
        p = c
        best = abs(M[c, c])
        for r in range(c + 1, k):
            if abs(M[r, c]) > best:
                best = abs(M[r, c])
                p = r
        if best == 0.0:
            return 0.0
        if p != c:
            for j in range(k):
                t = M[c, j]
                M[c, j] = M[p, j]
                M[p, j] = t
            det = -det
        det *= M[c, c]
        for r in range(c + 1, k):
            f = M[r, c] / M[c, c]
            for j in range(c + 1, k):
                M[r, j] -= f * M[c, j]
    return det


@nb.njit(cache=True)
def minors_kernel(V, combos, signs):
    """out[b, m] = signs[m] * det(V[b][:, combos[m]]) for V of shape (B, k, d)."""
    B, k, _ = V.shape
    m_count = combos.shape[0]
    out = np.empty((B, m_count))
    M = np.empty((k, k))
    for b in range(B):
        for m in range(m_count):
            for i in range(k):
                for j in range(k):
                    M[i, j] = V[b, i, combos[m, j]]
            out[b, m] = signs[m] * _det_small(M, k)
    return out
