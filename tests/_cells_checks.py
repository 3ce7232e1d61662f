"""Second routes for the cells route (THEORY §2.8), sharing nothing with the certifier:
a plain numpy forward pass of the reported network's weights, and a dense sampled
pricing of its residual."""
from __future__ import annotations

import numpy as np


def forward_objective(res, X, y, beta) -> float:
    """½‖f(X) − y‖² + (β/2)Σ(‖w_j‖² + α_j²) from the JSON weights, numpy only."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    js = res.to_json()
    act = np.abs if js["family"].startswith("abs") else (lambda t: np.maximum(t, 0.0))
    f = np.full(len(y), float(js["intercept"]))
    pen = 0.0
    for nj in js["neurons"]:
        w = np.asarray(nj["layers"][0]["w"], dtype=float)
        b = float(nj["layers"][0]["b"])
        a = float(nj["alpha"])
        f += a * act(X @ w + b)
        pen += w @ w + a * a
    r = f - y
    return 0.5 * float(r @ r) + 0.5 * float(beta) * pen, y - f


def sampled_sup(X, r, model: str, bias: bool, angles: int = 4000) -> float:
    """max |rᵀσ(Xu + c)| over a dense grid of unit u (d = 2) and offsets c: every anchor
    value −x_jᵀu and a grid over the data range (bias), else c = 0."""
    X = np.asarray(X, dtype=float)
    r = np.asarray(r, dtype=float)
    act = np.abs if model == "abs" else (lambda t: np.maximum(t, 0.0))
    t = np.linspace(0, 2 * np.pi, angles, endpoint=False)
    U = np.stack([np.cos(t), np.sin(t)], axis=1)
    P = X @ U.T                                   # (n, angles)
    if not bias:
        return float(np.abs(r @ act(P)).max())
    R = float(np.abs(X).max()) + 1.0
    offs = list(-P) + list(np.linspace(-2 * R, 2 * R, 41)[:, None] * np.ones((1, angles)))
    best = 0.0
    for c in offs:
        best = max(best, float(np.abs(r @ act(P + c[None, :])).max()))
    return best
