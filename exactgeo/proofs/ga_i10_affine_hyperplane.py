"""THEORY §1 I10 (and §0 affine augmentation): the hyperplane through d points."""
from __future__ import annotations

NAME = "ga-i10-affine-hyperplane"
DESCRIPTION = ("THEORY §0/§1 I10: (w, b) = ×(p~_1..p~_d) gives w^T x + b = det[p~; x~], "
               "w = -×(p_i - p_d), b = -w^T p_d, zero at every p_i; d = 2 signed distance "
               "= 2 area/|p_1 - p_2|; symbolic d = 2..4 + exact")


def prove() -> int:
    import numpy as np
    import sympy as sp
    from fractions import Fraction
    from exactgeo.numbers import exact_rank
    from ._ga import DIMS, Cases, cross_formula, det, dot, fdet, fdot, instances, \
        lib_cross, sym_matrix, sym_vector
    from .ga_i09_area_2d import twice_area

    c = Cases()
    for d in DIMS:
        P, x = sym_matrix("p", d, d), sym_vector("x", d)
        Pt = P.row_join(sp.ones(d, 1))                 # rows p~_i = (p_i, 1)
        xt = x.col_join(sp.ones(1, 1))                 # x~ = (x, 1)
        wb = cross_formula(Pt)
        w, b = wb[:d, 0], wb[d]
        c.zero(dot(w, x) + b - det(Pt.col_join(xt.T)), f"d={d}: w^T x + b != det[p~; x~]")
        Dif = sp.Matrix([[P[i, j] - P[d - 1, j] for j in range(d)] for i in range(d - 1)])
        c.zero(w + cross_formula(Dif), f"d={d}: w != -×(p_1 - p_d, ..., p_(d-1) - p_d)")
        c.zero(b + dot(w, P[d - 1, :].T), f"d={d}: b != -w^T p_d")
        for i in range(d):
            c.zero(dot(w, P[i, :].T) + b, f"d={d}: hyperplane misses p_{i + 1}")
        if d == 2:
            p1, p2 = P[0, :].T, P[1, :].T
            e = p1 - p2
            c.zero(dot(w, x) + b - twice_area(p1, p2, x), "d=2: w^T x + b != 2 area(p1, p2, x)")
            c.zero(dot(w, w) - dot(e, e), "d=2: |w| != |p_1 - p_2|")
            # (w^T x + b)^2 = |w|^2 dist(x, line p1p2)^2, dist^2 = |x-p2|^2 - ((x-p2).e)^2/|e|^2
            y = x - p2
            c.zero((dot(w, x) + b) ** 2 * dot(e, e) - dot(w, w) * (dot(y, y) * dot(e, e)
                                                                    - dot(y, e) ** 2),
                   "d=2: (w^T x + b)/|w| is not the signed distance to the line")

    one = Fraction(1)
    for d in DIMS + (5,):
        xs = instances(1020 + d, 1, d, 40)
        seen = set()
        for P, (x,) in zip(instances(1010 + d, d, d, 40), xs):
            wb = lib_cross([p + [one] for p in P])
            w, b = wb[:d], wb[d]
            c.check(fdot(w, x) + b == fdet([p + [one] for p in P] + [x + [one]]),
                    lambda: f"d={d}: w^T x + b != det[p~; x~] at P={P}, x={x}")
            Dif = [[pi - pd for pi, pd in zip(p, P[-1])] for p in P[:-1]]
            c.check(w == [-v for v in lib_cross(Dif)] and b == -fdot(w, P[-1]),
                    lambda: f"d={d}: (w, b) != (-×(p_i - p_d), -w^T p_d) at P={P}")
            c.check(all(fdot(w, p) + b == 0 for p in P), f"d={d}: hyperplane misses a point")
            degenerate = exact_rank(np.array(Dif, dtype=object)) < d - 1
            seen.add(degenerate)
            c.check(degenerate == all(v == 0 for v in w),
                    lambda: f"d={d}: w = 0 should hold iff the points are affinely dependent, "
                            f"P={P}")
            if d == 2:
                e = [P[0][0] - P[1][0], P[0][1] - P[1][1]]
                c.check(fdot(w, x) + b == twice_area(P[0], P[1], x) and fdot(w, w) == fdot(e, e),
                        lambda: f"d=2: w^T x + b != 2 area(p1, p2, x) at P={P}, x={x}")
        c.check(seen == {True, False}, f"d={d}: instances did not cover degenerate and generic")
    return c.n
