"""THEORY §1 I7: |⟨×(V), x⟩|/‖×(V)‖ = dist(x, span V); signed: vol_d(V, x)/vol_{d−1}(V)."""
from __future__ import annotations

NAME = "ga-i7-distance"
DESCRIPTION = ("THEORY §1 I7: <×(V), x>^2 = |×(V)|^2 dist(x, span V)^2 (orthogonal "
               "projection) and <×(V), x> = vol_d(V, x); symbolic d = 2..4 + exact")


def prove() -> int:
    import numpy as np
    import sympy as sp
    from fractions import Fraction
    from exactgeo.numbers import exact_inv, exact_rank
    from ._ga import DIMS, Cases, cross_formula, det, dot, fdet, fdot, fgram, instances, \
        lib_cross, sym_matrix, sym_vector

    c = Cases()
    for d in DIMS:
        V, x = sym_matrix("v", d - 1, d), sym_vector("x", d)
        X = cross_formula(V)
        G = det(V * V.T)
        # dist^2 = x^T x - x^T V^T (VV^T)^(-1) V x; times G = det(VV^T) = |×(V)|^2 (I3):
        proj = (x.T * V.T * (V * V.T).adjugate(method="berkowitz") * V * x)[0, 0]
        c.zero(dot(X, x) ** 2 - (G * dot(x, x) - proj),
               f"d={d}: <×(V), x>^2 != |×(V)|^2 dist(x, span V)^2")
        c.zero(dot(X, X) - G, f"d={d}: |×(V)|^2 != vol_(d-1)(V)^2 = det(VV^T)")
        c.zero(dot(X, x) - det(V.col_join(x.T)), f"d={d}: <×(V), x> != vol_d(V, x)")

    for d in DIMS + (5,):
        xs = instances(720 + d, 1, d, 40)
        full = 0
        for V, (x,) in zip(instances(710 + d, d - 1, d, 40), xs):
            X = lib_cross(V)
            if exact_rank(np.array(V, dtype=object)) < d - 1:
                c.check(all(v == 0 for v in X), f"d={d}: ×(V) != 0 for dependent V={V}")
                continue
            full += 1
            inv = exact_inv(np.array(fgram(V), dtype=object)).tolist()
            coef = [fdot([Fraction(t) for t in row], [fdot(v, x) for v in V]) for row in inv]
            res = [xj - sum((a * v[j] for a, v in zip(coef, V)), Fraction(0))
                   for j, xj in enumerate(x)]          # x minus its projection onto span V
            c.check(all(fdot(res, v) == 0 for v in V), f"d={d}: projection residual not ⊥ V")
            s = fdot(X, x)
            c.check(s * s == fdot(X, X) * fdot(res, res),
                    lambda: f"d={d}: <×(V), x>^2 != |×(V)|^2 dist^2 at V={V}, x={x}")
            c.check(s == fdet(V + [x]), f"d={d}: <×(V), x> != vol_d(V, x) at V={V}, x={x}")
        c.check(full > 0, f"d={d}: no full-rank instance")
    return c.n
