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

from ..numbers import integer_scale


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

    def to_json(self) -> dict:
        """u, c as floats of the unit neuron; exact "p/q" strings (and norm_sq) when exact."""
        from ..numbers import fraction_str, is_exact_scalar
        u = list(np.asarray(self.u, dtype=object).flat)
        c = self.c if self.c is not None else 0
        uf, cf = self.float_u_c()
        out = {"u": [float(v) for v in uf], "c": float(cf),
               "points": [int(p) for p in self.points], "axes": [int(a) for a in self.axes]}
        if all(is_exact_scalar(v) for v in u) and is_exact_scalar(c):
            out["u_exact"] = [fraction_str(v) for v in u]
            out["c_exact"] = fraction_str(c)
            out["norm_sq_exact"] = None if self.norm_sq is None else fraction_str(self.norm_sq)
        return out

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
        if self.exact:
            # every entry is the float of its exact value num/(den·√norm_sq), also when
            # num, den or norm_sq lie beyond the float range and the value does not
            # (den = 2**1074·‖w‖₁ for data with a subnormal entry)
            if self.num is not None:
                return ratio_to_float(self.num, self.den, self.norm_sq)
            return ratio_to_float(self._A, None, self.norm_sq)
        A = self._A
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
        rn, R = integer_scale(r_arr)
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


def check_residual(r, n: int):
    """(r as an (n,) array, exact) — one residual per sample — or ValueError naming r.

    >>> r, exact = check_residual([0.5, -0.5], 2)
    >>> r.tolist(), exact
    ([0.5, -0.5], False)
    """
    from ..numbers import as_array
    arr, exact = as_array(r, "r")
    if arr.shape != (n,):
        raise ValueError(f"r: expected shape ({n},) (one residual per sample), "
                         f"got {arr.shape}")
    return arr, exact


def ratio_to_float(num, den=None, norm_sq=None, shift=None) -> np.ndarray:
    """Float64 (n, p) array of the exact values num[:, k] / den[k] / √norm_sq[k] · 2**shift[k].

    ``num`` (n, p): ints (int64 or Python ints) or Fractions; ``den`` (p,) positive ints
    or Fractions, or None (1); ``norm_sq`` (p,) positive exact numbers or None; ``shift``
    (p,) ints or None (0). Each entry is the float of the exact value (correctly rounded
    without norm_sq, else within a few ulp), also when num, den or norm_sq are beyond the
    float range while the value is not — converting them separately and dividing would
    overflow (e.g. den = 2**1074 for data with a subnormal entry, where num/den = 1/2 is
    inf/inf). Values beyond the float range become ±inf. Vectorised (float conversion of
    num, den and norm_sq, one division) whenever those convert and ``shift`` is 0;
    otherwise the affected columns are divided exactly, in Python integers.

    >>> ratio_to_float(np.array([[2 ** 1074], [3 * 2 ** 1075]], dtype=object),
    ...                np.array([2 ** 1075], dtype=object)).ravel().tolist()
    [0.5, 3.0]
    >>> ratio_to_float(np.array([[2], [8]]), np.array([1]), np.array([4]),
    ...                shift=np.array([-1])).ravel().tolist()
    [0.5, 2.0]
    """
    num = np.asarray(num)
    if num.ndim != 2:
        raise ValueError(f"num: expected a 2-D array, got shape {num.shape}")
    n, p = num.shape
    if p == 0:
        return np.empty((n, 0), dtype=np.float64)
    cols = np.ones(p, dtype=np.float64)          # per-column float divisor, 0 = slow path
    for vec, is_sq in ((den, False), (norm_sq, True)):
        if vec is None:
            continue
        vf = _floats_or_nan(vec)
        if vf.shape != (p,):
            raise ValueError(f"{'norm_sq' if is_sq else 'den'}: expected shape ({p},), "
                             f"got {vf.shape}")
        if is_sq:
            vf = np.sqrt(vf)
        good = np.isfinite(vf) & (vf > 0) & np.isfinite(cols) & (cols > 0)
        cols = np.where(good, cols * vf, 0.0)
    # the product den·√norm_sq must be a normal float to divide by it in floats
    cols[~(np.isfinite(cols) & (cols >= np.finfo(np.float64).tiny))] = 0.0
    if shift is not None:
        shift = np.asarray(shift, dtype=np.int64).reshape(p)
        cols[shift != 0] = 0.0
    fast = np.flatnonzero(cols > 0)
    slow = list(np.flatnonzero(~(cols > 0)))
    block = None
    try:                                        # the common case: one conversion, one division
        block = (num if len(fast) == p else num[:, fast]).astype(np.float64)
    except (OverflowError, TypeError):          # a numerator beyond the float range
        pass
    if block is not None:
        with np.errstate(over="ignore", under="ignore"):
            block /= cols[fast][None, :]
        if len(fast) == p:
            return block
    out = np.empty((n, p), dtype=np.float64)
    if block is not None:
        out[:, fast] = block
    else:
        for k in fast:
            try:
                with np.errstate(over="ignore", under="ignore"):
                    out[:, k] = num[:, k].astype(np.float64) / cols[k]
            except (OverflowError, TypeError):
                slow.append(k)
    for k in slow:
        out[:, k] = _exact_column_float(
            num[:, k], 1 if den is None else den[k],
            None if norm_sq is None else norm_sq[k],
            0 if shift is None else int(shift[k]))
    return out


def _floats_or_nan(vec) -> np.ndarray:
    """float64 of a 1-D array, NaN where an exact entry is beyond the float range."""
    vec = np.asarray(vec)
    try:
        return vec.astype(np.float64)
    except OverflowError:
        out = np.empty(vec.shape, dtype=np.float64)
        for i, v in enumerate(vec):
            try:
                out[i] = float(v)
            except OverflowError:
                out[i] = np.nan
        return out


def _py_fraction(v) -> Fraction:
    """Fraction with Python-int numerator and denominator (numpy integers are
    ``numbers.Integral`` and would otherwise be kept as fixed-width int64)."""
    if isinstance(v, (int, np.integer)):
        return Fraction(int(v))
    f = Fraction(v)
    return Fraction(int(f.numerator), int(f.denominator))


_SQRT_BITS = 64     # extra bits of the integer square root in _exact_column_float


def _exact_column_float(col, den, norm_sq, shift) -> np.ndarray:
    """Floats of v / den / √norm_sq · 2**shift for the exact entries v of ``col``, by
    Python integer true division (correctly rounded; the square root to 2**-64)."""
    from math import isqrt
    d = _py_fraction(den)
    if d <= 0:
        raise ValueError(f"den: expected positive entries, got {den!r}")
    P, Q = d.denominator, d.numerator            # v / den = v·P / Q
    if norm_sq is not None:
        q = _py_fraction(norm_sq)
        if q <= 0:
            raise ValueError(f"norm_sq: expected positive entries, got {norm_sq!r}")
        # 1/√(a/b) = b / √(ab) ≈ b·2^g / isqrt(ab·4^g), relative error < 2^-g
        s = isqrt(q.numerator * q.denominator << (2 * _SQRT_BITS))
        P, Q = P * q.denominator << _SQRT_BITS, Q * s
    if shift > 0:
        P <<= shift
    elif shift < 0:
        Q <<= -shift
    out = np.empty(len(col), dtype=np.float64)
    for i, v in enumerate(col):
        if not v:
            out[i] = 0.0
            continue
        f = _py_fraction(v)
        a, b = f.numerator * P, f.denominator * Q
        try:
            out[i] = a / b
        except OverflowError:
            out[i] = float("inf") if a > 0 else float("-inf")
    return out


class LazyAtoms(_abc.Sequence):
    """A dictionary's atoms, each made on first access by ``make(k)`` and kept (a
    read-only sequence of ``size``; dictionaries of millions of columns never build
    atoms nobody reads).

    >>> atoms = LazyAtoms(3, lambda k: Atom(np.array([float(k), 1.0])))
    >>> len(atoms), atoms[-1].u.tolist(), atoms[1] is atoms[1]
    (3, [2.0, 1.0], True)
    """

    def __init__(self, size: int, make):
        self._size, self._make, self._made = int(size), make, {}

    def __len__(self):
        return self._size

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        k = range(len(self))[k]
        if k not in self._made:
            self._made[k] = self._make(k)
        return self._made[k]

    def __repr__(self):
        return f"<{len(self)} atoms>"


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
    """The family protocol: everything generic code asks of an architecture.

    A family fixes a model, a depth, a penalty and whether neurons have biases (its
    registry ``key``). Generic code — the pipeline, the certificates, column generation and
    the JSON — asks the family and never branches on those itself.

    ==========================  =====================================================
    column source               ``dictionary(X, exact, max_bytes)`` (a finite
                                :class:`Dictionary`), ``estimate_bytes(n, d, exact)``
    features                    ``features(X, atoms)`` (n, k) columns φ(X; θ); exact X →
                                Fractions (divided by √atom.norm_sq when it is set)
    exact atoms                 ``exact_atom(X, atom)``; ``exact_columns(X, atoms)``
    pricing                     ``pricer()`` the family whose oracle prices the *network*
                                problem; ``price(X, r, samples, seed)`` → :class:`Pricing`;
                                ``oracle_kind(d)`` "exact" | "sampled";
                                ``resolve_tie(...)`` an exact tie-breaker or None
    reconstruction              ``network(atoms, z, xi, n_features)`` the network realising
                                Σ z_k φ_k + ξ with penalty β‖z‖₁
    JSON                        ``neuron_json(atom, net, j)`` neuron j's description
    ==========================  =====================================================

    Concrete families subclass this, implement the abstract methods and register a
    factory with :func:`exactgeo.families.register`.
    """
    activation: str = "relu"
    depth: int = 2
    reg: str = "l1"
    bias: bool = True

    @property
    def key(self) -> tuple:
        """The registry key (model, depth, reg, bias)."""
        return (self.activation, self.depth, self.reg, self.bias)

    @property
    def intercept(self) -> bool:
        """Does the Lasso have the free intercept ξ (``Settings.bias`` of the pipeline)?
        Default: exactly when neurons have biases. Deep chains have it always: their deeper
        thresholds give any constant at vanishing cost (``bias`` is the first layer's)."""
        return self.bias

    @property
    def name(self) -> str:
        return f"{self.activation}-d{self.depth}-{self.reg}-{'bias' if self.bias else 'nobias'}"

    # ------------------------------------------------------------- column source
    def dictionary(self, X, *, exact: bool = False, max_bytes: int = 2 ** 31) -> Dictionary:
        """The finite dictionary on X (n, d); MemoryError before allocating if too large."""
        raise NotImplementedError

    def estimate_bytes(self, n: int, d: int, exact: bool = False) -> int:
        """Bytes :meth:`dictionary` would need for n points in dimension d."""
        raise NotImplementedError

    def features(self, X, atoms: Sequence[Atom]) -> np.ndarray:
        raise NotImplementedError

    def exact_atom(self, X, atom: Atom) -> Atom:
        """The atom with exact rational parameters (floats taken at their binary value)."""
        raise NotImplementedError

    def exact_columns(self, X, atoms: Sequence[Atom]) -> Dictionary:
        """The exact dictionary over ``atoms`` (exact X): columns unnormalised, with
        ``norm_sq`` where atoms carry one (ℓ2)."""
        ex = [self.exact_atom(X, a) for a in atoms]
        n = len(X)
        cols = (np.asarray(self.features(X, ex), dtype=object) if ex
                else np.zeros((n, 0), dtype=object))
        ns = None
        if any(a.norm_sq is not None for a in ex):
            ns = np.array([Fraction(a.norm_sq) if a.norm_sq is not None else Fraction(1)
                           for a in ex], dtype=object)
        return Dictionary(cols, ex, norm_sq=ns, exact=True)

    def check_sizes(self, n: int, d: int, *, samples: int, max_bytes) -> None:
        """Refuse (MemoryError with the estimate) before allocating when pricing with
        ``samples`` sampled neurons would not fit ``max_bytes``; default: nothing to check."""

    def implicit_source(self, X, *, max_bytes=None):
        """The finite dictionary of X as an *implicit* column source (columns computed in
        streamed blocks within ``max_bytes``, never stored: ``exactgeo.sources.implicit``),
        or None when the family has no finite candidate set (default)."""
        return None

    def stages(self, data, settings):
        """The pipeline stages of a family-supplied route for this data and these settings
        (functions FitState → FitState, run in order by ``pipeline.fit``), or None for the
        standard stages (columns → lasso → exact_kkt → certificate → network). The ℓ2
        two-layer families supply the cells route of THEORY §2.8 this way."""
        return None

    def result_extras(self, state) -> dict:
        """Extra keys of the fit's JSON that only this family can say (e.g. whether its
        finite dictionary was already exact on this instance), computed from the final
        ``FitState``; default: none."""
        return {}

    # ------------------------------------------------------------------ pricing
    def pricer(self) -> "Family":
        """The family whose oracle prices the network problem (default: this one)."""
        return self

    def price(self, X, r, *, samples: int = 2000, seed: int = 0) -> Pricing:
        raise NotImplementedError

    def oracle_kind(self, d: int) -> str:
        """"exact" if :meth:`price` returns the true supremum in dimension d."""
        raise NotImplementedError

    def resolve_tie(self, X, columns, norm_sq, support, signs, y, beta, *, intercept: bool):
        """Decide a tie S(r) = β exactly (a Certificate), or None when out of scope."""
        return None

    # ---------------------------------------------------------- reconstruction
    def layers(self, atom: Atom, z) -> tuple[list, Any]:
        """Weights ``([(w_1, b_1), ...], alpha)`` with alpha·h_{L-1}(x) = z·φ(x; atom)
        and penalty contribution β|z| (THEORY §2.6)."""
        raise NotImplementedError

    def network(self, atoms: Sequence[Atom], z, xi, *, n_features: int):
        """The network f = ξ + Σ_k z_k φ(·; atoms[k]) with penalty β‖z‖₁ (THEORY §2.6)."""
        raise NotImplementedError

    def neuron_json(self, atom: Atom, net, j: int) -> dict:
        """JSON of neuron j of ``net`` (the network :meth:`network` built), whose atom is
        ``atom``: the training points involved and its weights, layer by layer."""
        raise NotImplementedError
