"""Exact ℓ2 pricing in the plane by angular sectors (THEORY §2.5).

For unit directions u ∈ S¹ the lines {u : x_iᵀu = 0} cut the circle into chambers;
on a closed chamber C the feature σ(Xu) is linear, rᵀσ(Xu) = g_Cᵀu with
g_C = Σ_{x_iᵀu>0} r_i x_i (relu) or Σ_i sign(x_iᵀu) r_i x_i (abs). The maximum of
g_Cᵀu over the arc is ‖g_C‖ if g_C lies in the closed cone of C, else the larger
endpoint value (g·u(φ) is unimodal on an arc). Rays are sorted exactly (half-plane,
then cotangent), the chambers are walked counter-clockwise updating g_C by one
term per crossed sample, and all comparisons are made on squares of integers, so
the result S² is an exact rational. With biases the supremum over c is attained at
an anchor c = −x_jᵀu (this needs 𝟙ᵀr = 0, THEORY §2.4), so the no-bias problem is
solved for every shifted data set X − 𝟙x_jᵀ.

Floats run the same walk in float64 (sorting by atan2, grouping rays with a zero float
cross product). The chamber enumeration (:func:`angular_rays`, :func:`walk_chambers`)
is shared with the exact tie-breaker :mod:`exactgeo.families.tie_l2_2d`.
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ..numbers import exact_sqrt, integer_scale, primitive
from .base import Atom, Pricing


def _angle_key_exact(a, b):
    if b > 0 or (b == 0 and a > 0):
        half = 0
    else:
        half, a, b = 1, -a, -b
    if b == 0:
        return (half, 0, 0)
    return (half, 1, -Fraction(a, b))


def _half(a, b):
    return 0 if (b > 0 or (b == 0 and a > 0)) else 1


def _sorted_exactly(vs) -> bool:
    """Are the nonzero vectors ``vs`` in non-decreasing angle order in [0, 2π)?"""
    for (a1, b1), (a2, b2) in zip(vs, vs[1:]):
        h1, h2 = _half(a1, b1), _half(a2, b2)
        if h1 > h2 or (h1 == h2 and a1 * b2 - b1 * a2 < 0):
            return False
    return True


def angular_rays(Ys, exact: bool):
    """The one chamber enumeration of THEORY §2.5, shared by the pricing oracle
    (:func:`_sectors`) and the exact tie-breaker (:func:`.tie_l2_2d.plane_chambers`).

    For points ``Ys`` (pairs; exact rationals/integers if ``exact``, else floats) the lines
    {u : yᵀu = 0} cut the circle at the rays ±×(y_k). Returns ``(groups, start)``:
    ``groups`` the distinct rays counter-clockwise from angle 0, each
    ``[direction, [(k, s_after), ...]]`` (the direction is the first member's vector;
    s_after = sign(y_kᵀu) just after crossing it counter-clockwise), and ``start`` the
    sign pattern of the wrap-around chamber (after ``groups[-1]``, before ``groups[0]``),
    0 for zero rows; ``([], start)`` if every row is zero. Rays are sorted by float angle,
    checked exactly and re-sorted exactly if needed (exact input), and two consecutive
    rays share a group iff they lie in the same half-plane with zero cross product
    (exactly for exact input, in float64 otherwise). The start pattern is read
    combinatorially (each row takes the sign set by the later of its two rays in the
    walk), not from signs of yᵀu0 at a computed interior point u0, which in floats can
    sit on or beyond a line when that chamber is degenerate.

    >>> groups, start = angular_rays([(1, 0), (0, 1)], True)
    >>> [g[0] for g in groups], [g[1] for g in groups], start
    ([(1, 0), (0, 1), (-1, 0), (0, -1)], [[(1, 1)], [(0, -1)], [(1, -1)], [(0, 1)]], [1, -1])
    """
    rays = []
    for k, (a, b) in enumerate(Ys):
        if a or b:
            # crossing ×(y) = (−b, a) counter-clockwise makes y inactive, −×(y) active
            rays.append(((-b, a), k, -1))
            rays.append(((b, -a), k, 1))
    start = [0] * len(Ys)
    if not rays:
        return [], start
    ang = [math.atan2(float(v[1]), float(v[0])) % (2 * math.pi) for v, _, _ in rays]
    order = sorted(range(len(rays)), key=ang.__getitem__)
    if exact and not _sorted_exactly([rays[i][0] for i in order]):
        order = sorted(range(len(rays)), key=lambda i: _angle_key_exact(*rays[i][0]))
    groups = []           # [direction, [(k, s_after), ...]]
    last = None
    for i in order:
        v, k, s = rays[i]
        if (last is not None and _half(*v) == _half(*last) and
                v[0] * last[1] - v[1] * last[0] == 0):
            groups[-1][1].append((k, s))
        else:
            groups.append([v, [(k, s)]])
            last = v
        start[k] = s
    return groups, start


def walk_chambers(groups, start):
    """Walk the chambers of :func:`angular_rays` counter-clockwise: yields, for each group
    index gi, ``(gi, pattern, flips)`` with ``pattern`` the sign pattern of the chamber
    between groups gi and gi+1 (one list, updated in place: copy it to keep it) and
    ``flips`` the members (k, s_after) of group gi whose sign changed on crossing it."""
    pattern = list(start)
    for gi, (_, members) in enumerate(groups):
        flips = []
        for k, s_after in members:
            if pattern[k] != s_after:
                pattern[k] = s_after
                flips.append((k, s_after))
        yield gi, pattern, flips


def _sectors(Ys, idx, w, relu: bool, exact: bool):
    """Best (q_num, q_den, direction, ray_points, t) over all chambers, where
    q = q_num/q_den = (value of ±r)² in the scaled units; None if no nonzero row."""
    groups, sgn = angular_rays(Ys, exact)
    if not groups:
        return None
    m = len(groups)
    zero = 0 if exact else 0.0
    g0 = g1 = zero
    for k, (a, b) in enumerate(Ys):      # g of the wrap-around chamber
        if relu:
            if sgn[k] > 0:
                g0 += w[k] * a
                g1 += w[k] * b
        else:
            g0 += sgn[k] * w[k] * a
            g1 += sgn[k] * w[k] * b
    best = None           # (qn, qd, dir, pts, t)
    for gi, _, flips in walk_chambers(groups, sgn):
        rho = groups[gi][0]
        for k, s_after in flips:         # g changes by one term per crossed sample
            a, b = Ys[k]
            f = (1 if s_after > 0 else -1) * (1 if relu else 2) * w[k]
            g0 += f * a
            g1 += f * b
        rho2 = groups[(gi + 1) % m][0]
        crr = rho[0] * rho2[1] - rho[1] * rho2[0]
        # The closed chamber (angle ≤ π, since every ray's antipode is a ray) is the
        # set left of rho and right of rho2; at angle π both tests coincide. Bounding
        # rays pointing the same way with crr ≤ 0 mean zero width (floats only: nearly
        # parallel rays, or a pair whose rounded angles reverse their order): no interior
        # maximiser, only the endpoints — never the whole half-plane.
        wide = crr > 0 or (rho[0] * rho2[0] + rho[1] * rho2[1]) < 0
        for t in (1, -1):
            h0, h1 = t * g0, t * g1
            if h0 == 0 and h1 == 0:
                continue
            inside = wide and (rho[0] * h1 - rho[1] * h0) >= 0 and (
                (h0 * rho2[1] - h1 * rho2[0]) >= 0)
            if inside:
                cand = [(h0 * h0 + h1 * h1, 1 if exact else 1.0, (h0, h1), None)]
            else:
                cand = []
                for e, eg in ((rho, gi), (rho2, (gi + 1) % m)):
                    p = h0 * e[0] + h1 * e[1]
                    if p > 0:
                        cand.append((p * p, e[0] * e[0] + e[1] * e[1], e, eg))
            for qn, qd, v, eg in cand:
                if best is None or qn * best[1] > best[0] * qd:
                    pts = None if eg is None else sorted(idx[k] for k, _ in groups[eg][1])
                    best = (qn, qd, v, pts, t)
    return best


def price_l2_2d(fam, X, r, exact: bool, *, progress=None) -> Pricing:
    """S(r) for the ℓ2 family in d = 2 (exact sectors; anchors with bias). Memory O(n)
    per anchor; ``progress(done, total, "anchors")`` is called as anchors complete
    (at most every 64 anchors and at the end; it may raise to abandon the call).

    >>> from exactgeo.families import get_family
    >>> fam = get_family("relu", reg="l2", bias=False)
    >>> P = fam.price([[1.0, 0.0], [0.0, 1.0]], [0.1, 0.1])            # THEORY G1
    >>> round(P.sup, 12), np.round(P.atom.u, 12).tolist()
    (0.141421356237, [0.707106781187, 0.707106781187])
    """
    n = X.shape[0]
    relu = fam.activation == "relu"
    if exact:
        Xint, Dd = integer_scale(X)
        rn, R = integer_scale(r)
        Y = [(int(a), int(b)) for a, b in Xint]
        w = [int(v) for v in rn]
    else:
        Xf = np.asarray(X, dtype=np.float64)
        Y = [(float(a), float(b)) for a, b in Xf]
        w = [float(v) for v in np.asarray(r, dtype=np.float64)]
    anchors = range(n) if fam.bias else [None]
    n_anchors = len(anchors)
    best = None
    for done, j in enumerate(anchors):
        if progress is not None and done and done % 64 == 0:
            progress(done, n_anchors, "anchors")
        if j is None:
            pairs = [(k, y) for k, y in enumerate(Y) if y[0] != 0 or y[1] != 0]
        else:
            xj = Y[j]
            pairs = [(k, (y[0] - xj[0], y[1] - xj[1])) for k, y in enumerate(Y)]
            pairs = [(k, y) for k, y in pairs if y[0] != 0 or y[1] != 0]
        if not pairs:
            continue
        idx = [k for k, _ in pairs]
        res = _sectors([y for _, y in pairs], idx, [w[k] for k in idx], relu, exact)
        if res is None:
            continue
        if best is None or res[0] * best[1] > best[0] * res[1]:
            best = res + (j,)
    if progress is not None:
        progress(n_anchors, n_anchors, "anchors")
    if best is None:   # all features vanish: S = 0, any neuron attains it
        u = [1, 0] if exact else [1.0, 0.0]
        atom = (fam.atom_from_direction(u, 0) if exact else
                Atom(np.array(u, dtype=np.float64), 0.0))
        return Pricing(0.0, atom, 1, "exact", 0, Fraction(0) if exact else None,
                       Fraction(0) if exact else None)
    qn, qd, v, pts, t, j = best
    points = () if pts is None else (pts[0],)
    if j is not None:
        points = tuple(sorted(set((j,) + points)))
    if exact:
        S2 = Fraction(qn, qd * (R * Dd) ** 2)
        c = Fraction(0) if j is None else -Fraction(v[0] * Xint[j][0] + v[1] * Xint[j][1], Dd)
        sign = _dictionary_sign(fam, Xint, Dd, points, v, j) if pts is not None else 1
        atom = fam.atom_from_direction(list(primitive(v)) if j is None else list(v), c,
                                       points, (), sign)
        return Pricing(math.sqrt(float(S2)), atom, t, "exact", 0, exact_sqrt(S2), S2)
    nv = math.hypot(v[0], v[1])
    u = np.array([v[0] / nv, v[1] / nv])
    c = 0.0 if j is None else -float(u @ Xf[j])
    sign = _dictionary_sign(fam, Xf, 1.0, points, v, j) if pts is not None else 1
    return Pricing(math.sqrt(qn / qd), Atom(u, c, None, points, (), sign), t, "exact")


def _dictionary_sign(fam, Xs, Dd, points, v, j):
    """±1 such that the atom is sign·×(spanning vectors) in the dictionary's order."""
    if j is None:
        a, b = Xs[points[0]][0], Xs[points[0]][1]
        cr = (-b, a)                                  # ×(x_i)
    else:
        p, q = points[0], points[-1]
        # ×((x_p,1),(x_q,1)) restricted to w: (y_p − y_q)... w = (Dd*(qy − py)... ) up to scale
        # in scaled coordinates w = (p_y − q_y, q_x − p_x) · Dd
        cr = (Xs[p][1] - Xs[q][1], Xs[q][0] - Xs[p][0])
    dot = cr[0] * v[0] + cr[1] * v[1]
    return 1 if dot > 0 else -1
