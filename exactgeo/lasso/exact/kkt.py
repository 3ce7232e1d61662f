"""Exact certification of a Lasso solution (THEORY §5, steps 2–6 and 8).

From a float solution, guess the equicorrelation set, pick an independent basis,
solve the KKT equations exactly over ℚ (or in ball arithmetic for columns a_k/√q_k,
:mod:`.ball`) and verify sign consistency, |A_kᵀr| ≤ β for **every** column and
𝟙ᵀr = 0. The repair rounds (§5.6) are the working-set loop
(:func:`exactgeo.lasso.working_set.working_set`): restricted solve = the exact KKT point
on a basis of the candidate set, price = the exact violation test over the whole
dictionary, add = :class:`.basis.Repair`.

>>> import numpy as np
>>> from fractions import Fraction as F
>>> from exactgeo.lasso import solve_lasso, certify_lasso
>>> A = np.array([[F(1), F(0)], [F(0), F(1)]], dtype=object)
>>> y = np.array([F(1), F(1)], dtype=object)
>>> sol = solve_lasso(A.astype(float), y.astype(float), 0.1, intercept=False)
>>> cert = certify_lasso(A, y, F(1, 10), sol, intercept=False)
>>> cert.status, cert.objective_exact, cert.z.tolist()
('exact', Fraction(19, 100), [Fraction(9, 10), Fraction(9, 10)])
"""
from __future__ import annotations

import math
import time
from fractions import Fraction

import numpy as np

from ...numbers import as_exact_array, sum_of_squares, to_fraction
from ...sources import ExplicitSource
from ..solver import solve_lasso
from ..working_set import Restricted, working_set
from .ball import certify_ball
from .basis import (ExactLasso, Repair, basic_guess, choose_basis, equicorrelation_basis,
                    float_start)
from .rational import column_ints, frac_int_vec

__all__ = ["ExactLasso", "certify_lasso", "kkt_solve_rational"]


def _validate(A, y, beta, sol, norm_sq, intercept):
    if _is_dictionary(A):
        if not A.exact:
            raise TypeError("A: expected an exact Dictionary, got a float one")
    elif not isinstance(A, np.ndarray) or A.ndim != 2:
        raise ValueError(f"A: expected an exact 2-D (n, p) object array, got "
                         f"{type(A).__name__} {getattr(A, 'shape', '')}")
    elif A.dtype != object:
        raise TypeError(f"A: expected an object array of Fractions, got dtype {A.dtype}")
    n, p = A.shape
    y = as_exact_array(y, "y")
    if y.shape != (n,):
        raise ValueError(f"y: expected shape ({n},), got {y.shape}")
    beta = to_fraction(beta, "beta")
    if beta <= 0:
        raise ValueError(f"beta: expected an exact value > 0, got {beta}")
    z = np.asarray(getattr(sol, "z", None), dtype=np.float64)
    if z.shape != (p,):
        raise ValueError(f"sol: expected a LassoSolution with z of shape ({p},), got {z.shape}")
    if norm_sq is not None:
        norm_sq = as_exact_array(norm_sq, "norm_sq")
        if norm_sq.shape != (p,):
            raise ValueError(f"norm_sq: expected shape ({p},), got {norm_sq.shape}")
        if any(q <= 0 for q in norm_sq):
            raise ValueError("norm_sq: expected positive values")
    return y, beta, z, norm_sq


def _is_dictionary(A) -> bool:
    from ...families.base import Dictionary
    return isinstance(A, Dictionary)


def kkt_solve_rational(A, y, beta, F, s, intercept, ints=None):
    """Exact θ for MᵀMθ = Mᵀy − (βs, 0), M = [A_F, 𝟙]; returns (z_F, ξ, r) over ℚ.

    In integers: column j of M is N_j/d_j (N = the integer columns, d their
    denominators), so with θ = Dφ the system is NᵀNφ = Nᵀy − D(βs, 0), scaled by the
    denominators of y and β — one fmpz Gram product and one exact solve (flint).
    ``ints(k)`` gives column k as (integers, denominator) (default:
    :func:`.rational.column_ints` of A)."""
    import flint
    n = A.shape[0]
    ints = ints or column_ints(A)
    cols = [ints(k) for k in F] + ([([1] * n, 1)] if intercept else [])
    m = len(cols)
    N = flint.fmpz_mat(m, n, [v for c, _ in cols for v in c]).transpose()
    y_int, y_den = frac_int_vec(list(y))
    b_num, b_den = beta.numerator, beta.denominator
    Y = flint.fmpz_mat(n, 1, y_int)
    Nt = N.transpose()
    h = Nt * Y                                       # ·(1/y_den)
    scale = y_den * b_den                            # clears y's and β's denominators
    rhs = flint.fmpz_mat(m, 1, [int(h[j, 0]) * b_den - (
        y_den * b_num * cols[j][1] * int(s[j]) if j < len(F) else 0) for j in range(m)])
    phi = (Nt * N).solve(rhs)                        # φ·scale
    num, den = phi.numer_denom()
    den = int(den) * scale
    fit = N * num                                    # (y − r)·den
    th = [Fraction(int(num[j, 0]) * cols[j][1], den) for j in range(m)]
    r = np.array([y[i] - Fraction(int(fit[i, 0]), den) for i in range(n)], dtype=object)
    zF = th[:len(F)]
    xi = th[-1] if intercept else Fraction(0)
    return zF, xi, r


def _sign_inconsistent(F, s, zF):
    """The basis columns whose exact coefficient has the wrong sign."""
    return [F[j] for j in range(len(F)) if zF[j] != 0 and (zF[j] > 0) != (s[j] > 0)]


def certify_lasso(A, y, beta, sol, *, norm_sq=None, intercept=True, tau=1e-6,
                  max_rounds=20, A_float=None, max_prec=2048, resolve=True) -> ExactLasso:
    """Exact KKT certificate of the Lasso ½‖Az + ξ𝟙 − y‖² + β‖z‖₁ (THEORY §5).

    A (n, p) object array of Fractions, or an exact
    :class:`~exactgeo.families.Dictionary` (its integer storage is used as it is), y (n,) exact, β exact > 0, ``sol`` a float
    :class:`LassoSolution` of the float version of the dictionary. ``norm_sq`` (p,)
    exact: the true column k is A[:, k]/√norm_sq[k] (ball arithmetic, status "enclosed").
    ``A_float`` may pass float(A) (correctly rounded, e.g. ``A.astype(float)``) to
    save the conversion. Rigorous: floats only pre-filter with an a-priori error bound.
    If the first KKT round fails and ``resolve``, the float Lasso is re-solved once
    (warm-started, tol 1e-12) before the repair rounds of THEORY §5.6.
    """
    t0 = time.perf_counter()
    y, beta, zt, norm_sq = _validate(A, y, beta, sol, norm_sq, intercept)
    n, p = A.shape
    if _is_dictionary(A) and (norm_sq is not None or A.norm_sq is not None):
        A = A.A                          # unnormalised ℓ2 columns: as Fractions
    if _is_dictionary(A):
        src = ExplicitSource.from_dictionary(A, A_float)
    else:
        src = ExplicitSource(A_float if A_float is not None else A.astype(np.float64),
                             exact=A)
    Af = src.float_matrix()
    if Af.shape != (n, p):
        raise ValueError(f"A_float: expected shape ({n}, {p}), got {Af.shape}")
    if norm_sq is not None:
        return certify_ball(A, Af, y, beta, zt, sol, norm_sq, intercept, tau, max_rounds,
                            max_prec, t0)
    yf = np.array([float(q) for q in y])
    bf = float(beta)
    zt0 = zt
    _, E, signs, zt = float_start(Af, yf, sol, zt, bf, tau, intercept)

    def describe(rnd, bad, pr):
        info = pr.info
        return (f"round {rnd}: {len(bad)} sign-inconsistent, {len(info['violations'])} "
                f"violating columns (max |A_kᵀr| − β = {info['max_violation']:.3g} at column "
                f"{pr.argmax})")

    rep = Repair(signs, zt, Af, cap=n, describe=describe)

    def solve(W, _z, _last):
        rep.round += 1
        F = choose_basis(A, Af, W.tolist(), rep.zt, intercept, n, src.exact_column_ints)
        s = np.array([rep.signs[k] for k in F], dtype=int)
        zF, xi, r = kkt_solve_rational(A, y, beta, F, s, intercept, src.exact_column_ints)
        bad = _sign_inconsistent(F, s, zF)
        if bad:
            # r may be optimal with the fit represented on a wrong basis: re-choose the
            # basis as a sign-consistent vertex on r's exact equicorrelation set
            alt = equicorrelation_basis(A, Af, y, r, beta, intercept,
                                        src.exact_column_ints)
            if alt is not None and alt[0]:
                zF2, xi2, r2 = kkt_solve_rational(A, y, beta, alt[0], alt[1], intercept,
                                                  src.exact_column_ints)
                if not _sign_inconsistent(alt[0], alt[1], zF2):
                    F, s, zF, xi, r, bad = alt[0], alt[1], zF2, xi2, r2, []
        return Restricted(None, r, ok=not bad,
                          info={"F": F, "s": s, "zF": zF, "xi": xi, "bad": bad})

    def price(res, W):
        return src.price(res.r, k=n, beta=beta)

    def optimal(res, pr):
        return res.ok and not pr.info["violations"]

    def run(W, rounds):
        return working_set(src, solve, np.array(sorted(W), dtype=np.int64), price=price,
                           select=rep, optimal=optimal, max_rounds=rounds)

    # first the guess's own support: a basic float solution's support is the exact one
    # when its residual is optimal (E may hold columns just below β, which the exact
    # equations would force onto β); the repair rounds widen it to E
    S0 = {k for k in E if zt[k] != 0}
    out = run(S0 or E, 1)
    if out.stop != "optimal" and max_rounds > 1:
        W = None
        if resolve:
            # the float guess may be poor: re-solve in floats (warm start) once, then repair
            s2 = solve_lasso(Af, yf, bf, intercept=intercept, tol=1e-12, z0=zt0)
            if s2.rel_gap < float(getattr(sol, "rel_gap", math.inf)):
                rt = s2.lam - s2.lam.mean() if intercept else s2.lam
                corr_t = Af.T @ rt
                W = set(np.flatnonzero(np.abs(corr_t) >= bf * (1 - tau)).tolist())
                rep.signs = {k: int(np.sign(corr_t[k])) or int(np.sign(s2.z[k])) or 1
                             for k in W}
                rep.zt = basic_guess(Af, s2.z, W, intercept, yf, rt, rep.signs, bf)
        if W is None:
            W, _ = rep(out.W, out.restricted, out.priced)
        if W is not None:
            out = run(W, max_rounds - 1)
    res, pr = out.restricted, out.priced
    info = res.info
    F, s, zF, xi, r = info["F"], info["s"], info["zF"], info["xi"], res.r
    maxv, argv = pr.info["max_violation"], pr.argmax
    z = np.array([Fraction(0)] * p, dtype=object)
    for j, k in enumerate(F):
        z[k] = zF[j]
    if out.stop == "optimal":
        l1 = sum((abs(q) for q in zF), Fraction(0))
        obj = Fraction(1, 2) * sum_of_squares(r) + beta * l1
        keep = [j for j in range(len(F)) if zF[j] != 0]
        return ExactLasso(
            status="exact", support=np.array([F[j] for j in keep], dtype=int),
            signs=np.array([s[j] for j in keep], dtype=int), z=z, xi=xi, residual=r,
            objective_exact=obj, objective_enclosure=(obj, obj), objective=float(obj),
            max_violation=maxv, argmax_violation=argv, rounds=rep.round, message="",
            seconds=time.perf_counter() - t0)
    rep.message = describe(rep.round, info["bad"], pr)     # the last round's failure
    return ExactLasso(
        status="not-certified", support=np.array(F, dtype=int), signs=s, z=z, xi=xi,
        residual=r, objective_exact=None, objective_enclosure=None,
        objective=float(getattr(sol, "objective", math.nan)), max_violation=maxv,
        argmax_violation=argv, rounds=rep.round,
        message=f"not certified after {rep.round} rounds; last {rep.message}",
        seconds=time.perf_counter() - t0)
