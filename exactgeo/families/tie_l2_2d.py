"""Exact tie-breaking for two-layer ℓ2 families in 2-D (THEORY §2.5, §5.8): the tie
S(r) = β left by an enclosed KKT point is decided over Q(√q_1, …) — first in ball arithmetic
sector by sector, then exactly on the true ties only, within a time budget.

Used by :meth:`exactgeo.families.TwoLayerFamily.resolve_tie`; the sector geometry is the
angular arrangement of the rays ±×(x_i) (after the anchor shift with biases).

>>> import numpy as np
>>> from fractions import Fraction as F
>>> from exactgeo.families import get_family
>>> X = np.array([[F(1), F(0)], [F(0), F(1)]], dtype=object)
>>> A = np.array([[F(1), F(1)], [F(0), F(1)]], dtype=object)        # e1, (1, 1)/√2
>>> c = exact_l2_certificate(get_family("relu", reg="l2", bias=False), X, A,
...                          [F(1), F(2)], [1], [1], [F(1), F(1)], F(1, 10), intercept=False)
>>> c.status
'certified-optimal'
"""
from __future__ import annotations

import math
import time
from fractions import Fraction

import numpy as np

from ..certify import Certificate
from ..lasso.exact.ball import Quad, ball_dot, kkt_exact, quad_dot
from ..lasso.exact.rational import fmpq
from ..numbers import is_exact_scalar, to_fraction
from .pricing_2d import angular_rays, walk_chambers

__all__ = ["exact_l2_certificate", "l2_2d_decide", "plane_chambers", "PlaneDecision"]


def plane_chambers(P):
    """Exact angular chambers of the lines {u : p_iᵀu = 0} for rational points ``P`` (n, 2)
    (THEORY §2.5): (rays, ray_points, chambers) with the distinct rays ±×(p_i) sorted
    counter-clockwise, the point indices on each ray, and per chamber k (between rays k
    and k+1) the tuple (a, b, half_plane, pattern), pattern_i = sign(p_iᵀu_C) at an
    interior point u_C. The enumeration is :func:`.pricing_2d.angular_rays` (rays sorted
    and grouped exactly) walked by :func:`.pricing_2d.walk_chambers`.

    >>> rays, pts, ch = plane_chambers([(1, 0), (0, 1)])
    >>> [tuple(map(int, v)) for v in rays], pts, [c[3] for c in ch]
    ([(1, 0), (0, 1), (-1, 0), (0, -1)], [[1], [0], [1], [0]], [[1, 1], [-1, 1], [-1, -1], [1, -1]])
    """
    pts = [(Fraction(p[0]), Fraction(p[1])) for p in P]
    groups, start = angular_rays(pts, True)      # the pricing oracle's enumeration
    if not groups:
        return [], [], []
    uniq = [v for v, _ in groups]
    on = [sorted({k for k, _ in members}) for _, members in groups]
    m = len(uniq)
    chambers = []
    for k, pattern, _ in walk_chambers(groups, start):
        a, b = uniq[k], uniq[(k + 1) % m]
        half_plane = m == 1 or a[0] * b[1] - a[1] * b[0] == 0
        chambers.append((a, b, half_plane, list(pattern)))
    return uniq, on, chambers


class PlaneDecision:
    """Outcome of :func:`l2_2d_decide`: ``status`` "violation" | "ok" | "undecided";
    ``atom`` the verified witness and ``value`` its ball |rᵀφ| (violation); ``equal``
    whether some sector maximum equals β exactly (then S = β); ``sup`` a float estimate
    of S; counts of sectors and how each was decided; ``message``."""

    def __init__(self, status, sup, *, atom=None, value=None, equal=False, message="",
                 counts=None):
        self.status, self.sup, self.atom, self.value = status, sup, atom, value
        self.equal, self.message, self.counts = equal, message, counts or {}

    def __repr__(self):
        return f"PlaneDecision({self.status!r}, sup={self.sup!r}, {self.message!r})"


def _column_equal(f, qf, a, qa) -> bool:
    """f/√qf = ±a/√qa exactly (f, a rational vectors, qf, qa positive rationals)."""
    sign = 0
    for x, w in zip(f, a):
        if x * x * qa != w * w * qf:
            return False
        if x:
            sg = 1 if (x > 0) == (w > 0) else -1
            if sign == 0:
                sign = sg
            elif sign != sg:
                return False
    return True


def _ray_sign(Xq, points, v, j):
    """±1 such that direction v is sign·×(spanning rows) in the dictionary's order."""
    if j is None:
        x0, x1 = Xq[points[0]]
        cr = (-x1, x0)
    else:
        p, q = points[0], points[-1]
        cr = (Xq[p][1] - Xq[q][1], Xq[q][0] - Xq[p][0])
    return 1 if cr[0] * v[0] + cr[1] * v[1] > 0 else -1


def _arb_fraction(x) -> Fraction:
    """The midpoint of an arb ball as an exact Fraction."""
    m, e = x.mid().man_exp()
    return Fraction(int(m)) * Fraction(2) ** int(e)


def _short_directions(u):
    """Rational approximations of the direction u (Fractions), shortest first: any neuron
    whose |rᵀφ| exceeds β is a witness, and near an interior maximum the value loses only
    O(angle²), so a short rational direction usually suffices."""
    u0, u1 = Fraction(u[0]), Fraction(u[1])
    scale = max(abs(u0), abs(u1))
    if not scale:
        return []
    u0, u1 = u0 / scale, u1 / scale
    out = [(u0.limit_denominator(D), u1.limit_denominator(D)) for D in (10 ** 3, 10 ** 6, 10 ** 12)]
    out.append((u0, u1))
    return [v for v in out if v[0] or v[1]]


def l2_2d_decide(family, X, r, beta, active, *, deadline: float = math.inf,
                 budget: float = None, precs=(128, 1024)) -> PlaneDecision:
    """Decide S(r) ≤ β for the 2-D ℓ2 family (relu/abs, with or without bias) and an exact
    residual r ∈ Q(√q)^n (:class:`Quad`), THEORY §2.5 and §5 step 8.

    Every angular sector (with bias: of every anchor X − 𝟙x_jᵀ) and both signs are first
    evaluated in ball arithmetic: a sector maximum whose ball lies strictly below β is done;
    one strictly above β yields a witness neuron, re-verified independently from the exact
    data (|rᵀφ| > β on balls, else exactly); a maximum attained at a ray whose feature
    column equals an *active* column (``active``: list of (a_k, q_k), KKT basis) equals β
    exactly, by construction of r. The remaining true ties are decided exactly over
    Q(√q) (:meth:`Quad.sign`). ``deadline`` (a ``time.perf_counter()`` value) bounds the
    whole walk; past it the result is "undecided", the message naming the sector reached.
    """
    import flint
    relu = family.activation == "relu"
    Xq = [(Fraction(x[0]), Fraction(x[1])) for x in X]
    n = len(Xq)
    b = Fraction(beta)
    b2 = b * b
    X_obj = np.array([[Fraction(v) for v in row] for row in Xq], dtype=object)
    anchors = list(range(n)) if family.bias else [None]
    bud = f"{budget:g} s" if budget is not None else "time"

    def out_of_time():
        return time.perf_counter() > deadline

    sectors = []        # (j, P, rays, on, k, (a, b, half, pattern))
    geo = {}
    for j in anchors:
        P = Xq if j is None else [(x0 - Xq[j][0], x1 - Xq[j][1]) for x0, x1 in Xq]
        rays, on, ch = plane_chambers(P)
        geo[j] = (P, rays, on)
        for k, c in enumerate(ch):
            sectors.append((j, k, c))
        if out_of_time():
            return PlaneDecision("undecided", math.nan, message=(
                f"tie-break budget of {bud} exhausted while building the sectors (anchor "
                f"{anchors.index(j) + 1} of {len(anchors)})"))
    total = 2 * len(sectors)
    counts = {"sectors": total, "ball": 0, "kkt": 0, "exact": 0}
    if not sectors:
        return PlaneDecision("ok", 0.0, counts=counts, message="every feature vanishes: S = 0")
    act = [([Fraction(v) for v in a], Fraction(q)) for a, q in active]
    kkt_cache = {}

    def is_active_ray(j, k):
        key = (j, k)
        if key not in kkt_cache:
            P, rays, _ = geo[j]
            v = rays[k]
            f = [max(t, Fraction(0)) if relu else abs(t)
                 for t in (p[0] * v[0] + p[1] * v[1] for p in P)]
            qv = v[0] * v[0] + v[1] * v[1]
            kkt_cache[key] = any(_column_equal(f, qv, a, qa) for a, qa in act)
        return kkt_cache[key]

    def coef(p):
        return (1 if p > 0 else 0) if relu else p

    def ray_atom(j, k):
        P, rays, on = geo[j]
        v = rays[k]
        p0 = on[k][0]
        pts = (p0,) if j is None else tuple(sorted({j, p0}))
        sg = _ray_sign(Xq, pts, v, j)
        c = Fraction(0) if j is None else -(Xq[j][0] * v[0] + Xq[j][1] * v[1])
        return family.atom_from_direction([v[0], v[1]], c, pts, (), sg)

    def interior_atom(j, u):
        c = Fraction(0) if j is None else -(Xq[j][0] * u[0] + Xq[j][1] * u[1])
        return family.atom_from_direction([u[0], u[1]], c, (j,) if j is not None else (), (), 1)

    def verify(atom):
        """(True, ball) if |rᵀφ(atom)| > β rigorously, else (False, ball)."""
        phi = [Fraction(v) for v in np.asarray(family.features(X_obj, [atom]))[:, 0]]
        q = atom.norm_sq if atom.norm_sq is not None else Fraction(1)
        val = abs(ball_dot(phi, r, q))
        if val > flint.arb(fmpq(b)):
            return True, val
        dot = Quad(r[0].B)
        for p, rv in zip(phi, r):
            if p:
                dot = dot + rv * p
        return (dot * dot - b2 * q).sign() > 0, val

    old = flint.ctx.prec
    try:
        # ---------------------------------------------------------- ball stage(s)
        todo = [(s, t) for s in range(len(sectors)) for t in (1, -1)]
        viol, sup_est, equal = [], 0.0, False
        for prec in precs:
            flint.ctx.prec = prec
            ra = [v.arb() for v in r]
            wcache, gcache = {}, {}
            nb2 = flint.arb(fmpq(b2))
            ties = []
            for pos, (s, t) in enumerate(todo):
                if out_of_time():
                    return PlaneDecision("undecided", math.sqrt(max(sup_est, 0.0)),
                                         counts=counts, message=(
                        f"tie-break budget of {bud} exhausted at sector {pos + 1} of "
                        f"{len(todo)} (ball arithmetic, {prec} bits)"))
                j, k, (a, bb, half, pattern) = sectors[s]
                if j not in wcache:
                    P = geo[j][0]
                    wcache[j] = [(ra[i] * fmpq(P[i][0]), ra[i] * fmpq(P[i][1]))
                                 for i in range(n)]
                w = wcache[j]
                if s not in gcache:
                    prev = gcache.get(s - 1)
                    if prev is not None and k > 0 and sectors[s - 1][0] == j:
                        # the next chamber: only the points on the crossed ray change
                        g0, g1 = prev
                        old_pat = sectors[s - 1][2][3]
                        for i in geo[j][2][k]:
                            cf = coef(pattern[i]) - coef(old_pat[i])
                            if cf:
                                g0 += cf * w[i][0]
                                g1 += cf * w[i][1]
                    else:
                        g0, g1 = flint.arb(0), flint.arb(0)
                        for i, p in enumerate(pattern):
                            cf = coef(p)
                            if cf:
                                g0 += cf * w[i][0]
                                g1 += cf * w[i][1]
                    if len(gcache) > 4:
                        gcache.clear()
                    gcache[s] = (g0, g1)
                g0, g1 = gcache[s]
                h0, h1 = t * g0, t * g1
                cA = h1 * fmpq(a[0]) - h0 * fmpq(a[1])
                cB = h0 * fmpq(bb[1]) - h1 * fmpq(bb[0])
                inside = (cA >= 0) and (half or cB >= 0)
                outside = (cA < 0) or ((not half) and cB < 0)
                nn = h0 * h0 + h1 * h1
                m_ = len(geo[j][1])
                ends = []
                for v, kk in ((a, k), (bb, (k + 1) % m_)):
                    dot = h0 * fmpq(v[0]) + h1 * fmpq(v[1])
                    if dot < 0:
                        continue
                    ends.append((kk, dot, dot * dot / fmpq(v[0] * v[0] + v[1] * v[1])))
                if inside:
                    sup_est = max(sup_est, float(nn.mid()))
                    if nn < nb2:
                        counts["ball"] += 1
                    elif nn > nb2:
                        u = (_arb_fraction(h0), _arb_fraction(h1))
                        viol.append((nn.lower(), ("interior", j, u, s, t)))
                    else:
                        ties.append((s, t))
                    continue
                for kk, dot, val in ends:
                    sup_est = max(sup_est, float(val.mid()))
                if not outside:                       # h near a bounding ray
                    sup_est = max(sup_est, float(nn.mid()))
                    if nn < nb2:
                        counts["ball"] += 1
                        continue
                state = "below"
                for kk, dot, val in ends:
                    if val < nb2:
                        continue
                    if dot > 0 and val > nb2:
                        viol.append((val.lower(), ("ray", j, kk, s, t)))
                        state = "viol"
                    elif outside and is_active_ray(j, kk):
                        state = "kkt" if state == "below" else state
                    elif state != "viol":
                        state = "tie"
                if state == "viol":
                    continue
                if not outside:
                    state = "tie"
                if state == "below":
                    counts["ball"] += 1
                elif state == "kkt":
                    counts["kkt"] += 1
                    equal = True
                else:
                    ties.append((s, t))
            todo = ties
            if viol or not todo:
                break
        # ------------------------------------------------------- witnesses
        flint.ctx.prec = max(precs)
        viol.sort(key=lambda e: e[0], reverse=True)
        for _, (kind, j, data, s, t) in viol:
            cands = [ray_atom(j, data)] if kind == "ray" else \
                [interior_atom(j, u) for u in _short_directions(data)]
            for atom in cands:
                ok, val = verify(atom)
                if ok:
                    return PlaneDecision("violation", math.sqrt(max(sup_est, 0.0)), atom=atom,
                                         value=val, counts=counts, message=kind)
            todo.append((s, t))                        # not verified: decide it exactly
        # ------------------------------------------------------- exact stage (true ties)
        for pos, (s, t) in enumerate(todo):
            if out_of_time():
                return PlaneDecision("undecided", math.sqrt(max(sup_est, 0.0)), counts=counts,
                                     message=(f"tie-break budget of {bud} exhausted at tie "
                                              f"{pos + 1} of {len(todo)} (exact arithmetic "
                                              f"over Q(sqrt q), {total} sectors in all)"))
            j, k, (a, bb, half, pattern) = sectors[s]
            P, rays, _ = geo[j]
            g0, g1 = Quad(r[0].B), Quad(r[0].B)
            for i, p in enumerate(pattern):
                cf = coef(p)
                if cf and (P[i][0] or P[i][1]):
                    g0 = g0 + r[i] * (cf * P[i][0])
                    g1 = g1 + r[i] * (cf * P[i][1])
            h0, h1 = g0 * t, g1 * t
            counts["exact"] += 1
            if h0.is_zero() and h1.is_zero():
                continue
            cA = (h1 * a[0] - h0 * a[1]).sign()
            cB = (h0 * bb[1] - h1 * bb[0]).sign()
            found = None
            if cA >= 0 and (half or cB >= 0):
                dsg = (h0 * h0 + h1 * h1 - b2).sign()
                if dsg == 0:
                    equal = True
                elif dsg > 0:
                    found = [interior_atom(j, u) for u in
                             _short_directions((_arb_fraction(h0.arb()), _arb_fraction(h1.arb())))]
            else:
                m_ = len(rays)
                for v, kk in ((a, k), (bb, (k + 1) % m_)):
                    dot = h0 * v[0] + h1 * v[1]
                    if dot.sign() <= 0:
                        continue
                    dsg = (dot * dot - b2 * (v[0] * v[0] + v[1] * v[1])).sign()
                    if dsg == 0:
                        equal = True
                    elif dsg > 0:
                        found = [ray_atom(j, kk)]
                        break
            for atom in found or ():
                ok, val = verify(atom)
                if ok:
                    return PlaneDecision("violation", math.sqrt(max(sup_est, 0.0)),
                                         atom=atom, value=val, counts=counts,
                                         message="exact")
            if found:
                return PlaneDecision("undecided", math.sqrt(max(sup_est, 0.0)), counts=counts,
                                     message=("S(r) > beta decided exactly in a sector, but no "
                                              "rational witness neuron could be verified"))
    finally:
        flint.ctx.prec = old
    sup = float(b) if equal else math.sqrt(max(sup_est, 0.0))
    return PlaneDecision("ok", sup, equal=equal, counts=counts, message="ok")



def exact_l2_certificate(family, X, columns, norm_sq, support, signs, y, beta, *,
                         intercept: bool, max_n: int = 120, max_support: int = 48,
                         budget: float = 20.0):
    """Resolve the ℓ2 tie S(r) = β rigorously (THEORY §5.8) for a 2-D ℓ2 family.

    The KKT point on the basis F (columns a_k/√q_k) is rebuilt *exactly* in Q(√q_1, …)
    (:func:`exactgeo.lasso.exact.ball.kkt_exact`: r is a rational vector plus rational
    multiples of the √q_k), then every angular sector of THEORY §2.5 (every anchor with
    bias) is evaluated in ball arithmetic (:func:`exactgeo.lasso.exact.ball.l2_2d_decide`):
    maxima strictly below β are done, one strictly above β is a violation whose witness
    neuron is re-verified from the exact data, maxima at rays equal to an active column
    are = β by KKT, and only the true ties are decided exactly (canonical square-root
    basis; zero iff every coordinate is 0). ``budget`` (seconds, default 20) bounds the
    whole resolution: when it runs out the result is ``undecided`` with the sector
    reached in the message.

    Returns a :class:`Certificate` ("certified-optimal", "upper-bound" with a rigorous
    ``violating_atom``, or "undecided"), or None when out of scope (d ≠ 2, not ℓ2, inexact
    data, n > ``max_n``, |F| > ``max_support``, or the basis does not reproduce the signs).
    ``objective_algebraic`` is the Lasso optimum as a sympy expression.
    """
    t0 = time.perf_counter()
    deadline = t0 + float(budget)
    X = np.asarray(X, dtype=object)
    if X.ndim != 2:
        return None
    n, d = X.shape
    if d != 2 or n > max_n or len(support) > max_support or getattr(family, "reg", "") != "l2":
        return None
    if not (_all_exact(X) and _all_exact(y) and is_exact_scalar(beta)):
        return None
    try:
        Xq = np.array([[to_fraction(v) for v in row] for row in X], dtype=object)
        yq = [to_fraction(v) for v in y]
        b = to_fraction(beta)
        cols = np.asarray(columns, dtype=object)
        F = [int(k) for k in support]
        s = [int(v) for v in signs]
        ns = None if norm_sq is None else [to_fraction(norm_sq[k]) if norm_sq[k] is not None
                                           else Fraction(1) for k in range(cols.shape[1])]
        B, theta, xi, r = kkt_exact(cols, yq, b, ns, F, s, intercept)
        if any(sk * th.sign() <= 0 for sk, th in zip(s, theta)):
            return None                      # the basis does not reproduce the signs
        if intercept and not sum(r, xi * 0).is_zero():
            return None                      # cannot happen: 𝟙ᵀr = 0 by construction
        active = [([to_fraction(v) for v in cols[:, k]], ns[k] if ns is not None else 1)
                  for k in F]
    except (ArithmeticError, ValueError, TypeError, ZeroDivisionError):
        return None
    dec = l2_2d_decide(family, Xq, r, b, active, deadline=deadline, budget=float(budget))
    obj = None
    if time.perf_counter() < deadline:      # ½rᵀr + βΣ s_kθ_k, exact (display: ≤ 400 terms)
        q = quad_dot(r, r) * Fraction(1, 2)
        for sk, th in zip(s, theta):
            q = q + th * (b * sk)
        if len(q.c) <= 400:
            obj = q.sympy()
    secs = time.perf_counter() - t0
    c = dec.counts
    tally = (f"{c.get('sectors', 0)} sector maxima: {c.get('ball', 0)} below beta by ball "
             f"arithmetic, {c.get('kkt', 0)} = beta at active columns (KKT), "
             f"{c.get('exact', 0)} decided exactly")
    if dec.status == "violation":
        import flint
        lo, hi = (float(dec.value.lower()), float(dec.value.upper()))
        by_ball = bool(dec.value > flint.fmpq(b.numerator, b.denominator))
        how = (f"|r^T phi| in [{lo:.17g}, {hi:.17g}] > beta for violating_atom, by ball "
               "arithmetic" if by_ball else
               f"|r^T phi| > beta for violating_atom (ball [{lo:.17g}, {hi:.17g}]), decided "
               "by exact arithmetic")
        return Certificate(
            status="upper-bound", sup=dec.sup, beta=beta, samples=0, kind="exact-algebraic",
            violating_atom=dec.atom, objective_algebraic=obj,
            evidence="ball" if by_ball else "exact",
            message=(f"S(r) >= {how} from the exact data and the exact KKT point over "
                     f"Q(sqrt q): a rigorous violation ({secs:.2g} s)"))
    if dec.status == "undecided":
        sup = dec.sup if dec.sup is not None and dec.sup == dec.sup else None   # not NaN
        return Certificate(status="undecided", sup=sup, beta=beta, samples=0,
                           kind="enclosure", objective_algebraic=obj,
                           message=f"{dec.message}; {tally} so far")
    S2 = b * b if dec.equal else None
    return Certificate(
        status="certified-optimal", sup=dec.sup, beta=beta, samples=0, kind="exact-algebraic",
        sup_exact=b if dec.equal else None, sup_sq_exact=S2, objective_algebraic=obj,
        message=(f"S(r) <= beta decided rigorously over Q(sqrt q) ({tally}, {secs:.2g} s): "
                 "the network is globally optimal (THEORY 2.5, 5.8)"))


def _all_exact(a) -> bool:
    arr = np.asarray(a, dtype=object)
    return arr.size > 0 and all(is_exact_scalar(v) for v in arr.flat)
