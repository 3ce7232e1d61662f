"""THEORY §3.4/§3.6: reflection symmetry of the 1-D abs chain features."""
from __future__ import annotations

NAME = "deep-feature-symmetry"
DESCRIPTION = ("THEORY §3.4/§3.6: ramps |x − x_j| and R_ij are symmetric about x_j, M_ik about "
               "m = (x_i + x_k)/2, every depth-L abs unit about a_1 and (c_3 ≤ c_2) about "
               "a_1 ± c_2 on the half-windows; via I12, R_ij = min(|x − x_i|, |x − (2x_j − "
               "x_i)|) (symbolic by cases + exact instances of the dictionaries)")


def _symbolic(c) -> None:
    import sympy as sp
    x, a, b = sp.symbols("x a b", real=True)
    c2, c3 = sp.symbols("c2 c3", nonnegative=True)
    mirror = lambda f, centre: f.subs(x, 2 * centre - x)          # noqa: E731
    ramp = sp.Abs(x - a)
    refl = sp.Abs(sp.Abs(x - a) - sp.Abs(b - a))                  # R with x_j = a, x_i = b
    mid = sp.Abs(sp.Abs(x - (a + b) / 2) - sp.Abs(a - b) / 2)     # M with x_i = a, x_k = b
    deep = sp.Abs(sp.Abs(sp.Abs(x - a) - c2) - c3)
    for f, centre, name in ((ramp, a, "ramp"), (refl, a, "R_ij"), (mid, (a + b) / 2, "M_ik"),
                            (deep, a, "depth-4 unit")):
        c.check(sp.simplify(mirror(f, centre) - f) == 0, f"{name} not symmetric")
    # multilevel: for x ≥ a the depth-4 unit is ||x − (a + c2)| − c3|, symmetric about
    # a + c2 on the half-window |x − (a + c2)| ≤ c2 (where x − a stays ≥ 0)
    t = sp.Symbol("t", real=True)
    right = sp.Abs(sp.Abs(t) - c3)                                # t = x − (a + c2)
    c.check(sp.simplify(right.subs(t, -t) - right) == 0, "inner level not symmetric")
    # I12 (ga-i12-abs-min): ||s| − c| = min(|s − c|, |s + c|) with s = x − x_j, c = |x_i − x_j|
    s_, cc = sp.symbols("s c", real=True)
    for sgn_s in (1, -1):
        for sgn_c in (1, -1):
            # on the region sign(s) = sgn_s, sign(c0) = sgn_c (c = sgn_c·c0, |s| = sgn_s·s)
            lhs = sp.Abs(sgn_s * s_ - sgn_c * cc)
            near = sp.Abs(s_ - sgn_s * sgn_c * cc)
            c.check(sp.simplify(lhs - near) == 0, "I12 case failed")


def prove() -> int:
    import random
    from fractions import Fraction as F

    import numpy as np

    from ..families import get_family
    from ._ga import Cases

    c = Cases()
    _symbolic(c)
    rnd = random.Random(36)
    for trial in range(6):
        xs = sorted({F(rnd.randint(-15, 15), rnd.randint(1, 3)) for _ in range(5)})
        for L in (3, 4):
            fam = get_family("abs", depth=L)
            D = fam.dictionary(np.array([[v] for v in xs], dtype=object), exact=True)
            for k in range(0, len(D), max(1, len(D) // 40)):
                a = D.atoms[k]
                centre = a.thetas[0]
                probe = [centre + F(t, 3) for t in range(-20, 21)]
                f = fam.features(np.array([[v] for v in probe], dtype=object), [a])[:, 0]
                g = fam.features(np.array([[2 * centre - v] for v in probe], dtype=object),
                                 [a])[:, 0]
                c.check(list(f) == list(g), lambda: f"{a.recipe}: not symmetric about a_1")
                if a.recipe[0] == "reflection":
                    i, j = a.recipe[1]
                    xi_, xj = xs[i], xs[j]
                    c.check(all(v == min(abs(p - xi_), abs(p - (2 * xj - xi_)))
                                for p, v in zip(probe, f)), "R_ij ≠ min of two distances")
    return c.n
