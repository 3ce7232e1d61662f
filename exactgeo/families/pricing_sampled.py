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

from ..numbers import exact_sqrt, sigma
from .base import Pricing
from .budget import PRICING_MAX_BYTES, PricingTooLarge, fmt_bytes

_ITERS = 30
_ROUNDS = 3
_BLOCK = 256


def work_units(fam, samples: int) -> int:
    """Direction evaluations of one :func:`price_sampled` call (the ``total`` passed to
    its ``progress``): M per pass, 2·_ROUNDS + 1 passes with biases (anchor choice and
    refinement), one without."""
    return int(samples) * (2 * _ROUNDS + 1 if fam.bias else 1)


class _Ticker:
    def __init__(self, progress, total):
        self.progress, self.total, self.done = progress, total, 0

    def __call__(self, k):
        self.done += k
        if self.progress is not None:
            self.progress(self.done, self.total, "directions")


def _blocks(n, d, M, bias, max_bytes):
    """(directions per anchor-choice block, anchors per block, directions per refinement
    block) so that the float64 work arrays stay within ``max_bytes``: anchor choice
    holds about four (n, anchors, directions) arrays, refinement about eight
    (directions, n) arrays. Refuses (PricingTooLarge) when one direction does not fit."""
    per_ref = 8 * (8 * n + 4 * d + 8)
    per_anchor = 32 * n                  # per (anchor, direction) pair
    if per_ref > max_bytes or (bias and per_anchor > max_bytes):
        need = max(per_ref, per_anchor if bias else 0)
        raise PricingTooLarge(
            f"sampled l2 pricing of n={n} samples needs about {fmt_bytes(need)} for a single "
            f"direction, more than the pricing budget max_bytes={fmt_bytes(max_bytes)}; "
            "refused before allocating (subsample the data)")
    b_ref = int(min(M, max(1, max_bytes // per_ref)))
    if not bias:
        return 0, 0, b_ref
    per_dir = per_anchor * n
    blk = max(1, min(_BLOCK, 2 ** 22 // (n * n), max_bytes // per_dir))
    jblk = n if per_dir <= max_bytes else max(1, max_bytes // per_anchor)
    return int(blk), int(jblk), b_ref


def _values(Xs, r, U, relu):
    """rᵀσ(Xs u) for every row u of U: Xs (n, d), U (M, d) → (M,)."""
    P = Xs @ U.T
    S = sigma("relu" if relu else "abs", P)
    return r @ S


def _best_anchor(X, r, U, relu, blk=None, jblk=None, tick=None):
    """For each direction u, max_j |rᵀσ(Xu − x_jᵀu)| → (values, anchors); ``blk``
    directions × ``jblk`` anchors per block (default: ≤ 32 MiB of work per block)."""
    M = U.shape[0]
    n = X.shape[0]
    if blk is None:
        blk = max(1, min(_BLOCK, 2 ** 22 // (n * n)))  # ≤ 32 MiB of work per block
    jblk = n if jblk is None else jblk
    vals = np.empty(M)
    arg = np.empty(M, dtype=np.int64)
    for s in range(0, M, blk):
        P = X @ U[s:s + blk].T                          # (n, b)
        if jblk >= n:
            Dif = P[:, None, :] - P[None, :, :]         # (n_i, n_j, b)
            S = sigma("relu" if relu else "abs", Dif)
            V = np.abs(np.einsum("i,ijb->jb", r, S))    # (n_j, b)
        else:
            V = np.empty((n, P.shape[1]))
            for j0 in range(0, n, jblk):
                Dif = P[:, None, :] - P[None, j0:j0 + jblk, :]
                S = sigma("relu" if relu else "abs", Dif)
                V[j0:j0 + jblk] = np.abs(np.einsum("i,ijb->jb", r, S))
        arg[s:s + blk] = np.argmax(V, axis=0)
        vals[s:s + blk] = V.max(axis=0)
        if tick is not None:
            tick(P.shape[1])
    return vals, arg


def _refine(X, r, U, anchors, relu, b_ref=None, tick=None):
    """Fixed-point iterations with fixed anchors; returns refined U and |values|.
    Directions are independent: refined ``b_ref`` at a time (memory O(b_ref·n))."""
    M = U.shape[0]
    if b_ref is not None and b_ref < M:
        outU, outv = np.empty_like(U), np.empty(M)
        for s in range(0, M, b_ref):
            outU[s:s + b_ref], outv[s:s + b_ref] = _refine(
                X, r, U[s:s + b_ref], None if anchors is None else anchors[s:s + b_ref], relu)
            if tick is not None:
                tick(min(b_ref, M - s))
        return outU, outv
    res = _refine_block(X, r, U, anchors, relu)
    if tick is not None:
        tick(M)
    return res


def _refine_block(X, r, U, anchors, relu):
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
        val = sigma("relu" if relu else "abs", P) @ r
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


def price_sampled(fam, X, r, exact: bool, *, samples: int = 2000, seed: int = 0,
                  max_bytes=None, progress=None) -> Pricing:
    """Sampled lower bound on S(r) (ℓ2, any d; used for d ≥ 3).

    Work arrays are blocked to stay within ``max_bytes`` (default 256 MiB; refusal
    before allocating if a single direction does not fit). ``progress(done, total,
    "directions")`` is called per block (total = :func:`work_units`).

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
    blk, jblk, b_ref = _blocks(n, d, int(samples), fam.bias,
                               PRICING_MAX_BYTES if max_bytes is None else int(max_bytes))
    tick = _Ticker(progress, work_units(fam, samples))
    rng = np.random.default_rng(seed)
    U = rng.standard_normal((int(samples), d))
    U /= np.linalg.norm(U, axis=1)[:, None]
    if fam.bias:
        anchors = None
        for _ in range(_ROUNDS):
            _, anchors = _best_anchor(Xf, rf, U, relu, blk, jblk, tick)
            U, vals = _refine(Xf, rf, U, anchors, relu, b_ref, tick)
        vals, anchors = _best_anchor(Xf, rf, U, relu, blk, jblk, tick)
    else:
        anchors = None
        U, vals = _refine(Xf, rf, U, None, relu, b_ref, tick)
    k = int(np.argmax(vals))
    u = U[k]
    j = None if anchors is None else int(anchors[k])
    c = 0.0 if j is None else -float(u @ Xf[j])
    z = Xf @ u + c
    phi = sigma(fam.activation, z)
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
