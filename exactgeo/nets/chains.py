"""Parallel width-1 chains rebuilt from a chain Lasso solution (THEORY §3.1, §3.3, §3.4).

For an atom (s, θ) with coefficient z and L weight layers, γ = |z|^{1/L} and

    w_1 = s_1γ, b_1 = −s_1θ_1γ;  w_l = s_lγ, b_l = −s_lθ_lγ^l (2 ≤ l ≤ L−1);  α = sign(z)γ,

so h_l = γ^l·F_{l+1}, α·h_{L−1} = z·φ and every weight has |w|^L = |z|: the ℓ_L^L penalty
(1/L)(|α|^L + Σ_l|w_l|^L) is exactly |z|. The chains run in parallel: the first hidden
layer is (m, 1), deeper layers are diagonal (m, m). γ is irrational in general, so an exact
net keeps its factorisation :class:`ChainUnits` (signs, θ, z): the forward pass is
ξ + Σ_j z_jφ_j(x) over ℚ and |w|^k = |z|^{k/L} is rational whenever L divides k (the
penalty), a sympy root otherwise (the same role as :class:`~exactgeo.nets.units.Units`
for two-layer nets).

>>> from fractions import Fraction as F
>>> import numpy as np
>>> from exactgeo.nets import LLL
>>> u = ChainUnits("abs", np.array([[1, 1]]), np.array([[F(0), F(2)]], dtype=object),
...                np.array([F(8)], dtype=object))
>>> X = np.array([[F(-3)], [F(0)], [F(1)]], dtype=object)
>>> u.forward(X, "abs", F(1)).tolist()                      # 1 + 8·||x| − 2|
[Fraction(9, 1), Fraction(17, 1), Fraction(9, 1)]
>>> u.norm_powers(0, 3, 1).tolist(), u.norm_powers(1, 1).tolist()
([Fraction(8, 1)], [[Fraction(2, 1)]])
"""
from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

import numpy as np

from ..numbers import to_fraction
from .exact import to_sympy

__all__ = ["ChainUnits", "chain_weights", "chain_network", "root_power"]


def _int_root(a: int, L: int):
    """The integer L-th root of a ≥ 0, or None when a is not a perfect L-th power."""
    if a < 2:
        return a
    r = int(round(a ** (1.0 / L))) if a < 2 ** 1000 else None
    if r is None:
        lo, hi = 0, 1 << (a.bit_length() // L + 1)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if mid ** L <= a:
                lo = mid
            else:
                hi = mid - 1
        r = lo
    for c in (r - 1, r, r + 1):
        if c >= 0 and c ** L == a:
            return c
    return None


def root_power(q, k: int, L: int):
    """|q|^{k/L} exactly: a Fraction when it is rational, else a sympy number.

    >>> root_power(Fraction(8, 27), 2, 3), root_power(Fraction(2), 3, 3), root_power(2, 1, 2)
    (Fraction(4, 9), Fraction(2, 1), sqrt(2))
    """
    q = abs(to_fraction(q))
    if k % L == 0:
        return q ** (k // L)
    a, b = _int_root(q.numerator, L), _int_root(q.denominator, L)
    if a is not None and b is not None:
        return Fraction(a, b) ** k
    import sympy
    return sympy.Rational(q.numerator, q.denominator) ** sympy.Rational(k, L)


def chain_weights(signs, thetas, z, L: int):
    """Float weights ``([(w_1, b_1), …, (w_{L−1}, b_{L−1})], α)`` of one chain (module doc)."""
    g = abs(float(z)) ** (1.0 / L)
    layers = []
    for l, (s, t) in enumerate(zip(signs, thetas)):
        layers.append((float(s) * g, -float(s) * float(t) * g ** (l + 1)))
    return layers, float(np.sign(float(z))) * g


class ChainUnits(NamedTuple):
    """Exact factorisation of parallel chains: ``signs`` (k, m) ints, ``thetas`` (k, m)
    Fractions, ``z`` (k,) Fractions; chain j is z_jφ(x; s_j, θ_j) (module doc)."""
    activation: str
    signs: np.ndarray
    thetas: np.ndarray
    z: np.ndarray

    @property
    def width(self) -> int:
        return len(self.z)

    @property
    def depth(self) -> int:
        return self.thetas.shape[1] + 1

    def forward(self, X, activation=None, xi=0):
        """ξ + Σ_j z_jφ_j(x) for the rows of the exact (n, 1) array X: Fractions."""
        from ..families.chains_1d import chain_values
        xi = to_fraction(xi, "xi")
        x = np.asarray(X, dtype=object)[:, 0]
        if not self.width:
            return np.array([xi for _ in x], dtype=object)
        F = chain_values(self.activation, x, self.thetas, self.signs)
        out = F.dot(self.z)
        return np.array([Fraction(v) + xi for v in out], dtype=object)

    def norm_powers(self, layer: int, k: int, p=None):
        """|w|^k of weight layer ``layer`` (0: rows of the first layer, (k,) with ``p``
        else (k, 1); 1…L−2: the diagonal layers entrywise (k, k); L−1: α (k,)) — each
        non-zero weight has |w|^k = |z_j|^{k/L} (:func:`root_power`)."""
        L = self.depth
        vals = [root_power(v, k, L) for v in self.z]
        if layer == 0:
            arr = np.array(vals, dtype=object)
            return arr if p is not None else arr.reshape(-1, 1)
        if layer == L - 1:
            return np.array(vals, dtype=object)
        out = np.full((self.width, self.width), Fraction(0), dtype=object)
        for j, v in enumerate(vals):
            out[j, j] = v
        return out

    def exact_layers(self):
        """(layers, α) with sympy weights: γ_j = |z_j|^{1/L} (a sympy root)."""
        import sympy
        L, k = self.depth, self.width
        g = [sympy.Rational(abs(v).numerator, abs(v).denominator) ** sympy.Rational(1, L)
             for v in self.z]
        layers = []
        for l in range(L - 1):
            W = np.full((k, 1) if l == 0 else (k, k), sympy.Integer(0), dtype=object)
            b = np.empty(k, dtype=object)
            for j in range(k):
                s = int(self.signs[j, l])
                W[j, 0 if l == 0 else j] = s * g[j]
                b[j] = -s * to_sympy(self.thetas[j, l]) * g[j] ** (l + 1)
            layers.append((W, b))
        alpha = np.array([sympy.sign(to_sympy(v)) * g[j] for j, v in enumerate(self.z)],
                         dtype=object)
        return layers, alpha


def chain_network(activation: str, L: int, atoms, z, xi=0):
    """The parallel-chain :class:`~exactgeo.nets.Network` of ξ + Σ_k z_kφ(·; atoms[k]) with
    the ℓ_L^L penalty ``LLL(L, p=1)`` (atoms with z = 0 are dropped). Exact atoms and z
    give an exact net (its :class:`ChainUnits`); otherwise float weights."""
    from .network import Network
    from .penalties import LLL
    from ..numbers import is_exact_scalar
    keep = [k for k in range(len(atoms)) if z[k] != 0]
    atoms = [atoms[k] for k in keep]
    zz = [z[k] for k in keep]
    m, width = L - 1, len(atoms)
    exact = all(a.exact for a in atoms) and all(is_exact_scalar(v) for v in zz) and \
        is_exact_scalar(xi if xi is not None else 0)
    layers = [(np.zeros((width, 1)), np.zeros(width))] + \
        [(np.zeros((width, width)), np.zeros(width)) for _ in range(m - 1)]
    alpha = np.zeros(width)
    for j, (a, zj) in enumerate(zip(atoms, zz)):
        ws, al = chain_weights(a.signs, a.thetas, zj, L)
        for l, (w, b) in enumerate(ws):
            layers[l][0][j, 0 if l == 0 else j] = w
            layers[l][1][j] = b
        alpha[j] = al
    units = None
    if exact:
        units = ChainUnits(activation,
                           np.array([list(a.signs) for a in atoms], dtype=np.int64
                                    ).reshape(width, m),
                           np.array([list(a.thetas) for a in atoms], dtype=object
                                    ).reshape(width, m),
                           np.array([to_fraction(v) for v in zz], dtype=object))
        xi = to_fraction(xi if xi is not None else 0)
    else:
        xi = float(xi) if xi is not None else 0.0
    if width == 0:                       # intercept only: one chain with output weight 0
        layers = [(np.zeros((1, 1)), np.zeros(1))] + \
            [(np.zeros((1, 1)), np.zeros(1)) for _ in range(m - 1)]
        alpha = np.zeros(1)
        units = ChainUnits(activation, np.ones((1, m), dtype=np.int64),
                           np.full((1, m), Fraction(0), dtype=object),
                           np.array([Fraction(0)], dtype=object)) if exact else None
    return Network(layers, alpha, xi, activation=activation, reg=LLL(L, p=1),
                   points=[tuple(a.points) for a in atoms] or None, units=units)
