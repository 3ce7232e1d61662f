"""Bridge to the ``clifford`` package (imported lazily; Euclidean Cl(d)).

Plücker coordinates of grade k (``blade_indices(d, k)`` order) are the grade-k
part of a clifford multivector's ``.value`` in ``Cl(d)``'s canonical layout.
Correspondence of clifford's dualities with :func:`exactgeo.ga.hodge.hodge_dual`
(⋆) for a k-vector B — see :func:`exactgeo.ga.hodge.clifford_sign`:
``B.right_complement() = ⋆B``, ``B.left_complement() = (−1)^{k(d−k)}⋆B``,
``B.dual() = (−1)^{d(d−1)/2+k(k−1)/2}⋆B``; for k = d − 1 this is THEORY §0's table
(right_complement = ×(V), dual = (−1)^{d−1}×(V)).
"""
from __future__ import annotations

from functools import lru_cache
from math import comb

import numpy as np

from ._validate import MAX_BYTES, refuse_large
from .symbolic import reject_symbolic
from ..numbers import as_array

# clifford.Cl(d) builds multiplication tables of about 8·4^d bytes (measured with
# clifford 1.5: d = 12 → 0.13 GB, 13 → 0.5 GB, 14 → 2.1 GB and 7.5 s)
_CL_BYTES = 8


@lru_cache(maxsize=None)
def clifford_layout(d: int):
    """clifford's Euclidean ``Cl(d)`` layout (cached)."""
    import clifford
    layout, _ = clifford.Cl(d)
    return layout


@lru_cache(maxsize=None)
def grade_slots(d: int, k: int) -> np.ndarray:
    """Positions in a Cl(d) ``.value`` of the grade-k blades, in ``blade_indices`` order."""
    from .blades import blade_position
    layout = clifford_layout(d)
    pos = {tuple(i - 1 for i in t): n for n, t in enumerate(layout.bladeTupList)}
    # blade_position(d, k) lists the grade-k blades in blade_indices order
    return np.asarray([pos[S] for S in blade_position(d, k)], dtype=np.int64)


def _check_dk(d, k):
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1:
        raise ValueError(f"d: expected a positive int dimension, got {d!r}")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k <= d:
        raise ValueError(f"grade: expected an int with 0 <= grade <= d={d}, got {k!r}")


def _guard_cl(d: int, batch: int, max_bytes: int):
    need = _CL_BYTES * 4 ** d + batch * 8 * 2 ** d
    refuse_large("d", f"clifford's Cl({d}) has 2^{d} = {2 ** d} blades and multiplication "
                 f"tables of about 8·4^{d} bytes", need, max_bytes,
                 "Use exactgeo's wedge / cross / hodge_dual, which do not build Cl(d), "
                 "or pass a larger max_bytes.")


def to_clifford(coords, d: int, grade: int, *, max_bytes: int = MAX_BYTES):
    """Grade-k Plücker coordinates (..., C(d, k)) → clifford MultiVector (no batch
    axes) or ``clifford.MVArray`` of the batch shape. Exact values become floats.
    Refused with MemoryError, before building Cl(d), if Cl(d) and the multivectors
    would need more than ``max_bytes``.

    >>> mv = to_clifford([1., 2., 3.], 3, 2)
    >>> from_clifford(mv, 2).tolist()
    [1.0, 2.0, 3.0]
    """
    _check_dk(d, grade)
    try:
        arr, exact = as_array(coords, "coords")
    except TypeError:
        reject_symbolic(coords, "to_clifford", "coords")
        raise
    m = comb(d, grade)
    if arr.ndim < 1 or arr.shape[-1] != m:
        raise ValueError(f"coords: expected grade-{grade} coordinates of shape (..., {m}) "
                         f"for d={d}, got shape {arr.shape}")
    _guard_cl(d, int(np.prod(arr.shape[:-1], dtype=np.int64)), max_bytes)
    arr = arr.astype(np.float64)
    layout = clifford_layout(d)
    slots = grade_slots(d, grade)
    vals = np.zeros(arr.shape[:-1] + (layout.gaDims,))
    vals[..., slots] = arr
    if arr.ndim == 1:
        return layout.MultiVector(vals)
    import clifford
    return clifford.MVArray.from_value_array(layout, vals)


def _flatten(obj, mv_type):
    """Nested lists / object arrays of multivectors → (flat list, batch shape)."""
    if isinstance(obj, np.ndarray):
        return list(obj.flat), obj.shape
    if isinstance(obj, (list, tuple)) and obj and not isinstance(obj[0], mv_type) \
            and isinstance(obj[0], (list, tuple, np.ndarray)):
        parts = [_flatten(o, mv_type) for o in obj]
        if len({p[1] for p in parts}) != 1:
            raise ValueError("mv: expected a rectangular (non-ragged) array of multivectors")
        return [x for p in parts for x in p[0]], (len(obj),) + parts[0][1]
    if isinstance(obj, (list, tuple)):
        return list(obj), (len(obj),)
    return [], ()


def from_clifford(mv, grade: int) -> np.ndarray:
    """Grade-k coordinates (..., C(d, k)) of a clifford MultiVector / MVArray / sequence
    of MultiVectors (other grades are ignored).

    >>> import clifford
    >>> layout, blades = clifford.Cl(3)
    >>> from_clifford(blades['e1'] ^ blades['e2'], 2).tolist()
    [1.0, 0.0, 0.0]
    """
    import clifford
    if isinstance(mv, clifford.MultiVector):
        layout = mv.layout
        vals = np.asarray(mv.value, dtype=np.float64)
    else:
        items, shape = _flatten(mv, clifford.MultiVector)
        if not items or not all(isinstance(x, clifford.MultiVector) for x in items):
            raise TypeError(f"mv: expected a clifford MultiVector or an array of them, "
                            f"got {type(mv).__name__}")
        layout = items[0].layout
        vals = np.stack([x.value for x in items]).astype(np.float64)
        vals = vals.reshape(shape + (layout.gaDims,))
    d = int(layout.dims)
    if list(np.asarray(layout.sig)) != [1] * d:
        raise ValueError(f"mv: expected a Euclidean Cl(d) multivector, got signature "
                         f"{list(layout.sig)}")
    _check_dk(d, grade)
    return vals[..., grade_slots(d, grade)]
