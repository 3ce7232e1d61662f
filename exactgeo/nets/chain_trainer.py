"""The non-convex trainer for deep chains: Adam on ½‖f(X) − y‖² + β·R(θ), R = ℓ_L^L (THEORY §3.1).

``form="parallel"`` (the default, the architecture whose convex form exactgeo solves):

    f(x) = ξ + Σ_i α_i h_{L−1,i}(x),  h_{1,i} = σ(w_{1,i}ᵀx + b_{1,i}),
    h_{l,i} = σ(w_{l,i}h_{l−1,i} + b_{l,i})  (2 ≤ l ≤ L−1),

a :class:`~exactgeo.nets.Network` with a (m, d) first layer and diagonal (m, m) deeper
layers, penalised by :class:`~exactgeo.nets.penalties.LLL` (L, p). Every such net is feasible
for the network problem whose value is the convex optimum P∞ (§3.1: by AM–GM its penalty is
≥ β Σ_i |α_i Π_l w_{l,i}| · ‖unit feature‖), so its objective is ≥ the certified optimum.

``form="shared"``: the authors' reference model for P2 (THEORY §3.1), here read as a width-1
trunk of the first L − 2 layers shared by all units, then a width-m layer and the output;
LLL penalises every weight once (so the trunk is paid once, not per unit). Its value can lie
*below* the parallel-chain optimum; it is offered to compare, not certified. (The exact
architecture of the reference code is an open question, THEORY §7.2.)

Full-batch Adam with a cosine-decayed step, ``restarts`` seeded initialisations, the best
final objective wins; deterministic for a fixed ``seed``.

>>> import numpy as np
>>> X = np.array([[0.0], [2.0], [6.0], [7.0]]); y = np.array([0.0, 0.0, 3.0, 7.0])   # G4
>>> res = train_chains(X, y, beta=0.1, depth=3, width=4, steps=400, restarts=2, seed=0)
>>> res.net.depth, res.net.layers[1][0].shape, res.history[-1] < res.history[0]
(3, (4, 4), True)
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..numbers import as_float_array, check_max_bytes, describe, to_float, to_fraction
from .network import Network
from .penalties import LLL

__all__ = ["train_chains", "ChainTrainResult", "FORMS"]

FORMS = ("parallel", "shared")


@dataclass
class ChainTrainResult:
    """``objective`` (float, best restart), ``net`` (a float :class:`Network` with
    ``reg=LLL(L, p)``), ``objectives`` (final objective of each restart), ``history``
    (objective of the best restart at step 0, every ``record_every`` steps and at the end),
    ``steps`` per restart, ``form``, ``seed``."""
    objective: float
    net: Network
    objectives: list = field(default_factory=list)
    history: list = field(default_factory=list)
    steps: int = 0
    form: str = "parallel"
    seed: int = 0


def _deriv(act, Z):
    return (Z > 0).astype(float) if act == "relu" else np.sign(Z)


def _act(act, Z):
    return np.maximum(Z, 0.0) if act == "relu" else np.abs(Z)


def _forward(X, Ws, bs, alpha, xi, act):
    Zs, Hs = [], [X]
    H = X
    for W, b in zip(Ws, bs):
        Z = H @ W.T + b
        H = _act(act, Z)
        Zs.append(Z)
        Hs.append(H)
    return Zs, Hs, H @ alpha + xi


def _objective(X, y, Ws, bs, alpha, xi, act, beta, pen):
    r = _forward(X, Ws, bs, alpha, xi, act)[2] - y
    L = pen.L
    if pen.p == 2:
        first = np.sqrt((Ws[0] ** 2).sum(axis=1)) ** L
    else:
        first = np.abs(Ws[0]).sum(axis=1) ** L
    total = first.sum() + sum((np.abs(W) ** L).sum() for W in Ws[1:]) + (np.abs(alpha) ** L).sum()
    return 0.5 * float(r @ r) + beta * float(total) / L


def _gradients(X, y, Ws, bs, alpha, xi, act, beta, pen, masks, bias):
    Zs, Hs, f = _forward(X, Ws, bs, alpha, xi, act)
    r = f - y
    gW_pen, ga_pen = pen.gradient(Ws, alpha)
    g_alpha = Hs[-1].T @ r + beta * ga_pen
    dH = np.outer(r, alpha)
    gWs, gbs = [None] * len(Ws), [None] * len(Ws)
    for l in range(len(Ws) - 1, -1, -1):
        dZ = dH * _deriv(act, Zs[l])
        gWs[l] = (dZ.T @ Hs[l] + beta * gW_pen[l]) * masks[l]
        gbs[l] = dZ.sum(axis=0) if bias else np.zeros_like(bs[l])
        dH = dZ @ Ws[l]
    g_xi = float(r.sum()) if bias else 0.0
    return gWs, gbs, g_alpha, g_xi


def _init(rng, X, y, L, width, form, bias, model):
    """Layer shapes and masks of the form, first-layer kinks spread over the data."""
    n, d = X.shape
    widths = ([width] * (L - 1) if form == "parallel" else [1] * (L - 2) + [width])
    Ws, bs, masks = [], [], []
    scale = 1.0 / max(np.sqrt(np.mean(np.sum(X ** 2, axis=1))), 1e-12)
    m_in = d
    for l, m in enumerate(widths):
        if l == 0:
            W = rng.standard_normal((m, d)) * scale
            anchor = X[rng.integers(0, n, size=m)]
            b = -(W * anchor).sum(axis=1) if bias else np.zeros(m)
            mask = np.ones((m, d))
        else:
            mask = np.eye(m) if form == "parallel" else np.ones((m, m_in))
            sign = rng.choice([-1.0, 1.0], size=(m, 1)) if model == "relu" else 1.0
            W = sign * (1.0 + 0.3 * rng.standard_normal((m, m_in))) * mask
            b = (0.5 * rng.standard_normal(m) * np.abs(W).sum(axis=1)) if bias else np.zeros(m)
        Ws.append(W)
        bs.append(b)
        masks.append(mask)
        m_in = m
    alpha = rng.standard_normal(widths[-1]) / np.sqrt(widths[-1])
    xi = float(np.mean(y)) if bias else 0.0
    return Ws, bs, masks, alpha, xi


def _check_int(name, v, low):
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
        raise TypeError(f"{name}: expected an integer >= {low}, got {type(v).__name__} {v!r}")
    if v < low:
        raise ValueError(f"{name}: expected an integer >= {low}, got {v}")


def train_chains(X, y, beta, *, depth: int, width: int = 8, model: str = "relu", p: int = 2,
                 bias: bool = True, form: str = "parallel", restarts: int = 3,
                 steps: int = 3000, lr: float = 0.01, seed: int = 0, record_every: int = 100,
                 max_bytes: int = 2 ** 31) -> ChainTrainResult:
    """Train a depth-``depth`` chain net (L weight layers, L ≥ 2) by Adam; X (n, d), y (n,),
    β > 0; returns the best of ``restarts`` runs (see the module doc for ``form``).

    ``p`` ∈ {1, 2}: the norm of the first layer's rows in the penalty (equal in 1-D).
    ``bias=False``: no biases, no intercept ξ. A ``width`` whose arrays need more than
    ``max_bytes`` is refused (MemoryError with the estimate) before allocating.
    """
    X = as_float_array(X, "X")
    y = as_float_array(y, "y")
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2 or X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(f"X: expected shape (n, d) with n, d >= 1, got {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y: expected shape ({X.shape[0]},) to match X {X.shape}, got {y.shape}")
    q = to_fraction(beta, "beta")
    if not q > 0:
        raise ValueError(f"beta: expected a number > 0, got {describe(beta)}")
    beta = to_float(q, "beta")
    if model not in ("relu", "abs"):
        raise ValueError(f"model: expected 'relu' or 'abs', got {model!r}")
    if form not in FORMS:
        raise ValueError(f"form: expected one of {FORMS}, got {form!r}")
    for name, v, low in (("depth", depth, 2), ("width", width, 1), ("restarts", restarts, 1),
                         ("steps", steps, 1), ("seed", seed, 0), ("record_every", record_every, 1)):
        _check_int(name, v, low)
    pen = LLL(int(depth), p=p)                      # ValueError naming p
    lr_f = to_float(lr, "lr")
    if not (math.isfinite(lr_f) and lr_f > 0):
        raise ValueError(f"lr: expected a finite step size > 0, got {describe(lr)}")
    check_max_bytes(max_bytes)
    n, d = X.shape
    per = 8 * (12 * (d + 2 + int(depth) * int(width)) + 6 * n * int(depth))
    need = int(width) * per
    if need > max_bytes:
        raise MemoryError(f"width: width = {width} chains of depth {depth} for n = {n} samples "
                          f"need about {need / 2 ** 30:.3g} GiB, more than max_bytes = "
                          f"{max_bytes / 2 ** 30:.3g} GiB; use a smaller width (at most "
                          f"{int(max_bytes // per)} fit)")
    L = int(depth)
    rng = np.random.default_rng(seed)
    best, objs = None, []
    for _ in range(restarts):
        Ws, bs, masks, alpha, xi = _init(rng, X, y, L, int(width), form, bias, model)
        params = Ws + bs + [alpha, np.array([xi])]
        k = len(Ws)
        m1 = [np.zeros_like(t) for t in params]
        m2 = [np.zeros_like(t) for t in params]
        b1, b2, eps = 0.9, 0.999, 1e-12
        hist = [_objective(X, y, Ws, bs, alpha, xi, model, beta, pen)]
        for t in range(1, steps + 1):
            gW, gb, ga, gxi = _gradients(X, y, params[:k], params[k:2 * k], params[-2],
                                         params[-1][0], model, beta, pen, masks, bias)
            grads = gW + gb + [ga, np.array([gxi])]
            step = lr_f * 0.5 * (1 + np.cos(np.pi * (t - 1) / steps)) + lr_f * 1e-3
            for i, (par, g) in enumerate(zip(params, grads)):
                m1[i] = b1 * m1[i] + (1 - b1) * g
                m2[i] = b2 * m2[i] + (1 - b2) * g * g
                par -= step * (m1[i] / (1 - b1 ** t)) / (np.sqrt(m2[i] / (1 - b2 ** t)) + eps)
            if t % record_every == 0 or t == steps:
                hist.append(_objective(X, y, params[:k], params[k:2 * k], params[-2],
                                       params[-1][0], model, beta, pen))
        net = Network([(W.copy(), b.copy()) for W, b in zip(params[:k], params[k:2 * k])],
                      params[-2].copy(), float(params[-1][0]), activation=model, reg=pen)
        obj = float(net.objective(X, y, beta))
        objs.append(obj)
        if best is None or obj < best[0]:
            best = (obj, net, hist)
    return ChainTrainResult(objective=best[0], net=best[1], objectives=objs, history=best[2],
                            steps=int(steps), form=form, seed=int(seed))
