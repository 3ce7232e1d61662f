"""Truncation maps and cumulative parameters of deep ReLU layers (THEORY §4.2, §4.3).

All functions take float arrays or exact object arrays of Fractions; exact in → exact out.
These are point maps written as in THEORY §4: points are **columns**, ``x`` has shape (Q,)
or (Q, N). The network itself is :class:`exactgeo.nets.Network` (rows are samples, weights
W (m_out, m_in) in the same orientation as here); :func:`forward` and :func:`hidden_states`
run it on points given as columns.

τ_{W,b}(x) = W⁻¹(relu(Wx + b) − b), apex a = −W⁻¹b, cone K = W⁻¹ℝ^Q_{≥0}.

>>> import numpy as np
>>> from fractions import Fraction as F
>>> from exactgeo.numbers import as_exact_array
>>> W = as_exact_array([[1, 0], [1, 1]]); b = as_exact_array([0, -1])
>>> truncate(W, b, as_exact_array([-2, 5])).tolist()
[Fraction(0, 1), Fraction(3, 1)]
>>> apex(W, b).tolist()
[Fraction(0, 1), Fraction(1, 1)]
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..nets import Network
from ..nets.activations import apply
from ..numbers import as_array, backend

__all__ = ["relu", "truncate", "apex", "inverse", "cumulative_params", "layers_from_cumulative",
           "network", "forward", "hidden_states", "tau_states", "is_exact_array", "eye"]


def is_exact_array(a) -> bool:
    """True for numpy object arrays (exact Fractions)."""
    return isinstance(a, np.ndarray) and a.dtype == object


def eye(Q: int, exact: bool):
    """The Q×Q identity: Fractions (exact) or float64.

    >>> eye(2, True).tolist()
    [[Fraction(1, 1), Fraction(0, 1)], [Fraction(0, 1), Fraction(1, 1)]]
    """
    if not exact:
        return np.eye(Q)
    E = np.full((Q, Q), Fraction(0), dtype=object)
    for i in range(Q):
        E[i, i] = Fraction(1)
    return E


def relu(z):
    """Elementwise max(z, 0), exact for object arrays (keeps Fractions)."""
    return apply("relu", z if is_exact_array(z) else np.asarray(z, dtype=float))


def inverse(W):
    """W⁻¹, exact (over ℚ) for object arrays; ValueError when singular."""
    exact = is_exact_array(W)
    if not exact:
        W = np.asarray(W, dtype=float)
        if W.ndim != 2 or W.shape[0] != W.shape[1]:
            raise ValueError(f"W: expected a square matrix, got shape {W.shape}")
        if np.linalg.matrix_rank(W) < W.shape[0]:
            raise ValueError("W: the matrix is singular; truncation maps need an invertible W")
    return backend(exact).inv(W)


def _col(b, x):
    b = np.asarray(b)
    return b.reshape(-1, 1) if np.ndim(x) == 2 else b


def _check(W, b, name="W"):
    W, ex_w = as_array(W, name)
    b, ex_b = as_array(b, "b")
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError(f"{name}: expected a square (Q, Q) matrix, got shape {W.shape}")
    if b.shape != (W.shape[0],):
        raise ValueError(f"b: expected shape ({W.shape[0]},), got {b.shape}")
    if ex_w != ex_b:
        raise TypeError("W, b: mix exact and float arrays; convert both")
    return W, b


def truncate(W, b, x, Winv=None):
    """τ_{W,b}(x) = W⁻¹(relu(Wx + b) − b); x of shape (Q,) or (Q, N) (points as columns)."""
    W, b = _check(W, b)
    x = np.asarray(x, dtype=object if is_exact_array(W) else float)
    Winv = inverse(W) if Winv is None else Winv
    return Winv @ (relu(W @ x + _col(b, x)) - _col(b, x))


def apex(W, b):
    """Apex a = −W⁻¹b of τ_{W,b}, shape (Q,)."""
    W, b = _check(W, b)
    return -(inverse(W) @ b)


def cumulative_params(layers):
    """[(W_ℓ, b_ℓ)] → [(W^{(ℓ)}, b^{(ℓ)})] with W^{(ℓ)} = W_ℓ⋯W_1, b^{(ℓ)} = W_ℓb^{(ℓ−1)} + b_ℓ."""
    out = []
    Wc = bc = None
    for W, b in layers:
        if Wc is None:
            Wc, bc = W, b
        else:
            Wc, bc = W @ Wc, W @ bc + b
        out.append((Wc, bc))
    return out


def layers_from_cumulative(cum):
    """Inverse of :func:`cumulative_params`: W_1 = W^{(1)}, W_ℓ = W^{(ℓ)}(W^{(ℓ−1)})⁻¹,
    b_ℓ = b^{(ℓ)} − W_ℓ b^{(ℓ−1)} (all W^{(ℓ)} invertible, except possibly W^{(L)})."""
    layers = []
    prev = None
    for Wc, bc in cum:
        if prev is None:
            layers.append((Wc, bc))
        elif Wc is prev[0] and bc is prev[1]:   # a repeated pair (padding): W_ℓ = I, b_ℓ = 0
            layers.append(_identity_layer(Wc))
        else:
            W = Wc @ inverse(prev[0])
            layers.append((W, bc - W @ prev[1]))
        prev = (Wc, bc)
    return layers


def _identity_layer(like):
    Q = like.shape[0]
    if is_exact_array(like):
        return eye(Q, True), np.full(Q, Fraction(0), dtype=object)
    return eye(Q, False), np.zeros(Q)


def network(layers, output) -> Network:
    """The ReLU :class:`~exactgeo.nets.Network` x ↦ W_{L+1}x^{(L)} + b_{L+1} of THEORY §4.1
    (``layers`` [(W_ℓ, b_ℓ)], ``output`` (W_{L+1}, b_{L+1})); its forward pass takes rows."""
    return Network(layers, output=output, activation="relu")


def _rows(X):
    X = X if isinstance(X, np.ndarray) else np.asarray(X)
    return X.reshape(1, -1) if X.ndim == 1 else X.T


def hidden_states(layers, X):
    """[x^{(0)}, x^{(1)}, …, x^{(L)}] for points X of shape (Q_in, N) (columns)."""
    if not layers:
        return [X]
    W_last = layers[-1][0]
    m = W_last.shape[0]
    zero = Fraction(0) if is_exact_array(W_last) else 0.0
    # a zero output head completes the Network; only its hidden states are used
    head = np.full((1, m), zero, dtype=W_last.dtype), np.full(1, zero, dtype=W_last.dtype)
    states = network(layers, head).hidden_states(_rows(X))
    return [H[0] if np.ndim(X) == 1 else H.T for H in states]


def forward(layers, output, X):
    """F(X) = W_{L+1} x^{(L)} + b_{L+1}; X of shape (Q_in, N) → (P, N) (or (Q_in,) → (P,))."""
    if not layers:                  # no hidden layer: the affine output map alone
        W, b = output
        return W @ X + _col(b, X)
    F = network(layers, output).forward(_rows(X))
    return F[0] if np.ndim(X) == 1 else F.T


def tau_states(cum, X):
    """τ^{(ℓ)}(X) for ℓ = 0..L (input coordinates), from the cumulative parameters (§4.3)."""
    out = [X]
    h = X
    for Wc, bc in cum:
        h = truncate(Wc, bc, h)
        out.append(h)
    return out
