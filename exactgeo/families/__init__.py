"""Neuron families (THEORY §2): finite dictionaries, features, pricing oracles and
weight reconstruction. ``get_family`` picks one:

>>> fam = get_family("relu", reg="l1", bias=False)
>>> fam.dictionary_name, fam.estimate_columns(10, 2)
('W1+', 24)
"""
from __future__ import annotations

from .base import Atom, Dictionary, Family, Pricing
from .twolayer import TwoLayerFamily

__all__ = ["Atom", "Dictionary", "Family", "Pricing", "TwoLayerFamily", "get_family"]


def get_family(model: str = "relu", depth: int = 2, reg: str = "l1", bias: bool = True,
               axes=None) -> Family:
    """The neuron family for ``model`` ("relu" | "abs"), ``depth`` (2 only here),
    ``reg`` ("l1" | "l2"), ``bias``; ``axes`` adds the standard basis to the
    dictionary's pool (default: True for ℓ1, False for ℓ2)."""
    if isinstance(depth, bool) or not isinstance(depth, int):
        raise TypeError(f"depth: expected an int, got {type(depth).__name__} {depth!r}")
    if depth != 2:
        raise ValueError(f"depth: only two-layer families (depth=2) are available here, "
                         f"got depth={depth}")
    return TwoLayerFamily(model, reg, bias=bias, axes=axes)
