"""The one network type of exactgeo: hidden layers applied to rows, then an output layer.

For data X of shape (n, d) — rows are samples — a :class:`Network` computes

    H_0 = X,   H_l = σ_l(H_{l−1}W_lᵀ + b_l)   (l = 1 … L−1),
    f(X) = H_{L−1}α + ξ   (shape (n,))   or   H_{L−1}W_outᵀ + b_out   (shape (n, P)),

with W_l of shape (m_l, m_{l−1}), b_l of shape (m_l,) and σ_l ∈ {relu, abs, identity} per
layer. L counts weight layers (THEORY §3.1): L = 2 is the two-layer net of §2.1
(:class:`TwoLayerNet`), parallel chains have diagonal deeper layers (§3.1), and the
clustered-data minimizers of §4 use a matrix output (W_out, b_out).

Numbers are floats or exact (Fractions; sympy numbers for irrational weights): exact data
on an exact net give exact outputs, anything else is evaluated in float64. A two-layer net
rebuilt from a Lasso solution keeps its exact factorisation ``units`` (:mod:`.units`), so its
forward pass and objective stay over ℚ although its weights γu (γ = √|z|) are irrational.
The penalty is a strategy (:mod:`.penalties`) selected by ``reg``; the objective is
½‖f(X) − y‖² + β·R(θ).

>>> from fractions import Fraction as F
>>> import numpy as np
>>> I = np.array([[F(1), F(0)], [F(0), F(1)]], dtype=object)
>>> net = Network([(I, [F(0), F(-1)]), (I, [F(0), F(0)])], [F(1), F(2)], F(1, 2))
>>> net.forward(np.array([[F(1), F(3)]], dtype=object)).tolist()     # 1·1 + 2·2 + 1/2
[Fraction(11, 2)]
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

from fractions import Fraction
from typing import NamedTuple, Optional

import numpy as np

from ..numbers import as_array, is_exact_scalar, sum_of_squares, to_fraction
from .activations import apply, apply_exact, check_activation
from .exact import half_power, is_rational, normal_form, to_sympy
from .penalties import get_penalty
from .units import Units, factorise

__all__ = ["Network", "TwoLayerNet", "Trace"]


class Trace(NamedTuple):
    """A forward pass kept layer by layer: ``pre`` [Z_1 … Z_{L−1}] (Z_l = H_{l−1}W_lᵀ + b_l),
    ``post`` [H_0 = X, H_1 … H_{L−1}], ``out`` f(X)."""
    pre: list
    post: list
    out: np.ndarray


def _as_matrix(W):
    W = np.asarray(W) if not isinstance(W, np.ndarray) else W
    if W.dtype.kind in "biu":          # integer arrays would truncate biases and α
        W = W.astype(float)
    return W


class Network:
    """Hidden layers ``[(W (m_out, m_in), b (m_out,)), ...]`` applied as H ← σ(HWᵀ + b) to
    rows, then the output ``alpha`` (m,) and ``xi`` (f of shape (n,)) or ``output`` =
    (W_out (P, m), b_out (P,)) (f of shape (n, P)); see the module doc.

    ``activation``: one name for every hidden layer or one per layer (relu | abs |
    identity). ``reg``: "l2" (weight decay, the default), "l1" or a
    :class:`~exactgeo.nets.penalties.Penalty`. ``points[j]``/``axes[j]``: the training rows
    and basis directions spanning first-layer neuron j (reconstructions). ``units``: the
    exact factorisation of a two-layer net (:class:`~exactgeo.nets.units.Units`).
    """

    def __init__(self, layers, alpha=None, xi=0, *, output=None, activation="relu",
                 reg="l2", points=None, axes=None, units=None):
        layers = list(layers)
        if not layers:
            raise ValueError("layers: expected at least one hidden layer [(W, b)], got none")
        names = [activation] * len(layers) if isinstance(activation, str) else list(activation)
        if len(names) != len(layers):
            raise ValueError(f"activation: expected one name or {len(layers)} (one per hidden "
                             f"layer), got {len(names)}")
        for name in names:
            check_activation(name)
        self.activation = activation
        get_penalty(reg)                                   # ValueError naming reg
        self.reg = reg
        checked = []
        width = None
        for i, (W, b) in enumerate(layers):
            W = _as_matrix(W)
            if W.ndim != 2 or (width is not None and W.shape[1] != width):
                want = "(m, d)" if width is None else f"(m, {width})"
                raise ValueError(f"layers[{i}][0]: expected W of shape {want}, got shape "
                                 f"{W.shape}")
            b = np.asarray(b, dtype=W.dtype)
            if b.shape != (W.shape[0],):
                raise ValueError(f"layers[{i}][1]: expected b of shape ({W.shape[0]},), got "
                                 f"{b.shape}")
            checked.append((W, b))
            width = W.shape[0]
        self.layers = checked
        last = checked[-1][0]
        if (alpha is None) == (output is None):
            raise ValueError("alpha/output: expected the output weights alpha (m,) with xi, or "
                             "output = (W_out (P, m), b_out (P,)); got "
                             + ("both" if alpha is not None else "neither"))
        if output is not None:
            Wo, bo = output
            Wo = _as_matrix(Wo)
            if Wo.ndim != 2 or Wo.shape[1] != width:
                raise ValueError(f"output: expected W_out of shape (P, {width}), got shape "
                                 f"{Wo.shape}")
            bo = np.asarray(bo, dtype=Wo.dtype)
            if bo.shape != (Wo.shape[0],):
                raise ValueError(f"output: expected b_out of shape ({Wo.shape[0]},), got "
                                 f"{bo.shape}")
            self.output, self.alpha, self.xi = (Wo, bo), None, None
        else:
            alpha = np.asarray(alpha, dtype=last.dtype)
            if alpha.shape != (width,):
                raise ValueError(f"alpha: expected shape ({width},) (one output weight per "
                                 f"neuron of the last hidden layer), got {alpha.shape}")
            self.output, self.alpha, self.xi = None, alpha, xi
        if units is not None:
            # a factorisation: Units (two-layer) or any object with the same protocol
            # (forward, norm_powers, exact_layers, width, depth), e.g. chains.ChainUnits
            units = units if hasattr(units, "norm_powers") else Units(*units)
            if getattr(units, "depth", 2) != len(checked) + 1 or self.alpha is None:
                raise ValueError(f"units: a factorisation of depth {getattr(units, 'depth', 2)} "
                                 f"for a net with {len(checked)} hidden layers (output alpha "
                                 "expected)")
            if units.width != checked[0][0].shape[0]:
                raise ValueError(f"units: expected {checked[0][0].shape[0]} neurons, got "
                                 f"{units.width}")
            if isinstance(units, Units) and units.U.shape != checked[0][0].shape:
                raise ValueError(f"units: expected U of shape {checked[0][0].shape}, got "
                                 f"{units.U.shape}")
        self.units = units
        m = checked[0][0].shape[0]
        self.points = list(points) if points else [() for _ in range(m)]
        self.axes = list(axes) if axes else [() for _ in range(m)]

    # ------------------------------------------------------------ constructors
    @classmethod
    def from_units(cls, U, c, z, *, xi=0, activation="relu", reg="l1", norm_sq=None,
                   points=None, axes=None):
        """The two-layer net realising Σ_j z_jσ(u_jᵀx + c_j)(/√norm_sq_j) + ξ (THEORY §2.6).

        ``U`` (m, d), ``c`` (m,), ``z`` (m,) exact or float. ``norm_sq`` (ℓ2, exact): the unit
        neuron is (u, c)/√norm_sq. Exact: γ_j = √|z_j|, w_j = γ_ju_j, b_j = γ_jc_j,
        α_j = sign(z_j)γ_j, kept as the factorisation ``units`` (float weights for display;
        sympy weights from :meth:`exact_layers`).
        """
        W, b, alpha, xi_v, units = factorise(U, c, z, xi=xi, norm_sq=norm_sq)
        return cls([(W, b)], alpha, xi_v, activation=activation, reg=reg,
                   points=list(points) if points is not None else [],
                   axes=list(axes) if axes is not None else [], units=units)

    # ------------------------------------------------------------------ shape
    @property
    def depth(self) -> int:
        """L, the number of weight layers (hidden layers + the output layer)."""
        return len(self.layers) + 1

    @property
    def width(self) -> int:
        """Neurons of the first hidden layer (the number of chains of a chain net)."""
        return self.layers[0][0].shape[0]

    @property
    def n_features(self) -> int:
        """d, the input width."""
        return self.layers[0][0].shape[1]

    @property
    def activations(self) -> list:
        """The activation of each hidden layer."""
        a = self.activation
        return [a] * len(self.layers) if isinstance(a, str) else list(a)

    @property
    def penalty_strategy(self):
        """The :class:`~exactgeo.nets.penalties.Penalty` selected by ``reg``."""
        return get_penalty(self.reg)

    def _out_weights(self):
        return self.alpha if self.output is None else self.output[0]

    @property
    def exact(self) -> bool:
        """True when the net carries its exact factorisation (or exact weights)."""
        if self.units is not None:
            return True
        return all(W.dtype == object for W, _ in self.layers) and \
            self._out_weights().dtype == object

    def exact_layers(self):
        """The exact weights: ``(layers, alpha)`` (or ``(layers, output)`` for a matrix
        output). From the factorisation: sympy numbers w_j = γ_ju_j/√q_j, b_j = γ_jc_j/√q_j,
        α_j = sign(z_j)γ_j with γ_j = √|z_j| (THEORY §2.6), built without factoring
        (:meth:`~exactgeo.nets.units.Units.exact_weights`)."""
        if self.units is None:
            if self.exact:
                return self.layers, (self.alpha if self.output is None else self.output)
            raise ValueError("exact_layers: this network has float weights only")
        return self.units.exact_layers()

    # ---------------------------------------------------------------- forward
    def _check_X(self, X):
        X_arr, ex = as_array(X, "X")
        if X_arr.ndim != 2 or X_arr.shape[1] != self.n_features:
            raise ValueError(f"X: expected shape (n, {self.n_features}), got {X_arr.shape}")
        return X_arr, ex

    def forward(self, X, *, method: str = "auto"):
        """f(X): shape (n,) with ``alpha``, (n, P) with ``output``. Float data or a float net
        → float64. Exact data on an exact net → Fractions where rational, sympy numbers
        otherwise. ``method="direct"`` evaluates a factorised net's sympy weights literally
        (slow; used to test the factorisation)."""
        X_arr, ex = self._check_X(X)
        if not (ex and self.exact):
            return self._run_float(X_arr, keep=False).out
        if self.units is not None and method != "direct":
            return self.units.forward(X_arr, self.activations[0], self.xi)
        return self._run_exact(X_arr, keep=False).out

    def trace(self, X) -> Trace:
        """The forward pass with every layer's pre-activations and activations (same number
        types as :meth:`forward`; a factorised net is traced through its sympy weights)."""
        X_arr, ex = self._check_X(X)
        if not (ex and self.exact):
            return self._run_float(X_arr, keep=True)
        return self._run_exact(X_arr, keep=True)

    def hidden_states(self, X) -> list:
        """[H_0 = X, H_1, …, H_{L−1}], each of shape (n, m_l)."""
        return self.trace(X).post

    def _run_float(self, X, keep):
        H = np.asarray(X, dtype=float)
        pre, post = [], [H]
        for (W, b), act in zip(self.layers, self.activations):
            Z = H @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float)
            H = apply(act, Z)
            if keep:
                pre.append(Z)
                post.append(H)
        if self.output is None:
            out = H @ np.asarray(self.alpha, dtype=float) + float(self.xi)
        else:
            Wo, bo = self.output
            out = H @ np.asarray(Wo, dtype=float).T + np.asarray(bo, dtype=float)
        return Trace(pre, post, out)

    def _run_exact(self, X, keep):
        layers, last = self.exact_layers()
        weights = [W for W, _ in layers] + [b for _, b in layers]
        weights += [last] if self.output is None else list(last)
        if all(is_rational(v) for a in weights for v in np.asarray(a).flat):
            if not keep and all(a in ("relu", "abs", "identity") for a in self.activations) \
                    and min([X.shape[0], X.shape[1]] + [W.shape[0] for W, _ in layers]) > 0:
                return Trace([], [], self._run_flint(X, layers, last))
            return self._run_rational(X, layers, last, keep)
        return self._run_sympy(X, layers, last, keep)

    def _exact_xi(self):
        xi = self.xi
        if isinstance(xi, Fraction) or is_exact_scalar(xi) or isinstance(xi, (float, int)):
            return to_fraction(xi, "xi")
        return xi                                            # a sympy number

    def _run_flint(self, X, layers, last):
        """f(X) over ℚ in flint matrices (fmpq_mat products, σ entry by entry): the same
        exact values as :meth:`_run_rational`, without a Fraction per multiply-add."""
        import flint
        from ..numbers import from_fmpq_mat, sigma, to_fmpq_mat

        n = X.shape[0]
        ones = flint.fmpq_mat(n, 1, [1] * n)

        def affine(H, W, b):                    # H Wᵀ + 𝟙bᵀ
            return (H * to_fmpq_mat(np.asarray(W, dtype=object).T)
                    + ones * to_fmpq_mat(np.asarray(b, dtype=object).reshape(1, -1)))

        H = to_fmpq_mat(X)
        for (W, b), act in zip(layers, self.activations):
            Z = affine(H, W, b)
            if act != "identity":
                Z = flint.fmpq_mat(Z.nrows(), Z.ncols(), [sigma(act, v) for v in Z.entries()])
            H = Z
        if self.output is None:
            if not len(last):
                return np.full(n, self._exact_xi(), dtype=object)
            w = to_fmpq_mat(np.asarray(last, dtype=object).reshape(-1, 1))
            return from_fmpq_mat(H * w)[:, 0] + self._exact_xi()
        return from_fmpq_mat(affine(H, *last))

    def _run_rational(self, X, layers, last, keep):
        H = X
        pre, post = [], [H]
        for (W, b), act in zip(layers, self.activations):
            Z = H.dot(W.T) + b if W.shape[0] else np.zeros((H.shape[0], 0), dtype=object)
            H = apply(act, Z)
            if keep:
                pre.append(Z)
                post.append(H)
        if self.output is None:
            xi = self._exact_xi()
            out = H.dot(last) if len(last) else np.zeros(H.shape[0], dtype=object)
            out = np.array([Fraction(v) + xi for v in out], dtype=object)
        else:
            Wo, bo = last
            out = H.dot(Wo.T) + bo
        return Trace(pre, post, out)

    def _run_sympy(self, X, layers, last, keep):
        n = X.shape[0]
        H = np.array([[to_sympy(v) for v in row] for row in X], dtype=object).reshape(X.shape)
        pre, post = [], [H]
        for (W, b), act in zip(layers, self.activations):
            Ws = [[to_sympy(v) for v in row] for row in W]
            bs = [to_sympy(v) for v in b]
            Z = np.empty((n, W.shape[0]), dtype=object)
            Hn = np.empty((n, W.shape[0]), dtype=object)
            for i in range(n):
                for j in range(W.shape[0]):
                    t = bs[j] + sum(Ws[j][k] * H[i, k] for k in range(W.shape[1]))
                    Z[i, j] = t
                    Hn[i, j] = apply_exact(act, t)
            H = Hn
            if keep:
                pre.append(Z)
                post.append(H)
        if self.output is None:
            xi = to_sympy(self._exact_xi())
            al = [to_sympy(v) for v in last]
            out = np.empty(n, dtype=object)
            for i in range(n):
                s = xi
                for j in range(len(al)):
                    s += al[j] * H[i, j]
                out[i] = normal_form(s)
        else:
            Wo, bo = last
            out = np.empty((n, Wo.shape[0]), dtype=object)
            for i in range(n):
                for p in range(Wo.shape[0]):
                    s = to_sympy(bo[p]) + sum(to_sympy(Wo[p, j]) * H[i, j]
                                              for j in range(Wo.shape[1]))
                    out[i, p] = normal_form(s)
        return Trace(pre, post, out)

    # -------------------------------------------------------------- penalties
    def norm_powers(self, layer: int, k: int, p: Optional[int] = None, *,
                    method: str = "auto"):
        """|w|ᵏ entrywise (``p`` None) or ‖w_j‖_pᵏ per row (``p`` = 1, 2) of weight layer
        ``layer`` (0 … L−2 the hidden layers, L−1 the output weights α or W_out). Exact on an
        exact net (a factorised net's squares are rational, so even k stay rational), float
        otherwise. The penalty strategies are sums of these."""
        L = self.depth
        if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or \
                not 0 <= layer < L:
            raise ValueError(f"layer: expected 0..{L - 1}, got {layer!r}")
        if p not in (None, 1, 2):
            raise ValueError(f"p: expected None, 1 or 2, got {p!r}")
        if not self.exact:
            W = self.layers[layer][0] if layer < L - 1 else self._out_weights()
            return _float_powers(np.asarray(W, dtype=float), k, p)
        if self.units is not None and method != "direct":
            got = self.units.norm_powers(layer, k, p)      # None: not exact from the units
            if got is not None:
                return got
        layers, last = self.exact_layers()
        W = layers[layer][0] if layer < L - 1 else (last if self.output is None else last[0])
        return _exact_powers(np.asarray(W, dtype=object), k, p)

    def penalty(self, reg=None, *, method: str = "auto"):
        """The penalty's sum without its constant factor: Σ_j(‖w_j‖_p² + α_j²) for
        reg = "l1"/"l2" on a two-layer net (the objective adds (β/2)·this); in general
        :meth:`Penalty.total <exactgeo.nets.penalties.Penalty.total>` of the strategy
        ``reg`` (default: the net's own). Exact nets: exact (a Fraction for the factorised
        two-layer nets); ``method="direct"`` evaluates the sympy weights of
        :meth:`exact_layers` instead."""
        return get_penalty(reg or self.reg).total(self, method=method)

    def objective(self, X, y, beta, reg=None, *, method: str = "auto"):
        """½‖f(X) − y‖² + β·R(θ), R the penalty strategy ``reg`` (default: the net's own);
        for "l1"/"l2" R = ½Σ_j(‖w_j‖_p² + α_j²). Exact (Fraction or sympy) when the net, X,
        y and β are exact; float otherwise."""
        strategy = get_penalty(reg or self.reg)
        y_arr, ex_y = as_array(y, "y")
        f = self.forward(X, method=method)
        if y_arr.shape != f.shape:
            raise ValueError(f"y: expected shape {f.shape}, got {y_arr.shape}")
        exact = self.exact and f.dtype == object and ex_y and not isinstance(beta, float)
        if not exact:
            res = np.asarray(f, dtype=float) - np.asarray(y_arr, dtype=float)
            fit = float(res @ res) if res.ndim == 1 else float((res * res).sum())
            return 0.5 * fit + float(beta) * float(strategy.value(self))
        beta_q = to_fraction(beta, "beta")
        res = f - y_arr
        fit = sum_of_squares(res.flat)
        pen = strategy.value(self, method=method)
        val = fit / 2 + (beta_q * pen if isinstance(pen, Fraction) else
                         pen * to_sympy(beta_q))
        return val if isinstance(val, Fraction) else normal_form(val)

    # ------------------------------------------------------------ closed form
    def to_sympy(self, symbols=None):
        """f(x) as a sympy expression in ``symbols`` (default x_1 … x_d); exact nets keep
        exact (algebraic) weights. See :func:`exactgeo.closed_form.to_sympy`.

        >>> Network([(np.array([[2.0]]), [0.0])], [1.0], 0.0).to_sympy()
        1.0*Max(0, 2.0*x_1)
        """
        from ..closed_form import to_sympy
        return to_sympy(self, symbols)

    def to_latex(self, X=None, *, explicit=None) -> str:
        """The closed form as LaTeX; with the exact training data ``X`` each neuron is
        also written through the training points spanning it
        (:func:`exactgeo.closed_form.to_latex`)."""
        from ..closed_form import to_latex
        return to_latex(self, X, explicit=explicit)

    def __repr__(self) -> str:
        shape = " → ".join(str(m) for m in [self.n_features] +
                           [W.shape[0] for W, _ in self.layers] +
                           [1 if self.output is None else self.output[0].shape[0]])
        return (f"{type(self).__name__}({shape}, activation={self.activation!r}, "
                f"reg={self.reg!r}, exact={self.exact})")


class TwoLayerNet(Network):
    """The two-layer case f(x) = ξ + Σ_j α_jσ(w_jᵀx + b_j) of :class:`Network` (THEORY §2.1):
    ``layers`` = [(W (m, d), b (m,))], ``alpha`` (m,), ``xi``; ``reg`` defaults to "l1".
    ``units`` (optional) is the exact factorisation ``(U (m, d), c (m,), z (m,), norm_sq (m,)
    or None)`` with α_jσ(w_jᵀx + b_j) = z_jσ(U_jᵀx + c_j)/√norm_sq_j."""

    def __init__(self, layers, alpha, xi=0.0, activation="relu", reg="l1", points=None,
                 axes=None, units=None):
        layers = list(layers)
        if len(layers) != 1:
            raise ValueError(f"layers: a TwoLayerNet has one hidden layer, got {len(layers)} "
                             "layers (use exactgeo.nets.Network for deep nets)")
        super().__init__(layers, alpha, xi, activation=activation, reg=reg, points=points,
                         axes=axes, units=units)


def _float_powers(W, k, p):
    if p is None:
        return W ** 2 if k == 2 else np.abs(W) ** k
    if p == 2:
        sq = (W ** 2).sum(axis=1)
        return sq if k == 2 else np.sqrt(sq) ** k
    return np.abs(W).sum(axis=1) ** k


def _exact_powers(W, k, p):
    if p is None:
        return np.array([abs(v) ** k for v in W.flat], dtype=object).reshape(W.shape)
    if p == 1:
        return np.array([sum((abs(v) for v in row), Fraction(0)) ** k for row in W],
                        dtype=object)
    return np.array([half_power(sum((v * v for v in row), Fraction(0)), k) for row in W],
                    dtype=object)
