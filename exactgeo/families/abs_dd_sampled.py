"""Sampled pricing for deep absolute-value chains in d-D (THEORY §3.5, §3.7): a *lower
bound* on S(r) = sup |rᵀφ(X; θ)| over unit chains θ = (u, c_1, c_2[, c_3]), ‖u‖_p = 1.

For a fixed direction u the chain only sees the projections t_i = uᵀx_i, and for fixed
(u, c_1, …, c_{l−1}) the value Σ_i r_i |h_i − c| is piecewise linear in the last threshold c
with kinks at the h_k: its maximum is at c ∈ {0} ∪ {h_k}, found for all k at once by sorting
and prefix sums (:func:`best_threshold`, O(n log n)). So each of the M sampled directions
(seeded, uniform on the sphere, rescaled to ‖u‖_p = 1) is paired with first-layer biases
at samples and midpoints (bias only), the best c_2 (depth 3) or a few c_2 and the best c_3
(depth 4); the best candidates are refined by ascent steps u ← g/‖g‖ with g the gradient
of rᵀφ on the current activation pattern, the thresholds re-chosen after every step. The
best value found is returned with kind "sampled" and ``samples`` = M; for exact r its
maximiser is rounded to a rational chain and re-evaluated exactly (a genuine neuron's value).

>>> import numpy as np
>>> vals, thr, idx = best_threshold(np.array([[0.0, 1.0, 3.0]]), np.array([1.0, -2.0, 1.0]))
>>> vals.tolist(), thr.tolist(), idx.tolist()     # c = 1: |0−1| − 2·0 + |3−1| = 3
([3.0], [1.0], [1])
"""
from __future__ import annotations

import numpy as np

__all__ = ["best_threshold", "sample_chains", "work_bytes"]

_ANCHORS = 12          # sampled first-layer biases per direction (bias only)
_MIDPOINTS = 6         # sampled midpoint biases per direction (bias only)
_C2_CHOICES = 6        # depth 4: c_2 candidates per (direction, bias)
_TOP = 12              # candidates refined
_ITERS = 8             # ascent steps per refined candidate


def best_threshold(H, r):
    """For every row h of ``H`` (b, n), h ≥ 0: max over c ∈ {0} ∪ {h_k} of |Σ_i r_i|h_i − c||.

    Returns (values (b,), thresholds c (b,), index k (b,), −1 for c = 0)."""
    H = np.asarray(H, dtype=np.float64)
    b, n = H.shape
    order = np.argsort(H, axis=1, kind="stable")
    a = np.take_along_axis(H, order, axis=1)
    rs = r[order]
    ra = rs * a
    R, RA = np.cumsum(rs, axis=1), np.cumsum(ra, axis=1)
    Rl, RAl = R - rs, RA - ra                           # sums over i before k (a_i ≤ c)
    Rt, RAt = R[:, -1:], RA[:, -1:]
    val = a * Rl - RAl + (RAt - RAl) - a * (Rt - Rl)   # Σ_i r_i |a_i − a_k|
    k = np.argmax(np.abs(val), axis=1)
    best = np.abs(val[np.arange(b), k])
    zero = np.abs(RAt[:, 0])                            # c = 0
    use0 = zero >= best
    idx = np.where(use0, -1, order[np.arange(b), k])
    thr = np.where(use0, 0.0, a[np.arange(b), k])
    return np.where(use0, zero, best), thr, idx


def _normalise(U, p):
    nrm = np.abs(U).sum(axis=1) if p == 1 else np.linalg.norm(U, axis=1)
    nrm = np.where(nrm > 0, nrm, 1.0)
    return U / nrm[:, None]


def _biases(P, bias, rng, n):
    """First-layer biases (b, A): 0 without bias; else −t_j at sampled rows j and
    −(t_i + t_k)/2 at sampled midpoints."""
    if not bias:
        return np.zeros((P.shape[0], 1))
    J = rng.choice(n, size=min(n, _ANCHORS), replace=False)
    I, K = rng.integers(0, n, size=(2, _MIDPOINTS))
    return np.concatenate([-P[:, J], -(P[:, I] + P[:, K]) / 2], axis=1)


def _thresholds(Q, r, depth, rng, full: bool):
    """Best thresholds for the first-layer outputs Q = |uᵀx + c_1| (b, n): (values (b,),
    thresholds (b, depth − 2)). Depth 4 tries c_2 ∈ {0, best depth-3 c_2, a few h_k}
    (every h_k when ``full``) and the best c_3 for each."""
    v, t2, _ = best_threshold(Q, r)
    if depth == 3:
        return v, t2[:, None]
    b, n = Q.shape
    cand = [np.zeros(b), t2]
    ks = range(n) if full else rng.choice(n, size=min(n, _C2_CHOICES), replace=False)
    cand += [Q[:, k] for k in ks]
    best_v = np.full(b, -1.0)
    best_t = np.zeros((b, 2))
    for c2 in cand:
        v3, t3, _ = best_threshold(np.abs(Q - c2[:, None]), r)
        better = v3 > best_v
        best_v = np.where(better, v3, best_v)
        best_t[better, 0] = c2[better]
        best_t[better, 1] = t3[better]
    return best_v, best_t


def _chain(P, c1, T):
    """Pre-activation signs and feature of chains: P (b, n) = Xu, c1 (b,), T (b, m)."""
    h = P + c1[:, None]
    signs = [np.sign(h)]
    h = np.abs(h)
    for l in range(T.shape[1]):
        h = h - T[:, l:l + 1]
        signs.append(np.sign(h))
        h = np.abs(h)
    return h, signs


def _ascent(X, r, U, c1, T, depth, bias, p, rng):
    """Ascent steps from the candidates (U, c1, T); returns the improved ones and values."""
    n = X.shape[0]
    best = (U.copy(), c1.copy(), T.copy())
    F, _ = _chain(U @ X.T, c1, T)
    best_v = np.abs(F @ r)
    for _ in range(_ITERS):
        F, signs = _chain(U @ X.T, c1, T)
        t = np.where(F @ r >= 0, 1.0, -1.0)
        s = np.prod(np.stack(signs), axis=0)            # dφ_i/d(uᵀx_i)
        G = (t[:, None] * s * r[None, :]) @ X
        U = _normalise(np.where(np.abs(G).sum(axis=1, keepdims=True) > 0, G, U), p)
        P = U @ X.T
        C1 = (np.concatenate([-P, -(P[:, :, None] + P[:, None, :]).reshape(len(U), -1)[
            :, rng.integers(0, n * n, size=min(n * n, 4 * n))] / 2], axis=1)
              if bias else np.zeros((len(U), 1)))
        A = C1.shape[1]
        Q = np.abs(P[:, None, :] + C1[:, :, None]).reshape(-1, n)
        v, Tn = _thresholds(Q, r, depth, rng, full=False)
        v, Tn = v.reshape(len(U), A), Tn.reshape(len(U), A, -1)
        a = np.argmax(v, axis=1)
        rows = np.arange(len(U))
        c1, T, v = C1[rows, a], Tn[rows, a], v[rows, a]
        better = v > best_v
        best_v = np.where(better, v, best_v)
        for arr, new in zip(best, (U, c1, T)):
            arr[better] = new[better]
    return best, best_v


def work_bytes(n: int, d: int, depth: int, bias: bool) -> int:
    """Peak float64 work per sampled direction (the per-block budget of :func:`sample_chains`)."""
    A = (_ANCHORS + _MIDPOINTS) if bias else 1
    return 8 * (A * n * 8 + 4 * d + 8 * n) * (2 if depth == 4 else 1)


def sample_chains(X, r, depth: int, bias: bool, p: int, *, samples: int = 2000,
                  seed: int = 0, max_bytes: int = 2 ** 28):
    """(u (d,), c_1, thresholds (depth − 2,), value) of the best chain found among
    ``samples`` sampled directions, refined (module doc); floats, ‖u‖_p = 1.

    >>> import numpy as np
    >>> X = np.array([[-1.0, 0.0], [0.0, 0.0], [1.0, 0.0]]); r = np.array([1.0, -2.0, 1.0])
    >>> u, c1, T, v = sample_chains(X, r, 3, False, 2, samples=20)
    >>> round(v, 9)                                    # ||x_1| − 1|: 0 + 2·1 + 0 → |−2|
    2.0
    """
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
        raise ValueError(f"samples: expected a positive int, got {samples!r}")
    X = np.asarray(X, dtype=np.float64)
    r = np.asarray(r, dtype=np.float64)
    n, d = X.shape
    rng = np.random.default_rng(seed)
    U = _normalise(rng.standard_normal((int(samples), d)), p)
    blk = int(max(1, min(4096, max_bytes // max(1, work_bytes(n, d, depth, bias)))))
    keep_U, keep_c1, keep_T, keep_v = [], [], [], []
    for s in range(0, len(U), blk):
        Ub = U[s:s + blk]
        P = Ub @ X.T
        C1 = _biases(P, bias, rng, n)
        A = C1.shape[1]
        Q = np.abs(P[:, None, :] + C1[:, :, None]).reshape(-1, n)
        v, T = _thresholds(Q, r, depth, rng, full=False)
        v, T = v.reshape(len(Ub), A), T.reshape(len(Ub), A, -1)
        a = np.argmax(v, axis=1)
        rows = np.arange(len(Ub))
        keep_U.append(Ub)
        keep_c1.append(C1[rows, a])
        keep_T.append(T[rows, a])
        keep_v.append(v[rows, a])
    U, c1, T, v = (np.concatenate(keep_U), np.concatenate(keep_c1),
                   np.concatenate(keep_T), np.concatenate(keep_v))
    top = np.argsort(-v, kind="stable")[:_TOP]
    (U2, c12, T2), v2 = _ascent(X, r, U[top], c1[top], T[top], depth, bias, p, rng)
    k = int(np.argmax(v2))
    return U2[k], float(c12[k]), T2[k], float(v2[k])
