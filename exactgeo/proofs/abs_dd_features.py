"""THEORY §3.5, §3.6: d-D deep abs features — the I12 form of depth-3 features and their
mirror invariances, symbolically and on the library's exact dictionaries.

* depth 3: ||uᵀx + c_1| − c_2| = √q · min(dist(x, H), dist(x, H′)) with H = {uᵀx + c_1 = c_2}
  (through the reflection point x_k) and H′ = {uᵀx + c_1 = −c_2} its mirror across the
  spanning hyperplane {uᵀx + c_1 = 0}, q = ‖u‖₂²;
* every feature (depth 3 and 4) is invariant under the reflection across the spanning
  hyperplane, x ↦ x − 2(uᵀx + c_1)u/q (x ↦ x − 2(uᵀx)u for unit u without bias);
* depth 3: also under x ↦ x − 2(uᵀx + c_1 − c_2)u/q on the slab 0 ≤ uᵀx + c_1 ≤ 2c_2.
"""
from __future__ import annotations

NAME = "abs-dd-features"
DESCRIPTION = ("THEORY §3.5/§3.6: depth-3 d-D abs features are min of distances to H_k and "
               "its mirror (I12); all features invariant under x -> x - 2(u.x + c)u/|u|^2; "
               "slab symmetry at depth 3 (symbolic + exact dictionaries, d = 2, 3)")


def _num(expr):
    """The numerator of a rational expression (zero iff the expression is zero)."""
    import sympy as sp
    return sp.numer(sp.together(expr))


def _symbolic(c) -> None:
    import sympy as sp
    from ._ga import sym_vector
    d = 3
    u, x = sym_vector("u", d), sym_vector("x", d)
    c1 = sp.Symbol("c1", real=True)
    t = sp.Symbol("t", nonnegative=True)                 # the threshold c_2 ≥ 0
    q = sum(v * v for v in u)
    s = sum(a * b for a, b in zip(u, x)) + c1            # uᵀx + c_1
    for off, name in ((t, "H"), (-t, "H'")):
        lam = (s - off) / q                              # foot point p = x − λu on the plane
        p = [xi - lam * ui for xi, ui in zip(x, u)]
        c.zero(_num(sum(a * b for a, b in zip(u, p)) + c1 - off), f"foot point not on {name}")
        c.zero(_num(sum((xi - pi) ** 2 for xi, pi in zip(x, p)) - (s - off) ** 2 / q),
               f"dist(x, {name})^2 != (u.x + c1 -+ t)^2/|u|^2")
    refl = [xi - 2 * s * ui / q for xi, ui in zip(x, u)]            # across {s = 0}
    s_r = sum(a * b for a, b in zip(u, refl)) + c1
    c.zero(_num(s_r + s), "the reflection does not negate u.x + c1")
    # H' is the mirror of H: the reflection maps {s = t} onto {s = −t} (s ↦ −s above)
    slab = [xi - 2 * (s - t) * ui / q for xi, ui in zip(x, u)]     # across {s = t}
    s_slab = sum(a * b for a, b in zip(u, slab)) + c1
    c.zero(_num(s_slab - (2 * t - s)), "the slab reflection is not s -> 2t - s")
    # I12 on the projection σ = s: ||σ| − t| = min(|σ − t|, |σ + t|), by the sign of σ
    w = sp.Symbol("w", nonnegative=True)
    for sgn in (1, -1):
        sig = sgn * w
        near = sig - sgn * t
        c.check(sp.Abs(sp.Abs(sig) - t).equals(sp.Abs(near)), f"I12 fails for sign {sgn}")
        c.check(sp.expand((sig + sgn * t) ** 2 - near ** 2).is_nonnegative is True,
                f"I12: the far plane is not farther for sign {sgn}")
    # slab: for 0 ≤ σ ≤ 2t, σ′ = 2t − σ ≥ 0 and ||σ′| − t| = |t − σ| = ||σ| − t|
    sig = 2 * t * sp.Symbol("a", nonnegative=True)      # σ ∈ [0, 2t] as 2ta, 0 ≤ a ≤ 1
    c.zero(sp.expand((2 * t - sig - t) ** 2 - (sig - t) ** 2), "slab: |sigma' - t| != |sigma - t|")


def _instances(c) -> None:
    import numpy as np
    from fractions import Fraction
    from ..families.abs_chains_dd import AbsChainsDD
    from ._ga import rng
    r = rng(1205)
    for d, n in ((2, 6), (3, 5)):
        X = [[Fraction(r.randint(-5, 5), r.randint(1, 3)) for _ in range(d)]
             for _ in range(n)]
        Xq = np.array(X, dtype=object)
        for depth in (3, 4):
            for reg in ("l1", "l2"):
                for bias in (True, False):
                    fam = AbsChainsDD(depth, reg, bias=bias)
                    D = fam.dictionary(Xq, exact=True)
                    step = max(1, len(D.atoms) // 12)
                    for k in range(0, len(D.atoms), step):
                        _check_atom(c, fam, Xq, D.atoms[k], depth)


def _check_atom(c, fam, X, a, depth) -> None:
    import numpy as np
    from fractions import Fraction
    u, c1 = a.u, a.c
    q = sum((v * v for v in u), Fraction(0))
    s = X @ u + c1
    phi = fam.features(X, [a])[:, 0]
    # invariance under the reflection across the spanning hyperplane
    R = np.array([X[i] - 2 * s[i] / q * u for i in range(len(X))], dtype=object)
    c.check(list(fam.features(R, [a])[:, 0]) == list(phi),
            lambda: f"reflection invariance fails for atom {a.to_json()}")
    if depth != 3:
        return
    t = a.thresholds[0]
    for i in range(len(X)):
        # I12: φ² = q·min(dist(x, H)², dist(x, H′)²), the distances through foot points
        dists = []
        for off in (t, -t):
            lam = (s[i] - off) / q
            p = X[i] - lam * u
            c.check(p @ u + c1 == off, "foot point off the plane")
            dists.append(sum(((X[i][j] - p[j]) ** 2 for j in range(len(u))), Fraction(0)))
        c.check(phi[i] ** 2 == q * min(dists),
                lambda: f"phi != min distance at sample {i} for atom {a.to_json()}")
        if 0 <= s[i] <= 2 * t:                            # the slab symmetry
            xs = X[i] - 2 * (s[i] - t) / q * u
            c.check(fam.features(np.array([xs], dtype=object), [a])[0, 0] == phi[i],
                    lambda: f"slab symmetry fails at sample {i} for atom {a.to_json()}")


def prove() -> int:
    from ._ga import Cases
    c = Cases()
    _symbolic(c)
    _instances(c)
    return c.n
