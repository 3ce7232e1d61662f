"""The non-convex trainer: a two-layer net trained by Adam on the same objective
½‖f(X) − y‖² + β·R(θ), R = ½Σ_j(‖w_j‖_p² + α_j²) (THEORY §2.1), that the Lasso solves globally.

Full-batch Adam with a cosine-decayed step, ``restarts`` seeded random initialisations;
the best final objective wins. The penalty's gradient comes from its strategy
(:mod:`.penalties`); the ℓ1 penalty uses its subgradient ‖w‖₁·sign(w) (½∇‖w‖₁² where
differentiable). Any trained net is feasible for the network problem, so its objective is
≥ the certified convex optimum. Deep chains (ℓ_L^L, THEORY §3.1) are trained by
:func:`exactgeo.nets.chain_trainer.train_chains`.

>>> import numpy as np
>>> X = np.array([[1.0, 0.0], [0.0, 1.0]]); y = np.array([1.0, 1.0])
>>> res = train(X, y, beta=0.1, width=4, bias=False, reg="l1", steps=1500, seed=0)
>>> round(res.objective, 2)   # the certified optimum is 19/100
0.19
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..numbers import (as_float_array, check_max_bytes, describe, sigma, to_float,
                       to_fraction)
from .network import TwoLayerNet
from .penalties import L1Inner, WeightDecay, get_penalty

__all__ = ["train", "TrainResult"]


@dataclass
class TrainResult:
    """``objective`` (float, best over restarts), ``net`` (a float :class:`TwoLayerNet`),
    ``objectives`` (final objective of each restart), ``steps`` per restart."""
    objective: float
    net: TwoLayerNet
    objectives: list = field(default_factory=list)
    steps: int = 0


def _grads(X, y, W, b, a, xi, beta, act, penalty, bias):
    """Gradients of ½‖f(X) − y‖² + β·R(θ) in (W, b, α, ξ)."""
    pre = X @ W.T + b
    H = sigma(act, pre)
    dH = (pre > 0).astype(float) if act == "relu" else np.sign(pre)
    f = H @ a + xi
    r = f - y
    (dW_pen,), da_pen = penalty.gradient([W], a)
    ga = H.T @ r + beta * da_pen
    dpre = np.outer(r, a) * dH
    gW = dpre.T @ X + beta * dW_pen
    gb = dpre.sum(axis=0) if bias else np.zeros_like(b)
    gxi = r.sum() if bias else 0.0
    return gW, gb, ga, gxi


def train(X, y, beta, *, width: int = 32, model: str = "relu", reg: str = "l1",
          bias: bool = True, restarts: int = 3, steps: int = 3000, lr: float = 0.01,
          seed: int = 0, max_bytes: int = 2 ** 31) -> TrainResult:
    """Train by Adam; X (n, d), y (n,), β > 0. Returns the best of ``restarts`` runs.

    ``reg``: "l1" (:class:`~.penalties.L1Inner`), "l2" (:class:`~.penalties.WeightDecay`) or
    one of those strategies (or ``LLL(2, p)``, the same two penalties).

    With ``bias=False`` there are no neuron biases and no intercept ξ (as in the Lasso
    without intercept). Deterministic for a fixed ``seed``. A ``width`` whose arrays need
    more than ``max_bytes`` is refused (MemoryError with the estimate) before allocating.
    """
    X = as_float_array(X, "X")      # ValueError/TypeError naming X: NaN, inf, bool, ≥ 1.8e308
    y = as_float_array(y, "y")
    if X.ndim != 2 or X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(f"X: expected shape (n, d) with n, d >= 1, got {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y: expected shape ({X.shape[0]},) to match X {X.shape}, got {y.shape}")
    shown = repr(beta) if isinstance(beta, str) else describe(beta)
    q = to_fraction(beta, "beta")   # numbers, Fractions, "1/10"; NaN/inf/bool refused
    if not q > 0:
        raise ValueError(f"beta: expected a number > 0, got {shown}")
    beta = to_float(q, "beta")      # ValueError beyond the float range
    if beta == 0:
        raise ValueError(f"beta: {shown} underflows to 0.0 in floating point, so it is not "
                         "> 0; expected beta >= about 5e-324")
    if model not in ("relu", "abs"):
        raise ValueError(f"model: expected 'relu' or 'abs', got {model!r}")
    penalty = get_penalty(reg)          # ValueError naming reg
    if not (isinstance(penalty, (L1Inner, WeightDecay)) or getattr(penalty, "L", None) == 2):
        raise ValueError(f"reg: the trainer fits two-layer nets; expected 'l1', 'l2' or a "
                         f"two-layer penalty, got {reg!r} (deep chains: "
                         f"exactgeo.nets.train_chains)")
    for name, v, low in (("width", width, 1), ("restarts", restarts, 1), ("steps", steps, 1),
                         ("seed", seed, 0)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"{name}: expected an integer >= {low}, got {type(v).__name__} {v!r}")
        if v < low:
            raise ValueError(f"{name}: expected an integer >= {low}, got {v}")
    lr_f = to_float(lr, "lr")
    if not (math.isfinite(lr_f) and lr_f > 0):
        raise ValueError(f"lr: expected a finite step size > 0, got {describe(lr)}")
    lr = lr_f
    check_max_bytes(max_bytes)
    n, d = X.shape
    # parameters and Adam moments (3 × width × (d + 2)) and the per-step (n, width) arrays
    need = 8 * int(width) * (12 * (d + 2) + 8 * n)
    if need > max_bytes:
        most = int(max_bytes // (8 * (12 * (d + 2) + 8 * n)))
        raise MemoryError(f"width: width = {width} neurons for n = {n} samples in d = {d} need "
                          f"about {need / 2 ** 30:.3g} GiB, more than max_bytes = "
                          f"{max_bytes / 2 ** 30:.3g} GiB; use a smaller width (at most {most} "
                          "fit)")
    rng = np.random.default_rng(seed)
    best = None
    objs = []
    scale = 1.0 / max(np.sqrt(np.mean(np.sum(X ** 2, axis=1))), 1e-12)
    for _ in range(restarts):
        W = rng.standard_normal((width, d)) * scale
        b = (rng.standard_normal(width) * 0.5 if bias else np.zeros(width))
        a = rng.standard_normal(width) / np.sqrt(width)
        xi = float(np.mean(y)) if bias else 0.0
        params = [W, b, a, np.array([xi])]
        m1 = [np.zeros_like(p) for p in params]
        m2 = [np.zeros_like(p) for p in params]
        b1, b2, eps = 0.9, 0.999, 1e-12
        for t in range(1, steps + 1):
            gW, gb, ga, gxi = _grads(X, y, params[0], params[1], params[2], params[3][0],
                                     beta, model, penalty, bias)
            grads = [gW, gb, ga, np.array([gxi])]
            step = lr * 0.5 * (1 + np.cos(np.pi * (t - 1) / steps)) + lr * 1e-3
            for i, (p, g) in enumerate(zip(params, grads)):
                m1[i] = b1 * m1[i] + (1 - b1) * g
                m2[i] = b2 * m2[i] + (1 - b2) * g * g
                p -= step * (m1[i] / (1 - b1 ** t)) / (np.sqrt(m2[i] / (1 - b2 ** t)) + eps)
        net = TwoLayerNet([(params[0].copy(), params[1].copy())], params[2].copy(),
                          float(params[3][0]), activation=model, reg=reg)
        obj = float(net.objective(X, y, beta))
        objs.append(obj)
        if best is None or obj < best[0]:
            best = (obj, net)
    return TrainResult(objective=best[0], net=best[1], objectives=objs, steps=steps)
