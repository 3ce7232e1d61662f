"""numba kernels for batched float64 GA (module level, ``cache=True``).

This module imports numba, so the public functions import it lazily (``import
exactgeo`` stays light). Every kernel takes C-contiguous float64 arrays with one
flat batch axis ``B`` in front. Kernels are serial: on the shared 2-core machine
``parallel=True`` versions were 10–40× *slower* under load from other processes
(threads waiting at the barrier) and add threading-layer start-up to the first call.
For d ≤ 6 the straight-line kernels of :mod:`exactgeo.ga._unrolled` are used instead
of the table-driven ``exterior_kernel``.

Exterior products use the incremental (Laplace) recursion

    (v_1∧…∧v_{j+1})_T = Σ_{p} (−1)^{j−p} (v_1∧…∧v_j)_{T∖T_p} · v_{j+1, T_p},

driven by index tables from :func:`exactgeo.ga.blades.exterior_tables`, and
specialised loops for k = 2 and for 3×3 / 2×2 determinants.
"""
from __future__ import annotations

import numba as nb
import numpy as np

_CHUNK = 2048


@nb.njit(cache=True, inline="always")
def _det_inplace(M, k):
    """Determinant of the leading k×k block of M (overwrites M); partial pivoting."""
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
def wedge2_kernel(V, I, J, out):
    """out[b, m] = V[b,0,I[m]]·V[b,1,J[m]] − V[b,0,J[m]]·V[b,1,I[m]]  (k = 2)."""
    B = V.shape[0]
    M = I.shape[0]
    for b in range(B):
        for m in range(M):
            i = I[m]
            j = J[m]
            out[b, m] = V[b, 0, i] * V[b, 1, j] - V[b, 0, j] * V[b, 1, i]


@nb.njit(cache=True)
def exterior_kernel(V, src, col, sgn, start, count, width, sign_out, perm_out, out):
    """Grade-k exterior product of the k rows of V[b] by the incremental recursion.

    Step s (grade s+1 → s+2) uses entries start[s] … start[s]+count[s]·width[s] of the
    flat tables: target t, term p reads buf[src]·V[b, s+1, col]·sgn. The last grade is
    written to out[b, perm_out[m]]·sign_out[m] (identity for wedge, the Hodge
    permutation for cross).
    """
    B, k, d = V.shape
    nout = out.shape[1]
    nchunks = (B + _CHUNK - 1) // _CHUNK
    cmax = 1
    for s in range(count.shape[0]):
        if count[s] > cmax:
            cmax = count[s]
    if d > cmax:
        cmax = d
    for c in range(nchunks):
        cur = np.empty(cmax)
        nxt = np.empty(cmax)
        lo = c * _CHUNK
        hi = min(B, lo + _CHUNK)
        for b in range(lo, hi):
            for i in range(d):
                cur[i] = V[b, 0, i]
            for s in range(k - 1):
                w = width[s]
                base = start[s]
                for t in range(count[s]):
                    acc = 0.0
                    for p in range(w):
                        e = base + t * w + p
                        acc += sgn[e] * cur[src[e]] * V[b, s + 1, col[e]]
                    nxt[t] = acc
                for t in range(count[s]):
                    cur[t] = nxt[t]
            for m in range(nout):
                out[b, perm_out[m]] = sign_out[m] * cur[m]


@nb.njit(cache=True)
def minors_kernel(V, combos, signs, out):
    """out[b, m] = signs[m]·det(V[b][:, combos[m]]) by LU (for large k)."""
    B, k, _ = V.shape
    m_count = combos.shape[0]
    nchunks = (B + _CHUNK - 1) // _CHUNK
    for c in range(nchunks):
        M = np.empty((k, k))
        lo = c * _CHUNK
        hi = min(B, lo + _CHUNK)
        for b in range(lo, hi):
            for m in range(m_count):
                for i in range(k):
                    for j in range(k):
                        M[i, j] = V[b, i, combos[m, j]]
                out[b, m] = signs[m] * _det_inplace(M, k)


@nb.njit(cache=True)
def det_kernel(V, out):
    """out[b] = det V[b] for square V[b] (k×k)."""
    B, k, _ = V.shape
    nchunks = (B + _CHUNK - 1) // _CHUNK
    for c in range(nchunks):
        M = np.empty((k, k))
        lo = c * _CHUNK
        hi = min(B, lo + _CHUNK)
        for b in range(lo, hi):
            for i in range(k):
                for j in range(k):
                    M[i, j] = V[b, i, j]
            out[b] = _det_inplace(M, k)


@nb.njit(cache=True)
def gram_det_kernel(V, out):
    """out[b] = det(V[b] V[b]ᵀ) (Gram determinant of the k rows)."""
    B, k, d = V.shape
    nchunks = (B + _CHUNK - 1) // _CHUNK
    for c in range(nchunks):
        G = np.empty((k, k))
        lo = c * _CHUNK
        hi = min(B, lo + _CHUNK)
        for b in range(lo, hi):
            for i in range(k):
                for j in range(i, k):
                    acc = 0.0
                    for t in range(d):
                        acc += V[b, i, t] * V[b, j, t]
                    G[i, j] = acc
                    G[j, i] = acc
            g = _det_inplace(G, k)
            out[b] = g if g > 0.0 else 0.0
