"""THEORY §1 I12: for c ≥ 0, ||s| − c| = min(|s − c|, |s + c|)."""
from __future__ import annotations

NAME = "ga-i12-abs-min"
DESCRIPTION = ("THEORY §1 I12: ||s| - c| = min(|s - c|, |s + c|) for c >= 0; symbolic "
               "proof by the sign of s + exact instances")


def prove() -> int:
    import sympy as sp
    from fractions import Fraction
    from ._ga import Cases, rng, rand_fraction

    c = Cases()
    t, k = sp.symbols("t c", nonnegative=True)
    for sgn in (1, -1):                       # s = sgn·t with t = |s| >= 0
        s = sgn * t
        near, far = s - sgn * k, s + sgn * k  # the candidate that should attain the min
        c.zero(near ** 2 - (t - k) ** 2, f"s={s}: |s - sgn c| != ||s| - c|")
        gap = sp.expand(far ** 2 - near ** 2)  # = 4tc >= 0, so |near| <= |far|
        c.check(gap.is_nonnegative is True, f"s={s}: (s+sgn c)^2 - (s-sgn c)^2 = {gap} "
                                            "not provably >= 0")
        c.check(sp.Abs(sp.Abs(s) - k).equals(sp.Abs(near)), f"s={s}: ||s| - c| != |near|")

    r = rng(1212)
    vals = [Fraction(0), Fraction(1), Fraction(-1), Fraction(1, 2)]
    pairs = [(s, abs(cc)) for s in vals for cc in vals]
    pairs += [(rand_fraction(r, 50, 7), abs(rand_fraction(r, 50, 7))) for _ in range(400)]
    for s, cc in pairs:
        c.check(abs(abs(s) - cc) == min(abs(s - cc), abs(s + cc)),
                lambda: f"||s| - c| != min(|s - c|, |s + c|) at s={s}, c={cc}")
    return c.n
