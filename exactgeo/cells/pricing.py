"""Exact pricing of one cell group (M_C, K_C) of THEORY §2.8.

On the closed cell K_C = {u : s_i a_iᵀu ≥ 0} (a_i = x_i − x_j, s the cell's signs) the
feature is linear, σ(X_a u) = M_C u with M_C = D_C X_a (relu: the rows with s_i = +1)
or S_C X_a (abs). For a residual r put g = M_Cᵀr. The cell's price is

    value = sup { gᵀu : u ∈ K_C, ‖u‖₂ ≤ 1 } = ‖Π_{K_C}(g)‖₂ ≥ 0,

the norm of the Euclidean projection of g on the cone (the dual norm of the group
{v ∈ K_C} of the group Lasso; it is the sup over the unit sphere when that sup is
positive, and 0 — kind "zero" — when gᵀu ≤ 0 on the whole cone). The maximiser is
u = Π_{K_C}(g): g itself when g ∈ K_C (the exact sign test s_i a_iᵀg ≥ 0), else the
projection of g on the span of a face, found by the face recursion of §2.8 in its
active-set form (Lawson–Hanson non-negative least squares on the dual
min_{μ≥0} ‖g + Cᵀμ‖, C the oriented rows; at the end u lies on the face whose rows are
tight, and its value is ‖P_F g‖ for that face span F). On a ray the maximiser is a
wedge product ±×(a_S) of d − 1 anchored rows.

Three arithmetics, chosen by the type of r:

- float r → float64 (scipy's NNLS), ``value`` a float;
- exact r (Fractions, ints in an object array, strings) → exact over ℚ: ``value_sq`` is
  the exact Fraction value², ``value`` a rigorous arb ball around its root, and
  :meth:`CellMax.compare` decides value vs β by squares;
- arb balls r (python-flint ``arb`` entries) → the exact price at the midpoints plus the
  radius bound ‖Σ_i |M_C,i| rad(r_i)‖₂: the projection is non-expansive, so ``value``
  is a ball that encloses the price of *every* r in the box (its upper end is a rigorous
  upper bound). ``u``, ``face`` and ``kind`` then describe the midpoint.

>>> from fractions import Fraction as F
>>> from exactgeo.cells import cells
>>> X = [[1, 0], [0, 1]]
>>> C = next(cells(X))                              # the positive quadrant
>>> m = cell_max(X, C, "relu", [F(1, 10), F(1, 10)])
>>> m.kind, m.value_sq, m.u
('interior', Fraction(1, 50), (Fraction(1, 10), Fraction(1, 10)))
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import compress
from operator import mul, ne
from fractions import Fraction
from typing import Any, Iterator, Optional

import numpy as np

from ..numbers import as_exact_array, as_float_array, integer_scale, to_fraction
from ..progress import as_progress
from .arrangement import (DEFAULT_MAX_CELLS, Cell, _exact_data, all_cells, anchor_rows,
                          anchored, integer_rows)

__all__ = ["CellMax", "PricedCell", "MODELS", "cell_matrix", "cell_max", "price_cells",
           "best_cell", "cells_above", "CellPricer", "project_cone_exact"]

MODELS = ("relu", "abs")
#: bits of the arb balls built around exact values (value of an exact price)
BALL_PREC = 128


@dataclass(frozen=True)
class CellMax:
    """The price of one cell: value = sup gᵀu over u ∈ K_C, ‖u‖₂ ≤ 1 (= ‖Π_K g‖ ≥ 0).

    ``value``: float (float r) or a flint ``arb`` ball (exact r: around √value_sq; ball r:
    enclosing the value of every r in the box). ``value_sq``: the exact value² as a
    Fraction (exact r; at the midpoints for ball r), the float value² for float r.
    ``sign``: 1 if the value is positive, 0 if it is zero (exact and float r; for ball r
    the midpoint's). ``u``: the maximiser Π_K g, unnormalised (tuple of Fractions for
    exact and ball r, float array for float r); zero for kind "zero". ``face``: the rows
    i with a_i ≠ 0 and a_iᵀu = 0 at the maximiser (() = interior). ``kind``: "interior"
    (u = g), "face" (on a face of dimension ≥ 2), "ray" (u ∝ ±×(a_S)), "zero".
    ``wedge_rows``: for a ray, d − 1 independent rows S of ``face`` with u ∝ ±×(a_S).
    ``arithmetic``: "exact", "ball" or "float".
    """
    value: Any
    u: Any
    face: tuple
    kind: str
    value_sq: Any = None
    sign: int = 1
    wedge_rows: tuple = ()
    arithmetic: str = "float"

    def compare(self, beta) -> Optional[int]:
        """−1, 0 or +1 as value <, =, > β: exact for exact r (squares over ℚ), float for
        float r; for ball r −1 / +1 only when strict for the whole box, None otherwise.

        >>> from exactgeo.cells import cells
        >>> cell_max([[1]], next(cells([[1]])), "relu", ["3/5"]).compare("3/5")
        0
        """
        if self.arithmetic == "exact":
            b = to_fraction(beta, "beta")
            if b < 0:
                return 1
            q = b * b
            return (self.value_sq > q) - (self.value_sq < q)
        if self.arithmetic == "ball":
            bb = _arb_of(beta)
            if self.value < bb:
                return -1
            if self.value > bb:
                return 1
            return None
        b = float(beta)
        return (self.value > b) - (self.value < b)


@dataclass(frozen=True)
class PricedCell:
    """A cell, its price and the sign t of the residual it was priced with (t·r).

    >>> p = best_cell([[1, 0], [0, 1]], "abs", False, ["-1/10", "-1/10"])
    >>> p.cell.signs, p.max.kind, p.sign
    ((1, 1), 'interior', -1)
    """
    cell: Cell
    max: CellMax
    sign: int


# ---------------------------------------------------------------- cell matrices

def _check_model(model):
    if model not in MODELS:
        raise ValueError(f"model: expected one of {MODELS}, got {model!r}")


def _check_cell(cell, n):
    if not isinstance(cell, Cell):
        raise TypeError(f"cell: expected an exactgeo.cells.Cell, got {type(cell).__name__}")
    if len(cell.signs) != n:
        raise ValueError(f"cell: its signs have length {len(cell.signs)}, X has {n} rows")


def _weights(signs, model):
    """The diagonal of D_C (relu) or S_C (abs)."""
    if model == "relu":
        return [1 if s > 0 else 0 for s in signs]
    return list(signs)


def cell_matrix(X, cell: Cell, model: str) -> np.ndarray:
    """M_C (n, d), exact: D_C X_a (relu: rows with sign +1, others zero) or S_C X_a (abs),
    X_a = anchored(X, cell.anchor); σ(X_a u) = M_C u on the closed cell.

    >>> from exactgeo.cells import cells
    >>> X = [[1, 0], [0, -1]]
    >>> C = next(cells(X))
    >>> C.signs, cell_matrix(X, C, "abs").tolist()
    ((1, -1), [[Fraction(1, 1), Fraction(0, 1)], [Fraction(0, 1), Fraction(1, 1)]])
    >>> cell_matrix(X, C, "relu").tolist()
    [[Fraction(1, 1), Fraction(0, 1)], [Fraction(0, 1), Fraction(0, 1)]]
    """
    _check_model(model)
    Xa = anchored(X, cell.anchor)
    _check_cell(cell, Xa.shape[0])
    w = _weights(cell.signs, model)
    return Xa * np.array(w, dtype=object)[:, None]


# ---------------------------------------------------------------- residuals

def _is_arb(v) -> bool:
    try:
        import flint
    except ImportError:  # pragma: no cover
        return False
    return isinstance(v, flint.arb)


def _arb_of(v):
    import flint
    if isinstance(v, flint.arb):
        return v
    q = to_fraction(v, "beta")
    return flint.arb(flint.fmpq(q.numerator, q.denominator))


def _arb_fraction(x) -> Fraction:
    """The exact value of an exact arb (a dyadic rational)."""
    man, exp = x.man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man * 2 ** exp) if exp >= 0 else Fraction(man, 2 ** -exp)


def _residual(r, n):
    """``(mode, data)``: ("float", float array), ("exact", (ints, R)) with r = ints / R, or
    ("ball", (mid ints, R, rad Fractions))."""
    try:
        import flint
        if isinstance(r, flint.arb_mat):
            r = [r[i, 0] for i in range(r.nrows())] if r.ncols() == 1 else \
                [r[0, i] for i in range(r.ncols())]
    except ImportError:  # pragma: no cover
        pass
    seq = list(r.flat) if isinstance(r, np.ndarray) else (list(r) if
                                                          hasattr(r, "__iter__") else None)
    if seq is None or (isinstance(r, np.ndarray) and r.ndim != 1):
        raise ValueError(f"r: expected a vector of length n = {n}, got "
                         f"{getattr(r, 'shape', type(r).__name__)}")
    if len(seq) != n:
        raise ValueError(f"r: expected a vector of length n = {n}, got length {len(seq)}")
    if any(_is_arb(v) for v in seq):
        mids, rads = [], []
        for i, v in enumerate(seq):
            if _is_arb(v):
                if not v.is_finite():
                    raise ValueError(f"r: entry {i} is not a finite ball: {v}")
                mids.append(_arb_fraction(v.mid()))
                rads.append(_arb_fraction(v.rad()))
            else:
                mids.append(to_fraction(v, "r"))
                rads.append(Fraction(0))
        ints, R = integer_scale(np.array(mids, dtype=object))
        return "ball", ([int(v) for v in ints], int(R), rads)
    if isinstance(r, np.ndarray) and r.dtype != object:
        return "float", as_float_array(r, "r")
    floats = [v for v in seq if isinstance(v, (float, np.floating))]
    if floats:
        ints = [v for v in seq if isinstance(v, (int, np.integer)) and
                not isinstance(v, (bool, np.bool_))]
        if len(floats) + len(ints) != len(seq):
            raise TypeError("r: mixes floats with exact values; convert all entries to "
                            "float or to Fraction")
        return "float", as_float_array(seq, "r")
    ints, R = integer_scale(as_exact_array(seq, "r"))
    return "exact", ([int(v) for v in ints], int(R))


# ---------------------------------------------------------------- exact projection

def _dot(a, b):
    return sum(map(mul, a, b))


def _solve_small(G, b):
    """Solve the small system G z = b over ℚ (Gaussian elimination); None if singular."""
    k = len(b)
    M = [[Fraction(v) for v in row] + [Fraction(b[i])] for i, row in enumerate(G)]
    for c in range(k):
        p = next((i for i in range(c, k) if M[i][c] != 0), None)
        if p is None:
            return None
        M[c], M[p] = M[p], M[c]
        piv = M[c][c]
        for i in range(k):
            if i != c and M[i][c] != 0:
                f = M[i][c] / piv
                M[i] = [a - f * bb for a, bb in zip(M[i], M[c])]
    return [M[i][k] / M[i][i] for i in range(k)]


def project_cone_exact(C, g, *, guess: bool = True):
    """Π_K(g) for K = {u : C u ≥ 0} over ℚ (C: rows of ints, g: d ints or Fractions), as a
    list of Fractions. The projection is u = g + C_Pᵀμ with μ ≥ 0 on a passive set P of
    rows tight at u: guessed in float64 (scipy NNLS) and *verified exactly* (C_P u = 0,
    μ ≥ 0, C u ≥ 0: the KKT conditions, sufficient for the convex projection); if the
    guess fails, Lawson–Hanson NNLS on the dual min_{μ≥0} ½‖g + Cᵀμ‖² runs over ℚ (finite
    in exact arithmetic: the passive rows stay independent and the objective decreases).
    ``guess=False`` skips the float guess (the pure exact active-set route).

    >>> project_cone_exact([(1, 0), (0, 1)], (3, -2))
    [Fraction(3, 1), Fraction(0, 1)]
    """
    g = [Fraction(v) for v in g]
    den = math.lcm(*[v.denominator for v in g]) if g else 1
    gi = [int(v * den) for v in g]
    u_num, u_den = _project_int([tuple(int(v) for v in c) for c in C], gi, guess)
    return [Fraction(v, u_den * den) for v in u_num]


def _project_int(C, g, guess: bool = True, Cf=None):
    """Π_K(g) for integer C and integer g: ``(u_num, den)`` with u = u_num / den.
    ``Cf``: the rows of C normalised in float64, when the caller has them."""
    if all(_dot(c, g) >= 0 for c in C):
        return list(g), 1
    P = _float_passive(C, g, Cf) if guess else None
    if P is not None:
        res = _kkt_point(C, g, P)
        if res is not None:
            return res
    return _lawson_hanson(C, g)


def _float_passive(C, g, Cf=None):
    """The passive set of a float64 NNLS on the normalised rows (a guess to verify)."""
    from scipy.optimize import nnls
    try:
        gf = np.array([float(v) for v in g])
        if Cf is None:
            Cf = _normalised_float_rows(C)
    except OverflowError:          # beyond float range: the exact route decides alone
        return None
    if Cf is None or not np.all(np.isfinite(gf)):
        return None
    scale = float(np.max(np.abs(gf))) or 1.0
    try:
        mu, _ = nnls(Cf.T, -gf / scale)
    except Exception:  # pragma: no cover - scipy failure: fall back to exact
        return None
    return [k for k in range(len(C)) if mu[k] > 1e-12]


def _normalised_float_rows(C):
    """Rows of C as float64 unit vectors, or None if one is zero or not finite (raises
    OverflowError beyond the float range)."""
    Cf = np.array([[float(v) for v in c] for c in C], dtype=np.float64).reshape(len(C), -1)
    norms = np.linalg.norm(Cf, axis=1)
    if not np.all(np.isfinite(norms)) or np.any(norms == 0):
        return None
    return Cf / norms[:, None]


def _kkt_point(C, g, P):
    """u = g + C_Pᵀμ with C_P u = 0, or None unless μ ≥ 0 and C u ≥ 0 (exact) and the
    rows of P are independent."""
    if not P:
        return None
    G = [[_dot(C[a], C[b]) for b in P] for a in P]
    z = _solve_small(G, [-_dot(C[a], g) for a in P])
    if z is None or any(v < 0 for v in z):
        return None
    u_num, den = _combine(C, g, P, z)
    if all(_dot(c, u_num) >= 0 for c in C):
        return u_num, den
    return None


def _combine(C, g, P, z):
    """g + Σ_k z_k C_k over one denominator: ``(ints, den)``."""
    den = math.lcm(*[v.denominator for v in z]) if z else 1
    d = len(g)
    u = [den * v for v in g]
    for k, zk in zip(P, z):
        f = zk.numerator * (den // zk.denominator)
        if f:
            ck = C[k]
            for c in range(d):
                u[c] += f * ck[c]
    return u, den


def _lawson_hanson(C, g):
    m, d = len(C), len(g)
    P: list = []
    mu: dict = {}
    u_num, den = list(g), 1
    for _ in range(10 * (m + d) + 100):
        w = [-_dot(C[k], u_num) for k in range(m)]        # ∝ −(Cu)_k, den > 0
        j, best = None, 0
        for k in range(m):
            if k not in mu and w[k] > best:
                j, best = k, w[k]
        if j is None:
            return u_num, den
        P.append(j)
        mu[j] = Fraction(0)
        while True:
            G = [[_dot(C[a], C[b]) for b in P] for a in P]
            z = _solve_small(G, [-_dot(C[a], g) for a in P])
            if z is None:     # cannot happen in exact arithmetic (rows stay independent)
                raise RuntimeError("project_cone_exact: dependent passive rows")  # pragma: no cover
            if all(v > 0 for v in z):
                mu = dict(zip(P, z))
                break
            alpha = min(mu[k] / (mu[k] - zk) for k, zk in zip(P, z) if zk <= 0)
            mu = {k: mu[k] + alpha * (zk - mu[k]) for k, zk in zip(P, z)}
            P = [k for k in P if mu[k] > 0]
            mu = {k: mu[k] for k in P}
            if not P:
                break
        u_num, den = _combine(C, g, P, [mu[k] for k in P])
    raise RuntimeError("project_cone_exact: active-set iteration limit reached")  # pragma: no cover


def _int_rank(rows) -> int:
    """Rank over ℚ of a few integer rows (fraction-free elimination)."""
    M = [list(r) for r in rows]
    rank, ncols = 0, len(M[0]) if M else 0
    for c in range(ncols):
        p = next((i for i in range(rank, len(M)) if M[i][c]), None)
        if p is None:
            continue
        M[rank], M[p] = M[p], M[rank]
        pr = M[rank]
        for i in range(rank + 1, len(M)):
            if M[i][c]:
                f, h = M[i][c], pr[c]
                M[i] = [h * a - f * b for a, b in zip(M[i], pr)]
        rank += 1
    return rank


def _independent_subset(rows):
    """Greedy: positions of a maximal independent subset of the integer ``rows``."""
    chosen = []
    for i in range(len(rows)):
        if _int_rank([rows[k] for k in chosen + [i]]) == len(chosen) + 1:
            chosen.append(i)
    return tuple(chosen)


# ---------------------------------------------------------------- the pricer

class CellPricer:
    """Prices cells of one data set, model and residual; anchored data cached per anchor.
    ``price(cell)`` → :class:`CellMax`. Shared by :func:`cell_max` and :func:`price_cells`.

    >>> from exactgeo.cells import cells
    >>> P = CellPricer([[1, 0], [0, 1]], "relu", [0.1, 0.1])
    >>> round(P.price(next(cells([[1, 0], [0, 1]]))).value, 12)
    0.141421356237
    """

    def __init__(self, X, model: str, r, sign: int = 1):
        _check_model(model)
        self.X = _exact_data(X)
        self.n, self.d = self.X.shape
        self.model = model
        if sign not in (1, -1):
            raise ValueError(f"sign: expected 1 or -1, got {sign!r}")
        self.sign = sign
        self.mode, data = _residual(r, self.n)
        if self.mode == "float":
            self.r = sign * data
        elif self.mode == "exact":
            self.r_int, self.R = [sign * v for v in data[0]], data[1]
        else:
            self.r_int, self.R, self.rad = [sign * v for v in data[0]], data[1], data[2]
        self._anchor = {}
        self._XI, self._D = integer_rows(self.X)
        self._last = {}          # anchor → (signs, exact gradient): incremental updates

    def _anchor_data(self, j):
        """Per anchor: A (ints, common denominator D), primitive rows, the distinct
        hyperplanes (representative row per hyperplane, both orientations, and their
        normalised float rows) and, for float r, the anchored rows in float64."""
        if j not in self._anchor:
            from ..numbers import primitive
            A, D = anchor_rows(self._XI, j), self._D
            prim = [tuple(primitive(a)) for a in A]
            reps, seen = [], set()
            for i, a in enumerate(prim):
                if any(a) and a not in seen and tuple(-v for v in a) not in seen:
                    seen.add(a)
                    reps.append(i)
            entry = {"A": A, "D": D, "prim": prim, "reps": reps,
                     "norm_sq": [_dot(prim[i], prim[i]) for i in reps],
                     "pos": [prim[i] for i in reps],
                     "neg": [tuple(-v for v in prim[i]) for i in reps]}
            try:
                entry["Cf"] = _normalised_float_rows(entry["pos"]) if reps else None
            except OverflowError:
                entry["Cf"] = None
            if self.mode == "float":
                Af = np.array([[float(Fraction(v, D)) for v in a] for a in A],
                              dtype=np.float64).reshape(self.n, self.d)
                an = np.linalg.norm(Af, axis=1)
                nzr = an > 0
                unit = np.zeros_like(Af)
                unit[nzr] = Af[nzr] / an[nzr, None]
                entry.update(Af=Af, unit=unit, nz=nzr, reps_arr=np.array(reps, dtype=np.int64),
                             reps_unit=unit[reps].reshape(len(reps), self.d))
            self._anchor[j] = entry
        return self._anchor[j]

    def gradient(self, cell: Cell):
        """g = M_Cᵀr in this pricer's internal form: float array (float r), or Python
        ints equal to D·R·g (exact and ball r: at the midpoints; D, R the denominators of
        the anchored rows and of r)."""
        data = self._anchor_data(cell.anchor)
        if self.mode == "float":
            s = np.array(cell.signs, dtype=np.float64)
            w = (s > 0) if self.model == "relu" else s
            return data["Af"].T @ (w * self.r)
        signs, A, d = cell.signs, data["A"], self.d
        last = self._last.get(cell.anchor)
        if last is not None:       # neighbouring cells differ in a few signs: update
            old_signs, old_g = last
            diff = list(compress(range(len(signs)), map(ne, signs, old_signs)))
            if len(diff) * 4 <= len(signs):
                g = list(old_g)
                relu = self.model == "relu"
                for i in diff:
                    ri = self.r_int[i]
                    dw = ((signs[i] > 0) - (old_signs[i] > 0)) if relu else \
                        signs[i] - old_signs[i]
                    if ri and dw:
                        f, a = dw * ri, A[i]
                        for c in range(d):
                            g[c] += f * a[c]
                self._last[cell.anchor] = (signs, g)
                return list(g)
        w = _weights(signs, self.model)
        g = [0] * d
        for wi, ri, a in zip(w, self.r_int, A):
            if wi and ri:
                f = ri if wi > 0 else -ri
                for c in range(d):
                    g[c] += f * a[c]
        self._last[cell.anchor] = (signs, g)
        return list(g)

    def price(self, cell: Cell) -> CellMax:
        """The :class:`CellMax` of ``cell`` for this pricer's residual."""
        return self.price_above(cell, None)

    def price_above(self, cell: Cell, bound_sq, g=None) -> Optional[CellMax]:
        """As :meth:`price`, but None when a cheap upper bound on value² is ≤ ``bound_sq``
        (the projection is then skipped): ‖g‖², or ‖g‖² − (cᵀg)²/‖c‖² for the most
        violated cone row c (the projection on that half-space; K_C lies inside it).
        ``bound_sq``: float (float r), exact number (exact r) or None; ignored for ball r
        (always priced). ``g``: the cell's :meth:`gradient`, if the caller has it."""
        _check_cell(cell, self.n)
        data = self._anchor_data(cell.anchor)
        if g is None:
            g = self.gradient(cell)
        if self.mode == "float":
            if bound_sq is not None and float(g @ g) <= bound_sq:
                return None
            return self._price_float(cell, data, g, bound_sq)
        if self.mode != "exact":
            bound_sq = None
        scaled_bound = None
        if bound_sq is not None:
            scale = data["D"] * self.R
            scaled_bound = to_fraction(bound_sq) * scale * scale
            if sum(v * v for v in g) <= scaled_bound:
                return None
        return self._price_exact(cell, data, g, scaled_bound)

    # ---- exact and ball
    def _constraints(self, cell, data):
        """The oriented rows s_i a_i of the cone, one per distinct hyperplane, and their
        normalised float rows."""
        signs = cell.signs
        pos, neg = data["pos"], data["neg"]
        flip = [signs[i] < 0 for i in data["reps"]]
        C = [neg[k] if f else pos[k] for k, f in enumerate(flip)]
        Cf = data["Cf"]
        if Cf is not None and any(flip):
            Cf = np.where(np.array(flip)[:, None], -Cf, Cf)
        return C, Cf

    def _price_exact(self, cell, data, g, scaled_bound=None):
        A, D, prim = data["A"], data["D"], data["prim"]
        d = self.d
        C, Cf = self._constraints(cell, data)
        if scaled_bound is not None:
            wn, wd = 0, 1                      # max (cᵀg)²/‖c‖² over violated rows
            for c, nsq in zip(C, data["norm_sq"]):
                v = _dot(c, g)
                if v < 0 and v * v * wd > wn * nsq:
                    wn, wd = v * v, nsq
            if wn and ((sum(v * v for v in g) * wd - wn) * scaled_bound.denominator
                       <= scaled_bound.numerator * wd):
                return None
        u_num, den = _project_int(C, g, True, Cf)
        scale = D * self.R * den
        u = tuple(Fraction(v, scale) for v in u_num)
        value_sq = Fraction(sum(v * v for v in u_num), scale * scale)
        face, kind, wedge = self._classify(u_num, prim)
        if self.mode == "exact":
            value = _sqrt_ball(value_sq)
            return CellMax(value, u, face, kind, value_sq, int(value_sq > 0), wedge, "exact")
        # ball: ‖g(r) − g(mid)‖ ≤ ‖Σ_i |M_C,i| rad_i‖ for every r in the box
        w = _weights(cell.signs, self.model)
        delta = [Fraction(0)] * d
        for wi, rad, a in zip(w, self.rad, A):
            if wi and rad:
                for c in range(d):
                    delta[c] += abs(a[c]) * rad
        delta_sq = sum(v * v for v in delta) / (D * D)
        value = _sqrt_ball(value_sq) + _radius_ball(delta_sq)
        return CellMax(value, u, face, kind, value_sq, int(value_sq > 0), wedge, "ball")

    def _classify(self, u, prim):
        if not any(u):
            return (), "zero", ()
        face = tuple(i for i, a in enumerate(prim) if any(a) and _dot(a, u) == 0)
        if not face:
            return (), "interior", ()
        rows = [prim[i] for i in face]
        if _int_rank(rows) == self.d - 1:
            return face, "ray", tuple(face[k] for k in _independent_subset(rows))
        return face, "face", ()

    # ---- float
    def _price_float(self, cell, data, g, bound_sq=None):
        reps = data["reps_arr"]
        sg = np.array(cell.signs, dtype=np.float64)
        C = sg[reps, None] * data["reps_unit"] if len(reps) else np.zeros((0, self.d))
        Cg = C @ g
        if C.shape[0] == 0 or np.all(Cg >= 0):
            u = g
        else:
            if bound_sq is not None and float(g @ g - np.min(Cg) ** 2) <= bound_sq:
                return None           # the most violated half-space already bounds it
            from scipy.optimize import nnls
            mu, _ = nnls(C.T, -g)
            u = g + C.T @ mu
        value = float(np.sqrt(u @ u))
        if value <= 1e-13 * float(np.sqrt(g @ g)) or value == 0.0:
            return CellMax(0.0, np.zeros(self.d), (), "zero", 0.0, 0, (), "float")
        # tight rows: |â_iᵀu| ≤ 1e-10·‖u‖ (projection residuals are O(1e-15·‖g‖))
        tight = np.flatnonzero(data["nz"] & (np.abs(data["unit"] @ u) <= 1e-10 * value))
        face = tuple(int(i) for i in tight)
        if not face:
            return CellMax(value, u, (), "interior", value * value, 1, (), "float")
        T = data["unit"][tight]
        chosen = []
        for k in range(len(tight)):          # greedy independent rows (float rank, tol 1e-9)
            if len(chosen) == self.d - 1:
                break
            if np.linalg.matrix_rank(T[chosen + [k]], tol=1e-9) == len(chosen) + 1:
                chosen.append(k)
        kind = "ray" if len(chosen) == self.d - 1 else "face"
        wedge = tuple(face[k] for k in chosen) if kind == "ray" else ()
        return CellMax(value, u, face, kind, value * value, 1, wedge, "float")


def _sqrt_ball(q: Fraction):
    import flint
    with _prec(BALL_PREC):
        return flint.arb(flint.fmpq(q.numerator, q.denominator)).sqrt()


def _radius_ball(q: Fraction):
    """The ball [−√q, √q] (q ≥ 0 exact), its radius rounded up."""
    import flint
    if q == 0:
        return flint.arb(0)
    with _prec(BALL_PREC):
        up = flint.arb(flint.fmpq(q.numerator, q.denominator)).sqrt().upper()
    return flint.arb(0, up)


class _prec:
    def __init__(self, bits):
        self.bits = bits

    def __enter__(self):
        import flint
        self.old = flint.ctx.prec
        flint.ctx.prec = max(self.old, self.bits)

    def __exit__(self, *exc):
        import flint
        flint.ctx.prec = self.old


# ---------------------------------------------------------------- public functions

def cell_max(X, cell: Cell, model: str, r) -> CellMax:
    """The price of one cell: sup of gᵀu over the closed cone K_C with ‖u‖₂ ≤ 1,
    g = M_Cᵀr (see the module docstring for the three arithmetics).

    >>> from exactgeo.cells import cells
    >>> X = [[1, 0], [0, 1]]
    >>> C = list(cells(X))[1]                   # the quadrant u1 < 0 < u2
    >>> m = cell_max(X, C, "relu", ["1/10", "1/5"])
    >>> m.kind, m.u, m.value_sq, m.face
    ('ray', (Fraction(0, 1), Fraction(1, 5)), Fraction(1, 25), (0,))
    """
    return CellPricer(X, model, r).price(cell)


def price_cells(X, model: str, bias: bool, r, *, sign: int = 1,
                max_cells: int = DEFAULT_MAX_CELLS, progress=False
                ) -> Iterator[tuple]:
    """Stream ``(Cell, CellMax)`` over every cell of every anchor (:func:`all_cells`),
    priced with ``sign``·r (sign −1 prices the second group, −M_C, of each cell).

    >>> X = [[1, 0], [0, 1]]
    >>> [(c.signs, m.kind) for c, m in price_cells(X, "relu", False, ["1/10", "1/10"])]
    [((1, 1), 'interior'), ((-1, 1), 'ray'), ((-1, -1), 'zero'), ((1, -1), 'ray')]
    """
    pricer = CellPricer(X, model, r, sign)
    it = all_cells(pricer.X, bias, max_cells=max_cells)
    prog = as_progress(progress, label="price_cells")

    def gen():
        done = 0
        for cell in it:
            yield cell, pricer.price(cell)
            done += 1
            if done % 1024 == 0:
                prog.update(lambda: f"{done} cells priced")
        prog.done(f"{done} cells priced")
    return gen()


def _key(m: CellMax):
    if m.arithmetic == "exact":
        return m.value_sq
    if m.arithmetic == "ball":
        return _arb_fraction(m.value.upper())
    return m.value


def _signed_pricers(X, model, r, signs):
    if not signs or any(t not in (1, -1) for t in signs) or len(set(signs)) != len(signs):
        raise ValueError(f"signs: expected a non-empty sequence of distinct 1 and -1, got "
                         f"{signs!r}")
    pricers = [(t, CellPricer(X, model, r, t)) for t in signs]
    for _, p in pricers[1:]:            # one per-anchor cache for all signs
        p._anchor = pricers[0][1]._anchor
    return pricers


def _negated(g):
    return -g if isinstance(g, np.ndarray) else [-v for v in g]


def _gradient_norm_sq(pricer, cell, g):
    """‖g‖² in common units: float (float r) or Fraction (exact and ball r, midpoints)."""
    if pricer.mode == "float":
        return float(g @ g)
    scale = pricer._anchor_data(cell.anchor)["D"] * pricer.R
    return Fraction(sum(v * v for v in g), scale * scale)


def _priced_both(X, model, bias, r, signs, max_cells, progress, bound_sq=None):
    """Yield PricedCell for every cell and every sign in ``signs`` (one enumeration, one
    gradient per cell). (cell, sign) pairs with ‖g‖² ≤ ``bound_sq`` are skipped (their
    value cannot exceed it); ignored for ball r."""
    pricers = _signed_pricers(X, model, r, signs)
    base = pricers[0][1]
    prog = as_progress(progress, label="price_cells")
    done = 0
    for cell in all_cells(base.X, bias, max_cells=max_cells):
        g = base.gradient(cell)
        for t, pricer in pricers:
            m = pricer.price_above(cell, bound_sq, g if t == pricers[0][0] else _negated(g))
            if m is not None:
                yield PricedCell(cell, m, t)
        done += 1
        if done % 1024 == 0:
            prog.update(lambda: f"{done} cells priced")
    prog.done(f"{done} cells priced")


#: cells whose gradients are computed and sorted together by :func:`best_cell`
BEST_BLOCK = 4096


def best_cell(X, model: str, bias: bool, r, *, signs=(1, -1),
              max_cells: int = DEFAULT_MAX_CELLS, progress=False) -> Optional[PricedCell]:
    """The cell (and sign t of t·r) with the largest price over all cells, i.e. S(r) of
    THEORY §2.5 for the ℓ2 family: exact for exact r (value² over ℚ), by the balls' upper
    ends for ball r. Cells are taken in blocks of :data:`BEST_BLOCK`, largest ‖g‖ first,
    and a block stops at the first ‖g‖ ≤ the best value so far (value ≤ ‖g‖): on ties the
    cell kept is the first met in that deterministic order. None if there is no cell.

    >>> b = best_cell([[1, 0], [0, 1]], "relu", False, ["1/10", "1/10"])
    >>> b.cell.signs, b.max.value_sq, b.sign
    ((1, 1), Fraction(1, 50), 1)
    """
    pricers = _signed_pricers(X, model, r, signs)
    base = pricers[0][1]
    prog = as_progress(progress, label="best_cell")
    state = {"best": None, "best_sq": None}

    def consider(cell, g):
        for t, pricer in pricers:
            m = pricer.price_above(cell, state["best_sq"],
                                   g if t == pricers[0][0] else _negated(g))
            if m is None:
                continue
            if state["best"] is None or _key(m) > _key(state["best"].max):
                state["best"] = PricedCell(cell, m, t)
                if m.arithmetic != "ball":
                    state["best_sq"] = m.value_sq

    def flush(block):
        if base.mode != "ball":
            block.sort(key=lambda item: -item[2])
        for cell, g, nsq in block:
            if state["best_sq"] is not None and nsq <= state["best_sq"]:
                break
            consider(cell, g)

    block, done = [], 0
    for cell in all_cells(base.X, bias, max_cells=max_cells):
        g = base.gradient(cell)
        block.append((cell, g, _gradient_norm_sq(base, cell, g)))
        if len(block) >= BEST_BLOCK:
            flush(block)
            block = []
        done += 1
        if done % 1024 == 0:
            prog.update(lambda: f"{done} cells priced")
    flush(block)
    prog.done(f"{done} cells priced")
    return state["best"]


def cells_above(X, model: str, bias: bool, r, beta, *, signs=(1, -1),
                max_cells: int = DEFAULT_MAX_CELLS, progress=False) -> list:
    """Every (cell, sign) whose price exceeds β (exact r: value² > β² over ℚ; ball r:
    every cell not proven ≤ β, i.e. whose ball's upper end exceeds β or contains it;
    float r: value > β), as :class:`PricedCell` in enumeration order.

    >>> [(p.cell.signs, p.sign) for p in cells_above([[1, 0], [0, 1]], "relu", False,
    ...                                              ["1/10", "1/10"], "1/9")]
    [((1, 1), 1)]
    """
    out = []
    b = beta if _is_arb(beta) else to_fraction(beta, "beta")
    bound = None if _is_arb(b) or b <= 0 else b * b
    for p in _priced_both(X, model, bias, r, signs, max_cells, progress, bound):
        c = p.max.compare(beta)
        if c is None or c > 0:
            out.append(p)
    return out
