"""The square KKT system of the cell group Lasso and its Krawczyk enclosure (THEORY §2.8,
"Rigorous certificate", steps 1–3).

Each active neuron g lies in a closed cell K_g = {u : s_i a_iᵀu >= 0} of its anchor
(a_i the anchored rows) on a face {u : a_iᵀu = 0, i ∈ F_g}; on that face w_g = B_g θ_g with
B_g (d, k_g) an exact rational basis of the face's subspace (k_g = d: interior; k_g = 1: a
ray, B_g a wedge product of anchored samples). With N_g = s_g M_g B_g (n, k_g) the unknowns
are x = (θ_1, …, θ_m, ξ) and the equations

    F_g(x) = N_gᵀ r − β G_g θ_g / ‖B_g θ_g‖ = 0,   G_g = B_gᵀB_g,   r = y − Σ_h N_h θ_h − ξ𝟙,
    F_ξ(x) = 𝟙ᵀ r = 0                                (with the intercept)

(the face's cone multipliers act orthogonally to the face and drop out). :func:`krawczyk`
proves, in python-flint ball arithmetic with precision doubling, that a box around the
numeric solution contains exactly one zero of F.

>>> from fractions import Fraction as F
>>> import numpy as np
>>> one, zero = F(1), F(0)
>>> I = np.array([[one, zero], [zero, one]], dtype=object)
>>> sysm = KKTSystem([I], [I], [1], np.array([one, one], dtype=object), F(1, 10), False)
>>> box = krawczyk(sysm, np.array([0.9293, 0.9293]))   # G1: w = (√2 − β)(1, 1)/√2
>>> box.ok, box.prec, float(box.objective.rad()) < 1e-15
(True, 64, True)
>>> abs(float(box.objective.mid()) - (2 ** 0.5 / 10 - 1 / 200)) < 1e-15
True
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from math import gcd
from typing import Any, Sequence

import numpy as np
from flint import arb, arb_mat, ctx, fmpq, fmpq_mat

__all__ = ["KKTSystem", "KKTBox", "krawczyk", "face_basis", "to_arb", "arb_fraction",
           "PRECISIONS"]

#: Working precisions (bits) tried in turn: precision doubling from 64 to 2048.
PRECISIONS = (64, 128, 256, 512, 1024, 2048)


def to_arb(q) -> arb:
    """A ball enclosing the exact rational q (int, Fraction or fmpq)."""
    if isinstance(q, fmpq):
        return arb(q)
    q = Fraction(q)
    return arb(fmpq(int(q.numerator), int(q.denominator)))


def arb_fraction(a: arb) -> Fraction:
    """The exact value of an exact arb (a midpoint, or ``lower()``/``upper()``)."""
    m, e = a.man_exp()
    m, e = int(m), int(e)
    return Fraction(m) * (Fraction(2) ** e)


def face_basis(rows, face: Sequence[int]) -> np.ndarray:
    """An exact basis (d, k) of {u : rows[i]ᵀu = 0 for i in face} (Fractions, integer
    primitive columns): the identity for the empty face; for a ray (k = 1) the wedge
    product of the face rows up to scale.

    >>> from fractions import Fraction as F
    >>> face_basis(np.array([[F(1), F(2)]], dtype=object), [0]).tolist()
    [[Fraction(-2, 1)], [Fraction(1, 1)]]
    """
    rows = np.asarray(rows, dtype=object)
    d = rows.shape[1]
    if not len(face):
        return np.array([[Fraction(int(i == j)) for j in range(d)] for i in range(d)],
                        dtype=object)
    A = fmpq_mat(len(face), d, [fmpq(Fraction(v).numerator, Fraction(v).denominator)
                                for i in face for v in rows[i]])
    R, rank = A.rref()
    pivots, c = [], 0
    for i in range(rank):
        while R[i, c] == 0:
            c += 1
        pivots.append(c)
        c += 1
    free = [j for j in range(d) if j not in pivots]
    cols = []
    for f in free:
        v = [Fraction(0)] * d
        v[f] = Fraction(1)
        for i, p in enumerate(pivots):
            q = R[i, f]
            v[p] = -Fraction(int(q.p), int(q.q))
        den = 1
        for x in v:
            den = den * int(x.denominator) // gcd(den, int(x.denominator))
        ints = [int(x * den) for x in v]
        g = 0
        for x in ints:
            g = gcd(g, abs(x))
        cols.append([Fraction(x // (g or 1)) for x in ints])
    return np.array(cols, dtype=object).T.reshape(d, len(free))


def _fmpq(v) -> fmpq:
    q = Fraction(v)
    return fmpq(int(q.numerator), int(q.denominator))


def _qmat(A) -> fmpq_mat:
    A = np.asarray(A, dtype=object)
    return fmpq_mat(A.shape[0], A.shape[1], [_fmpq(v) for v in A.ravel()])


@dataclass
class KKTSystem:
    """The exact data of the square system: ``Ms`` the active neurons' feature maps
    (n, d), ``Bs`` their face bases (d, k_g), ``signs`` ±1, ``y`` (n,), ``beta``, and
    ``intercept``; all exact (Fractions). The products N = [s_g M_g B_g, 𝟙] and the Gram
    matrix NᵀN are formed once, exactly (python-flint ``fmpq_mat``). ``Ps`` (optional, per
    neuron, default ``Bs``) maps θ_g to the penalised weight w_g = P_gθ_g, G_g = P_gᵀP_g:
    an *unanchored* neuron has M_g = D_S[X, 𝟙], B_g = I_{d+1} and P_g = [I_d, 0] (its
    offset is free and unpenalised; its last equation is the flat slope 𝟙_Sᵀr = 0)."""
    Ms: list
    Bs: list
    signs: list
    y: np.ndarray
    beta: Fraction
    intercept: bool
    Ps: Any = None

    def __post_init__(self):
        self.k = [B.shape[1] for B in self.Bs]
        self.n = len(self.y)
        self.size = sum(self.k) + (1 if self.intercept else 0)
        blocks = [s * (_qmat(M) * _qmat(B)) for M, B, s in zip(self.Ms, self.Bs, self.signs)]
        N = fmpq_mat(self.n, self.size)
        p = 0
        for blk in blocks:
            for i in range(self.n):
                for j in range(blk.ncols()):
                    N[i, p + j] = blk[i, j]
            p += blk.ncols()
        if self.intercept:
            for i in range(self.n):
                N[i, p] = 1
        self.N = N
        self.yq = fmpq_mat(self.n, 1, [_fmpq(v) for v in self.y])
        self.gram = N.transpose() * N
        self.rhs = N.transpose() * self.yq
        Ps = self.Bs if self.Ps is None else self.Ps
        self.Gq = [_qmat(np.asarray(P, dtype=object).T @ np.asarray(P, dtype=object))
                   for P in Ps]
        self.Bq = [_qmat(P) for P in Ps]       # θ_g ↦ w_g


@dataclass
class KKTBox:
    """Result of :func:`krawczyk`: ``ok`` (a unique zero is proven in ``x``), ``x`` the
    enclosure (list of arb), ``thetas`` per neuron, ``xi``, ``r`` (n arb) the residual,
    ``weights`` the w_g = B_g θ_g (lists of arb), ``norms`` ‖w_g‖, ``objective`` the
    objective enclosure, ``prec`` the precision used, ``message`` why not when ``ok`` is
    False."""
    ok: bool
    x: list = field(default_factory=list)
    thetas: list = field(default_factory=list)
    xi: Any = None
    r: list = field(default_factory=list)
    weights: list = field(default_factory=list)
    norms: list = field(default_factory=list)
    objective: Any = None
    prec: int = 0
    message: str = ""


def _col(v) -> arb_mat:
    return arb_mat(len(v), 1, list(v))


def _split(sysm: KKTSystem, x):
    th, p = [], 0
    for k in sysm.k:
        th.append(list(x[p:p + k]))
        p += k
    xi = x[p] if sysm.intercept else arb(0)
    return th, xi


def _gtheta(G, th):
    """(Gθ as a list, ρ = √(θᵀGθ)) on balls."""
    Gt = arb_mat(G) * _col(th)
    Gt = [Gt[a, 0] for a in range(len(th))]
    rho = sum((a * b for a, b in zip(Gt, th)), arb(0)).sqrt()
    return Gt, rho


def _F(sysm, x, Gram, rhs):
    """F(x) = [N, 𝟙]ᵀr − (β Gθ/ρ per neuron, 0 for ξ), with [N, 𝟙]ᵀr = rhs − Gram·x."""
    v = rhs - Gram * _col(x)
    out = [v[a, 0] for a in range(sysm.size)]
    th, _ = _split(sysm, x)
    beta = to_arb(sysm.beta)
    p = 0
    for G, tg in zip(sysm.Gq, th):
        Gt, rho = _gtheta(G, tg)
        for a in range(len(tg)):
            out[p + a] -= beta * Gt[a] / rho
        p += len(tg)
    return out


def _J(sysm, x, Gram) -> arb_mat:
    """The Jacobian of F on x (balls): −Gram − β blockdiag(G/ρ − Gθθᵀ G/ρ³)."""
    J = -Gram
    th, _ = _split(sysm, x)
    beta = to_arb(sysm.beta)
    p = 0
    for G, tg in zip(sysm.Gq, th):
        k = len(tg)
        Gt, rho = _gtheta(G, tg)
        for a in range(k):
            for b in range(k):
                J[p + a, p + b] -= beta * (to_arb(G[a, b]) / rho - Gt[a] * Gt[b] / rho ** 3)
        p += k
    return J


def krawczyk(sysm: KKTSystem, x0, *, precisions: Sequence[int] = PRECISIONS,
             newton_steps: int = 40) -> KKTBox:
    """Prove a unique zero of the KKT system near the float guess ``x0`` (θ's then ξ).

    At each precision: Newton's method on ball midpoints gives x̃; the box X = x̃ ± ε is
    accepted when the Krawczyk image x̃ − Y F(x̃) + (I − Y J(X))(X − x̃) lies in its
    interior (Y ≈ J(x̃)⁻¹); then every zero in X is in the image, and there is exactly one.
    Fails (``ok`` False, with the reason) when no precision succeeds.
    """
    old = ctx.prec
    msg = "no precision tried"
    try:
        for prec in precisions:
            ctx.prec = prec
            out = _krawczyk_at(sysm, np.asarray(x0, dtype=float), prec, newton_steps)
            if out.ok:
                return out
            msg = out.message
        return KKTBox(False, message=msg)
    finally:
        ctx.prec = old


def _krawczyk_at(sysm, x0, prec, steps) -> KKTBox:
    m = sysm.size
    Gram, rhs = arb_mat(sysm.gram), arb_mat(sysm.rhs)
    x = [arb(float(v)) for v in x0]
    for _ in range(steps):
        Fx = _F(sysm, x, Gram, rhs)
        Jx = _J(sysm, x, Gram)
        try:
            step = Jx.solve(_col(Fx))
        except (ZeroDivisionError, ValueError):
            return KKTBox(False, prec=prec, message="the KKT Jacobian is singular at the "
                          "numeric solution (dependent active neurons: a tie)")
        x = [(xi - step[i, 0]).mid() for i, xi in enumerate(x)]
        rel = max((abs(float(step[i, 0].mid())) / max(abs(float(x[i])), 2.0 ** (-prec), 1e-300)
                   for i in range(m)), default=0.0)
        if rel <= 2.0 ** (-prec + 8):
            break
    # a radius relative to each unknown (θ of a ray on a large integer basis is tiny)
    scale = max([abs(float(v)) for v in x] + [1.0])
    X = [xi + arb(0, (abs(float(xi)) or 1e-12 * scale) * 2.0 ** (-prec // 2)) for xi in x]
    Fx = _F(sysm, x, Gram, rhs)
    Jmid = _J(sysm, x, Gram)
    try:
        Y = arb_mat(m, m, [v.mid() for v in Jmid.entries()]).inv()
    except (ZeroDivisionError, ValueError):
        return KKTBox(False, prec=prec, message="the KKT Jacobian is singular (a tie)")
    Y = arb_mat(m, m, [v.mid() for v in Y.entries()])
    JX = _J(sysm, X, Gram)
    I = arb_mat(m, m, [arb(int(i == j)) for i in range(m) for j in range(m)])
    d = _col([Xi - xi for Xi, xi in zip(X, x)])
    K = _col(x) - Y * _col(Fx) + (I - Y * JX) * d
    Kl = [K[i, 0] for i in range(m)]
    if not all(Xi.contains_interior(Ki) for Xi, Ki in zip(X, Kl)):
        return KKTBox(False, prec=prec, message=f"the Krawczyk test failed at {prec} bits "
                      "(no unique KKT point proven near the numeric solution)")
    return _box(sysm, Kl, prec)


def _box(sysm, x, prec) -> KKTBox:
    th, xi = _split(sysm, x)
    rv = arb_mat(sysm.yq) - arb_mat(sysm.N) * _col(x)
    r = [rv[i, 0] for i in range(sysm.n)]
    weights, norms = [], []
    for B, G, tg in zip(sysm.Bq, sysm.Gq, th):
        w = arb_mat(B) * _col(tg)
        weights.append([w[a, 0] for a in range(B.nrows())])
        norms.append(_gtheta(G, tg)[1])
    obj = sum((ri * ri for ri in r), arb(0)) / 2 + to_arb(sysm.beta) * sum(norms, arb(0))
    return KKTBox(True, list(x), th, xi, r, weights, norms, obj, prec)
