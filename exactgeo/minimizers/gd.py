"""Numpy baseline: cost, gradient (backprop) and a seeded full-batch Adam/GD trainer for the
deep ReLU network x ↦ W_{L+1}x^{(L)} + b_{L+1} of THEORY §4.1 (its comparison with the
constructed family is :mod:`.comparison`).

Parameters are a list ``[(W_1, b_1), …, (W_L, b_L), (W_{L+1}, b_{L+1})]`` of float arrays
(W_1 of shape (Q, M)): the hidden layers and the output of an :class:`exactgeo.nets.Network`
(:func:`as_network`); data are rows X (N, M) and per-sample targets T (N, P).

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(20, 2)); T = X @ np.array([[1.0], [2.0]])
>>> p = random_init(2, 2, 1, layers=2, seed=0)
>>> c0 = cost(p, X, T); p2, hist = train(p, X, T, steps=300, lr=1e-2)
>>> hist[-1] < c0
True
"""
from __future__ import annotations

import numpy as np

from .truncation import network

__all__ = ["cost", "gradient", "train", "random_init", "params_from_result",
           "flatten", "unflatten", "as_network"]


def as_network(params):
    """The float ReLU :class:`~exactgeo.nets.Network` of a parameter list."""
    return network(params[:-1], params[-1])


def cost(params, X, T, c_N=None):
    """C = c_N Σ_i |F(x_i) − t_i|² (c_N default 1/(2N))."""
    F = as_network(params).forward(X)                     # (N, P)
    c_N = 1.0 / (2 * X.shape[0]) if c_N is None else c_N
    return float(c_N * ((F - T) ** 2).sum())


def gradient(params, X, T, c_N=None):
    """(cost, [(dW, db), …]) by backpropagation through the rows (relu'(0) = 0)."""
    tr = as_network(params).trace(X)                      # pre Z_l, post H_l: (N, m_l)
    c_N = 1.0 / (2 * X.shape[0]) if c_N is None else c_N
    R = tr.out - T
    c = float(c_N * (R ** 2).sum())
    d = 2 * c_N * R                                       # ∂C/∂F, (N, P)
    grads = [None] * len(params)
    W, _ = params[-1]
    grads[-1] = (d.T @ tr.post[-1], d.sum(axis=0))
    d = d @ W
    for l in range(len(params) - 2, -1, -1):
        dz = d * (tr.pre[l] > 0)
        grads[l] = (dz.T @ tr.post[l], dz.sum(axis=0))
        d = dz @ params[l][0]
    return c, grads


def flatten(params):
    return np.concatenate([np.concatenate([W.ravel(), b.ravel()]) for W, b in params])


def unflatten(vec, like):
    out, i = [], 0
    for W, b in like:
        nW, nb = W.size, b.size
        out.append((vec[i:i + nW].reshape(W.shape), vec[i + nW:i + nW + nb].copy()))
        i += nW + nb
    return out


def random_init(M, Q, P, layers, seed=0, scale=None):
    """He-style Gaussian init (seeded): L hidden layers of width Q, input M, output P."""
    rng = np.random.default_rng(seed)
    dims = [M] + [Q] * layers
    params = []
    for l in range(layers):
        s = np.sqrt(2.0 / dims[l]) if scale is None else scale
        params.append((rng.normal(size=(Q, dims[l])) * s, np.zeros(Q)))
    s = np.sqrt(1.0 / Q) if scale is None else scale
    params.append((rng.normal(size=(P, Q)) * s, np.zeros(P)))
    return params


def train(params, X, T, steps=2000, lr=1e-2, method="adam", c_N=None):
    """Full-batch Adam (or plain GD) from ``params``; returns (params, cost history)."""
    theta = flatten(params)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    hist = []
    b1, b2, e = 0.9, 0.999, 1e-12
    for it in range(1, steps + 1):
        c, g = gradient(unflatten(theta, params), X, T, c_N)
        hist.append(c)
        g = flatten(g)
        if method == "adam":
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            theta -= lr * (m / (1 - b1 ** it)) / (np.sqrt(v / (1 - b2 ** it)) + e)
        elif method == "gd":
            theta -= lr * g
        else:
            raise ValueError(f"method: expected 'adam' or 'gd', got {method!r}")
    final = unflatten(theta, params)
    hist.append(cost(final, X, T, c_N))
    return final, hist


def params_from_result(res):
    """Float parameter list of a :class:`~.result.MinimizerResult`."""
    f = lambda a: np.asarray(a, dtype=float)  # noqa: E731
    return [(f(W), f(b)) for W, b in res.layers] + [(f(res.output[0]), f(res.output[1]))]
