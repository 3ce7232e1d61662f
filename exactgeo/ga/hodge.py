"""Hodge dual (Euclidean Hodge star) of k-vectors given by Plücker coordinates.

Definition: ⋆e_S = σ(S)·e_{S^c}, where σ(S) = ±1 is the sign of the permutation
(S, S^c) of (0, …, d−1), i.e. e_S ∧ ⋆e_S = e_1∧…∧e_d. Equivalently
α ∧ ⋆β = ⟨α, β⟩ e_1∧…∧e_d. For k = d − 1, ⋆(v_1∧…∧v_{d−1}) = ×(V) (THEORY §0).

Relation to clifford (Euclidean Cl(d), k-vector B; tested for d = 2…6, every k):

====================== =============================================
clifford               equals
====================== =============================================
``B.right_complement()``   ⋆B
``B.left_complement()``    (−1)^{k(d−k)}·⋆B
``B.dual()`` (= B·I⁻¹)     (−1)^{d(d−1)/2 + k(k−1)/2}·⋆B
====================== =============================================

For k = d − 1 the ``dual()`` sign is (−1)^{d−1} (THEORY's table). ⋆⋆B = (−1)^{k(d−k)}B.
"""
from __future__ import annotations

from functools import lru_cache
from math import comb

import numpy as np

from .blades import blade_position
from ._validate import MAX_BYTES, as_array_or_symbolic, refuse_large

# estimated bytes per blade of hodge_layout's cached tables (index tuples of both
# grades, the position dict, perm/signs; tracemalloc, CPython 3.11): 150 + 8·d
_LAYOUT_BYTES = 150


def _perm_sign(seq) -> int:
    sign = 1
    seq = list(seq)
    for i in range(len(seq)):
        for j in range(i + 1, len(seq)):
            if seq[i] > seq[j]:
                sign = -sign
    return sign


@lru_cache(maxsize=None)
def hodge_layout(d: int, k: int):
    """``(perm, signs)``: ⋆ maps coordinate m of grade k to position perm[m] of grade
    d − k with factor signs[m].

    >>> hodge_layout(3, 2)
    ((2, 1, 0), (1, -1, 1))
    """
    pos = blade_position(d, d - k)
    perm, signs = [], []
    for S in blade_position(d, k):          # the grade-k blades, in blade_indices order
        Sc = tuple(i for i in range(d) if i not in S)
        perm.append(pos[Sc])
        signs.append(_perm_sign(S + Sc))
    return tuple(perm), tuple(signs)


def clifford_sign(d: int, k: int, op: str) -> int:
    """Sign s with ``clifford op(B) = s·⋆B`` for a k-vector B in Euclidean Cl(d).

    ``op`` is ``"right_complement"``, ``"left_complement"`` or ``"dual"``.

    >>> [clifford_sign(d, d - 1, "dual") for d in (2, 3, 4, 5)]
    [-1, 1, -1, 1]
    """
    if op == "right_complement":
        return 1
    if op == "left_complement":
        return -1 if (k * (d - k)) % 2 else 1
    if op == "dual":
        return -1 if (d * (d - 1) // 2 + k * (k - 1) // 2) % 2 else 1
    raise ValueError(f"op: expected 'right_complement', 'left_complement' or 'dual', "
                     f"got {op!r}")


def _guard_layout(d: int, k: int, max_bytes: int):
    # only the tables: the output has the size of A, which the caller already holds
    m = comb(d, k)
    need = m * (_LAYOUT_BYTES + 8 * d)
    if need <= max_bytes:
        return
    refuse_large("A", f"the Hodge dual of grade {k} in R^{d} permutes C({d}, {k}) = {m} "
                 "blades", need, max_bytes,
                 "For grade d-1 coordinates of d-1 vectors V use cross(V) directly (O(d^3)); "
                 "otherwise use a lower grade or dimension, or pass a larger max_bytes.")


def hodge_dual(A, d: int, k: int, *, max_bytes: int = MAX_BYTES):
    """Hodge dual ⋆A of grade-k Plücker coordinates A, shape (..., C(d, k)) →
    (..., C(d, d−k)). Exact in → exact out (a signed permutation, no arithmetic
    beyond negation; sympy expressions stay sympy); float in → float64. Refused with MemoryError, before the
    blade tables are built, if they would exceed ``max_bytes``.

    >>> from fractions import Fraction as F
    >>> hodge_dual([F(1), F(2), F(3)], 3, 2).tolist()      # e12 + 2e13 + 3e23
    [Fraction(3, 1), Fraction(-2, 1), Fraction(1, 1)]
    >>> hodge_dual(np.array([1., 2.]), 2, 1)   # ⋆(e1 + 2e2) = e2 − 2e1 (= ×, rotation by +90°)
    array([-2.,  1.])
    """
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1:
        raise ValueError(f"d: expected a positive int dimension, got {d!r}")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k <= d:
        raise ValueError(f"k: expected an int grade with 0 <= k <= d={d}, got {k!r}")
    arr, exact = as_array_or_symbolic(A, "A")
    m = comb(d, k)
    if arr.ndim < 1 or arr.shape[-1] != m:
        raise ValueError(f"A: expected grade-{k} Plücker coordinates of shape (..., {m}) "
                         f"for d={d}, got shape {arr.shape}")
    _guard_layout(d, k, max_bytes)
    perm, signs = hodge_layout(d, k)
    out = np.empty(arr.shape[:-1] + (comb(d, d - k),), dtype=arr.dtype)
    for i, (p, s) in enumerate(zip(perm, signs)):
        out[..., p] = arr[..., i] if s > 0 else -arr[..., i]
    return out
