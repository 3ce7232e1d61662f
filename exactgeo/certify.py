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

from dataclasses import dataclass
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
    """JSON form of an atom (its own ``to_json``: a family's atom type describes itself)."""
    return atom.to_json()


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
    family = family.pricer()   # the oracle of the network problem (THEORY §2.4)
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
