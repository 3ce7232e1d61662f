"""numba kernels of the pricing oracles: signed activation correlations of many candidate
neurons at once (module level, ``cache=True``; imported lazily). Geometry — cross
products — is :mod:`exactgeo.ga`'s."""
from __future__ import annotations

import math

import numba as nb
import numpy as np

from ..ga.cross_rows import cross_rows

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


@nb.njit(cache=True)
def _wnorm(w, d, l1):
    s = 0.0
    for c in range(d):
        s += abs(w[c]) if l1 else w[c] * w[c]
    return s if l1 else math.sqrt(s)


@nb.njit(cache=True, parallel=True)
def unit_hyperplanes(pool_s, C, unscale, d, l1):
    """The float candidate hyperplanes of the pool subsets C (m, k), 1 ≤ k ≤ 3, as
    :class:`~exactgeo.families.twolayer.TwoLayerFamily` builds them: W (m, dim) =
    ×(pool_s[C_j]) ∘ unscale / ‖w_{1:d}‖ (ℓ1 or ℓ2) and deg (m,) bool — the product
    below 1e-12 of the Hadamard bound of its (scaled) rows, or a norm zero or not
    finite (W then not normalised). One pass, no temporaries of the block's size."""
    m, k = C.shape
    dim = pool_s.shape[1]
    W = np.empty((m, dim))
    deg = np.empty(m, dtype=np.bool_)
    for t in nb.prange((m + _TILE - 1) // _TILE):
        w = np.empty(dim)
        for j in range(t * _TILE, min(m, (t + 1) * _TILE)):
            cross_rows(pool_s, C[j], w)
            hb = 1.0
            for i in range(k):
                s = 0.0
                for c in range(dim):
                    s += pool_s[C[j, i], c] * pool_s[C[j, i], c]
                hb *= math.sqrt(s)
            dg = not (_wnorm(w, d, l1) > 1e-12 * hb)
            for c in range(dim):
                w[c] = (w[c] + 0.0) * unscale[c]          # + 0.0: no negative zeros
            nrm = _wnorm(w, d, l1)
            dg = dg or not (np.isfinite(nrm) and nrm > 0)
            f = 1.0 if dg else nrm
            for c in range(dim):
                W[j, c] = w[c] / f
            deg[j] = dg
    return W, deg


@nb.njit(cache=True, parallel=True)
def integer_hyperplanes(pool, C):
    """W (m, k + 1) int64: ×(pool[C_j]) for the pool subsets C (m, k), 1 ≤ k ≤ 3, of the
    int64 pool, exact while bx^k < 2⁶⁰ (bx the largest |entry|: a minor sums at most
    six products of k entries; the caller checks a Hadamard bound ≥ bx^k first)."""
    m = C.shape[0]
    W = np.empty((m, pool.shape[1]), dtype=np.int64)
    for t in nb.prange((m + _TILE - 1) // _TILE):
        for j in range(t * _TILE, min(m, (t + 1) * _TILE)):
            cross_rows(pool, C[j], W[j])
    return W
