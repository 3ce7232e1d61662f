"""Clustered data and its geometry (THEORY §4.1): validation, construction coordinates, δ, h_j, κ.

:func:`prepare_data` validates (X, labels, Y) and maps the samples to the coordinates the
construction works in — ℝ^Q itself when M = Q, otherwise the orthogonal projection onto the
affine hull of the class means (rational Gram matrix G in exact mode) — as a
:class:`ClusterData`. :func:`cluster_geometry` computes the clustering geometry there: the
normals v_j = x̄_j − Π_jx̄_j, their lengths h_j, the largest deviation δ from a class mean and
κ = δ/min_j h_j (:class:`Geometry`). Shapes: X (N, M) rows are samples; labels (N,) any
sortable values (class j = j-th sorted label); Y (P, Q), column j the target of class j.

>>> from exactgeo.numbers import as_exact_array
>>> X = as_exact_array([[0, 0], [1, 0], [20, 0], [20, 1]])
>>> data = prepare_data(X, ["a", "a", "b", "b"], exact=True)
>>> data.Q, data.classes, data.counts.tolist(), data.proj is None
(2, ['a', 'b'], [2, 2], True)
>>> geo = cluster_geometry(data)
>>> geo.delta2, geo.h2, round(geo.kappa, 4)
(Fraction(1, 4), [Fraction(761, 2), Fraction(761, 2)], 0.0256)
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Optional

import numpy as np

from ..numbers import (FLOAT_MAX, as_array, as_exact_array, as_float_array, describe,
                       backend, exact_inv, exact_rank, is_exact, to_float, to_fraction)

__all__ = ["ClusterData", "prepare_data", "Geometry", "cluster_geometry", "input_kappa",
           "gram", "label_str", "exact_input"]


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


def gram(G, u, w):
    """⟨u, w⟩_G = uᵀGw for columns (vectorised over trailing axes); G None = Euclidean."""
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
    lam = backend(exact).solve(lhs, rhs)
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
        h2.append(gram(G, v, v))
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


def input_kappa(data: ClusterData) -> float:
    """κ = δ/min_j h_j in the input space ℝ^M (before any projection), float."""
    Xf = np.asarray(data.X, dtype=float).T
    Q = data.Q
    means = np.stack([Xf[:, data.cls == j].mean(axis=1) for j in range(Q)], axis=1)
    delta = float(np.sqrt(((Xf - means[:, data.cls]) ** 2).sum(axis=0)).max())
    hs = [float(np.linalg.norm(_normal(means, j, None, False))) for j in range(Q)]
    return delta / min(hs)
