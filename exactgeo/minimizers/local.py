"""Local minima of the deep ReLU cost on clustered data (THEORY §4.5, §4.6), with probes.

- :func:`affine_least_squares`: C_aff by direct least squares and by the closed form
  c_N·Tr[Y(D − DZ̄ᵀ(Z̄DZ̄ᵀ + S̃)⁻¹Z̄D)Yᵀ] from class statistics (exact equality over ℚ).
- :func:`no_truncation_minimum`: the §4.5 network (W_1 = I, b_1 = η𝟙, identity layers,
  affine least-squares output); its cost is verified by a forward pass.
- :func:`rrr_costs`, :func:`active_neuron_network`: the 2^Q − 1 active-neuron families with
  values c_N·RRR_{|𝒜|} (reduced-rank regression); :func:`local_minima_report` probes each
  (gradient norm, minimum cost change over seeded random perturbations) and counts the
  distinct values. These are local minima by the argument of §4.5/§4.6 (proof); the probes are
  numerical evidence only.
- :func:`subset_truncation_probe`: "truncate a subset, then fit affinely" configurations —
  generally **not** critical points (THEORY §4.6); never called local minima here.

>>> import numpy as np
>>> from fractions import Fraction as F
>>> X = np.array([[F(0), F(0)], [F(1, 10), F(0)], [F(2), F(0)], [F(2), F(1, 10)],
...               [F(0), F(2)], [F(1, 10), F(2)]], dtype=object)
>>> out = affine_least_squares(X, [0, 0, 1, 1, 2, 2], exact=True)
>>> out["direct"] == out["closed_form"]
True
"""
from __future__ import annotations

from fractions import Fraction
from itertools import combinations

import numpy as np

from ..numbers import exact_inv
from .clusters import exact_input, prepare_data
from .construct import construct_minimizer
from .gd import as_network, cost as net_cost, flatten, gradient, params_from_result, unflatten
from .result import network_cost

__all__ = ["affine_least_squares", "no_truncation_minimum", "rrr_costs",
           "active_neuron_network", "local_minima_report", "perturbation_probe",
           "subset_truncation_probe", "class_statistics"]


def class_statistics(data):
    """(Z̄ (M+1, Q) = [means; 𝟙ᵀ], D = diag(N_j) as a vector, S_w (M, M)) on the raw input."""
    ex = data.exact
    Xc = data.X.T
    Q, M = data.Q, data.M
    means = np.empty((M, Q), dtype=object if ex else float)
    for j in range(Q):
        n = Fraction(int(data.counts[j])) if ex else data.counts[j]
        means[:, j] = Xc[:, data.cls == j].sum(axis=1) / n
    dev = Xc - means[:, data.cls]
    Sw = dev @ dev.T
    one = Fraction(1) if ex else 1.0
    Zb = np.vstack([means, np.array([one] * Q, dtype=means.dtype).reshape(1, -1)])
    return Zb, data.counts, Sw


def affine_least_squares(X, labels, Y=None, exact=False, c_N=None):
    """C_aff = c_N·min_{A,c} Σ|Ax + c − y_j|²: ``direct`` (normal equations over all samples)
    and ``closed_form`` (class statistics, THEORY §4.5), plus the minimiser (A, c).
    Exact mode (automatic for exact inputs): both are Fractions and must be equal."""
    data = prepare_data(X, labels, Y=Y, exact=bool(exact) or exact_input(X, Y), c_N=c_N)
    ex = data.exact
    Xt = data.X.T
    N = data.N
    one = Fraction(1) if ex else 1.0
    Xa = np.vstack([Xt, np.array([one] * N, dtype=Xt.dtype).reshape(1, -1)])  # (M+1, N)
    T = data.Y[:, data.cls]                                                    # (P, N)
    G = Xa @ Xa.T
    if ex:
        try:
            Gi = exact_inv(G)
        except ValueError:
            raise ValueError("X: the augmented data are affinely dependent (singular normal "
                             "equations); the closed form needs full rank") from None
        Ac = T @ Xa.T @ Gi
    else:
        Ac = np.linalg.lstsq(Xa.T, T.T, rcond=None)[0].T
    R = Ac @ Xa - T
    direct = data.c_N * (R * R).sum()
    Zb, counts, Sw = class_statistics(data)
    Q, M = data.Q, data.M
    D = np.diag([Fraction(int(c)) for c in counts]).astype(object) if ex else np.diag(counts * 1.0)
    St = np.zeros((M + 1, M + 1), dtype=object if ex else float)
    if ex:
        St[:] = Fraction(0)
    St[:M, :M] = Sw
    inner = Zb @ D @ Zb.T + St
    Yc = data.Y
    if ex:
        mid = D - D @ Zb.T @ exact_inv(inner) @ Zb @ D
    else:
        mid = D - D @ Zb.T @ np.linalg.pinv(inner) @ Zb @ D
    closed = data.c_N * np.trace(Yc @ mid @ Yc.T)
    return {"direct": direct, "closed_form": closed, "A": Ac[:, :M], "c": Ac[:, M]}


def no_truncation_minimum(X, labels, Y=None, layers=2, exact=False, eta=None, c_N=None):
    """The §4.5 configuration: W_1 = I (M = Q) or the first Q coordinates' identity padded
    (Q × M, needs M ≥ … — here we use W_1 = [I | 0] when M ≥ Q), b_1 = η𝟙, W_ℓ = I, b_ℓ = 0,
    output realising the affine least-squares map. Returns dict(layers, output, cost,
    cost_closed_form). Requires M ≤ Q so that the identity path carries all of x.
    Exact inputs give exact outputs."""
    exact = bool(exact) or exact_input(X, Y)
    data = prepare_data(X, labels, Y=Y, exact=exact, c_N=c_N)
    ex = data.exact
    Q, M = data.Q, data.M
    if M > Q:
        raise ValueError(f"X: the no-truncation configuration passes x through width Q = {Q}; "
                         f"got M = {M} > Q features (project first)")
    fit = affine_least_squares(X, labels, Y=Y, exact=exact, c_N=c_N)
    zero, one = (Fraction(0), Fraction(1)) if ex else (0.0, 1.0)
    W1 = np.full((Q, M), zero, dtype=object if ex else float)
    for i in range(M):
        W1[i, i] = one
    if eta is None:
        mn = min(np.asarray(data.X, dtype=float).min(), 0.0)
        eta = Fraction(int(np.ceil(-mn)) + 1) if ex else float(np.ceil(-mn) + 1)
    b1 = np.array([eta] * Q, dtype=object if ex else float)
    I = np.full((Q, Q), zero, dtype=object if ex else float)
    for i in range(Q):
        I[i, i] = one
    zeros = np.array([zero] * Q, dtype=object if ex else float)
    lay = [(W1, b1)] + [(I.copy(), zeros.copy()) for _ in range(layers - 1)]
    A = fit["A"]
    Wout = np.concatenate([A, np.full((A.shape[0], Q - M), zero, dtype=A.dtype)], axis=1)
    bout = fit["c"] - Wout @ b1
    c, cex = network_cost(lay, (Wout, bout), data)
    return {"layers": lay, "output": (Wout, bout), "cost": cex if ex else c,
            "cost_closed_form": fit["closed_form"], "cost_direct": fit["direct"]}


def rrr_costs(X, labels, Y=None, c_N=None):
    """[c_N·RRR_k for k = 0..Q] (float): RRR_k = min Σ|B(x) + c − y|² over rank B ≤ k."""
    data = prepare_data(X, labels, Y=Y, exact=False, c_N=c_N)
    Xt = np.asarray(data.X, dtype=float).T
    T = np.asarray(data.Y, dtype=float)[:, data.cls]
    Xc = Xt - Xt.mean(axis=1, keepdims=True)
    Tc = T - T.mean(axis=1, keepdims=True)
    B = np.linalg.lstsq(Xc.T, Tc.T, rcond=None)[0].T
    fitted = B @ Xc
    lam = np.sort(np.linalg.eigvalsh(fitted @ fitted.T))[::-1]
    total = float((Tc ** 2).sum())
    out = []
    for k in range(data.Q + 1):
        out.append(data.c_N * max(total - float(lam[:k].sum()), 0.0))
    return out


def active_neuron_network(X, labels, subset, layers, Y=None, margin=1.0):
    """Float network of the active-neuron family 𝒜 = ``subset`` (THEORY §4.6); returns the
    parameter list [(W_1, b_1), …, (W_out, b_out)] and the value c_N·RRR_{|𝒜|}."""
    data = prepare_data(X, labels, Y=Y, exact=False)
    Q, M = data.Q, data.M
    A = sorted(set(int(s) for s in subset))
    if not A or A[0] < 0 or A[-1] >= Q:
        raise ValueError(f"subset: expected a non-empty subset of 0..{Q - 1}, got {subset}")
    k = len(A)
    Xt = np.asarray(data.X, dtype=float).T
    T = np.asarray(data.Y, dtype=float)[:, data.cls]
    xm, tm = Xt.mean(axis=1), T.mean(axis=1)
    Xc, Tc = Xt - xm[:, None], T - tm[:, None]
    B = np.linalg.lstsq(Xc.T, Tc.T, rcond=None)[0].T          # (P, M)
    fitted = B @ Xc
    w, U = np.linalg.eigh(fitted @ fitted.T)
    U = U[:, np.argsort(w)[::-1]]
    P = T.shape[0]
    Uk = np.zeros((P, k))
    kk = min(k, P)
    Uk[:, :kk] = U[:, :kk]
    V = Uk.T @ B                                              # (k, M): rank-k factor
    pre = V @ Xt
    eta = -pre.min(axis=1) + margin                           # large biases: all active
    W1 = np.zeros((Q, M)); b1 = -np.ones(Q)
    W1[A] = V; b1[A] = eta
    params = [(W1, b1)]
    for _ in range(layers - 1):
        W = np.zeros((Q, Q)); b = -np.ones(Q)
        W[np.ix_(A, A)] = np.eye(k); b[A] = 0.0
        params.append((W, b))
    Wout = np.zeros((P, Q))
    Wout[:, A] = Uk
    bout = tm - Uk @ V @ xm - Uk @ eta
    params.append((Wout, bout))
    return params, rrr_costs(X, labels, Y=Y)[k]


def perturbation_probe(params, X, T, scale=1e-4, samples=200, seed=0, c_N=None):
    """min over seeded Gaussian perturbations (entrywise std ``scale``) of C(θ + p) − C(θ)."""
    rng = np.random.default_rng(seed)
    theta = flatten(params)
    c0 = net_cost(params, X, T, c_N)
    best = np.inf
    for _ in range(samples):
        p = unflatten(theta + scale * rng.normal(size=theta.shape), params)
        best = min(best, net_cost(p, X, T, c_N) - c0)
    return float(best)


def local_minima_report(X, labels, layers, Y=None, scale=1e-4, samples=100, seed=0,
                        rel_tol=1e-9):
    """All 2^Q − 1 active-neuron families: one row each with ``subset``, ``k``, ``cost`` (forward
    pass), ``value`` (c_N·RRR_k), ``grad_norm``, ``min_delta`` (perturbation probe) and
    ``verdict``; plus ``distinct_values`` (number of distinct costs, relative ``rel_tol``).
    The verdict is "local minimum (proof §4.6; probes consistent)" when the gradient norm is
    ≤ 1e-8·(1 + C) and no sampled perturbation decreases C by more than 1e-10·(1 + C)."""
    data = prepare_data(X, labels, Y=Y, exact=False)
    Xf = np.asarray(data.X, dtype=float)
    T = np.asarray(data.Y, dtype=float)[:, data.cls].T
    rows = []
    for k in range(1, data.Q + 1):
        for sub in combinations(range(data.Q), k):
            params, value = active_neuron_network(X, labels, sub, layers, Y=Y)
            c, g = gradient(params, Xf, T)
            gn = float(np.linalg.norm(flatten(g)))
            md = perturbation_probe(params, Xf, T, scale=scale, samples=samples,
                                    seed=seed + len(rows))
            ok = gn <= 1e-8 * (1 + c) and md >= -1e-10 * (1 + c)
            rows.append({"subset": list(sub), "k": k, "cost": c, "value": value,
                         "grad_norm": gn, "min_delta": md,
                         "verdict": "local minimum (proof §4.6; probes consistent)" if ok
                         else "probe disagrees"})
    vals = sorted(r["cost"] for r in rows)
    distinct = []
    for v in vals:
        if not distinct or abs(v - distinct[-1]) > rel_tol * max(1.0, abs(v)):
            distinct.append(v)
    return {"families": rows, "count": len(rows), "distinct_values": len(distinct),
            "values": distinct}


def subset_truncation_probe(X, labels, subset, layers, Y=None):
    """The "truncate the classes in ``subset``, then fit affinely" configuration (built from the
    §4.4 construction, float): returns dict(cost, grad_norm). THEORY §4.6: generally not a
    critical point (grad_norm > 0); this is a probe, not a local-minimum claim."""
    data = prepare_data(X, labels, Y=Y, exact=False)
    res = construct_minimizer(X, labels, Y=Y, layers=max(layers, data.Q))
    sub = [int(s) for s in subset]
    order = list(res.order)
    k = len(sub)
    if sorted(order[:k]) != sorted(sub):
        res = construct_minimizer(X, labels, Y=Y, layers=max(layers, data.Q),
                                  order=sub + [j for j in range(data.Q) if j not in sub])
    params = params_from_result(res)
    # keep the first k truncating layers, then identity layers on the (non-negative) activations
    Q = data.Q
    L = max(layers, Q)
    if not 1 <= k < Q:
        raise ValueError(f"subset: expected 1 to {Q - 1} classes, got {subset}")
    for l in range(k, L):   # activations are >= 0 after layer k: identity layers pass them
        params[l] = (np.eye(Q), np.zeros(Q))
    Xf = np.asarray(data.X, dtype=float)
    T = np.asarray(data.Y, dtype=float)[:, data.cls].T
    # affine least-squares output on the last hidden activations (rows: (N, Q))
    H = as_network(params).hidden_states(Xf)[-1]
    Ha = np.hstack([H, np.ones((H.shape[0], 1))])
    Ac = np.linalg.lstsq(Ha, T, rcond=None)[0].T
    params[-1] = (Ac[:, :Q], Ac[:, Q])
    c, g = gradient(params, Xf, T)
    return {"subset": sub, "cost": c, "grad_norm": float(np.linalg.norm(flatten(g)))}
