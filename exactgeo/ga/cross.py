"""The generalized cross product ×(V) of d − 1 vectors in R^d (THEORY §0).

Convention: ⟨×(V), x⟩ = det[v_1; …; v_{d−1}; x] with x as the **last** row, so
×(V)_k = (−1)^{d+k} det V^{(k)} (1-based) and ×(e_1, …, e_{d−1}) = +e_d.
Equivalently ×(V) = ⋆(v_1∧…∧v_{d−1}) (:func:`exactgeo.ga.hodge.hodge_dual`) =
clifford's ``B.right_complement()``; clifford's ``B.dual()`` is (−1)^{d−1}·×(V).

Two routes, chosen by d: the *blade route* (Hodge dual of the wedge; numba /
unrolled kernels, fastest for small d but exponential in d) and the *cofactor route*
(:func:`cross_cofactors`, elimination, O(d³) per matrix). :func:`cross_int` is the
integer-ring version (integer matrices in, integers out, fraction-free).
"""
from __future__ import annotations

from math import comb

import numpy as np

from ._exact import cofactors_fraction, cofactors_int
from .blades import exact_exterior, float_exterior
from .hodge import hodge_layout
from ._validate import as_vectors, finite_or_raise
from .symbolic import expand, is_symbolic, reject_symbolic

#: smallest d that takes the cofactor route. Measured (best of 7, shared 2-core box):
#: exact, the routes tie at d = 3 and the cofactors are 2–3× faster from d = 4; float,
#: batches of 2000 tie at d = 9 (the blade kernels win below), single matrices are
#: faster from d = 6
EXACT_COFACTOR_D = 4
FLOAT_COFACTOR_D = 9
#: :func:`cross_int` takes the batched blade route (ring Laplace expansion vectorised
#: over the batch) for batches of at least INT_BLADE_MIN_BATCH matrices with
#: d ≤ INT64_BLADE_MAX_D (int64) or d ≤ OBJECT_BLADE_MAX_D (Python ints), else
#: fraction-free Gauss–Jordan per matrix. Measured (best of 5, shared 2-core box,
#: batches of 4 … 4096): int64 blade 4–50× faster than Gauss–Jordan up to d = 12 (its
#: C(d, d/2) work arrays per matrix cap it at 10); Python ints 2–20× faster up to d = 7,
#: a tie at 8; single matrices: Gauss–Jordan 1.5–2× faster
INT_BLADE_MIN_BATCH = 4
INT64_BLADE_MAX_D = 10
OBJECT_BLADE_MAX_D = 7
#: :func:`cross_int` computes a matrix in int64 when Π‖v_i‖₁ (a bound on every
#: intermediate value and on the result) is at most this; else in Python ints
INT64_SAFE = 2 ** 62


def _checked(V):
    V, exact = as_vectors(V, "V", check_finite=False)
    k, d = V.shape[-2:]
    if k != d - 1:
        raise ValueError(f"V: the cross product takes d-1 vectors in R^d, got {k} vectors "
                         f"in R^{d} (shape {V.shape}); expected shape (..., {d - 1}, {d})")
    return V, exact


def cross(V):
    """Generalized cross product of the d − 1 rows of V.

    Shape (..., d−1, d) → (..., d). Exact in → exact out (Fractions); float in → float64;
    sympy symbols in → expanded sympy polynomials (object array; :mod:`exactgeo.ga.symbolic`).
    O(d³) per matrix for d ≥ :data:`EXACT_COFACTOR_D` (exact) / :data:`FLOAT_COFACTOR_D`
    (float), the blade kernels below (symbolic: always the division-free blade route).

    >>> from fractions import Fraction as F
    >>> cross([[F(1), F(0), F(0)], [F(0), F(1), F(0)]]).tolist()
    [Fraction(0, 1), Fraction(0, 1), Fraction(1, 1)]
    >>> cross(np.array([[1., 2.]]))          # d = 2: rotation by +90°
    array([-2.,  1.])
    >>> import sympy as sp
    >>> cross([sp.symbols("a b")]).tolist()
    [-b, a]
    """
    V, exact = _checked(V)
    if is_symbolic(V):
        return expand(_blade_cross(V, True))
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
    if is_symbolic(V):
        reject_symbolic(V, "cross_cofactors", "V")
    return _exact_cofactors(V) if exact else _float_cofactors(V)


def cross_work_bytes(d: int, exact: bool) -> int:
    """Estimated peak working memory per matrix, in bytes, of a large batch of
    :func:`cross` (float64) or :func:`cross_int` (``exact``; Python-int entries counted at
    48 bytes, int64 is smaller), beyond the input and the output — for callers that size
    batches to a memory budget.

    >>> cross_work_bytes(3, False), cross_work_bytes(3, True), cross_work_bytes(20, True)
    (16, 576, 38400)
    """
    if exact:
        if d <= OBJECT_BLADE_MAX_D:            # acc, term and two gathers per grade
            return 4 * comb(d, d // 2) * 48
        return 2 * d * d * 48                  # Gauss–Jordan on one matrix at a time
    if d >= FLOAT_COFACTOR_D:                  # scaled copy, Q, R, [W; n] and its LU
        return 5 * d * d * 8
    return 16                                  # numba kernels write the output only


def _blade_cross(V, exact: bool):
    """×(V) as the Hodge dual of the Plücker coordinates (enumerates C(d, d−1) blades
    through all lower grades: exponential in d)."""
    d = V.shape[-1]
    perm, signs = hodge_layout(d, d - 1)
    if not exact:
        return float_exterior(V, perm, signs, checked=False)
    return _hodge_place(exact_exterior(V), perm, signs)


def _hodge_place(A, perm, signs):
    """Grade-(d−1) coordinates A (..., d) → ×: out[..., perm[i]] = signs[i]·A[..., i]."""
    out = np.empty(A.shape, dtype=A.dtype)
    for i, (p, s) in enumerate(zip(perm, signs)):
        out[..., p] = A[..., i] if s > 0 else -A[..., i]
    return out


def cross_int(V, *, dtype=None):
    """Generalized cross product of integer matrices, exactly, in the integer ring.

    ``V`` (..., d−1, d): an integer-dtype array, or an object array (or nested lists) of
    Python ints (no Fractions, floats or bools: scale rationals to integers first, e.g.
    with :func:`exactgeo.numbers.integer_scale` — × is multilinear in the rows).
    Returns the (..., d) integer cofactors (−1)^{d+k} det V^{(k)} (THEORY §0); exactly 0
    where rank V < d − 1. Fraction-free: ring operations only, no division.

    Output type: int64 when every matrix has Π‖v_i‖₁ ≤ :data:`INT64_SAFE` (this bounds
    every intermediate and the result, so int64 arithmetic is exact) and ``dtype`` is
    None; otherwise an object array of Python ints (``dtype=object`` always gives one).
    Matrices within the bound are computed in int64 also then.

    Route: the batched blade route (ring Laplace expansion vectorised over the batch,
    C(d, j) terms per grade) for batches of small d (:data:`INT64_BLADE_MAX_D`,
    :data:`OBJECT_BLADE_MAX_D`), else fraction-free Gauss–Jordan per matrix (O(d³)).

    >>> cross_int(np.array([[[1, 2, 0], [0, 1, 1]], [[1, 0, 0], [2, 0, 0]]]))
    array([[ 2, -1,  1],
           [ 0,  0,  0]])
    >>> cross_int([[2 ** 70, 0]]).tolist()                # beyond int64: Python ints
    [0, 1180591620717411303424]
    >>> from fractions import Fraction as F
    >>> V = [[3, 1, 4, 1], [5, 9, 2, 6], [5, 3, 5, 8]]
    >>> cross_int(V).tolist() == [int(x) for x in cross([[F(x) for x in r] for r in V])]
    True
    """
    if dtype is not None and dtype is not object:
        raise ValueError(f"dtype: expected None (int64 when it provably fits, else "
                         f"Python ints) or object, got {dtype!r}")
    try:
        V = _integer_matrices(V)
    except TypeError:
        reject_symbolic(V, "cross_int", "V")
        raise
    lead, d = V.shape[:-2], V.shape[-1]
    B = int(np.prod(lead, dtype=np.int64))
    flat = V.reshape((B, d - 1, d))
    V64 = flat if flat.dtype == np.int64 else _fit_int64(flat)
    if B == 0:
        return np.zeros(lead + (d,), dtype=np.int64 if V64 is not None and dtype is None
                        else object)
    if V64 is not None:
        with np.errstate(over="ignore"):
            bound = np.prod(np.abs(V64.astype(np.float64)).sum(axis=-1), axis=-1)
        # the float bound is within a relative 2d·2^-53 of Π‖v_i‖₁ and INT64_SAFE has a
        # factor 2 of room below 2^63
        safe = bound <= INT64_SAFE
    else:
        safe = np.zeros(B, dtype=bool)
    if safe.all():
        out = _int_cross(V64, d)
        if dtype is object:
            out = out.astype(object)
        return out.reshape(lead + (d,))
    out = np.empty((B, d), dtype=object)
    if safe.any():
        out[safe] = _int_cross(V64[safe], d).astype(object)
    rest = ~safe
    if rest.any():
        big = flat[rest] if flat.dtype == object else flat[rest].astype(object)
        out[rest] = _int_cross(big, d)
    return out.reshape(lead + (d,))


def _int_cross(V, d):
    """×(V) for (B, d−1, d) int64 (entries within INT64_SAFE) or Python-int object
    arrays; same dtype out."""
    B = V.shape[0]
    if d == 1:                                   # ×() in R^1 is +e_1 (empty determinant)
        return np.ones((B, 1), dtype=V.dtype)    # object: Python ints 1
    if B >= INT_BLADE_MIN_BATCH and d <= (
            OBJECT_BLADE_MAX_D if V.dtype == object else INT64_BLADE_MAX_D):
        perm, signs = hodge_layout(d, d - 1)
        # blocks of ≤ 2^22 grade-j coordinates (the widest grade has C(d, ⌊d/2⌋)), so
        # the work arrays stay near 32 MiB (int64) whatever the batch
        step = max(INT_BLADE_MIN_BATCH, 2 ** 22 // comb(d, d // 2))
        if B <= step:
            return _hodge_place(exact_exterior(V), perm, signs)
        return np.concatenate([_hodge_place(exact_exterior(V[i:i + step]), perm, signs)
                               for i in range(0, B, step)])
    out = np.empty((B, d), dtype=V.dtype)
    for b, rows in enumerate(V.tolist()):        # tolist: Python ints
        out[b] = cofactors_int(rows)
    return out


def _integer_matrices(V):
    """V → int64 array or object array of Python ints, shape (..., d−1, d) checked."""
    if isinstance(V, np.ndarray) and V.dtype != object:
        if V.dtype == np.bool_ or V.dtype.kind not in "iu":
            raise TypeError(f"V: expected integer matrices (an integer dtype or Python ints), "
                            f"got dtype {V.dtype}; for rationals use cross(V), or scale "
                            "each row to integers first (exactgeo.numbers.integer_scale)")
        if V.dtype.kind == "u" and V.dtype.itemsize == 8 and V.size and V.max() >= 2 ** 63:
            arr = V.astype(object)
        else:
            arr = V.astype(np.int64, copy=False)
    else:
        arr = np.asarray(V, dtype=object) if not isinstance(V, np.ndarray) else V
        arr = _python_ints(arr)
    if arr.ndim < 2 or arr.shape[-1] < 1:
        raise ValueError(f"V: expected an array of shape (..., d-1, d) with rows as vectors, "
                         f"got shape {arr.shape}")
    k, d = arr.shape[-2:]
    if k != d - 1:
        raise ValueError(f"V: the cross product takes d-1 vectors in R^d, got {k} vectors "
                         f"in R^{d} (shape {arr.shape}); expected shape (..., {d - 1}, {d})")
    return arr


def _python_ints(arr):
    """Object array whose entries are all ints → the same with Python ints (TypeError
    naming the first other entry)."""
    if all(type(v) is int for v in arr.flat):
        return arr
    for i, v in enumerate(arr.flat):
        if type(v) is not int and (isinstance(v, (bool, np.bool_))
                                   or not isinstance(v, (int, np.integer))):
            idx = tuple(int(j) for j in np.unravel_index(i, arr.shape))
            raise TypeError(f"V: expected integer entries, got {type(v).__name__} {v!r} at "
                            f"index {idx}; for rationals use cross(V), or scale each row to "
                            "integers first (exactgeo.numbers.integer_scale)")
    return np.fromiter((int(v) for v in arr.flat), dtype=object,
                       count=arr.size).reshape(arr.shape)


def _fit_int64(V):
    """Object array of Python ints → int64 if every entry fits, else None."""
    try:
        return V.astype(np.int64)
    except OverflowError:
        return None


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
