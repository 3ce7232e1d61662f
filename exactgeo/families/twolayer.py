"""Two-layer ReLU / absolute-value neuron families (THEORY §2).

One class, :class:`TwoLayerFamily`, covers both activations, both penalties
(ℓ1 or ℓ2 on the inner weights) and both bias settings. Its finite dictionary
(THEORY §2.3) is built from generalized cross products of *pool* vectors:

========  ========================  ==========================================
bias      pool                      atoms
========  ========================  ==========================================
no        x_i (+ e_k if axes)       ±×(V), V = d−1 pool vectors: W2, W1, W1+
yes       (x_i, 1) (+ (e_k, 0))     ±×(Q̃), Q̃ = d pool vectors, ≥ 1 sample:
                                    T (no axes) or B1+ (axes; in 2-D this is T
                                    plus the axis-parallel lines through samples)
========  ========================  ==========================================

In d = 1 with bias this is R (ramps (x − x_j)_+, (x_j − x)_+; |x − x_j| for abs).
Defaults: ``axes=True`` for ℓ1 (W1+ / B1+, the exact dictionaries), ``axes=False``
for ℓ2 (W2 / T). In d ≥ 3 ``axes=True`` with bias takes every pool subset with
at least one sample (B1+), for both penalties.

Signs. For relu both ±×(V) are atoms (order: +, − per subset). For abs,
φ(−u, −c) = |−(uᵀx + c)| = φ(u, c), so the two signs give the same column and only
+×(V) is kept; the Lasso coefficient z ∈ ℝ supplies the sign.

Zero and duplicate columns. A subset whose cross product has w = 0 (dependent
vectors) or whose feature vanishes on every sample is *zero*; a column equal to an
earlier kept column is a *duplicate*. Both are dropped and counted (``n_zero``,
``n_duplicate``); order is deterministic (lexicographic subsets of the pool, samples
before axes). Duplicates are the same feature vector (not modulo constants).
Exact mode compares exactly inside float hash buckets (key: the column relative to
its largest entry rounded to 1e−10, and that entry to 10 digits); float mode merges
columns with the same key (so columns equal to ~1e−10 relative count as duplicates).
Float tolerances are relative, so the float dictionary of X·s has the same columns
(times s) for every scale s > 0 and its zero columns do not depend on the scale of
single features: cross products are taken with each feature scaled by a power of two
(w = 0 when ‖w‖ ≤ 1e−12 × the Hadamard bound), and a pre-activation is zeroed when
|wᵀx_i + b| ≤ 1e−13 (Σ_j|x_ij w_j| + |b|), its own rounding scale.

Exactness. Exact data (Fractions) gives exact columns, stored as integers (see
:class:`~exactgeo.families.base.Dictionary`). ℓ1 columns are rational; exact ℓ2 atoms
keep the primitive integer (w, b) and ``norm_sq`` = ‖w‖², the column being
σ(Xw + b)/√norm_sq.

>>> from fractions import Fraction as F
>>> fam = TwoLayerFamily("relu", "l2", bias=False)
>>> D = fam.dictionary([[F(1), F(0)], [F(0), F(1)]], exact=True)     # THEORY G1
>>> [[int(v) for v in a.u] for a in D.atoms], [a.points for a in D.atoms], D.n_zero
([[0, 1], [1, 0]], [(0,), (1,)], 2)
"""
from __future__ import annotations

from fractions import Fraction
from math import gcd
from collections.abc import Sequence

import numpy as np

from ..ga import cross, cross_int
from ..numbers import (as_array, as_exact_array, check_max_bytes, integer_scale,
                       is_exact_scalar, primitive, sigma, to_fraction)
from .subsets import combos_array, combos_chunks, n_combos
from .registry import register
from .base import (Atom, Dictionary, Family, LazyAtoms, Pricing, check_residual,
                   ratio_to_float)

_EXACT_BYTES = 56     # estimated bytes per exact matrix entry (Python int + pointer)
_FLOAT_WORK = 4       # float work arrays of the dictionary's size during a build


class CandidateBlock:
    """Candidate hyperplanes of a block of pool subsets (before σ, signs and filtering),
    as built by :meth:`TwoLayerFamily.candidates` / :meth:`~TwoLayerFamily.candidate_blocks`.

    ``C`` (m, k) the pool subsets (indices < n are samples, n + a is axis e_a);
    ``W`` (m, dim) their hyperplanes (w, b) — exact: primitive integers (object array of
    Python ints), float: unit ‖w‖ in the family's norm; ``deg`` (m,) bool, w = 0;
    ``Z`` (n, m) the pre-activations (exact: D·(Xw + b), int64 when provably in
    range, else Python ints; None when not requested); ``norm`` (m,) exact ‖w‖₁ or
    ‖w‖₂² (None for floats); ``D`` the common denominator of exact X; ``n``, ``d``,
    ``exact``; ``prep`` the pool (``prep.pool`` (n + axes, dim): samples, augmented by
    D (exact) or 1 with bias, then the axes).
    """

    def __init__(self, **kw):
        self.__dict__.update(kw)


def _check_X(X, name="X"):
    arr, exact = as_array(X, name)
    if arr.ndim != 2:
        raise ValueError(f"{name}: expected a 2-D array of shape (n, d) (rows are samples), "
                         f"got shape {arr.shape}")
    if arr.shape[0] < 1 or arr.shape[1] < 1:
        raise ValueError(f"{name}: expected at least one sample and one feature, "
                         f"got shape {arr.shape}")
    return arr, exact


class TwoLayerFamily(Family):
    """Two-layer networks f(x) = ξ + Σ_j α_j σ(w_jᵀx + b_j) (THEORY §2.1).

    Parameters: ``activation`` "relu" | "abs"; ``reg`` "l1" | "l2" (penalty on the
    inner weights); ``bias`` (neuron biases + free intercept ξ); ``axes`` (add the
    standard basis to the pool; default True for ℓ1, False for ℓ2).
    """

    depth = 2

    def __init__(self, activation: str = "relu", reg: str = "l1", bias: bool = True,
                 axes=None):
        if activation not in ("relu", "abs"):
            raise ValueError(f"model: expected 'relu' or 'abs', got {activation!r}")
        if reg not in ("l1", "l2"):
            raise ValueError(f"reg: expected 'l1' or 'l2', got {reg!r}")
        self.activation = activation
        self.reg = reg
        self.bias = bool(bias)
        self.axes = (reg == "l1") if axes is None else bool(axes)
        self._cache = {}

    def __repr__(self):
        return (f"TwoLayerFamily({self.activation!r}, {self.reg!r}, bias={self.bias}, "
                f"axes={self.axes})")

    @property
    def dictionary_name(self) -> str:
        if self.bias:
            return "B1+" if (self.axes and self.reg == "l1") else ("T+axes" if self.axes else "T")
        if self.reg == "l2":
            return "W2+axes" if self.axes else "W2"
        return "W1+" if self.axes else "W1"

    def exact_dictionary(self, d: int) -> bool:
        """Is the Lasso over the finite dictionary equal to the network problem?"""
        if d == 1:
            return True
        return self.reg == "l1" and self.axes

    def oracle_kind(self, d: int) -> str:
        """"exact" if :meth:`price` returns the true supremum in dimension d, else "sampled"."""
        return "exact" if (self.reg == "l1" or d <= 2) else "sampled"

    # ------------------------------------------------------------------ sizes

    def pool_axes(self, d: int) -> int:
        """Number of standard-basis vectors in the pool (after the n samples) in R^d.

        >>> TwoLayerFamily("relu", "l1").pool_axes(3), TwoLayerFamily("relu", "l2").pool_axes(3)
        (3, 0)
        """
        return d if self.axes else 0

    def subset_size(self, d: int) -> int:
        """Pool vectors per candidate hyperplane in R^d: d with bias (augmented vectors
        in R^{d+1}), d − 1 without.

        >>> TwoLayerFamily("relu", "l1", bias=True).subset_size(2)
        2
        """
        return d if self.bias else d - 1

    def n_candidates(self, n: int, d: int) -> int:
        """Number of pool subsets (one hyperplane each) before filtering."""
        return n_combos(n, self.pool_axes(d), self.subset_size(d), self.bias)

    def estimate_columns(self, n: int, d: int) -> int:
        """Upper bound on the number of columns (both signs for relu, one for abs).

        >>> TwoLayerFamily("relu", "l1", bias=True).estimate_columns(160, 2)
        26080
        """
        m = self.n_candidates(n, d)
        return 2 * m if self.activation == "relu" else m

    def estimate_bytes(self, n: int, d: int, exact: bool = False) -> int:
        p = self.estimate_columns(n, d)
        per = _EXACT_BYTES + 8 * _FLOAT_WORK if exact else 8 * _FLOAT_WORK
        return p * n * per

    def _guard(self, n, d, exact, max_bytes):
        need = self.estimate_bytes(n, d, exact)
        if need > max_bytes:
            p = self.estimate_columns(n, d)
            raise MemoryError(
                f"the {self.dictionary_name} dictionary for n={n} samples in d={d} has up to "
                f"{p} columns; building it {'exactly ' if exact else ''}needs about "
                f"{need / 2 ** 30:.2f} GiB, more than max_bytes={max_bytes / 2 ** 30:.2f} GiB. "
                "Use column generation instead: fit(..., colgen=True) (or the CLI's --colgen), "
                "which prices neurons without storing the dictionary, or subsample the data.")

    # ------------------------------------------------------------------ building

    def _prepare(self, X, exact):
        """Pool of vectors (samples first, then axes) and the scaled data rows."""
        n, d = X.shape
        n_ax = self.pool_axes(d)
        dim = d + 1 if self.bias else d
        if exact:
            Xint, Dd = integer_scale(X)
            pool = np.zeros((n + n_ax, dim), dtype=object)
            pool[:n, :d] = Xint
            if self.bias:
                pool[:n, d] = Dd
            for a in range(n_ax):
                pool[n + a, a] = 1
            bx = max((abs(int(v)) for v in pool.flat), default=0)
            # int64 copy for the integer cross products and pre-activations when it fits
            pool64 = pool.astype(np.int64) if bx < 2 ** 62 else None
            return CandidateBlock(pool=pool, pool64=pool64, D=Dd, exact=True, n=n, d=d,
                                  dim=dim, bx=bx)
        Xf = np.asarray(X, dtype=np.float64)
        pool = np.zeros((n + n_ax, dim))
        pool[:n, :d] = Xf
        if self.bias:
            pool[:n, d] = 1.0
        for a in range(n_ax):
            pool[n + a, a] = 1.0
        # pool_s: the samples with every feature divided by a power of two s_j (exact) that
        # brings its largest magnitude into [1, 2); the float cross products are taken of
        # pool_s, so their round-off and degeneracy tests do not depend on the data's
        # scale. Scaling the features by diag(1/s) maps the hyperplane (w, b) to
        # ∝ (s∘w, b) (THEORY I5); ``unscale`` = (min s / s_j, …[, min s]) maps it back.
        mx = np.abs(Xf).max(axis=0)
        ok = np.isfinite(mx) & (mx > 0)
        s = np.ones(d)
        s[ok] = np.ldexp(1.0, np.frexp(mx[ok])[1] - 1)
        pool_s = pool.copy()
        pool_s[:n, :d] = Xf / s[None, :]
        smin = float(s.min())
        unscale = np.r_[smin / s, [smin] if self.bias else []]
        return CandidateBlock(pool=pool, D=1, exact=False, n=n, d=d, dim=dim, pool_s=pool_s,
                              unscale=unscale)

    def _combos(self, n, d):
        return combos_array(n, self.pool_axes(d), self.subset_size(d), self.bias)

    def _build(self, X, exact, C=None, prep=None, need_Z=True):
        """Candidate hyperplanes W (m, d or d+1) and pre-activations Z (n, m) for the pool
        subsets ``C`` (default: all). Exact: W primitive integers and Z = D·(Xw + b),
        int64 when provably in range, else Python ints."""
        n, d = X.shape
        P = prep if prep is not None else self._prepare(X, exact)
        if C is None:
            C = self._combos(n, d)
        k = self.subset_size(d)
        dim, pool = P.dim, P.pool
        if exact:
            # integer cross products: int64 when provably in range, else Python ints
            W = cross_int((pool if P.pool64 is None else P.pool64)[C])
            # primitive integer vectors: keeps the numbers small
            if W.shape[0]:
                g = np.gcd.reduce(W, axis=1)
                g[g == 0] = 1
                W = W // g[:, None]
            if W.dtype == object:
                bw = max((abs(v) for v in W.flat), default=0)
            else:
                bw = int(np.abs(W).max()) if W.size else 0
            if not len(C):
                Z = np.zeros((n, 0), dtype=np.int64)
            elif P.bx * bw * dim < 2 ** 62:
                Z = P.pool64[:n] @ W.astype(np.int64, copy=False).T
            else:
                Z = pool[:n] @ W.astype(object).T
            deg = ~np.any(W[:, :d] != 0, axis=1)
            W = W.astype(object)                 # Python ints from here on: no overflow
            w = W[:, :d]
            if self.reg == "l1":
                nrm = np.abs(w).sum(axis=1) if len(C) else np.zeros(0, dtype=object)
            else:
                nrm = (w * w).sum(axis=1) if len(C) else np.zeros(0, dtype=object)
            return CandidateBlock(C=C, W=W, Z=Z, deg=deg, norm=nrm, D=P.D, exact=True, n=n,
                                  d=d, prep=P)
        if 1 <= k <= 3 and len(C):       # the same steps, fused in numba (ga.cross_rows)
            from ._kernels import unit_hyperplanes
            W, deg = unit_hyperplanes(P.pool_s, C, P.unscale, d, self.reg == "l1")
        else:
            Q = P.pool_s[C]                  # features scaled to [1, 2) (see _prepare)
            W = cross(Q)                     # k = 0 (d = 1, no bias): the direction +1
            W += 0.0                         # no negative zeros
            hb = np.prod(np.linalg.norm(Q, axis=2), axis=1)          # Hadamard bound
            # dependent vectors (w = 0): relative to the Hadamard bound of the *scaled*
            # rows, so the test is invariant under rescaling the data or single features
            deg = ~(self._wnorm(W[:, :d]) > 1e-12 * hb)
            W = W * P.unscale[None, :]       # back to the data's coordinates
            nrm = self._wnorm(W[:, :d])
            deg |= ~(np.isfinite(nrm) & (nrm > 0))
            W = W / np.where(deg, 1.0, nrm)[:, None]
        if not need_Z:
            return CandidateBlock(C=C, W=W, Z=None, deg=deg, norm=None, D=1, exact=False,
                                  n=n, d=d, prep=P)
        Z = pool[:n] @ W.T
        # clean round-off: exact zeros at the spanning samples, tiny values elsewhere
        for t in range(k):
            sel = C[:, t] < n
            Z[C[sel, t], np.flatnonzero(sel)] = 0.0
        # relative to the entry's own terms Σ_j |x_ij w_j| + |b| (the size of its rounding
        # error): invariant under rescaling the data or single features
        scale = np.abs(pool[:n]) @ np.abs(W).T
        Z[np.abs(Z) <= 1e-13 * scale] = 0.0
        return CandidateBlock(C=C, W=W, Z=Z, deg=deg, norm=None, D=1, exact=False, n=n, d=d,
                              prep=P)

    def _wnorm(self, w):
        return np.abs(w).sum(axis=1) if self.reg == "l1" else np.linalg.norm(w, axis=1)

    def candidates(self, X, exact: bool) -> CandidateBlock:
        """All candidate hyperplanes of X (n, d) — one per pool subset, in lexicographic
        order — with their pre-activations, as one :class:`CandidateBlock` (cached for the
        last X). X must already be exact (Fractions) when ``exact``, float64 otherwise.

        >>> fam = TwoLayerFamily("relu", "l1", bias=False)
        >>> B = fam.candidates(np.array([[1.0, 2.0]]), False)
        >>> B.C.tolist(), B.deg.tolist()              # sample x_0, then the axes e_0, e_1
        ([[0], [1], [2]], [False, False, False])
        >>> (B.W * 3).tolist()                          # ×(x_0) = (−2, 1), ‖·‖₁ = 1
        [[-2.0, 1.0], [0.0, 3.0], [-3.0, 0.0]]
        """
        key = (exact, X.shape, tuple(X.ravel().tolist()) if exact else X.tobytes())
        b = self._cache.get("build")
        if b is not None and b[0] == key:
            return b[1]
        B = self._build(X, exact)
        self._cache["build"] = (key, B)
        return B

    def subset_block(self, X, C, *, exact: bool = False, prep=None,
                     need_Z: bool = False) -> CandidateBlock:
        """The candidates of the pool subsets ``C`` (m, k) (rows as in :meth:`candidates`);
        ``prep`` (a previous block's ``.prep`` for the same X) skips rebuilding the pool.

        >>> fam = TwoLayerFamily("relu", "l1", bias=False)
        >>> (fam.subset_block(np.array([[1.0, 2.0]]), np.array([[0]])).W * 3).tolist()
        [[-2.0, 1.0]]
        """
        P = prep if prep is not None else self._prepare(X, exact)
        return self._build(X, exact, np.asarray(C, dtype=np.int64), P, need_Z=need_Z)

    def integer_pool(self, X):
        """(pool, D): the pool of exact X (n, d) as Python ints — the samples scaled by
        the common denominator D (augmented by D with bias), then the axes.

        >>> from fractions import Fraction as F
        >>> pool, D = TwoLayerFamily("relu", "l1").integer_pool([[F(1, 2)]])
        >>> pool.tolist(), D
        ([[1, 2], [1, 0]], 2)
        """
        X, _ = _check_X(X)
        P = self._prepare(as_exact_array(X, "X"), True)
        return P.pool, P.D

    def implicit_source(self, X, *, max_bytes=None):
        """The finite dictionary as a streamed :class:`~exactgeo.sources.ImplicitSource`."""
        from ..sources.implicit import ImplicitSource
        return ImplicitSource(self, X, max_bytes=max_bytes)

    def candidate_blocks(self, X, exact: bool, step: int, *, suffix_bytes: int = 2 ** 24,
                         need_Z: bool = True):
        """The candidates of :meth:`candidates` in consecutive blocks of at most ``step``
        pool subsets (same order), generated lazily so that any n, d fits in memory;
        ``need_Z=False`` skips the pre-activations of float blocks. ``suffix_bytes``
        bounds the subset table (:func:`exactgeo.families.subsets.combos_chunks`).

        >>> fam = TwoLayerFamily("relu", "l1", bias=True)
        >>> X = np.array([[0.0], [1.0], [3.0]])
        >>> [B.C.tolist() for B in fam.candidate_blocks(X, False, 2)]
        [[[0], [1]], [[2]]]
        """
        n, d = X.shape
        prep = self._prepare(X, exact)
        for C in combos_chunks(n, self.pool_axes(d), self.subset_size(d), self.bias, step,
                               suffix_bytes=suffix_bytes):
            yield self._build(X, exact, C, prep, need_Z=need_Z)

    def atom_from_candidate(self, B: CandidateBlock, t: int, sign: int) -> Atom:
        """The atom ±(candidate t of block ``B``) (``sign`` ±1): exact for exact blocks
        (ℓ1: normalised; ℓ2: primitive integers and norm_sq), else float64 unit neurons.

        >>> fam = TwoLayerFamily("relu", "l1", bias=False)
        >>> a = fam.atom_from_candidate(fam.candidates(np.array([[1.0, 2.0]]), False), 2, -1)
        >>> a.u.tolist(), a.axes
        ([1.0, 0.0], (1,))
        """
        C, W, n, d = B.C, B.W, B.n, B.d
        pts = tuple(int(i) for i in C[t] if i < n)
        axs = tuple(int(i) - n for i in C[t] if i >= n)
        if B.exact:
            row = [sign * int(v) for v in W[t]]
            if self.reg == "l1":
                s = sum(abs(v) for v in row[:d])
                vals = [Fraction(v, s) for v in row]
                ns = None
            else:
                vals = [Fraction(v) for v in row]
                ns = Fraction(sum(v * v for v in row[:d]))
            u = np.array(vals[:d], dtype=object)
            c = vals[d] if self.bias else Fraction(0)
            return Atom(u, c, ns, pts, axs, sign)
        row = sign * W[t] + 0.0
        return Atom(np.array(row[:d], dtype=np.float64), float(row[d]) if self.bias else 0.0,
                    None, pts, axs, sign)

    def _sigma_cols(self, B):
        """(numerators or float columns, candidate index, sign) of all signed columns."""
        Z = B.Z
        m = Z.shape[1]
        if self.activation == "abs":
            cols = sigma("abs", Z)
            cand = np.arange(m)
            signs = np.ones(m, dtype=np.int64)
        else:
            n = Z.shape[0]
            cols = np.empty((n, 2 * m), dtype=Z.dtype)
            sigma("relu", Z, out=cols[:, 0::2])          # σ(Xw + b)
            sigma("relu", -Z, out=cols[:, 1::2])         # σ(−Xw − b)
            cand = np.repeat(np.arange(m), 2)
            signs = np.tile(np.array([1, -1], dtype=np.int64), m)
        return cols, cand, signs

    def dictionary(self, X, *, exact: bool = False, max_bytes: int = 2 ** 31) -> Dictionary:
        """The finite dictionary (THEORY §2.3) of ``X`` (n, d).

        ``exact=True`` (or exact X) gives integer-stored exact columns; float X is then
        converted exactly (binary values). Refuses with MemoryError before allocating
        when the estimate exceeds ``max_bytes`` (a positive number of bytes, else
        ValueError/TypeError).

        >>> D = TwoLayerFamily("relu", "l1", bias=False).dictionary([[1.0, 0.0]])  # G2, W1+
        >>> [a.u.tolist() for a in D.atoms], D.A.tolist(), D.n_zero
        ([[1.0, 0.0]], [[1.0]], 5)
        """
        X, x_exact = _check_X(X)
        exact = bool(exact) or x_exact
        if exact and not x_exact:
            X = as_exact_array(X, "X")
        n, d = X.shape
        check_max_bytes(max_bytes)
        self._guard(n, d, exact, max_bytes)
        B = self._build(X, exact)
        cols, cand, signs = self._sigma_cols(B)
        deg = B.deg[cand]
        if exact:
            if self.reg == "l1":
                den = np.array([B.D * v for v in B.norm], dtype=object)[cand]
            else:
                den = np.empty(len(cand), dtype=object)
                den[:] = B.D
            zero = deg | ~np.any(cols != 0, axis=0) if cols.size else deg.copy()
            # float mirror (dedupe keys): the float of each exact ratio. Numerators and
            # denominators may exceed the float range while the ratio does not (a
            # subnormal datum gives D = 2**1074), so they are not converted separately.
            # Degenerate candidates (w = 0, den = 0) are dropped: divide them by 1.
            den_s, nsq_s = den.copy(), (B.norm[cand].copy() if self.reg == "l2" else None)
            den_s[deg] = 1
            if nsq_s is not None:
                nsq_s[deg] = 1
            F = ratio_to_float(cols, den_s, nsq_s)
            if cols.dtype != object:
                cols = cols.astype(object)      # Python ints: exact arithmetic downstream
        else:
            F = cols
            # round-off was cleared entrywise in _build (relative to each entry's own terms
            # Σ|x_ij w_j| + |b|), so a vanishing column is exactly zero: no tolerance
            # here that depends on the scale of the data or of single features
            zero = deg | (~np.any(F != 0, axis=0) if F.size else np.ones(len(cand), bool))
        keep_idx = np.flatnonzero(~zero)
        n_zero = int(zero.sum())
        keep, n_dup = self._dedupe(F, keep_idx, cols, den if exact else None,
                                   B.norm[cand] if (exact and self.reg == "l2") else None)
        kc, ks = cand[keep], signs[keep]
        atoms = LazyAtoms(len(kc), lambda k: self.atom_from_candidate(B, int(kc[k]),
                                                                      int(ks[k])))
        info = {"name": self.dictionary_name, "candidates": int(len(cand))}
        if exact:
            num = cols[:, keep]
            dd = den[keep]
            ns = None
            if self.reg == "l2":
                ns = np.array([Fraction(v) for v in B.norm[cand[keep]]], dtype=object)
            return Dictionary(None, atoms, ns, n_zero, n_dup, True, num=num, den=dd, info=info)
        return Dictionary(np.ascontiguousarray(F[:, keep]), atoms, None, n_zero, n_dup, False,
                          info=info)

    @staticmethod
    def _dedupe(F, idx, cols, den, nsq):
        """Keep the first of equal columns among ``idx``; returns (kept, n_duplicate)."""
        if len(idx) == 0:
            return idx, 0
        Fk = F[:, idx]
        # key: the column relative to its own max-abs entry (10 digits), plus that max
        # (10 significant digits); equal columns get equal keys
        cm = np.abs(Fk).max(axis=0)
        off = np.zeros(len(idx))
        if den is not None:
            # exact columns whose floats are subnormal (or zero, or near overflow) lose
            # digits: redo them times an exact 2**t that brings them near 1
            bad = np.flatnonzero(~((cm >= 2.0 ** -960) & (cm <= 2.0 ** 960)))
            if len(bad):
                ks = idx[bad]
                t = np.array([_log2_shift(cols[:, k], den[k], None if nsq is None else nsq[k])
                              for k in ks], dtype=np.int64)
                Fk[:, bad] = ratio_to_float(cols[:, ks], den[ks],
                                            None if nsq is None else nsq[ks], shift=t)
                cm[bad] = np.abs(Fk[:, bad]).max(axis=0)
                off[bad] = t
        K = np.empty((Fk.shape[1], Fk.shape[0] + 1), dtype=np.int64)
        K[:, :-1] = np.round(Fk / cm[None, :] * 1e10).T
        K[:, -1] = np.round((np.log2(cm) - off) * 1e9)
        first, inv = _row_groups(K)
        if den is None:
            keep_mask = np.zeros(len(idx), dtype=bool)
            keep_mask[first] = True
            return idx[keep_mask], int(len(idx) - keep_mask.sum())
        # exact: confirm inside each bucket
        order = np.argsort(inv, kind="stable")
        keep_mask = np.zeros(len(idx), dtype=bool)
        bucket_start = np.flatnonzero(np.r_[True, inv[order][1:] != inv[order][:-1]])
        bounds = list(bucket_start) + [len(order)]
        for s, e in zip(bounds[:-1], bounds[1:]):
            members = sorted(order[s:e])
            reps = []
            for j in members:
                kj = idx[j]
                if not any(_equal_cols(cols, den, nsq, kj, idx[r]) for r in reps):
                    reps.append(j)
                    keep_mask[j] = True
        return idx[keep_mask], int(len(idx) - keep_mask.sum())

    # ------------------------------------------------------------------ features

    def exact_atom(self, X, atom: Atom) -> Atom:
        """The exact version of ``atom`` for exact data ``X``: recomputed from its
        points/axes/sign when it is a dictionary atom, else converted from its float
        values exactly (ℓ1: renormalised exactly; ℓ2: primitive integers + norm_sq)."""
        if atom.exact:
            return atom
        X, _ = _check_X(X)
        Xe = as_exact_array(X, "X")
        n, d = Xe.shape
        k = self.subset_size(d)
        if len(atom.points) + len(atom.axes) == k and (not self.bias or atom.points):
            Xint, Dd = integer_scale(Xe)
            dim = d + 1 if self.bias else d
            rows = []
            for i in atom.points:
                rows.append(list(Xint[i]) + ([Dd] if self.bias else []))
            for a in atom.axes:
                e = [0] * dim
                e[a] = 1
                rows.append(e)
            W = cross_int(np.array(rows, dtype=object).reshape(1, k, dim))[0]
            row = primitive([atom.sign * int(v) for v in W])
            return self._exact_atom_from_row(row, d, atom.points, atom.axes, atom.sign)
        u = [to_fraction(float(v)) for v in np.asarray(atom.u, dtype=float)]
        c = to_fraction(float(atom.c))
        return self.atom_from_direction(u, c if self.bias else Fraction(0), atom.points,
                                        atom.axes, atom.sign)

    def atom_from_direction(self, u, c=0, points=(), axes=(), sign=1) -> Atom:
        """Exact unit atom (per this family's norm) for the exact direction (u, c).

        >>> TwoLayerFamily("relu", "l2", bias=False).atom_from_direction(
        ...     [Fraction(1, 10), Fraction(1, 10)]).u.tolist()
        [Fraction(1, 1), Fraction(1, 1)]
        """
        vals = [to_fraction(v) for v in u] + [to_fraction(c)]
        L = 1
        for v in vals:
            L = L * v.denominator // gcd(L, v.denominator)
        row = primitive([int(v * L) for v in vals])
        d = len(vals) - 1
        return self._exact_atom_from_row(row if self.bias else row[:d] + [0], d, points, axes,
                                         sign)

    def _exact_atom_from_row(self, row, d, points, axes, sign):
        if self.reg == "l1":
            s = sum(abs(v) for v in row[:d])
            if s == 0:
                raise ValueError("atom: direction u is zero")
            vals = [Fraction(v, s) for v in row]
            ns = None
        else:
            vals = [Fraction(v) for v in row]
            ns = Fraction(sum(v * v for v in row[:d]))
            if ns == 0:
                raise ValueError("atom: direction u is zero")
        c = vals[d] if (self.bias and len(vals) > d) else Fraction(0)
        return Atom(np.array(vals[:d], dtype=object), c, ns, tuple(points), tuple(axes), sign)

    def features(self, X, atoms: Sequence[Atom]) -> np.ndarray:
        """Columns φ(X; θ) = σ(Xu + c) of ``atoms``, shape (n, len(atoms)).

        Exact ``X`` → object array of Fractions, every atom made exact with
        :meth:`exact_atom`; for ℓ2 the columns are the *unnormalised* σ(Xu + c), to be
        divided by √atom.norm_sq (as in :class:`Dictionary`). Float ``X`` → float64
        columns of the unit neurons.

        >>> fam = TwoLayerFamily("abs", "l1", bias=True)
        >>> a = fam.atom_from_direction([Fraction(2)], Fraction(-2))     # |x − 1|
        >>> fam.features([[Fraction(0)], [Fraction(3)]], [a]).ravel().tolist()
        [Fraction(1, 1), Fraction(2, 1)]
        """
        X, exact = _check_X(X)
        n, d = X.shape
        atoms = list(atoms)
        if exact:
            num, den, _ = self._integer_features(X, atoms)
            out = np.empty((n, len(atoms)), dtype=object)
            for j in range(len(atoms)):
                out[:, j] = [Fraction(int(v), den[j]) for v in num[:, j]]
            return out
        out = np.empty((n, len(atoms)))
        for j, a in enumerate(atoms):
            _check_atom_dim(a, d)
            u, c = a.float_u_c()
            out[:, j] = sigma(self.activation, X @ u + c)
        return out

    def _integer_features(self, X, atoms):
        """(num (n, m) Python ints, den (m,) positive ints, exact atoms): column j of the
        exact features is num[:, j]/den[j] (X exact, already checked)."""
        n, d = X.shape
        Xi, D = integer_scale(X)      # Python-int products: one gcd per entry, not per op
        num = np.empty((n, len(atoms)), dtype=object)
        den, ex = [], []
        for j, a in enumerate(atoms):
            a = self.exact_atom(X, a)
            _check_atom_dim(a, d)
            uc = [Fraction(v) for v in a.u] + [Fraction(a.c)]
            e = 1
            for q in uc:
                e = e * q.denominator // gcd(e, q.denominator)
            w = [q.numerator * (e // q.denominator) for q in uc]
            z = Xi.dot(np.array(w[:d], dtype=object)) + D * w[d] if d else \
                np.full(n, D * w[d], dtype=object)
            col = sigma(self.activation, z)          # z/(D e) = Xu + c; σ is homogeneous
            g = gcd(D * e, *col)                     # lowest terms: smaller exact solves
            num[:, j] = col // g
            den.append(D * e // g)
            ex.append(a)
        return num, den, ex

    def exact_columns(self, X, atoms: Sequence[Atom]) -> Dictionary:
        """The exact dictionary over ``atoms`` in integer storage (num, den): no Fraction
        is made unless its ``A`` is asked for.

        >>> fam = TwoLayerFamily("relu", "l1", bias=True)
        >>> D = fam.exact_columns([[Fraction(0)], [Fraction(3)]],
        ...                       [fam.atom_from_direction([Fraction(2)], Fraction(-2))])
        >>> D.num.ravel().tolist(), D.den.tolist(), D.A.ravel().tolist()
        ([0, 2], [1], [Fraction(0, 1), Fraction(2, 1)])
        """
        X, exact = _check_X(X)
        if not exact:
            raise ValueError("X: exact_columns needs exact X (Fractions or integers)")
        num, den, ex = self._integer_features(X, list(atoms))
        ns = None
        if any(a.norm_sq is not None for a in ex):
            ns = np.array([Fraction(a.norm_sq) if a.norm_sq is not None else Fraction(1)
                           for a in ex], dtype=object)
        return Dictionary(None, ex, norm_sq=ns, exact=True, num=num,
                          den=np.array(den, dtype=object))

    # ------------------------------------------------------------------ pricing

    def pricing_plan(self, n: int, d: int, *, exact: bool = False, samples: int = 2000,
                     max_bytes=None, max_candidates=None) -> dict:
        """How :meth:`price` will work for n samples in d dimensions, decided without
        allocating: ``{"candidates", "unit", ...}`` (the per-call work reported to
        ``progress``). Raises PricingTooLarge (a MemoryError, with the sizes) when the
        enumeration pricing cannot fit ``max_bytes`` or exceeds ``max_candidates``."""
        if self.reg == "l1" or d == 1:
            from .pricing_l1 import plan
            return plan(self, n, d, exact, max_bytes=max_bytes, max_candidates=max_candidates)
        if d == 2:
            return {"candidates": n if self.bias else 1, "unit": "anchors"}
        from .pricing_sampled import work_units
        return {"candidates": work_units(self, samples), "unit": "directions"}

    def price(self, X, r, *, samples: int = 2000, seed: int = 0, max_bytes=None,
              max_candidates=None, progress=None) -> Pricing:
        """Pricing oracle S(r) = sup over all unit neurons θ of |rᵀφ(X; θ)| (THEORY §2.5).

        ``max_bytes`` (default 256 MiB) bounds the oracle's working memory, and
        ``max_candidates`` (default 10⁹) the ℓ1 enumeration; beyond them it refuses
        before allocating (PricingTooLarge, a MemoryError). ``progress(done, total,
        unit)`` is called as the work advances (see :meth:`pricing_plan`); it may raise
        to abandon the call.

        Exact when ``r`` is exact (X converted exactly); floats otherwise. ℓ1 (any d)
        and d = 1: the maximum over the finite dictionary (kind "exact"; ``sup_exact``).
        ℓ2, d = 2: exact angular sectors (``sup_sq_exact`` = S²). ℓ2, d ≥ 3: sampled
        lower bound (kind "sampled", ``samples`` = M). With bias the family's r must
        satisfy 𝟙ᵀr = 0 (the free intercept's optimality condition; otherwise the
        supremum is infinite) — exact r violating it raises ValueError.

        >>> fam = TwoLayerFamily("relu", "l2", bias=False)
        >>> F10 = Fraction(1, 10)
        >>> P = fam.price([[Fraction(1), Fraction(0)], [Fraction(0), Fraction(1)]], [F10, F10])
        >>> P.atom.u.tolist(), P.atom.norm_sq, P.sup_sq_exact       # THEORY G1
        ([Fraction(1, 1), Fraction(1, 1)], Fraction(2, 1), Fraction(1, 50))
        """
        X, x_exact = _check_X(X)
        n, d = X.shape
        r_arr, r_exact = check_residual(r, n)
        if r_exact and not x_exact:
            X = as_exact_array(X, "X")
        elif x_exact and not r_exact:
            X = np.asarray(X, dtype=np.float64)
        exact = r_exact
        if self.bias and exact and sum(r_arr, Fraction(0)) != 0:
            raise ValueError(f"r: the bias family needs 1ᵀr = 0 (free intercept), got "
                             f"sum(r) = {sum(r_arr, Fraction(0))}; the supremum is infinite")
        if self.reg == "l1" or d == 1:
            if exact and self.reg == "l1":     # float pass + rigorous bound + exact ties
                from .streamed import price_rigorous
                pr = price_rigorous(self, X, r_arr, max_bytes=max_bytes,
                                    max_candidates=max_candidates, progress=progress)
                if pr is not None:
                    return pr
            from .pricing_l1 import price_dictionary
            return price_dictionary(self, X, r_arr, exact, max_bytes=max_bytes,
                                    max_candidates=max_candidates, progress=progress)
        if d == 2:
            from .pricing_2d import price_l2_2d
            return price_l2_2d(self, X, r_arr, exact, progress=progress)
        from .pricing_sampled import price_sampled
        return price_sampled(self, X, r_arr, exact, samples=samples, seed=seed,
                             max_bytes=max_bytes, progress=progress)

    # ------------------------------------------------------------------ weights

    def layers(self, atom: Atom, z):
        """Weights ([(w, b)], α) with α·σ(wᵀx + b) = z·σ(uᵀx + c) and
        ½(‖w‖_p² + α²) = |z| (THEORY §2.6): γ = √|z|, w = γu, b = γc, α = sign(z)γ.

        Exact atom and exact z: entries are sympy expressions (γ = sympy.sqrt of a
        Rational, times Rationals; for ℓ2, u/√norm_sq is folded in), so the network
        objective evaluates exactly. Otherwise float64.

        >>> fam = TwoLayerFamily("relu", "l1", bias=False)
        >>> a = fam.atom_from_direction([Fraction(1), Fraction(0)])
        >>> [(w, b)], alpha = fam.layers(a, Fraction(9, 10))
        >>> [str(v) for v in w], str(b), str(alpha)
        (['3*sqrt(10)/10', '0'], '0', '3*sqrt(10)/10')
        """
        if atom.exact and is_exact_scalar(z):
            import sympy as sp
            zq = to_fraction(z)
            q = sp.Rational(abs(zq.numerator), zq.denominator)
            if atom.norm_sq is not None:
                ns = to_fraction(atom.norm_sq)
                g = sp.sqrt(q / sp.Rational(ns.numerator, ns.denominator))
            else:
                g = sp.sqrt(q)
            ga = sp.sqrt(q)
            w = np.array([g * sp.Rational(v.numerator, v.denominator) for v in atom.u],
                         dtype=object)
            cq = to_fraction(atom.c)
            b = g * sp.Rational(cq.numerator, cq.denominator) if self.bias else sp.Integer(0)
            alpha = ga if zq > 0 else (-ga if zq < 0 else sp.Integer(0))
            return [(w, b)], alpha
        u, c = atom.float_u_c()
        zf = float(z)
        g = np.sqrt(abs(zf))
        return [(g * u, g * c if self.bias else 0.0)], float(np.sign(zf) * g)


    # ----------------------------------------------------------- protocol
    def check_sizes(self, n: int, d: int, *, samples: int, max_bytes) -> None:
        """The sampled oracle (ℓ2, d ≥ 3) holds (samples, d) directions and a few
        (samples, n) work arrays of float64: refuse before allocating."""
        if self.oracle_kind(d) != "sampled":
            return
        need = 8 * int(samples) * (4 * n + 6 * d)
        if need > max_bytes:
            most = int(max_bytes // (8 * (4 * n + 6 * d)))
            raise MemoryError(
                f"samples: the sampled pricing oracle ({self.reg}, d = {d} >= 3) with samples "
                f"= {samples} directions for n = {n} points needs about {need / 2 ** 30:.3g} "
                f"GiB (8 bytes x samples x (4n + 6d)), more than max_bytes = "
                f"{max_bytes / 2 ** 30:.3g} GiB; use fewer samples (at most {most} fit; the "
                "default is 2000)")

    def pricer(self) -> "TwoLayerFamily":
        """ℓ1 families built without axes (W1 / T) price with their axes=True sibling: the
        network's neurons are all ℓ1-unit neurons, whose supremum the W1+ / B1+ oracle
        evaluates exactly (THEORY §2.4)."""
        if self.reg == "l1" and not self.axes:
            return TwoLayerFamily(self.activation, "l1", bias=self.bias, axes=True)
        return self

    def resolve_tie(self, X, columns, norm_sq, support, signs, y, beta, *, intercept: bool):
        """ℓ2 in 2-D: decide S(r) = β over algebraic numbers (THEORY §5.8); else None."""
        if self.reg != "l2" or norm_sq is None:
            return None
        from .tie_l2_2d import exact_l2_certificate
        return exact_l2_certificate(self, X, columns, norm_sq, support, signs, y, beta,
                                    intercept=intercept)

    def network(self, atoms, z, xi, *, n_features: int):
        """The two-layer net ξ + Σ_k z_k σ(u_kᵀx + c_k) (THEORY §2.6), exact when z is."""
        from ..nets import from_lasso
        return from_lasso(self, atoms, z, xi, n_features=n_features)

    def neuron_json(self, atom: Atom, net, j: int) -> dict:
        """Training rows and basis axes spanning neuron j of ``net``, its float weights
        (hidden row j of the one hidden layer, output weight α_j), their exact strings
        (``w_exact``, ``b_exact``, ``alpha_exact``: "3/7", or "sqrt(70)/10" since
        γ = √|z| is irrational in general; null for float fits) and its atom."""
        from ..certify import atom_json
        from ..closed_form import neuron_form, weight_strings
        W, b = net.layers[0]
        ex = weight_strings(neuron_form(net, j))
        return {"points": [int(p) for p in atom.points], "axes": [int(a) for a in atom.axes],
                "layers": [{"w": [float(v) for v in W[j]], "b": float(b[j]),
                            "w_exact": ex["w_exact"], "b_exact": ex["b_exact"]}],
                "alpha": float(net.alpha[j]), "alpha_exact": ex["alpha_exact"],
                "atom": atom_json(atom)}


for _model in ("relu", "abs"):
    for _reg in ("l1", "l2"):
        for _bias in (True, False):
            register(_model, 2, _reg, _bias,
                     lambda axes=None, _m=_model, _r=_reg, _b=_bias:
                     TwoLayerFamily(_m, _r, bias=_b, axes=axes), replace=True)


def _row_groups(K):
    """Group equal rows of an int64 matrix: (index of each group's first row, group
    id of every row), groups numbered by first occurrence."""
    p = K.shape[0]
    rng = np.random.default_rng(12345)
    h = K @ rng.integers(1, 2 ** 61, size=K.shape[1], dtype=np.int64)  # wraps mod 2^64
    _, first, inv = np.unique(h, return_index=True, return_inverse=True)
    inv = inv.ravel()
    # verify the hash buckets (collisions of distinct rows are split off)
    order = np.argsort(inv, kind="stable")
    sv = inv[order]
    starts = np.flatnonzero(np.r_[True, sv[1:] != sv[:-1]])
    multi = np.flatnonzero(np.diff(np.r_[starts, p]) > 1)
    next_id = int(inv.max()) + 1 if p else 0
    firsts = list(first)
    for b in multi:
        s, e = starts[b], (starts[b + 1] if b + 1 < len(starts) else p)
        members = order[s:e]
        seen = {}
        for i in members:
            key = K[i].tobytes()
            if key not in seen:
                if seen:
                    seen[key] = next_id
                    firsts.append(i)
                    next_id += 1
                else:
                    seen[key] = inv[i]
            inv[i] = seen[key]
    return np.asarray(firsts, dtype=np.int64), inv


def _check_atom_dim(a, d):
    if np.shape(a.u) != (d,):
        raise ValueError(f"atoms: atom direction has shape {np.shape(a.u)}, expected ({d},)")


def _log2_shift(col, den, nsq=None) -> int:
    """t with max|col|/den/√nsq · 2**t within a factor 4 of 1 (from bit lengths)."""
    top = max(abs(int(v)).bit_length() for v in col)
    t = int(den).bit_length() - top
    if nsq is not None:
        t += int(nsq).bit_length() // 2
    return t


def _equal_cols(cols, den, nsq, j, k) -> bool:
    """Exact equality of columns j and k: cols[:, j]/den[j] (/√nsq[j]) vs k."""
    a, b = cols[:, j], cols[:, k]
    dj, dk = den[j], den[k]
    if nsq is None:
        return all(x * dk == y * dj for x, y in zip(a, b))
    # a/(dj√qj) == b/(dk√qk) ⇔ a, b positively proportional with the right ratio
    qj, qk = nsq[j], nsq[k]
    piv = next((i for i in range(len(a)) if a[i] != 0), None)
    if piv is None or b[piv] == 0 or (a[piv] > 0) != (b[piv] > 0):
        return False
    if not all(x * b[piv] == y * a[piv] for x, y in zip(a, b)):
        return False
    return (a[piv] * dk) ** 2 * qk == (b[piv] * dj) ** 2 * qj
