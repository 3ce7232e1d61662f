"""The global dual certificate of a two-layer network problem and column generation
(THEORY §2.5, §5 step 7).

Given a Lasso residual r = y − Az − ξ𝟙 over a finite dictionary of ``family``, the
network is globally optimal iff S(r) = sup_θ |rᵀφ(X; θ)| ≤ β. The family's pricing
oracle evaluates S; this module decides the inequality and names the result. The status
words mean exactly this (README, and ``certificate.status`` in the JSON):

* ``certified-optimal`` – proven globally optimal: an exact oracle and S ≤ β decided over ℚ
  (or by squares, or over algebraic numbers), on an exact or rigorously enclosed KKT point.
  The objective is exact (``objective_exact``) or rigorously enclosed
  (``objective_enclosure``).
* ``upper-bound`` – not certified; the reported network is realizable, so its objective is
  an upper bound on the optimum. ``violation`` (JSON) is a neuron with |rᵀφ| > β — adding
  it strictly lowers the objective — with ``evidence`` "exact", "ball" (rigorous) or
  "float" (floating point only); it is ``null`` when no violation was found or looked for
  (float evidence, the exact KKT step failed, a limit was reached, or ``certify`` was off).
* ``sampled-no-violation`` – the oracle is sampled (``samples`` neurons) and none
  violates: evidence, never a proof.
* ``undecided`` – a tie S(r) = β (within the enclosure) could not be decided; ``message``
  says why. The value is still realizable (an upper bound).

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
from dataclasses import dataclass
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
    evidence: str = ""                   # how violating_atom was established (else by kind)

    def to_json(self) -> dict:
        out = {"status": self.status, "sup": self.sup, "beta": float(self.beta),
               "samples": int(self.samples), "kind": self.kind,
               "sup_exact": _fs(self.sup_exact), "sup_sq_exact": _fs(self.sup_sq_exact),
               "beta_exact": _fs(self.beta) if is_exact_scalar(self.beta) else None,
               "message": self.message}
        if self.objective_algebraic is not None:
            out["objective_algebraic"] = str(self.objective_algebraic)
        out["violation"] = None
        if self.violating_atom is not None:
            out["violating_atom"] = atom_json(self.violating_atom)
            out["violation"] = {"neuron": out["violating_atom"], "sup": self.sup,
                                "evidence": self.evidence or _EVIDENCE.get(self.kind, self.kind)}
        return out


_EVIDENCE = {"exact": "exact", "exact-algebraic": "exact", "enclosure": "ball",
             "float": "float", "sampled": "float"}


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
    """The family whose oracle prices the *network* problem: ``family.pricer()``."""
    return family.pricer()


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

    With such a rigorous r, a violation is claimed only when the oracle's maximiser,
    re-evaluated in ball arithmetic from the *exact* data (``X`` and ``beta`` exact; its
    feature column exact, its ℓ2 norm enclosed), has |rᵀφ| strictly above β: the
    witness is then ``violating_atom`` (``evidence="ball"``). A ball containing β is a
    tie (an active column attains β exactly, by KKT), never a violation: ``undecided``
    (``upper-bound`` if the KKT step failed). With float ``X`` or ``beta`` no rigorous
    test is possible, and floating-point evidence is reported as such, never as a
    violation of the enclosure.

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
        r_mid, _ = split
        return _certificate_float(family, X, r_mid, beta, b_f, samples, seed, r_radius,
                                  "enclosure", lasso_status, tol, r_arb=list(np.asarray(r).flat))
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


def _capped_status(lasso_status, pr_kind):
    """The status when no violation was established (see _from_float_pricing)."""
    if lasso_status == "not-certified":
        return "upper-bound"
    if pr_kind == "sampled":
        return "sampled-no-violation"
    return "undecided" if lasso_status == "enclosed" else "upper-bound"


def _certificate_float(family, X, r_f, beta, b_f, samples, seed, r_radius, kind,
                       lasso_status, tol, r_arb=None):
    pr = family.price(_float_X(X), r_f, samples=samples, seed=seed)
    smp = pr.samples if pr.kind == "sampled" else 0
    rigorous_r = r_arb is not None or r_radius > 0
    note = {"not-certified": "the exact KKT step failed, so the value is only realizable",
            "enclosed": "irrational residual: ties at active columns cannot be decided in floats"
            }.get(lasso_status, "float residual: rerun with exact=True to decide exactly")
    if rigorous_r and pr.atom is not None:
        from .lasso.exact.ball import ball_atom_value
        chk = ball_atom_value(family, X, pr.atom, r_arb if r_arb is not None else r_f, beta,
                              r_radius=r_radius)
        if chk is None:
            note = ("no rigorous ball test: X and beta must be exact (pass the exact data) "
                    "for a violation to be verified; " + note)
        else:
            atom, val, state = chk
            lo, hi = float(val.lower()), float(val.upper())
            if state == "violation":
                msg = (f"|r^T phi| in [{lo:.17g}, {hi:.17g}] > beta for violating_atom, in ball "
                       "arithmetic from the exact data and the residual enclosure: a rigorous "
                       "violation")
                if lasso_status == "not-certified":
                    # r is not the optimal residual: no violation of the network is claimed
                    return Certificate(status="upper-bound", sup=float(pr.sup), beta=beta,
                                       samples=smp, kind=kind,
                                       message=msg + " of the residual of a failed exact KKT "
                                       "step, which proves nothing about the optimum; " + note)
                return Certificate(status="upper-bound", sup=float(pr.sup), beta=beta,
                                   samples=smp, kind=kind, violating_atom=atom,
                                   evidence="ball", message=msg)
            status = _capped_status(lasso_status, pr.kind)
            if state == "tie":
                msg = (f"tie: |r^T phi| in [{lo:.17g}, {hi:.17g}] contains beta at the oracle's "
                       "maximiser (an active column attains beta exactly, by KKT), so it is "
                       "not a violation; the floating-point oracle cannot resolve the tie")
            else:
                msg = (f"the floating-point oracle's maximiser has |r^T phi| in [{lo:.17g}, "
                       f"{hi:.17g}] < beta (ball arithmetic), but a floating-point oracle "
                       "does not certify")
            if pr.kind == "sampled":
                msg += f"; no violation among {smp} sampled neurons"
            if lasso_status == "not-certified":
                msg += "; " + note
            return Certificate(status=status, sup=float(pr.sup), beta=beta, samples=smp,
                               kind=kind, message=msg)
    return _from_float_pricing(pr, beta, b_f, tol, kind, lasso_status, note)


def _from_float_pricing(pr, beta, b_f, tol, kind, lasso_status, note):
    smp = pr.samples if pr.kind == "sampled" else 0
    if float(pr.sup) > b_f * (1 + tol):
        if kind == "enclosure":
            # floating-point evidence against a rigorous enclosure proves nothing
            return Certificate(status=_capped_status(lasso_status, "exact"),
                               sup=float(pr.sup), beta=beta, samples=smp, kind=kind,
                               message=(f"S(r) ~ {float(pr.sup):.17g} > beta(1 + {tol:g}) in "
                                        f"floating point only, not verified rigorously; {note}"))
        return Certificate(status="upper-bound", sup=float(pr.sup), beta=beta, samples=smp,
                           kind=kind, violating_atom=pr.atom, evidence="float",
                           message=f"S(r) > beta(1 + {tol:g}) in floating point; {note}")
    if pr.kind == "sampled" and lasso_status != "not-certified":
        return Certificate(status="sampled-no-violation", sup=float(pr.sup), beta=beta,
                           samples=smp, kind=kind,
                           message=f"no violation among {smp} sampled neurons; {note}")
    if lasso_status == "enclosed":
        return Certificate(status="undecided", sup=float(pr.sup), beta=beta, samples=smp,
                           kind=kind, message=note)
    return Certificate(status="upper-bound", sup=float(pr.sup), beta=beta, samples=smp,
                       kind=kind, message=f"no violation found in floating point; {note}")


# --------------------------------------------------------------------- colgen
# Column generation is the working-set loop over a generated column source
# (exactgeo.lasso.colgen); it is re-exported here, its historical home, and loaded
# on first use so that importing this module stays light.
_LASSO_NAMES = {"column_generation": "colgen", "ColumnGeneration": "colgen",
                "STOP_REASONS": "colgen", "solve": "solver"}


def __getattr__(name):
    mod = _LASSO_NAMES.get(name)
    if mod is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module
    value = getattr(import_module(f"exactgeo.lasso.{mod}"), name)
    globals()[name] = value
    return value


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
    from .lasso.exact.ball import kkt_exact, l2_2d_decide
    t0 = time.perf_counter()
    deadline = t0 + float(budget)
    X = np.asarray(X, dtype=object)
    if X.ndim != 2:
        return None
    n, d = X.shape
    if d != 2 or n > max_n or len(support) > max_support or getattr(family, "reg", "") != "l2":
        return None
    if not (_is_exact_vector(X) and _is_exact_vector(y) and is_exact_scalar(beta)):
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
        from .lasso.exact.ball import quad_dot
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
