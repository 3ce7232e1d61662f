"""Explicit column sources: every column held in memory (a float matrix, optionally its
exact view), e.g. a family's finite :class:`~exactgeo.families.Dictionary`.

>>> import numpy as np
>>> src = ExplicitSource(np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 0.0]]))
>>> pr = src.price(np.array([1.0, 0.5]), k=2, threshold=0.6)
>>> pr.idx.tolist(), pr.values.tolist(), pr.sup, pr.argmax
([2, 0], [2.0, 1.0], 2.0, 2)
>>> from fractions import Fraction as F
>>> ex = ExplicitSource(exact=np.array([[F(1), F(0)], [F(0), F(1, 3)]], dtype=object))
>>> pr = ex.price(np.array([F(1, 2), F(3)], dtype=object), k=5, beta=F(1, 2))
>>> pr.kind, pr.idx.tolist(), pr.values.tolist()          # |1/2| = β is no violation
('exact', [1], [Fraction(1, 1)])
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Optional, Sequence

import numpy as np

from .base import Priced, top_k

__all__ = ["ExplicitSource", "as_source"]


def _is_exact(v) -> bool:
    return isinstance(v, np.ndarray) and v.dtype == object


class ExplicitSource:
    """Columns held in memory.

    ``A`` (n, p) float64, the normalised columns (for ℓ2 dictionaries a_k/√q_k); ``exact``
    (n, p) object array of Fractions, the exact view (unnormalised for ℓ2, with
    ``norm_sq`` (p,) the exact q_k); ``atoms`` the neurons behind the columns; ``valid``
    (p,) bool, the columns that may be priced (zero columns are not: they never enter a
    solution and do not bound the dual). Either view may be omitted: the float one is
    then derived from the exact one. Use :meth:`from_dictionary` for a family's
    :class:`~exactgeo.families.Dictionary` (its integer storage is used directly).
    """

    def __init__(self, A=None, *, exact=None, norm_sq=None, atoms=None, valid=None,
                 dictionary=None):
        if A is None and exact is None and dictionary is None:
            raise ValueError("ExplicitSource: give A (float), exact, or dictionary")
        self._A = None if A is None else np.asarray(A, dtype=np.float64)
        self._exact = exact
        self._norm_sq = norm_sq
        self._atoms = atoms
        self._D = dictionary
        self._absA = None
        self._ints: dict = {}                 # exact columns as integers, by index
        if self._A is not None:
            shape = self._A.shape
        elif exact is not None:
            shape = np.shape(exact)
        else:
            shape = dictionary.shape
        if len(shape) != 2:
            raise ValueError(f"A: expected a 2-D (n, p) matrix, got shape {shape}")
        self._shape = (int(shape[0]), int(shape[1]))
        self.valid = None if valid is None else np.asarray(valid, dtype=bool)

    @classmethod
    def from_dictionary(cls, D, A_float=None) -> "ExplicitSource":
        """The source of a family's :class:`~exactgeo.families.Dictionary` (exact or float);
        ``A_float`` may pass its float matrix when already computed."""
        return cls(A_float, norm_sq=D.norm_sq if D.exact else None, atoms=D.atoms,
                   dictionary=D)

    # ------------------------------------------------------------------ views
    @property
    def n(self) -> int:
        return self._shape[0]

    @property
    def size(self) -> int:
        return self._shape[1]

    @property
    def shape(self):
        return self._shape

    @property
    def exact(self) -> bool:
        """Has an exact view."""
        return self._exact is not None or (self._D is not None and self._D.exact)

    def float_matrix(self) -> np.ndarray:
        """All columns as float64 (n, p) (normalised)."""
        if self._A is None:
            if self._D is not None:
                self._A = np.asarray(self._D.float_matrix(), dtype=np.float64)
            else:
                from ..families.base import ratio_to_float
                self._A = ratio_to_float(np.asarray(self._exact, dtype=object), None,
                                         self._norm_sq)
        return self._A

    def columns(self, idx: Sequence[int], exact: bool = False) -> np.ndarray:
        """Columns ``idx``: float64 (n, m) normalised, or the exact view (Fractions)."""
        idx = list(idx)
        if not exact:
            return self.float_matrix()[:, idx]
        if self._exact is not None:
            return np.asarray(self._exact, dtype=object)[:, idx]
        if self._D is not None and self._D.exact:
            return self._D.columns(idx)
        raise ValueError("columns: this source has no exact view")

    def norm_sq(self, idx: Sequence[int]):
        """Exact q_k of the exact view's columns ``idx`` (None when the view is normalised)."""
        if self._norm_sq is None:
            return None
        return np.asarray(self._norm_sq, dtype=object)[list(idx)]

    def atoms(self, idx: Sequence[int]) -> Optional[list]:
        if self._atoms is None:
            return None
        return [self._atoms[int(k)] for k in idx]

    def exact_column_ints(self, k: int):
        """Column k of the exact view as (Python ints (n,), positive int denominator),
        converted once per column (the exact KKT step asks for a column several times)."""
        k = int(k)
        got = self._ints.get(k)
        if got is None:
            D = self._D
            if self._exact is None and D is not None and D.num is not None:
                got = [int(v) for v in D.num[:, k]], int(D.den[k])
            else:
                from ..lasso.exact.rational import frac_int_vec
                got = frac_int_vec(self.columns([k], exact=True)[:, 0])
            self._ints[k] = got
        return got

    # ------------------------------------------------------------------ linear algebra
    def correlate(self, r) -> np.ndarray:
        """A_kᵀr for every column: float64 of the normalised columns, or — exact r and an
        exact view — Fractions (for ℓ2 the unnormalised a_kᵀr)."""
        if _is_exact(r) and self.exact:
            if self._D is not None:
                return self._D.correlate(r)
            return np.asarray(self._exact, dtype=object).T @ r
        return self.float_matrix().T @ np.asarray(r, dtype=np.float64)

    def price(self, r, k: int = 1, *, beta=None, exclude=None, threshold=None, mask=None,
              norms=None) -> Priced:
        """The k most violating columns for the residual r and max_k |A_kᵀr|.

        Float r: ``corr`` = Aᵀr (zero on invalid columns), ``sup`` = max |corr|; the
        candidates are the valid columns in ``mask`` (bool (p,), default all) not in
        ``exclude`` (indices) with |corr| > ``threshold`` (default: no threshold), ranked by
        |corr|, or by (|corr| − β)/‖A_k‖ when ``norms`` (‖A_k‖, (p,)) is given (distance to
        the dual constraint's boundary).

        Exact r (Fractions) with an exact, unnormalised view and exact ``beta``: the
        columns with |A_kᵀr| > β decided rigorously (float filter with an a-priori
        rounding bound, exact evaluation of the undecided columns); ``values`` exact.
        """
        if _is_exact(r) and self.exact and self._norm_sq is None and beta is not None \
                and not isinstance(beta, float):
            return self._price_exact(r, k, beta)
        corr = self.correlate(np.asarray(r, dtype=np.float64))
        if self.valid is not None:
            corr[~self.valid] = 0.0
        a = np.abs(corr)
        am = int(np.argmax(a)) if a.size else -1
        sup = float(a[am]) if a.size else 0.0
        if k <= 0:
            return Priced(np.zeros(0, dtype=np.int64), corr[:0], sup, am, "float", corr)
        cand = np.ones(self.size, dtype=bool) if self.valid is None else self.valid.copy()
        if mask is not None:
            cand &= mask
        if exclude is not None and len(exclude):
            cand[np.asarray(exclude, dtype=np.int64)] = False
        if threshold is not None:
            cand &= a > threshold
        if norms is not None:
            keys = np.zeros(self.size)
            keys[cand] = (a[cand] - beta) / norms[cand]
        else:
            keys = a
        idx = top_k(keys, k, cand)
        return Priced(idx, corr[idx], sup, am, "float", corr)

    def _price_exact(self, r, k, beta) -> Priced:
        from ..lasso.exact.rational import rigorous_violations
        if self._absA is None:
            self._absA = np.abs(self.float_matrix())
        viol, maxv, argv = rigorous_violations(self.exact_column_ints, self.float_matrix(),
                                               self._absA, r, Fraction(beta))
        order = sorted(viol, key=lambda q: -abs(viol[q]))[:max(int(k), 0)]
        sup = float(beta) + maxv if np.isfinite(maxv) else 0.0
        return Priced(np.array(order, dtype=np.int64),
                      np.array([viol[q] for q in order], dtype=object), sup, argv, "exact",
                      info={"violations": viol, "max_violation": maxv})


def as_source(A, **kw) -> Any:
    """A column source for A: sources pass through, a :class:`Dictionary` is wrapped, an
    array becomes an :class:`ExplicitSource` (float64, or exact for object arrays)."""
    if hasattr(A, "price") and hasattr(A, "columns") and hasattr(A, "size"):
        return A
    if hasattr(A, "float_matrix") and hasattr(A, "atoms"):
        return ExplicitSource.from_dictionary(A, **kw)
    if _is_exact(A):
        return ExplicitSource(exact=A, **kw)
    return ExplicitSource(A, **kw)
