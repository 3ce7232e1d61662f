"""numba kernels of the pricing oracles: signed activation correlations of many candidate
neurons at once (module level, ``cache=True``; imported lazily). Geometry — cross
products — is :mod:`exactgeo.ga`'s."""
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
