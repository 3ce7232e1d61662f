"""numba kernels of the families (module level, ``cache=True``; imported lazily)."""
from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True, parallel=True)
def signed_correlations(Xt, W, r):
    """For every candidate k: cp[k] = Σ_i r_i·max(z_ik, 0) and cn[k] = Σ_i r_i·max(−z_ik, 0)
    with z_ik = Xt[i]·W[k]; Xt (n, dim), W (m, dim), r (n,) float64 → two (m,) arrays.
    relu: rᵀσ(Xu + c) = cp, rᵀσ(−Xu − c) = cn; abs: rᵀ|Xu + c| = cp + cn."""
    m = W.shape[0]
    n, dim = Xt.shape
    cp = np.zeros(m)
    cn = np.zeros(m)
    for k in nb.prange(m):
        sp = 0.0
        sn = 0.0
        for i in range(n):
            z = 0.0
            for c in range(dim):
                z += Xt[i, c] * W[k, c]
            if z > 0.0:
                sp += r[i] * z
            elif z < 0.0:
                sn -= r[i] * z
        cp[k] = sp
        cn[k] = sn
    return cp, cn
