"""The generalized cross product ×(V) of d − 1 vectors in R^d (THEORY §0).

Convention: ⟨×(V), x⟩ = det[v_1; …; v_{d−1}; x] with x as the **last** row, so
×(V)_k = (−1)^{d+k} det V^{(k)} (1-based) and ×(e_1, …, e_{d−1}) = +e_d.
Equivalently ×(V) = ⋆(v_1∧…∧v_{d−1}) (:func:`exactgeo.ga.hodge.hodge_dual`) =
clifford's ``B.right_complement()``; clifford's ``B.dual()`` is (−1)^{d−1}·×(V).

Two routes, chosen by d: the *blade route* (Hodge dual of the wedge; numba /
unrolled kernels, fastest for small d but exponential in d) and the *cofactor route*
(:func:`cross_cofactors`, elimination, O(d³) per matrix).
"""
from __future__ import annotations

import numpy as np

from ._exact import cofactors_fraction
from .blades import exact_exterior, float_exterior
from .hodge import hodge_layout
from ._validate import as_vectors, finite_or_raise

#: smallest d that takes the cofactor route. Measured (best of 7, shared 2-core box):
#: exact, the routes tie at d = 3 and the cofactors are 2–3× faster from d = 4; float,
#: batches of 2000 tie at d = 9 (the blade kernels win below), single matrices are
#: faster from d = 6
EXACT_COFACTOR_D = 4
FLOAT_COFACTOR_D = 9


def _checked(V):
    V, exact = as_vectors(V, "V", check_finite=False)
    k, d = V.shape[-2:]
    if k != d - 1:
        raise ValueError(f"V: the cross product takes d-1 vectors in R^d, got {k} vectors "
                         f"in R^{d} (shape {V.shape}); expected shape (..., {d - 1}, {d})")
    return V, exact


def cross(V):
    """Generalized cross product of the d − 1 rows of V.

    Shape (..., d−1, d) → (..., d). Exact in → exact out (Fractions); float in → float64.
    O(d³) per matrix for d ≥ :data:`EXACT_COFACTOR_D` (exact) / :data:`FLOAT_COFACTOR_D`
    (float), the blade kernels below.

    >>> from fractions import Fraction as F
    >>> cross([[F(1), F(0), F(0)], [F(0), F(1), F(0)]]).tolist()
    [Fraction(0, 1), Fraction(0, 1), Fraction(1, 1)]
    >>> cross(np.array([[1., 2.]]))          # d = 2: rotation by +90°
    array([-2.,  1.])
    """
    V, exact = _checked(V)
    d = V.shape[-1]
    if d >= (EXACT_COFACTOR_D if exact else FLOAT_COFACTOR_D) and \
            (not exact or _all_rational(V)):
        return _exact_cofactors(V) if exact else _float_cofactors(V)
    return _blade_cross(V, exact)    # ring operations only: also right for symbolic entries


def _all_rational(V) -> bool:
    """Bareiss scales rows to integers, so it needs rational entries (not sympy symbols)."""
    from ..numbers import is_exact_scalar
    return all(is_exact_scalar(v) for v in V.flat)


def cross_cofactors(V):
    """×(V) by elimination, O(d³) per matrix, for every d (the route of :func:`cross`
    for large d). Shape (..., d−1, d) → (..., d).

    Exact: fraction-free Gauss–Jordan; rank V < d − 1 gives exactly 0. Float: rows
    scaled by powers of two, Vᵀ = QR (complete), n = last column of Q, then
    ×(V) = det[V; n]·n with |det[V; n]| = Π|R_ii| and its sign from LU, scaled back.

    >>> from fractions import Fraction as F
    >>> cross_cofactors([[F(1), F(2), F(0)], [F(0), F(1), F(1)]]).tolist()
    [Fraction(2, 1), Fraction(-1, 1), Fraction(1, 1)]
    >>> cross_cofactors(np.array([[1., 2.]]))
    array([-2.,  1.])
    >>> float(cross_cofactors(np.eye(30)[1:])[0])    # ×(e_2, …, e_30) = (−1)^(30+1)·e_1
    -1.0
    """
    V, exact = _checked(V)
    return _exact_cofactors(V) if exact else _float_cofactors(V)


def _blade_cross(V, exact: bool):
    """×(V) as the Hodge dual of the Plücker coordinates (enumerates C(d, d−1) blades
    through all lower grades: exponential in d)."""
    d = V.shape[-1]
    perm, signs = hodge_layout(d, d - 1)
    if not exact:
        return float_exterior(V, perm, signs, checked=False)
    A = exact_exterior(V)
    out = np.empty(A.shape, dtype=object)
    for i, (p, s) in enumerate(zip(perm, signs)):
        out[..., p] = A[..., i] if s > 0 else -A[..., i]
    return out


def _exact_cofactors(V):
    """Object array (..., d−1, d) of Fractions → (..., d) Fractions."""
    lead, d = V.shape[:-2], V.shape[-1]
    out = np.empty(lead + (d,), dtype=object)
    for idx in np.ndindex(lead):
        out[idx] = cofactors_fraction(V[idx].tolist())
    return out


def _float_cofactors(V):
    """float64 (..., d−1, d) → (..., d), batched LAPACK QR + LU."""
    finite_or_raise(V, "V")
    d = V.shape[-1]
    if 0 in V.shape[:-2]:
        return np.zeros(V.shape[:-2] + (d,))
    # × is multilinear in the rows: scale each row by a power of two (exact) to max
    # |entry| in [1/2, 1), so that QR's normwise backward error is small for every row
    # and nothing under/overflows before the final, exact rescaling
    e = np.frexp(np.max(np.abs(V), axis=-1, initial=0.0))[1]
    W = np.ldexp(V, -e[..., None])
    # Wᵀ = QR: the last column n of Q is a unit vector orthogonal to every row of W and
    # |det[W; n]| = Π|R_ii|. Only the sign is taken from LU: numpy's det is exp(log|det|),
    # which would cost ~|log det|·eps (×(e_1, …, e_29) would not be exactly e_30)
    Q, R = np.linalg.qr(np.swapaxes(W, -1, -2), mode="complete")
    n = Q[..., -1]
    vol = np.prod(np.abs(np.diagonal(R, axis1=-2, axis2=-1)), axis=-1)
    sign = np.linalg.slogdet(np.concatenate([W, n[..., None, :]], axis=-2))[0]
    return np.ldexp((sign * vol)[..., None] * n, e.sum(axis=-1)[..., None])
