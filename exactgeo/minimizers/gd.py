"""Numpy baseline: cost, gradient (backprop) and a seeded full-batch Adam/GD trainer for the
deep ReLU network x ↦ W_{L+1}x^{(L)} + b_{L+1} of THEORY §4.1, and a comparison with the
constructed family.

Parameters are a list ``[(W_1, b_1), …, (W_L, b_L), (W_{L+1}, b_{L+1})]`` of float arrays
(W_1 of shape (Q, M)); data are rows X (N, M) and per-sample targets T (N, P).

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

__all__ = ["cost", "gradient", "train", "random_init", "params_from_result",
           "gd_comparison", "flatten", "unflatten"]


def _forward(params, X):
    h = X.T
    pre, acts = [], [h]
    for W, b in params[:-1]:
        z = W @ h + b[:, None]
        h = np.maximum(z, 0.0)
        pre.append(z)
        acts.append(h)
    W, b = params[-1]
    return W @ h + b[:, None], pre, acts


def cost(params, X, T, c_N=None):
    """C = c_N Σ_i |F(x_i) − t_i|² (c_N default 1/(2N))."""
    F, _, _ = _forward(params, X)
    c_N = 1.0 / (2 * X.shape[0]) if c_N is None else c_N
    return float(c_N * ((F - T.T) ** 2).sum())


def gradient(params, X, T, c_N=None):
    """(cost, [(dW, db), …]) by backpropagation (relu'(0) = 0)."""
    F, pre, acts = _forward(params, X)
    c_N = 1.0 / (2 * X.shape[0]) if c_N is None else c_N
    R = F - T.T
    c = float(c_N * (R ** 2).sum())
    d = 2 * c_N * R
    grads = [None] * len(params)
    W, _ = params[-1]
    grads[-1] = (d @ acts[-1].T, d.sum(axis=1))
    d = W.T @ d
    for l in range(len(params) - 2, -1, -1):
        dz = d * (pre[l] > 0)
        grads[l] = (dz @ acts[l].T, dz.sum(axis=1))
        d = params[l][0].T @ dz
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
    """Float parameter list of a :class:`~.construct.MinimizerResult`."""
    f = lambda a: np.asarray(a, dtype=float)  # noqa: E731
    return [(f(W), f(b)) for W, b in res.layers] + [(f(res.output[0]), f(res.output[1]))]


def gd_comparison(X, labels, layers, Y=None, inits=3, steps=1500, lr=5e-3, seed=0,
                  from_construction=True, perturb=1e-3):
    """Train from ``inits`` seeded random initialisations (and from the construction, slightly
    perturbed) and place each end point relative to the family: the global value 0 and the
    active-neuron local values c_N·RRR_k (THEORY §4.6). Returns a list of dict rows.

    Labels: "global (zero cost)" if the final cost ≤ 1e-6·C_0 (C_0 = cost of the constant
    fit c_N·RRR_0), "near RRR_k" if within 1 % of a local value, "below every active-neuron
    value, not yet zero", else "other".
    """
    from .construct import construct_minimizer, prepare_data
    from .local import rrr_costs
    data = prepare_data(X, labels, Y=Y, exact=False)
    Xf = np.asarray(data.X, dtype=float)
    T = np.asarray(data.Y, dtype=float)[:, data.cls].T
    rrr = rrr_costs(X, labels, Y=Y)
    c0 = rrr[0]
    rows = []
    starts = [(f"random seed {seed + i}", random_init(data.M, data.Q, T.shape[1], layers,
                                                        seed=seed + i)) for i in range(inits)]
    if from_construction:
        res = construct_minimizer(Xf, labels, Y=Y, layers=layers)
        p = params_from_result(res)
        rng = np.random.default_rng(seed)
        p = [(W + perturb * rng.normal(size=W.shape), b + perturb * rng.normal(size=b.shape))
             for W, b in p]
        starts.append((f"construction + N(0, {perturb:g}²)", p))
    for name, p in starts:
        start_cost = cost(p, Xf, T)
        final, hist = train(p, Xf, T, steps=steps, lr=lr)
        fc = hist[-1]
        if fc <= 1e-6 * c0:
            where = "global (zero cost)"
        else:
            near = [k for k, v in enumerate(rrr) if abs(fc - v) <= 0.01 * max(v, 1e-300)]
            if near and near[0] == 0:
                where = "near c_N RRR_0 (constant fit: all neurons dead)"
            elif near:
                where = f"near c_N RRR_{near[0]} (active-neuron family, k = {near[0]})"
            elif fc < 0.99 * min(rrr):
                where = "below every active-neuron value, not yet zero"
            else:
                where = "other"
        rows.append({"start": name, "start_cost": start_cost, "final_cost": fc, "where": where})
    return rows
