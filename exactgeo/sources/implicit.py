"""Implicit column sources: a finite dictionary whose columns are computed in streamed
blocks, never stored (THEORY §2.3 dictionaries too large for memory).

The columns are those of the family's finite dictionary (two-layer W1+/B1+ for ℓ1,
W2/T for ℓ2): pool subset t (lexicographic rank, :mod:`exactgeo.families.streamed`)
gives the candidate hyperplane w_t, and column 2t / 2t + 1 (relu: +w, −w) or t (abs)
its feature σ(±(Xu + c)) of the unit neuron. Degenerate subsets (w = 0) are zero
columns; zero and duplicate columns are kept (they never enter a Lasso solution —
a duplicate is priced with the same value as its twin). ``price(r, k)`` streams every
block through a numba kernel within ``max_bytes`` and keeps only the k best columns.

>>> import numpy as np
>>> from exactgeo.families import get_family
>>> X = np.array([[0.0], [1.0], [3.0]])
>>> src = ImplicitSource(get_family("relu", reg="l1", bias=True), X)
>>> src.size, src.columns([0, 1]).T.tolist()          # (0 − x)_+ and (x − 0)_+
(6, [[0.0, 0.0, 0.0], [0.0, 1.0, 3.0]])
>>> pr = src.price(np.array([1.0, -2.0, 1.0]), k=2)   # A_kᵀr = 0, 1, 1, 2, −1, 0
>>> pr.idx.tolist(), pr.values.tolist(), pr.sup
([3, 1], [2.0, 1.0], 2.0)
"""
from __future__ import annotations

import time
from typing import Optional, Sequence

import numpy as np

from .base import Priced, top_k

__all__ = ["ImplicitSource", "price_range", "merge_priced", "DEFAULT_BLOCK_BYTES"]

DEFAULT_BLOCK_BYTES = 2 ** 27      # streaming budget when none is given (128 MiB)


class ImplicitSource:
    """The finite dictionary of ``family`` on X (n, d), streamed.

    ``max_bytes`` bounds the working memory of one streamed block (pool subsets,
    hyperplanes, correlations; default 128 MiB); a budget too small for one block is
    refused (PricingTooLarge, a MemoryError, with the minimum). ``block_size`` the
    candidates per block; ``route`` a one-line description for reports; ``exact`` True
    when X is exact (the exact view of columns via the family). ``last_rate`` the
    columns per second of the last :meth:`price`. ``pencils`` True when the candidates'
    hyperplanes come in pencils priced by one sweep each (:mod:`exactgeo.families.sweep`).
    """

    streamed = True

    def __init__(self, family, X, *, max_bytes: Optional[int] = None):
        from ..families.streamed import block_plan
        from ..families.sweep import in_pencils
        from ..numbers import as_array
        arr, exact = as_array(X, "X")
        if arr.ndim != 2 or arr.shape[0] < 1 or arr.shape[1] < 1:
            raise ValueError(f"X: expected a 2-D array of shape (n, d), got shape {arr.shape}")
        self.family = family
        self.X_exact = arr if exact else None
        self.X = np.asarray(arr, dtype=np.float64)
        n, d = self.X.shape
        self.k = family.subset_size(d)
        self.N = n + family.pool_axes(d)
        self.dim = d + 1 if family.bias else d
        self.candidates = int(family.n_candidates(n, d))
        self.signs = 2 if family.activation == "relu" else 1
        self.max_bytes = DEFAULT_BLOCK_BYTES if max_bytes is None else int(max_bytes)
        self.block_size = block_plan(n, self.k, self.dim, self.max_bytes,
                                     f"the {family.dictionary_name} dictionary (n={n}, d={d})")
        # progress granularity: ~2^24 multiply-adds per block (a pencil sweep costs
        # O(log n) per candidate instead of O(n): larger blocks)
        self.pencils = in_pencils(self.k, self.dim)
        self.block_size = min(self.block_size, 2 ** 18 if self.pencils else max(1, 2 ** 24 // n))
        self._prep = family.subset_block(self.X, self._subsets_of_ranks([0])).prep
        self.P = np.ascontiguousarray(self._prep.pool[:n], dtype=np.float64)
        self.last_rate = None
        self.route = (f"implicit, streamed, block size {self.block_size} candidates "
                      f"({self.size} columns, max_bytes {self.max_bytes})")

    # ------------------------------------------------------------------ views
    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def size(self) -> int:
        return self.candidates * self.signs

    @property
    def shape(self):
        return (self.n, self.size)

    @property
    def exact(self) -> bool:
        return self.X_exact is not None

    def spec(self) -> dict:
        """Picklable description of the source (for :func:`price_range` on workers)."""
        f = self.family
        return {"model": f.activation, "reg": f.reg, "bias": f.bias, "axes": f.axes,
                "X": self.X, "block_size": self.block_size, "max_bytes": self.max_bytes}

    def _subsets_of_ranks(self, ranks) -> np.ndarray:
        from ..families.streamed import unrank_many
        return unrank_many(self.N, self.k, ranks)

    def _split(self, idx):
        idx = np.asarray(list(idx), dtype=np.int64)
        if idx.size and (idx.min() < 0 or idx.max() >= self.size):
            raise IndexError(f"idx: column indices must lie in [0, {self.size}), got "
                             f"{idx.min()}..{idx.max()}")
        return idx // self.signs, np.where(idx % self.signs == 0, 1, -1)

    def atoms(self, idx: Sequence[int]) -> list:
        """The float unit neurons of the columns ``idx``."""
        ranks, sg = self._split(idx)
        if not len(ranks):
            return []
        B = self.family.subset_block(self.X, self._subsets_of_ranks(ranks), prep=self._prep)
        return [self.family.atom_from_candidate(B, j, int(s)) for j, s in enumerate(sg)]

    def anchors(self, idx: Sequence[int]) -> np.ndarray:
        """The anchor of each column ``idx`` (its subset's first pool vector: a training
        point), int64 (m,) — as :func:`price_range` groups ``per_anchor``."""
        ranks, _ = self._split(idx)
        if not len(ranks) or not self.k:
            return np.zeros(len(ranks), dtype=np.int64)
        return self._subsets_of_ranks(ranks)[:, 0].copy()

    @property
    def neighbour_count(self) -> int:
        """The default ``neighbours`` of :meth:`neighbour_columns`: 2 for lines (k ≤ 2),
        8 for planes through three points (k ≥ 3), where a full pricing pass costs ~15×
        more and a richer local start saves passes (d = 3, N = 500: column generation
        243 s against 327 s with 2; BENCHMARKS.md, Scale)."""
        return 2 if self.k <= 2 else 8

    def neighbour_columns(self, neighbours: Optional[int] = None) -> np.ndarray:
        """A starting working set: the columns (both signs) of the hyperplanes through each
        sample, its ``neighbours`` (default :attr:`neighbour_count`) nearest samples and the
        axes (pool subsets of a sample and k − 1 of those), sorted, without repeats. Column
        generation from these needs fewer full pricing passes than from the empty set.

        >>> from exactgeo.families import get_family
        >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
        >>> ImplicitSource(get_family("relu", reg="l1", bias=True), X).neighbour_columns(1).size
        16
        """
        from itertools import combinations
        from ..families.streamed import rank
        n = self.n
        if self.k < 2:
            return np.zeros(0, dtype=np.int64)
        m = min(self.neighbour_count if neighbours is None else int(neighbours), n - 1)
        near = np.zeros((n, 0), dtype=np.int64)
        if m > 0:
            sq = (self.X * self.X).sum(axis=1)
            near = np.empty((n, m), dtype=np.int64)
            for s in range(0, n, 512):           # blocks of rows: O(512 n) memory
                D = sq[s:s + 512, None] - 2 * self.X[s:s + 512] @ self.X.T + sq[None, :]
                D[np.arange(D.shape[0]), np.arange(s, s + D.shape[0])] = np.inf
                near[s:s + 512] = np.argsort(D, axis=1, kind="stable")[:, :m]
        axes = list(range(n, self.N))
        ranks = set()
        for i in range(n):
            for rest in combinations(list(near[i]) + axes, self.k - 1):
                sub = sorted({i, *map(int, rest)})
                if len(sub) == self.k:
                    ranks.add(rank(self.N, self.k, sub))
        r = np.array(sorted(ranks), dtype=np.int64)
        r = r[r < self.candidates]
        return (r[:, None] * self.signs + np.arange(self.signs)[None, :]).ravel()

    def columns(self, idx: Sequence[int], exact: bool = False) -> np.ndarray:
        """Columns ``idx``: float64 (n, m) of the unit neurons (cleaned of round-off as
        in the family's float dictionary), or the exact view (needs exact X)."""
        if exact:
            return self.exact_dictionary(idx).A
        ranks, sg = self._split(idx)
        if not len(ranks):
            return np.zeros((self.n, 0))
        from ..families.streamed import feature_columns
        C = self._subsets_of_ranks(ranks)
        B = self.family.subset_block(self.X, C, prep=self._prep)
        return feature_columns(np.ascontiguousarray(self._prep.pool[:self.n]),
                               np.ascontiguousarray(B.W), C, np.asarray(sg, dtype=np.float64),
                               np.asarray(B.deg), self.family.activation == "relu")

    def exact_dictionary(self, idx):
        """The exact :class:`~exactgeo.families.Dictionary` of the columns ``idx``."""
        if self.X_exact is None:
            raise ValueError("columns: this source has no exact view (give exact X)")
        return self.family.exact_columns(self.X_exact, self.exact_atoms(idx))

    def exact_atoms(self, idx: Sequence[int]) -> list:
        """The exact atoms of the columns ``idx`` (needs exact X), built from the integer
        pool once — the atoms :meth:`family.exact_atom` makes of :meth:`atoms`."""
        from ..ga import cross_int
        from ..numbers import primitive
        fam = self.family
        ranks, sg = self._split(idx)
        if not len(ranks) or not hasattr(fam, "_exact_atom_from_row"):
            return [fam.exact_atom(self.X_exact, a) for a in self.atoms(idx)]
        if getattr(self, "_ipool", None) is None:
            self._ipool = np.array(fam.integer_pool(self.X_exact)[0], dtype=object)
        C = self._subsets_of_ranks(ranks)
        W = cross_int(self._ipool[C]) if self.k else np.ones((len(C), 1), dtype=np.int64)
        n, d = self.X.shape
        out = []
        for t, s in enumerate(sg):
            pts = tuple(int(i) for i in C[t] if i < n)
            axs = tuple(int(i) - n for i in C[t] if i >= n)
            row = primitive([int(s) * int(v) for v in W[t]])
            out.append(fam._exact_atom_from_row(row, d, pts, axs, int(s)))
        return out

    def norm_sq(self, idx: Sequence[int]):
        return self.exact_dictionary(idx).norm_sq

    # ------------------------------------------------------------------ linear algebra
    def correlate(self, r) -> np.ndarray:
        """A_kᵀr for every column (float64 (size,); the only O(size) allocation)."""
        out = np.zeros(self.size)
        for c0, corr, _, _ in _block_correlations(self.family, self.X, self.P, self._prep,
                                            np.asarray(r, dtype=np.float64), self.k, self.N,
                                            0, self.candidates, self.block_size):
            out[c0:c0 + corr.size] = corr
        return out

    def price(self, r, k: int = 1, *, beta=None, exclude=None, threshold=None, progress=None,
              client=None, rank_beta=None, per_anchor=None, **_) -> Priced:
        """The k columns with the largest |A_kᵀr| (ties: lower index; with ``rank_beta``
        the largest (|A_kᵀr| − rank_beta)/‖A_k‖₂) not in ``exclude``
        and above ``threshold``, and max_k |A_kᵀr| over every column, streamed block by
        block (``progress(done, total, "candidates")`` after each; it may raise to stop).
        ``client`` a dask.distributed Client: the blocks are priced on its workers
        (:mod:`exactgeo.distributed`), with identical results."""
        r = np.asarray(r, dtype=np.float64)
        t0 = time.perf_counter()
        if client is not None:
            from ..distributed import price_distributed
            pr = price_distributed(client, self, r, k, exclude=exclude, threshold=threshold,
                                   rank_beta=rank_beta, per_anchor=per_anchor)
        else:
            parts = []
            for stop_at, part in _ranges(self.candidates, self.block_size):
                parts.append(price_range(self.spec(), r, part[0], part[1], k,
                                         exclude=exclude, threshold=threshold,
                                         rank_beta=rank_beta, per_anchor=per_anchor,
                                         source=self))
                if progress is not None:
                    progress(stop_at, self.candidates, "candidates")
            pr = merge_priced(parts, k)
        dt = time.perf_counter() - t0
        self.last_rate = self.size / dt if dt > 0 else None
        return pr


def _ranges(total, block):
    """(end, (start, stop)) of the consecutive blocks of [0, total)."""
    for s in range(0, total, block):
        e = min(total, s + block)
        yield e, (s, e)


def _block_correlations(fam, X, P, prep, r, k, N, start, stop, block, norms=False):
    """(first column, A_kᵀr, ‖A_k‖₂²) of the block's columns for the candidates
    [start, stop)."""
    from ..families.streamed import rank_blocks, streamed_correlations
    from ..families.sweep import in_pencils, sweep_correlations
    signs = 2 if fam.activation == "relu" else 1
    pencils = in_pencils(k, P.shape[1])
    for s0, C in rank_blocks(N, k, start, stop, block):
        B = fam.subset_block(X, C, prep=prep)
        W = np.ascontiguousarray(B.W)
        cp, cn, qp, qn = (sweep_correlations(P, W, C, r, norms) if pencils else
                          streamed_correlations(P, W, r, norms))
        if signs == 2:
            corr = np.empty(2 * len(C))
            corr[0::2], corr[1::2] = cp, cn
            corr[0::2][B.deg] = 0.0
            corr[1::2][B.deg] = 0.0
            nsq = np.empty(2 * len(C))
            nsq[0::2], nsq[1::2] = qp, qn
        else:
            corr = cp + cn
            corr[B.deg] = 0.0
            nsq = qp + qn
        yield s0 * signs, corr + 0.0, nsq, np.repeat(C[:, 0] if C.shape[1] else
                                                      np.zeros(len(C), np.int64), signs)


def price_range(spec: dict, r, start: int, stop: int, k: int, *, exclude=None,
                threshold=None, rank_beta=None, per_anchor=None, source=None) -> tuple:
    """Price the candidates of ranks [start, stop) of the source described by ``spec``
    (:meth:`ImplicitSource.spec`): returns (sup, argmax column, top-k columns, their
    A_kᵀr, their ranking keys) — picklable, so workers can run it. Ranked by |A_kᵀr|,
    or with ``rank_beta`` by (|A_kᵀr| − β)/‖A_k‖₂, the distance of the dual point to
    the column's constraint; ``per_anchor`` keeps at most that many columns per anchor
    (the subset's first pool vector: a training point), so the k columns spread over
    the data instead of k near-copies of one hyperplane. ``source`` reuses a local
    source's pool."""
    if source is None:
        from ..families import get_family
        fam = get_family(spec["model"], reg=spec["reg"], bias=spec["bias"], axes=spec["axes"])
        source = ImplicitSource(fam, spec["X"], max_bytes=spec["max_bytes"])
        source.block_size = spec["block_size"]
    fam = source.family
    excl = None if exclude is None or not len(exclude) else np.unique(
        np.asarray(exclude, dtype=np.int64))
    sup, arg = 0.0, -1
    best_idx = np.zeros(0, dtype=np.int64)
    best_val = np.zeros(0)
    best_key = np.zeros(0)
    for c0, corr, nsq, anchor in _block_correlations(fam, source.X, source.P, source._prep,
                                                     r, source.k, source.N, start, stop,
                                                     source.block_size,
                                                     norms=rank_beta is not None):
        a = np.abs(corr)
        j = int(np.argmax(a))
        if a[j] > sup:
            sup, arg = float(a[j]), c0 + j
        if k <= 0:
            continue
        cand = np.ones(a.size, dtype=bool)
        if threshold is not None:
            cand &= a > threshold
        if excl is not None:
            lo, hi = np.searchsorted(excl, [c0, c0 + a.size])
            cand[excl[lo:hi] - c0] = False
        if rank_beta is not None:
            key = np.zeros(a.size)
            key[cand] = (a[cand] - rank_beta) / np.sqrt(np.maximum(nsq[cand], 1e-300))
        else:
            key = a
        if per_anchor:
            cand = per_anchor_cap(key, cand, anchor, int(per_anchor))
        sel = top_k(key, k, cand)
        idx = np.concatenate([best_idx, c0 + sel])
        val = np.concatenate([best_val, corr[sel]])
        ky = np.concatenate([best_key, key[sel]])
        keep = _top(idx, ky, k)
        best_idx, best_val, best_key = idx[keep], val[keep], ky[keep]
    return sup, arg, best_idx, best_val, best_key


def per_anchor_cap(key, cand, anchor, c):
    """cand restricted to the c best keys of every anchor (first pool vector of the
    subset; ties: lower column)."""
    pos = np.flatnonzero(cand)
    if pos.size == 0:
        return cand
    order = pos[np.lexsort((pos, -key[pos], anchor[pos]))]
    a = anchor[order]
    first = np.r_[0, np.flatnonzero(a[1:] != a[:-1]) + 1]
    rank_in = np.arange(order.size) - np.repeat(first, np.diff(np.r_[first, order.size]))
    out = np.zeros_like(cand)
    out[order[rank_in < c]] = True
    return out


def _top(idx, key, k):
    """Positions of the k largest keys (ties: lower idx) — the order top_k gives."""
    order = np.argsort(idx, kind="stable")
    pos = top_k(key[order], k)
    return order[pos]


def merge_priced(parts, k) -> Priced:
    """One :class:`Priced` from the partial answers of :func:`price_range` (max of the
    sups, ties to the lower column; top-k of the union): independent of the split."""
    sup, arg = 0.0, -1
    for s, a, _, _, _ in parts:
        if s > sup or (s == sup and a >= 0 and (arg < 0 or a < arg)):
            sup, arg = s, a
    idx = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    val = np.concatenate([p[3] for p in parts]) if parts else np.zeros(0)
    key = np.concatenate([p[4] for p in parts]) if parts else np.zeros(0)
    keep = _top(idx, key, max(int(k), 0)) if idx.size else np.zeros(0, dtype=np.int64)
    return Priced(idx[keep].astype(np.int64), val[keep], float(sup), int(arg), "float")
