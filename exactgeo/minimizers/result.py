"""A constructed network and its verification: :class:`MinimizerResult` and how it is assembled.

:func:`assemble` turns the cumulative truncation parameters [(W^{(ℓ)}, b^{(ℓ)})] and the
apexes a_j into network layers — padding with identity layers, fitting the affine output
[A | c] = YZ⁺ (+ μnᵀ with nᵀZ = 0, :func:`left_null_vector`; Z = [a_1 ⋯ a_Q; 𝟙ᵀ]) and folding
the input projection into the first layer; :func:`network_cost` verifies the cost by a
forward pass over all samples; :func:`conditions` and :func:`padded` report and pad the
cumulative list. :class:`MinimizerResult` carries it all (the ``construct --json`` fields).

>>> from exactgeo.minimizers.clusters import prepare_data
>>> from exactgeo.numbers import as_exact_array
>>> data = prepare_data(as_exact_array([[0, 0], [2, 0]]), [0, 1], exact=True)  # one-hot Y
>>> I, zero = as_exact_array([[1, 0], [0, 1]]), as_exact_array([0, 0])
>>> apexes = as_exact_array([[0, 2], [0, 0]])          # columns a_1 = (0, 0), a_2 = (2, 0)
>>> layers, output, A, c = assemble(data, [(I, zero)], apexes, 2)   # padded to L = 2
>>> len(layers), network_cost(layers, output, data)
(2, (0.0, Fraction(0, 1)))
>>> left_null_vector(as_exact_array([[1, 0], [0, 1], [1, 1]])).tolist()
[Fraction(-1, 1), Fraction(-1, 1), Fraction(1, 1)]
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Optional

import numpy as np

from ..numbers import (as_array, as_exact_array, exact_inv, exact_rank, fraction_str,
                       from_fmpq_mat, to_fmpq_mat)
from .clusters import ClusterData, Geometry
from .truncation import inverse, layers_from_cumulative, network

__all__ = ["MinimizerResult", "network_cost", "assemble", "left_null_vector", "conditions",
           "padded"]


def _fmt(a, exact):
    if exact:
        return np.vectorize(fraction_str, otypes=[object])(a).tolist() if np.ndim(a) else \
            fraction_str(a)
    return np.asarray(a, dtype=float).tolist()


@dataclass
class MinimizerResult:
    """A constructed network and its verification (fields of ``construct --json``).

    ``layers``: [(W_ℓ, b_ℓ)], W_1 of shape (Q, M), the others (Q, Q); ``output``: (W, b) with
    W (P, Q). ``cost`` float, ``cost_exact`` Fraction (exact mode) or None; ``kappa`` (of the
    data the construction used, i.e. after projection); ``condition``: cond₂ of the cumulative
    weights W^{(ℓ)}; ``cumulative``: [(W^{(ℓ)}, b^{(ℓ)})] and ``apexes`` (Q, Q) (column j = a_j)
    in construction coordinates; ``A``, ``c``: output affine map there (F = A∘τ^{(L)} + c).
    """
    cost: float
    cost_exact: Optional[Fraction]
    kappa: float
    condition: list
    layers: list
    output: tuple
    exact: bool
    classes: list
    order: list
    apexes: np.ndarray
    cumulative: list
    A: np.ndarray
    c: np.ndarray
    eps: Any = None
    t: list = None
    rho: list = None
    status: str = ""
    kappa_input: Optional[float] = None
    data: Optional[ClusterData] = field(default=None, repr=False)
    geometry: Optional[Geometry] = field(default=None, repr=False)
    method: str = "kappa"

    @property
    def num_layers(self) -> int:
        return len(self.layers)

    @property
    def network(self):
        """The network as :class:`exactgeo.nets.Network` (rows are samples; W_ℓ as in
        ``layers``, output (W, b) = ``output``)."""
        return network(self.layers, self.output)

    def predict(self, X):
        """F(x) for rows of X (N, M) → (N, P)."""
        Xa, ex = as_array(X, "X")
        if self.exact and not ex:
            Xa = as_exact_array(Xa)
        return self.network.forward(Xa)

    def to_dict(self) -> dict:
        ex = self.exact
        return {
            "cost": float(self.cost),
            "cost_exact": fraction_str(self.cost_exact) if self.cost_exact is not None else None,
            "kappa": float(self.kappa),
            "kappa_input": None if self.kappa_input is None else float(self.kappa_input),
            "condition": [float(c) for c in self.condition],
            "condition_status": self.status,
            "classes": [_jsonable(c) for c in self.classes],
            "order": [int(o) for o in self.order],
            "method": self.method,
            "exact": ex,
            "layers": [{"W": _fmt(W, ex), "b": _fmt(b, ex)} for W, b in self.layers],
            "output": {"W": _fmt(self.output[0], ex), "b": _fmt(self.output[1], ex)},
            "apexes": _fmt(self.apexes.T, ex),
        }

    def to_json(self, **kw) -> str:
        """JSON text of :meth:`to_dict` (DESIGN "construct --json" contract)."""
        return json.dumps(self.to_dict(), **kw)


def _jsonable(c):
    if isinstance(c, (np.integer,)):
        return int(c)
    if isinstance(c, (np.floating,)):
        return float(c)
    if isinstance(c, Fraction):
        return fraction_str(c)
    if isinstance(c, (int, float, str)):
        return c
    return str(c)


def network_cost(layers, output, data: ClusterData):
    """(cost float, cost exact or None) by a forward pass over all samples of ``data``
    (the rows of ``data.X``) through the :class:`~exactgeo.nets.Network` (layers, output)."""
    F = network(layers, output).forward(data.X)          # (N, P)
    R = F - data.Y[:, data.cls].T
    if data.exact:
        s = (R * R).sum()
        s = Fraction(s) if not isinstance(s, Fraction) else s
        ce = data.c_N * s
        return float(ce), ce
    return float(data.c_N * float((R * R).sum())), None


def _ones(Q, exact):
    return np.array([Fraction(1)] * Q, dtype=object) if exact else np.ones(Q)


def assemble(data: ClusterData, cum: list, apexes: np.ndarray, layers_total: int,
             Y=None, null_mu=None):
    """Pad the cumulative list to ``layers_total`` layers (W_ℓ = I, b_ℓ = 0), fit the output
    [A | c] = YZ⁺ (+ μnᵀ), and convert to network layers with the projection folded in.
    Returns (layers, output, A, c)."""
    ex = data.exact
    Q = data.Q
    cum = list(cum)
    while len(cum) < layers_total:
        cum.append(cum[-1])
    Z = np.vstack([apexes, _ones(Q, ex).reshape(1, -1)])  # (Q+1, Q)
    Yt = data.Y if Y is None else Y
    if ex:
        if exact_rank(Z) < Q:
            raise ValueError("apexes: affinely dependent apexes (rank Z < Q); choose another eps")
        Zp = exact_inv(Z.T @ Z) @ Z.T
    else:
        if np.linalg.matrix_rank(Z) < Q:
            raise ValueError("apexes: affinely dependent apexes (rank Z < Q); choose another eps")
        Zp = np.linalg.pinv(Z)
    Ac = Yt @ Zp
    if null_mu is not None:
        n = left_null_vector(Z)
        Ac = Ac + np.outer(np.asarray(null_mu, dtype=object if ex else float), n)
    A, c = Ac[:, :Q], Ac[:, Q]
    WL, bL = cum[-1]
    Wout = A @ inverse(WL)
    bout = c - Wout @ bL
    layers = layers_from_cumulative(cum)
    if data.proj is not None:
        C, c0 = data.proj
        W1, b1 = layers[0]
        layers[0] = (W1 @ C, W1 @ c0 + b1)
    return layers, (Wout, bout), A, c


def left_null_vector(Z):
    """n ≠ 0 with nᵀZ = 0 for Z of shape (Q+1, Q) and rank Q (exact or float)."""
    if Z.dtype == object:
        M = to_fmpq_mat(Z.T)
        R, rank = M.rref()
        R = from_fmpq_mat(R)
        ncol = Z.shape[0]
        pivots = []
        for i in range(rank):
            for j in range(ncol):
                if R[i, j] != 0:
                    pivots.append(j)
                    break
        free = [j for j in range(ncol) if j not in pivots][0]
        n = np.array([Fraction(0)] * ncol, dtype=object)
        n[free] = Fraction(1)
        for i, p in enumerate(pivots):
            n[p] = -R[i, free]
        return n
    _, _, Vt = np.linalg.svd(Z.T)
    return Vt[-1]


def conditions(cum) -> list:
    """cond₂ of each cumulative W^{(ℓ)}; a repeated (padding) matrix is computed once."""
    out, last_W, last_c = [], None, None
    for W, _ in cum:
        if W is not last_W:
            last_W, last_c = W, float(np.linalg.cond(np.asarray(W, dtype=float)))
        out.append(last_c)
    return out


def padded(cum, L):
    """``cum`` extended to L entries by repeating its last pair (identity layers)."""
    cum = list(cum)
    while len(cum) < L:
        cum.append(cum[-1])
    return cum
