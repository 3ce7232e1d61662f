"""The Lasso problem, written once: validation, normalisation, primal, dual and gap.

    P(z, ξ) = ½‖y − Az − ξ𝟙‖² + β‖z‖₁           (ξ free and unpenalised iff intercept)
    D(λ)    = λᵀy − ½‖λ‖²   over {λ : |A_kᵀλ| ≤ β for all k, 𝟙ᵀλ = 0 with intercept}

(THEORY §0). Every solver, the working-set loop, column generation and the benchmarks
score a point with these functions: the primal :func:`primal`, the dual :func:`dual`
at the point :func:`dual_point` (a residual rescaled into the dual feasible set), the
gap :func:`rel_gap`. ``primal_nb`` / ``dual_at_nb`` are the same formulas as numba
kernels for the coordinate-descent inner loop.

Scale invariance. The Lasso of (A·a, y·b, β·a·b) has the solutions z·b/a, ξ·b, the
residual r·b and the values ·b². :func:`normalise` centres (with an intercept) and scales
A and y by powers of two (exact) so that max|A|, max|y| ∈ [1, 2), and the solvers work
on that problem with β' = β/2^(ea+eb) (:func:`normalised_beta`).

>>> import numpy as np
>>> A, y = np.eye(2), np.array([1.0, 1.0])
>>> z = np.array([0.9, 0.9])
>>> r = y - A @ z
>>> lam, d = dual_point(r, y, float(np.abs(A.T @ r).max()), 0.1)
>>> round(primal(r, z, 0.1), 12), round(d, 12), rel_gap(primal(r, z, 0.1), d) < 1e-14
(0.19, 0.19, True)
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

__all__ = ["TINY", "validate", "normalise", "Normalised", "normalised_beta", "exponent",
           "max_abs", "primal", "dual", "dual_point", "rel_gap", "gap_of", "beta_max",
           "duality_gap", "primal_nb", "dual_at_nb"]

#: Floor of the denominators of relative gaps.
TINY = 1e-300


# ----------------------------------------------------------------- the formulas

def primal(r, z, beta) -> float:
    """P = ½‖r‖² + β‖z‖₁ for the residual r = y − Az − ξ𝟙 of (z, ξ)."""
    r = np.asarray(r, dtype=float)
    return 0.5 * float(r @ r) + beta * float(np.abs(z).sum())


def dual(lam, y) -> float:
    """D(λ) = λᵀy − ½‖λ‖² (λ must be dual feasible for this to bound the optimum)."""
    return float(lam @ y) - 0.5 * float(lam @ lam)


def dual_point(r, y, sup, beta):
    """(λ, D(λ)): the residual r rescaled into {|A_kᵀλ| ≤ β}, given sup = max_k |A_kᵀr|.
    With an intercept r must already satisfy 𝟙ᵀr = 0 (centre it first)."""
    lam = r if sup <= beta else (beta / sup) * r
    return lam, dual(lam, y)


def rel_gap(primal_value, dual_value) -> float:
    """(P − D) / max(P, tiny)."""
    return (primal_value - dual_value) / max(primal_value, TINY)


def gap_of(r, z, y, sup, beta):
    """(primal, dual, λ, rel_gap) of a point with residual r and max_k |A_kᵀr| = sup."""
    p = primal(r, z, beta)
    lam, d = dual_point(r, y, sup, beta)
    return p, d, lam, rel_gap(p, d)


# The numba mirrors below are inlined into the coordinate-descent kernels of cd.py; numba's
# cache does not notice edits made here, so after changing them touch cd.py (or clear
# its __pycache__) to recompile those kernels.

@njit(cache=True)
def primal_nb(r, z, beta):
    """:func:`primal` as a numba kernel."""
    s = 0.0
    for i in range(r.shape[0]):
        s += r[i] * r[i]
    l1 = 0.0
    for j in range(z.shape[0]):
        l1 += abs(z[j])
    return 0.5 * s + beta * l1


@njit(cache=True)
def dual_at_nb(r, yc, Aw, norms2, beta):
    """:func:`dual_point`'s value for the columns of Aw (zero columns, norms2 = 0, skipped),
    as a numba kernel."""
    n, m = Aw.shape
    mx = 0.0
    for j in range(m):
        if norms2[j] == 0.0:
            continue
        g = 0.0
        for i in range(n):
            g += Aw[i, j] * r[i]
        if abs(g) > mx:
            mx = abs(g)
    sc = 1.0
    if mx > beta:
        sc = beta / mx
    ly = 0.0
    ll = 0.0
    for i in range(n):
        li = sc * r[i]
        ly += li * yc[i]
        ll += li * li
    return ly - 0.5 * ll


# ----------------------------------------------------------------- validation

def validate(A, y, beta, intercept):
    """(A float64 (n, p), y float64 (n,), β float > 0), or TypeError/ValueError naming
    the argument."""
    if isinstance(A, np.ndarray) and A.dtype == object:
        raise TypeError("A: expected a float64 matrix, got an object array "
                        "(convert exact dictionaries with Dictionary.float_matrix())")
    try:
        A = np.asarray(A, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"A: expected a numeric (n, p) matrix, got {type(A).__name__}") from None
    if A.ndim != 2:
        raise ValueError(f"A: expected a 2-D (n, p) matrix, got shape {A.shape}")
    try:
        y = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"y: expected a numeric vector, got {type(y).__name__}") from None
    if y.ndim != 1:
        raise ValueError(f"y: expected a 1-D vector of length {A.shape[0]}, got shape {y.shape}")
    if y.shape[0] != A.shape[0]:
        raise ValueError(f"y: expected length n = {A.shape[0]} (rows of A), got {y.shape[0]}")
    if A.shape[0] == 0:
        raise ValueError("A: expected at least one row (sample), got 0")
    if not np.all(np.isfinite(A)):
        raise ValueError("A: expected finite entries, got NaN or inf")
    if not np.all(np.isfinite(y)):
        raise ValueError("y: expected finite entries, got NaN or inf")
    try:
        beta = float(beta)
    except (TypeError, ValueError):
        raise TypeError(f"beta: expected a positive number, got {beta!r}") from None
    if not math.isfinite(beta) or beta <= 0:
        raise ValueError(f"beta: expected a finite number > 0, got {beta!r}")
    if not isinstance(intercept, (bool, np.bool_)):
        raise TypeError(f"intercept: expected a bool, got {intercept!r}")
    return A, y, beta


# ----------------------------------------------------------------- normalisation

def exponent(m) -> int:
    """e with 2**e ≤ m < 2**(e + 1); 0 when m is 0 (or not finite)."""
    m = float(m)
    return math.frexp(m)[1] - 1 if m > 0 and math.isfinite(m) else 0


def max_abs(X) -> float:
    """max |X_ij| without an |X|-sized temporary (0 for an empty X)."""
    return max(float(X.max(initial=0.0)), -float(X.min(initial=0.0)))


def normalised_beta(beta, ea, eb) -> float:
    """β' = β / (2^ea·2^eb), kept in [tiny, 1e300]. The clamp changes nothing: above 1e300
    β' exceeds β_max' ≤ 4n (max|A'|, max|y'| < 2), so z = 0 is optimal either way; below
    tiny the penalty is far under the rounding of the loss."""
    b = float(np.ldexp(beta, -(ea + eb)))
    return min(max(b, np.finfo(float).tiny), 1e300)


@dataclass
class Normalised:
    """The centred (with intercept), power-of-two normalised problem of :func:`normalise`:
    ``Ac`` (n, p) Fortran, ``yc`` (n,), the normalised means ``a_mean`` (p,), ``y_mean``,
    squared column norms ``norms2`` (0 on zero columns), the mask ``valid`` of non-zero
    columns, and the exponents ``ea``, ``eb`` (A/2^ea, y/2^eb)."""
    Ac: np.ndarray
    yc: np.ndarray
    a_mean: np.ndarray
    y_mean: float
    norms2: np.ndarray
    valid: np.ndarray
    ea: int
    eb: int


def normalise(A, y, intercept) -> Normalised:
    """Centre (with intercept) and normalise A, y (see the module docstring).

    Ac = (A − ā)/2^ea and yc = (y − ȳ)/2^eb, with ea, eb chosen so that max|Ac|, max|yc|
    ∈ [1, 2) (ā = ȳ = 0 without intercept). Scaling by powers of two is exact, so for
    data already in that range nothing changes, and solving the normalised problem with
    β' = β/2^(ea+eb) gives *bit-identical* results for data scaled by any power of two.
    A column is "zero" (``valid`` False) when its centred norm is at the rounding level
    of its entries: constant columns become O(1e-16)·scale after centring and must never
    be selected.
    """
    if intercept:
        a_mean = A.mean(axis=0)
        y_mean = float(y.mean())
        Ac = np.asfortranarray(A - a_mean)
        yc = y - y_mean
    else:
        a_mean = np.zeros(A.shape[1])
        y_mean = 0.0
        Ac = np.asfortranarray(A)
        yc = y.copy()
    ea, eb = exponent(max_abs(Ac)), exponent(max_abs(yc))
    if ea:
        if Ac is A or np.may_share_memory(Ac, A):
            Ac = np.ldexp(Ac, -ea, order="F")
        else:
            np.ldexp(Ac, -ea, out=Ac)
        a_mean = np.ldexp(a_mean, -ea)
    if eb:
        yc = np.ldexp(yc, -eb)
        y_mean = float(np.ldexp(y_mean, -eb))
    norms2 = np.einsum("ij,ij->j", Ac, Ac)
    scale = np.ldexp(np.abs(A).max(axis=0), -ea) if A.shape[1] else np.zeros(0)
    thr = (64 * np.finfo(float).eps) ** 2 * A.shape[0] * scale ** 2
    valid = norms2 > np.maximum(thr, TINY)
    norms2 = np.where(valid, norms2, 0.0)
    return Normalised(Ac, yc, a_mean, y_mean, norms2, valid, ea, eb)


# ----------------------------------------------------------------- public helpers

def beta_max(A, y, intercept: bool = True) -> float:
    """Smallest β for which z = 0 solves the Lasso: max_k |A_kᵀ(y − ȳ𝟙)| (ȳ = 0 without
    intercept). Computed on the normalised data (see :func:`normalise`) and scaled back,
    so that it neither underflows nor overflows for data far from unit scale.

    >>> beta_max(np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([1.0, 0.0]), intercept=False)
    2.0
    """
    A, y, _ = validate(A, y, 1.0, intercept)
    nz = normalise(A, y, intercept)
    if not nz.valid.any():
        return 0.0
    return float(np.ldexp(np.max(np.abs(nz.Ac[:, nz.valid].T @ nz.yc)), nz.ea + nz.eb))


def duality_gap(A, y, beta, z, xi=None, *, intercept=True):
    """``(primal, dual, gap, rel_gap)`` of an arbitrary point (z, ξ) of the Lasso.

    The same gap every benchmark uses: the residual r = y − Az − ξ𝟙 is centred when
    there is an intercept (this only lowers the primal value: ξ is re-optimised),
    rescaled to λ with max_k |A_kᵀλ| ≤ β, and D(λ) = λᵀy − ½‖λ‖².

    >>> A = np.eye(2); p, d, g, rg = duality_gap(A, [1.0, 1.0], 0.1, [0.9, 0.9], intercept=False)
    >>> abs(g) < 1e-15
    True
    """
    A, y, beta = validate(A, y, beta, intercept)
    z = np.asarray(z, dtype=np.float64)
    if z.shape != (A.shape[1],):
        raise ValueError(f"z: expected shape ({A.shape[1]},), got {z.shape}")
    if not intercept and xi is not None and xi != 0:
        raise ValueError("xi: must be None or 0 without intercept")
    # evaluated on the problem normalised by powers of two (A/2^ea, y/2^eb, z·2^(ea−eb),
    # β/2^(ea+eb); exact, see normalise) and scaled back by 2^(2eb): the same numbers at
    # unit scale, and no underflow/overflow (or relative gap lost under TINY) far from it
    ea = exponent(max_abs(A))
    eb = exponent(max_abs(y - y.mean()) if intercept else max_abs(y))
    y = np.ldexp(y, -eb)
    zn = np.ldexp(z, -eb)            # A'·z' = (A/2^ea)·(z·2^(ea−eb)) = A·(z/2^eb)
    r = y - A @ zn
    if intercept:
        r = r - r.mean()
    bn = float(np.ldexp(beta, -(ea + eb)))
    corr = np.ldexp(A.T @ r, -ea)
    sup = float(np.max(np.abs(corr))) if corr.size else 0.0
    p, d, _, rel = gap_of(r, np.ldexp(z, ea - eb), y, sup, bn)
    p, d, g = (float(np.ldexp(v, 2 * eb)) for v in (p, d, p - d))
    return p, d, g, rel
