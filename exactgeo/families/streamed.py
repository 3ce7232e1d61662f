"""Streamed candidate neurons: the pool subsets of a finite dictionary enumerated by rank
in bounded blocks, their correlations rᵀσ(z) in numba, and the *rigorous* exact pricing
that confirms over ℚ only the few candidates a float pass cannot decide.

Ranks. The candidates of a finite two-layer dictionary are the k-subsets of the pool
(n samples, then the axes) that contain a sample, in lexicographic order. Those are
exactly the first :func:`~exactgeo.families.subsets.n_combos` k-subsets of the whole
pool in lexicographic order (a subset with no sample starts at an axis, so it comes
last); subset ``t`` is :func:`unrank` (N, k, t), and :func:`rank_blocks` yields
consecutive ranks [start, stop) as (m, k) blocks without a table.

Rigorous pricing (:func:`price_rigorous`, THEORY §2.4–2.5 for the oracle, §5 for the
rigour). Exact data X = X̃/D (X̃ integer) and an exact residual r. Every candidate's
hyperplane w = ×(pool rows) is an *integer* vector (:func:`exactgeo.ga.cross_int`), its
pre-activations z_i = p̃_iᵀw integers, and the unit ℓ1 neuron's correlation is

    rᵀσ(Xu + c) = Σ_i r_i σ(z_i) / (D·‖w_{1:d}‖₁).

When every |z_i| and D‖w‖₁ stays below 2^53 (checked before anything is computed, from
a Hadamard bound) the pre-activations are exact in float64, and the only rounding is in
r_f = fl(r) (|r_f − r| ≤ u|r|, correctly rounded) and in the sequential sums. With
s = fl(Σ_i r_f,i σ(z_i)) and a = fl(Σ_i |r_f,i|·|z_i|) (the same loop):

    |s − Σ_i r_i σ(z_i)| ≤ E := (γ_n + 3u) · a / (1 − γ_n),   γ_n = n u / (1 − n u),

since the recursive sum of n products errs by at most γ_n Σ|r_f,i σ(z_i)| (Higham,
Accuracy and Stability, §3.1), Σ|r_f,i σ(z_i)| ≤ Σ|r_f,i||z_i| ≤ a/(1 − γ_n), the rounding
of r adds u Σ|r_i σ(z_i)| ≤ u/(1 − u) · (the same), and abs (σ = |·|: s = s₊ + s₋) one
more rounding u|s|. The bound is evaluated with a further factor (1 + 2⁻²⁰) that
absorbs the rounding of its own evaluation. A candidate's value then lies in
[(|s| − E)/t, (|s| + E)/t] with t = D‖w‖₁ (an exact float), widened by 4u for the division.
The exact supremum is the largest *exact* value among the candidates whose upper bound
reaches the largest lower bound — at an optimum, the active columns (value β) and their
near-ties; every other candidate is provably below it.
"""
from __future__ import annotations

from fractions import Fraction
from math import comb, isqrt

import numba as nb
import numpy as np

from .base import Pricing
from .budget import PricingTooLarge, fmt_bytes, pricing_subset_bytes

__all__ = ["unrank", "unrank_many", "rank", "rank_blocks", "block_plan", "streamed_correlations",
           "bounded_correlations", "feature_sums", "feature_columns", "price_rigorous", "U", "error_bound"]

U = 2.0 ** -53                #: unit roundoff of float64
_TILE = 64                    # candidates per parallel task
_SAFE = 2.0 ** 53             # integers below this are exact in float64
_KEEP_CAP = 200_000           # near-maximal candidates held for the exact confirmation


# ----------------------------------------------------------------------- ranks

def unrank(N: int, k: int, t: int) -> list:
    """The t-th k-subset of range(N) in lexicographic order (0-based).

    >>> [unrank(4, 2, t) for t in range(6)]
    [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]
    """
    out, x = [], 0
    for i in range(k, 0, -1):
        while True:
            c = comb(N - x - 1, i - 1)
            if t < c:
                break
            t -= c
            x += 1
        out.append(x)
        x += 1
    return out


def unrank_many(N: int, k: int, ranks) -> np.ndarray:
    """:func:`unrank` of every rank in ``ranks``, as an int64 (m, k) array (numba when
    comb(N, k) fits int64, else the exact Python walk).

    >>> unrank_many(4, 2, [5, 0, 3]).tolist()
    [[2, 3], [0, 1], [1, 2]]
    """
    ranks = np.asarray(ranks, dtype=np.int64).reshape(-1)
    if comb(N, k) >= 2 ** 62:
        return np.array([unrank(N, k, int(t)) for t in ranks],
                        dtype=np.int64).reshape(len(ranks), k)
    table = np.array([[comb(a, b) for b in range(k + 1)] for a in range(N + 1)],
                     dtype=np.int64).reshape(N + 1, k + 1)
    out = np.empty((ranks.size, k), dtype=np.int64)
    _unrank_many(N, k, ranks, table, out)
    return out


def rank(N: int, k: int, subset) -> int:
    """The lexicographic rank of the sorted k-subset ``subset`` of range(N) (inverse of
    :func:`unrank`).

    >>> [rank(4, 2, unrank(4, 2, t)) for t in range(6)]
    [0, 1, 2, 3, 4, 5]
    """
    t, x = 0, 0
    for pos, v in enumerate(subset):
        i = k - pos
        t += comb(N - x, i) - comb(N - int(v), i)    # Σ_{x ≤ y < v} C(N − y − 1, i − 1)
        x = int(v) + 1
    return t


@nb.njit(cache=True)
def _unrank_many(N, k, ranks, table, out):
    for j in range(ranks.shape[0]):
        t = ranks[j]
        x = 0
        for i in range(k, 0, -1):
            while True:
                c = table[N - x - 1, i - 1]
                if t < c:
                    break
                t -= c
                x += 1
            out[j, k - i] = x
            x += 1


@nb.njit(cache=True)
def _fill_combos(first, count, N, out):
    """out[j] = the j-th lexicographic successor of ``first`` (k-subsets of range(N))."""
    k = first.shape[0]
    cur = first.copy()
    for j in range(count):
        for c in range(k):
            out[j, c] = cur[c]
        i = k - 1
        while i >= 0 and cur[i] == N - k + i:
            i -= 1
        if i < 0:
            break
        cur[i] += 1
        for c in range(i + 1, k):
            cur[c] = cur[c - 1] + 1


def rank_blocks(N: int, k: int, start: int, stop: int, step: int):
    """The k-subsets of range(N) of ranks [start, stop), lexicographic, as (rank of the
    first row, (m ≤ step, k) int64 block) pairs; memory O(step·k).

    >>> [(s, b.tolist()) for s, b in rank_blocks(4, 2, 1, 5, 3)]
    [(1, [[0, 2], [0, 3], [1, 2]]), (4, [[1, 3]])]
    """
    step = max(1, int(step))
    for s in range(int(start), int(stop), step):
        m = min(step, int(stop) - s)
        out = np.empty((m, k), dtype=np.int64)
        if k:
            _fill_combos(np.array(unrank(N, k, s), dtype=np.int64), m, N, out)
        yield s, out


def block_plan(n: int, k: int, dim: int, max_bytes: int, what: str) -> int:
    """Subsets per streamed block so that one block's float work (pool subsets, cross
    products, hyperplanes, correlations: :func:`~exactgeo.families.budget.pricing_subset_bytes`
    plus 40 bytes of per-candidate results) and the pool (n·dim) fit ``max_bytes``.
    Refuses (:class:`PricingTooLarge`, a MemoryError) with the minimum when not one fits.

    >>> block_plan(100, 2, 3, 2 ** 20, "demo") > 1000
    True
    """
    per = pricing_subset_bytes(n, k, dim, False) + 40
    fixed = 16 * n * dim + 8 * n + 4096
    if max_bytes < fixed + per:
        raise PricingTooLarge(
            f"max_bytes={fmt_bytes(max_bytes)} is too small for one streamed block of {what}: "
            f"at least {fixed + per} bytes ({fmt_bytes(fixed + per)}) are needed (the pool of "
            f"{n} samples and one candidate); give a larger max_bytes")
    return int((max_bytes - fixed) // per)


# ----------------------------------------------------------------------- kernels

@nb.njit(cache=True, parallel=True, fastmath={"reassoc"})
def streamed_correlations(P, W, r, norms=True):
    """Float correlations of the candidate hyperplanes W (m, dim) with r (n,) over the
    pool rows P (n, dim): cp[k] = Σ_i r_i max(z_ik, 0), cn[k] = Σ_i r_i max(−z_ik, 0)
    (= cp[k] − Σ_i r_i z_ik), z_ik = P[i]·W[k], with a pre-activation zeroed when
    |z_ik| ≤ 1e−13 ‖P_i‖_∞‖W_k‖₁ (a bound on its own rounding scale, as in the family's
    float dictionary); with ``norms`` also the squared norms qp[k] = Σ_i max(z_ik, 0)²,
    qn[k] = Σ_i max(−z_ik, 0)² (ranking by distance to the dual boundary), else zeros.
    One fused pass per candidate, no temporaries beyond z (parallel over tiles of
    candidates; the sums may be reassociated for SIMD, so they are float evidence with
    errors ~ n·u·Σ|r_i z_ik|, never rigorous): values do not depend on the thread count."""
    m = W.shape[0]
    n, dim = P.shape
    PT = np.ascontiguousarray(P.T)
    pmax = np.zeros(n)
    for c in range(dim):
        for i in range(n):
            pmax[i] = max(pmax[i], abs(PT[c, i]))
    cp = np.zeros(m)
    cn = np.zeros(m)
    qp = np.zeros(m)
    qn = np.zeros(m)
    ntiles = (m + _TILE - 1) // _TILE
    for b in nb.prange(ntiles):
        z = np.empty(n)
        for k in range(b * _TILE, min(m, (b + 1) * _TILE)):
            w = W[k, 0]
            wl = abs(w)
            for i in range(n):
                z[i] = PT[0, i] * w
            for c in range(1, dim):
                w = W[k, c]
                wl += abs(w)
                for i in range(n):
                    z[i] += PT[c, i] * w
            tiny = 1e-13 * wl
            sp = 0.0
            sz = 0.0
            for i in range(n):
                zi = z[i]
                zi = 0.0 if abs(zi) <= tiny * pmax[i] else zi
                z[i] = zi
                sp += r[i] * max(zi, 0.0)
                sz += r[i] * zi
            cp[k] = sp
            cn[k] = sp - sz
            if norms:
                ap = 0.0
                an = 0.0
                for i in range(n):
                    zp = max(z[i], 0.0)
                    zn = zp - z[i]
                    ap += zp * zp
                    an += zn * zn
                qp[k] = ap
                qn[k] = an
    return cp, cn, qp, qn


@nb.njit(cache=True, parallel=True)
def bounded_correlations(P, W, r):
    """Like :func:`streamed_correlations` for *integer-valued* P and W whose products stay
    below 2^53 (so z is exact), plus ab[k] = Σ_i |r_i|·|z_ik| for the rounding bound of
    the two sums (see the module docstring). Returns cp, cn, ab, each (m,)."""
    m = W.shape[0]
    n, dim = P.shape
    PT = np.ascontiguousarray(P.T)
    cp = np.zeros(m)
    cn = np.zeros(m)
    ab = np.zeros(m)
    ntiles = (m + _TILE - 1) // _TILE
    for b in nb.prange(ntiles):
        z = np.empty(n)
        for k in range(b * _TILE, min(m, (b + 1) * _TILE)):
            for i in range(n):
                z[i] = PT[0, i] * W[k, 0]
            for c in range(1, dim):
                w = W[k, c]
                for i in range(n):
                    z[i] += PT[c, i] * w
            sp = 0.0
            sn = 0.0
            sa = 0.0
            for i in range(n):
                zi = z[i]
                zp = max(zi, 0.0)
                sp += r[i] * zp
                sn += r[i] * (zp - zi)
                sa += abs(r[i]) * abs(zi)
            cp[k] = sp
            cn[k] = sn
            ab[k] = sa
    return cp, cn, ab


@nb.njit(cache=True, parallel=True)
def feature_sums(P, W):
    """The plain streaming pass (a throughput floor): Σ_i max(z_ik, 0) per candidate,
    same data movement as :func:`streamed_correlations` without r."""
    m = W.shape[0]
    n, dim = P.shape
    PT = np.ascontiguousarray(P.T)
    out = np.zeros(m)
    ntiles = (m + _TILE - 1) // _TILE
    for b in nb.prange(ntiles):
        z = np.empty(n)
        for k in range(b * _TILE, min(m, (b + 1) * _TILE)):
            for i in range(n):
                z[i] = PT[0, i] * W[k, 0]
            for c in range(1, dim):
                w = W[k, c]
                for i in range(n):
                    z[i] += PT[c, i] * w
            s = 0.0
            for i in range(n):
                s += max(z[i], 0.0)
            out[k] = s
    return out


@nb.njit(cache=True, parallel=True)
def feature_columns(P, W, C, sg, deg, relu):
    """Float columns σ(s_k·z_k) (n, m), Fortran order, in one pass: z_ik = Σ_c P_ic W_kc,
    cleaned as the family's float dictionary cleans them — 0 at the spanning samples C_k
    (pool rows < n) and where |z_ik| ≤ 1e-13 Σ_c |P_ic W_kc| — and 0 for degenerate
    candidates (``deg``); ``sg`` ±1 per column, σ = relu if ``relu`` else |·|."""
    m = W.shape[0]
    n, dim = P.shape
    k = C.shape[1]
    out = np.zeros((m, n))
    for j in nb.prange(m):
        if deg[j]:
            continue
        for i in range(n):
            z = 0.0
            a = 0.0
            for c in range(dim):
                t = P[i, c] * W[j, c]
                z += t
                a += abs(t)
            if abs(z) <= 1e-13 * a:
                continue
            z *= sg[j]
            out[j, i] = max(z, 0.0) if relu else abs(z)
        for t in range(k):
            if C[j, t] < n:
                out[j, C[j, t]] = 0.0
    return out.T


def error_bound(ab, n: int) -> np.ndarray:
    """E ≥ |s − Σ r_i σ(z_i)| from a = fl(Σ|r_f,i||z_i|) (module docstring), float64.

    >>> bool(error_bound(np.array([1.0]), 10)[0] < 1.6e-15)
    True
    """
    g = n * U / (1 - n * U)
    return (g + 3 * U) * np.asarray(ab, dtype=float) / (1 - g) * (1 + 2.0 ** -20)


# ----------------------------------------------------------------------- rigorous pricing

def price_rigorous(fam, X, r, *, max_bytes=None, max_candidates=None, progress=None):
    """Exact ℓ1 pricing max_k |rᵀφ_k| over the family's finite candidates (W1+ / B1+;
    the exact oracle of THEORY §2.4) by a float pass with a rigorous error bound per
    candidate and exact confirmation of the undecided ones (module docstring).

    ``X`` (n, d) and ``r`` (n,) exact (Fractions). Returns a :class:`Pricing` (kind
    "exact", ``sup_exact``, the maximising atom), or None when the integers leave the
    exact float range (then the caller prices over ℚ). ``progress(done, total, unit)``
    after every block.

    >>> from exactgeo.families import get_family
    >>> fam = get_family("relu", reg="l1", bias=True)
    >>> x = [[Fraction(v)] for v in (0, 4, 5, 7, 10, 11)]            # THEORY G3
    >>> lam = [Fraction(v) for v in (Fraction(-1, 4), Fraction(9, 4), -3, 1, 1, -1)]
    >>> P = price_rigorous(fam, np.array(x, dtype=object), np.array(lam, dtype=object))
    >>> P.sup_exact, P.kind
    (Fraction(1, 1), 'exact')
    """
    from ..ga import cross_int
    from ..numbers import integer_scale
    if fam.reg != "l1":
        return None
    from .pricing_l1 import plan
    n, d = X.shape
    plan(fam, n, d, False, max_bytes=max_bytes, max_candidates=max_candidates)  # refusals
    k = fam.subset_size(d)
    pool, D = fam.integer_pool(X)
    N, dim = pool.shape
    ints = [abs(int(v)) for v in pool.flat]
    bx = max(ints, default=0)
    row2 = max((sum(int(v) * int(v) for v in row) for row in pool), default=0)
    # Hadamard: |w_j| ≤ Π‖v_i‖₂, so ‖w‖₁ ≤ dim·max‖v‖₂^k; |z| ≤ ‖p‖∞·‖w‖₁
    hb = dim * (isqrt(row2) + 1) ** k
    if hb * max(bx, D, 1) * dim >= _SAFE or hb * D >= _SAFE:
        return None
    P = np.array(pool[:n], dtype=np.float64)
    pool64 = np.array(pool, dtype=np.int64)
    total = fam.n_candidates(n, d)
    step = block_plan(n, k, dim, max_bytes or 2 ** 28, "the rigorous pricing")
    step = min(step, max(1, 2 ** 24 // max(n, 1)))
    rn, R = integer_scale(np.asarray(r, dtype=object))
    rf = np.array([float(Fraction(v)) for v in r], dtype=np.float64)
    relu = fam.activation == "relu"
    kept_r, kept_s, kept_u = [], [], []     # rank, sign, upper bound
    lmax = -np.inf
    held = 0
    done = 0
    for s0, C in rank_blocks(N, k, 0, total, step):
        if 1 <= k <= 3:        # exact in int64: every minor's term is ≤ bx^k ≤ hb < 2⁵³
            from ._kernels import integer_hyperplanes
            W = integer_hyperplanes(pool64, C)
        else:
            W = cross_int(pool64[C]) if k else np.ones((len(C), 1), dtype=np.int64)
        if W.dtype == object:
            return None
        t = (D * np.abs(W[:, :d]).sum(axis=1)).astype(np.float64)
        cp, cn, ab = bounded_correlations(P, W.astype(np.float64), rf)
        E = error_bound(ab, n)
        ok = t > 0
        t = np.where(ok, t, 1.0)
        vals = [(cp, 1), (cn, -1)] if relu else [(cp + cn, 1)]
        for v, sg in vals:
            a = np.abs(v)
            up = np.where(ok, (a + E) / t * (1 + 4 * U), -np.inf)
            lo = np.where(ok, (a - E) / t * (1 - 4 * U), -np.inf)
            lmax = max(lmax, float(lo.max(initial=-np.inf)))
            sel = np.flatnonzero(up >= lmax)
            if sel.size:
                kept_r.append(s0 + sel)
                kept_s.append(np.full(sel.size, sg, dtype=np.int8))
                kept_u.append(up[sel])
                held += sel.size
        if held > _KEEP_CAP:      # prune to those still reaching the best lower bound
            kr, ks, ku = (np.concatenate(v) for v in (kept_r, kept_s, kept_u))
            m = ku >= lmax
            kept_r, kept_s, kept_u = [kr[m]], [ks[m]], [ku[m]]
            held = int(m.sum())
            if held > _KEEP_CAP:
                return None       # no separation (r ≈ 0?): price over ℚ
        done += len(C)
        if progress is not None:
            progress(done, total, "candidates")
    if not kept_r:
        return Pricing(0.0, None, 1, "exact", 0, Fraction(0), Fraction(0))
    kr, ks, ku = (np.concatenate(v) for v in (kept_r, kept_s, kept_u))
    m = ku >= lmax
    kr, ks = kr[m], ks[m]
    best = None
    rn_o = np.array([int(v) for v in rn], dtype=object)
    for rank in np.unique(kr):
        C = np.array([unrank(N, k, int(rank))], dtype=np.int64)
        w = [int(v) for v in (cross_int(pool64[C])[0] if k else [1])]
        l1 = sum(abs(v) for v in w[:d])
        if l1 == 0:
            continue
        z = pool64[:n] @ np.array(w, dtype=np.int64)    # exact: |z| ≤ hb·bx·dim < 2⁵³
        sp = int(np.dot(rn_o[z > 0], z[z > 0].astype(object)))
        sn = -int(np.dot(rn_o[z < 0], z[z < 0].astype(object)))
        den = R * D * l1
        cands = [(Fraction(sp, den), 1), (Fraction(sn, den), -1)] if relu \
            else [(Fraction(sp + sn, den), 1)]
        for v, sg in cands:
            if sg not in ks[kr == rank]:
                continue
            if best is None or abs(v) > best[0]:
                best = (abs(v), v, int(rank), sg, w)
    if best is None:
        return Pricing(0.0, None, 1, "exact", 0, Fraction(0), Fraction(0))
    sup, v, rank, sg, w = best
    from .twolayer import CandidateBlock
    C = np.array([unrank(N, k, rank)], dtype=np.int64)
    B = CandidateBlock(C=C, W=np.array([w], dtype=object), n=n, d=d, exact=True)
    atom = fam.atom_from_candidate(B, 0, sg)
    return Pricing(float(sup), atom, 1 if v >= 0 else -1, "exact", 0, sup, sup * sup)
