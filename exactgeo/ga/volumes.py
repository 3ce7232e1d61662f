"""Signed volumes and Gram norms.

- ``volume(V)``: det V for d vectors in R^d — the signed d-volume of the
  parallelepiped on the rows (v_1∧…∧v_d = det V · e_1∧…∧e_d).
- ``gram_norm2(V)``: ‖v_1∧…∧v_k‖² = det(V Vᵀ) = Σ_S det V[:, S]² (THEORY I3/I8) —
  the squared (k-dimensional) volume; rational for rational data (the volume itself
  needs a square root, so the exact API returns the square).
"""
from __future__ import annotations

import numpy as np

from ._exact import det_fraction
from ._validate import as_vectors, flat_batch, scalar_out
from .symbolic import expand, is_symbolic


def _ring_det(M):
    """det of a square object array by ring operations only (the grade-k wedge of its
    k rows): right for sympy entries, where Bareiss' exact division is not available."""
    from .blades import exact_exterior
    if M.shape[0] == 0:
        import sympy as sp
        return sp.Integer(1)
    return expand(exact_exterior(M))[0]


def _exact_map(V, f):
    lead = V.shape[:-2]
    out = np.empty(lead, dtype=object)
    for idx in np.ndindex(lead):
        out[idx] = f(V[idx])
    return out


def volume(V):
    """Signed volume det V of d vectors in R^d; shape (..., d, d) → (...).

    Exact in → Fraction(s); float in → float64 (numba LU kernel); sympy symbols in →
    expanded sympy polynomial(s).

    >>> from fractions import Fraction as F
    >>> volume([[F(1, 2), F(0)], [F(3), F(2)]])
    Fraction(1, 1)
    >>> float(volume(np.eye(3)[[1, 0, 2]]))
    -1.0
    """
    V, exact = as_vectors(V, "V")
    k, d = V.shape[-2:]
    if k != d:
        raise ValueError(f"V: a signed volume needs d vectors in R^d, got shape {V.shape}; "
                         f"expected shape (..., {d}, {d})")
    if is_symbolic(V):
        return scalar_out(_exact_map(V, _ring_det))
    if exact:
        return scalar_out(_exact_map(V, lambda M: det_fraction(M.tolist())))
    from .kernels import det_kernel
    flat, lead = flat_batch(V)
    out = np.empty(flat.shape[0])
    det_kernel(flat, out)
    return scalar_out(out.reshape(lead))


def _gram(M):
    rows = M.tolist()
    return [[sum(a * b for a, b in zip(r, s)) for s in rows] for r in rows]


def gram_norm2(V):
    """‖v_1∧…∧v_k‖² = det(V Vᵀ) for the k rows of V; shape (..., k, d) → (...).

    Zero exactly when the rows are linearly dependent (exact path). The float path
    clamps tiny negative round-off to 0. Sympy symbols in → an expanded polynomial.

    >>> from fractions import Fraction as F
    >>> gram_norm2([[F(1), F(1), F(0)], [F(0), F(1), F(1)]])
    Fraction(3, 1)
    >>> float(gram_norm2(np.array([[3., 4.]])))
    25.0
    """
    V, exact = as_vectors(V, "V")
    k, d = V.shape[-2:]
    if is_symbolic(V):
        return scalar_out(_exact_map(V, lambda M: _ring_det(np.array(_gram(M), dtype=object)
                                                            .reshape(k, k))))
    if exact:
        from fractions import Fraction
        return scalar_out(_exact_map(
            V, lambda M: det_fraction(_gram(M)) if M.shape[0] else Fraction(1)))
    from .kernels import gram_det_kernel
    flat, lead = flat_batch(V)
    out = np.empty(flat.shape[0])
    if k == 0:
        out[:] = 1.0
    else:
        gram_det_kernel(flat, out)
    return scalar_out(out.reshape(lead))
