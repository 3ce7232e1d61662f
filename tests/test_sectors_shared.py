"""One angular chamber enumeration (THEORY §2.5) for the 2-D ℓ2 pricing oracle and the
exact tie-breaker: ``pricing_2d.angular_rays`` / ``walk_chambers``."""
import math
from fractions import Fraction as F

import numpy as np

from exactgeo.families import get_family
from exactgeo.families.pricing_2d import angular_rays, walk_chambers
from exactgeo.families.tie_l2_2d import plane_chambers


def test_plane_chambers_is_the_shared_walk():
    rng = np.random.default_rng(7)
    for _ in range(20):
        P = [(F(int(a), int(c)), F(int(b), int(c)))
             for a, b, c in zip(*rng.integers(-3, 4, (2, 8)), rng.integers(1, 3, 8))]
        rays, on, ch = plane_chambers(P)
        groups, start = angular_rays(P, True)
        assert rays == [v for v, _ in groups]
        assert on == [sorted({k for k, _ in m}) for _, m in groups]
        pats = [list(p) for _, p, _ in walk_chambers(groups, start)]
        assert pats == [c[3] for c in ch]
        assert pats[-1] == start                  # the walk returns to the wrap-around chamber
        for (a_, b_, half, _), pat in zip(ch, pats):  # patterns = signs inside each chamber
            uc = (-a_[1], a_[0]) if half else (a_[0] + b_[0], a_[1] + b_[1])
            assert pat == [(x * uc[0] + y * uc[1] > 0) - (x * uc[0] + y * uc[1] < 0)
                           for x, y in P]


def test_float_rays_grouped_by_zero_cross_product():
    # parallel as floats (zero float cross product) but float angles one ulp apart
    p, q = (0.1, 1.0), (0.5, 5.0)
    assert p[0] * q[1] - p[1] * q[0] == 0
    assert math.atan2(p[1], p[0]) != math.atan2(q[1], q[0])
    groups, start = angular_rays([p, q, (1.0, -2.0)], False)
    assert len(groups) == 4 and sorted(len(m) for _, m in groups) == [1, 1, 2, 2]
    ex, _ = angular_rays([tuple(map(F, p)), tuple(map(F, q)), (F(1), F(-2))], True)
    assert len(ex) == 6                           # exactly, 0.1 and 0.5 are not 1:5


def test_float_merged_rays_price_consistently():
    X = np.array([[0.1, 1.0], [0.5, 5.0], [1.0, -2.0], [-1.5, 0.25]])
    r = np.array([0.7, -0.3, 0.4, -0.8])
    for act in ("relu", "abs"):
        Pf = get_family(act, reg="l2", bias=False).price(X, r)
        u, c = Pf.atom.float_u_c()
        Z = X @ np.asarray(u, float) + float(c)
        val = abs(float(r @ (np.maximum(Z, 0) if act == "relu" else np.abs(Z))))
        assert abs(val - Pf.sup) <= 1e-12 * max(1.0, Pf.sup)
        Pe = get_family(act, reg="l2", bias=False).price(
            np.array([[F(v) for v in row] for row in X], dtype=object),
            np.array([F(v) for v in r], dtype=object))
        assert abs(Pf.sup - math.sqrt(Pe.sup_sq_exact)) <= 1e-12 * max(1.0, Pf.sup)
