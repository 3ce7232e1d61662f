"""Shallow relations (THEORY §4.7): the mean-fitting bound U, the exact linear minimum m and
their gap, in the linear (no intercept) and affine versions. Requires M = Q.

Linear: X̄ = [x̄_1 ⋯ x̄_Q] invertible, D = diag(N_j), S_w the within-class scatter,
K = X̄⁻¹S_wX̄^{−T}; U = c_N·Tr(YKYᵀ) (cost of A = YX̄⁻¹, realised by a one-hidden-layer ReLU
network with large biases), m = c_N·Tr(Y(K − K(K + D)⁻¹K)Yᵀ) = c_N·Tr(Y(D⁻¹ + K⁻¹)⁻¹Yᵀ),
U − m = c_N·Tr(YK(K + D)⁻¹KYᵀ); the relative gap (U − m)/U is O(δ²) (proof).
Affine: mean-fitting family [A | c] = YZ̄⁺ + μnᵀ; the μ = 0 member, the best member
A_0 + μ*νᵀ (μ* = −A_0S_wν/(νᵀS_wν)) and C_aff; the best member's relative gap scaling like δ²
is evidence only (THEORY §4.7).

Exact inputs give exact values (Fractions) for every quantity except ratios with δ (floats).

>>> import numpy as np
>>> from fractions import Fraction as F
>>> X = np.array([[F(2), F(0)], [F(21, 10), F(1, 10)], [F(0), F(2)], [F(1, 10), F(19, 10)]])
>>> r = shallow_relations(X, [0, 0, 1, 1], exact=True)
>>> r["U"] - r["m"] == r["gap_formula"], r["m"] == r["m_direct"]
(True, True)
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..numbers import backend
from .clusters import exact_input, prepare_data
from .local import affine_least_squares, class_statistics
from .result import left_null_vector, network_cost

__all__ = ["shallow_relations", "mean_fitting_network"]


def _inv(a, ex):
    return backend(ex).inv(a)


def _tr(a):
    return np.trace(a)


def mean_fitting_network(A, c, X, exact):
    """One hidden layer: W_1 = I, b_1 = η𝟙 (η makes every pre-activation positive), output
    W_2 = A, b_2 = c − Aη𝟙 — so F(x) = Ax + c on the data. Returns (layers, output)."""
    Q = A.shape[1]
    mn = min(float(np.asarray(X, dtype=float).min()), 0.0)
    eta = Fraction(int(np.ceil(-mn)) + 1) if exact else float(np.ceil(-mn) + 1)
    one, zero = (Fraction(1), Fraction(0)) if exact else (1.0, 0.0)
    I = np.full((Q, Q), zero, dtype=object if exact else float)
    for i in range(Q):
        I[i, i] = one
    b1 = np.array([eta] * Q, dtype=object if exact else float)
    return [(I, b1)], (A, c - A @ b1)


def shallow_relations(X, labels, Y=None, exact=False, c_N=None) -> dict:
    """The §4.7 quantities for data X (N, Q), labels (N,), targets Y (P, Q) (module doc).

    Keys — linear: ``U`` (and ``U_network``, the forward-pass cost of the realising network),
    ``m`` (formula), ``m_direct`` (least squares over all samples), ``m_alt`` (the
    (D⁻¹ + K⁻¹)⁻¹ form, None if S_w is singular), ``gap`` = U − m, ``gap_formula``,
    ``rel_gap`` = gap/U; affine: ``U_aff0`` (μ = 0), ``U_aff_best``, ``C_aff``,
    ``gap_aff0``, ``gap_aff_best``; and ``delta2`` (δ²) with the ratios ``*_over_delta2``.
    Exact inputs give exact outputs (``exact`` is then switched on).
    """
    exact = bool(exact) or exact_input(X, Y)
    data = prepare_data(X, labels, Y=Y, exact=exact, c_N=c_N)
    ex = data.exact
    Q, M = data.Q, data.M
    if M != Q:
        raise ValueError(f"X: the shallow relations need M = Q = {Q} features, got M = {M}")
    Zb, counts, Sw = class_statistics(data)
    Xb = Zb[:Q]
    Yc = data.Y
    cN = data.c_N
    if ex:
        D = np.diag([Fraction(int(n)) for n in counts]).astype(object)
        D[D == 0] = Fraction(0)
    else:
        D = np.diag(counts.astype(float))
    try:
        Xbi = _inv(Xb, ex)
    except (ValueError, np.linalg.LinAlgError):
        raise ValueError("X: the class means are linearly dependent; the linear version needs "
                         "an invertible X̄ = [x̄_1 ⋯ x̄_Q]") from None
    K = Xbi @ Sw @ Xbi.T
    A = Yc @ Xbi
    U = cN * _tr(Yc @ K @ Yc.T)
    KD = _inv(K + D, ex)
    m = cN * _tr(Yc @ (K - K @ KD @ K) @ Yc.T)
    gap_formula = cN * _tr(Yc @ K @ KD @ K @ Yc.T)
    try:
        m_alt = cN * _tr(Yc @ _inv(_inv(D, ex) + _inv(K, ex), ex) @ Yc.T)
    except (ValueError, np.linalg.LinAlgError):
        m_alt = None
    # direct least squares without intercept over all samples
    Xt = data.X.T
    T = Yc[:, data.cls]
    Gm = Xt @ Xt.T
    Amin = T @ Xt.T @ _inv(Gm, ex)
    R = Amin @ Xt - T
    m_direct = cN * (R * R).sum()
    zero = Fraction(0) if ex else 0.0
    lay, out = mean_fitting_network(A, np.array([zero] * Yc.shape[0], dtype=A.dtype), data.X, ex)
    U_net = network_cost(lay, out, data)[1 if ex else 0]
    # affine version
    Zp = _inv(Zb.T @ Zb, ex) @ Zb.T
    Ac0 = Yc @ Zp
    A0 = Ac0[:, :Q]
    n = left_null_vector(Zb)
    nu = n[:Q]
    U_aff0 = cN * _tr(A0 @ Sw @ A0.T)
    den = nu @ Sw @ nu
    if den != 0:
        mu = -(A0 @ Sw @ nu) / den
        Ab = A0 + np.outer(mu, nu)
    else:
        Ab = A0
    U_aff_best = cN * _tr(Ab @ Sw @ Ab.T)
    C_aff = affine_least_squares(data.X, [data.classes[c] for c in data.cls], Y=Yc,
                                 exact=ex, c_N=cN)["direct"]
    dev = Xt - Xb[:, data.cls]
    d2 = (dev * dev).sum(axis=0)
    delta2 = max(d2.tolist())
    out = {"U": U, "U_network": U_net, "m": m, "m_direct": m_direct, "m_alt": m_alt,
           "gap": U - m, "gap_formula": gap_formula,
           "rel_gap": (U - m) / U if U != 0 else None,
           "U_aff0": U_aff0, "U_aff_best": U_aff_best, "C_aff": C_aff,
           "gap_aff0": U_aff0 - C_aff, "gap_aff_best": U_aff_best - C_aff,
           "delta2": delta2}
    d2f = float(delta2)
    for key in ("gap", "rel_gap", "gap_aff0", "gap_aff_best"):
        out[f"{key}_over_delta2"] = (float(out[key]) / d2f if d2f > 0 and out[key] is not None
                                     else None)
    out["rel_gap_aff_best"] = float(out["gap_aff_best"]) / float(U_aff_best) \
        if U_aff_best != 0 else None
    out["rel_gap_aff0"] = float(out["gap_aff0"]) / float(U_aff0) if U_aff0 != 0 else None
    return out
