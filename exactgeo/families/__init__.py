"""Neuron families (THEORY §2): finite dictionaries, features, pricing oracles and
weight reconstruction. ``get_family`` picks one.

API of a two-layer family ``fam`` (X (n, d), exact = Fractions or float64):

* ``fam.dictionary(X, exact=False, max_bytes=2**31) -> Dictionary`` — W2 / W1 / W1+ /
  T / B1+ / R (``fam.dictionary_name``); MemoryError before allocating if too large
  (``fam.estimate_columns(n, d)``, ``fam.estimate_bytes(n, d, exact)``).
* ``fam.features(X, atoms) -> (n, k)`` columns σ(Xu + c) (exact X: Fractions,
  unnormalised for ℓ2 — divide by √atom.norm_sq; float X: unit-neuron columns).
* ``fam.exact_atom(X, atom)``, ``fam.atom_from_direction(u, c)`` — exact atoms.
* ``fam.price(X, r, samples=2000, seed=0) -> Pricing`` — S(r) = sup |rᵀφ| over all unit
  neurons; ``fam.oracle_kind(d)`` is "exact" (ℓ1 any d; ℓ2 d ≤ 2) or "sampled".
* ``fam.layers(atom, z) -> ([(w, b)], alpha)`` — THEORY §2.6 (sympy for exact input).

The protocol every family follows is :class:`Family` (base.py); families are found by
(model, depth, reg, bias) in the registry (registry.py).

>>> fam = get_family("relu", reg="l1", bias=False)
>>> fam.dictionary_name, fam.estimate_columns(10, 2)
('W1+', 24)
"""
from __future__ import annotations

from .base import Atom, Dictionary, Family, Pricing
from .registry import get_family, register, registered
from .twolayer import TwoLayerFamily
from .weight_decay import WeightDecayFamily       # re-registers (relu | abs, 2, l2, bias)
from .relu_chains_1d import ReluChains1D          # registers (relu, 3 | 4, l1 | l2, bias)
from .abs_chains_1d import AbsChains1D            # registers (abs, 3 | 4, l1 | l2, bias)
from .abs_chains_dd import AbsChainsDD            # (abs, 3 | 4, …): d ≥ 2 with bias, no bias

__all__ = ["Atom", "Dictionary", "Family", "Pricing", "TwoLayerFamily", "ReluChains1D",
           "AbsChains1D", "AbsChainsDD", "get_family",
           "register", "registered"]
