"""The exact factorisation of a two-layer network's hidden layer (THEORY §2.6).

A Lasso solution Σ_j z_jσ(u_jᵀx + c_j)/√q_j + ξ is the network with w_j = γ_ju_j/√q_j,
b_j = γ_jc_j/√q_j and α_j = sign(z_j)γ_j, γ_j = √|z_j| (q_j = ‖u_j‖₂² for ℓ2 atoms, else 1).
Those weights are irrational in general. :class:`Units` keeps (U, c, z, q) instead, so the
forward pass is exact (α_jσ(w_jᵀx + b_j) = z_jσ(u_jᵀx + c_j)/√q_j) and every squared norm is
rational: α_j² = |z_j|, w_jk² = (|z_j|/q_j)u_jk², ‖w_j‖₁² = (|z_j|/q_j)‖u_j‖₁².
:func:`factorise` builds the float display weights and the Units of a solution.

>>> from fractions import Fraction as F
>>> import numpy as np
>>> W, b, alpha, xi, units = factorise([[F(3), F(4)]], [F(0)], [F(4)])
>>> W.tolist(), alpha.tolist(), units.alpha_sq().tolist(), units.l1_sq().tolist()
([[6.0, 8.0]], [2.0], [Fraction(4, 1)], [Fraction(196, 1)])
>>> units.forward(np.array([[F(1), F(1)]], dtype=object), "relu", xi).tolist()
[Fraction(28, 1)]
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, NamedTuple, Optional

import numpy as np

from ..numbers import as_exact_array, to_fraction
from .activations import apply
from .exact import all_rational, normal_form, to_sympy

__all__ = ["Units", "factorise"]


class Units(NamedTuple):
    """``U`` (m, d), ``c`` (m,), ``z`` (m,) object arrays of Fractions, ``norm_sq`` (m,) or
    None (then every q_j = 1): the neuron j is z_jσ(U_jᵀx + c_j)/√q_j."""
    U: np.ndarray
    c: np.ndarray
    z: np.ndarray
    norm_sq: Optional[np.ndarray] = None

    @property
    def width(self) -> int:
        return self.U.shape[0]

    # ------------------------------------------------------------- squared norms
    def scale_sq(self) -> np.ndarray:
        """(γ_j/√q_j)² = |z_j|/q_j: the squared factor between w_j and u_j."""
        q = self.norm_sq
        return np.array([abs(self.z[j]) / (q[j] if q is not None else Fraction(1))
                         for j in range(self.width)], dtype=object)

    def squares(self) -> np.ndarray:
        """w_jk² = (|z_j|/q_j)u_jk², shape (m, d), Fractions."""
        s = self.scale_sq()
        out = np.empty(self.U.shape, dtype=object)
        for j in range(self.width):
            for k in range(self.U.shape[1]):
                out[j, k] = s[j] * self.U[j, k] * self.U[j, k]
        return out

    def l2_sq(self) -> np.ndarray:
        """‖w_j‖₂² = (|z_j|/q_j)‖u_j‖₂², shape (m,), Fractions."""
        s = self.scale_sq()
        return np.array([s[j] * sum((v * v for v in self.U[j]), Fraction(0))
                         for j in range(self.width)], dtype=object)

    def l1_sq(self) -> np.ndarray:
        """‖w_j‖₁² = (|z_j|/q_j)‖u_j‖₁², shape (m,), Fractions."""
        s = self.scale_sq()
        return np.array([s[j] * sum((abs(v) for v in self.U[j]), Fraction(0)) ** 2
                         for j in range(self.width)], dtype=object)

    def alpha_sq(self) -> np.ndarray:
        """α_j² = |z_j|, shape (m,), Fractions."""
        return np.array([abs(v) for v in self.z], dtype=object)

    @property
    def depth(self) -> int:
        return 2

    def norm_powers(self, layer: int, k: int, p=None):
        """|w|ᵏ of layer 0 (entrywise, or ‖w_j‖_pᵏ per row) or of α (layer 1), exactly from
        the rational squares when k is even; None for odd k (not rational in general)."""
        if k % 2:
            return None
        sq = (self.alpha_sq() if layer == 1 else
              self.squares() if p is None else self.l1_sq() if p == 1 else self.l2_sq())
        h = k // 2
        return np.array([v ** h for v in sq.flat], dtype=object).reshape(sq.shape)

    # ------------------------------------------------------------------ weights
    def exact_weights(self):
        """(W (m, d), b (m,), alpha (m,)) as sympy numbers: w_j = γ_ju_j/√q_j, b_j = γ_jc_j/√q_j,
        α_j = sign(z_j)γ_j. The square roots come from
        :func:`exactgeo.closed_form.sqrt_radical` (no integer factorisation: 1,800-digit z
        stay fast; radicands beyond 256 bits stay an unevaluated sympy sqrt)."""
        from ..closed_form import sqrt_radical
        U, c, z, ns = self
        m, d = U.shape
        W = np.empty((m, d), dtype=object)
        b = np.empty(m, dtype=object)
        alpha = np.empty(m, dtype=object)
        for j in range(m):
            zj = to_fraction(z[j])
            scale = sqrt_radical(abs(zj) if ns is None else abs(zj) / to_fraction(ns[j]))
            for k in range(d):
                W[j, k] = (scale * to_fraction(U[j, k])).to_sympy()
            b[j] = (scale * to_fraction(c[j])).to_sympy()
            a = sqrt_radical(abs(zj)) * (1 if zj > 0 else -1 if zj < 0 else 0)
            alpha[j] = a.to_sympy()
        return W, b, alpha

    def exact_layers(self):
        """([(W, b)], alpha) of :meth:`exact_weights` (the layer list of a network)."""
        W, b, alpha = self.exact_weights()
        return [(W, b)], alpha

    # ------------------------------------------------------------------ forward
    def forward(self, X, activation: str, xi):
        """ξ + Σ_j z_jσ(U_jᵀx + c_j)/√q_j for the rows of the exact array X (n, d): Fractions
        when ``norm_sq`` is None, else sympy numbers in :func:`~.exact.normal_form`."""
        U, c, z, ns = self
        xi = xi if isinstance(xi, Fraction) else to_fraction(xi, "xi")
        if ns is None and activation in ("relu", "abs") and len(c):
            return _forward_scaled(X, U, c, z, activation, xi)
        T = X.dot(U.T) + c if len(c) else np.zeros((X.shape[0], 0), dtype=object)
        H = apply(activation, T)
        if ns is None:
            out = H.dot(z) if len(z) else np.zeros(X.shape[0], dtype=object)
            return np.array([Fraction(v) + xi for v in out], dtype=object)
        import sympy
        coef = [to_sympy(z[j]) / sympy.sqrt(to_sympy(ns[j])) for j in range(len(z))]
        out = np.empty(X.shape[0], dtype=object)
        for i in range(X.shape[0]):
            s = to_sympy(xi)
            for j in range(len(z)):
                if H[i, j] != 0:
                    s += coef[j] * to_sympy(H[i, j])
            out[i] = normal_form(s)
        return out


def _forward_scaled(X, U, c, z, activation, xi):
    """ξ + Σ_j z_jσ(U_jᵀx + c_j) over ℚ with Python-int products (no gcd per operation):
    X = X̃/D, (U_j, c_j) = (Ũ_j, c̃_j)/e_j, so U_jᵀx + c_j = (X̃Ũ_jᵀ + Dc̃_j)/(De_j) and,
    σ being positively homogeneous (relu, abs), σ(·) = σ(X̃Ũ_jᵀ + Dc̃_j)/(De_j)."""
    from math import lcm
    from ..numbers import integer_scale
    Xi, D = integer_scale(X)
    m, d = U.shape
    Ui = np.empty((d + 1, m), dtype=object)
    g = []
    for j in range(m):
        row = [to_fraction(v) for v in U[j]] + [to_fraction(c[j])]
        e = lcm(*[q.denominator for q in row])
        Ui[:, j] = [q.numerator * (e // q.denominator) for q in row]
        Ui[d, j] *= D
        g.append(to_fraction(z[j]) / (D * e))
    G = lcm(*[q.denominator for q in g])
    gi = np.array([q.numerator * (G // q.denominator) for q in g], dtype=object)
    import flint
    n = X.shape[0]
    Xa = flint.fmpz_mat(n, d + 1, [int(v) for row in Xi for v in list(row) + [1]])
    T = (Xa * flint.fmpz_mat(d + 1, m, [int(v) for v in Ui.flat])).entries()
    zero = flint.fmpz(0)
    H = [v if v > zero else zero for v in T] if activation == "relu" else [abs(v) for v in T]
    out = (flint.fmpz_mat(n, m, H) * flint.fmpz_mat(m, 1, [int(v) for v in gi])).entries()
    return np.array([Fraction(int(v), G) + xi for v in out], dtype=object)


def factorise(U, c, z, *, xi=0, norm_sq=None):
    """(W, b, alpha, xi, units) realising Σ_j z_jσ(u_jᵀx + c_j)(/√norm_sq_j) + ξ.

    ``U`` (m, d), ``c`` (m,), ``z`` (m,) exact or float. Float input: float weights
    w_j = γ_ju_j, b_j = γ_jc_j, α_j = sign(z_j)γ_j (γ_j = √|z_j|, after dividing (u, c) by
    √norm_sq) and ``units`` None. Exact input: the same weights as floats for display, ξ a
    Fraction, and the exact :class:`Units` (the sympy weights are
    :meth:`Units.exact_weights`).
    """
    exact = all_rational(U) and all_rational(c) and all_rational(z)
    conv = (lambda a, n: as_exact_array(a, n)) if exact else \
        (lambda a, n: np.asarray(a, dtype=float))
    U_arr, c_arr, z_arr = conv(U, "U"), conv(c, "c"), conv(z, "z")
    if U_arr.ndim == 1 and U_arr.size == 0:
        U_arr = U_arr.reshape(0, 0)
    if U_arr.ndim != 2:
        raise ValueError(f"U: expected shape (m, d), got {U_arr.shape}")
    m = U_arr.shape[0]
    if z_arr.shape != (m,) or c_arr.shape != (m,):
        raise ValueError(f"z/c: expected shape ({m},), got {z_arr.shape} and {c_arr.shape}")
    units: Any = None
    if not exact:
        U_f = np.asarray(U_arr, dtype=float)
        c_f = np.asarray(c_arr, dtype=float)
        z_f = np.asarray(z_arr, dtype=float)
        if norm_sq is not None:
            s = 1.0 / np.sqrt(np.asarray(norm_sq, dtype=float))
            U_f, c_f = U_f * s[:, None], c_f * s
        xi_v = float(xi) if xi is not None else 0.0
    else:
        U_f = np.array([[float(v) for v in row] for row in U_arr]).reshape(U_arr.shape)
        c_f = np.array([float(v) for v in c_arr])
        z_f = np.array([float(v) for v in z_arr])
        if norm_sq is not None:
            s = 1.0 / np.sqrt(np.array([float(to_fraction(q)) for q in norm_sq]))
            U_f, c_f = U_f * s[:, None], c_f * s
        xi_v = to_fraction(xi, "xi") if xi is not None else Fraction(0)
        ns = None if norm_sq is None else \
            np.array([to_fraction(q) for q in norm_sq], dtype=object)
        units = Units(U_arr, c_arr, z_arr, ns)
    g = np.sqrt(np.abs(z_f))
    W, b, alpha = U_f * g[:, None], c_f * g, np.sign(z_f) * g
    return W, b, alpha, xi_v, units
