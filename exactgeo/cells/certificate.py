"""The rigorous certificate of the cell group Lasso (THEORY §2.8, "Rigorous certificate").

From a float solution (:func:`exactgeo.cells.solve.solve_cells`):

1. the active structure: every group with a non-zero weight, merged when two groups
   describe the same neuron (the same hyperplane through the same samples, reached from
   two anchors or two adjacent cells); its cell; its face F (the anchored rows a_i with
   a_iᵀw = 0), hence its kind: *interior* (F = ∅, u = g/‖g‖), *ray* (a one-dimensional
   face: u is a wedge product of anchored samples), or *face*;
2. the square KKT system on those faces, proven to have a unique zero in a box by
   Krawczyk's method in ball arithmetic (:mod:`exactgeo.cells.kkt`);
3. on the box: every active weight strictly inside its face (s_i a_iᵀw > 0 off the face),
   and every group of every cell with sup_{u ∈ K, ‖u‖ = 1} gᵀu ≤ β, decided rigorously:
   a bound ‖g‖ < β (floating point with a priori error bounds over all cells at once,
   :meth:`~exactgeo.cells.table.CellTable.norm_upper`), else the ball maximum of the cell
   (:func:`exactgeo.cells.pricing.cell_max`) < β, else — for a cell containing an active
   neuron û, where the maximum *is* β — the multiplier test: g − βû = −Σ_{i∈F'} μ_i s_i a_i
   with every μ_i > 0 (then gᵀu ≤ β‖u‖ on the whole cell), else the identity test
   (:class:`_Identities`): g = ±g_h of an active interior neuron h by exact linear
   identities of r (𝟙ᵀr = 0; the flat slopes below), so ‖g‖ = β exactly.

Degenerate optima (THEORY §2.7: the fit and r are unique, the weights are not) reach β
in cells that hold no active neuron. Two kinds are decided exactly: *linear* cells (every
sample on one side: relu pairs ±u, hyperplanes outside the data from several anchors, all
one fit up to the intercept), by the identity test; and *flat offsets* — two parallel
interior neurons through samples j, k with one activation pattern S between them, so
c ↦ rᵀσ(Xû + c) is flat there (𝟙_Sᵀr = 0) — merged into one unanchored neuron (w, b)
whose square KKT system carries 𝟙_Sᵀr = 0 as an equation (:func:`_merge_parallel`;
tried only after a first attempt ends in a tie).

If all pass, the box holds a KKT point of the convex problem over *all* cells, which is
the network problem (THEORY §2.8): ``certified-optimal``. A ball that contains β or a
multiplier that contains 0 is a tie the equations do not cover: ``undecided`` with the
reason. Anything else: ``upper-bound``. Nothing here is decided in floating point.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Optional

import numpy as np
from flint import arb, arb_mat, ctx, fmpq, fmpq_mat

from ..numbers import as_exact_array, exact_rank, to_fraction
from .kkt import KKTSystem, arb_fraction, face_basis, krawczyk, to_arb

__all__ = ["ActiveNeuron", "CellsCertificate", "certify_cells", "active_neurons"]

_ACTIVE = 1e-7        # a group is active when ‖w‖ > _ACTIVE · max ‖w‖
_ON_FACE = 1e-7       # a row is on the face when |a_iᵀû| ≤ _ON_FACE · ‖a_i‖


@dataclass
class ActiveNeuron:
    """One neuron of the certified solution. ``cell`` (index into the table), ``anchor``
    (row index or None), ``sign`` ±1 (the sign of its coefficient), ``face`` the rows i
    with a_iᵀw = 0, ``points`` the training rows on its hyperplane ({anchor} ∪ face with
    bias), ``kind`` "interior" | "face" | "ray", ``w`` float (d,) the numeric weight; after
    certification ``w_ball`` (d arb) and ``norm_ball`` ‖w‖, ``basis`` the exact face
    basis (d, k) (for a ray: the primitive integer wedge direction)."""
    cell: int
    anchor: Optional[int]
    sign: int
    face: tuple
    w: np.ndarray
    kind: str = ""
    points: tuple = ()
    basis: Any = None
    w_ball: Any = None
    norm_ball: Any = None
    pattern: Any = None       # unanchored ("free") neuron: the exact multipliers m_i on X
    b: float = 0.0            # its float offset (w, b): feature m ⊙ (Xw + b𝟙)
    b_ball: Any = None

    def to_json(self) -> dict:
        out = {"kind": self.kind, "anchor": self.anchor, "face_rows": list(self.face),
               "points": list(self.points), "sign": self.sign}
        if self.kind == "ray" and self.basis is not None:
            out["wedge_direction"] = [str(v) for v in self.basis[:, 0]]
        if self.w_ball is not None:
            out["w_enclosure"] = [[str(arb_fraction(v.lower())), str(arb_fraction(v.upper()))]
                                  for v in self.w_ball]
        return out


@dataclass
class CellsCertificate:
    """Outcome: ``status`` (a word of :data:`exactgeo.certify.STATUSES`), ``message``,
    ``neurons`` (:class:`ActiveNeuron`), ``objective`` (arb) and ``enclosure`` (lo, hi)
    Fractions, ``width`` hi − lo (float), ``xi`` (arb), ``prec`` bits, ``checked`` the
    number of groups checked, how (``by_norm``, ``by_ball``, ``by_multiplier``,
    ``by_identity``: g = ±g of an active interior neuron by exact identities of r), and
    ``sup`` a float upper bound of the cell maxima other than the active ones."""
    status: str
    message: str
    neurons: list = field(default_factory=list)
    objective: Any = None
    enclosure: Optional[tuple] = None
    width: Optional[float] = None
    xi: Any = None
    prec: int = 0
    checked: int = 0
    by_norm: int = 0
    by_ball: int = 0
    by_multiplier: int = 0
    by_identity: int = 0
    sup: Optional[float] = None


# ------------------------------------------------------------------ structure

def _exact_rows(table, anchor):
    from .arrangement import anchored
    return anchored(table.Xe, anchor)


def _face_of(table, c, u):
    a = int(table.anchor_of[c])
    A, sg = table.rows[a], table.signs[c]
    return tuple(int(i) for i in np.flatnonzero(
        (sg != 0) & (np.abs(A @ u) <= _ON_FACE * np.linalg.norm(A, axis=1))))


def _neuron_key(table, c, s, u):
    """Same neuron ⇔ same key: a ray by its sign, the samples on its hyperplane and its
    orientation; otherwise by the rounded unit (u, c) (abs: up to the overall sign)."""
    a = int(table.anchor_of[c])
    off = -float(table.Xf[a] @ u) if a >= 0 else 0.0
    v = np.r_[u, off]
    if table.model == "abs":        # |uᵀx + c| = |−uᵀx − c|: one neuron up to sign
        v = v * np.sign(v[np.flatnonzero(np.abs(v) > 1e-9)[0]])
    face = _face_of(table, c, u)
    pts = set(face) | ({a} if a >= 0 else set())
    A = table.rows[a]
    if len(face) and np.linalg.matrix_rank(A[list(face)], tol=1e-9) == table.d - 1:
        off_rows = [i for i in range(table.n) if i not in pts and table.signs[c][i] != 0]
        orient = tuple(int(table.signs[c][i]) for i in off_rows[:1])
        if table.model == "abs":
            orient = ()
        return (s, "ray", frozenset(pts), off_rows[:1] and off_rows[0], orient)
    return (s, tuple(np.round(v, 6)))


def _independent_features(table, groups, bias, protected=(), prefer=()):
    """Drop neurons until their fitted features s·M_g w_g (and 𝟙 with the intercept) are
    linearly independent, keeping the fit and the objective (Carathéodory: along a null
    vector c of the features, w_g → (1 + t c_g) w_g changes neither, since every active
    neuron has rᵀφ_g = β‖w_g‖ and 𝟙ᵀr = 0). Float structure guess."""
    from .solve import _cell_matrices
    pflag = [(id(g) in protected, id(g) in prefer) for g in groups]   # by position
    groups = [list(g) for g in groups]
    while groups:
        Phi = np.column_stack([s * (_cell_matrices(table, c)[0] @ w) for c, s, w, _ in groups]
                              + ([np.ones(table.n)] if bias else []))
        U, sv, Vt = np.linalg.svd(Phi, full_matrices=False)
        if Phi.shape[1] <= Phi.shape[0] and sv[-1] > 1e-7 * sv[0]:
            break
        c0 = Vt[-1][:len(groups)]
        hard = np.array([not p for p, _ in pflag])
        soft = hard & np.array([not q for _, q in pflag])
        best = None
        for free in (soft, hard, np.ones(len(groups), dtype=bool)):
            for sg in (1, -1):                # the weight that first reaches 0 must be free
                c = sg * c0
                neg = np.flatnonzero(c < -1e-12)
                if not len(neg):
                    continue
                k = neg[np.argmin(-1.0 / c[neg])]
                if free[k]:
                    best = (c, -1.0 / c[k])
                    break
            if best is not None:
                break
        if best is None:
            break
        c, t = best
        keep, kflag = [], []
        for k, g in enumerate(groups):
            f = 1 + t * c[k]
            if f > 1e-12:
                g[2] = g[2] * f
                keep.append(g)
                kflag.append(pflag[k])
        if len(keep) == len(groups):
            break
        groups, pflag = keep, kflag
    return groups


def active_neurons(sol, tau: float = 1e-6) -> list:
    """Step 1: the active neurons of a :class:`~exactgeo.cells.solve.CellsSolution`, read
    from the (unique, well converged) residual rather than from the interior point's
    central weights: every cell group whose float maximum is ≥ β(1 − τ) gives a candidate
    neuron (its maximiser û and face); candidates describing the same neuron are merged;
    non-negative least squares writes the fit y − r − ξ𝟙 over the candidates' features
    (any such representation is optimal: each candidate has rᵀφ = β), which selects a
    sparse set; finally dependent features are removed (Carathéodory). A float structure
    guess: the certificate decides."""
    from scipy.optimize import nnls

    from .pricing import CellPricer
    from .solve import _cell_matrices
    table, r, beta = sol.table, np.asarray(sol.r, dtype=float), sol.beta
    G = table.gradients(r)
    if table.sector is not None:
        pairs = [(int(c), s) for s in (1, -1)
                 for c in np.flatnonzero(table.sector_values(s * G) >= beta * (1 - tau))]
    else:
        pairs = [(int(c), s) for s in (1, -1)
                 for c in np.flatnonzero(np.linalg.norm(G, axis=1) >= beta * (1 - tau))]
    pricers = {s: CellPricer(table.X, table.model, r, s) for s in (1, -1)} if pairs else {}
    found = {}
    for c, s in pairs:
        cm = pricers[s].price(table.cells[c])
        if cm.kind == "zero" or float(cm.value) < beta * (1 - tau):
            continue
        u = np.asarray(cm.u, dtype=float)
        u = u / np.linalg.norm(u)
        key = _neuron_key(table, c, s, u)
        if key not in found:
            found[key] = (c, s, u)
    if not found:
        return []
    groups = list(found.values())
    Phi = np.column_stack([s * (_cell_matrices(table, c)[0] @ u) for c, s, u in groups])
    target = sol_fit(sol)
    if table.bias:
        Phi_c = Phi - Phi.mean(axis=0, keepdims=True)
        t_c = target - target.mean()
    else:
        Phi_c, t_c = Phi, target
    rho, res0 = nnls(Phi_c, t_c, maxiter=50 * Phi.shape[1])
    # prefer the candidates the interior point itself uses (its central solution is
    # informative where two candidates are nearly parallel)
    top_w = max([float(np.linalg.norm(w)) for _, _, w in sol.group_weights()] + [0.0])
    used = {(c, s) for c, s, w in sol.group_weights() if np.linalg.norm(w) > 1e-6 * top_w}
    cols = np.array([k for k, (c, s, _) in enumerate(groups) if (c, s) in used], dtype=int)
    if len(cols):
        rp, resp = nnls(Phi_c[:, cols], t_c, maxiter=50 * len(cols))
        if resp <= res0 + 1e-6 * (1 + np.linalg.norm(t_c)):   # the interior point's accuracy
            rho = np.zeros(len(groups))
            rho[cols] = rp
            res0 = resp
        else:
            cols = np.arange(len(groups))
    else:
        cols = np.arange(len(groups))
    forced = _ray_pairs(table, groups, rho) if table.model == "relu" else []
    if forced:      # keep both members of d ray pairs (they imply Xᵀr = 0, see _covers)
        eps = 1e-3 * float(rho.max(initial=0.0))
        e = np.zeros(len(groups))
        e[forced] = eps
        # once Xᵀr = 0 is proven, any other antipodal pair is redundant (its two features
        # differ by a linear function, which the forced ray pairs already span): keep
        # only its heavier member, so the features stay independent without dropping a
        # forced member
        sub = np.union1d(cols, forced)
        tol = res0 * 1.01 + 1e-9 * (1 + np.linalg.norm(t_c))
        for pair in _redundant_pairs(table, groups, rho, set(forced)):
            for k in pair:                # the lighter member first
                trial = np.setdiff1d(sub, [k])
                if nnls(Phi_c[:, trial], t_c - Phi_c @ e, maxiter=50 * len(trial))[1] \
                        <= tol:
                    sub = trial
                    break
        r2, res2 = nnls(Phi_c[:, sub], t_c - Phi_c @ e, maxiter=50 * len(sub))
        if res2 <= res0 * 1.01 + 1e-9 * (1 + np.linalg.norm(t_c)):
            rho = e.copy()
            rho[sub] += r2
        else:
            forced = []
    top = float(rho.max(initial=0.0))
    act = [[c, s, rho[k] * u, u] for k, (c, s, u) in enumerate(groups)
           if rho[k] > _ACTIVE * top]
    prot = {id(act_k) for act_k, k in zip(act, [k for k in range(len(groups))
                                                if rho[k] > _ACTIVE * top]) if k in forced}
    pref = {id(g) for g in act if (g[0], g[1]) in used}
    kept = _independent_features(table, act, table.bias, prot, pref)
    out = []
    for c, s, w, u in kept:
        a = int(table.anchor_of[c])
        out.append(ActiveNeuron(c, None if a < 0 else a, s, _face_of(table, c, u), w))
    return out


def _redundant_pairs(table, groups, rho, keep) -> list:
    """Antipodal candidate pairs (one anchor, one sign, û' = −û), both members used
    (ρ > 0) and outside ``keep``, as (lighter, heavier) (float structure guess)."""
    out = []
    for a, (ca, sa, ua) in enumerate(groups):
        for b, (cb, sb, ub) in enumerate(groups):
            if a < b and sa == sb and a not in keep and b not in keep and \
                    rho[a] > 0 and rho[b] > 0 and \
                    table.anchor_of[ca] == table.anchor_of[cb] and \
                    float(ua @ ub) < -1 + 1e-9:
                out.append((b, a) if rho[a] >= rho[b] else (a, b))
    return out


def _ray_pairs(table, groups, rho):
    """Indices of up to d antipodal *ray* pairs (the same line, opposite orientations, the
    same sign) among the candidates, with linearly independent directions, heaviest
    first (relu: relu(t) − relu(−t) = t, so their equations imply rᵀXû = 0)."""
    keys = {}
    for k, (c, s, u) in enumerate(groups):
        key = _neuron_key(table, c, s, u)
        if len(key) > 2 and key[1] == "ray":
            keys.setdefault((s, key[2]), []).append(k)
    pairs = []
    for ks in keys.values():
        for a in ks:
            for b in ks:
                ua, ub = groups[a][2], groups[b][2]
                if a < b and float(ua @ ub) < -1 + 1e-9:
                    pairs.append((rho[a] + rho[b], a, b))
    pairs.sort(reverse=True)
    chosen, dirs = [], []
    for _, a, b in pairs:
        trial = dirs + [groups[a][2]]
        if np.linalg.matrix_rank(np.array(trial), tol=1e-9) == len(trial):
            dirs = trial
            chosen += [a, b]
        if len(dirs) == table.d:
            break
    return chosen if len(dirs) == table.d else []


def _w_mid(nr) -> np.ndarray:
    if nr.w_ball is not None:
        return np.array([float(v.mid()) for v in nr.w_ball])
    return np.asarray(nr.w, dtype=float)


def _free_matrix(table, nr):
    """The exact (n, d + 1) feature map D_S[X, 𝟙] of an unanchored neuron."""
    return np.array([[Fraction(m) * v for v in list(table.Xe[i]) + [Fraction(1)]]
                     for i, m in enumerate(nr.pattern)], dtype=object).reshape(
                         table.n, table.d + 1)


def _merge_parallel(table, neurons):
    """A degenerate optimum: two active *interior* neurons of one sign with the same
    direction û through different anchors j, k and one activation pattern S between
    them. c ↦ rᵀσ(Xû + c) is linear between the two kinks, and both ends reach β, so it
    is flat: 𝟙_Sᵀr = 0. Both neurons are one *unanchored* neuron (w, b) with feature
    D_S(Xw + b𝟙) (the fit is linear in the offset on that interval), whose KKT equations
    (D_SX)ᵀr = sβŵ and 𝟙_Sᵀr = 0 are square. Returns the merged list, or None when no
    such pair exists (float structure guess; the certificate decides)."""
    live = list(neurons)
    merged = False
    for a in range(len(live)):
        for b in range(a + 1, len(live)):
            na, nb = live[a], live[b]
            if na is None or nb is None or na.pattern is not None or nb.pattern is not None:
                continue
            if na.kind != "interior" or nb.kind != "interior" or na.sign != nb.sign:
                continue
            if na.anchor is None or nb.anchor is None or na.anchor == nb.anchor:
                continue
            wa, wb = _w_mid(na), _w_mid(nb)
            ua, ub = wa / np.linalg.norm(wa), wb / np.linalg.norm(wb)
            if np.linalg.norm(ua - ub) > 1e-7:
                continue
            j, k = na.anchor, nb.anchor
            ma, mb = table.mult[na.cell], table.mult[nb.cell]
            za, zb = table.signs[na.cell] == 0, table.signs[nb.cell] == 0
            m = np.where(za, mb, ma).astype(int)
            if np.any(za & zb) or np.any((~za & ~zb) & (ma != mb)):
                continue                  # a sample between the planes or on both
            if len(set(m.tolist())) == 1:
                continue                  # linear: the intercept's equation (_Identities)
            off = -float(table.Xf[j] @ wa) - float(table.Xf[k] @ wb)
            live[a] = ActiveNeuron(na.cell, None, na.sign, (), wa + wb,
                                   pattern=tuple(int(v) for v in m), b=off)
            live[b] = None
            merged = True
    return [nr for nr in live if nr is not None] if merged else None


def sol_fit(sol) -> np.ndarray:
    """The float fit y − r without the intercept: Σ_g s_g M_g w_g."""
    from .solve import _cell_matrices
    f = np.zeros(sol.table.n)
    for c, s, w in sol.group_weights():
        f += s * (_cell_matrices(sol.table, c)[0] @ w)
    return f


def _classify(nr: ActiveNeuron, table, rows_exact):
    if nr.pattern is not None:            # unanchored: θ = (w, b), nothing on its plane
        nr.basis = np.array([[Fraction(int(i == j)) for j in range(table.d + 1)]
                             for i in range(table.d + 1)], dtype=object)
        nr.kind, nr.points, nr.face = "free", (), ()
        return
    nr.basis = face_basis(rows_exact, nr.face)
    k = nr.basis.shape[1]
    nr.kind = "interior" if k == table.d else ("ray" if k == 1 else "face")
    zero = [i for i in range(table.n) if table.signs[nr.cell][i] == 0]
    pts = set(nr.face) | set(zero) | ({nr.anchor} if nr.anchor is not None else set())
    nr.points = tuple(sorted(pts))


# ------------------------------------------------------------------ checks

def _independent(rows_exact, idx):
    """A maximal linearly independent subset of the rows ``idx`` (exact, greedy)."""
    keep = []
    for i in idx:
        trial = keep + [i]
        if exact_rank(np.array([list(rows_exact[j]) for j in trial], dtype=object)) == \
                len(trial):
            keep.append(i)
    return keep


def _multipliers(rows_exact, signs, face, g, u, beta):
    """μ on an independent subset R of the face: the solution of
    (C Cᵀ)μ = −C(g − βu), C the rows s_i a_i (i ∈ R). Returns (μ list, consistent)
    where ``consistent`` says g − βu + Cᵀμ contains 0 (it must at a KKT point)."""
    R = _independent(rows_exact, [i for i in face if signs[i] != 0])
    d = len(g)
    v = [g[a] - to_arb(beta) * u[a] for a in range(d)]
    if not R:
        return [], all(x.contains(0) for x in v), R
    C = arb_mat(len(R), d, [to_arb(signs[i] * rows_exact[i][a]) for i in R for a in range(d)])
    vv = arb_mat(d, 1, v)
    try:
        mu = (C * C.transpose()).solve(-(C * vv))
    except (ZeroDivisionError, ValueError):
        return None, False, R
    resid = vv + C.transpose() * mu
    ok = all(resid[a, 0].contains(0) for a in range(d))
    return [mu[i, 0] for i in range(len(R))], ok, R


def _gradient(M_exact, r, sign):
    n, d = M_exact.shape
    return [sign * sum((to_arb(M_exact[i, a]) * r[i] for i in range(n) if M_exact[i, a]),
                       arb(0)) for a in range(d)]


def _cell_exact(table, c, rows_exact):
    m = table.mult[c]
    return np.array([[Fraction(int(m[i])) * v for v in rows_exact[i]] for i in range(table.n)],
                    dtype=object).reshape(table.n, table.d)


def _linear_free(table, neurons) -> bool:
    """relu: do the neurons contain d antipodal *ray* pairs (the same line through the same
    samples, opposite orientations — decided exactly on the integer face bases and
    strictly on the θ balls — the same sign) with linearly independent directions
    (exact rank)? Then their equations s·rᵀrelu(Aû) = β = s·rᵀrelu(−Aû) give rᵀAû = 0,
    i.e. Xᵀr = 0 at the proven KKT point, so −û of every active neuron is stationary too
    (relu(−t) = relu(t) − t)."""
    rays = []
    for nr in neurons:
        if nr.kind != "ray" or nr.norm_ball is None:
            continue
        B = [int(v) for v in nr.basis[:, 0]]
        theta = nr.w_ball[int(np.argmax(np.abs(B)))] / B[int(np.argmax(np.abs(B)))]
        if theta > 0:
            o = 1
        elif theta < 0:
            o = -1
        else:
            continue
        rays.append((nr.sign, frozenset(nr.points), tuple(o * v for v in B)))
    dirs = []
    for a in range(len(rays)):
        for b in range(a + 1, len(rays)):
            (sa, pa, da), (sb, pb, db) = rays[a], rays[b]
            if sa == sb and pa == pb and tuple(-v for v in da) == db:
                trial = dirs + [list(da)]
                if exact_rank(np.array([[Fraction(v) for v in t] for t in trial],
                                       dtype=object)) == len(trial):
                    dirs = trial
    return len(dirs) >= table.d


def _covers(table, c, s, nr, rows_cache, r, beta, linear_free=False):
    """Does the multiplier test with neuron ``nr`` prove sup_K gᵀu ≤ β for group (c, s)?
    The test needs nr's direction û in the cell (abs: ±û, the same neuron; relu with
    ``linear_free``: ±û, stationary by :func:`_linear_free`). Returns True, False, or
    "tie" (a multiplier ball contains 0)."""
    if s != nr.sign or nr.pattern is not None:
        return False
    k = int(table.anchor_of[c])
    if k >= 0 and k not in nr.points:
        return False
    if k < 0 and nr.anchor is not None:
        return False
    sg, sn = table.signs[c], table.signs[nr.cell]
    P = set(nr.points)
    off = [i for i in range(table.n) if i not in P]
    result = False
    for o in ((1, -1) if (table.model == "abs" or linear_free) else (1,)):
        if any(sg[i] != o * sn[i] for i in off):
            continue                      # o·û is not in this cell
        rows = rows_cache(k)
        face = [i for i in sorted(P) if sg[i] != 0]
        M = _cell_exact(table, c, rows)
        g = _gradient(M, r, s)
        u = [o * wi / nr.norm_ball for wi in nr.w_ball]
        mu, ok, R = _multipliers(rows, sg, face, g, u, beta)
        if mu is None or not ok:
            continue
        if all(m > 0 for m in mu):
            return True
        if not any(m < 0 for m in mu):
            result = "tie"
    return result


# ------------------------------------------------------------------ certificate

def certify_cells(sol, X, y, beta, *, max_repairs: int = 6, progress=None) -> CellsCertificate:
    """Certify the float solution ``sol`` of :func:`~exactgeo.cells.solve.solve_cells` on
    the exact data X (n, d), y (n,) and exact β (module docstring)."""
    from ..progress import as_progress
    prog = as_progress(progress if progress is not None else False, label="cells")
    table = sol.table
    table.Xe = as_exact_array(X, "X")
    ye = as_exact_array(y, "y")
    beta = to_fraction(beta, "beta")
    if sol.stop != "optimal":
        return CellsCertificate("upper-bound", f"column generation over cells stopped "
                                f"({sol.stop}) with a cell value {sol.sup:.10g} above β")
    cache = {}

    def rows_of(a):
        key = None if a is None or a < 0 else int(a)
        if key not in cache:
            cache[key] = _exact_rows(table, key)
        return cache[key]

    neurons = active_neurons(sol)
    first_tie = None
    for _ in range(max_repairs):
        for nr in neurons:
            _classify(nr, table, rows_of(nr.anchor))
        out = _try(sol, table, neurons, rows_of, ye, beta, prog)
        if isinstance(out, CellsCertificate):
            if out.status != "undecided" or first_tie is not None:
                return out if out.status == "certified-optimal" or first_tie is None \
                    else first_tie
            merged = _merge_parallel(table, out.neurons or neurons)
            if merged is None:
                return out
            first_tie, neurons = out, merged   # a degenerate optimum: retry merged
            continue
        neurons = out                     # repaired structure: try again
    if first_tie is not None:
        return first_tie
    return CellsCertificate("upper-bound", f"the active structure was not settled after "
                            f"{max_repairs} repairs")


def _try(sol, table, neurons, rows_of, ye, beta, prog):
    bias = table.bias
    d = table.d
    Ms = [_free_matrix(table, nr) if nr.pattern is not None else
          _cell_exact(table, nr.cell, rows_of(nr.anchor)) for nr in neurons]
    proj = np.array([[Fraction(int(i == j)) for j in range(d + 1)] for i in range(d)],
                    dtype=object)
    sysm = KKTSystem(Ms, [nr.basis for nr in neurons], [nr.sign for nr in neurons], ye, beta,
                     bias, Ps=[proj if nr.pattern is not None else nr.basis
                               for nr in neurons])
    x0 = []
    for nr in neurons:
        if nr.pattern is not None:
            x0 += list(nr.w) + [nr.b]
            continue
        B = np.asarray(nr.basis, dtype=float)
        x0 += list(np.linalg.lstsq(B, nr.w, rcond=None)[0])
    if bias:
        x0.append(sol.xi)
    prog.update(lambda: f"certificate: Krawczyk on {sysm.size} unknowns "
                f"({len(neurons)} neurons)", force=True)
    box = krawczyk(sysm, np.array(x0, dtype=float))
    if not box.ok:
        tie = "tie" in box.message
        return CellsCertificate("undecided" if tie else "upper-bound", box.message,
                                neurons=neurons)
    old = ctx.prec
    ctx.prec = box.prec
    try:
        for nr, w, nb, th in zip(neurons, box.weights, box.norms, box.thetas):
            nr.w_ball, nr.norm_ball = w, nb
            if nr.pattern is not None:
                nr.b_ball = th[d]
        # an unanchored neuron: its plane strictly off every sample, pattern m
        for nr in neurons:
            if nr.pattern is None:
                continue
            for i, m in enumerate(nr.pattern):
                v = sum((to_arb(table.Xe[i][a]) * nr.w_ball[a] for a in range(d)),
                        nr.b_ball)
                if not ((v > 0) if m > 0 else (v < 0) if (m < 0 or table.model == "relu")
                        else False):
                    return CellsCertificate("undecided", "the merged (unanchored) neuron "
                                            f"of cell {nr.cell} meets sample {i}: a tie",
                                            neurons=neurons)
        # strict interior of each face
        changed = False
        for nr in neurons:
            if nr.pattern is not None:
                continue
            rows, sg = rows_of(nr.anchor), table.signs[nr.cell]
            for i in range(table.n):
                if sg[i] == 0 or i in nr.face:
                    continue
                v = sum((to_arb(sg[i] * rows[i][a]) * nr.w_ball[a] for a in range(table.d)),
                        arb(0))
                if not v > 0:
                    nr.face = tuple(sorted(set(nr.face) | {i}))
                    changed = True
        if changed:
            return neurons
        r = box.r
        # multipliers of each active neuron in its own cell
        for nr in neurons:
            if nr.pattern is not None:     # its equations are the full gradient
                continue
            cov = _covers(table, nr.cell, nr.sign, nr, rows_of, r, beta)
            if cov == "tie":
                return CellsCertificate("undecided", f"neuron in cell {nr.cell} (anchor "
                                        f"{nr.anchor}) has a multiplier ball containing 0 "
                                        "on its face: a tie the KKT equations do not cover",
                                        neurons=neurons)
            if cov is not True:
                mu = _face_drop(table, nr, rows_of, r, beta)
                if mu is not None:
                    nr.face = mu
                    return neurons
                return CellsCertificate("upper-bound", f"neuron in cell {nr.cell}: the "
                                        "face multipliers are not all positive",
                                        neurons=neurons)
        free = table.model == "relu" and _linear_free(table, neurons)
        res = _check_all(table, neurons, rows_of, r, beta, prog, free)
        if isinstance(res, CellsCertificate):
            res.neurons = neurons
            vio = getattr(res, "violator", None)
            if vio is not None and not any(nr.cell == vio[0] and nr.sign == vio[1]
                                           for nr in neurons) and \
                    all(nr.pattern is None for nr in neurons):
                # the float structure missed this cell's neuron: add it (small weight,
                # its maximiser's direction and face) and solve again
                c, sgn, cm = vio
                u = np.asarray([float(v) for v in cm.u], dtype=float)
                u /= np.linalg.norm(u)
                scale = 1e-3 * float(np.mean([np.linalg.norm(nr.w) for nr in neurons] or [1]))
                groups = [[nr.cell, nr.sign, np.array([float(v.mid()) for v in nr.w_ball])
                           if nr.w_ball is not None else nr.w, None] for nr in neurons]
                new = [c, sgn, scale * u, u]
                groups = _independent_features(table, groups + [new], table.bias,
                                               {id(new)})
                out = []
                for cc, ss, w, _ in groups:
                    a = int(table.anchor_of[cc])
                    uu = w / np.linalg.norm(w)
                    out.append(ActiveNeuron(cc, None if a < 0 else a, ss,
                                            _face_of(table, cc, uu), w))
                return out
            return res
        lo, hi = arb_fraction(box.objective.lower()), arb_fraction(box.objective.upper())
        return CellsCertificate(
            "certified-optimal",
            f"cells: group Lasso + Krawczyk — unique KKT point proven at {box.prec} bits for "
            f"{len(neurons)} neurons; all {res['checked']} cell groups ≤ β "
            f"({res['by_norm']} by ‖g‖, {res['by_ball']} by ball maximum, "
            f"{res['by_multiplier']} by multipliers"
            + (f", {res['by_identity']} by exact identities ‖g‖ = β" if res.get("by_identity")
               else "") + ")",
            neurons=neurons, objective=box.objective, enclosure=(lo, hi),
            width=float(hi - lo), xi=box.xi, prec=box.prec, checked=res["checked"],
            by_norm=res["by_norm"], by_ball=res["by_ball"],
            by_multiplier=res["by_multiplier"], by_identity=res["by_identity"], sup=res["sup"])
    finally:
        ctx.prec = old


def _face_drop(table, nr, rows_of, r, beta):
    """The face without the rows whose multiplier is strictly negative (the neuron leaves
    those hyperplanes), or None when nothing is to drop."""
    rows, sg = rows_of(nr.anchor), table.signs[nr.cell]
    M = _cell_exact(table, nr.cell, rows)
    g = _gradient(M, r, nr.sign)
    u = [wi / nr.norm_ball for wi in nr.w_ball]
    mu, ok, R = _multipliers(rows, sg, list(nr.face), g, u, beta)
    if mu is None:
        return None
    drop = {i for i, m in zip(R, mu) if m < 0}
    if not drop:
        return None
    return tuple(i for i in nr.face if i not in drop)


class _Identities:
    """Exact linear identities of the residual at the proven KKT point, and the
    equal-gradient test built on them. Identities: 𝟙ᵀr = 0 (with the intercept) and
    m_Sᵀr = 0 for every unanchored neuron (its flat offset). An active interior neuron
    (anchored or not) has s·M_gᵀr = βŵ with ŵ a unit vector. If s_C·M_Cᵀ ∓ s_g·M_gᵀ has
    every row in the span of the identities, then g_C = ±βŵ exactly, so
    sup_{u ∈ K_C, ‖u‖ ≤ 1} g_Cᵀu ≤ ‖g_C‖ = β — decided over ℚ, no ball comparison.
    This covers the degenerate optima of linear cells (several hyperplanes outside the
    data: relu pairs ±u, different anchors, all one fit up to the intercept) and of
    flat offsets (a merged pair, :func:`_merge_parallel`)."""

    def __init__(self, table, neurons, rows_of):
        self.table, self.rows_of = table, rows_of
        rows = ([[1] * table.n] if table.bias else []) + \
            [list(nr.pattern) for nr in neurons if nr.pattern is not None]
        self.E = [[fmpq(int(v)) for v in row] for row in rows]
        self.rank = fmpq_mat(len(rows), table.n, [v for row in self.E for v in row]).rank() \
            if rows else 0
        self.active = []
        for nr in neurons:
            if nr.kind == "free":
                M = _free_matrix(table, nr)[:, :table.d]
            elif nr.kind == "interior":
                M = _cell_exact(table, nr.cell, rows_of(nr.anchor))
            else:
                continue
            self.active.append([nr.sign, np.asarray(M, dtype=float), M, None])

    def covers(self, c, s, r_mid) -> bool:
        """Is g_{C,s} = ±g of an active interior neuron, exactly? (A float screen on the
        residual midpoints picks the candidates; the decision is exact.)"""
        from .solve import _cell_matrices
        table = self.table
        a = int(table.anchor_of[c])
        gC = s * (_cell_matrices(table, c)[0].T @ r_mid)
        scale = 1e-6 * (1 + float(np.linalg.norm(gC)))
        MC = None
        for entry in self.active:
            sg, Mf, M, _ = entry
            gN = sg * (Mf.T @ r_mid)
            for o in (1, -1):
                if np.linalg.norm(gC - o * gN) > scale:
                    continue
                if MC is None:
                    MC = _qmat_rows(_cell_exact(table, c, self.rows_of(None if a < 0
                                                                       else a)))
                if entry[3] is None:
                    entry[3] = _qmat_rows(M)
                Mg = entry[3]
                L = [[s * MC[i][j] - o * sg * Mg[i][j] for i in range(table.n)]
                     for j in range(table.d)]
                L = [row for row in L if any(v != 0 for v in row)]
                if not L:
                    return True
                if not self.E:
                    continue
                full = self.E + L
                if fmpq_mat(len(full), table.n, [v for row in full for v in row]).rank() \
                        == self.rank:
                    return True
        return False


def _qmat_rows(M):
    """Exact (n, d) object array → list of rows of fmpq."""
    return [[fmpq(int(Fraction(v).numerator), int(Fraction(v).denominator)) for v in row]
            for row in np.asarray(M, dtype=object)]


def _check_all(table, neurons, rows_of, r, beta, prog, linear_free=False):
    """Every group of every cell: sup ≤ β, proven (see the module docstring)."""
    from .pricing import CellPricer
    mid = np.array([float(v.mid()) for v in r])
    rad = np.array([float(v.rad()) for v in r]) * (1 + 1e-12) + \
        np.abs(mid) * 2.0 ** -52 * 2           # the float conversion of the ball
    bf = float(beta)
    if table.sector is not None:                 # d = 2: rigorous sector bounds, per sign
        ups = [table.sector_upper(s * mid, rad) for s in (1, -1)]
    else:
        up = table.norm_upper(mid, rad)
        ups = [up, up]
    safe = [u < bf * (1 - 1e-15) for u in ups]   # bf ≤ β(1 + 2⁻⁵³): strictly below β
    stats = {"checked": 2 * len(table), "by_norm": int(safe[0].sum() + safe[1].sum()),
             "by_ball": 0, "by_multiplier": 0, "by_identity": 0,
             "sup": max(float(u[sf].max(initial=0.0)) for u, sf in zip(ups, safe))}
    hard_pairs = [(int(c), s) for k, s in enumerate((1, -1)) for c in np.flatnonzero(~safe[k])]
    hard = np.unique([c for c, _ in hard_pairs]) if hard_pairs else np.zeros(0, dtype=int)
    hard_set = set(hard_pairs)
    pricers = {s: CellPricer(table.Xe, table.model, list(r), s) for s in (1, -1)} \
        if len(hard) else {}
    ident = _Identities(table, neurons, rows_of) if len(hard) else None
    for t, c in enumerate(hard.tolist()):
        prog.update(lambda: f"certificate: cell {t + 1} of {len(hard)} above the norm bound")
        for s in (1, -1):
            if (c, s) not in hard_set:
                continue
            cm = pricers[s].price(table.cells[c])
            val = cm.value if isinstance(cm.value, arb) else None
            if val is not None and val < to_arb(beta):
                stats["by_ball"] += 1
                stats["sup"] = max(stats["sup"], float(val.upper()))
                continue
            tie = False
            done = False
            for nr in neurons:
                cov = _covers(table, c, s, nr, rows_of, r, beta, linear_free)
                if cov is True:
                    done = True
                    break
                tie = tie or cov == "tie"
            if done:
                stats["by_multiplier"] += 1
                continue
            if ident.covers(c, s, mid):
                stats["by_identity"] += 1
                continue
            cell = table.cells[c]
            vf = float(val.mid()) if val is not None else float("nan")
            where = f"cell {c} (anchor {cell.anchor}, sign {s:+d})"
            if vf > float(beta) * (1 + 1e-9):
                out = _violation(where, vf, beta)
                out.violator = (c, s, cm)
                return out
            return CellsCertificate(
                "undecided", f"{where}: its maximum {val} reaches β = {float(beta):.12g} "
                "within the enclosure and no active neuron's KKT equations cover it"
                + (" (a multiplier ball contains 0)" if tie else ""))
    return stats


def _violation(where, vf, beta):
    return CellsCertificate("upper-bound", f"{where}: its maximum ≈ {vf:.12g} exceeds β = "
                            f"{float(beta):.12g} at the certified KKT point of the active "
                            "cells (float evidence: an active group is missing)")
