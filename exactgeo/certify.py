"""The global dual certificate of a two-layer network problem and column generation
(THEORY §2.5, §5 step 7).

Given a Lasso residual r = y − Az − ξ𝟙 over a finite dictionary of ``family``, the
network is globally optimal iff S(r) = sup_θ |rᵀφ(X; θ)| ≤ β. The family's pricing
oracle evaluates S; this module decides the inequality and names the result:

* ``certified-optimal`` – exact oracle, exact r and S ≤ β decided over ℚ (Fractions, or
  squares S² ≤ β² for irrational suprema), and the Lasso KKT step was exact;
* ``upper-bound`` – the network is realizable but not certified: a violation S > β was
  found (``violating_atom`` attains it), or the evidence is only floating point, or the
  exact KKT step failed (``lasso_status="not-certified"``);
* ``sampled-no-violation`` – the oracle is sampled (d ≥ 3, ℓ2) and found no violation;
* ``undecided`` – a tie that could not be resolved exactly (e.g. irrational residuals
  of ℓ2 columns, where every active column attains β by KKT).

>>> from fractions import Fraction as F
>>> decide(F(1, 10), F(1, 10), kind="exact")
'certified-optimal'
>>> decide(F(11, 100), F(1, 10), kind="exact")
'upper-bound'
>>> decide(None, F(1, 10), kind="exact", sup_sq=F(2, 100))   # S = √2/10 > 1/10
'upper-bound'
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Optional

import numpy as np

from .numbers import fraction_str, is_exact_scalar, to_fraction

__all__ = ["Certificate", "network_certificate", "column_generation", "ColumnGeneration",
           "decide", "STATUSES"]

STATUSES = ("certified-optimal", "upper-bound", "sampled-no-violation", "undecided")


@dataclass
class Certificate:
    """Outcome of the network-level dual certificate.

    ``sup`` float value of S(r) (a lower bound when ``kind == "sampled"``); ``sup_exact``
    (Fraction) or ``sup_sq_exact`` (S² as a Fraction) when known exactly; ``beta`` the
    bound (1 for the min-norm dual λ); ``samples`` the sampled-oracle size (0 when exact);
    ``kind`` "exact" | "sampled" | "float" | "enclosure" | "none"; ``violating_atom`` the
    atom attaining S when S > β.
    """
    status: str
    sup: Optional[float]
    beta: Any
    samples: int = 0
    kind: str = "none"
    sup_exact: Any = None
    sup_sq_exact: Any = None
    violating_atom: Any = None
    message: str = ""
    objective_algebraic: Any = None      # sympy value of the Lasso optimum (ℓ2 ties)

    def to_json(self) -> dict:
        out = {"status": self.status, "sup": self.sup, "beta": float(self.beta),
               "samples": int(self.samples), "kind": self.kind,
               "sup_exact": _fs(self.sup_exact), "sup_sq_exact": _fs(self.sup_sq_exact),
               "beta_exact": _fs(self.beta) if is_exact_scalar(self.beta) else None,
               "message": self.message}
        if self.objective_algebraic is not None:
            out["objective_algebraic"] = str(self.objective_algebraic)
        if self.violating_atom is not None:
            out["violating_atom"] = atom_json(self.violating_atom)
        return out


def _fs(q):
    return None if q is None else fraction_str(q)


def atom_json(atom) -> dict:
    """JSON form of an atom: floats for u, c; exact strings when exact."""
    u = list(np.asarray(atom.u, dtype=object).flat)
    exact = all(is_exact_scalar(v) for v in u) and is_exact_scalar(atom.c if atom.c is not None else 0)
    out = {"u": [float(v) for v in u], "c": float(atom.c or 0),
           "points": [int(p) for p in atom.points], "axes": [int(a) for a in atom.axes]}
    if atom.norm_sq is not None:
        s = float(atom.norm_sq) ** 0.5
        out["u"] = [v / s for v in out["u"]]
        out["c"] = out["c"] / s
    if exact:
        out["u_exact"] = [fraction_str(v) for v in u]
        out["c_exact"] = fraction_str(atom.c or 0)
        out["norm_sq_exact"] = _fs(atom.norm_sq)
    return out


def decide(sup, beta, *, kind: str, sup_sq=None) -> str:
    """Status from an exact supremum (Fraction ``sup`` or its square ``sup_sq``) and an
    exact β > 0, compared over ℚ. ``kind`` "exact" or "sampled"."""
    b = to_fraction(beta, "beta")
    if sup is not None:
        viol = to_fraction(sup) > b
    elif sup_sq is not None:
        viol = to_fraction(sup_sq) > b * b
    else:
        raise ValueError("decide: expected sup or sup_sq")
    if viol:
        return "upper-bound"
    return "certified-optimal" if kind == "exact" else "sampled-no-violation"


def pricing_family(family):
    """The family whose oracle prices the *network* problem. For ℓ1 families built
    without axes (dictionaries W1 / T), the finite dictionary is not the network's
    neuron set: the supremum is over all ℓ1-unit neurons, which the W1+ / B1+ oracle
    evaluates exactly (THEORY §2.4), so price with the axes=True sibling."""
    if getattr(family, "reg", None) == "l1" and getattr(family, "axes", True) is False:
        from .families import get_family
        return get_family(family.activation, depth=getattr(family, "depth", 2), reg="l1",
                          bias=family.bias, axes=True)
    return family


def _is_exact_vector(r) -> bool:
    arr = np.asarray(r, dtype=object)
    return arr.size > 0 and all(is_exact_scalar(v) for v in arr.flat)


def _arb_split(r):
    """flint arb vector → (midpoints float, radius bound float) or None."""
    try:
        import flint
    except ImportError:  # pragma: no cover
        return None
    vals = list(np.asarray(r, dtype=object).flat)
    if not vals or not all(isinstance(v, flint.arb) for v in vals):
        return None
    mid = np.array([float(v.mid()) for v in vals])
    rad = np.array([float(v.rad()) for v in vals])
    return mid, rad


def network_certificate(family, X, r, beta, *, samples: int = 2000, seed: int = 0,
                        lasso_status: str = "exact", r_radius: float = 0.0,
                        tol: float = 1e-9) -> Certificate:
    """Evaluate S(r) with ``family.price`` and decide S ≤ β (THEORY §2.5, §5.7).

    ``X`` (n, d) and ``r`` (n,) exact (Fractions) for an exact decision; float ``r`` gives
    only floating-point evidence (``kind="float"``), so the status is then at best
    ``upper-bound`` (exact oracle) or ``sampled-no-violation`` (sampled oracle).
    ``r`` may also be a vector of ``flint.arb`` balls (ℓ2 enclosures), or floats with a
    rigorous bound ``r_radius`` on ‖r − r_float‖₂. ``lasso_status`` is the status of the
    exact KKT step ("exact", "enclosed", "not-certified", or "float"); anything but
    "exact" caps the result at ``upper-bound``/``undecided``.

    >>> import numpy as np
    >>> from fractions import Fraction as F
    >>> from exactgeo.families import get_family
    >>> X = np.array([[F(1), F(0)], [F(0), F(1)]], dtype=object)     # THEORY G1
    >>> r = np.array([F(1, 10), F(1, 10)], dtype=object)             # the W2 residual
    >>> network_certificate(get_family("relu", reg="l1", bias=False), X, r, F(1, 10)).status
    'certified-optimal'
    >>> c = network_certificate(get_family("relu", reg="l2", bias=False), X, r, F(1, 10))
    >>> c.status, c.sup_sq_exact                                     # S = √2·β > β
    ('upper-bound', Fraction(1, 50))
    """
    family = pricing_family(family)
    if lasso_status == "undecided":          # ties left by the KKT step: treat as enclosure
        lasso_status = "enclosed"
    beta_exact = is_exact_scalar(beta)
    b_f = float(beta)
    split = _arb_split(r)
    if split is not None:
        r_mid, rad = split
        r_radius = max(r_radius, float(np.sqrt(np.sum(rad ** 2))))
        return _certificate_float(family, X, r_mid, beta, b_f, samples, seed, r_radius,
                                  "enclosure", lasso_status, tol)
    if _is_exact_vector(r) and beta_exact and lasso_status == "exact":
        pr = family.price(X, np.asarray(r, dtype=object), samples=samples, seed=seed)
        smp = pr.samples if pr.kind == "sampled" else 0
        if pr.sup_exact is None and pr.sup_sq_exact is None:
            # the oracle gave no exact value: fall back to float evidence
            return _from_float_pricing(pr, beta, b_f, tol, "float", lasso_status,
                                       "the pricing oracle returned no exact supremum")
        status = decide(pr.sup_exact, beta, kind=pr.kind, sup_sq=pr.sup_sq_exact)
        msg = {"certified-optimal": "S(r) <= beta decided exactly over Q: the network is "
                                    "globally optimal (THEORY 2.5)",
               "upper-bound": "S(r) > beta: the dictionary value is not the network optimum; "
                              "violating_atom attains S (add it: column generation)",
               "sampled-no-violation": f"no violation among {smp} sampled neurons; "
                                       "a sampled oracle never certifies"}[status]
        return Certificate(status, float(pr.sup), beta, smp, pr.kind, pr.sup_exact,
                           pr.sup_sq_exact, pr.atom if status == "upper-bound" else None, msg)
    r_f = np.asarray(r, dtype=float)
    kind = "float" if lasso_status != "enclosed" else "enclosure"
    return _certificate_float(family, X, r_f, beta, b_f, samples, seed, r_radius, kind,
                              lasso_status, tol)


def _float_X(X):
    arr = np.asarray(X)
    return np.asarray(arr, dtype=float)


def _certificate_float(family, X, r_f, beta, b_f, samples, seed, r_radius, kind,
                       lasso_status, tol):
    pr = family.price(_float_X(X), r_f, samples=samples, seed=seed)
    smp = pr.samples if pr.kind == "sampled" else 0
    if r_radius > 0 and pr.atom is not None:
        # rigorous violation test at the maximiser: |r^T phi| >= |r_f^T phi| - ||r - r_f|| ||phi||
        phi = np.asarray(family.features(_float_X(X), [pr.atom]), dtype=float)[:, 0]
        lower = abs(float(r_f @ phi)) - r_radius * float(np.linalg.norm(phi)) * (1 + 1e-12)
        if lower > b_f * (1 + 4 * np.finfo(float).eps):
            return Certificate("upper-bound", float(pr.sup), beta, smp, kind, None, None,
                               pr.atom, "S(r) > beta on the enclosure: a rigorous violation")
        msg = ("S(r) = beta up to the enclosure radius: every active column attains beta "
               "exactly (KKT), so the tie cannot be resolved in floating point")
        if lasso_status == "not-certified":
            return Certificate("upper-bound", float(pr.sup), beta, smp, kind, message=msg)
        return Certificate("undecided", float(pr.sup), beta, smp, kind, message=msg)
    note = {"not-certified": "the exact KKT step failed, so the value is only realizable",
            "enclosed": "irrational residual: ties at active columns cannot be decided in floats"
            }.get(lasso_status, "float residual: rerun with exact=True to decide exactly")
    return _from_float_pricing(pr, beta, b_f, tol, kind, lasso_status, note)


def _from_float_pricing(pr, beta, b_f, tol, kind, lasso_status, note):
    smp = pr.samples if pr.kind == "sampled" else 0
    if float(pr.sup) > b_f * (1 + tol):
        return Certificate("upper-bound", float(pr.sup), beta, smp, kind, None, None, pr.atom,
                           f"S(r) > beta(1 + {tol:g}) in floating point; {note}")
    if pr.kind == "sampled" and lasso_status != "not-certified":
        return Certificate("sampled-no-violation", float(pr.sup), beta, smp, kind,
                           message=f"no violation among {smp} sampled neurons; {note}")
    if lasso_status == "enclosed":
        return Certificate("undecided", float(pr.sup), beta, smp, kind, message=note)
    return Certificate("upper-bound", float(pr.sup), beta, smp, kind,
                       message=f"no violation found in floating point; {note}")


# --------------------------------------------------------------------- colgen

@dataclass
class ColumnGeneration:
    """Result of :func:`column_generation` (floats).

    ``atoms`` the final column set, ``A`` (n, p) its float feature matrix, ``solution`` the
    last :class:`LassoSolution` (or a stand-in with z, xi, objective for p = 0), ``history``
    the oracle value S(r) per round, ``added`` the atoms added, ``converged`` whether
    S ≤ β(1 + tol) at the end, ``pricing`` the last oracle answer.
    """
    atoms: list
    A: np.ndarray
    solution: Any
    history: list = field(default_factory=list)
    added: list = field(default_factory=list)
    rounds: int = 0
    converged: bool = False
    pricing: Any = None
    seconds: float = 0.0

    @property
    def objective(self) -> float:
        return float(self.solution.objective)


@dataclass
class _Trivial:
    z: np.ndarray
    xi: float
    residual: np.ndarray
    objective: float
    converged: bool = True
    gap: float = 0.0
    rel_gap: float = 0.0


def solve(A, y, beta, *, intercept=True, tol=1e-9, z0=None, xi0=None):
    """``exactgeo.lasso.solve_lasso`` with the empty dictionary handled (p = 0)."""
    A = np.asarray(A, dtype=float)
    y = np.asarray(y, dtype=float)
    if A.shape[1] == 0:
        xi = float(y.mean()) if intercept else 0.0
        r = y - xi
        return _Trivial(np.zeros(0), xi, r, 0.5 * float(r @ r))
    from .lasso import solve_lasso
    return solve_lasso(A, y, float(beta), intercept=intercept, tol=tol, z0=z0, xi0=xi0)


def column_generation(family, X, y, beta, *, intercept: bool = True, max_rounds: int = 50,
                      tol: float = 1e-6, lasso_tol: float = 1e-10, samples: int = 2000,
                      seed: int = 0, atoms=None, dictionary=None) -> ColumnGeneration:
    """Solve the Lasso on a dictionary (``atoms``, default the family's finite dictionary),
    price the residual with the family oracle, add the maximiser as a column and re-solve
    warm-started, until S(r) ≤ β(1 + tol) or ``max_rounds`` (THEORY §2.5).

    Floating point throughout; with an exact oracle (1-D, 2-D, ℓ1) the value converges to
    the network optimum P∞. On THEORY G1 (ℓ2) it adds u = (1, 1)/√2 and reaches
    √2/10 − 1/200. ``atoms=[]`` starts from the empty dictionary (for dictionaries too
    large to store); ``dictionary`` reuses an already built one.

    >>> import numpy as np
    >>> from exactgeo.families import get_family
    >>> cg = column_generation(get_family("relu", reg="l2", bias=False), np.eye(2),
    ...                        np.ones(2), 0.1, intercept=False)
    >>> round(cg.objective, 12), cg.added[0].u.round(6).tolist()
    (0.136421356237, [0.707107, 0.707107])
    """
    t0 = time.perf_counter()
    Xf = _float_X(X)
    yf = np.asarray(y, dtype=float)
    b_f = float(beta)
    if atoms is None:
        D = dictionary if dictionary is not None else family.dictionary(Xf, exact=False)
        atoms = list(D.atoms)
        A = np.asarray(D.float_matrix(), dtype=float)
    else:
        atoms = list(atoms)
        A = (np.asarray(family.features(Xf, atoms), dtype=float) if atoms
             else np.zeros((len(yf), 0)))
    sol = solve(A, yf, b_f, intercept=intercept, tol=lasso_tol)
    oracle = pricing_family(family)
    history, added = [], []
    converged = False
    pr = None
    rounds = 0
    for rounds in range(1, max_rounds + 1):
        z = np.asarray(sol.z, dtype=float)
        r = yf - A @ z - float(sol.xi)
        pr = oracle.price(Xf, r, samples=samples, seed=seed)
        history.append(float(pr.sup))
        if float(pr.sup) <= b_f * (1 + tol) or pr.atom is None:
            converged = True
            break
        col = np.asarray(oracle.features(Xf, [pr.atom]), dtype=float)[:, 0]
        if A.shape[1] and np.min(np.max(np.abs(A - col[:, None]), axis=0)) <= 1e-12 * (1 + np.abs(col).max()):
            break  # the maximiser is already a column: the solver, not the dictionary, limits
        atoms.append(pr.atom)
        added.append(pr.atom)
        A = np.column_stack([A, col])
        z0 = np.append(z, 0.0)
        sol = solve(A, yf, b_f, intercept=intercept, tol=lasso_tol, z0=z0, xi0=float(sol.xi))
    return ColumnGeneration(atoms, A, sol, history, added, rounds, converged, pr,
                            time.perf_counter() - t0)


# ------------------------------------------------- ℓ2 ties over algebraic numbers

def _sym_sign(e) -> int:
    """Exact sign of a real algebraic sympy number (square-root expressions)."""
    import sympy as sp
    e = sp.radsimp(sp.expand(e))
    if e == 0:
        return 0
    v = sp.N(e, 60)
    if abs(v) > sp.Float("1e-45", 60):
        return 1 if v > 0 else -1
    x = sp.Symbol("x")
    if sp.minimal_polynomial(e, x) == x:
        return 0
    v = sp.N(e, 400)
    if v == 0:  # pragma: no cover - would need more precision
        raise ArithmeticError("sign undecided")
    return 1 if v > 0 else -1


def _l2_2d_sup_sq(X, lam, activation: str):
    """sup_{‖u‖₂=1} |lamᵀσ(Xu)|² for exact X (n, 2) Fractions and sympy ``lam`` (no bias),
    by the angular sectors of THEORY §2.5; returns (S² sympy, maximising direction)."""
    import functools
    import sympy as sp
    rays = []
    for x in X:
        if x[0] != 0 or x[1] != 0:
            rho = (-x[1], x[0])
            rays += [rho, (-rho[0], -rho[1])]
    if not rays:
        return sp.Integer(0), None

    def half(v):
        return 0 if (v[1] > 0 or (v[1] == 0 and v[0] > 0)) else 1

    def cmp(a, b):
        ha, hb = half(a), half(b)
        if ha != hb:
            return ha - hb
        cr = a[0] * b[1] - a[1] * b[0]
        return -1 if cr > 0 else (1 if cr < 0 else 0)

    rays.sort(key=functools.cmp_to_key(cmp))
    uniq = [rays[0]]
    for v in rays[1:]:
        if cmp(uniq[-1], v) != 0:
            uniq.append(v)
    Xs = [(sp.Rational(x[0]), sp.Rational(x[1])) for x in X]
    best, arg = sp.Integer(0), None
    m = len(uniq)
    for k in range(m):
        a, b = uniq[k], uniq[(k + 1) % m]
        cr = a[0] * b[1] - a[1] * b[0]
        if m == 1 or (cr == 0):       # half-plane chamber (angle π): interior ⟂ a
            uc = (-a[1], a[0])
            half_plane = True
        else:
            uc = (a[0] + b[0], a[1] + b[1])
            half_plane = False
        gx, gy = sp.Integer(0), sp.Integer(0)
        for x, xs, li in zip(X, Xs, lam):
            t = x[0] * uc[0] + x[1] * uc[1]
            if activation == "relu":
                if t > 0:
                    gx, gy = gx + li * xs[0], gy + li * xs[1]
            elif t != 0:
                s = 1 if t > 0 else -1
                gx, gy = gx + s * li * xs[0], gy + s * li * xs[1]
        for sg in (1, -1):
            hx, hy = sg * gx, sg * gy
            inside = _sym_sign(a[0] * hy - a[1] * hx) >= 0 and \
                (half_plane or _sym_sign(hx * b[1] - hy * b[0]) >= 0)
            if inside:
                cands = [(hx ** 2 + hy ** 2, (hx, hy))]
            else:
                cands = []
                for v in (a, b):
                    dot = hx * v[0] + hy * v[1]
                    if _sym_sign(dot) > 0:
                        cands.append((dot ** 2 / (v[0] ** 2 + v[1] ** 2), v))
            for val, u in cands:
                if _sym_sign(val - best) > 0:
                    best, arg = sp.radsimp(sp.expand(val)), u
    return best, arg


def exact_l2_certificate(family, X, columns, norm_sq, support, signs, y, beta, *,
                         intercept: bool, max_n: int = 40, max_support: int = 8):
    """Resolve the ℓ2 tie S(r) = β exactly over algebraic numbers (THEORY §5.8): rebuild
    r = y − Mθ from the KKT basis F (columns a_k/√q_k, sympy), then run the 2-D angular
    oracle on it with exact sign decisions. Returns a :class:`Certificate` or None when
    out of scope (d ≠ 2, n > ``max_n``, |F| > ``max_support``) or sympy fails.
    """
    import sympy as sp
    X = np.asarray(X, dtype=object)
    n, d = X.shape
    if d != 2 or n > max_n or len(support) > max_support or getattr(family, "reg", "") != "l2":
        return None
    try:
        cols = []
        for k in support:
            q = sp.Rational(to_fraction(norm_sq[k])) if norm_sq is not None else sp.Integer(1)
            cols.append([sp.Rational(to_fraction(v)) / sp.sqrt(q) for v in columns[:, k]])
        if intercept:
            cols.append([sp.Integer(1)] * n)
        Y = sp.Matrix([sp.Rational(to_fraction(v)) for v in y])
        b = sp.Rational(to_fraction(beta))
        if cols:
            M = sp.Matrix(n, len(cols), lambda i, j: cols[j][i])
            rhs = M.T * Y - sp.Matrix([b * int(s) for s in signs] + ([0] if intercept else []))
            theta = (M.T * M).LUsolve(rhs)
            r = [sp.radsimp(sp.expand(v)) for v in (Y - M * theta)]
            zF = [sp.radsimp(sp.expand(theta[i])) for i in range(len(support))]
        else:
            r, zF = list(Y), []
        if any(_sym_sign(int(s) * z) <= 0 for s, z in zip(signs, zF)):
            return None                      # the basis does not reproduce the signs
        obj = sp.nsimplify(sp.radsimp(sp.expand(sum(v * v for v in r) / 2 +
                                                b * sum(int(s) * z for s, z in zip(signs, zF)))))
        if intercept and _sym_sign(sum(r)) != 0:
            return None
        act = family.activation
        S2, arg = sp.Integer(0), None
        anchors = range(n) if getattr(family, "bias", False) else [None]
        for j in anchors:
            Xj = X if j is None else np.array([[x[0] - X[j][0], x[1] - X[j][1]] for x in X],
                                              dtype=object)
            v, u = _l2_2d_sup_sq(Xj, r, act)
            if _sym_sign(v - S2) > 0:
                S2, arg = v, u
        viol = _sym_sign(S2 - b ** 2) > 0
    except (ArithmeticError, ValueError, TypeError, ZeroDivisionError, NotImplementedError):
        return None
    sup = float(sp.sqrt(S2))
    S2q = to_fraction(S2) if S2.is_Rational else None
    if viol:
        return Certificate("upper-bound", sup, beta, 0, "exact-algebraic", None, S2q, None,
                           f"S(r)^2 = {S2} > beta^2, decided over algebraic numbers (sympy)",
                           objective_algebraic=obj)
    return Certificate("certified-optimal", sup, beta, 0, "exact-algebraic", None, S2q, None,
                       f"S(r)^2 = {S2} <= beta^2 decided exactly over algebraic numbers "
                       "(sympy): the network is globally optimal (THEORY 2.5, 5.8)",
                       objective_algebraic=obj)
