"""The family protocol: everything the Lasso, the certificates and the weight
reconstruction need to know about one architecture (DESIGN.md).

A *family* fixes an activation, a depth, a penalty (ℓ1 or ℓ2 on the inner
weights) and whether neurons have biases. It answers four questions:

* ``dictionary(X)`` – a finite set of unit neurons (atoms) and their features;
* ``features(X, atoms)`` – the feature columns φ(X; θ) of given atoms;
* ``price(X, r)`` – the pricing oracle sup_θ |rᵀφ(X; θ)| with its maximiser;
* ``layers(atom, z)`` – the network weights realising z·φ(·; θ) at penalty β|z|.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

import numpy as np


@dataclass(frozen=True)
class Atom:
    """One unit neuron θ = (u, c) of a family.

    ``u`` (d,) and ``c`` are exact (Fractions) or floats. For ℓ1 families they are
    normalised, ‖u‖₁ = 1. For ℓ2 families exact atoms keep the *unnormalised*
    rational direction and ``norm_sq`` = ‖u‖₂² (the unit neuron is (u, c)/√norm_sq);
    float atoms are normalised and ``norm_sq`` is None.
    ``points`` are the training-row indices whose (augmented) cross product gives
    the atom; ``axes`` the standard-basis directions e_k used with them.
    """
    u: Any
    c: Any = 0
    norm_sq: Any = None
    points: tuple = ()
    axes: tuple = ()


@dataclass
class Dictionary:
    """A finite dictionary: column k of the feature matrix is φ(X; atoms[k]).

    ``A`` has shape (n, p), float64 or an object array of Fractions. For exact ℓ2
    families column k is ``A[:, k] / sqrt(norm_sq[k])`` (``norm_sq`` an object array);
    otherwise ``norm_sq`` is None and ``A`` holds the columns themselves.
    ``n_zero`` / ``n_duplicate`` count columns removed as zero or repeated (both signs
    of every neuron are kept, so the ± pair of one neuron is not a duplicate).
    """
    A: np.ndarray
    atoms: list
    norm_sq: Optional[np.ndarray] = None
    n_zero: int = 0
    n_duplicate: int = 0
    exact: bool = False

    @property
    def shape(self):
        return self.A.shape

    def float_matrix(self) -> np.ndarray:
        """The columns as float64 (dividing by √norm_sq where present)."""
        A = np.asarray(self.A, dtype=np.float64) if self.exact else self.A
        if self.norm_sq is not None:
            A = A / np.sqrt(np.asarray(self.norm_sq, dtype=np.float64))
        return A


@dataclass
class Pricing:
    """Result of the pricing oracle sup_θ |rᵀφ(X; θ)|.

    ``sup`` is a float lower/upper value for display; ``sup_exact`` a Fraction when the
    supremum is rational, or for irrational suprema ``sup_sq_exact`` = sup² as a Fraction;
    ``kind`` is "exact" (the true supremum over the whole family) or "sampled"
    (a lower bound from ``samples`` sampled directions); ``atom`` attains ``sup``
    and ``sign`` is the sign of rᵀφ there.
    """
    sup: float
    atom: Optional[Atom]
    sign: int
    kind: str
    samples: int = 0
    sup_exact: Any = None
    sup_sq_exact: Any = None


class Family:
    """Base class; concrete families set the attributes and implement the methods."""
    activation: str = "relu"        # "relu" | "abs"
    depth: int = 2
    reg: str = "l1"                 # "l1" | "l2"
    bias: bool = True
    exact_oracle: bool = True       # does price() return the true supremum?

    @property
    def name(self) -> str:
        return f"{self.activation}-d{self.depth}-{self.reg}-{'bias' if self.bias else 'nobias'}"

    def estimate_columns(self, n: int, d: int) -> int:
        raise NotImplementedError

    def dictionary(self, X, *, exact: bool = False, max_bytes: int = 2 ** 31) -> Dictionary:
        raise NotImplementedError

    def features(self, X, atoms: Sequence[Atom]) -> np.ndarray:
        raise NotImplementedError

    def price(self, X, r, *, samples: int = 2000, seed: int = 0) -> Pricing:
        raise NotImplementedError

    def layers(self, atom: Atom, z) -> tuple[list, Any]:
        """Weights ``([(w_1, b_1), ...], alpha)`` with alpha·h_{L-1}(x) = z·φ(x; atom)
        and penalty contribution β|z| (THEORY §2.6)."""
        raise NotImplementedError
