"""Ball arithmetic for columns a_k/√q_k (THEORY §5 step 8): the enclosed KKT certificate
(:func:`certify_ball`, used by :func:`exactgeo.lasso.certify_lasso` when ``norm_sq`` is
given) and the exact ℓ2 arithmetic over Q(√q_1, …) (:class:`Quad`, :func:`kkt_exact`,
:func:`ball_atom_value`) that the network certificate and the 2-D ℓ2 tie-breaker
(:mod:`exactgeo.families.tie_l2_2d`) use.

>>> import numpy as np
>>> from fractions import Fraction as F
>>> from exactgeo.lasso import solve_lasso, certify_lasso
>>> A = np.array([[F(1), F(1)], [F(0), F(1)]], dtype=object)    # columns e1, (1,1)/√2
>>> q = np.array([F(1), F(2)], dtype=object)
>>> Af = A.astype(float) / np.sqrt(q.astype(float))
>>> sol = solve_lasso(Af, np.array([1.0, 1.0]), 0.1, intercept=False)
>>> cert = certify_lasso(A, [F(1), F(1)], F(1, 10), sol, norm_sq=q, intercept=False)
>>> cert.status, round(cert.objective, 12)    # √2/10 − 1/200
('enclosed', 0.136421356237)
"""
from __future__ import annotations

import math
import time
from fractions import Fraction

import numpy as np

from ...sources import ExplicitSource, Priced
from ..working_set import Restricted, working_set
from .basis import ExactLasso, Repair, choose_basis, float_start
from .rational import ULP, arb_to_interval, fmpq

__all__ = ["certify_ball", "RadicalBasis", "Quad", "quad_dot", "kkt_exact", "ball_dot",
           "ball_atom_value"]


class _NeedPrecision(Exception):
    pass


def _same_column(A, norm_sq, k, j):
    """±1 if column k equals ±column j exactly (a_k/√q_k = ±a_j/√q_j), else 0."""
    ak, aj, qk, qj = A[:, k], A[:, j], norm_sq[k], norm_sq[j]
    sign = 0
    for x, w in zip(ak, aj):
        if x * x * qj != w * w * qk:
            return 0
        if x != 0:
            sg = 1 if (x > 0) == (w > 0) else -1
            if sign == 0:
                sign = sg
            elif sign != sg:
                return 0
    return sign


def _solve_arb(A, y, beta, norm_sq, F, s, intercept):
    import flint
    n = A.shape[0]
    m = len(F) + (1 if intercept else 0)
    M = flint.arb_mat(n, m)
    for j, k in enumerate(F):
        inv = 1 / flint.arb(fmpq(norm_sq[k])).sqrt()
        for i in range(n):
            q = A[i, k]
            if q:
                M[i, j] = flint.arb(fmpq(q)) * inv
    if intercept:
        for i in range(n):
            M[i, m - 1] = 1
    Y = flint.arb_mat(n, 1, [flint.arb(fmpq(q)) for q in y])
    Mt = M.transpose()
    rhs = Mt * Y
    b = flint.arb(fmpq(beta))
    for j in range(len(F)):
        rhs[j, 0] -= b * int(s[j])
    try:
        theta = (Mt * M).solve(rhs)
    except (ZeroDivisionError, ValueError):
        raise _NeedPrecision from None
    fit = M * theta
    th = [theta[j, 0] for j in range(m)]
    r = [Y[i, 0] - fit[i, 0] for i in range(n)]
    return th[:len(F)], (th[-1] if intercept else flint.arb(0)), r


def _check_all_ball(A, Cf, absCf, norm_sq, r, beta, F, s, n):
    import flint
    rm = np.array([float(x.mid()) for x in r])
    rr = np.array([float(x.rad()) for x in r]) * (1 + 4 * ULP) + ULP * np.abs(rm)
    corr = Cf.T @ rm
    bound = 2.0 * (n + 8) * ULP * (absCf.T @ np.abs(rm)) + 1.01 * (absCf.T @ rr) + n * 1e-300
    bf = float(beta)
    sure_ok = np.abs(corr) + bound < bf * (1 - 4 * ULP)
    todo = np.flatnonzero(~sure_ok)
    b = flint.arb(fmpq(beta))
    Fset = dict(zip(F, s))
    viol, ties = {}, []
    uncertain = False
    best = (-math.inf, -1)
    for k in todo:
        k = int(k)
        acc = flint.arb(0)
        for i in range(n):
            q = A[i, k]
            if q:
                acc += flint.arb(fmpq(q)) * r[i]
        v = acc / flint.arb(fmpq(norm_sq[k])).sqrt()
        av = abs(v)
        fe = float(av.mid()) - bf
        if fe > best[0]:
            best = (fe, k)
        if av < b:
            continue
        if av > b:
            viol[k] = 1 if v > 0 else -1
            continue
        if k in Fset:        # equality A_kᵀr = βs_k holds by construction
            continue
        dup = 0
        for j in F:
            sg = _same_column(A, norm_sq, k, j)
            if sg:
                dup = sg
                break
        if dup:
            continue
        if av.rad() < 2.0 ** (-flint.ctx.prec // 2) * (1 + abs(float(av.mid()))):
            ties.append(k)   # a tight ball around β: more bits will not help
        else:
            uncertain = True
    if best[1] < 0 and corr.size:
        k = int(np.argmax(np.abs(corr)))
        best = (float(abs(corr[k]) - bf), k)
    return viol, ties, uncertain, best


def certify_ball(A, Af, y, beta, zt, sol, norm_sq, intercept, tau, max_rounds, max_prec, t0):
    """The exact certificate for columns a_k/√q_k (THEORY §5 step 8): the repair rounds of
    :func:`exactgeo.lasso.certify_lasso` (the working-set loop) with every KKT point and
    every inequality in ball arithmetic, the precision doubled (64 → ``max_prec`` bits)
    until each test is decided."""
    import flint
    n, p = A.shape
    qf = np.array([float(q) for q in norm_sq])
    Cf = Af / np.sqrt(qf)
    absCf = np.abs(Cf)
    yf = np.array([float(q) for q in y])
    bf = float(beta)
    # the LP crossover onto the dual point's fit picks the guess: on the small, highly
    # degenerate ℓ2 dictionaries its vertex repairs where z̃'s own may repeat
    _, E, signs, zt = float_start(Cf, yf, sol, zt, bf, tau, intercept, trust_primal=False)
    source = ExplicitSource(Cf, exact=A, norm_sq=norm_sq)

    def describe(rnd, bad, pr):
        return f"round {rnd}: {len(bad)} sign-inconsistent, {pr.idx.size} violating columns"

    rep = Repair(signs, zt, Cf, describe=describe)

    def solve(W, _z, _last):
        rep.round += 1
        F = choose_basis(A, Af, W.tolist(), rep.zt, intercept, n)
        s = np.array([rep.signs[k] for k in F], dtype=int)
        prec = 64
        while True:
            flint.ctx.prec = prec
            try:
                zF, xi, r = _solve_arb(A, y, beta, norm_sq, F, s, intercept)
                bad, unsure = [], False
                for j, k in enumerate(F):
                    if zF[j] > 0 or zF[j] < 0:
                        if (zF[j] > 0) != (s[j] > 0):
                            bad.append(k)
                    elif not zF[j].is_zero():
                        unsure = True
                if unsure:
                    raise _NeedPrecision
                viol, ties, uncertain, best = _check_all_ball(A, Cf, absCf, norm_sq, r,
                                                              beta, F, s, n)
                if uncertain and not viol and not bad:
                    raise _NeedPrecision
                break
            except _NeedPrecision:
                if prec >= max_prec:
                    raise _Undecided(prec) from None
                prec *= 2
        return Restricted(None, r, ok=not bad, info={
            "F": F, "s": s, "zF": zF, "xi": xi, "bad": bad, "viol": viol, "ties": ties,
            "best": best, "prec": prec})

    def price(res, W):
        viol, best = res.info["viol"], res.info["best"]
        idx = list(viol)
        return Priced(np.array(idx, dtype=np.int64), np.array([viol[k] for k in idx]),
                      bf + best[0] if math.isfinite(best[0]) else 0.0, best[1], "exact",
                      info=res.info)

    def optimal(res, pr):
        return res.ok and not res.info["viol"]

    old_prec = flint.ctx.prec
    out, msg = None, ""
    try:
        out = working_set(source, solve, np.array(sorted(E), dtype=np.int64), price=price,
                          select=rep, optimal=optimal, max_rounds=max_rounds)
    except _Undecided as und:
        msg = f"balls still undecided at {und.prec} bits"
    finally:
        flint.ctx.prec = old_prec
    if out is not None and out.stop == "optimal":
        i, r = out.restricted.info, out.restricted.r
        F, s, zF, ties, best, prec = i["F"], i["s"], i["zF"], i["ties"], i["best"], i["prec"]
        z = np.zeros(p)
        for j, k in enumerate(F):
            z[k] = float(zF[j].mid())
        with _precision(prec):
            obj = flint.arb(0)
            for x in r:
                obj += x * x
            l1 = flint.arb(0)
            for x in zF:
                l1 += abs(x)
            obj = obj / 2 + flint.arb(fmpq(beta)) * l1
            lo, hi = arb_to_interval(obj)
        keep = [j for j in range(len(F)) if not zF[j].is_zero()]
        status = "enclosed" if not ties else "undecided"
        return ExactLasso(
            status=status, support=np.array([F[j] for j in keep], dtype=int),
            signs=np.array([s[j] for j in keep], dtype=int), z=z, xi=i["xi"],
            residual=np.array(r, dtype=object), objective_exact=None,
            objective_enclosure=(lo, hi), objective=float(obj.mid()),
            max_violation=best[0], argmax_violation=best[1], rounds=rep.round,
            message="" if not ties else
            f"{len(ties)} column(s) with |A_kᵀr| ∋ β could not be resolved exactly",
            z_enclosure=[zF[j] for j in keep], undecided=ties, precision=prec,
            seconds=time.perf_counter() - t0)
    z = np.zeros(p)
    F, s, best, prec = [], np.zeros(0, int), (math.nan, -1), max_prec
    xi, r = math.nan, np.array([], dtype=object)
    if out is not None:
        i = out.restricted.info
        F, s, zF, xi, best, prec = i["F"], i["s"], i["zF"], i["xi"], i["best"], i["prec"]
        for j, k in enumerate(F):
            z[k] = float(zF[j].mid())
        r = np.array(out.restricted.r, dtype=object)
        msg = describe(rep.round, i["bad"], out.priced)     # the last round's failure
    return ExactLasso(
        status="not-certified", support=np.array(F, dtype=int), signs=s, z=z, xi=xi,
        residual=r, objective_exact=None, objective_enclosure=None,
        objective=float(getattr(sol, "objective", math.nan)), max_violation=best[0],
        argmax_violation=best[1], rounds=rep.round, message=f"not certified: {msg}",
        precision=prec, seconds=time.perf_counter() - t0)


class _Undecided(Exception):
    """The balls stayed undecided at the maximal precision."""

    def __init__(self, prec):
        super().__init__(f"undecided at {prec} bits")
        self.prec = prec


class _precision:
    """Context manager: flint's working precision set to ``prec`` bits, then restored."""

    def __init__(self, prec):
        self.prec = prec

    def __enter__(self):
        import flint
        self.old = flint.ctx.prec
        flint.ctx.prec = self.prec

    def __exit__(self, *exc):
        import flint
        flint.ctx.prec = self.old


# ----------------------------------------------- exact ℓ2 KKT points over Q(√q_1, …)
#
# The KKT point on a basis F with columns a_k/√q_k is linear in the square roots
# (THEORY §5 step 8): with Â = [a_F, 𝟙], G = ÂᵀÂ and φ = D̂θ (D̂ = diag(1/√q_k, 1)),
# the KKT equations MᵀMθ = Mᵀy − (βs, 0) read Gφ = Âᵀy − β(s_k√q_k, 0), so
# φ = G⁻¹Âᵀy − βG⁻¹(s∘√q, 0) and r = y − Âφ are rational vectors plus rational
# multiples of the √q_k. Every quantity of the 2-D sector walk is then of degree ≤ 2 in
# the square roots, an element of the field Q(√q_1, …, √q_k) written in a *canonical*
# basis: square roots of products of a pairwise-coprime, non-square integer base
# b_1, …, b_m. Those 2^m square roots are linearly independent over Q (Besicovitch:
# no product of a non-empty subset of pairwise-coprime non-squares is a square), so an
# element is zero iff all its rational coordinates are, and the sign of a non-zero
# element is found by ball arithmetic at increasing precision. Exact, and fast.

def coprime_base(nums):
    """Pairwise-coprime integers > 1 such that every n in ``nums`` is a product of powers
    of them (gcd refinement, no factorisation).

    >>> coprime_base([12, 18, 5])
    [2, 3, 5]
    """
    base, stack = [], [int(n) for n in nums if int(n) > 1]
    while stack:
        n = stack.pop()
        if n == 1:
            continue
        for i, b in enumerate(base):
            g = math.gcd(n, b)
            if g > 1:
                base[i] = base[-1]
                base.pop()
                stack += [g, b // g, n // g]
                break
        else:
            base.append(n)
    return sorted(set(base))


class RadicalBasis:
    """The canonical basis {√(Π_{j∈S} b_j)} of Q(√q_1, …, √q_k) (q_k positive rationals);
    a radical is a bit mask S over the non-square part of a coprime base.

    >>> B = RadicalBasis([Fraction(8), Fraction(1, 2), Fraction(9, 4)])
    >>> B.sqrt(Fraction(8)), B.sqrt(Fraction(1, 2)), B.sqrt(Fraction(9, 4))
    (Quad(2√2), Quad(1/2√2), Quad(3/2))
    >>> (B.sqrt(Fraction(8)) * B.sqrt(Fraction(1, 2))).is_rational()
    True
    """

    def __init__(self, qs):
        ints = []
        for q in qs:
            q = Fraction(q)
            if q <= 0:
                raise ValueError(f"RadicalBasis: expected positive rationals, got {q}")
            ints.append(q.numerator * q.denominator)
        full = coprime_base(ints)
        self.full = full
        self.base = [b for b in full if math.isqrt(b) ** 2 != b]     # bit j ↔ base[j]
        self._bit = {b: j for j, b in enumerate(self.base)}
        self._prod = {0: 1}
        self._arb = {}

    def prod(self, mask: int) -> int:
        """Π_{j∈mask} b_j."""
        p = self._prod.get(mask)
        if p is None:
            p = 1
            for j, b in enumerate(self.base):
                if mask >> j & 1:
                    p *= b
            self._prod[mask] = p
        return p

    def sqrt(self, q) -> "Quad":
        """√q for a positive rational q whose numerator·denominator factors over the base."""
        q = Fraction(q)
        N, coef, mask = q.numerator * q.denominator, Fraction(1, q.denominator), 0
        for b in self.full:
            e = 0
            while N % b == 0:
                N //= b
                e += 1
            if not e:
                continue
            j = self._bit.get(b)
            if j is None:                   # a perfect square
                coef *= math.isqrt(b) ** e
            else:
                coef *= b ** (e // 2)
                if e % 2:
                    mask |= 1 << j
        if N != 1:
            raise ArithmeticError(f"RadicalBasis: {q} does not factor over the base")
        return Quad(self, {mask: coef})

    def sqrt_arb(self, mask: int):
        """√(Π_{j∈mask} b_j) as an arb ball at the current precision."""
        import flint
        key = (mask, flint.ctx.prec)
        v = self._arb.get(key)
        if v is None:
            v = flint.arb(self.prod(mask)).sqrt()
            self._arb[key] = v
        return v


class Quad:
    """An element Σ_S c_S √(Π_{j∈S} b_j) of Q(√q_1, …) (rational c_S; exact arithmetic).

    >>> B = RadicalBasis([2, 3])
    >>> x = B.sqrt(2) + B.sqrt(3)
    >>> x * x - 5, (x * x - 5).sign(), (B.sqrt(2) * B.sqrt(2) - 2).sign()
    (Quad(2√6), 1, 0)
    """
    __slots__ = ("B", "c")

    def __init__(self, B, c=None):
        self.B = B
        self.c = {m: v for m, v in (c or {}).items() if v}

    def _coerce(self, o):
        if isinstance(o, Quad):
            return o
        return Quad(self.B, {0: Fraction(o)})

    def __add__(self, o):
        o = self._coerce(o)
        c = dict(self.c)
        for m, v in o.c.items():
            c[m] = c.get(m, 0) + v
        return Quad(self.B, c)

    __radd__ = __add__

    def __neg__(self):
        return Quad(self.B, {m: -v for m, v in self.c.items()})

    def __sub__(self, o):
        return self + (-self._coerce(o))

    def __rsub__(self, o):
        return self._coerce(o) - self

    def __mul__(self, o):
        if not isinstance(o, Quad):
            o = Fraction(o)
            return Quad(self.B, {m: v * o for m, v in self.c.items()})
        c = {}
        for m1, v1 in self.c.items():
            for m2, v2 in o.c.items():
                m = m1 ^ m2
                c[m] = c.get(m, 0) + v1 * v2 * self.B.prod(m1 & m2)
        return Quad(self.B, c)

    __rmul__ = __mul__

    def is_zero(self) -> bool:
        return not self.c

    def is_rational(self) -> bool:
        return all(m == 0 for m in self.c)

    def rational(self) -> Fraction:
        return self.c.get(0, Fraction(0))

    def arb(self):
        """An arb ball enclosing the value at the current flint precision."""
        import flint
        acc = flint.arb(0)
        for m, v in self.c.items():
            acc += flint.arb(fmpq(Fraction(v))) * self.B.sqrt_arb(m)
        return acc

    def sign(self, max_prec: int = 1 << 16) -> int:
        """Exact sign: 0 iff every coordinate is 0 (linear independence), else found
        by ball arithmetic at doubling precision (it terminates: the value is ≠ 0)."""
        if not self.c:
            return 0
        if self.is_rational():
            return 1 if self.c[0] > 0 else -1
        import flint
        old = flint.ctx.prec
        prec = max(old, 64)
        try:
            while prec <= max_prec:
                flint.ctx.prec = prec
                v = self.arb()
                if v > 0:
                    return 1
                if v < 0:
                    return -1
                prec *= 2
        finally:
            flint.ctx.prec = old
        raise ArithmeticError("Quad.sign: no sign at the maximal precision")  # pragma: no cover

    def __float__(self):
        import flint
        old = flint.ctx.prec
        try:
            flint.ctx.prec = 128
            return float(self.arb().mid())
        finally:
            flint.ctx.prec = old

    def sympy(self):
        import sympy as sp
        return sp.Add(*[sp.Rational(v.numerator, v.denominator) *
                        sp.sqrt(sp.Integer(self.B.prod(m))) for m, v in sorted(self.c.items())])

    def __repr__(self):
        if not self.c:
            return "Quad(0)"
        parts = [(str(v) if m == 0 else f"{v}√{self.B.prod(m)}")
                 for m, v in sorted(self.c.items())]
        return "Quad(" + " + ".join(parts) + ")"


def quad_dot(u, v):
    """Σ_i u_i v_i for vectors of :class:`Quad` over one basis (a rational matrix
    product per pair of radicals, by python-flint)."""
    import flint
    if not len(u):
        return Fraction(0)
    B = u[0].B
    mu = sorted({m for q in u for m in q.c})
    mv = sorted({m for q in v for m in q.c})
    if not mu or not mv:
        return Quad(B)
    n = len(u)
    U = flint.fmpq_mat(n, len(mu), [fmpq(Fraction(q.c.get(m, 0))) for q in u for m in mu])
    V = flint.fmpq_mat(n, len(mv), [fmpq(Fraction(q.c.get(m, 0))) for q in v for m in mv])
    W = U.transpose() * V
    c = {}
    for a, ma in enumerate(mu):
        for b_, mb in enumerate(mv):
            w = W[a, b_]
            if w != 0:
                m = ma ^ mb
                c[m] = c.get(m, 0) + Fraction(int(w.p), int(w.q)) * B.prod(ma & mb)
    return Quad(B, c)


def kkt_exact(A, y, beta, norm_sq, F, s, intercept):
    """The exact KKT point on the basis F (signs s) of the Lasso with columns a_k/√q_k:
    (basis, θ_F, ξ, r) with θ, ξ, r lists of :class:`Quad` (ξ = 0 without intercept).
    ``norm_sq`` None means q_k = 1. Raises ZeroDivisionError if [A_F, 𝟙] is singular.

    >>> from fractions import Fraction as F
    >>> A = np.array([[F(1), F(1)], [F(0), F(1)]], dtype=object)   # e1, (1,1)/√2
    >>> B, th, xi, r = kkt_exact(A, [F(1), F(1)], F(1, 10), [F(1), F(2)], [1], [1], False)
    >>> th[0], r                                                   # √2 − 1/10, r = β/√2 𝟙
    (Quad(-1/10 + 1√2), [Quad(1/20√2), Quad(1/20√2)])
    """
    import flint
    n = A.shape[0]
    qs = [Fraction(norm_sq[k]) if norm_sq is not None else Fraction(1) for k in F]
    B = RadicalBasis(qs)
    cols = [[Fraction(A[i, k]) for i in range(n)] for k in F]
    if intercept:
        cols.append([Fraction(1)] * n)
    m = len(cols)
    Y = [Fraction(v) for v in y]
    b = Fraction(beta)
    roots = [B.sqrt(q) for q in qs]
    if m == 0:
        return B, [], Quad(B), [Quad(B, {0: v}) for v in Y]
    Ah = flint.fmpq_mat(n, m, [fmpq(cols[j][i]) for i in range(n) for j in range(m)])
    Yq = flint.fmpq_mat(n, 1, [fmpq(v) for v in Y])
    G = Ah.transpose() * Ah
    if G.rank() < m:
        raise ZeroDivisionError("kkt_exact: the basis columns are linearly dependent")
    Ginv = G.inv()
    H = Ah * Ginv                                     # r = y − Âφ, φ = G⁻¹(Âᵀy − βv)
    phi_rat = Ginv * (Ah.transpose() * Yq)
    r_rat = Yq - Ah * phi_rat

    def fr(x):
        return Fraction(int(x.p), int(x.q))

    # v_l = s_l √q_l = s_l c_l √(mask_l), one radical per basis column
    rad = []
    for l in range(len(F)):
        (mask, c), = roots[l].c.items()
        rad.append((mask, b * int(s[l]) * c))
    phi = []
    for j_ in range(m):
        c = {0: fr(phi_rat[j_, 0])}
        for l, (mask, w) in enumerate(rad):
            g = fr(Ginv[j_, l])
            if g:
                c[mask] = c.get(mask, 0) - g * w
        phi.append(Quad(B, c))
    r = []
    for i in range(n):
        c = {0: fr(r_rat[i, 0])}
        for l, (mask, w) in enumerate(rad):
            h = fr(H[i, l])
            if h:
                c[mask] = c.get(mask, 0) + h * w
        r.append(Quad(B, c))
    theta = [roots[j_] * phi[j_] for j_ in range(len(F))]
    xi = phi[-1] if intercept else Quad(B)
    return B, theta, xi, r


def ball_dot(phi, r, norm_sq=None, r_radius: float = 0.0):
    """rᵀφ/√norm_sq as an arb ball (current precision): φ exact (Fractions), r a vector of
    arb balls, exact rationals or floats (taken as exact binary rationals), or
    :class:`Quad`; ``r_radius`` ≥ ‖r − r_given‖₂ widens the ball by r_radius·‖φ‖₂."""
    import flint
    acc = flint.arb(0)
    for p, v in zip(phi, r):
        p = Fraction(p)
        if not p:
            continue
        if isinstance(v, Quad):
            v = v.arb()
        elif not isinstance(v, flint.arb):
            v = flint.arb(fmpq(Fraction(v)))
        acc += flint.arb(fmpq(p)) * v
    if r_radius:
        nrm = flint.arb(fmpq(sum((Fraction(p) ** 2 for p in phi), Fraction(0)))).sqrt()
        acc += flint.arb(0, (flint.arb(fmpq(Fraction(r_radius))) * nrm).upper() * 1.0001 + 1e-300)
    if norm_sq is not None:
        acc = acc / flint.arb(fmpq(Fraction(norm_sq))).sqrt()
    return acc


def ball_atom_value(family, X, atom, r, beta, r_radius: float = 0.0, prec: int = 256):
    """Rigorous |rᵀφ(X; θ)| for one neuron, from exact data: ``X`` exact (else None is
    returned), the atom made exact by the family (a float atom's u, c are read as exact
    binary rationals; an ℓ2 atom's norm √‖u‖₂² is enclosed in the ball), ``r`` arb balls
    or exact/float values (+ ``r_radius`` ≥ ‖r − r_given‖₂). Returns (exact atom, ball,
    state) with state "violation" (ball > β strictly), "below" (ball < β strictly) or
    "tie" (the ball contains β), or None when X or β is not exact.

    >>> from fractions import Fraction as F
    >>> from exactgeo.families import get_family
    >>> fam = get_family("relu", reg="l2", bias=False)
    >>> X = np.array([[F(1), F(0)], [F(0), F(1)]], dtype=object)       # THEORY G1
    >>> atom = fam.atom_from_direction([F(1), F(1)])                   # (1, 1)/√2
    >>> ball_atom_value(fam, X, atom, [F(1, 10), F(1, 10)], F(1, 10))[2]   # √2/10 > 1/10
    'violation'
    >>> ball_atom_value(fam, X, fam.atom_from_direction([F(1), F(0)]),
    ...                 [F(1, 10), F(1, 10)], F(1, 10))[2]             # e1: = β, a tie
    'tie'
    """
    import flint
    from ...numbers import is_exact_scalar
    arr = np.asarray(X, dtype=object)
    if arr.ndim != 2 or not all(is_exact_scalar(v) for v in arr.flat) or \
            not is_exact_scalar(beta):
        return None
    Xq = np.array([[Fraction(v) for v in row] for row in arr], dtype=object)
    b = Fraction(beta)
    try:
        ex = family.exact_atom(Xq, atom)
        phi = [Fraction(v) for v in np.asarray(family.features(Xq, [ex]))[:, 0]]
    except (AttributeError, TypeError, ValueError):
        return None
    q = ex.norm_sq         # set for ℓ2-normalised atoms only: the unit neuron is φ/√q
    old = flint.ctx.prec
    try:
        flint.ctx.prec = max(old, prec)
        val = abs(ball_dot(phi, list(r), q, r_radius))
        bb = flint.arb(fmpq(b))
        state = "violation" if val > bb else ("below" if val < bb else "tie")
    finally:
        flint.ctx.prec = old
    return ex, val, state
