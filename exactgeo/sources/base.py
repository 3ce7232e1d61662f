"""The column-source protocol: what the working-set loop asks of a dictionary.

A *column source* is the dictionary A of a Lasso seen from the solver. It may be held
in memory (:class:`~exactgeo.sources.explicit.ExplicitSource`, today's
:class:`~exactgeo.families.Dictionary`), grown by a pricing oracle
(:class:`~exactgeo.sources.generated.GeneratedSource`, column generation) or, later,
streamed in blocks. The loop (:func:`exactgeo.lasso.working_set.working_set`) never
looks further than this:

=====================  ==============================================================
``n``, ``size``        rows (samples) and columns held
``columns(idx)``       the columns ``idx`` as float64 (n, m), normalised; with
                       ``exact=True`` the exact view (Fractions; for ℓ2 unnormalised,
                       see ``norm_sq(idx)``)
``norm_sq(idx)``       exact squared ℓ2 norms of the exact view (None: none)
``atoms(idx)``         the neurons behind the columns (None for a bare matrix)
``correlate(r)``       A_kᵀr for every column (float64; exact for exact r when the
                       source has an exact view)
``price(r, k)``        the k most violating columns and the maximum (:class:`Priced`)
=====================  ==============================================================

``price`` is the only place where "the whole dictionary" is looked at: its ``sup`` is
max_k |A_kᵀr| over every column (for an oracle-backed source, over the whole neuron
family), which is what the duality gap and the optimality test need.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Protocol, Sequence, runtime_checkable

import numpy as np

__all__ = ["ColumnSource", "Priced", "top_k", "positions"]


@dataclass
class Priced:
    """Answer of ``source.price(r, k)``.

    ``idx`` (m,) candidate columns (indices into the source), most violating first;
    ``values`` their A_kᵀr (float64, or exact Fractions for an exact price);
    ``sup`` max_k |A_kᵀr| over the whole source as a float (a lower bound when
    ``kind == "sampled"``), attained at column ``argmax`` (-1 when not a held column);
    ``kind`` "float" | "exact" | "sampled"; ``corr`` every A_kᵀr when the source computed
    them (explicit float sources), else None; ``atom`` the maximising neuron (oracle
    sources) and ``info`` the oracle's own answer; ``stop`` a reason when pricing was
    interrupted (e.g. "time-limit"): then nothing else is meaningful.
    """
    idx: np.ndarray
    values: Any
    sup: float
    argmax: int = -1
    kind: str = "float"
    corr: Optional[np.ndarray] = None
    atom: Any = None
    info: Any = None
    stop: Optional[str] = None

    @property
    def signs(self) -> list:
        """sign(A_kᵀr) of the candidates (±1; +1 for a zero value)."""
        return [1 if v >= 0 else -1 for v in self.values]


@runtime_checkable
class ColumnSource(Protocol):
    """The protocol (see the module docstring); :class:`ExplicitSource` and
    :class:`GeneratedSource` implement it."""

    @property
    def n(self) -> int: ...

    @property
    def size(self) -> int: ...

    def columns(self, idx: Sequence[int], exact: bool = False) -> np.ndarray: ...

    def norm_sq(self, idx: Sequence[int]): ...

    def atoms(self, idx: Sequence[int]) -> Optional[list]: ...

    def correlate(self, r) -> np.ndarray: ...

    def price(self, r, k: int = 1, **kw) -> Priced: ...


def positions(ids, wanted) -> np.ndarray:
    """Where each of ``wanted`` sits in ``ids`` (distinct column ids): int64 indices,
    −1 for ids not there. O((|ids| + |wanted|) log |ids|).

    >>> positions(np.array([7, 3, 9]), np.array([9, 4, 7])).tolist()
    [2, -1, 0]
    """
    ids = np.asarray(ids, dtype=np.int64)
    wanted = np.asarray(wanted, dtype=np.int64)
    if ids.size == 0:
        return np.full(wanted.size, -1, dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    at = order[np.minimum(np.searchsorted(ids, wanted, sorter=order), ids.size - 1)]
    return np.where(ids[at] == wanted, at, -1)


def top_k(keys, k, candidates=None) -> np.ndarray:
    """Indices of the k largest ``keys`` (restricted to ``candidates``, a bool mask or
    index array), largest first, ties broken by the lower index: the first k of a stable
    ``argsort(-keys)``, in O(p + k log k).

    >>> top_k(np.array([1.0, 3.0, 3.0, 2.0]), 2).tolist()
    [1, 2]
    >>> top_k(np.array([1.0, 3.0, 3.0, 2.0]), 2, np.array([True, False, True, True])).tolist()
    [2, 3]
    """
    keys = np.asarray(keys)
    if candidates is None:
        cand = np.arange(keys.shape[0])
    else:
        cand = np.asarray(candidates)
        cand = np.flatnonzero(cand) if cand.dtype == bool else cand.astype(np.int64)
    k = int(max(0, min(k, cand.size)))
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    kc = keys[cand]
    if k < cand.size:
        kth = np.partition(kc, kc.size - k)[kc.size - k]
        sel = np.flatnonzero(kc >= kth)
        cand, kc = cand[sel], kc[sel]
    order = np.argsort(-kc, kind="stable")[:k]
    return cand[order].astype(np.int64)
