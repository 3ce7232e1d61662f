"""Wedge products as Plücker coordinates, in clifford's blade order."""
from __future__ import annotations

from functools import lru_cache
from itertools import combinations

import numpy as np

from ._exact import det_fraction
from ._validate import as_vectors


@lru_cache(maxsize=None)
def blade_indices(d: int, k: int) -> tuple[tuple[int, ...], ...]:
    """Grade-k basis blades of Cl(d) as 0-based index tuples, in clifford's order.

    >>> blade_indices(3, 2)
    ((0, 1), (0, 2), (1, 2))
    """
    return tuple(combinations(range(d), k))


def exact_minors(V, combos, signs) -> np.ndarray:
    """Exact signed minors: out[..., m] = signs[m]·det(V[..., :, combos[m]])."""
    out = np.empty(V.shape[:-2] + (len(combos),), dtype=object)
    for idx in np.ndindex(V.shape[:-2]):
        rows = V[idx]
        for m, (cols, s) in enumerate(zip(combos, signs)):
            out[idx + (m,)] = s * det_fraction([[r[c] for c in cols] for r in rows])
    return out


def float_minors(V, combos, signs) -> np.ndarray:
    from .kernels import minors_kernel
    lead = V.shape[:-2]
    flat = np.ascontiguousarray(V.reshape((-1,) + V.shape[-2:]))
    out = minors_kernel(flat, np.asarray(combos, dtype=np.int64).reshape(len(combos), -1),
                        np.asarray(signs, dtype=np.float64))
    return out.reshape(lead + (len(combos),))


def wedge(V):
    """Plücker coordinates of v_1∧…∧v_k for the rows of V.

    Shape (..., k, d) → (..., C(d, k)); coordinate m is the k×k minor on the
    columns ``blade_indices(d, k)[m]``, the coefficient of that clifford blade.
    Exact in → exact out; float in → float64 (numba kernel).

    >>> from fractions import Fraction as F
    >>> wedge([[F(1), F(0), F(0)], [F(0), F(1), F(2)]]).tolist()
    [Fraction(1, 1), Fraction(2, 1), Fraction(0, 1)]
    >>> wedge(np.array([[1., 0, 0], [0, 1, 2]]))
    array([1., 2., 0.])
    """
    V, exact = as_vectors(V, "V")
    k, d = V.shape[-2:]
    if k > d:
        raise ValueError(f"V: cannot wedge k={k} vectors in R^{d}; expected k <= d "
                         f"(shape (..., k, d), got {V.shape})")
    combos = blade_indices(d, k)
    signs = (1,) * len(combos)
    return exact_minors(V, combos, signs) if exact else float_minors(V, combos, signs)
