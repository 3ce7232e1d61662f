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

>>> import numpy as np
>>> X = np.array([[0, 0, 0.1], [0.1, 0, 0], [2, 0, 0], [2, 0.1, 0], [0, 2, 0], [0, 2, 0.1]])
>>> res = construct_minimizer(X, [0, 0, 1, 1, 2, 2], layers=3, exact=True)
>>> res.cost_exact, round(res.kappa, 4)
(Fraction(0, 1), 0.0506)
"""
from __future__ import annotations

import json
import math
import operator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Optional

import numpy as np

from ..numbers import (FLOAT_MAX, as_array, as_exact_array, as_float_array, describe,
                       exact_inv, exact_rank, fraction_str, is_exact, to_float,
                       to_fraction)
from .truncation import forward, inverse, layers_from_cumulative, truncate

__all__ = ["construct_minimizer", "MinimizerResult", "ClusterData", "prepare_data",
           "cluster_geometry", "network_cost", "assemble", "estimate_bytes", "label_str"]

KAPPA_THRESHOLD = 0.5
DEFAULT_MAX_BYTES = 2 ** 31


def label_str(c, quote: bool = False) -> str:
    """A class label as people write it: ``2`` (not ``Fraction(2, 1)`` or ``2.0``), ``1/3``,
    ``cat`` (``'cat'`` with ``quote=True``, as in error messages).

    >>> label_str(Fraction(2, 1)), label_str(2.0), label_str("cat"), label_str("cat", True)
    ('2', '2', 'cat', "'cat'")
    """
    if isinstance(c, str):
        return repr(c) if quote else c
    return describe(c)


def exact_input(*arrays) -> bool:
    """True if any of ``arrays`` (None skipped) holds exact values (Fraction, sympy Rational,
    fmpq, or an object array of them): exact inputs give exact outputs (DESIGN)."""
    return any(a is not None and is_exact(a) for a in arrays)


def _check_scale(arr, name, count):
    """ValueError if |entries| are so large that sums of ``count`` squared differences
    overflow the floats used for κ, h_j, δ and condition numbers."""
    if arr.size == 0:
        return
    big = max(abs(float(v)) for v in arr.flat) if arr.dtype == object else \
        float(np.abs(arr).max())
    limit = math.sqrt(FLOAT_MAX / (16 * max(int(count), 1)))
    if big > limit:
        raise ValueError(f"{name}: entries up to {big:.3g} in magnitude overflow the "
                         f"floating-point diagnostics (kappa, h_j, delta: squared distances); "
                         f"expected |entries| <= {limit:.3g} — rescale the data (the "
                         "construction is scale-invariant)")


# ----------------------------------------------------------------------------- data

@dataclass
class ClusterData:
    """Validated clustered data in the construction coordinates.

    ``Z`` (Q, N): points as columns in ℝ^Q (after projection when M ≠ Q); ``cls`` (N,) class
    index 0..Q−1; ``G`` (Q, Q) Gram matrix of the coordinates (None = Euclidean);
    ``proj`` = (C, c0) with z = C x + c0, or None when M = Q; ``Y`` (P, Q); ``c_N``.
    """
    X: np.ndarray
    Z: np.ndarray
    cls: np.ndarray
    classes: list
    Q: int
    N: int
    M: int
    exact: bool
    G: Optional[np.ndarray]
    proj: Optional[tuple]
    Y: np.ndarray
    c_N: Any
    counts: np.ndarray
    means: np.ndarray = field(default=None)  # (Q, Q) columns = class means in z coordinates


def _labels_to_classes(labels, N, classes=None):
    if np.ndim(labels) != 1:
        raise ValueError(f"labels: expected a 1-D array of N = {N} labels, got shape "
                         f"{np.shape(labels)}")
    lab = np.asarray(labels, dtype=object) if not isinstance(labels, np.ndarray) else labels
    if lab.shape[0] != N:
        raise ValueError(f"labels: expected one label per row of X ({N} rows), got {lab.shape[0]}")
    _check_labels(lab.tolist())
    try:
        found = sorted(set(lab.tolist()))
    except TypeError:
        raise TypeError("labels: labels must be mutually comparable (e.g. all numbers or all "
                        "strings)") from None
    if classes is None:
        classes = found
    else:
        classes = list(classes)
        missing = [c for c in classes if c not in set(found)]
        if missing:
            raise ValueError(f"labels: class {label_str(missing[0], True)} has no points "
                             "(expected at least one sample per class)")
        extra = [c for c in found if c not in set(classes)]
        if extra:
            raise ValueError(f"labels: label {label_str(extra[0], True)} is not among "
                             f"classes=[{', '.join(label_str(c, True) for c in classes)}]")
    index = {c: j for j, c in enumerate(classes)}
    cls = np.array([index[v] for v in lab.tolist()], dtype=np.int64)
    return cls, classes


def _check_labels(values):
    """NaN/inf/None labels are refused (a NaN would silently become a class of its own)."""
    for i, v in enumerate(values):
        if v is None:
            raise ValueError(f"labels: entry {i} is None; expected a class label (a number "
                             "or a string)")
        if isinstance(v, (float, np.floating)) and not math.isfinite(v):
            raise ValueError(f"labels: entry {i} is {float(v)!r}; expected a finite number "
                             "or a string as class label")


def prepare_data(X, labels, Y=None, exact=False, classes=None, c_N=None) -> ClusterData:
    """Validate (X, labels, Y) and map the data to construction coordinates (module doc)."""
    Xa, is_ex = as_array(X, "X")
    if exact and not is_ex:
        Xa = as_exact_array(Xa, "X")
    elif not exact and is_ex:
        Xa = as_float_array(Xa, "X")        # ValueError (not OverflowError) beyond 1.8e308
    if Xa.ndim != 2 or Xa.shape[0] < 1:
        raise ValueError(f"X: expected a 2-D array (N, M) with rows as samples, got shape "
                         f"{Xa.shape}")
    N, M = Xa.shape
    if exact:
        as_float_array(Xa, "X")             # the float diagnostics need finite floats
    _check_scale(Xa, "X", M)
    cls, classes = _labels_to_classes(labels, N, classes)
    Q = len(classes)
    if Q < 2:
        raise ValueError(f"labels: expected at least 2 classes, got {Q}")
    if M < Q - 1:
        raise ValueError(f"X: {Q} class means in R^{M} cannot be affinely independent; "
                         f"expected M >= Q - 1 = {Q - 1} features")
    counts = np.bincount(cls, minlength=Q)
    Xc = Xa.T  # (M, N)
    one = Fraction(1) if exact else 1.0
    zero = Fraction(0) if exact else 0.0
    means_in = np.empty((M, Q), dtype=object if exact else float)
    for j in range(Q):
        cols = Xc[:, cls == j]
        means_in[:, j] = cols.sum(axis=1) / (Fraction(int(counts[j])) if exact else counts[j])
    # affine independence of the means (in R^M)
    Bm = means_in[:, 1:] - means_in[:, :1]
    if exact:
        rank = exact_rank(Bm.T) if Q > 1 else 0
    else:
        scale = max(1.0, float(np.abs(means_in).max()))
        rank = int(np.linalg.matrix_rank(Bm.astype(float), tol=1e-10 * scale)) if Q > 1 else 0
    if rank < Q - 1:
        for j in range(Q):
            for k in range(j):
                if all(means_in[:, j] == means_in[:, k]):
                    raise ValueError(f"X: classes {label_str(classes[k], True)} and "
                                     f"{label_str(classes[j], True)} have "
                                     "coincident means; the construction needs affinely "
                                     "independent class means")
        raise ValueError(f"X: the {Q} class means are affinely dependent (their differences "
                         f"have rank {rank} < {Q - 1}); the construction needs affinely "
                         "independent class means")
    G = None
    proj = None
    if M == Q:
        Z = Xc.copy()
    else:
        if exact:
            BtB = Bm.T @ Bm
            Cq = exact_inv(BtB) @ Bm.T          # (Q-1, M)
            C = np.vstack([Cq, np.full((1, M), zero, dtype=object)])
            G = np.full((Q, Q), zero, dtype=object)
            G[:Q - 1, :Q - 1] = BtB
            G[Q - 1, Q - 1] = one
        else:
            U, _ = np.linalg.qr(Bm.astype(float))  # orthonormal basis of the hull directions
            C = np.vstack([U.T, np.zeros((1, M))])
        c0 = -(C @ means_in[:, 0])
        proj = (C, c0)
        Z = C @ Xc + c0.reshape(-1, 1)
    if Y is None:
        Ya = np.empty((Q, Q), dtype=object if exact else float)
        for i in range(Q):
            for k in range(Q):
                Ya[i, k] = one if i == k else zero
    else:
        Ya, y_ex = as_array(Y, "Y")
        if exact and not y_ex:
            Ya = as_exact_array(Ya, "Y")
        elif not exact and y_ex:
            Ya = as_float_array(Ya, "Y")
        if exact:
            as_float_array(Ya, "Y")
        _check_scale(Ya, "Y", N * max(Ya.size, 1))
        if Ya.ndim == 1 and Ya.shape[0] == Q:  # one scalar target per class: P = 1
            Ya = Ya.reshape(1, Q)
        if Ya.ndim != 2 or Ya.shape[1] != Q:
            raise ValueError(f"Y: expected shape (P, Q) = (P, {Q}), column j the target of "
                             f"class {label_str(classes[0], True)}, ... (sorted labels), got "
                             f"shape {Ya.shape}")
    if c_N is None:
        c_N = Fraction(1, 2 * N) if exact else 1.0 / (2 * N)
    else:
        q = to_fraction(c_N, "c_N")
        if not q > 0:
            raise ValueError(f"c_N: expected a number > 0 (the cost weight), got {describe(c_N)}")
        c_N = q if exact else to_float(q, "c_N")
    data = ClusterData(X=Xa, Z=Z, cls=cls, classes=classes, Q=Q, N=N, M=M, exact=exact, G=G,
                       proj=proj, Y=Ya, c_N=c_N, counts=counts)
    data.means = _class_means(Z, cls, Q, counts, exact)
    return data


def _class_means(Z, cls, Q, counts, exact):
    means = np.empty((Z.shape[0], Q), dtype=object if exact else float)
    for j in range(Q):
        means[:, j] = Z[:, cls == j].sum(axis=1) / (Fraction(int(counts[j])) if exact
                                                       else counts[j])
    return means


def _gram(G, u, w):
    """⟨u, w⟩_G for columns (vectorised over trailing axes)."""
    return u.T @ w if G is None else u.T @ (G @ w)


def _normal(means, j, G, exact):
    """Unnormalised v_j = x̄_j − Π_j x̄_j (Π_j: G-orthogonal projection onto aff{x̄_k, k≠j})."""
    Q = means.shape[1]
    others = [k for k in range(Q) if k != j]
    r = others[0]
    base = means[:, r]
    diff = means[:, j] - base
    if len(others) == 1:
        return diff
    D = np.stack([means[:, k] - base for k in others[1:]], axis=1)
    GD = D if G is None else G @ D
    lhs = D.T @ GD
    rhs = GD.T @ diff
    lam = (exact_inv(lhs) @ rhs) if exact else np.linalg.solve(lhs, rhs)
    return diff - D @ lam


@dataclass
class Geometry:
    """Clustering geometry (THEORY §4.1), in construction coordinates.

    ``v`` (Q, Q): column j the unnormalised normal x̄_j − Π_jx̄_j; ``h2`` exact/float h_j²;
    ``h`` floats; ``delta`` float δ (``delta2`` its square, exact in exact mode);
    ``kappa`` = δ / min h; ``delta_class`` the class attaining δ; ``hmin_class``.
    """
    v: np.ndarray
    h2: list
    h: np.ndarray
    delta2: Any
    delta: float
    kappa: float
    delta_class: int
    hmin_class: int


def cluster_geometry(data: ClusterData) -> Geometry:
    """δ, h_j, κ and the normals v_j for prepared data (module doc)."""
    Q, G, ex = data.Q, data.G, data.exact
    vs = np.empty((Q, Q), dtype=object if ex else float)
    h2 = []
    for j in range(Q):
        v = _normal(data.means, j, G, ex)
        vs[:, j] = v
        h2.append(_gram(G, v, v))
    dev = data.Z - data.means[:, data.cls]
    if G is None:
        d2 = (dev * dev).sum(axis=0)
    else:
        d2 = (dev * (G @ dev)).sum(axis=0)
    i = int(np.argmax(np.asarray(d2, dtype=float)))
    delta2 = d2[i]
    if ex:  # exact max
        delta2 = max(d2.tolist())
        i = int(d2.tolist().index(delta2))
    delta = math.sqrt(float(delta2))
    h = np.sqrt(np.array([float(x) for x in h2]))
    jmin = int(np.argmin(h))
    kappa = float(delta / h[jmin])
    return Geometry(v=vs, h2=h2, h=h, delta2=delta2, delta=delta, kappa=kappa,
                    delta_class=int(data.cls[i]), hmin_class=jmin)


# --------------------------------------------------------------------------- result

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

    def predict(self, X):
        """F(x) for rows of X (N, M) → (N, P)."""
        Xa, ex = as_array(X, "X")
        if self.exact and not ex:
            Xa = as_exact_array(Xa)
        return forward(self.layers, self.output, Xa.T).T

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
    """(cost float, cost exact or None) by a forward pass over all samples of ``data``."""
    F = forward(layers, output, data.X.T)
    R = F - data.Y[:, data.cls]
    if data.exact:
        s = (R * R).sum()
        s = Fraction(s) if not isinstance(s, Fraction) else s
        ce = data.c_N * s
        return float(ce), ce
    return float(data.c_N * float((R * R).sum())), None


# ---------------------------------------------------------------------- construction

def _ones(Q, exact):
    return np.array([Fraction(1)] * Q, dtype=object) if exact else np.ones(Q)


def _eye(Q, exact):
    if not exact:
        return np.eye(Q)
    E = np.full((Q, Q), Fraction(0), dtype=object)
    for i in range(Q):
        E[i, i] = Fraction(1)
    return E


def _float_frame(v):
    """Rows s_k = √(Q/(Q−1))·H(e_k − 𝟙/Q): a regular simplex in v^⊥ (THEORY §4.4 step 3)."""
    Q = v.shape[0]
    omega = np.ones(Q) / math.sqrt(Q) - v
    nrm = omega @ omega
    H = np.eye(Q) if nrm < 1e-300 else np.eye(Q) - 2.0 * np.outer(omega, omega) / nrm
    return math.sqrt(Q / (Q - 1)) * (np.eye(Q) - 1.0 / Q) @ H


def _rat(x: float, max_den: int = 10 ** 6) -> Fraction:
    return Fraction(x).limit_denominator(max_den)


def exact_truncation_layer(v, a, P, in_class, G=None, t_target=None, frame=None):
    """Exact cumulative (W, b) truncating the columns ``P[:, in_class]`` to the apex ``a`` and
    fixing the others; rows w_k = (−v + tσ_kP_ve_k)ᵀG (THEORY §4.4 exact variant, in the
    metric G; ``frame`` (Q, Q) replaces the rows σ_k(P_ve_k)ᵀ, rows in v^⊥). Returns
    (W, b, t, t_max); t = t_target halved until t ≤ t_max, where (0, t_max] is the exact
    admissible interval. ValueError if no t > 0 works.
    """
    Q = v.shape[0]
    Gm = _eye(Q, True) if G is None else G
    Gv = Gm @ v
    hh = v @ Gv
    if frame is None:
        # P_v = I − v vᵀG/h²;  P_vᵀ G = G − Gv vᵀG/h²  (symmetric G)
        sigma = np.array([Fraction(1) if x >= 0 else Fraction(-1) for x in v], dtype=object)
        FG = sigma.reshape(-1, 1) * (Gm - np.outer(Gv, Gv) / hh)
    else:
        FG = frame @ Gm
    Dx = P - a.reshape(-1, 1)
    alpha = -(Gv @ Dx)                     # (N,)
    beta = FG @ Dx                          # (Q, N)
    t_max = None
    al = alpha.tolist()
    for col in range(Dx.shape[1]):
        al_c = al[col]
        inside = bool(in_class[col])
        if inside and al_c > 0 or (not inside and al_c < 0):
            raise ValueError("the separating direction puts a point on the wrong side of the apex")
        for k in range(Q):
            bk = beta[k, col]
            if inside and bk > 0:
                bound = -al_c / bk
            elif not inside and bk < 0:
                bound = al_c / (-bk)
            else:
                continue
            if t_max is None or bound < t_max:
                t_max = bound
    if t_max is not None and t_max <= 0:
        raise ValueError("no admissible cone parameter t > 0 (a point lies on the apex "
                         "hyperplane)")
    t = t_target if t_target is not None else Fraction(1)
    while t_max is not None and t > t_max:  # THEORY 4.4: halve t until every sign holds
        t /= 2
    W = -np.outer(_ones(Q, True), Gv) + t * FG
    b = -(W @ a)
    return W, b, t, t_max


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
        from ..numbers import from_fmpq_mat, to_fmpq_mat
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
    _check_max_bytes(max_bytes)
    if method not in ("kappa", "lp"):
        raise ValueError(f"method: expected 'kappa' or 'lp', got {method!r}")
    exact = bool(exact) or exact_input(X, Y)          # exact inputs → exact outputs
    data = prepare_data(X, labels, Y=Y, exact=exact, classes=classes, c_N=c_N)
    Q = data.Q
    if layers < Q:
        raise ValueError(f"layers: the construction needs L >= Q = {Q} hidden layers (one "
                         f"truncation per class), got {layers}")
    _guard_layers(data, int(layers), exact or method == "lp", max_bytes)
    order_arg = order
    if order is None:
        order = list(range(Q))
    else:
        order = _check_order(order, Q)
    if method == "lp":
        from .separability import construct_by_separability
        return construct_by_separability(data, layers=layers,
                                         order=None if order_arg is None else order)
    geo = cluster_geometry(data)
    kappa_input = _input_kappa(data) if data.proj is not None else None
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


def _check_max_bytes(max_bytes):
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, (int, np.integer, float)):
        raise TypeError(f"max_bytes: expected a number of bytes, got {max_bytes!r}")
    if not (math.isfinite(max_bytes) and max_bytes > 0):
        raise ValueError(f"max_bytes: expected a number of bytes > 0, got {max_bytes!r}")


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


def _guard_layers(data: ClusterData, layers: int, exact: bool, max_bytes,
                  name: str = "layers") -> None:
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


def _input_kappa(data: ClusterData) -> float:
    """κ in the input space ℝ^M (before projection), float."""
    Xf = np.asarray(data.X, dtype=float).T
    Q = data.Q
    means = np.stack([Xf[:, data.cls == j].mean(axis=1) for j in range(Q)], axis=1)
    delta = float(np.sqrt(((Xf - means[:, data.cls]) ** 2).sum(axis=0)).max())
    hs = [float(np.linalg.norm(_normal(means, j, None, False))) for j in range(Q)]
    return delta / min(hs)


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
    cond = conditions(_padded(cum, L))
    return MinimizerResult(cost=cost, cost_exact=None, kappa=geo.kappa, condition=cond,
                           layers=layers, output=output, exact=False, classes=data.classes,
                           order=order, apexes=apexes, cumulative=_padded(cum, L), A=A, c=c,
                           eps=eps, t=ts, data=data, geometry=geo)


def conditions(cum) -> list:
    """cond₂ of each cumulative W^{(ℓ)}; a repeated (padding) matrix is computed once."""
    out, last_W, last_c = [], None, None
    for W, _ in cum:
        if W is not last_W:
            last_W, last_c = W, float(np.linalg.cond(np.asarray(W, dtype=float)))
        out.append(last_c)
    return out


def _padded(cum, L):
    cum = list(cum)
    while len(cum) < L:
        cum.append(cum[-1])
    return cum


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
        proj = _gram(G, v, P - mean.reshape(-1, 1))  # ⟨v, x − x̄_j⟩_G, (N,)
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
    cond = conditions(_padded(cum, L))
    return MinimizerResult(cost=cost, cost_exact=cost_ex, kappa=geo.kappa, condition=cond,
                           layers=layers, output=output, exact=True, classes=data.classes,
                           order=order, apexes=apexes, cumulative=_padded(cum, L), A=A, c=c,
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
