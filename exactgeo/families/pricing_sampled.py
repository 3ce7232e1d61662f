"""Sampled ℓ2 pricing for d ≥ 3 (THEORY §2.5): a *lower bound* on S(r).

M directions are drawn uniformly on the sphere (seeded). With biases every
direction is paired with its best anchor c = −x_jᵀu. Each candidate is refined
by the chamber-wise fixed point u ← g(u)/‖g(u)‖ with g = Σ_{x_iᵀu+c>0} r_i (x_i − x_j)
(relu; Σ sign(·) r_i (x_i − x_j) for abs), re-choosing the anchor between rounds.
The best value found is returned with kind "sampled" and samples = M. For exact r
the maximiser is rounded to a rational neuron and re-evaluated exactly, so
``sup_sq_exact`` is the exact value of a genuine neuron (a certified lower bound).
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from .base import Pricing, exact_sqrt

_ITERS = 30
_ROUNDS = 3
_BLOCK = 256


def _values(Xs, r, U, relu):
    """rᵀσ(Xs u) for every row u of U: Xs (n, d), U (M, d) → (M,)."""
    P = Xs @ U.T
    S = np.maximum(P, 0.0) if relu else np.abs(P)
    return r @ S


def _best_anchor(X, r, U, relu):
    """For each direction u, max_j |rᵀσ(Xu − x_jᵀu)| → (values, anchors)."""
    M = U.shape[0]
    n = X.shape[0]
    blk = max(1, min(_BLOCK, 2 ** 22 // (n * n)))      # ≤ 32 MiB of work per block
    vals = np.empty(M)
    arg = np.empty(M, dtype=np.int64)
    for s in range(0, M, blk):
        P = X @ U[s:s + blk].T                          # (n, b)
        Dif = P[:, None, :] - P[None, :, :]             # (n_i, n_j, b)
        S = np.maximum(Dif, 0.0) if relu else np.abs(Dif)
        V = np.abs(np.einsum("i,ijb->jb", r, S))        # (n_j, b)
        arg[s:s + blk] = np.argmax(V, axis=0)
        vals[s:s + blk] = V.max(axis=0)
    return vals, arg


def _refine(X, r, U, anchors, relu):
    """Fixed-point iterations with fixed anchors; returns refined U and |values|."""
    n, d = X.shape
    bestU = U.copy()
    Xs_all = None if anchors is None else X[anchors]     # (M, d) anchor points
    bestv = np.full(U.shape[0], -1.0)
    for _ in range(_ITERS):
        if anchors is None:
            P = U @ X.T                                  # (M, n)
        else:
            P = U @ X.T - np.einsum("md,md->m", U, Xs_all)[:, None]
        pat = (P > 0).astype(float) if relu else np.sign(P)
        val = (pat * P) @ r if relu else (np.abs(P)) @ r
        better = np.abs(val) > bestv
        bestv = np.where(better, np.abs(val), bestv)
        bestU[better] = U[better]
        t = np.where(val >= 0, 1.0, -1.0)
        W = pat * r[None, :] * t[:, None]                # (M, n)
        G = W @ X
        if anchors is not None:
            G = G - W.sum(axis=1)[:, None] * Xs_all
        nrm = np.linalg.norm(G, axis=1)
        ok = nrm > 0
        U = np.where(ok[:, None], G / np.where(ok, nrm, 1.0)[:, None], U)
    return bestU, bestv


def price_sampled(fam, X, r, exact: bool, *, samples: int = 2000, seed: int = 0) -> Pricing:
    """Sampled lower bound on S(r) (ℓ2, any d; used for d ≥ 3).

    >>> from exactgeo.families import get_family
    >>> fam = get_family("relu", reg="l2", bias=False)
    >>> X = np.eye(3); P = fam.price(X, [0.1, 0.1, 0.1], samples=50)
    >>> P.kind, P.samples, round(P.sup, 9)                   # true S = √3/10
    ('sampled', 50, 0.173205081)
    """
    if not isinstance(samples, (int, np.integer)) or isinstance(samples, bool) or samples < 1:
        raise ValueError(f"samples: expected a positive int, got {samples!r}")
    Xf = np.asarray(X, dtype=np.float64)
    rf = np.asarray(r, dtype=np.float64)
    n, d = Xf.shape
    relu = fam.activation == "relu"
    rng = np.random.default_rng(seed)
    U = rng.standard_normal((int(samples), d))
    U /= np.linalg.norm(U, axis=1)[:, None]
    if fam.bias:
        anchors = None
        for _ in range(_ROUNDS):
            _, anchors = _best_anchor(Xf, rf, U, relu)
            U, vals = _refine(Xf, rf, U, anchors, relu)
        vals, anchors = _best_anchor(Xf, rf, U, relu)
    else:
        anchors = None
        U, vals = _refine(Xf, rf, U, None, relu)
    k = int(np.argmax(vals))
    u = U[k]
    j = None if anchors is None else int(anchors[k])
    c = 0.0 if j is None else -float(u @ Xf[j])
    z = Xf @ u + c
    phi = np.maximum(z, 0.0) if relu else np.abs(z)
    v = float(rf @ phi)
    points = () if j is None else (j,)
    if not exact:
        from .base import Atom
        return Pricing(abs(v), Atom(u.copy(), c, None, points), 1 if v >= 0 else -1,
                       "sampled", int(samples))
    # exact re-check of a rational neuron near the maximiser
    uq = [Fraction(float(x)).limit_denominator(2 ** 40) for x in u]
    cq = Fraction(0) if j is None else -sum((a * b for a, b in zip(uq, X[j])), Fraction(0))
    atom = fam.atom_from_direction(uq, cq, points)
    col = fam.features(X, [atom])[:, 0]
    val = sum((a * b for a, b in zip(r, col)), Fraction(0))
    S2 = val * val / atom.norm_sq
    return Pricing(math.sqrt(float(S2)), atom, 1 if val >= 0 else -1, "sampled",
                   int(samples), exact_sqrt(S2), S2)
