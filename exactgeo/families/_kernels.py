"""numba kernels of the families (module level, ``cache=True``; imported lazily)."""
from __future__ import annotations

import numba as nb
import numpy as np

_TILE = 64          # candidates per parallel task (one pre-activation buffer each)


@nb.njit(cache=True, parallel=True)
def signed_correlations(Xt, W, r):
    """For every candidate k: cp[k] = Σ_i r_i·max(z_ik, 0) and cn[k] = Σ_i r_i·max(−z_ik, 0)
    with z_ik = Xt[i]·W[k]; Xt (n, dim), W (m, dim), r (n,) float64 → two (m,) arrays.
    relu: rᵀσ(Xu + c) = cp, rᵀσ(−Xu − c) = cn; abs: rᵀ|Xu + c| = cp + cn.

    Branch-free and vectorisable: the pre-activations of one candidate are formed
    column by column in a buffer (the data transposed to (dim, n)), then
    max(z, 0) and max(z, 0) − z = max(−z, 0) (both exact) are accumulated. The sums
    are in the same order as the naive loop, so the values are bit-identical to it.
    Extra memory: the transposed data and one n-buffer per task."""
    m = W.shape[0]
    n, dim = Xt.shape
    XT = np.ascontiguousarray(Xt.T)
    cp = np.zeros(m)
    cn = np.zeros(m)
    ntiles = (m + _TILE - 1) // _TILE
    for b in nb.prange(ntiles):
        z = np.empty(n)
        for k in range(b * _TILE, min(m, (b + 1) * _TILE)):
            w0 = W[k, 0]
            for i in range(n):
                z[i] = XT[0, i] * w0
            for c in range(1, dim):
                w = W[k, c]
                for i in range(n):
                    z[i] += XT[c, i] * w
            sp = 0.0
            sn = 0.0
            for i in range(n):
                zi = z[i]
                zp = max(zi, 0.0)
                sp += r[i] * zp
                sn += r[i] * (zp - zi)
            cp[k] = sp
            cn[k] = sn
    return cp, cn


@nb.njit(cache=True, parallel=True)
def laplace_cross(Q, cols, child, neg, level_start, last_idx, out_neg):
    """Generalized cross products of the k rows of every Q[m] (float64, (m, k, k+1)) by
    the Laplace expansion of :func:`exactgeo.families._geometry.cross_rows`, in the same
    operation order (so bit-identical to it), one subset at a time in registers-sized
    buffers instead of numpy arrays over m. Tables (from ``_geometry._laplace_tables``):
    subset s of level t (rows level_start[t] .. level_start[t+1]) has ``cols[s, :t]``,
    children ``child[s, :t]`` (indices within level t − 1) and term signs ``neg[s, :t]``;
    ``last_idx[j]`` is the level-k index of the subset without column j, ``out_neg[j]``
    its output sign."""
    m, k, D = Q.shape
    out = np.empty((m, D))
    width = 1
    for t in range(k + 1):
        width = max(width, level_start[t + 1] - level_start[t])
    ntiles = (m + 63) // 64
    for b in nb.prange(ntiles):
        prev = np.empty(width)
        cur = np.empty(width)
        for i in range(b * 64, min(m, (b + 1) * 64)):
            prev[0] = 1.0
            for t in range(1, k + 1):
                s0 = level_start[t]
                for s in range(s0, level_start[t + 1]):
                    v = Q[i, t - 1, cols[s, 0]] * prev[child[s, 0]]
                    acc = -v if neg[s, 0] else v
                    for p in range(1, t):
                        v = Q[i, t - 1, cols[s, p]] * prev[child[s, p]]
                        if neg[s, p]:
                            acc = acc - v
                        else:
                            acc = acc + v
                    cur[s - s0] = acc
                prev, cur = cur, prev
            for j in range(D):
                v = prev[last_idx[j]]
                out[i, j] = (-v if out_neg[j] else v) + 0.0
    return out
