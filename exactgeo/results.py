"""The result of a fit: :class:`FitResult`, its ``fit --json`` contract (DESIGN), the
human-readable summary, and the rule that the reported network reproduces the reported
objective (:func:`check_reported`).

>>> from fractions import Fraction as F
>>> from exactgeo import fit
>>> res = fit([[F(1)], [F(2)]], [F(1, 10), F(-1, 10)], bias=False, beta=F(2), certify=True)
>>> res.nnz, res.objective_exact, res.to_json()["certificate"]["violation"]
(0, Fraction(1, 100), None)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Optional

import numpy as np

from .numbers import as_exact_array, fraction_str, is_exact_scalar, to_fraction

__all__ = ["FitResult", "check_reported", "InconsistentResult", "summary", "listed_neurons",
           "lasso_message"]


@dataclass
class FitResult:
    """Result of :func:`fit`; :meth:`to_json` gives the ``fit --json`` contract (DESIGN).

    ``objective`` float; ``objective_exact`` Fraction (rational dictionaries with an exact
    KKT certificate) or None; ``objective_enclosure`` (lo, hi) Fractions for ℓ2 columns;
    ``l1_norm``/``l1_norm_exact`` ‖z‖₁; ``intercept`` ξ (``intercept_exact``); ``nnz``;
    ``certificate`` a :class:`exactgeo.certify.Certificate` or None; ``net`` the network
    the family built (:class:`exactgeo.nets.Network`); ``atoms``/``z`` the active atoms and
    coefficients; ``lasso_status`` the :class:`exactgeo.solution.Solution` status ("exact" |
    "enclosed" | "undecided" | "not-certified" | "float"); ``family_obj`` the family, which
    describes each neuron in :meth:`neurons`.
    """
    objective: float
    objective_exact: Any
    l1_norm: float
    l1_norm_exact: Any
    intercept: float
    intercept_exact: Any
    nnz: int
    certificate: Any
    net: Any
    atoms: list
    z: Any
    seconds: float
    family: str = ""
    beta: Any = None
    min_norm: bool = False
    exact: bool = False
    lasso_status: str = "float"
    lasso_message: str = ""
    objective_enclosure: Any = None
    dictionary_size: int = 0
    n_zero: int = 0
    n_duplicate: int = 0
    n_samples: int = 0
    n_features: int = 0
    lasso_rel_gap: Optional[float] = None
    colgen: Optional[dict] = None
    route: Optional[dict] = None
    reconstruction_exact: Optional[bool] = None
    timings: dict = field(default_factory=dict)
    family_obj: Any = field(default=None, repr=False)
    X: Any = field(default=None, repr=False)          # the validated training data (n, d)
    extras: dict = field(default_factory=dict)        # Family.result_extras (JSON keys)

    def to_sympy(self, symbols=None):
        """The fitted network f(x) as a sympy expression (exact fits: exact algebraic
        weights); see :func:`exactgeo.closed_form.to_sympy`."""
        return self.net.to_sympy(symbols)

    def to_latex(self, *, explicit=None) -> str:
        """The closed form as LaTeX, each neuron written through the training points
        spanning it (checked on the training data); :func:`exactgeo.closed_form.to_latex`."""
        return self.net.to_latex(self.X, explicit=explicit)

    def neuron_forms(self) -> list:
        """:func:`exactgeo.closed_form.neuron_forms` of the network on the training data."""
        from .closed_form import neuron_forms
        return neuron_forms(self.net, self.X)

    def neuron(self, j: int) -> dict:
        """Neuron j of :meth:`neurons`."""
        zj = self.z[j]
        return {"coef": float(zj),
                "coef_exact": fraction_str(zj) if is_exact_scalar(zj) else None,
                **self.family_obj.neuron_json(self.atoms[j], self.net, j)}

    def neurons(self) -> list:
        """One dict per hidden neuron: coef, coef_exact, then what the family says of it
        (two-layer: points, axes, layers [{w, b}], alpha, atom)."""
        return [self.neuron(j) for j in range(len(self.z))]

    @classmethod
    def from_state(cls, state, *, seconds: float) -> "FitResult":
        """The result of the pipeline's final state (exactgeo.pipeline.FitState)."""
        sol, D, data = state.solution, state.columns, state.data
        exact_z = len(sol.z) > 0 and all(is_exact_scalar(v) for v in sol.z)
        z = np.array([to_fraction(v) for v in sol.z], dtype=object) if exact_z else \
            np.array([float(v) for v in sol.z], dtype=float)
        if exact_z or (not len(sol.z) and sol.objective_exact is not None):
            l1_exact = sum((abs(v) for v in z), Fraction(0))
        else:
            l1_exact = None              # float, or ℓ2-normalised columns (irrational)
        xi_exact = to_fraction(sol.xi) if is_exact_scalar(sol.xi) else None
        st = state.settings
        return cls(objective=float(sol.objective), objective_exact=sol.objective_exact,
                   l1_norm=float(sum(abs(float(v)) for v in z)), l1_norm_exact=l1_exact,
                   intercept=float(sol.xi), intercept_exact=xi_exact, nnz=len(z),
                   certificate=state.certificate, net=state.network, atoms=state.atoms, z=z,
                   seconds=seconds, family=state.family.name, beta=st.beta,
                   min_norm=st.min_norm, exact=data.exact, lasso_status=sol.status,
                   lasso_message=sol.message or lasso_message(sol.status, st.min_norm),
                   objective_enclosure=sol.enclosure,
                   dictionary_size=D.shape[1] if D is not None else 0,
                   n_zero=D.n_zero if D is not None else 0,
                   n_duplicate=D.n_duplicate if D is not None else 0,
                   n_samples=data.n, n_features=data.d, lasso_rel_gap=sol.rel_gap,
                   colgen=state.colgen, timings=state.timings, family_obj=state.family,
                   X=data.X, route=getattr(state, "route", None),
                   extras=state.family.result_extras(state))

    def to_json(self) -> dict:
        """The DESIGN ``fit --json`` keys (floats as numbers, exact values as "p/q"
        strings or null) plus extras."""
        cert = self.certificate
        if cert is None:
            cj = {"status": "upper-bound", "sup": None, "beta": _num(self.beta),
                  "samples": 0, "kind": "none", "violation": None,
                  "message": "not requested (certify=True / --certify): the value is "
                             "realizable, hence an upper bound"}
        else:
            cj = cert.to_json()
            if not cj.get("message"):                 # never an empty message
                cj["message"] = _CERT_WORDS.get(cj.get("status"), "see README")
        out = {
            "objective": self.objective,
            "objective_exact": _fs(self.objective_exact),
            "l1_norm": self.l1_norm,
            "l1_norm_exact": _fs(self.l1_norm_exact),
            "intercept": self.intercept,
            "nnz": self.nnz,
            "certificate": cj,
            "neurons": self.neurons(),
            "seconds": self.seconds,
            # extras
            "intercept_exact": _fs(self.intercept_exact),
            "family": self.family,
            "beta": _num(self.beta),
            "beta_exact": _fs(self.beta) if is_exact_scalar(self.beta) else None,
            "min_norm": self.min_norm,
            "exact": self.exact,
            "lasso_status": self.lasso_status,
            "lasso_message": self.lasso_message,
            "lasso_rel_gap": self.lasso_rel_gap,
            "dictionary_size": self.dictionary_size,
            "n_zero": self.n_zero,
            "n_duplicate": self.n_duplicate,
            "n_samples": self.n_samples,
            "n_features": self.n_features,
            "reconstruction_exact": self.reconstruction_exact,
            "timings": self.timings,
        }
        if self.objective_enclosure is not None:
            lo, hi = self.objective_enclosure
            out["objective_enclosure"] = [_fs(lo), _fs(hi)]
        if self.colgen is not None:
            out["colgen"] = self.colgen
        if self.route is not None:
            out["route"] = self.route
        for key, value in self.extras.items():       # the family's own keys
            out.setdefault(key, value)
        alg = getattr(cert, "objective_algebraic", None)
        if alg is not None:
            out["objective_algebraic"] = str(alg)     # exact irrational optimum (sympy)
        return out


_LASSO_WORDS = {
    "exact": "KKT conditions verified exactly over ℚ for every column (THEORY §5 steps 3-5)",
    "enclosed": "KKT conditions verified on rigorous ball enclosures, every inequality strict "
                "or an exact tie with a basis column (THEORY §5 step 8)",
    "undecided": "a tie |A_kᵀr| = β could not be separated on the enclosures",
    "not-certified": "the exact KKT step did not certify the float solution",
    "float": "floating-point solution (exact=False)",
}
_LP_WORDS = {
    "exact": "min-ℓ1 LP: primal feasibility, |A_kᵀλ| ≤ 1 and yᵀλ = ‖z‖₁ verified over ℚ "
             "(THEORY §5 step 9)",
    "enclosed": "min-ℓ1 LP: dual inequalities verified on rigorous ball enclosures "
                "(THEORY §5 step 9)",
}


def lasso_message(status: str, min_norm: bool = False) -> str:
    """What a Lasso / LP ``status`` means, for results whose solver left ``message`` empty
    (never an empty message in the output).

    >>> lasso_message("exact")
    'KKT conditions verified exactly over ℚ for every column (THEORY §5 steps 3-5)'
    """
    words = (_LP_WORDS.get(status) if min_norm else None) or _LASSO_WORDS.get(status)
    return words or f"status {status!r}"


_CERT_WORDS = {     # README "What a certificate says", for certificates without a message
    "certified-optimal": "proven globally optimal (THEORY §2.5)",
    "upper-bound": "not certified; the value is realizable, hence an upper bound",
    "sampled-no-violation": "no violation among the sampled neurons: evidence, not a proof",
    "undecided": "a tie S(r) = β could not be decided; the value is an upper bound",
}

LISTING_RTOL = 1e-9
"""Listings (summary) show float neurons with |z| ≥ LISTING_RTOL·max|z|; the network, its
objective and the JSON ``neurons`` keep every neuron."""


def listed_neurons(z, rtol: float = LISTING_RTOL):
    """(indices listed, threshold, number dropped): the neurons of a listing. Exact
    coefficients are all listed (none is numerical noise); float ones with |z| below
    ``rtol``·max|z| are dropped *from the listing only*.

    >>> listed_neurons(np.array([1.0, 1e-12, -0.5]))
    ([0, 2], 1e-09, 1)
    >>> listed_neurons(np.array([Fraction(1), Fraction(1, 10**12)], dtype=object))
    ([0, 1], None, 0)
    """
    z = np.asarray(z)
    if not len(z) or z.dtype == object:
        return list(range(len(z))), None, 0
    a = np.abs(z.astype(float))
    thr = rtol * float(a.max())
    keep = [int(k) for k in np.flatnonzero(a >= thr)]
    return keep, thr, len(z) - len(keep)


def _fs(q):
    if q is None:
        return None
    if is_exact_scalar(q):
        return fraction_str(q)
    return str(q)


def _num(v):
    return None if v is None else float(v)



def _exactly_equal(value, q) -> bool:
    """value (Fraction, or a sympy number from ℓ2 factorisations) == the Fraction q."""
    if isinstance(value, (int, Fraction)):
        return value == q
    import sympy
    diff = sympy.radsimp(sympy.expand(value - sympy.Rational(q.numerator, q.denominator)))
    return diff == 0 or sympy.nsimplify(diff) == 0


class InconsistentResult(RuntimeError):
    """The reported network does not reproduce the reported objective (an internal error:
    such a result is never returned)."""


def check_reported(res: FitResult, X, y, *, rtol: float = 1e-9) -> None:
    """Enforce: the forward pass of the reported network gives the reported objective —
    exactly for exact results (Fractions), inside the stated enclosure for enclosed ones
    (widened by ``rtol`` relative, the float64 rounding of the reported weights), and to
    ``rtol`` for float results. For min-norm the network must also interpolate y.
    Raises :class:`InconsistentResult` otherwise.

    X (n, d), y (n,) the validated data (exact object arrays for exact results).
    """
    net = res.net
    if res.objective_exact is not None and res.exact:
        Xq, yq = as_exact_array(X, "X"), as_exact_array(y, "y")
        if res.min_norm:
            f = net.forward(Xq)
            got = res.l1_norm_exact
            ok = all(a == b for a, b in zip(f, yq)) and got == res.objective_exact
            what = "interpolates y with ℓ1 norm"
        else:
            got = net.objective(Xq, yq, res.beta)
            ok = _exactly_equal(got, res.objective_exact)
            what = "has objective"
        if not ok:
            raise InconsistentResult(f"the reported network {what} {got}, not the reported "
                                     f"exact objective {fraction_str(res.objective_exact)}")
        return
    Xf, yf = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    f = np.asarray(net.forward(Xf), dtype=float)
    if res.min_norm:
        scale = 1.0 + float(np.abs(yf).max(initial=0.0))
        err = float(np.abs(f - yf).max(initial=0.0))
        if not err <= rtol * scale * max(1, len(res.atoms)):
            raise InconsistentResult(f"the reported min-norm network misses y by {err:.3g} "
                                     f"(tolerance {rtol:g} relative)")
        got = float(np.abs(np.asarray(res.z, dtype=float)).sum())
    else:
        got = float(net.objective(Xf, yf, float(res.beta)))
    if res.objective_enclosure is not None:
        lo, hi = (float(v) for v in res.objective_enclosure)
        tol = rtol * (1.0 + abs(hi))
        if not lo - tol <= got <= hi + tol:
            raise InconsistentResult(f"the reported network evaluates to {got!r}, outside "
                                     f"the reported enclosure [{lo!r}, {hi!r}]")
    elif not abs(got - res.objective) <= rtol * (1.0 + abs(res.objective)):
        raise InconsistentResult(f"the reported network evaluates to {got!r}, not the "
                                 f"reported objective {res.objective!r}")



def _short(q, digits: int = 60) -> str:
    s = fraction_str(q)
    return s if len(s) <= digits else f"{s[:digits // 2]}…{s[-digits // 4:]} ({len(s)} chars)"


def summary(res: FitResult, source: str = "") -> str:
    """A human-readable multi-line summary of a :class:`FitResult`."""
    lines = []
    head = f"exactgeo fit {source}: {res.n_samples} samples, d = {res.n_features}, {res.family}"
    head += ", min-norm (β → 0)" if res.min_norm else \
        f", β = {_fs(res.beta) if is_exact_scalar(res.beta) else res.beta}"
    lines.append(head)
    cells = res.route is not None and res.route.get("route") == "cells"
    if not cells:                        # the cells route has cells, not a column dictionary
        lines.append(f"dictionary: {res.dictionary_size} columns ({res.n_zero} zero and "
                     f"{res.n_duplicate} duplicate columns removed)")
    if res.route is not None:
        lines.append(f"route: {res.route['description']}"
                     + (f" over {res.route['cells']:,} cells" if cells else ""))
    what = "ℓ1 norm" if res.min_norm else "objective"
    obj = f"{what}: {res.objective:.12g}"
    if res.objective_exact is not None:
        obj += f" = {_short(res.objective_exact)} (exact)"
    elif res.objective_enclosure is not None:
        lo, hi = res.objective_enclosure
        obj += f" ∈ [{float(lo):.15g}, {float(hi):.15g}] (rigorous enclosure)"
        alg = getattr(res.certificate, "objective_algebraic", None)
        if alg is not None:
            obj += f" = {alg} (exact, algebraic)"
    lines.append(obj)
    lines.append(f"lasso: {res.lasso_status} — "
                 f"{res.lasso_message or lasso_message(res.lasso_status, res.min_norm)}")
    listed, thr, dropped = listed_neurons(res.z)
    lines.append(f"neurons: {res.nnz}, ℓ1 norm {res.l1_norm:.12g}, intercept {res.intercept:.12g}"
                 + (f" ({res.nnz - dropped} with |z| ≥ {thr:.3g} = {LISTING_RTOL:g}·max|z|)"
                    if dropped else ""))
    c = res.certificate
    if c is None:
        lines.append("certificate: not requested (--certify); the value is an upper bound")
    else:
        sup = "n/a" if c.sup is None else f"{c.sup:.12g}"
        extra = f", {c.samples} samples" if c.samples else ""
        lines.append(f"certificate: {c.status} (S = {sup}, β = {float(c.beta):.12g}{extra}) — "
                     f"{c.message or _CERT_WORDS.get(c.status, 'see README')}")
    if res.colgen is not None:
        cg = res.colgen
        lines.append(f"colgen: {cg['stop']} after {cg['rounds']} rounds ({cg['added']} added, "
                     f"converged = certified: {cg['converged']}) — "
                     f"{cg.get('message') or 'stopped: ' + str(cg['stop'])}")
    if res.reconstruction_exact is not None:
        lines.append("reconstruction: network objective == Lasso objective exactly: "
                     f"{res.reconstruction_exact}")
    show = listed[:8]
    for j in show:
        nj = res.neuron(j)
        w = ", ".join(f"{v:.4g}" for v in nj["layers"][0]["w"])
        kind = nj.get("atom", {}).get("kind")          # cells route: interior/face/ray
        lines.append(f"  z = {nj['coef']:+.6g}  points {nj['points']} axes {nj['axes']}  "
                     f"w = ({w}), b = {nj['layers'][0]['b']:.4g}"
                     + (f"  [{kind}]" if kind else ""))
    if len(listed) > len(show):
        lines.append(f"  … {len(listed) - len(show)} more (use --json or --latex)")
    if dropped:
        lines.append(f"  … and {dropped:,} neurons with |z| < {thr:.3g} ({LISTING_RTOL:g}·max|z|) "
                     "not listed (still in the network, its objective and --json)")
    lines.append(f"time: {res.seconds:.2f} s")
    return "\n".join(lines)

