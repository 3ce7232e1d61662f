"""Penalties as strategies: the regulariser R(θ) of the objective ½‖f(X) − y‖² + β·R(θ).

Biases and the intercept ξ are never penalised (THEORY §0). Each strategy has
``value(net)`` = R(θ) (exact — a Fraction, or a sympy number for irrational weights — on an
exact net, float otherwise), ``total(net)`` = the sum without its constant factor (½ or 1/L),
and ``gradient(weights, out)`` = ∂R for float arrays (the non-convex trainer).

- :class:`WeightDecay` ("l2"): ½(Σ_l‖W_l‖_F² + ‖α‖²) — on a two-layer net ½Σ_j(‖w_j‖₂² + α_j²);
- :class:`L1Inner` ("l1"): ½Σ_j(‖w_j‖₁² + α_j²), two-layer nets (THEORY §2.1, p = 1);
- :class:`LLL` (L, p): (1/L)Σ_i(|α_i|ᴸ + ‖w_{1,i}‖_pᴸ + Σ_{l≥2}|w_{l,i}|ᴸ), the ℓ_L^L penalty of
  parallel width-1 chains with L weight layers (THEORY §3.1); deeper layers are penalised
  entrywise, so for a chain net (diagonal deeper layers) this is exactly §3.1's penalty.
  LLL(2, p=2) is WeightDecay and LLL(2, p=1) is L1Inner on two-layer nets.

:func:`get_penalty` maps ``reg="l1"|"l2"`` (or a strategy) to the strategy.

>>> import numpy as np
>>> from fractions import Fraction as F
>>> from exactgeo.nets import Network
>>> one = lambda v: np.array([[F(v)]], dtype=object)
>>> chain = Network([(one(2), [F(0)]), (one(-1), [F(0)])], [F(3)], reg=LLL(3))
>>> LLL(3).value(chain), WeightDecay().value(chain)      # (8 + 1 + 27)/3, (4 + 1 + 9)/2
(Fraction(12, 1), Fraction(7, 1))
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from .exact import exact_sum, normal_form, to_sympy

__all__ = ["Penalty", "WeightDecay", "L1Inner", "LLL", "get_penalty"]


class Penalty:
    """Base strategy: R(θ) = ``scale`` · ``total``. Subclasses define :meth:`total`,
    :meth:`gradient` and may restrict the depth in :meth:`check`."""
    name = "penalty"
    scale = Fraction(1)

    def check(self, net) -> None:
        """ValueError if the strategy does not apply to ``net`` (e.g. its depth)."""

    def total(self, net, *, method: str = "auto"):
        raise NotImplementedError

    def value(self, net, *, method: str = "auto"):
        """R(θ) of ``net``: exact on exact nets, float otherwise. ``method="direct"`` evaluates
        the explicit (sympy) weights instead of a net's exact factorisation."""
        t = self.total(net, method=method)
        if isinstance(t, (float, np.floating)):
            return float(self.scale) * float(t)
        if isinstance(t, (int, Fraction)):
            return self.scale * t
        return normal_form(to_sympy(self.scale) * t)

    def gradient(self, weights, out):
        """(∂R/∂W_l for each hidden weight matrix, ∂R/∂(output weights)) for float arrays."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and repr(self) == repr(other)

    def __hash__(self) -> int:
        return hash(repr(self))


def _sum_terms(arrays):
    """Σ of all entries: float (summed array by array, in order) or exact."""
    if all(a.dtype != object for a in arrays):
        acc = arrays[0].sum()
        for a in arrays[1:]:
            acc = acc + a.sum()
        return float(acc)
    return exact_sum(v for a in arrays for v in a.flat)


def _hidden(net):
    return net.depth - 1


class WeightDecay(Penalty):
    """½(Σ_l‖W_l‖_F² + ‖α‖²) (squared Frobenius norms of every weight matrix, output
    included); on a two-layer net ½Σ_j(‖w_j‖₂² + α_j²) — ``reg="l2"``."""
    name = "l2"
    scale = Fraction(1, 2)

    def total(self, net, *, method="auto"):
        self.check(net)
        rows = [net.norm_powers(layer, 2, p=2, method=method) for layer in range(_hidden(net))]
        return _sum_terms(rows + [net.norm_powers(_hidden(net), 2, method=method)])

    def gradient(self, weights, out):
        return list(weights), out


class L1Inner(Penalty):
    """½Σ_j(‖w_j‖₁² + α_j²): ℓ1 on each inner weight vector, squared (THEORY §2.1, p = 1) —
    ``reg="l1"``. Two-layer nets only; deep chains use ``LLL(L, p=1)``."""
    name = "l1"
    scale = Fraction(1, 2)

    def check(self, net):
        if net.depth != 2:
            raise ValueError(f"reg: L1Inner is the two-layer penalty (one hidden layer, THEORY "
                             f"§2.1), got a network with {net.depth - 1} hidden layers; use "
                             f"LLL({net.depth}, p=1) for deep chains")

    def total(self, net, *, method="auto"):
        self.check(net)
        return _sum_terms([net.norm_powers(0, 2, p=1, method=method),
                           net.norm_powers(1, 2, method=method)])

    def gradient(self, weights, out):
        if len(weights) != 1:
            raise ValueError(f"weights: L1Inner needs one hidden layer, got {len(weights)}")
        W = weights[0]
        n1 = np.abs(W).sum(axis=1)
        return [n1[:, None] * np.sign(W)], out


class LLL(Penalty):
    """(1/L)Σ_i(|α_i|ᴸ + ‖w_{1,i}‖_pᴸ + Σ_{l≥2}|w_{l,i}|ᴸ) for nets with L weight layers
    (THEORY §3.1); ``p`` ∈ {1, 2} is the norm of the first layer's rows."""
    name = "lll"

    def __init__(self, L: int, p: int = 2):
        if isinstance(L, bool) or not isinstance(L, (int, np.integer)) or L < 2:
            raise ValueError(f"L: expected an integer number of weight layers >= 2, got {L!r}")
        if p not in (1, 2) or isinstance(p, bool):
            raise ValueError(f"p: expected 1 or 2 (the norm of the first layer's rows), got {p!r}")
        self.L = int(L)
        self.p = int(p)
        self.scale = Fraction(1, self.L)

    def __repr__(self) -> str:
        return f"LLL({self.L}, p={self.p})"

    def check(self, net):
        if net.depth != self.L:
            raise ValueError(f"reg: {self!r} penalises nets with L = {self.L} weight layers "
                             f"({self.L - 1} hidden), got {net.depth} weight layers")

    def total(self, net, *, method="auto"):
        self.check(net)
        L = self.L
        terms = [net.norm_powers(0, L, p=self.p, method=method)]
        terms += [net.norm_powers(layer, L, method=method) for layer in range(1, L)]
        return _sum_terms(terms)

    def gradient(self, weights, out):
        L = self.L
        if len(weights) != L - 1:
            raise ValueError(f"weights: {self!r} needs {L - 1} hidden layers, got {len(weights)}")
        W1 = weights[0]
        if self.p == 2:
            n = np.sqrt((W1 ** 2).sum(axis=1))
            g1 = (n ** (L - 2))[:, None] * W1
        else:
            n = np.abs(W1).sum(axis=1)
            g1 = (n ** (L - 1))[:, None] * np.sign(W1)
        grads = [g1] + [np.abs(W) ** (L - 1) * np.sign(W) for W in weights[1:]]
        return grads, np.abs(out) ** (L - 1) * np.sign(out)


def get_penalty(reg) -> Penalty:
    """The strategy for ``reg``: "l2" → :class:`WeightDecay`, "l1" → :class:`L1Inner`, a
    :class:`Penalty` instance → itself.

    >>> get_penalty("l1"), get_penalty(LLL(4, p=1))
    (L1Inner(), LLL(4, p=1))
    """
    if isinstance(reg, Penalty):
        return reg
    if isinstance(reg, str) and reg == "l2":
        return WeightDecay()
    if isinstance(reg, str) and reg == "l1":
        return L1Inner()
    raise ValueError(f"reg: expected 'l1' or 'l2' (or a penalty: WeightDecay(), L1Inner(), "
                     f"LLL(L)), got {reg!r}")
