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

__all__ = ["FitResult", "check_reported", "InconsistentResult", "summary"]


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
    reconstruction_exact: Optional[bool] = None
    timings: dict = field(default_factory=dict)
    family_obj: Any = field(default=None, repr=False)

    def neurons(self) -> list:
        """One dict per hidden neuron: coef, coef_exact, then what the family says of it
        (two-layer: points, axes, layers [{w, b}], alpha, atom)."""
        return [{"coef": float(zj),
                 "coef_exact": fraction_str(zj) if is_exact_scalar(zj) else None,
                 **self.family_obj.neuron_json(atom, self.net, j)}
                for j, (atom, zj) in enumerate(zip(self.atoms, self.z))]

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
                   lasso_message=sol.message, objective_enclosure=sol.enclosure,
                   dictionary_size=D.shape[1] if D is not None else 0,
                   n_zero=D.n_zero if D is not None else 0,
                   n_duplicate=D.n_duplicate if D is not None else 0,
                   n_samples=data.n, n_features=data.d, lasso_rel_gap=sol.rel_gap,
                   colgen=state.colgen, timings=state.timings, family_obj=state.family)

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
        alg = getattr(cert, "objective_algebraic", None)
        if alg is not None:
            out["objective_algebraic"] = str(alg)     # exact irrational optimum (sympy)
        return out


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
    lines.append(f"dictionary: {res.dictionary_size} columns ({res.n_zero} zero and "
                 f"{res.n_duplicate} duplicate columns removed)")
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
    lines.append(f"lasso: {res.lasso_status}" +
                 (f" — {res.lasso_message}" if res.lasso_message else ""))
    lines.append(f"neurons: {res.nnz}, ℓ1 norm {res.l1_norm:.12g}, intercept {res.intercept:.12g}")
    c = res.certificate
    if c is None:
        lines.append("certificate: not requested (--certify); the value is an upper bound")
    else:
        sup = "n/a" if c.sup is None else f"{c.sup:.12g}"
        extra = f", {c.samples} samples" if c.samples else ""
        lines.append(f"certificate: {c.status} (S = {sup}, β = {float(c.beta):.12g}{extra}) — "
                     f"{c.message}")
    if res.colgen is not None:
        cg = res.colgen
        lines.append(f"colgen: {cg['stop']} after {cg['rounds']} rounds ({cg['added']} added, "
                     f"converged = certified: {cg['converged']}) — {cg['message']}")
    if res.reconstruction_exact is not None:
        lines.append("reconstruction: network objective == Lasso objective exactly: "
                     f"{res.reconstruction_exact}")
    show = res.neurons()[:8]
    for nj in show:
        w = ", ".join(f"{v:.4g}" for v in nj["layers"][0]["w"])
        lines.append(f"  z = {nj['coef']:+.6g}  points {nj['points']} axes {nj['axes']}  "
                     f"w = ({w}), b = {nj['layers'][0]['b']:.4g}")
    if res.nnz > len(show):
        lines.append(f"  … {res.nnz - len(show)} more (use --json)")
    lines.append(f"time: {res.seconds:.2f} s")
    return "\n".join(lines)

