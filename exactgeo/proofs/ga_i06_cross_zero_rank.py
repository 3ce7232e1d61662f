"""THEORY §1 I6: ×(V) = 0 ⇔ rank V < d − 1."""
from __future__ import annotations

NAME = "ga-i6-cross-zero-rank"
DESCRIPTION = ("THEORY §1 I6: ×(V) = 0 iff rank V < d-1 (components are the maximal minors "
               "up to sign); symbolic d = 2..4 + exact, degenerate included")


def prove() -> int:
    import sympy as sp
    from ._ga import DIMS, Cases, cross_formula, det, instances, lib_cross, sym_matrix

    c = Cases()
    for d in DIMS:
        V = sym_matrix("v", d - 1, d)
        X = cross_formula(V)
        # (⇐) a generic rank-deficient V: last row a combination of the others
        a = sp.symbols(f"a1:{d}", real=True)
        D = V.copy()
        D[d - 2, :] = sp.zeros(1, d) if d == 2 else \
            sum((a[i] * V[i, :] for i in range(d - 2)), sp.zeros(1, d))
        c.zero(cross_formula(D), f"d={d}: ×(V) != 0 for rank-deficient V")
        # (⇒) each component is ± a maximal minor, so ×(V) = 0 forces all of them to vanish
        for k in range(d):
            cols = [j for j in range(d) if j != k]
            m = det(V.extract(list(range(d - 1)), cols))
            c.check(sp.expand(X[k] - m) == 0 or sp.expand(X[k] + m) == 0,
                    f"d={d}: ×(V)_{k + 1} is not ± the minor without column {k + 1}")

    from exactgeo.numbers import exact_rank
    import numpy as np
    for d in DIMS + (5,):
        seen = set()
        for V in instances(600 + d, d - 1, d, 48):
            zero = all(x == 0 for x in lib_cross(V))
            low = exact_rank(np.array(V, dtype=object)) < d - 1
            seen.add(low)
            c.check(zero == low, lambda: f"d={d}: exactgeo.cross(V) == 0 is {zero} but "
                                         f"rank V < d-1 is {low}, V={V}")
        c.check(seen == {True, False}, f"d={d}: instances did not cover both ranks")
    return c.n
