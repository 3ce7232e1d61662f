"""Explicit zero-cost minimizer of a deep ReLU network on clustered data (THEORY §4.4).

``construct_minimizer(X, labels, Y=None, layers=L, exact=False)`` builds the network
x ↦ W_{L+1} x^{(L)} + b_{L+1}, x^{(ℓ)} = relu(W_ℓ x^{(ℓ−1)} + b_ℓ), whose hidden layer j
truncates class j onto a point (the apex a_j) and fixes all other points; the affine output
maps a_j to the target y_j. Hypotheses: L ≥ Q ≥ 2, affinely independent class means, and
κ = δ/min_j h_j < 1/2 (a sufficient condition; see :mod:`.separability` beyond it).

Shapes: X (N, M) rows are samples; labels (N,) any sortable values (class j = j-th sorted
label); Y (P, Q), column j the target of class j (default: the Q×Q identity, one-hot).

Input dimension M ≠ Q (M ≥ Q − 1): the data are first mapped to coordinates of their
orthogonal projection onto the affine hull of the class means (padded with one zero
coordinate to ℝ^Q); this affine map is folded into the first layer, so the network acts on
ℝ^M. *What is proved:* the construction is exact for the projected data whenever they satisfy
the §4.4 hypotheses; projection keeps the means and the h_j and does not increase deviations,
so κ(projected) ≤ κ(ℝ^M), and the cost is 0 whenever κ(projected) < 1/2 — in particular
whenever κ < 1/2 in ℝ^M. Nothing is claimed about the papers' (unknown) statement for M > Q.

Exact mode (THEORY §4.4 "Exact rational variant"): every parameter is a Fraction; the
Euclidean geometry of the projection is carried by a rational Gram matrix G, the apex offset
ρ_j and the cone parameter t_j are rational, the admissible interval of t_j is computed
exactly from the data (t_j = min(default, t_max)), and the cost is obtained from an exact
forward pass over all samples — it is 0 by verification, not by assumption.

The pieces it shares with :mod:`.separability` and :mod:`.family` have their own modules:
the data and their geometry (:mod:`.clusters`), the exact step of one class
(:mod:`.truncation_layer`) and the result with its assembly and verification (:mod:`.result`).

>>> import numpy as np
>>> X = np.array([[0, 0, 0.1], [0.1, 0, 0], [2, 0, 0], [2, 0.1, 0], [0, 2, 0], [0, 2, 0.1]])
>>> res = construct_minimizer(X, [0, 0, 1, 1, 2, 2], layers=3, exact=True)
>>> res.cost_exact, round(res.kappa, 4)
(Fraction(0, 1), 0.0506)
"""
from __future__ import annotations

import math
import operator
from fractions import Fraction

import numpy as np

from ..numbers import check_max_bytes, describe, to_float, to_fraction
from .clusters import (ClusterData, cluster_geometry, exact_input, gram, input_kappa,
                       label_str, prepare_data)
from .result import MinimizerResult, assemble, conditions, network_cost, padded
from .separability import construct_by_separability
from .truncation import eye, truncate
from .truncation_layer import exact_truncation_layer

# the construction's own names, and (re-exported from .clusters, .result, .truncation) the
# names this module provided before they moved there
__all__ = ["construct_minimizer", "estimate_bytes", "guard_layers",
           "MinimizerResult", "ClusterData", "prepare_data", "cluster_geometry",
           "network_cost", "assemble", "label_str", "padded", "eye"]

KAPPA_THRESHOLD = 0.5
DEFAULT_MAX_BYTES = 2 ** 31


def _float_frame(v):
    """Rows s_k = √(Q/(Q−1))·H(e_k − 𝟙/Q): a regular simplex in v^⊥ (THEORY §4.4 step 3)."""
    Q = v.shape[0]
    omega = np.ones(Q) / math.sqrt(Q) - v
    nrm = omega @ omega
    H = np.eye(Q) if nrm < 1e-300 else np.eye(Q) - 2.0 * np.outer(omega, omega) / nrm
    return math.sqrt(Q / (Q - 1)) * (np.eye(Q) - 1.0 / Q) @ H


def _rat(x: float, max_den: int = 10 ** 6) -> Fraction:
    return Fraction(x).limit_denominator(max_den)


def construct_minimizer(X, labels, Y=None, layers: int = None, exact: bool = False,
                        eps=None, t=None, order=None, classes=None, c_N=None,
                        method: str = "kappa",
                        max_bytes: int = DEFAULT_MAX_BYTES) -> MinimizerResult:
    """Zero-cost deep ReLU network for clustered data (THEORY §4.4); see the module doc.

    X (N, M), labels (N,), Y (P, Q) or None (one-hot), ``layers`` = L ≥ Q hidden layers.
    ``eps`` ∈ (0, (h_min − 2δ)/2) (default (h_min − 2δ)/4), ``t`` a scalar or Q values
    (float: the normalised t_j ∈ (0, min(ε/δ, (h_min − 2δ − 2ε)/R_j)], default
    min(ε/δ, 2ε/R_j); exact: t_j in the unnormalised scale of the exact variant (rows
    −v_j + t_jσ_kP_je_k, |v_j| = h_j), default ≈ h_j × the float default, halved until it is
    ≤ the exact admissible bound t_max — a user t_j above t_max is an error), ``order``
    a permutation of range(Q) (the class truncated by layer j), ``method`` "kappa"
    (κ < 1/2 required) or "lp" (exact step-wise separability, :mod:`.separability`; always
    returns exact parameters). Exact inputs (Fractions, sympy Rationals, fmpq, object arrays
    of them, in X or Y) switch on ``exact``: exact inputs give exact outputs. A network
    whose L layers need more than ``max_bytes`` (:func:`estimate_bytes`) is refused with
    MemoryError before anything is built (layers beyond Q are identities: L = Q suffices).

    >>> import numpy as np
    >>> X = np.array([[0., 0], [0.1, 0], [2, 0], [2, 0.1]])
    >>> r = construct_minimizer(X, ["a", "a", "b", "b"], layers=2)
    >>> r.cost < 1e-20, len(r.layers), r.output[0].shape
    (True, 2, (2, 2))
    """
    if layers is None:
        raise TypeError("layers: the number of hidden layers L is required")
    if isinstance(layers, bool) or not isinstance(layers, (int, np.integer)):
        raise TypeError(f"layers: expected an integer, got {layers!r}")
    if layers < 1:
        raise ValueError(f"layers: expected a positive number of hidden layers L >= Q (the "
                         f"number of classes), got {layers}")
    check_max_bytes(max_bytes)
    if method not in ("kappa", "lp"):
        raise ValueError(f"method: expected 'kappa' or 'lp', got {method!r}")
    exact = bool(exact) or exact_input(X, Y)          # exact inputs → exact outputs
    data = prepare_data(X, labels, Y=Y, exact=exact, classes=classes, c_N=c_N)
    Q = data.Q
    if layers < Q:
        raise ValueError(f"layers: the construction needs L >= Q = {Q} hidden layers (one "
                         f"truncation per class), got {layers}")
    guard_layers(data, int(layers), exact or method == "lp", max_bytes)
    order_arg = order
    if order is None:
        order = list(range(Q))
    else:
        order = _check_order(order, Q)
    if method == "lp":
        return construct_by_separability(data, layers=layers,
                                         order=None if order_arg is None else order)
    geo = cluster_geometry(data)
    kappa_input = input_kappa(data) if data.proj is not None else None
    if not geo.kappa < KAPPA_THRESHOLD:
        raise ValueError(
            f"X: clustering condition fails: kappa = delta/min_j h_j = {geo.kappa:.6g} >= 1/2 "
            f"(threshold)" + (" after projection onto the affine hull of the class means"
                              if data.proj is not None else "") +
            f"; offending class {label_str(data.classes[geo.hmin_class], True)} (smallest "
            f"h = {geo.h[geo.hmin_class]:.6g}, distance of its mean to the affine hull of the "
            f"other means), delta = {geo.delta:.6g} attained in class "
            f"{label_str(data.classes[geo.delta_class], True)}; try method='lp' (exact "
            "step-wise separability; CLI: --method lp)")
    hmin = float(geo.h.min())
    room = (hmin - 2 * geo.delta) / 2
    if eps is None:
        eps_f = room / 2
    else:
        eps_f = to_float(eps, "eps")
        if not 0 < eps_f < room:
            raise ValueError(f"eps: expected 0 < eps < (h_min - 2 delta)/2 = {room:.6g}, "
                             f"got {eps}")
    if t is not None:
        t_list = list(t) if np.ndim(t) else [t] * Q
        if len(t_list) != Q:
            raise ValueError(f"t: expected a scalar or {Q} values (one per layer), got "
                             f"{len(t_list)}")
        for k, tk in enumerate(t_list):
            q = to_fraction(tk, "t")                 # NaN/inf/bool/non-numeric refused
            if not q > 0:
                raise ValueError(f"t: expected values > 0, got {describe(tk)} for layer {k + 1}")
            t_list[k] = q if exact else to_float(q, "t")
    else:
        t_list = [None] * Q
    if exact:
        res = _construct_exact(data, geo, order, eps_f, t_list, layers)
    else:
        res = _construct_float(data, geo, order, eps_f, t_list, layers)
    res.kappa_input = kappa_input
    res.status = (f"kappa = {geo.kappa:.6g} < 1/2: sufficient clustering condition holds "
                  f"(THEORY 4.4); cost verified by a forward pass over all {data.N} samples")
    if not exact:
        scale = float(data.c_N * float((np.asarray(data.Y, dtype=float)[:, data.cls] ** 2).sum()))
        if res.cost > 1e-10 * max(scale, 1e-300):
            res.status += (f"; WARNING: float cost {res.cost:.3e} exceeds 1e-10 relative "
                           f"(max cond {max(res.condition):.3g}); use exact=True")
    return res


def _check_order(order, Q):
    try:
        out = [operator.index(o) for o in order]
    except TypeError:
        raise TypeError(f"order: expected a permutation of 0..{Q - 1} (integers), got "
                        f"{order!r}") from None
    if sorted(out) != list(range(Q)):
        raise ValueError(f"order: expected a permutation of 0..{Q - 1}, got {out}")
    return out


# bytes of one stored entry: a float64, or an object pointer + a Fraction with two small ints
_ENTRY_BYTES = {False: 8, True: 8 + 120}
_LAYER_OVERHEAD = 600       # tuples, array headers, list slots, the condition number


def estimate_bytes(N: int, M: int, Q: int, P: int, layers: int, exact: bool) -> int:
    """Estimated peak memory of the construction: L layers (W_ℓ, b_ℓ; W_1 is Q×M) plus
    the cumulative pairs, the forward pass (Q×N states) and the output map (P×Q).

    >>> estimate_bytes(4, 2, 2, 2, 99999999999, exact=False) > 2 ** 40
    True
    """
    e = _ENTRY_BYTES[bool(exact)]
    per_layer = (Q * Q + Q) * e + _LAYER_OVERHEAD
    fixed = (Q * M + Q * Q + 4 * Q * N + P * Q + P) * e + Q * (Q * Q + Q) * e
    return int(layers) * per_layer + fixed


def guard_layers(data: ClusterData, layers: int, exact: bool, max_bytes,
                 name: str = "layers") -> None:
    """MemoryError (naming ``name``) if ``layers`` hidden layers exceed ``max_bytes``
    (:func:`estimate_bytes`), with the estimate and how many layers fit."""
    P = data.Y.shape[0]
    need = estimate_bytes(data.N, data.M, data.Q, P, layers, exact)
    if need > max_bytes:
        per = estimate_bytes(data.N, data.M, data.Q, P, 1, exact) - \
            estimate_bytes(data.N, data.M, data.Q, P, 0, exact)
        fit = max(int((max_bytes - estimate_bytes(data.N, data.M, data.Q, P, 0, exact)) // per),
                  0)
        raise MemoryError(
            f"{name}: L = {layers} hidden layers (Q = {data.Q} classes, M = {data.M} features"
            f"{', exact' if exact else ''}) need about {_size(need)}, more than max_bytes = "
            f"{_size(max_bytes)}; use fewer layers (L = Q = {data.Q} suffices — layers beyond Q "
            f"are identities; at most {fit} fit) or raise the budget (API: max_bytes=...)")


def _size(nbytes) -> str:
    nbytes = float(nbytes)
    for unit, scale in (("TiB", 2 ** 40), ("GiB", 2 ** 30), ("MiB", 2 ** 20), ("KiB", 2 ** 10)):
        if nbytes >= scale:
            return f"{nbytes / scale:.3g} {unit}"
    return f"{int(nbytes)} bytes"


def _construct_float(data, geo, order, eps, t_list, L):
    Q = data.Q
    Z = data.Z.astype(float)
    cls = data.cls
    delta = geo.delta
    hmin = float(geo.h.min())
    cum, apexes, ts = [], np.zeros((Q, Q)), []
    done = []
    # the current points of step j are known in closed form (T3/T4 of the previous steps):
    # raw samples of the classes not yet truncated and the apexes of the truncated ones;
    # the final forward pass over all samples verifies the whole network.
    for step, j in enumerate(order):
        v = geo.v[:, j] / geo.h[j]
        a = data.means[:, j] - (delta + eps) * v
        S = _float_frame(v)
        R = 0.0
        for k in range(Q):
            if k == j:
                continue
            pts = apexes[:, [k]] if k in done else Z[:, cls == k]
            R = max(R, float(np.sqrt(((pts - a.reshape(-1, 1)) ** 2).sum(axis=0)).max()))
        if t_list[step] is None:
            tj = 2 * eps / R if R > 0 else 1.0
            if delta > 0:
                tj = min(eps / delta, tj)
        else:
            tj = float(t_list[step])
            hi = (hmin - 2 * delta - 2 * eps) / R if R > 0 else math.inf
            if delta > 0:
                hi = min(hi, eps / delta)
            if not 0 < tj <= hi * (1 + 1e-12):
                raise ValueError(f"t: layer {step + 1} needs 0 < t <= {hi:.6g}, got {tj}")
        W = -np.outer(np.ones(Q), v) + tj * S
        b = -W @ a
        cum.append((W, b))
        apexes[:, j] = a
        ts.append(tj)
        done.append(j)
    layers, output, A, c = assemble(data, cum, apexes, L)
    cost, _ = network_cost(layers, output, data)
    cond = conditions(padded(cum, L))
    return MinimizerResult(cost=cost, cost_exact=None, kappa=geo.kappa, condition=cond,
                           layers=layers, output=output, exact=False, classes=data.classes,
                           order=order, apexes=apexes, cumulative=padded(cum, L), A=A, c=c,
                           eps=eps, t=ts, data=data, geometry=geo)


def _construct_exact(data, geo, order, eps, t_list, L):
    Q = data.Q
    G = data.G
    P = data.Z.copy()
    cls = data.cls
    delta = geo.delta
    cum, ts, rhos = [], [], []
    apexes = np.full((Q, Q), Fraction(0), dtype=object)
    for step, j in enumerate(order):
        v = geo.v[:, j]
        h2 = geo.h2[j]
        mean = data.means[:, j]
        # exact admissible interval for the apex offset rho: a = mean − rho v
        proj = gram(G, v, P - mean.reshape(-1, 1))  # ⟨v, x − x̄_j⟩_G, (N,)
        inside = cls == j
        lo = max((-proj[inside] / h2).tolist())
        hi_vals = (-proj[~inside] / h2).tolist()
        hi = min(hi_vals)
        rho = _rat((delta + eps) / geo.h[j], 1000)
        if not lo < rho < hi:
            rho = _simple_between(lo, hi)
        if not lo < rho < hi:
            raise ValueError(f"X: class {data.classes[j]!r} is not separated from the other "
                             "points along its mean normal")
        a = mean - rho * v
        if t_list[step] is None:
            R = float(np.sqrt(np.asarray(_gram_cols(G, P[:, ~inside] - a.reshape(-1, 1)),
                                         dtype=float)).max())
            t_def = 2 * eps / R if R > 0 else 1.0
            if delta > 0:
                t_def = min(eps / delta, t_def)
            t_target = _rat(t_def * geo.h[j], 1000)
        else:
            t_target = to_fraction(t_list[step], "t")
        W, b, tj, tmax = exact_truncation_layer(v, a, P, inside, G, t_target)
        if t_list[step] is not None and tj != t_target:
            raise ValueError(f"t: layer {step + 1} needs 0 < t <= {float(tmax):.6g} (exact "
                             f"bound in the unnormalised scale), got {t_list[step]}")
        Pn = truncate(W, b, P)
        _verify_step(Pn, P, a, inside, data.classes[j])
        P = Pn
        cum.append((W, b))
        apexes[:, j] = a
        ts.append(tj)
        rhos.append(rho)
    layers, output, A, c = assemble(data, cum, apexes, L)
    cost, cost_ex = network_cost(layers, output, data)
    cond = conditions(padded(cum, L))
    return MinimizerResult(cost=cost, cost_exact=cost_ex, kappa=geo.kappa, condition=cond,
                           layers=layers, output=output, exact=True, classes=data.classes,
                           order=order, apexes=apexes, cumulative=padded(cum, L), A=A, c=c,
                           eps=eps, t=ts, rho=rhos, data=data, geometry=geo)


def _simple_between(lo: Fraction, hi: Fraction) -> Fraction:
    """A rational with a small denominator strictly between lo < hi."""
    mid = (lo + hi) / 2
    for den in (10, 100, 1000, 10 ** 4, 10 ** 6):
        q = mid.limit_denominator(den)
        if lo < q < hi:
            return q
    return mid


def _gram_cols(G, D):
    return (D * D).sum(axis=0) if G is None else (D * (G @ D)).sum(axis=0)


def _verify_step(Pn, P, a, inside, name):
    """Exact check of the step: class collapsed onto a (T4), all other points fixed (T3)."""
    if not (Pn[:, inside] == a.reshape(-1, 1)).all():
        raise ArithmeticError(f"internal: class {name!r} not collapsed onto its apex")
    if not (Pn[:, ~inside] == P[:, ~inside]).all():
        raise ArithmeticError(f"internal: truncation of class {name!r} moved other points")
