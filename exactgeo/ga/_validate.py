"""Argument checks shared by the GA functions."""
from __future__ import annotations

import numpy as np

from ..numbers import as_array


def as_vectors(V, name: str, min_ndim: int = 2):
    """Return ``(array, exact)`` for a stack of row vectors of shape (..., k, d)."""
    arr, exact = as_array(V, name)
    if arr.ndim < min_ndim:
        raise ValueError(f"{name}: expected an array of shape (..., k, d) with rows as "
                         f"vectors, got shape {arr.shape}")
    if arr.shape[-1] < 1:
        raise ValueError(f"{name}: expected dimension d >= 1, got shape {arr.shape}")
    return arr, exact
