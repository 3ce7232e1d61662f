"""Continuous piecewise-linear functions of one variable, exact or float.

A :class:`PiecewiseLinear` is given by sorted ``knots`` p_1 < … < p_k (k ≥ 1), its
``values`` f(p_i), and the slopes of the two unbounded pieces (``slope_left`` on
(−∞, p_1], ``slope_right`` on [p_k, ∞)); between knots f is the chord. Exact inputs
(Fraction, int, sympy Rational, fmpq) give Fractions everywhere; anything else is float.
:func:`from_network` builds the function computed by a 1-D :class:`~exactgeo.nets.Network`
by composing its layers exactly (sums of pieces, then σ with the new zero crossings).

>>> from fractions import Fraction as F
>>> f = PiecewiseLinear([-2, 0, 2], [0, 2, 0], slope_left=-1, slope_right=1)  # ||x| − 2|
>>> f(F(1, 2)), f(-3), f.breakpoints()
(Fraction(3, 2), Fraction(1, 1), (Fraction(-2, 1), Fraction(0, 1), Fraction(2, 1)))
>>> g = f.combine([f], [1], -1).apply("abs")     # |f − 1|: new kinks where f = 1
>>> [int(p) for p in g.breakpoints()]
[-3, -2, -1, 0, 1, 2, 3]
"""
from __future__ import annotations

import bisect
from fractions import Fraction
from typing import Sequence

import numpy as np

from ..numbers import is_exact_scalar, to_fraction

__all__ = ["PiecewiseLinear", "from_network", "network_layers", "identity", "to_number",
           "all_exact"]


def all_exact(values) -> bool:
    """True when every value is an exact scalar (int, Fraction, sympy Rational, fmpq)."""
    return all(is_exact_scalar(v) for v in values)


def to_number(v, exact: bool, name: str = "value"):
    """``v`` as a Fraction (``exact``) or a float; ValueError naming ``name`` otherwise."""
    if exact:
        return to_fraction(v, name)
    try:
        out = float(v)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected a real number, got {type(v).__name__} {v!r}") \
            from None
    if not np.isfinite(out):
        raise ValueError(f"{name}: expected a finite number, got {v!r}")
    return out


class PiecewiseLinear:
    """f: ℝ → ℝ continuous, linear between ``knots`` and on the two rays (see module doc).

    ``knots`` (k,) strictly increasing, ``values`` (k,); ``slope_left``/``slope_right`` the
    slopes for x ≤ p_1 / x ≥ p_k (default: the slope of the first / last chord, 0 when
    k = 1). Knots need not be kinks; :meth:`breakpoints` returns the kinks only.
    """

    __slots__ = ("knots", "values", "slope_left", "slope_right", "exact")

    def __init__(self, knots: Sequence, values: Sequence, slope_left=None, slope_right=None):
        knots, values = list(knots), list(values)
        if len(knots) == 0:
            raise ValueError("knots: expected at least one knot, got none")
        if len(values) != len(knots):
            raise ValueError(f"values: expected {len(knots)} values (one per knot), got "
                             f"{len(values)}")
        ends = [s for s in (slope_left, slope_right) if s is not None]
        exact = all_exact(knots + values + ends)
        self.exact = exact
        self.knots = tuple(to_number(v, exact, "knots") for v in knots)
        self.values = tuple(to_number(v, exact, "values") for v in values)
        for i in range(len(self.knots) - 1):
            if not self.knots[i] < self.knots[i + 1]:
                raise ValueError(f"knots: expected strictly increasing knots, got "
                                 f"{self.knots[i]} then {self.knots[i + 1]} at index {i}")
        zero = Fraction(0) if exact else 0.0
        chords = self._chords()
        self.slope_left = (to_number(slope_left, exact, "slope_left") if slope_left is not None
                           else (chords[0] if chords else zero))
        self.slope_right = (to_number(slope_right, exact, "slope_right")
                            if slope_right is not None else (chords[-1] if chords else zero))

    # ----------------------------------------------------------------- reading
    def _chords(self) -> list:
        k, v = self.knots, self.values
        return [(v[i + 1] - v[i]) / (k[i + 1] - k[i]) for i in range(len(k) - 1)]

    def slopes(self) -> list:
        """[slope on (−∞, p_1], chord slopes…, slope on [p_k, ∞)], length k + 1."""
        return [self.slope_left] + self._chords() + [self.slope_right]

    def __call__(self, x):
        """f(x) for one number (exact when f and x are exact)."""
        x = to_number(x, self.exact and is_exact_scalar(x), "x")
        k, v = self.knots, self.values
        if x <= k[0]:
            return v[0] + self.slope_left * (x - k[0])
        if x >= k[-1]:
            return v[-1] + self.slope_right * (x - k[-1])
        i = bisect.bisect_right(k, x) - 1
        return v[i] + (v[i + 1] - v[i]) * (x - k[i]) / (k[i + 1] - k[i])

    def breakpoints(self, tol: float = 0.0) -> tuple:
        """The kinks: knots where the slope changes (by more than ``tol`` — floats only;
        exact functions compare exactly)."""
        s = self.slopes()
        return tuple(p for i, p in enumerate(self.knots)
                     if abs(s[i + 1] - s[i]) > (0 if self.exact else tol))

    def merged(self, xtol, slope_tol: float = 0.0) -> "PiecewiseLinear":
        """A simplification for trained (float) fits: the kinks (slope change > ``slope_tol``)
        are grouped into clusters whose consecutive gaps are ≤ ``xtol``, each cluster is
        replaced by its mean, and the result interpolates f there (same end slopes). It
        differs from f only within the clusters; exact when ``xtol`` = 0.

        >>> f = PiecewiseLinear([-1.0, -1e-9, 1e-9, 1.0], [1.0, 0.0, 0.0, 1.0])   # ≈ |x|
        >>> f.breakpoints(), f.merged(1e-6).breakpoints()
        ((-1e-09, 1e-09), (0.0,))
        """
        bps = self.breakpoints(slope_tol)
        if not bps:
            return PiecewiseLinear([self.knots[0]], [self.values[0]], self.slope_left,
                                   self.slope_left)
        groups = [[bps[0]]]
        for p in bps[1:]:
            if p - groups[-1][-1] <= xtol:
                groups[-1].append(p)
            else:
                groups.append([p])
        knots = [sum(g) / len(g) for g in groups]
        return PiecewiseLinear(knots, [self(p) for p in knots], self.slope_left,
                               self.slope_right)

    def window_range(self, lo, hi):
        """(min f, max f) over [lo, hi] (attained at lo, hi or a knot inside)."""
        pts = [lo, hi] + [p for p in self.knots if lo < p < hi]
        vals = [self(p) for p in pts]
        return min(vals), max(vals)

    # ------------------------------------------------------------- arithmetic
    def _with(self, knots) -> "PiecewiseLinear":
        knots = sorted(set(self.knots) | set(knots))
        return PiecewiseLinear(knots, [self(p) for p in knots], self.slope_left,
                               self.slope_right)

    def combine(self, others: Sequence["PiecewiseLinear"], weights: Sequence, constant=0):
        """Σ_i weights[i]·others[i] + constant (``self`` only fixes the number type and is
        not part of the sum); the knots are the union."""
        exact = self.exact and all(g.exact for g in others) and all_exact(list(weights) +
                                                                         [constant])
        ws = [to_number(w, exact, "weights") for w in weights]
        c = to_number(constant, exact, "constant")
        knots = sorted(set().union(*[set(g.knots) for g in others])) if others else [c * 0]
        vals = [sum((w * g(p) for w, g in zip(ws, others)), c) for p in knots]
        sl = sum((w * g.slope_left for w, g in zip(ws, others)), c * 0)
        sr = sum((w * g.slope_right for w, g in zip(ws, others)), c * 0)
        return PiecewiseLinear(knots, vals, sl, sr)

    def zeros(self) -> list:
        """Points where a piece crosses 0 strictly between its knots (or on a ray), sorted."""
        k, v = self.knots, self.values
        out = []
        if self.slope_left != 0 and (v[0] / self.slope_left) > 0:
            out.append(k[0] - v[0] / self.slope_left)
        for i in range(len(k) - 1):
            if (v[i] < 0 < v[i + 1]) or (v[i + 1] < 0 < v[i]):
                out.append(k[i] - v[i] * (k[i + 1] - k[i]) / (v[i + 1] - v[i]))
        if self.slope_right != 0 and (v[-1] / self.slope_right) < 0:
            out.append(k[-1] - v[-1] / self.slope_right)
        return out

    def apply(self, activation: str) -> "PiecewiseLinear":
        """σ∘f for σ ∈ {relu, abs, identity}: the zero crossings become knots."""
        if activation == "identity":
            return self
        if activation not in ("relu", "abs"):
            raise ValueError(f"activation: expected 'relu', 'abs' or 'identity', got "
                             f"{activation!r}")
        g = self._with(self.zeros())
        zero = Fraction(0) if g.exact else 0.0

        def s(t):
            return max(t, zero) if activation == "relu" else abs(t)

        # sign of f far out on each ray decides the ray's slope after σ
        far_left = g.values[0] if g.slope_left == 0 else -g.slope_left
        far_right = g.values[-1] if g.slope_right == 0 else g.slope_right
        sl = g.slope_left if far_left > 0 else (zero if activation == "relu" or far_left == 0
                                                else -g.slope_left)
        sr = g.slope_right if far_right > 0 else (zero if activation == "relu" or far_right == 0
                                                  else -g.slope_right)
        return PiecewiseLinear(g.knots, [s(t) for t in g.values], sl, sr)

    def shifted(self, delta) -> "PiecewiseLinear":
        """x ↦ f(x − delta) (the graph moved right by ``delta``)."""
        d = to_number(delta, self.exact and is_exact_scalar(delta), "delta")
        return PiecewiseLinear([p + d for p in self.knots], self.values, self.slope_left,
                               self.slope_right)

    def __repr__(self) -> str:
        return (f"PiecewiseLinear(knots={list(self.knots)}, values={list(self.values)}, "
                f"slope_left={self.slope_left}, slope_right={self.slope_right})")


def identity(exact: bool) -> PiecewiseLinear:
    """x ↦ x."""
    one = Fraction(1) if exact else 1.0
    return PiecewiseLinear([one * 0], [one * 0], one, one)


def _chain_units(units) -> bool:
    return all(hasattr(units, a) for a in ("signs", "thetas", "z", "activation"))


def network_layers(net, *, exact=None):
    """(exact, layers, out_weights, xi) of a 1-D network with a scalar output: ``layers`` is
    one list per hidden layer of (pre-activation, activation output) pairs, one per neuron,
    as :class:`PiecewiseLinear` functions of x. Exact factorisations are read directly: the
    two-layer ``Units`` (U, c, z) when q ≡ 1, and parallel-chain units (signs, θ, z) whose
    chain j has pre-activations s_l(F_l − θ_l) (relu) or G_l − θ_l (abs), THEORY §3.3–3.4."""
    if getattr(net, "alpha", None) is None:
        raise ValueError("net: expected a network with a scalar output (alpha, xi), got a "
                         "matrix output")
    if net.n_features != 1:
        raise ValueError(f"net: expected a network with one input (d = 1), got d = "
                         f"{net.n_features}")
    units = getattr(net, "units", None)
    can = net.exact and (units is None or _chain_units(units) or
                         getattr(units, "norm_sq", None) is None)
    if exact and not can:
        raise ValueError("exact: the network's weights are not all rational")
    exact = can if exact is None else bool(exact)
    x = identity(exact)
    acts = net.activations
    if units is not None and exact and _chain_units(units):
        depth = np.asarray(units.thetas).shape[1]
        layers = [[] for _ in range(depth)]
        for j in range(units.width):
            h = x
            for l in range(depth):
                sign = 1 if units.activation == "abs" else int(units.signs[j][l])
                pre = x.combine([h], [sign], -sign * units.thetas[j][l])
                h = pre.apply(units.activation)
                layers[l].append((pre, h))
        return exact, layers, list(units.z), net.xi
    if units is not None and exact:
        layer = []
        for j in range(units.width):
            pre = x.combine([x], [units.U[j, 0]], units.c[j])
            layer.append((pre, pre.apply(acts[0])))
        return exact, [layer], list(units.z), net.xi
    H, layers = [x], []
    for (W, b), act in zip(net.layers, acts):
        W = np.asarray(W, dtype=object if exact else float)
        layer = []
        for j in range(W.shape[0]):
            pre = x.combine(H, list(W[j]), b[j] if exact else float(b[j]))
            layer.append((pre, pre.apply(act)))
        layers.append(layer)
        H = [h for _, h in layer]
    alpha = list(net.alpha) if exact else [float(a) for a in net.alpha]
    return exact, layers, alpha, (net.xi if exact else float(net.xi))


def from_network(net, *, exact=None) -> PiecewiseLinear:
    """The function x ↦ f(x) of a network with one input and a scalar output (``alpha``).

    Exact (Fractions) when the net's weights are rational (``exact`` None: decide from the
    net; True: require it; False: floats). Nets that carry an exact factorisation (two-layer
    ``Units`` with q ≡ 1, THEORY §2.6; parallel-chain units, §3.3–3.4) are read from it.

    >>> import numpy as np
    >>> from fractions import Fraction as F
    >>> from exactgeo.nets import Network
    >>> one = lambda v: np.array([[F(v)]], dtype=object)
    >>> net = Network([(one(1), [F(0)]), (one(1), [F(-2)])], [F(1)], 0, activation="abs")
    >>> from_network(net).breakpoints()          # ||x| − 2|
    (Fraction(-2, 1), Fraction(0, 1), Fraction(2, 1))
    """
    exact, layers, weights, xi = network_layers(net, exact=exact)
    return identity(exact).combine([h for _, h in layers[-1]], weights, xi)
