"""The degenerate family of zero-cost minimizers (THEORY §4.4 "Degenerate family").

From a constructed network, :func:`family_member` produces other members; each keeps C = 0
(exactly in exact mode — every member's cost is re-verified by a forward pass):

- ``mu``: output [A | c] + μnᵀ with nᵀZ = 0 (Z = [a_1 ⋯ a_Q; 𝟙ᵀ]); μ has shape (P,);
- ``rescale``: (W^{(ℓ)}, b^{(ℓ)}) ↦ P_ℓD_ℓ(W^{(ℓ)}, b^{(ℓ)}) for every layer (T7); ``True`` draws
  seeded random permutations and positive diagonals, or pass a list of (perm, diag);
- ``order``, ``eps``, ``t``: another admissible construction (passed to the constructor);
- ``rotate``: a seeded rotation of every truncation frame inside v_j^⊥ (float: a random
  orthogonal map fixing v_j, the proof of §4.4 step 6 is unchanged; exact, M = Q only: a
  rational Cayley rotation, with t_j re-capped by its exact admissible bound);
- ``extra_layers``: k more layers W_ℓ = PD, b_ℓ ≥ 0 (seeded; identity-like on the
  non-negative activations).

>>> import numpy as np
>>> from exactgeo.minimizers import construct_minimizer
>>> X = np.array([[0., 0], [0.1, 0], [2, 0], [2, 0.1]])
>>> r = construct_minimizer(X, [0, 0, 1, 1], layers=2, exact=True)
>>> m = family_member(r, mu=[1, -2], rescale=True, extra_layers=2, seed=3)
>>> m.cost_exact, len(m.layers)
(Fraction(0, 1), 4)
"""
from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np

from ..numbers import exact_inv
from .construct import DEFAULT_MAX_BYTES, construct_minimizer, guard_layers
from .result import MinimizerResult, assemble, left_null_vector, network_cost
from .truncation import eye, truncate
from .truncation_layer import exact_truncation_layer

__all__ = ["family_member", "output_null_direction"]


def output_null_direction(res: MinimizerResult):
    """n ≠ 0 with nᵀZ = 0, Z = [a_1 ⋯ a_Q; 𝟙ᵀ] of shape (Q+1, Q)."""
    Q = res.apexes.shape[1]
    one = Fraction(1) if res.exact else 1.0
    Z = np.vstack([res.apexes, np.array([one] * Q, dtype=res.apexes.dtype).reshape(1, -1)])
    return left_null_vector(Z)


def _rand_pd(rng, Q, exact):
    perm = rng.permutation(Q)
    if exact:
        d = [Fraction(int(rng.integers(1, 9)), int(rng.integers(1, 9))) for _ in range(Q)]
    else:
        d = list(rng.uniform(0.25, 4.0, size=Q))
    return perm, d


def _pd_matrix(perm, d, exact):
    Q = len(perm)
    M = np.full((Q, Q), Fraction(0) if exact else 0.0, dtype=object if exact else float)
    for i, p in enumerate(perm):
        if not (d[p] > 0):
            raise ValueError(f"rescale: diagonal entries must be positive, got {d[p]}")
        M[i, p] = Fraction(d[p]) if exact else float(d[p])
    return M


def _cayley_rotation(v, rng):
    """Rational orthogonal R with Rv = v: Cayley transform of K = uwᵀ − wuᵀ, u, w ⊥ v."""
    Q = v.shape[0]
    vv = v @ v
    def perp(x):
        return x - (x @ v) / vv * v
    u = perp(np.array([Fraction(int(k)) for k in rng.integers(-3, 4, size=Q)], dtype=object))
    w = perp(np.array([Fraction(int(k)) for k in rng.integers(-3, 4, size=Q)], dtype=object))
    K = np.outer(u, w) - np.outer(w, u)
    I = eye(Q, True)
    return (I - K) @ exact_inv(I + K)


def _float_rotation(v, rng):
    Q = v.shape[0]
    vn = v / np.linalg.norm(v)
    B = np.linalg.qr(np.column_stack([vn, rng.normal(size=(Q, Q - 1))]))[0][:, 1:]
    O = np.linalg.qr(rng.normal(size=(Q - 1, Q - 1)))[0]
    return np.outer(vn, vn) + B @ O @ B.T


def family_member(res: MinimizerResult, *, mu=None, rescale=None, extra_layers: int = 0,
                  order=None, eps=None, t=None, rotate: bool = False,
                  seed: int = 0) -> MinimizerResult:
    """Another zero-cost member of the degenerate family of ``res`` (module doc)."""
    data = res.data
    if data is None or res.method != "kappa":
        raise ValueError("res: family members need a result of construct_minimizer "
                         "(method='kappa')")
    ex = res.exact
    if isinstance(extra_layers, bool) or not isinstance(extra_layers, (int, np.integer)):
        raise TypeError(f"extra_layers: expected an integer >= 0, got {extra_layers!r}")
    if extra_layers < 0:
        raise ValueError(f"extra_layers: expected an integer >= 0, got {extra_layers}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed: expected an integer >= 0, got {seed!r}")
    if seed < 0:
        raise ValueError(f"seed: expected an integer >= 0, got {seed}")
    Q, L = data.Q, len(res.layers)
    guard_layers(data, L + int(extra_layers), ex, DEFAULT_MAX_BYTES, name="extra_layers")
    rng = np.random.default_rng(seed)
    base = res
    if order is not None or eps is not None or t is not None:
        labels = [data.classes[c] for c in data.cls]
        base = construct_minimizer(data.X, labels, Y=data.Y, layers=L, exact=ex,
                                   classes=data.classes, c_N=data.c_N,
                                   order=order if order is not None else res.order,
                                   eps=eps if eps is not None else res.eps, t=t)
    cum = [(W.copy(), b.copy()) for W, b in base.cumulative]
    apexes = base.apexes
    if rotate:
        cum = _rotate(base, cum, rng)
    if rescale is not None and rescale is not False:
        specs = ([_rand_pd(rng, Q, ex) for _ in range(L)] if rescale is True else list(rescale))
        if len(specs) != L:
            raise ValueError(f"rescale: expected {L} (perm, diag) pairs, got {len(specs)}")
        cum = [(_pd_matrix(p, d, ex) @ W, _pd_matrix(p, d, ex) @ b)
               for (W, b), (p, d) in zip(cum, specs)]
    for _ in range(int(extra_layers)):
        PD = _pd_matrix(*_rand_pd(rng, Q, ex), ex)
        if ex:
            bl = np.array([Fraction(int(k), 4) for k in rng.integers(0, 5, size=Q)], dtype=object)
        else:
            bl = rng.uniform(0, 1, size=Q)
        W, b = cum[-1]
        cum.append((PD @ W, PD @ b + bl))
    if mu is not None:
        mu = np.asarray(mu, dtype=object if ex else float)
        if ex:
            mu = np.array([Fraction(m) for m in mu], dtype=object)
        if mu.shape != (data.Y.shape[0],):
            raise ValueError(f"mu: expected shape ({data.Y.shape[0]},), got {mu.shape}")
    layers, output, A, c = assemble(data, cum, apexes, len(cum), null_mu=mu)
    cost, cost_ex = network_cost(layers, output, data)
    cond = [float(np.linalg.cond(np.asarray(W, dtype=float))) for W, _ in cum]
    return dataclasses.replace(base, layers=layers, output=output, A=A, c=c, cumulative=cum,
                               cost=cost, cost_exact=cost_ex, condition=cond)


def _rotate(base, cum, rng):
    data = base.data
    Q = data.Q
    geo = base.geometry
    out = list(cum)
    P = data.Z.copy()
    for step, j in enumerate(base.order):
        W, b = cum[step]
        a = base.apexes[:, j]
        if base.exact:
            if data.G is not None:
                raise ValueError("rotate: exact frame rotations need M = Q (no projection)")
            v = geo.v[:, j]
            tj = base.t[step]
            F = (W + np.outer(np.array([Fraction(1)] * Q, dtype=object), v)) / tj
            R = _cayley_rotation(v, rng)
            W2, b2, _, _ = exact_truncation_layer(v, a, P, data.cls == j, None, tj,
                                                  frame=F @ R.T)
        else:
            v = geo.v[:, j] / geo.h[j]
            S = (W + np.outer(np.ones(Q), v)) / base.t[step]
            W2 = -np.outer(np.ones(Q), v) + base.t[step] * S @ _float_rotation(v, rng).T
            b2 = -W2 @ a
        P = truncate(W2, b2, P)
        if not base.exact:
            P[:, data.cls == j] = a.reshape(-1, 1)
        out[step] = (W2, b2)
    last = out[Q - 1]
    for k in range(Q, len(out)):   # padding layers W_ℓ = I repeat the last cumulative pair
        out[k] = last
    return out
