"""Parallel d-D absolute-value chains rebuilt from a Lasso solution (THEORY §3.4
"Reconstruction" with w_1 = γu, §3.5).

A unit chain is φ(x) = g(uᵀx + c_1) with g_1 = |t|, g_{l+1} = |g_l − c_l| and ‖u‖_p = 1. For
coefficient z and L weight layers, γ = |z|^{1/L} and

    w_1 = γu, b_1 = γc_1;  w_l = γ, b_l = −γ^l c_l (2 ≤ l ≤ L−1);  α = sign(z)γ,

so h_l = γ^l g_l, α·h_{L−1} = zφ and the ℓ_L^L penalty (1/L)(|α|^L + ‖w_1‖_p^L + Σ|w_l|^L)
is |z|. Exact atoms keep rational (u, c_1, c_l) — for ℓ2 *unnormalised*, the unit chain
being φ/√q with q = ‖u‖₂² (positive homogeneity) — so :class:`DeepAbsUnits` keeps the
factorisation (U, c_1, thresholds, z, q): the forward pass is ξ + Σ_j z_jφ_j/√q_j (over ℚ
when every q_j = 1, i.e. ℓ1) and |w|^k = |z|^{k/L} (rational when L divides k).

>>> from fractions import Fraction as F
>>> import numpy as np
>>> U = np.array([[F(1, 2), F(-1, 2)]], dtype=object)
>>> units = DeepAbsUnits(U, np.array([F(0)], dtype=object),
...                      np.array([[F(1)]], dtype=object), np.array([F(8)], dtype=object))
>>> X = np.array([[F(4), F(0)], [F(1), F(1)]], dtype=object)
>>> units.forward(X, "abs", F(1)).tolist()            # 1 + 8·||(x₁ − x₂)/2| − 1|
[Fraction(9, 1), Fraction(9, 1)]
>>> units.norm_powers(0, 3, 1).tolist()               # ‖w_1‖₁³ = γ³ = 8
[Fraction(8, 1)]
"""
from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple, Optional

import numpy as np

from ..numbers import to_fraction

__all__ = ["DeepAbsUnits", "chain_features", "deep_abs_network"]


def chain_features(Z, T):
    """g(Z) for pre-activations Z (n, k) and thresholds T (k, m): |…||Z| − T_1| … − T_m|.
    Works on float64 and object (exact) arrays.

    >>> chain_features(np.array([[-3.0], [0.0], [1.0]]), np.array([[2.0]])).ravel().tolist()
    [1.0, 2.0, 1.0]
    """
    h = np.abs(Z)
    T = np.asarray(T)
    for l in range(T.shape[1] if T.ndim == 2 else 0):
        h = np.abs(h - T[None, :, l])
    return h


class DeepAbsUnits(NamedTuple):
    """Exact factorisation of parallel d-D abs chains: ``U`` (k, d), ``c`` (k,),
    ``thresholds`` (k, L − 2), ``z`` (k,) Fractions; ``norm_sq`` (k,) or None (module doc)."""
    U: np.ndarray
    c: np.ndarray
    thresholds: np.ndarray
    z: np.ndarray
    norm_sq: Optional[np.ndarray] = None

    @property
    def width(self) -> int:
        return len(self.z)

    @property
    def depth(self) -> int:
        return self.thresholds.shape[1] + 2

    def forward(self, X, activation=None, xi=0):
        """ξ + Σ_j z_jφ_j(x)/√q_j for the rows of the exact (n, d) array X: Fractions (ℓ1),
        sympy numbers when norm_sq is set."""
        xi = to_fraction(xi, "xi")
        X = np.asarray(X, dtype=object)
        if not self.width:
            return np.array([xi for _ in range(X.shape[0])], dtype=object)
        F = chain_features(X.dot(self.U.T) + self.c, self.thresholds)
        if self.norm_sq is None:
            return np.array([Fraction(v) + xi for v in F.dot(self.z)], dtype=object)
        import sympy
        from ..nets.exact import normal_form, to_sympy
        coef = [to_sympy(self.z[j]) / sympy.sqrt(to_sympy(self.norm_sq[j]))
                for j in range(self.width)]
        out = np.empty(X.shape[0], dtype=object)
        for i in range(X.shape[0]):
            s = to_sympy(xi)
            for j in range(self.width):
                if F[i, j] != 0:
                    s += coef[j] * to_sympy(F[i, j])
            out[i] = normal_form(s)
        return out

    def norm_powers(self, layer: int, k: int, p=None):
        """|w|^k of weight layer ``layer``: every chain's first-layer row has ‖w_1‖_p = γ
        (with ``p``), its deeper weights and α have |w| = γ, so each is |z_j|^{k/L}
        (:func:`~exactgeo.nets.chains.root_power`). Entrywise first-layer powers (p None)
        are left to the sympy weights (None)."""
        from ..nets.chains import root_power
        L = self.depth
        vals = [root_power(v, k, L) for v in self.z]
        if layer == 0:
            return np.array(vals, dtype=object) if p is not None else None
        if layer == L - 1:
            return np.array(vals, dtype=object)
        out = np.full((self.width, self.width), Fraction(0), dtype=object)
        for j, v in enumerate(vals):
            out[j, j] = v
        return out

    def exact_layers(self):
        """(layers, α) with sympy weights: γ_j = |z_j|^{1/L}, u and c_l divided by √q_j."""
        import sympy
        from ..nets.exact import to_sympy
        L, k, d = self.depth, self.width, self.U.shape[1]
        g, s = [], []
        for j, v in enumerate(self.z):
            g.append(sympy.Rational(abs(v).numerator, abs(v).denominator) ** sympy.Rational(1, L))
            s.append(1 if self.norm_sq is None else 1 / sympy.sqrt(to_sympy(self.norm_sq[j])))
        W1 = np.empty((k, d), dtype=object)
        b1 = np.empty(k, dtype=object)
        for j in range(k):
            for i in range(d):
                W1[j, i] = g[j] * s[j] * to_sympy(self.U[j, i])
            b1[j] = g[j] * s[j] * to_sympy(self.c[j])
        layers = [(W1, b1)]
        for l in range(L - 2):
            W = np.full((k, k), sympy.Integer(0), dtype=object)
            b = np.empty(k, dtype=object)
            for j in range(k):
                W[j, j] = g[j]
                b[j] = -s[j] * to_sympy(self.thresholds[j, l]) * g[j] ** (l + 2)
            layers.append((W, b))
        alpha = np.array([sympy.sign(to_sympy(v)) * g[j] for j, v in enumerate(self.z)],
                         dtype=object)
        return layers, alpha


def deep_abs_network(L: int, p: int, atoms, z, xi=0, *, n_features: int):
    """The parallel-chain :class:`~exactgeo.nets.Network` of ξ + Σ_k z_kφ(·; atoms[k])
    (d-D abs chains, ``atoms`` with ``u``, ``c``, ``thresholds``, ``norm_sq``) with the
    penalty ``LLL(L, p)``; exact atoms and z give an exact net (:class:`DeepAbsUnits`)."""
    from ..nets.network import Network
    from ..nets.penalties import LLL
    from ..numbers import is_exact_scalar
    keep = [k for k in range(len(atoms)) if z[k] != 0]
    atoms = [atoms[k] for k in keep]
    zz = [z[k] for k in keep]
    m, width, d = L - 1, max(len(atoms), 1), int(n_features)
    exact = all(a.exact for a in atoms) and all(is_exact_scalar(v) for v in zz) and \
        is_exact_scalar(xi if xi is not None else 0)
    layers = [(np.zeros((width, d)), np.zeros(width))] + \
        [(np.zeros((width, width)), np.zeros(width)) for _ in range(m - 1)]
    alpha = np.zeros(width)
    for j, (a, zj) in enumerate(zip(atoms, zz)):
        u, c1 = a.float_u_c()
        T = a.unit_thresholds()
        g = abs(float(zj)) ** (1.0 / L)
        layers[0][0][j] = g * u
        layers[0][1][j] = g * c1
        for l in range(m - 1):
            layers[l + 1][0][j, j] = g
            layers[l + 1][1][j] = -T[l] * g ** (l + 2)
        alpha[j] = float(np.sign(float(zj))) * g
    units = None
    if exact:
        k = len(atoms)
        ns = None
        if any(a.norm_sq is not None for a in atoms):
            ns = np.array([Fraction(a.norm_sq) if a.norm_sq is not None else Fraction(1)
                           for a in atoms], dtype=object)
        if k:
            units = DeepAbsUnits(
                np.array([list(a.u) for a in atoms], dtype=object).reshape(k, d),
                np.array([Fraction(a.c) for a in atoms], dtype=object),
                np.array([list(a.thresholds) for a in atoms], dtype=object).reshape(k, L - 2),
                np.array([to_fraction(v) for v in zz], dtype=object), ns)
        else:                      # intercept only: one chain with output weight 0
            units = DeepAbsUnits(np.full((1, d), Fraction(0), dtype=object),
                                 np.array([Fraction(0)], dtype=object),
                                 np.full((1, L - 2), Fraction(0), dtype=object),
                                 np.array([Fraction(0)], dtype=object))
        xi = to_fraction(xi if xi is not None else 0)
    else:
        xi = float(xi) if xi is not None else 0.0
    return Network(layers, alpha, xi, activation="abs", reg=LLL(L, p=p),
                   points=[tuple(a.points) for a in atoms] or None,
                   axes=[tuple(a.axes) for a in atoms] or None, units=units)
