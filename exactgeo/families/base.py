"""The family protocol: everything the Lasso, the certificates and the weight
reconstruction need to know about one architecture (DESIGN.md).

A *family* fixes an activation, a depth, a penalty (ℓ1 or ℓ2 on the inner
weights) and whether neurons have biases. It answers four questions:

* ``dictionary(X)`` – a finite set of unit neurons (atoms) and their features;
* ``features(X, atoms)`` – the feature columns φ(X; θ) of given atoms;
* ``price(X, r)`` – the pricing oracle sup_θ |rᵀφ(X; θ)| with its maximiser;
* ``layers(atom, z)`` – the network weights realising z·φ(·; θ) at penalty β|z|.
"""
from __future__ import annotations

from collections import abc as _abc
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Optional, Sequence

import numpy as np


@dataclass(frozen=True, eq=False)
class Atom:
    """One unit neuron θ = (u, c) of a family.

    ``u`` (d,) and ``c`` are exact (object array of Fractions, Fraction) or floats
    (float64 array, float). For ℓ1 families they are normalised, ‖u‖₁ = 1. For ℓ2
    families exact atoms keep the *unnormalised* rational direction (a primitive
    integer vector, as Fractions) and ``norm_sq`` = ‖u‖₂² (the unit neuron is
    (u, c)/√norm_sq); float atoms are normalised and ``norm_sq`` is None.
    ``points`` are the training-row indices whose (augmented) cross product gives
    the atom; ``axes`` the standard-basis directions e_k used with them; ``sign``
    (±1) says whether the atom is +× or −× of those vectors (THEORY §0 order:
    points ascending, then axes ascending). An atom found by a pricing oracle
    inside a chamber (not spanned by samples) has ``points``/``axes`` describing
    only the anchor, or nothing.

    Atoms compare by identity; :meth:`key` is a hashable exact/float description.

    >>> a = Atom(np.array([1.0, 0.0]), 0.0, points=(0,))
    >>> a.key()
    ((1.0, 0.0), 0.0, None)
    """
    u: Any
    c: Any = 0
    norm_sq: Any = None
    points: tuple = ()
    axes: tuple = ()
    sign: int = 1

    @property
    def exact(self) -> bool:
        return isinstance(self.u, np.ndarray) and self.u.dtype == object

    def key(self):
        """Hashable (u, c, norm_sq) tuple (exact values stay Fractions)."""
        return (tuple(self.u.tolist()), self.c if self.exact else float(self.c),
                self.norm_sq)

    def float_u_c(self):
        """(u, c) as float64, normalised (divided by √norm_sq for exact ℓ2 atoms)."""
        u = np.asarray(self.u, dtype=np.float64)
        c = float(self.c)
        if self.norm_sq is not None:
            s = float(np.sqrt(float(self.norm_sq)))
            u, c = u / s, c / s
        return u, c


class Dictionary:
    """A finite dictionary: column k of the feature matrix is φ(X; atoms[k]).

    ``A`` has shape (n, p), float64 or an object array of Fractions. For exact ℓ2
    families column k is ``A[:, k] / sqrt(norm_sq[k])`` (``norm_sq`` an object array);
    otherwise ``norm_sq`` is None and ``A`` holds the columns themselves.
    ``n_zero`` / ``n_duplicate`` count columns removed as zero or repeated (both signs
    of every neuron are kept, so the ± pair of one neuron is not a duplicate).

    Exact dictionaries are stored as integers, ``A[:, k] = num[:, k] / den[k]``
    (``num`` an (n, p) object array of Python ints, ``den`` a (p,) object array of
    positive ints); ``A`` (Fractions) is built lazily on first access, which is slow
    and memory-hungry for large dictionaries — prefer :meth:`columns`,
    :meth:`correlate`, :meth:`violations` and :meth:`float_matrix`.

    >>> from fractions import Fraction as F
    >>> D = Dictionary(None, [None], num=np.array([[1], [2]], dtype=object),
    ...                den=np.array([4], dtype=object), exact=True)
    >>> D.A[:, 0].tolist(), D.shape
    ([Fraction(1, 4), Fraction(1, 2)], (2, 1))
    >>> D.correlate([F(1), F(-1)]).tolist()
    [Fraction(-1, 4)]
    """

    def __init__(self, A=None, atoms=(), norm_sq=None, n_zero: int = 0,
                 n_duplicate: int = 0, exact: bool = False, *, num=None, den=None,
                 info: Optional[dict] = None):
        if A is None and num is None:
            raise ValueError("Dictionary: give A or (num, den)")
        self._A = A
        self.atoms = atoms if isinstance(atoms, (list, _abc.Sequence)) else list(atoms)
        self.norm_sq = norm_sq
        self.n_zero = int(n_zero)
        self.n_duplicate = int(n_duplicate)
        self.exact = bool(exact)
        self.num = num
        self.den = den
        self.info = dict(info or {})

    def __repr__(self):
        kind = "exact" if self.exact else "float"
        return (f"Dictionary({kind}, shape={self.shape}, n_zero={self.n_zero}, "
                f"n_duplicate={self.n_duplicate})")

    @property
    def A(self) -> np.ndarray:
        if self._A is None:
            self._A = self.columns(range(self.shape[1]))
        return self._A

    @A.setter
    def A(self, value):
        self._A = value

    @property
    def shape(self):
        if self._A is not None:
            return self._A.shape
        return self.num.shape

    def __len__(self):
        return self.shape[1]

    def columns(self, idx) -> np.ndarray:
        """Columns ``idx`` (exact: Fractions, unnormalised for ℓ2) as an (n, len(idx)) array."""
        idx = list(idx)
        if self._A is not None or self.num is None:
            return self._A[:, idx]
        n = self.num.shape[0]
        out = np.empty((n, len(idx)), dtype=object)
        zero = Fraction(0)        # shared: relu columns are mostly zeros
        for j, k in enumerate(idx):
            dk = int(self.den[k])
            out[:, j] = [Fraction(int(v), dk) if v else zero for v in self.num[:, k]]
        return out

    def float_matrix(self) -> np.ndarray:
        """The columns as float64 (dividing by √norm_sq where present)."""
        if not self.exact:
            A = self._A
        elif self.num is not None:
            A = _int_to_float(self.num) / _int_to_float(self.den)[None, :]
        else:
            A = np.asarray(self._A, dtype=np.float64)
        if self.norm_sq is not None:
            A = A / np.sqrt(np.asarray(self.norm_sq, dtype=np.float64))
        return A

    def correlate(self, r) -> np.ndarray:
        """A_kᵀr for every column: exact dictionary + exact r → object array of
        Fractions (for ℓ2 the *unnormalised* a_kᵀr; |col_kᵀr| = |a_kᵀr|/√norm_sq_k);
        otherwise float64 of the normalised columns."""
        from ..numbers import as_array
        r_arr, r_exact = as_array(r, "r")
        if r_arr.shape != (self.shape[0],):
            raise ValueError(f"r: expected shape ({self.shape[0]},), got {r_arr.shape}")
        if not (self.exact and r_exact):
            return self.float_matrix().T @ np.asarray(r_arr, dtype=np.float64)
        if self.num is None:
            return self._A.T @ r_arr
        rn, R = _common_denominator(r_arr)
        s = self.num.T @ rn
        return np.array([Fraction(int(v), int(dk) * R) for v, dk in zip(s, self.den)],
                        dtype=object)

    def violations(self, r, beta) -> np.ndarray:
        """Indices k with |col_kᵀr| > β, decided exactly for exact r and β
        (ℓ2: (a_kᵀr)² > β²·norm_sq_k), else in floats."""
        from ..numbers import is_exact_scalar, to_fraction
        c = self.correlate(r)
        if c.dtype == object and (is_exact_scalar(beta) or isinstance(beta, Fraction)):
            b = to_fraction(beta)
            if self.norm_sq is None:
                bad = [k for k, v in enumerate(c) if abs(v) > b]
            else:
                bad = [k for k, v in enumerate(c) if v * v > b * b * self.norm_sq[k]]
            return np.array(bad, dtype=np.int64)
        return np.flatnonzero(np.abs(np.asarray(c, dtype=np.float64)) > float(beta))


def exact_sqrt(q):
    """√q as a Fraction when q ≥ 0 is the square of a rational, else None.

    >>> exact_sqrt(Fraction(81, 100)), exact_sqrt(Fraction(2))
    (Fraction(9, 10), None)
    """
    from math import isqrt
    q = Fraction(q)
    if q < 0:
        return None
    a, b = isqrt(q.numerator), isqrt(q.denominator)
    return Fraction(a, b) if a * a == q.numerator and b * b == q.denominator else None


def _int_to_float(a) -> np.ndarray:
    a = np.asarray(a)
    if a.dtype != object:
        return a.astype(np.float64)
    try:
        return a.astype(np.float64)
    except OverflowError:  # pragma: no cover - astronomically large integers
        return np.array([float(Fraction(v)) for v in a.flat]).reshape(a.shape)


def _common_denominator(q):
    """Exact 1-D/2-D array → (integer object array, positive int L) with q = ints / L."""
    from math import lcm
    flat = [Fraction(v) for v in np.asarray(q, dtype=object).flat]
    L = lcm(*[v.denominator for v in flat]) if flat else 1
    ints = np.array([v.numerator * (L // v.denominator) for v in flat],
                    dtype=object).reshape(np.shape(q))
    return ints, L


@dataclass
class Pricing:
    """Result of the pricing oracle sup_θ |rᵀφ(X; θ)|.

    ``sup`` is a float lower/upper value for display; ``sup_exact`` a Fraction when the
    supremum is rational, or for irrational suprema ``sup_sq_exact`` = sup² as a Fraction;
    ``kind`` is "exact" (the true supremum over the whole family) or "sampled"
    (a lower bound from ``samples`` sampled directions); ``atom`` attains ``sup``
    and ``sign`` is the sign of rᵀφ there.
    """
    sup: float
    atom: Optional[Atom]
    sign: int
    kind: str
    samples: int = 0
    sup_exact: Any = None
    sup_sq_exact: Any = None

    def exceeds(self, beta) -> bool:
        """Is sup > β?  Exact when sup_exact / sup_sq_exact and β are exact."""
        from ..numbers import is_exact_scalar, to_fraction
        if is_exact_scalar(beta):
            b = to_fraction(beta)
            if self.sup_exact is not None:
                return self.sup_exact > b
            if self.sup_sq_exact is not None:
                return b < 0 or self.sup_sq_exact > b * b
        return self.sup > float(beta)


class Family:
    """Base class; concrete families set the attributes and implement the methods."""
    activation: str = "relu"        # "relu" | "abs"
    depth: int = 2
    reg: str = "l1"                 # "l1" | "l2"
    bias: bool = True
    exact_oracle: bool = True       # does price() return the true supremum?

    @property
    def name(self) -> str:
        return f"{self.activation}-d{self.depth}-{self.reg}-{'bias' if self.bias else 'nobias'}"

    def estimate_columns(self, n: int, d: int) -> int:
        raise NotImplementedError

    def dictionary(self, X, *, exact: bool = False, max_bytes: int = 2 ** 31) -> Dictionary:
        raise NotImplementedError

    def features(self, X, atoms: Sequence[Atom]) -> np.ndarray:
        raise NotImplementedError

    def price(self, X, r, *, samples: int = 2000, seed: int = 0) -> Pricing:
        raise NotImplementedError

    def layers(self, atom: Atom, z) -> tuple[list, Any]:
        """Weights ``([(w_1, b_1), ...], alpha)`` with alpha·h_{L-1}(x) = z·φ(x; atom)
        and penalty contribution β|z| (THEORY §2.6)."""
        raise NotImplementedError
