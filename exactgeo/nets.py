"""Two-layer networks: forward pass, the regularised objective, and the
reconstruction of a network from a Lasso solution (THEORY §2.1, §2.6).

A :class:`TwoLayerNet` computes f(x) = ξ + Σ_j α_j σ(w_jᵀx + b_j) with σ ∈ {relu, abs}.
Its objective is ½‖f(X) − y‖² + (β/2)Σ_j(‖w_j‖_p² + α_j²), p = 1 or 2; biases and ξ
are not penalised.

Exactness. :func:`from_lasso` with exact atoms and exact z gives sympy weights
w = γu, α = sign(z)γ with γ = √|z| (irrational in general). The network keeps the
factorisation α_jσ(w_jᵀx + b_j) = z_jσ(u_jᵀx + c_j), so on exact data the forward pass
and the objective are exact: Fractions for ℓ1 families (equal to the Lasso objective),
sympy numbers for ℓ2 families (columns carry 1/√‖u‖²).

>>> from fractions import Fraction as F
>>> import numpy as np
>>> net = TwoLayerNet([(np.array([[1.0, 0.0]]), np.array([0.0]))], np.array([2.0]), 0.5)
>>> net.forward(np.array([[3.0, 1.0], [-1.0, 0.0]])).tolist()
[6.5, 0.5]
>>> X = np.array([[F(1), F(0)], [F(0), F(1)]], dtype=object)
>>> net = TwoLayerNet.from_units([[F(1), F(0)], [F(0), F(1)]], [0, 0], [F(9, 10), F(9, 10)],
...                              activation="relu", reg="l1")
>>> net.objective(X, [F(1), F(1)], F(1, 10))
Fraction(19, 100)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Optional

import numpy as np

from .numbers import as_array, as_exact_array, is_exact_scalar, to_fraction

__all__ = ["TwoLayerNet", "from_lasso"]

_ACTIVATIONS = ("relu", "abs")


def _sigma(t, activation: str):
    """σ elementwise on float or object arrays (Fractions)."""
    if activation == "relu":
        if isinstance(t, np.ndarray) and t.dtype == object:
            return np.where(t > 0, t, Fraction(0))
        return np.maximum(t, 0.0)
    if isinstance(t, np.ndarray) and t.dtype == object:
        return np.array([abs(v) for v in t.flat], dtype=object).reshape(t.shape)
    return np.abs(t)


def _sympy_sigma(t, activation):
    import sympy
    if activation == "relu":
        return t if t > 0 else sympy.Integer(0)
    return sympy.Abs(t)


def _as_fraction_or_sympy(v):
    """A sympy number that is rational → Fraction; otherwise the simplified sympy number."""
    import sympy
    v = sympy.nsimplify(v) if not isinstance(v, (int, Fraction)) else v
    if isinstance(v, (int, Fraction)):
        return Fraction(v)
    v = sympy.radsimp(sympy.expand(v))
    if v.is_Rational:
        return Fraction(int(v.p), int(v.q))
    return v


@dataclass
class TwoLayerNet:
    """f(x) = ξ + Σ_j α_j σ(w_jᵀx + b_j).

    ``layers`` is ``[(W (m, d), b (m,))]`` (one hidden layer; a list so that deeper
    nets can share the shape), ``alpha`` (m,), ``xi`` a scalar. Entries are floats or,
    for exact reconstructions, sympy numbers. ``points[j]`` are the training rows whose
    (augmented) cross product spans neuron j, ``axes[j]`` the basis directions used.
    ``units`` (optional) is the exact factorisation ``(U (m, d), c (m,), z (m,),
    norm_sq (m,) or None)`` with α_jσ(w_jᵀx + b_j) = z_jσ(U_jᵀx + c_j)/√norm_sq_j.
    """
    layers: list
    alpha: Any
    xi: Any = 0.0
    activation: str = "relu"
    reg: str = "l1"
    points: list = field(default_factory=list)
    axes: list = field(default_factory=list)
    units: Optional[tuple] = None

    def __post_init__(self):
        if self.activation not in _ACTIVATIONS:
            raise ValueError(f"activation: expected one of {_ACTIVATIONS}, got {self.activation!r}")
        if self.reg not in ("l1", "l2"):
            raise ValueError(f"reg: expected 'l1' or 'l2', got {self.reg!r}")
        if len(self.layers) != 1:
            raise ValueError(f"layers: depth 2 only for now (one hidden layer), "
                             f"got {len(self.layers)} layers")
        W, b = self.layers[0]
        W = np.asarray(W) if not isinstance(W, np.ndarray) else W
        if W.ndim != 2:
            raise ValueError(f"layers[0][0]: expected W of shape (m, d), got shape {W.shape}")
        b = np.asarray(b, dtype=W.dtype if W.dtype != object else object)
        alpha = np.asarray(self.alpha, dtype=W.dtype if W.dtype != object else object)
        if b.shape != (W.shape[0],) or alpha.shape != (W.shape[0],):
            raise ValueError(f"layers/alpha: expected b and alpha of shape ({W.shape[0]},), "
                             f"got {b.shape} and {alpha.shape}")
        self.layers = [(W, b)]
        self.alpha = alpha
        if not self.points:
            self.points = [() for _ in range(W.shape[0])]
        if not self.axes:
            self.axes = [() for _ in range(W.shape[0])]

    # ------------------------------------------------------------------ shape
    @property
    def width(self) -> int:
        return self.layers[0][0].shape[0]

    @property
    def exact(self) -> bool:
        """True when the net carries its exact factorisation (or exact weights)."""
        return self.units is not None or self.layers[0][0].dtype == object

    def exact_layers(self):
        """The exact weights ``([(W, b)], alpha)`` as sympy numbers: w_j = γ_ju_j/√q_j,
        b_j = γ_jc_j/√q_j, α_j = sign(z_j)γ_j with γ_j = √|z_j| (THEORY §2.6).
        Costs an integer factorisation per weight (sympy.sqrt): meant for small nets."""
        if self.units is None:
            if self.layers[0][0].dtype == object:
                return self.layers, self.alpha
            raise ValueError("exact_layers: this network has float weights only")
        import sympy
        U, c, z, ns = self.units
        m, d = U.shape
        W = np.empty((m, d), dtype=object)
        b = np.empty(m, dtype=object)
        alpha = np.empty(m, dtype=object)
        for j in range(m):
            zj = _sym(z[j])
            scale_sq = abs(zj) if ns is None else abs(zj) / _sym(ns[j])
            scale = sympy.sqrt(scale_sq)
            for k in range(d):
                W[j, k] = scale * _sym(U[j, k])
            b[j] = scale * _sym(c[j])
            alpha[j] = sympy.sign(zj) * sympy.sqrt(abs(zj))
        return [(W, b)], alpha

    # ------------------------------------------------------------ constructors
    @classmethod
    def from_units(cls, U, c, z, *, xi=0, activation="relu", reg="l1", norm_sq=None,
                   points=None, axes=None) -> "TwoLayerNet":
        """Build the net realising Σ_j z_jσ(u_jᵀx + c_j)(/√norm_sq_j) + ξ (THEORY §2.6).

        ``U`` (m, d), ``c`` (m,), ``z`` (m,) exact or float. ``norm_sq`` (ℓ2, exact):
        the unit neuron is (u, c)/√norm_sq. Exact: γ_j = √|z_j| as sympy, w_j = γ_ju_j,
        b_j = γ_jc_j, α_j = sign(z_j)γ_j.
        """
        ex_u, ex_c, ex_z = _rational(U), _rational(c), _rational(z)
        exact = ex_u and ex_c and ex_z
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
        if not exact:
            U_f = np.asarray(U_arr, dtype=float)
            c_f = np.asarray(c_arr, dtype=float)
            z_f = np.asarray(z_arr, dtype=float)
            if norm_sq is not None:
                s = 1.0 / np.sqrt(np.asarray(norm_sq, dtype=float))
                U_f, c_f = U_f * s[:, None], c_f * s
            g = np.sqrt(np.abs(z_f))
            W, b, alpha = U_f * g[:, None], c_f * g, np.sign(z_f) * g
            xi_v = float(xi) if xi is not None else 0.0
            units = None
        else:
            # float weights for display; the exact net is the factorisation `units`, and
            # the sympy weights γu (γ = √|z|) are built on demand by exact_layers()
            U_f = np.array([[float(v) for v in row] for row in U_arr]).reshape(U_arr.shape)
            c_f = np.array([float(v) for v in c_arr])
            z_f = np.array([float(v) for v in z_arr])
            if norm_sq is not None:
                s = 1.0 / np.sqrt(np.array([float(to_fraction(q)) for q in norm_sq]))
                U_f, c_f = U_f * s[:, None], c_f * s
            g = np.sqrt(np.abs(z_f))
            W, b, alpha = U_f * g[:, None], c_f * g, np.sign(z_f) * g
            xi_v = to_fraction(xi, "xi") if xi is not None else Fraction(0)
            ns = None if norm_sq is None else np.array([to_fraction(q) for q in norm_sq], dtype=object)
            units = (U_arr, c_arr, z_arr, ns)
        return cls([(W, b)], alpha, xi_v, activation=activation, reg=reg,
                   points=list(points) if points is not None else [],
                   axes=list(axes) if axes is not None else [], units=units)

    # ---------------------------------------------------------------- forward
    def forward(self, X, *, method: str = "auto"):
        """f(X), shape (n,). Float data → float64. Exact data (Fractions) on an exact net →
        Fractions for rational columns, sympy numbers otherwise. ``method="direct"``
        evaluates the sympy weights literally (slow; used to test the factorisation)."""
        X_arr, ex = as_array(X, "X")
        if X_arr.ndim != 2 or X_arr.shape[1] != self.layers[0][0].shape[1]:
            raise ValueError(f"X: expected shape (n, {self.layers[0][0].shape[1]}), got {X_arr.shape}")
        W, b = self.layers[0]
        if not (ex and self.exact):
            if W.dtype == object and self.units is None:
                W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
            Wf = np.asarray(W, dtype=float)
            bf = np.asarray(b, dtype=float)
            af = np.asarray(self.alpha, dtype=float)
            H = _sigma(np.asarray(X_arr, dtype=float) @ Wf.T + bf, self.activation)
            return H @ af + float(self.xi)
        if method == "direct" or self.units is None:
            return self._forward_sympy(X_arr)
        U, c, z, ns = self.units
        T = X_arr.dot(U.T) + c if len(c) else np.zeros((X_arr.shape[0], 0), dtype=object)
        H = _sigma(T, self.activation)
        if ns is None:
            out = H.dot(z) if len(z) else np.zeros(X_arr.shape[0], dtype=object)
            return np.array([Fraction(v) + self.xi for v in out], dtype=object)
        import sympy
        coef = [sympy.Rational(z[j].numerator, z[j].denominator) /
                sympy.sqrt(sympy.Rational(ns[j].numerator, ns[j].denominator)) for j in range(len(z))]
        out = np.empty(X_arr.shape[0], dtype=object)
        for i in range(X_arr.shape[0]):
            s = sympy.Rational(self.xi.numerator, self.xi.denominator)
            for j in range(len(z)):
                if H[i, j] != 0:
                    s += coef[j] * sympy.Rational(H[i, j].numerator, H[i, j].denominator)
            out[i] = _as_fraction_or_sympy(s)
        return out

    def _forward_sympy(self, X_arr):
        import sympy
        layers, alpha = self.exact_layers()
        W, b = layers[0]
        xi = sympy.nsimplify(self.xi) if not isinstance(self.xi, Fraction) else \
            sympy.Rational(self.xi.numerator, self.xi.denominator)
        out = np.empty(X_arr.shape[0], dtype=object)
        for i in range(X_arr.shape[0]):
            s = xi
            for j in range(W.shape[0]):
                t = b[j] + sum(W[j, k] * sympy.Rational(X_arr[i, k].numerator, X_arr[i, k].denominator)
                               for k in range(W.shape[1]))
                s += alpha[j] * _sympy_sigma(sympy.radsimp(t), self.activation)
            out[i] = _as_fraction_or_sympy(s)
        return out

    # -------------------------------------------------------------- objective
    def penalty(self, reg: Optional[str] = None, *, method: str = "auto"):
        """Σ_j(‖w_j‖_p² + α_j²) (without the factor β/2). Exact nets: a Fraction, from the
        factorisation ‖w_j‖_p² = (|z_j|/q_j)‖u_j‖_p², α_j² = |z_j|; ``method="direct"``
        evaluates the sympy weights of :meth:`exact_layers` instead."""
        reg = reg or self.reg
        if not self.exact:
            W, _ = self.layers[0]
            Wf = np.asarray(W, dtype=float)
            nw = np.abs(Wf).sum(axis=1) ** 2 if reg == "l1" else (Wf ** 2).sum(axis=1)
            return float(nw.sum() + (np.asarray(self.alpha, dtype=float) ** 2).sum())
        if method != "direct" and self.units is not None:
            U, c, z, ns = self.units
            tot = Fraction(0)
            for j in range(U.shape[0]):
                nu = sum((abs(v) for v in U[j]), Fraction(0)) ** 2 if reg == "l1" else \
                    sum((v * v for v in U[j]), Fraction(0))
                q = ns[j] if ns is not None else Fraction(1)
                if reg == "l1" and ns is not None:
                    return self.penalty(reg, method="direct")   # ℓ1 norm of u/√q: irrational
                tot += abs(z[j]) * nu / q + abs(z[j])
            return tot
        import sympy
        layers, alpha = self.exact_layers()
        W = layers[0][0]
        tot = sympy.Integer(0)
        for j in range(W.shape[0]):
            if reg == "l1":
                nw = sum(sympy.Abs(v) for v in W[j]) ** 2
            else:
                nw = sum(v ** 2 for v in W[j])
            tot += nw + alpha[j] ** 2
        return _as_fraction_or_sympy(tot)

    def objective(self, X, y, beta, reg: Optional[str] = None, *, method: str = "auto"):
        """½‖f(X) − y‖² + (β/2)Σ_j(‖w_j‖_p² + α_j²). Exact (Fraction or sympy) when the
        net, X, y and β are exact; float otherwise."""
        y_arr, ex_y = as_array(y, "y")
        f = self.forward(X, method=method)
        if y_arr.shape != f.shape:
            raise ValueError(f"y: expected shape {f.shape}, got {y_arr.shape}")
        exact = self.exact and f.dtype == object and ex_y and not isinstance(beta, float)
        if not exact:
            res = np.asarray(f, dtype=float) - np.asarray(y_arr, dtype=float)
            return 0.5 * float(res @ res) + 0.5 * float(beta) * self.penalty(reg)
        beta_q = to_fraction(beta, "beta")
        res = f - y_arr
        fit = sum((v * v for v in res), Fraction(0))
        pen = self.penalty(reg, method=method)
        val = fit / 2 + (pen * beta_q / 2 if isinstance(pen, Fraction) else
                         pen * _sym(beta_q) / 2)
        return _as_fraction_or_sympy(val) if not isinstance(val, Fraction) else val


def _rational(a) -> bool:
    """True if every entry of ``a`` is an exact scalar (ints included)."""
    arr = np.asarray(a, dtype=object)
    return all(is_exact_scalar(v) for v in arr.flat)


def _sym(q):
    import sympy
    q = to_fraction(q)
    return sympy.Rational(q.numerator, q.denominator)


def from_lasso(family, atoms, z, xi=0, *, drop_zero: bool = True,
               n_features: Optional[int] = None) -> TwoLayerNet:
    """The network of THEORY §2.6 from a Lasso solution over ``atoms`` of ``family``.

    ``atoms`` is a sequence of :class:`exactgeo.families.base.Atom`, ``z`` their
    coefficients (exact or float), ``xi`` the intercept (None → 0). Atoms with z = 0 are
    dropped. Each neuron keeps its atom's ``points`` and ``axes``. ``n_features`` d gives
    the input width when there are no atoms (the intercept-only network).
    """
    z_arr, ex = as_array(z, "z")
    if len(atoms) != len(z_arr):
        raise ValueError(f"z: expected {len(atoms)} coefficients (one per atom), got {len(z_arr)}")
    keep = [k for k in range(len(atoms)) if not (drop_zero and z_arr[k] == 0)]
    act = getattr(family, "activation", "relu")
    reg = getattr(family, "reg", "l1")
    d = len(atoms[0].u) if len(atoms) else (n_features or 0)
    if not keep:
        U = np.zeros((0, d), dtype=object if ex else float)
        return TwoLayerNet.from_units(U, np.zeros(0, dtype=U.dtype), np.zeros(0, dtype=U.dtype),
                                      xi=xi, activation=act, reg=reg)
    sel = [atoms[k] for k in keep]
    exact_atoms = ex and all(_is_exact_atom(a) for a in sel)
    if exact_atoms:
        U = np.array([[to_fraction(v) for v in a.u] for a in sel], dtype=object)
        c = np.array([to_fraction(a.c) for a in sel], dtype=object)
        zz = np.array([z_arr[k] for k in keep], dtype=object)
        ns = None
        if any(a.norm_sq is not None for a in sel):
            ns = [to_fraction(a.norm_sq) if a.norm_sq is not None else _norm_sq(a.u) for a in sel]
        xi_v = to_fraction(xi) if xi is not None else Fraction(0)
    else:
        U = np.array([[float(v) for v in a.u] for a in sel], dtype=float)
        c = np.array([float(a.c) for a in sel], dtype=float)
        zz = np.array([float(z_arr[k]) for k in keep], dtype=float)
        ns = None
        if any(a.norm_sq is not None for a in sel):
            ns = [float(a.norm_sq) if a.norm_sq is not None else 1.0 for a in sel]
        xi_v = float(xi) if xi is not None else 0.0
    return TwoLayerNet.from_units(U, c, zz, xi=xi_v, activation=act, reg=reg, norm_sq=ns,
                                  points=[tuple(a.points) for a in sel],
                                  axes=[tuple(a.axes) for a in sel])


def _is_exact_atom(a) -> bool:
    from .numbers import is_exact_scalar
    return all(is_exact_scalar(v) for v in np.asarray(a.u, dtype=object).flat) and \
        is_exact_scalar(a.c if a.c is not None else 0)


def _norm_sq(u):
    return sum((to_fraction(v) ** 2 for v in u), Fraction(0))
