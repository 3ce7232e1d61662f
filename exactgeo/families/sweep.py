"""Correlations of a pencil of hyperplanes by one angular sweep (float pricing).

Candidates of a finite dictionary that share their first k − 1 pool vectors (consecutive
in rank order) have hyperplanes w orthogonal to those vectors: when k = dim − 1 they lie
in one plane, spanned by an orthonormal pair (e₁, e₂). With a_i = e₁·p_i, b_i = e₂·p_i
(the samples projected on that plane) and w = w₁e₁ + w₂e₂,

    Σ_i r_i max(w·p_i, 0) = w₁ Σ_{i∈H} r_i a_i + w₂ Σ_{i∈H} r_i b_i,

H the samples whose angle atan2(b_i, a_i) lies within π/2 of w's. Sorting the samples by
angle once, prefix sums turn each candidate's sum into two binary searches: O(n log n)
per pencil plus O(log n) per candidate, against O(n) per candidate streamed one by one.
Samples on w's hyperplane (angle exactly π/2 away) contribute w·p_i = 0 to either side.
Float evidence like :func:`~exactgeo.families.streamed.streamed_correlations` (errors of
order n·u·Σ|r_i w·p_i|), never rigorous: the exact certificate re-prices rigorously.

>>> import numpy as np
>>> from exactgeo.families.streamed import streamed_correlations
>>> rng = np.random.default_rng(0)
>>> P = np.c_[rng.standard_normal((50, 2)), np.ones(50)]          # samples, with bias
>>> C = np.array([[0, j] for j in range(1, 50)])                    # pencil through x_0
>>> W = np.cross(P[C[:, 0]], P[C[:, 1]]); r = rng.standard_normal(50)
>>> fast, slow = sweep_correlations(P, W, C, r, True), streamed_correlations(P, W, r, True)
>>> all(np.allclose(f, s, rtol=0, atol=1e-10) for f, s in zip(fast, slow))
True
"""
from __future__ import annotations

import math

import numba as nb
import numpy as np

__all__ = ["sweep_correlations", "in_pencils", "MIN_PENCIL"]

MIN_PENCIL = 16      #: smaller pencils are priced candidate by candidate


def in_pencils(k: int, dim: int) -> bool:
    """Do the hyperplanes of k-subsets in ℝ^dim sharing k − 1 vectors lie in one plane?"""
    return k >= 1 and dim == k + 1


@nb.njit(cache=True)
def _pencil_starts(C):
    m, k = C.shape
    starts = [0]
    for j in range(1, m):
        for c in range(k - 1):
            if C[j, c] != C[j - 1, c]:
                starts.append(j)
                break
    starts.append(m)
    return np.array(starts, dtype=np.int64)


@nb.njit(cache=True)
def _direct(P, W, r, j, norms, cp, cn, qp, qn):
    n, dim = P.shape
    sp = sz = ap = an = 0.0
    for i in range(n):
        z = 0.0
        for c in range(dim):
            z += P[i, c] * W[j, c]
        zp = max(z, 0.0)
        sp += r[i] * zp
        sz += r[i] * z
        if norms:
            ap += zp * zp
            an += (zp - z) * (zp - z)
    cp[j], cn[j], qp[j], qn[j] = sp, sp - sz, ap, an


@nb.njit(cache=True)
def _plane(W, j0, j1):
    """Orthonormal (e₁, e₂) spanning the rows W[j0:j1], or ok=False when they span less."""
    dim = W.shape[1]
    e1 = np.zeros(dim)
    e2 = np.zeros(dim)
    best = -1.0
    for j in range(j0, j1):
        s = 0.0
        for c in range(dim):
            s += W[j, c] * W[j, c]
        if s > best:
            best = s
            for c in range(dim):
                e1[c] = W[j, c]
    if best <= 0.0:
        return e1, e2, False
    e1 /= math.sqrt(best)
    best = 0.0
    for j in range(j0, j1):
        t = 0.0
        for c in range(dim):
            t += W[j, c] * e1[c]
        s = 0.0
        for c in range(dim):
            v = W[j, c] - t * e1[c]
            s += v * v
        if s > best:
            best = s
            for c in range(dim):
                e2[c] = W[j, c] - t * e1[c]
    scale = 0.0
    for c in range(dim):
        scale = max(scale, abs(e1[c]))
    if best <= (1e-12 * scale) ** 2 * dim:
        return e1, e2, False
    e2 /= math.sqrt(best)
    return e1, e2, True


@nb.njit(cache=True)
def _sweep(P, W, r, j0, j1, e1, e2, norms, cp, cn, qp, qn):
    n, dim = P.shape
    a = np.empty(n)
    b = np.empty(n)
    ang = np.empty(n)
    for i in range(n):
        s = 0.0
        t = 0.0
        for c in range(dim):
            s += e1[c] * P[i, c]
            t += e2[c] * P[i, c]
        a[i], b[i] = s, t
        ang[i] = math.atan2(t, s)
    order = np.argsort(ang)
    # prefix sums over the sorted angles, twice round the circle: [−π, 3π)
    phi = np.empty(2 * n)
    S = np.zeros((2 * n + 1, 5))
    for q in range(2 * n):
        i = order[q % n]
        phi[q] = ang[i] + (2 * math.pi if q >= n else 0.0)
        S[q + 1, 0] = S[q, 0] + r[i] * a[i]
        S[q + 1, 1] = S[q, 1] + r[i] * b[i]
        if norms:
            S[q + 1, 2] = S[q, 2] + a[i] * a[i]
            S[q + 1, 3] = S[q, 3] + a[i] * b[i]
            S[q + 1, 4] = S[q, 4] + b[i] * b[i]
    for j in range(j0, j1):
        w1 = 0.0
        w2 = 0.0
        for c in range(dim):
            w1 += W[j, c] * e1[c]
            w2 += W[j, c] * e2[c]
        off = 0.0
        size = 0.0
        for c in range(dim):
            off += (W[j, c] - w1 * e1[c] - w2 * e2[c]) ** 2
            size += W[j, c] * W[j, c]
        if off > 1e-20 * size:              # not in the pencil's plane: price it directly
            _direct(P, W, r, j, norms, cp, cn, qp, qn)
            continue
        if w1 == 0.0 and w2 == 0.0:
            cp[j] = cn[j] = qp[j] = qn[j] = 0.0
            continue
        lo = math.atan2(w2, w1) - 0.5 * math.pi
        if lo < -math.pi:
            lo += 2 * math.pi
        q0 = np.searchsorted(phi, lo, side="right")
        q1 = np.searchsorted(phi, lo + math.pi, side="right")
        sp = w1 * (S[q1, 0] - S[q0, 0]) + w2 * (S[q1, 1] - S[q0, 1])
        sz = w1 * S[n, 0] + w2 * S[n, 1]
        cp[j] = sp
        cn[j] = sp - sz
        if norms:
            A = S[q1, 2] - S[q0, 2]
            B = S[q1, 3] - S[q0, 3]
            D = S[q1, 4] - S[q0, 4]
            qp[j] = w1 * w1 * A + 2 * w1 * w2 * B + w2 * w2 * D
            qn[j] = (w1 * w1 * (S[n, 2] - A) + 2 * w1 * w2 * (S[n, 3] - B)
                     + w2 * w2 * (S[n, 4] - D))


@nb.njit(cache=True, parallel=True)
def sweep_correlations(P, W, C, r, norms=True):
    """:func:`~exactgeo.families.streamed.streamed_correlations` for candidates in rank
    order: the hyperplanes W (m, dim) of the pool subsets C (m, k), k = dim − 1, over
    the samples P (n, dim) and r (n,). Returns cp, cn, qp, qn (m,) each: Σ r_i σ(±z_i)
    and (with ``norms``) Σ σ(±z_i)², σ = relu, z_i = P_i·W_j — by one sweep per pencil
    of at least :data:`MIN_PENCIL` candidates (module docstring), directly otherwise."""
    m = W.shape[0]
    cp = np.zeros(m)
    cn = np.zeros(m)
    qp = np.zeros(m)
    qn = np.zeros(m)
    starts = _pencil_starts(C)
    for g in nb.prange(starts.size - 1):
        j0, j1 = starts[g], starts[g + 1]
        ok = False
        if j1 - j0 >= MIN_PENCIL:
            e1, e2, ok = _plane(W, j0, j1)
            if ok:
                _sweep(P, W, r, j0, j1, e1, e2, norms, cp, cn, qp, qn)
        if not ok:
            for j in range(j0, j1):
                _direct(P, W, r, j, norms, cp, cn, qp, qn)
    return cp, cn, qp, qn
