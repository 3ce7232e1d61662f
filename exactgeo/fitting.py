"""``exactgeo.fit`` and ``exactgeo fit``: a two-layer network fitted as a Lasso over a
finite geometric dictionary, with the exact KKT certificate (THEORY §5) and the global
network certificate (THEORY §2.5).

Pipeline: family (model, reg, bias) → finite dictionary → float Lasso (numba CD) →
[exact=True] exact KKT over ℚ (or a ball enclosure for ℓ2 columns) → [certify=True]
the pricing oracle S(r) ≤ β → the network rebuilt from (atoms, z) (THEORY §2.6).

Exactness: exact inputs (Fractions, sympy Rationals, fmpq; object arrays) switch on
``exact``; ``exact=True`` on float data converts every float *exactly* (its binary value,
``exactgeo.numbers.as_exact_array``), so ``0.1`` becomes 3602879701896397/2**55 — read
decimal data with ``read_csv(path, exact=True)`` (``"0.1"`` → 1/10) or pass Fractions
to keep denominators short. A float β with ``exact=True`` is converted the same way;
pass β as a Fraction or a string such as ``"1/1000"``.

>>> from fractions import Fraction as F
>>> X = [[F(1), F(0)], [F(0), F(1)]]; y = [F(1), F(1)]
>>> res = fit(X, y, model="relu", reg="l1", bias=False, beta=F(1, 10), certify=True)
>>> res.objective_exact, res.certificate.status
(Fraction(19, 100), 'certified-optimal')
"""
from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Optional

import numpy as np

from .numbers import FLOAT_MAX, check_float_range, describe
from .numbers import (as_array, as_exact_array, fraction_str, is_exact_scalar,
                      parse_fraction_str, to_fraction)

__all__ = ["fit", "FitResult", "cli_fit", "check_reported", "InconsistentResult"]


@dataclass
class FitResult:
    """Result of :func:`fit`; :meth:`to_json` gives the ``fit --json`` contract (DESIGN).

    ``objective`` float; ``objective_exact`` Fraction (rational dictionaries with an exact
    KKT certificate) or None; ``objective_enclosure`` (lo, hi) Fractions for ℓ2 columns;
    ``l1_norm``/``l1_norm_exact`` ‖z‖₁; ``intercept`` ξ (``intercept_exact``); ``nnz``;
    ``certificate`` a :class:`exactgeo.certify.Certificate` or None; ``net`` the rebuilt
    :class:`exactgeo.nets.TwoLayerNet`; ``atoms``/``z`` the active atoms and coefficients;
    ``lasso_status`` "exact" | "enclosed" | "not-certified" | "float".
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

    def neurons(self) -> list:
        """One dict per hidden neuron: coef, coef_exact, points, axes, layers [{w, b}], atom."""
        from .certify import atom_json
        out = []
        W, b = self.net.layers[0] if self.net is not None else (np.zeros((0, 0)), np.zeros(0))
        for j, atom in enumerate(self.atoms):
            zj = self.z[j]
            exact = is_exact_scalar(zj)
            out.append({
                "coef": float(zj),
                "coef_exact": fraction_str(zj) if exact else None,
                "points": [int(p) for p in atom.points],
                "axes": [int(a) for a in atom.axes],
                "layers": [{"w": [float(v) for v in W[j]], "b": float(b[j])}],
                "alpha": float(self.net.alpha[j]),
                "atom": atom_json(atom),
            })
        return out

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


# ------------------------------------------------------------------ validation

def _parse_beta(beta, min_norm):
    if min_norm:
        if beta is not None:
            raise ValueError(f"beta: give beta or min_norm=True, not both (got beta={beta!r})")
        return None
    if beta is None:
        raise ValueError("beta: expected a regularization β > 0 (or min_norm=True), got None")
    if isinstance(beta, str):
        b = parse_fraction_str(beta, "beta")      # exact: "1e-400" stays 1/10**400
    elif isinstance(beta, (float, np.floating)):
        if not math.isfinite(beta):
            raise ValueError(f"beta: expected a finite number > 0, got {beta!r}")
        b = float(beta)
    else:
        b = to_fraction(beta, "beta")
    shown = repr(beta) if isinstance(beta, str) else describe(beta)   # what the user gave
    if not b > 0:
        raise ValueError(f"beta: expected a number > 0, got {shown}")
    try:
        b_f = float(b)
    except OverflowError:
        raise ValueError(f"beta: {shown} is beyond the float range (about 1.8e308); expected "
                         "a finite number > 0") from None
    if not b_f > 0:
        raise ValueError(f"beta: {shown} underflows to 0.0 in floating point (the Lasso "
                         "solver works in floats), so it is not > 0; expected beta >= about "
                         "5e-324, or min_norm=True (CLI: --min-norm) for the beta -> 0 limit")
    return b


def _validate(X, y, model, depth, reg):
    if model not in ("relu", "abs"):
        raise ValueError(f"model: expected 'relu' or 'abs', got {model!r}")
    if reg not in ("l1", "l2"):
        raise ValueError(f"reg: expected 'l1' or 'l2', got {reg!r}")
    if not isinstance(depth, (int, np.integer)) or isinstance(depth, bool):
        raise TypeError(f"depth: expected an integer, got {depth!r}")
    if depth != 2:
        raise ValueError(f"depth: depth 2 only for now (two-layer networks), got {depth}")
    X_arr, ex_x = as_array(X, "X")
    y_arr, ex_y = as_array(y, "y")
    if X_arr.ndim == 1:
        X_arr = X_arr.reshape(-1, 1)
    if X_arr.ndim != 2:
        raise ValueError(f"X: expected shape (n, d), got shape {X_arr.shape}")
    if y_arr.ndim != 1 or y_arr.shape[0] != X_arr.shape[0]:
        raise ValueError(f"y: expected shape ({X_arr.shape[0]},) to match X {X_arr.shape}, "
                         f"got {y_arr.shape}")
    if X_arr.shape[0] < 1 or X_arr.shape[1] < 1:
        raise ValueError(f"X: expected at least one sample and one feature, got {X_arr.shape}")
    # the float stages (solver, float mirror) need every exact value to be a finite float
    check_float_range(X_arr, "X")
    check_float_range(y_arr, "y")
    n = X_arr.shape[0]
    y_max = float(np.max(np.abs(np.asarray(y_arr, dtype=float))))
    if y_max > math.sqrt(FLOAT_MAX / (4 * n)):
        raise ValueError(f"y: values up to {y_max:.3g} in magnitude overflow the squared loss "
                         f"(1/2)|f(X) - y|^2 in floating point; expected |y| <= "
                         f"{math.sqrt(FLOAT_MAX / (4 * n)):.3g} for n = {n} — rescale y")
    return X_arr, ex_x, y_arr, ex_y


# ------------------------------------------------------------------------- fit

def fit(X, y, model: str = "relu", depth: int = 2, reg: str = "l1", bias: bool = True,
        beta=None, min_norm: bool = False, exact: bool = False, certify: bool = False,
        colgen: bool = False, samples: int = 2000, seed: int = 0, axes=None,
        max_rounds: int = 50, max_bytes: int = 2 ** 31, max_seconds=None,
        progress: bool = False) -> FitResult:
    """Fit a two-layer network (σ = ``model``) as a Lasso over the family's dictionary.

    X (n, d) (1-D X is read as (n, 1)), y (n,); loss ½‖f(X) − y‖² + (β/2)Σ(‖w‖_p² + α²)
    = the Lasso ½‖Az + ξ𝟙 − y‖² + β‖z‖₁ (THEORY §2.2). ``min_norm``: the β → 0 limit,
    the minimum-ℓ1 interpolating network (objective = its ℓ1 norm). ``exact``: exact KKT
    certificate (automatic for exact inputs). ``certify``: the global dual certificate.
    ``colgen``: column generation from the dictionary until the float oracle finds no
    violation S(r) ≤ β(1 + 1e-6), or ``max_rounds`` / ``max_seconds``; ``colgen.stop``
    in the result says which, and ``colgen.converged`` is True only when certified.
    ``progress``: progress lines on stderr for long column generation runs. ``axes`` is passed to the family (ℓ1: include the basis directions;
    default the family's, which are exact per THEORY §2.4). A dictionary needing more
    than ``max_bytes`` is refused (MemoryError with its size), unless ``colgen``: then
    column generation starts from the empty dictionary.
    """
    t0 = time.perf_counter()
    timings = {}
    X_arr, ex_x, y_arr, ex_y = _validate(X, y, model, depth, reg)
    b = _parse_beta(beta, min_norm)
    for name, v, low in (("samples", samples, 1), ("seed", seed, 0),
                         ("max_rounds", max_rounds, 1)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"{name}: expected an integer >= {low}, got {type(v).__name__} {v!r}")
        if v < low:
            raise ValueError(f"{name}: expected an integer >= {low}, got {v}")
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, (int, np.integer, float)):
        raise TypeError(f"max_bytes: expected a number of bytes, got {type(max_bytes).__name__} "
                        f"{max_bytes!r}")
    if not (math.isfinite(max_bytes) and max_bytes > 0):
        raise ValueError(f"max_bytes: expected a number of bytes > 0, got {max_bytes!r}")
    n_pts, d_pts = X_arr.shape
    if reg == "l2" and d_pts >= 3 and (certify or colgen):
        # the sampled pricing oracle (ℓ2, d >= 3) holds (samples, d) directions and a few
        # (samples, n) work arrays of float64: refuse before allocating
        need = 8 * int(samples) * (4 * n_pts + 6 * d_pts)
        if need > max_bytes:
            most = int(max_bytes // (8 * (4 * n_pts + 6 * d_pts)))
            raise MemoryError(
                f"samples: the sampled pricing oracle (l2, d = {d_pts} >= 3) with samples = "
                f"{samples} directions for n = {n_pts} points needs about {need / 2 ** 30:.3g} "
                f"GiB (8 bytes x samples x (4n + 6d)), more than max_bytes = "
                f"{max_bytes / 2 ** 30:.3g} GiB; use fewer samples (at most {most} fit; the "
                "default is 2000)")
    exact = bool(exact) or ex_x or ex_y          # exact inputs → exact outputs
    if exact:
        X_e = X_arr if ex_x else as_exact_array(X_arr, "X")
        y_e = y_arr if ex_y else as_exact_array(y_arr, "y")
        if b is not None and not isinstance(b, Fraction):
            b = to_fraction(b, "beta")
    X_f = np.asarray(X_arr, dtype=float)
    y_f = np.asarray(y_arr, dtype=float)
    n, d = X_f.shape

    from .families import get_family
    family = get_family(model, depth=2, reg=reg, bias=bias, axes=axes)
    big = bool(colgen) and not min_norm and family.estimate_bytes(n, d, exact) > max_bytes
    t = time.perf_counter()
    if big:     # too large to store: column generation from the empty dictionary
        D = None
    else:
        D = family.dictionary(X_e if exact else X_f, exact=exact, max_bytes=max_bytes)
    timings["dictionary"] = time.perf_counter() - t
    res_kw = dict(family=family.name, min_norm=min_norm, exact=exact,
                  dictionary_size=D.shape[1] if D is not None else 0,
                  n_zero=D.n_zero if D is not None else 0,
                  n_duplicate=D.n_duplicate if D is not None else 0, n_samples=n,
                  n_features=d, timings=timings)

    if min_norm:
        res = _fit_min_norm(family, D, X_arr, y_arr, X_f, y_f, exact,
                            X_e if exact else None, y_e if exact else None,
                            bias, certify, samples, seed, t0, res_kw)
        return _checked(res, X_e if exact else X_f, y_e if exact else y_f)

    b_f = float(b)
    cg_info = None
    t = time.perf_counter()
    from .certify import column_generation, network_certificate, solve
    if colgen:
        cg = column_generation(family, X_f, y_f, b_f, intercept=bias, max_rounds=max_rounds,
                               samples=samples, seed=seed, atoms=[] if big else None,
                               dictionary=None if (big or exact) else D,
                               max_seconds=max_seconds, progress=progress)
        cg_info = cg.to_json()
        cg_info["from_empty"] = big
        sol, atoms, A_f = cg.solution, cg.atoms, cg.A
    else:
        atoms = list(D.atoms)
        A_f = np.asarray(D.float_matrix(), dtype=float)
        sol = solve(A_f, y_f, b_f, intercept=bias)
    timings["lasso"] = time.perf_counter() - t
    z_f = np.asarray(sol.z, dtype=float)
    xi_f = float(sol.xi)
    r_f = y_f - A_f @ z_f - xi_f

    lasso_status = "float"
    lasso_message = "floating-point solution (exact=False)"
    objective = 0.5 * float(r_f @ r_f) + b_f * float(np.abs(z_f).sum())
    objective_exact = enclosure = None
    z_out, xi_out, r_cert = z_f, xi_f, r_f
    De = None
    if exact:
        t = time.perf_counter()
        De = D
        if colgen and (big or cg.added):
            De, atoms = _exact_dictionary(family, X_e, atoms)
        if De is None:
            lasso_message = "no exact dictionary for the generated columns"
        else:
            ex = _certify_exact(De, y_e, b, sol, bias)
            lasso_status, lasso_message = ex.status, ex.message
            if ex.status == "exact":
                z_out = np.asarray(ex.z, dtype=object)
                xi_out = ex.xi if ex.xi is not None else Fraction(0)
                r_cert = np.asarray(_residual(ex), dtype=object)
                objective_exact = ex.objective_exact
                objective = float(objective_exact)
            elif ex.status in ("enclosed", "undecided"):
                enclosure = ex.objective_enclosure
                if _residual(ex) is not None:
                    r_cert = _residual(ex)
                if getattr(ex, "objective", None) is not None:
                    objective = float(ex.objective)
                elif enclosure is not None:
                    objective = float((Fraction(enclosure[0]) + Fraction(enclosure[1])) / 2)
        timings["exact_kkt"] = time.perf_counter() - t
    cert = None
    if certify:
        t = time.perf_counter()
        cert = network_certificate(family, X_e if exact else X_f, r_cert, b if exact else b_f,
                                   samples=samples, seed=seed, lasso_status=lasso_status)
        if cert.status == "undecided" and lasso_status in ("enclosed", "undecided") \
                and De is not None:
            # ℓ2 tie: decide S(r) = β over algebraic numbers (small 2-D problems)
            from .certify import exact_l2_certificate
            alg = exact_l2_certificate(family, X_e, De.A, De.norm_sq, list(ex.support),
                                       list(ex.signs), y_e, b, intercept=bias)
            if alg is not None:
                cert = alg
        timings["certificate"] = time.perf_counter() - t
    if cg_info is not None:     # "converged" means certified, nothing less
        cg_info["converged"] = cert is not None and cert.status == "certified-optimal"
    res = _assemble(family, atoms, z_out, xi_out, objective, objective_exact, enclosure,
                    cert, lasso_status, lasso_message, b, sol, t0, res_kw, cg_info)
    return _checked(res, X_e if exact else X_f, y_e if exact else y_f)


def _residual(ex):
    r = getattr(ex, "residual", None)
    return r if r is not None else getattr(ex, "r", None)


@dataclass
class _EmptyExact:
    """Exact solution over an empty dictionary: z = (), ξ = mean(y) (or 0), r = y − ξ."""
    status: str
    z: Any
    xi: Any
    residual: Any
    objective_exact: Any
    message: str = "empty dictionary: the fit is the intercept only"
    objective_enclosure: Any = None


def _exact_dictionary(family, X_e, atoms):
    """Exact Dictionary over ``atoms`` (made exact by the family) → (Dictionary, atoms),
    or (None, atoms) when the family cannot make them exact."""
    from .families import Dictionary
    to_exact = getattr(family, "exact_atom", None)
    if to_exact is None:
        return None, atoms
    ex_atoms = [to_exact(X_e, a) for a in atoms]
    n = len(X_e)
    cols = (np.asarray(family.features(X_e, ex_atoms), dtype=object) if ex_atoms
            else np.zeros((n, 0), dtype=object))
    ns = None
    if family.reg == "l2":
        ns = np.array([a.norm_sq if a.norm_sq is not None else Fraction(1) for a in ex_atoms],
                      dtype=object)
    return Dictionary(cols, ex_atoms, norm_sq=ns, exact=True), ex_atoms


def _certify_exact(D, y_e, b, sol, bias):
    if D.shape[1] == 0:
        xi = sum(y_e, Fraction(0)) / len(y_e) if bias else Fraction(0)
        r = np.array([v - xi for v in y_e], dtype=object)
        return _EmptyExact("exact", np.zeros(0, dtype=object), xi, r,
                           sum((v * v for v in r), Fraction(0)) / 2)
    from .lasso import certify_lasso
    A, ns = D.A, D.norm_sq
    if ns is not None:
        A, ns = _rational_columns(A, ns)
    A_float = np.asarray(A, dtype=float) if ns is None and A is not D.A else \
        (D.float_matrix() if ns is None else None)
    return certify_lasso(A, y_e, b, sol, norm_sq=ns, intercept=bias, A_float=A_float)


def _rational_columns(A, ns):
    """(A, norm_sq) → (A/√norm_sq, None) when every ℓ2 norm is rational (e.g. axis-aligned
    atoms), else unchanged: irrational columns stay for ball arithmetic."""
    roots = [_rational_sqrt(q) for q in ns]
    if any(v is None for v in roots):
        return A, ns
    A = np.array([[a / rt for a, rt in zip(row, roots)] for row in A], dtype=object) \
        if A.size else A
    return A, None


def _rational_sqrt(q):
    """√q as a Fraction if q is the square of a rational, else None."""
    q = to_fraction(q)
    a, b = math.isqrt(q.numerator), math.isqrt(q.denominator)
    return Fraction(a, b) if q >= 0 and a * a == q.numerator and b * b == q.denominator else None


def _fit_min_norm(family, D, X_arr, y_arr, X_f, y_f, exact, X_e, y_e, bias, certify,
                  samples, seed, t0, res_kw):
    from .lasso import min_l1_interpolation
    from .certify import network_certificate
    t = time.perf_counter()
    A, ns = (D.A, D.norm_sq) if exact else (D.float_matrix(), None)
    if ns is not None:
        A, ns = _rational_columns(A, ns)
    mn = min_l1_interpolation(A, y_e if exact else y_f, intercept=bias, exact=exact,
                              norm_sq=ns)
    res_kw["timings"]["lp"] = time.perf_counter() - t
    status = str(mn.status)
    exact_ok = exact and mn.l1_norm_exact is not None and status in ("exact", "optimal")
    enclosed = exact and status in ("enclosed", "undecided")
    lasso_status = "exact" if exact_ok else (status if enclosed else
                                             ("float" if not exact else "not-certified"))
    cert = None
    if certify and mn.lam is not None:
        t = time.perf_counter()
        cert = network_certificate(family, X_e if (exact_ok or enclosed) else X_f, mn.lam,
                                   Fraction(1) if (exact_ok or enclosed) else 1.0,
                                   samples=samples, seed=seed, lasso_status=lasso_status)
        if cert.violating_atom is not None:
            cert = _check_min_norm_witness(cert, family, A, ns, X_f, y_f, bias, mn.l1_norm)
        res_kw["timings"]["certificate"] = time.perf_counter() - t
    objective = float(mn.l1_norm)
    return _assemble(family, list(D.atoms), mn.z, mn.xi if mn.xi is not None else 0,
                     objective, mn.l1_norm_exact if exact_ok else None,
                     mn.l1_enclosure if enclosed else None, cert, lasso_status, mn.message,
                     None, None, t0, res_kw, None, min_norm=True)


def _check_min_norm_witness(cert, family, A, ns, X_f, y_f, bias, l1):
    """A neuron violating the LP dual λ refutes optimality only if λ is the unique dual
    (THEORY §2.5). Keep it as a witness only when adding its column lowers the float LP
    value (then the evidence is floating point); otherwise drop it and say why."""
    from dataclasses import replace
    from .lasso import min_l1_interpolation
    Af = np.asarray(A, dtype=float)
    if ns is not None:
        Af = Af / np.sqrt(np.array([float(q) for q in ns]))
    col = np.asarray(family.features(X_f, [cert.violating_atom]), dtype=float)
    new = min_l1_interpolation(np.column_stack([Af, col]), y_f, intercept=bias, exact=False)
    if new.l1_norm < l1 * (1 - 1e-9):
        return replace(cert, evidence="float", message=(
            f"{cert.message}; adding the neuron lowers the ℓ1 norm from {l1:.12g} to "
            f"{new.l1_norm:.12g} (floating-point LP)"))
    return replace(cert, violating_atom=None, evidence="", message=(
        f"{cert.message}; but adding that neuron does not lower the float LP value (the "
        "dual is not unique), so no violation is claimed"))


def _assemble(family, atoms, z, xi, objective, objective_exact, enclosure, cert, lasso_status,
              lasso_message, beta, sol, t0, res_kw, cg_info, min_norm=False):
    from .nets import from_lasso
    z_arr = np.asarray(z, dtype=object)
    exact_z = z_arr.size > 0 and all(is_exact_scalar(v) for v in z_arr)
    keep = [k for k in range(len(z_arr)) if z_arr[k] != 0]
    act_atoms = [atoms[k] for k in keep]
    zk = [z_arr[k] for k in keep]
    if exact_z:
        l1_exact = sum((abs(to_fraction(v)) for v in zk), Fraction(0))
        zk_a = np.array([to_fraction(v) for v in zk], dtype=object)
    else:
        l1_exact = None
        zk_a = np.array([float(v) for v in zk], dtype=float)
    if not keep and (lasso_status == "exact" or objective_exact is not None):
        l1_exact = Fraction(0)           # the intercept-only network, exactly
    if enclosure is not None and min_norm:
        l1_exact = None                  # ‖z‖₁ of ℓ2-normalised columns is irrational
    l1 = float(sum(abs(float(v)) for v in zk))
    xi_exact = to_fraction(xi) if is_exact_scalar(xi) else None
    net = from_lasso(family, act_atoms, zk_a, xi_exact if xi_exact is not None else float(xi),
                     n_features=res_kw["n_features"])
    return FitResult(objective=objective, objective_exact=objective_exact, l1_norm=l1,
                     l1_norm_exact=l1_exact, intercept=float(xi), intercept_exact=xi_exact,
                     nnz=len(keep), certificate=cert, net=net, atoms=act_atoms, z=zk_a,
                     seconds=time.perf_counter() - t0, beta=beta, lasso_status=lasso_status,
                     lasso_message=lasso_message, objective_enclosure=enclosure,
                     lasso_rel_gap=(float(sol.rel_gap) if sol is not None else None),
                     colgen=cg_info,
                     **{k: v for k, v in res_kw.items() if k != "min_norm"}, min_norm=min_norm)


def _checked(res, X, y):
    t = time.perf_counter()
    check_reported(res, X, y)
    if res.objective_exact is not None and res.exact:
        res.reconstruction_exact = True   # THEORY §2.6, checked exactly above
    res.timings["check"] = time.perf_counter() - t
    return res


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


# ------------------------------------------------------------------------- CLI

def cli_fit(args) -> int:
    """``exactgeo fit``: read the data (a CSV path or a bundled name such as ``spiral``),
    fit, print a summary or ``--json``. Returns the exit status (0)."""
    from .data import load
    X, y = load(args.data, exact=bool(args.exact))
    res = fit(X, y, model=args.model, depth=args.depth, reg=args.reg, bias=not args.no_bias,
              beta=args.beta if not args.min_norm else None, min_norm=bool(args.min_norm),
              exact=bool(args.exact), certify=bool(args.certify), colgen=bool(args.colgen),
              max_seconds=args.max_seconds, progress=not (args.json or args.quiet),
              samples=args.samples, seed=args.seed)
    if args.json:
        print(json.dumps(res.to_json()))
    else:
        print(summary(res, args.data))
    return 0


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
