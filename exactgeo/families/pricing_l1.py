"""Exact pricing by maximisation over a finite dictionary that is known to attain
the supremum: W1+ / B1+ for ℓ1 inner penalties in every dimension, and the ramps R
(or ±1 without bias) in d = 1 for both penalties (THEORY §2.4–2.5).

The candidates are never stored as a dictionary: the family's pre-activations Z
(integers for exact data) are correlated with r directly, so no zero/duplicate
filtering is needed and degenerate subsets are skipped.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from .base import Pricing, _common_denominator


def price_dictionary(fam, X, r, exact: bool) -> Pricing:
    """max over the family's finite candidates of |rᵀφ|, with the maximising atom.

    >>> from exactgeo.families import get_family
    >>> fam = get_family("relu", reg="l1", bias=True)
    >>> x = [[Fraction(v)] for v in (0, 4, 5, 7, 10, 11)]            # THEORY G3
    >>> lam = [Fraction(-1, 4), Fraction(9, 4), Fraction(-3), 1, 1, -1]
    >>> P = fam.price(x, [Fraction(v) for v in lam]); P.sup_exact, P.kind
    (Fraction(1, 1), 'exact')
    """
    B = fam._cached_build(X, exact)
    d = B.d
    Z = B.Z
    m = Z.shape[1]
    w = B.W[:, :d]
    ok = ~B.deg
    if exact:
        rn, R = _common_denominator(r)
        if fam.activation == "relu":
            pos = rn @ np.where(Z > 0, Z, 0) if m else np.zeros(0, dtype=object)
            tot = rn @ Z if m else np.zeros(0, dtype=object)
            # rᵀσ(−Z) = rᵀσ(Z) − rᵀZ
            corr = [pos, pos - tot]
        else:
            corr = [rn @ np.abs(Z) if m else np.zeros(0, dtype=object)]
        n1 = np.abs(w).sum(axis=1) if m else np.zeros(0, dtype=object)
        den = np.array([R * B.D * v for v in n1], dtype=object)
        vals_f = []
        for cv in corr:
            with np.errstate(all="ignore"):
                f = np.array([abs(float(Fraction(int(a), int(b)))) if b != 0 else 0.0
                              for a, b in zip(cv, den)])
            f[~ok] = -1.0
            vals_f.append(f)
    else:
        rf = np.asarray(r, dtype=np.float64)
        if fam.activation == "relu":
            corr = [rf @ np.maximum(Z, 0.0), rf @ np.maximum(-Z, 0.0)]
        else:
            corr = [rf @ np.abs(Z)]
        vals_f = []
        for cv in corr:
            f = np.abs(cv)
            f[~ok] = -1.0
            vals_f.append(f)
    signs = (1, -1)[:len(corr)]
    allf = np.stack(vals_f)              # (n_signs, m)
    if allf.size == 0 or allf.max() < 0:
        return Pricing(0.0, None, 1, "exact", 0, Fraction(0) if exact else None,
                       Fraction(0) if exact else None)
    top = allf.max()
    if not exact:
        si, t = np.unravel_index(int(np.argmax(allf)), allf.shape)
        val = corr[si][t]
        atom = fam._atom_from(B, int(t), signs[si])
        return Pricing(float(abs(val)), atom, 1 if val >= 0 else -1, "exact")
    best = None
    cand = np.argwhere(allf >= top * (1 - 1e-9) - 1e-300)
    for si, t in sorted(map(tuple, cand), key=lambda p: (p[1], p[0])):
        v = Fraction(int(corr[si][t]), int(den[t]))
        if best is None or abs(v) > abs(best[0]):
            best = (v, si, t)
    v, si, t = best
    atom = fam._atom_from(B, int(t), signs[si])
    s = abs(v)
    return Pricing(float(s), atom, 1 if v >= 0 else -1, "exact", 0, s, s * s)
