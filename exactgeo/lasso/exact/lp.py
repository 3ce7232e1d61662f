"""Exact minimum-ℓ1 interpolation, the β → 0 limit (THEORY §0, §5.9):

    min ‖z‖₁  s.t.  Az + ξ𝟙 = y,      dual: max yᵀλ  s.t. 𝟙ᵀλ = 0, |A_kᵀλ| ≤ 1.

A float LP (HiGHS) gives a basis guess; the primal and the dual are then solved and
verified over ℚ. With ℓ2-normalised columns a_k/√q_k (``norm_sq``) the columns are
irrational: the primal on the basis is still rational in ζ_k = z_k/√q_k, the dual and
‖z‖₁ = Σ|ζ_k|√q_k are enclosed in ball arithmetic (THEORY §5 step 8), and a rational value
is never reported for them.

>>> import numpy as np
>>> from fractions import Fraction as F
>>> from exactgeo.lasso import min_l1_interpolation
>>> A = np.array([[F(1), F(0)], [F(0), F(1)]], dtype=object)
>>> sol = min_l1_interpolation(A, [F(1), F(2)], intercept=False)
>>> sol.status, sol.l1_norm_exact
('exact', Fraction(3, 1))
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Optional

import numpy as np

from ...numbers import as_array, as_exact_array
from ...sources import ExplicitSource
from ..basic import purify
from .rational import arb_to_interval, fmpq, frac_int_vec, pivot_columns

__all__ = ["MinNormSolution", "min_l1_interpolation"]


@dataclass
class MinNormSolution:
    """``z`` (p,), ``xi``, ``lam`` (n,) dual; Fractions (object arrays) when
    ``status == "exact"`` (Az + ξ𝟙 = y, |A_kᵀλ| ≤ 1 ∀k, 𝟙ᵀλ = 0 with intercept and
    yᵀλ = ‖z‖₁ all verified over ℚ), floats when ``status == "float"``; ``l1_norm``
    float, ``l1_norm_exact`` Fraction or None; ``message`` says why not exact.

    Normalised columns (``norm_sq``): ``status`` "enclosed" (every dual inequality strict
    or an exact tie with a basis column), "undecided" (a dual inequality could not be
    separated from equality), or "float". Then ``z`` holds float midpoints, ``zeta`` the
    exact rational coefficients of the *unnormalised* columns (Σ_k ζ_k a_k + ξ𝟙 = y over
    ℚ), ``xi`` a Fraction, ``lam`` a list of flint ``arb`` balls and ``l1_enclosure``
    rigorous (lo, hi) Fractions of ‖z‖₁."""
    z: np.ndarray
    xi: Any
    lam: np.ndarray
    l1_norm: float
    l1_norm_exact: Optional[Fraction]
    status: str
    message: str = ""
    seconds: float = 0.0
    zeta: Optional[np.ndarray] = None
    l1_enclosure: Optional[tuple] = None


def _float_lp(Af, yf, intercept):
    from scipy.optimize import linprog
    n, p = Af.shape
    m = 2 * p + (1 if intercept else 0)
    c = np.concatenate([np.ones(2 * p), np.zeros(m - 2 * p)])
    Aeq = np.hstack([Af, -Af] + ([np.ones((n, 1))] if intercept else []))
    bounds = [(0, None)] * (2 * p) + ([(None, None)] if intercept else [])
    res = linprog(c, A_eq=Aeq, b_eq=yf, bounds=bounds, method="highs")
    if res.status != 0:
        return None, None, None, res.message
    x = res.x
    z = x[:p] - x[p:2 * p]
    xi = float(x[2 * p]) if intercept else 0.0
    lam = np.asarray(res.eqlin.marginals, dtype=float)
    if abs(lam @ yf - res.fun) > abs(lam @ yf + res.fun):   # HiGHS sign convention
        lam = -lam
    return z, xi, lam, ""


def _rationalize(v, max_den=10 ** 12):
    return Fraction(float(v)).limit_denominator(max_den)


def basis_interpolant(A, zt, y, intercept):
    """The exact interpolant on an independent basis of the support of the float guess ``zt``:
    Σ_{k∈B} z_k a_k + ξ𝟙 = y over ℚ. Returns (B, z (p,) Fractions, ξ, "") or an error."""
    import flint
    n, p = A.shape
    order = [int(k) for k in np.argsort(-np.abs(zt), kind="stable") if zt[k] != 0]
    cols = ([[1] * n] if intercept else []) + [frac_int_vec(A[:, k])[0] for k in order]
    idx = ([-1] if intercept else []) + order
    B = [idx[j] for j in pivot_columns(cols, n) if idx[j] >= 0]
    m = len(B) + (1 if intercept else 0)
    M = flint.fmpq_mat(n, m)
    for j, k in enumerate(B):
        for i in range(n):
            if A[i, k]:
                M[i, j] = fmpq(A[i, k])
    if intercept:
        for i in range(n):
            M[i, m - 1] = 1
    Y = flint.fmpq_mat(n, 1, [fmpq(q) for q in y])
    try:
        theta = (M.transpose() * M).solve(M.transpose() * Y) if m else flint.fmpq_mat(0, 1)
    except (ZeroDivisionError, ValueError):
        return B, None, None, "basis matrix singular"
    if (M * theta if m else flint.fmpq_mat(n, 1)) != Y:
        return B, None, None, "the support of the float solution does not interpolate y exactly"
    th = [Fraction(int(theta[j, 0].p), int(theta[j, 0].q)) for j in range(m)]
    z = np.array([Fraction(0)] * p, dtype=object)
    for j, k in enumerate(B):
        z[k] = th[j]
    return B, z, (th[-1] if intercept else Fraction(0)), ""


def _exact_pair(A, Af, y, zt, lam_t, intercept, tau=1e-7):
    """Try to build and verify an exact primal/dual pair; return (z, xi, lam, msg)."""
    import flint
    n, p = A.shape
    zt = purify(Af, zt, intercept=intercept)
    B, z, xi, err = basis_interpolant(A, zt, y, intercept)
    if err:
        return None, None, None, err
    # dual: equalities 𝟙ᵀλ = 0, A_kᵀλ = sign(z_k) on B, plus float-active constraints
    corr = Af.T @ lam_t
    act = [int(k) for k in np.argsort(-np.abs(corr)) if abs(corr[k]) >= 1 - tau]
    lq = flint.fmpq_mat(n, 1, [fmpq(_rationalize(v)) for v in lam_t])
    try:
        L, _ = _nearest_dual(A, z, B, corr, act, intercept, lq, flint.fmpq_mat,
                             lambda k, v: flint.fmpq(v))
    except (ZeroDivisionError, ValueError):
        return None, None, None, "dual equality system singular"
    lam = np.array([Fraction(int(L[i, 0].p), int(L[i, 0].q)) for i in range(n)], dtype=object)
    if intercept and sum(lam) != 0:
        return None, None, None, "1ᵀλ ≠ 0"
    pr = ExplicitSource(Af, exact=A).price(lam, k=0, beta=Fraction(1))
    if pr.info["violations"]:
        return None, None, None, (f"dual infeasible: max |A_kᵀλ| − 1 = "
                                  f"{pr.info['max_violation']:.3g} at column {pr.argmax}")
    l1 = sum((abs(q) for q in z), Fraction(0))
    if sum((a * b for a, b in zip(y, lam)), Fraction(0)) != l1:
        return None, None, None, "yᵀλ ≠ ‖z‖₁ (complementary slackness fails)"
    return z, xi, lam, ""


def _sympy_lp(A, y, intercept):
    """Exact simplex (sympy) for tiny problems: returns (z, xi) or None."""
    from sympy import Rational
    from sympy.solvers.simplex import lpmin
    from sympy import symbols
    n, p = A.shape
    zp = symbols(f"zp0:{p}", nonnegative=True)
    zm = symbols(f"zm0:{p}", nonnegative=True)
    xi = symbols("xi")
    cons = []
    for i in range(n):
        expr = sum(Rational(A[i, k].numerator, A[i, k].denominator) * (zp[k] - zm[k])
                   for k in range(p) if A[i, k])
        if intercept:
            expr += xi
        cons.append(expr - Rational(y[i].numerator, y[i].denominator) <= 0)
        cons.append(-expr + Rational(y[i].numerator, y[i].denominator) <= 0)
    try:
        val, sol = lpmin(sum(zp) + sum(zm), cons)
    except Exception:  # noqa: BLE001 - infeasible/unbounded
        return None
    z = np.array([Fraction(str(sol.get(zp[k], 0) - sol.get(zm[k], 0))) for k in range(p)],
                 dtype=object)
    x = Fraction(str(sol.get(xi, 0))) if intercept else Fraction(0)
    return z, x


def min_l1_interpolation(A, y, *, intercept=True, exact=True,
                         norm_sq=None) -> MinNormSolution:
    """Minimum-ℓ1 interpolation min ‖z‖₁ s.t. Az + ξ𝟙 = y (ξ only with ``intercept``).

    A (n, p), y (n,), exact (Fractions) or float; floats are taken at their exact binary
    value when ``exact``. ``norm_sq`` (p,) exact: column k is A[:, k]/√norm_sq[k] (ℓ2
    normalisation); the result is then enclosed, never rational. Raises ValueError if no
    interpolating z exists.

    >>> from fractions import Fraction as F
    >>> A = np.array([[F(1), F(2)], [F(1), F(-1)]], dtype=object)
    >>> sol = min_l1_interpolation(A, [F(1), F(1)], intercept=False, norm_sq=[F(2), F(5)])
    >>> sol.status, sol.l1_norm_exact, sol.zeta.tolist(), round(sol.l1_norm, 10)
    ('enclosed', None, [Fraction(1, 1), Fraction(0, 1)], 1.4142135624)
    """
    t0 = time.perf_counter()
    A_arr, A_ex = as_array(A, "A")
    if A_arr.ndim != 2:
        raise ValueError(f"A: expected a 2-D (n, p) matrix, got shape {A_arr.shape}")
    n, p = A_arr.shape
    y_arr, _ = as_array(y, "y")
    if y_arr.shape != (n,):
        raise ValueError(f"y: expected shape ({n},), got {y_arr.shape}")
    if p == 0:
        return _no_columns(y_arr, intercept, exact, t0)
    Af = A_arr.astype(np.float64)
    yf = y_arr.astype(np.float64)
    if norm_sq is not None:
        if len(norm_sq) != p:
            raise ValueError(f"norm_sq: expected {p} entries (one per column), got {len(norm_sq)}")
        Af = Af / np.sqrt(np.array([float(q) for q in norm_sq]))
    zt, xit, lam_t, err = _float_lp(Af, yf, intercept)
    if zt is None:
        raise ValueError(f"y: no interpolating combination of the columns of A exists "
                         f"(LP: {err})")
    l1f = float(np.abs(zt).sum())
    if not exact:
        return MinNormSolution(zt, xit, lam_t, l1f, None, "float", "exact=False",
                               time.perf_counter() - t0)
    Aq = A_arr if A_ex else as_exact_array(A_arr, "A")
    yq = y_arr if y_arr.dtype == object else as_exact_array(y_arr, "y")
    if norm_sq is not None:
        qs = [Fraction(q) if not isinstance(q, Fraction) else q for q in norm_sq]
        return _enclosed_pair(Aq, Af, qs, yq, zt, xit, lam_t, intercept, t0)
    z, xi, lam, msg = _exact_pair(Aq, Af, yq, zt, lam_t, intercept)
    if z is None and p <= 40 and n <= 20:
        got = _sympy_lp(Aq, yq, intercept)
        if got is not None:
            zs, xs = got
            z2, xi2, lam2, msg2 = _exact_pair(Aq, Af, yq, zs.astype(float), lam_t, intercept)
            if z2 is not None:
                z, xi, lam, msg = z2, xi2, lam2, ""
            else:
                msg += f"; sympy simplex: {msg2}"
    if z is None:
        return MinNormSolution(zt, xit, lam_t, l1f, None, "float", msg,
                               time.perf_counter() - t0)
    l1 = sum((abs(q) for q in z), Fraction(0))
    return MinNormSolution(z, xi, lam, float(l1), l1, "exact", "", time.perf_counter() - t0)


def _no_columns(y, intercept, exact, t0):
    """The empty dictionary: y must be constant (intercept) or zero; then z = (), λ = 0."""
    yq = as_exact_array(y, "y") if exact else np.asarray(y, dtype=float)
    xi = yq[0] if (intercept and len(yq)) else (Fraction(0) if exact else 0.0)
    if any(v != xi for v in yq):
        raise ValueError("y: no interpolating combination exists: the dictionary is empty and "
                         "y is not " + ("constant" if intercept else "zero"))
    zero = Fraction(0) if exact else 0.0
    lam = np.array([zero] * len(yq), dtype=object if exact else float)
    return MinNormSolution(np.zeros(0, dtype=object if exact else float), xi, lam, 0.0,
                           Fraction(0) if exact else None, "exact" if exact else "float", "",
                           time.perf_counter() - t0)


def _enclosed_pair(A, Af, norm_sq, y, zt, xit, lam_t, intercept, t0, tau=1e-7):
    """Columns a_k/√q_k: rational primal ζ on the float basis, ball dual (THEORY §5.8)."""
    import flint
    n, p = A.shape
    l1f = float(np.abs(zt).sum())

    def fail(status, msg, lam=lam_t, zeta=None, enc=None):
        return MinNormSolution(zt, xit, lam, l1f, None, status, msg, time.perf_counter() - t0,
                               zeta, enc)

    zt = purify(Af, zt, intercept=intercept)
    B, zeta, xi, err = basis_interpolant(A, zt, y, intercept)
    if err:
        return fail("float", err)
    root = [flint.arb(fmpq(q)).sqrt() for q in norm_sq]
    # dual equalities a_kᵀλ = s_k√q_k on the support (and float-active columns), 𝟙ᵀλ = 0
    corr = Af.T @ lam_t
    act = [int(k) for k in np.argsort(-np.abs(corr)) if abs(corr[k]) >= 1 - tau]
    lq = flint.arb_mat(n, 1, [flint.arb(fmpq(Fraction(float(v)))) for v in lam_t])
    try:
        L, imposed = _nearest_dual(A, zeta, B, corr, act, intercept, lq, flint.arb_mat,
                                   lambda k, v: root[k] * v)
    except (ZeroDivisionError, ValueError):
        return fail("float", "dual equality system singular in ball arithmetic")
    lam = [L[i, 0] for i in range(n)]
    one = flint.arb(1)
    ties = []
    for k in range(p):
        v = sum((flint.arb(fmpq(A[i, k])) * lam[i] for i in range(n) if A[i, k]),
                flint.arb(0)) / root[k]
        if abs(v) < one:
            continue
        if k in imposed:
            continue                  # a_kᵀλ = s_k√q_k holds by construction
        if abs(v) > one:
            return fail("float", f"dual infeasible at column {k}: |a_kᵀλ|/√q_k > 1 rigorously")
        ties.append(k)
    l1 = sum((abs(flint.arb(fmpq(zeta[k]))) * root[k] for k in B), flint.arb(0))
    enc = arb_to_interval(l1)
    zf = np.array([float(zeta[k]) * float(root[k].mid()) for k in range(p)])
    status, msg = "enclosed", ""
    if ties:
        status = "undecided"
        msg = (f"{len(ties)} column(s) with |a_kᵀλ|/√q_k ∋ 1 could not be separated from "
               f"equality in ball arithmetic (columns {ties[:5]})")
    return MinNormSolution(zf, xi, lam, float(l1.mid()), None, status, msg,
                           time.perf_counter() - t0, zeta, enc)


def _nearest_dual(A, z, B, corr, act, intercept, lam0, mat, rhs):
    """λ nearest to ``lam0`` (an (n, 1) ``mat``: flint fmpq_mat or arb_mat) subject to
    𝟙ᵀλ = 0 (with ``intercept``) and a_kᵀλ·den_k = ``rhs(k, s_k·den_k)`` for the support of
    z (s_k = sign z_k) and the float-active columns ``act`` (s_k = sign corr_k); a_k is
    scaled to integers by den_k. λ = λ₀ + Cᵀ(CCᵀ)⁻¹(d − Cλ₀) over the independent rows.
    Returns (λ, the columns whose equality was imposed); raises if CCᵀ is singular."""
    n = A.shape[0]
    rows, vals, keys = ([[1] * n], [0], [-1]) if intercept else ([], [], [])
    for k in dict.fromkeys([k for k in B if z[k] != 0] + act):
        s = (1 if z[k] > 0 else -1) if z[k] != 0 else (1 if corr[k] > 0 else -1)
        ints, den = frac_int_vec(A[:, k])
        rows.append(ints)
        vals.append(rhs(k, s * den))
        keys.append(k)
    piv = pivot_columns(rows, n)   # independent rows (as columns of the transpose)
    if not piv:
        return lam0, set()
    C, d = mat(len(piv), n), mat(len(piv), 1)
    for a, j in enumerate(piv):
        for i in range(n):
            if rows[j][i]:
                C[a, i] = rows[j][i]
        d[a, 0] = vals[j]
    L = lam0 + C.transpose() * (C * C.transpose()).solve(d - C * lam0)
    return L, {keys[j] for j in piv if keys[j] >= 0}
