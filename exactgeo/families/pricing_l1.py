"""Exact pricing by maximisation over a finite dictionary that is known to attain
the supremum: W1+ / B1+ for ℓ1 inner penalties in every dimension, and the ramps R
(or ±1 without bias) in d = 1 for both penalties (THEORY §2.4–2.5).

The candidates are never stored as a dictionary: the pool subsets are processed in
chunks (so any n, d fits in memory), degenerate subsets are skipped, and
zero/duplicate filtering is unnecessary. Exact arithmetic uses
rᵀσ(Xw + b) = (Σ_{i active} r_i x̃_i)ᵀ(w, b): the activity pattern comes from the
exact integer pre-activations, and the pattern sums are int64 matrix products on
40-bit limbs of the integer-scaled r_i x̃_i (exact: a 0/±1 pattern times limbs
< 2^40 summed over n < 2^22 rows stays below 2^62).
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..numbers import integer_scale
from .base import Pricing
from .budget import (PRICING_MAX_BYTES, PRICING_MAX_CANDIDATES, PricingTooLarge, fmt_bytes,
                     pricing_chunk, pricing_subset_bytes)

_CHUNK_ENTRIES = 2 ** 22      # cap on n × (subsets per chunk), exact; 16× that for floats
_LIMB = 40


def plan(fam, n: int, d: int, exact: bool, *, max_bytes=None, max_candidates=None) -> dict:
    """Chunking of the enumeration pricing for n samples in d dimensions, decided
    before anything is allocated: ``{"candidates", "unit", "chunk", "block_bytes",
    "single_pass"}``. Raises :class:`PricingTooLarge` (a MemoryError) with the sizes
    when one subset alone exceeds ``max_bytes`` (default 256 MiB) or the number of
    pool subsets exceeds ``max_candidates`` (default 10⁹ per pricing call).

    >>> from exactgeo.families import get_family
    >>> fam = get_family("relu", reg="l1", bias=True)
    >>> plan(fam, 40, 2, False)["candidates"]
    860
    >>> try:
    ...     plan(fam, 40, 50, False)
    ... except MemoryError as exc:
    ...     msg = str(exc)
    >>> msg[msg.index("needs"):msg.index(" subsets")]
    'needs C(90, 50) = 5.99e+25'
    >>> "more than max_candidates=1e+09" in msg
    True
    """
    max_bytes = PRICING_MAX_BYTES if max_bytes is None else int(max_bytes)
    max_candidates = PRICING_MAX_CANDIDATES if max_candidates is None else int(max_candidates)
    total = fam.n_candidates(n, d)
    k = fam.subset_size(d)
    n_ax = fam.pool_axes(d)
    dim = d + 1 if fam.bias else d
    per = pricing_subset_bytes(n, k, dim, exact)
    what = (f"the {fam.reg} pricing oracle (exact, by enumerating the {fam.dictionary_name} "
            f"pool) for n={n} samples in d={d} needs C({n + n_ax}, {k}) = {total:.3g} subsets "
            f"of {k} pool vectors per call")
    alt = ("Refused before allocating. Alternatives: the l2 family (reg='l2', CLI --reg l2) "
           "prices d >= 3 by sampling (a lower bound, never a certificate), or reduce the "
           "number of samples/features.")
    step = pricing_chunk(n, k, dim, exact=exact, max_bytes=max_bytes, n_pool=n + n_ax,
                         cap_entries=(1 if exact else 16) * _CHUNK_ENTRIES)
    if step < 1:
        raise PricingTooLarge(
            f"{what}; one subset alone needs about {fmt_bytes(per)} of working memory "
            f"(pool rows, cross product, hyperplane), more than the pricing budget "
            f"max_bytes={fmt_bytes(max_bytes)}. {alt}")
    if total > max_candidates:
        raise PricingTooLarge(
            f"{what}, more than max_candidates={max_candidates:.3g}: {-(-total // step):.3g} "
            f"blocks of {step} subsets (about {fmt_bytes(per * step)} each). {alt}")
    single = exact and total * n <= 4 * _CHUNK_ENTRIES and total * per <= max_bytes
    return {"candidates": int(total), "unit": "candidates", "chunk": int(step),
            "block_bytes": int(per * min(step, max(total, 1))), "single_pass": bool(single)}


def _limbs(M):
    """Object int array → list of signed int64 arrays with M = Σ_l L_l·2^(40 l)."""
    flat = [int(v) for v in M.flat]
    big = max((abs(v) for v in flat), default=0)
    nl = max(1, -(-big.bit_length() // _LIMB))
    mask = (1 << _LIMB) - 1
    out = []
    for l in range(nl):
        sh = _LIMB * l
        out.append(np.array([(abs(v) >> sh & mask) * (1 if v >= 0 else -1) for v in flat],
                            dtype=np.int64).reshape(M.shape))
    return out


def _pattern_sums(Pat, limbs):
    """Exact Patᵀ @ M for an (n, m) int8 pattern in {−1, 0, 1} and M given by limbs."""
    PT = Pat.T.astype(np.int64)
    G = None
    for l, L in enumerate(limbs):
        part = (PT @ L).astype(object)
        if l:
            part = part * (1 << (_LIMB * l))
        G = part if G is None else G + part
    return G


def _settle(fam, best):
    if best is not None and best[2] is not None:
        best[5] = fam.atom_from_candidate(best[2], best[3], best[4])
        best[2] = None


def price_dictionary(fam, X, r, exact: bool, *, max_bytes=None, max_candidates=None,
                     progress=None) -> Pricing:
    """max over the family's finite candidates of |rᵀφ|, with the maximising atom.

    The pool subsets are enumerated in blocks sized by :func:`plan` (peak memory within
    ``max_bytes``; refusal with the sizes before allocating when impossible).
    ``progress(done, total, unit)`` is called after every block (it may raise to
    abandon the call, e.g. on a time limit).

    >>> from exactgeo.families import get_family
    >>> fam = get_family("relu", reg="l1", bias=True)
    >>> x = [[Fraction(v)] for v in (0, 4, 5, 7, 10, 11)]            # THEORY G3
    >>> lam = [Fraction(-1, 4), Fraction(9, 4), Fraction(-3), 1, 1, -1]
    >>> P = fam.price(x, [Fraction(v) for v in lam]); P.sup_exact, P.kind
    (Fraction(1, 1), 'exact')
    """
    n, d = X.shape
    pl = plan(fam, n, d, exact, max_bytes=max_bytes, max_candidates=max_candidates)
    total = pl["candidates"]
    if pl["single_pass"]:
        chunks = [fam.candidates(X, exact)]
    else:
        chunks = fam.candidate_blocks(X, exact, pl["chunk"], need_Z=exact,
                                      suffix_bytes=(max_bytes or PRICING_MAX_BYTES) // 8)
    done = 0
    if exact:
        rn, R = integer_scale(r)
        limbs = None
    else:
        rf = np.asarray(r, dtype=np.float64)
    best = None          # [|value| (Fraction or float), value, build, t, sign, atom]
    chunks = iter(chunks)
    while True:
        _settle(fam, best)             # keep the best atom, not its whole block
        B = None                       # release the previous block before the next
        B = next(chunks, None)
        if B is None:
            break
        m = B.W.shape[0]
        if progress is not None and done:
            progress(done, total, "candidates")
        done += m
        if m == 0:
            continue
        ok = ~B.deg
        if exact:
            if limbs is None:
                Xt = B.prep.pool[:n]
                limbs = _limbs(rn[:, None] * Xt)
            Z = B.Z
            W = B.W
            Gp = _pattern_sums((Z > 0).astype(np.int8), limbs)
            Gn = _pattern_sums((Z < 0).astype(np.int8), limbs)
            cp = (Gp * W).sum(axis=1)          # rnᵀσ(Z)·(scale)
            cn = -(Gn * W).sum(axis=1)         # rnᵀσ(−Z)
            corr = [cp, cn] if fam.activation == "relu" else [cp + cn]
            w = W[:, :d]
            den = np.array([R * B.D * v for v in np.abs(w).sum(axis=1)], dtype=object)
            vals = []
            for cv in corr:
                f = np.array([abs(int(a)) / int(b) if ok[k] else -1.0
                              for k, (a, b) in enumerate(zip(cv, den))])
                vals.append(f)
        else:
            from ._kernels import signed_correlations
            cp, cn = signed_correlations(np.ascontiguousarray(B.prep.pool[:n]),
                                         np.ascontiguousarray(B.W), rf)
            corr = [cp, cn] if fam.activation == "relu" else [cp + cn]
            vals = []
            for cv in corr:
                f = np.abs(cv)
                f[~ok] = -1.0
                vals.append(f)
        allf = np.stack(vals)
        top = allf.max()
        if top < 0:
            continue
        signs = (1, -1)
        if not exact:
            si, t = np.unravel_index(int(np.argmax(allf)), allf.shape)
            if best is None or top > best[0]:
                best = [top, float(corr[si][t]), B, int(t), signs[si], None]
            continue
        cand = np.argwhere(allf >= top * (1 - 1e-9))
        for si, t in sorted(map(tuple, cand), key=lambda p: (p[1], p[0])):
            v = Fraction(int(corr[si][t]), int(den[t]))
            if best is None or abs(v) > best[0]:
                best = [abs(v), v, B, int(t), signs[si], None]
    if progress is not None:
        progress(done, total, "candidates")
    if best is None:
        return Pricing(0.0, None, 1, "exact", 0, Fraction(0) if exact else None,
                       Fraction(0) if exact else None)
    _settle(fam, best)
    s, v, _, _, _, atom = best
    if exact:
        return Pricing(float(s), atom, 1 if v >= 0 else -1, "exact", 0, s, s * s)
    return Pricing(float(s), atom, 1 if v >= 0 else -1, "exact")
