"""Shared parts of the 1-D deep chain families (THEORY §3.1–§3.4): the chain atom, the
vectorised chain evaluation, the dictionary builder (deduplicated modulo constants and
sign) and the family base class that prices with the §3.2 vertex oracle.

A unit chain with L weight layers has m = L − 1 hidden layers and parameters
θ = (a_1, c_2, …, c_{L−1}) and signs s ∈ {±1}^m (relu; abs ignores them):

* relu: F_1 = x, F_{l+1} = (s_l(F_l − θ_l))_+, the feature is F_L;
* abs:  G_1 = x, G_{l+1} = |G_l − θ_l|, the feature is G_L.

(θ_1 = a_1; the threshold of layer l ≥ 2 is θ_l = c_l.) Exact evaluation is done in
integers: with data x = x_int/D and thresholds θ = θ_int/(ΔD), positive homogeneity gives
ΔD·φ(x; θ) = φ(Δ·x_int; θ_int), so a whole block of features is one integer array.

>>> import numpy as np
>>> chain_values("abs", np.array([-3, 0, 2, 3]), np.array([[0, 2]]), None).ravel().tolist()
[1, 2, 0, 1]
>>> chain_values("relu", np.array([0, 5, 7]), np.array([[5, 2]]),
...              np.array([[1, -1]])).ravel().tolist()      # (−((x − 5)_+ − 2))_+
[2, 2, 0]
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import product

import numpy as np

from ..numbers import as_array, as_exact_array, fraction_str, integer_scale, to_fraction
from .base import Atom, Dictionary, Family, LazyAtoms, Pricing

__all__ = ["ChainAtom", "ChainFamily1D", "chain_values", "sign_patterns", "scaled_data",
           "DEPTH_NEEDS_1D"]

DEPTH_NEEDS_1D = ("depth > 2 needs 1-D data for relu chains (d-D deep chains exist for "
                  "--model abs)")
_INT64_SAFE = 2 ** 56          # |values| below this keep int64 chain arithmetic exact


@dataclass(frozen=True, eq=False)
class ChainAtom(Atom):
    """One unit chain (THEORY §3.1): ``signs`` (m,) ±1 (all +1 for abs), ``thetas`` (m,)
    exact Fractions or floats (a_1, c_2, …), ``recipe`` how the thetas follow from the
    training points (kind first; rebuilt exactly by the family). ``u`` = (s_1,) and
    ``c`` = −s_1·a_1 describe the first layer; ``points`` the training rows involved.

    >>> a = ChainAtom(np.array([Fraction(1)], dtype=object), Fraction(-2), points=(1,),
    ...               activation="abs", signs=(1, 1), thetas=(Fraction(2), Fraction(1)),
    ...               recipe=("ramp", 1))
    >>> a.exact, a.key()
    (True, ('abs', (1, 1), (Fraction(2, 1), Fraction(1, 1))))
    """
    activation: str = "relu"
    signs: tuple = ()
    thetas: tuple = ()
    recipe: tuple = ()
    point_values: tuple = ()

    def key(self):
        return (self.activation, tuple(self.signs),
                tuple(t if self.exact else float(t) for t in self.thetas))

    def to_json(self) -> dict:
        out = {"kind": self.recipe[0] if self.recipe else "chain",
               "signs": [int(s) for s in self.signs],
               "thetas": [float(t) for t in self.thetas],
               "points": [int(p) for p in self.points]}
        if self.exact:
            out["thetas_exact"] = [fraction_str(t) for t in self.thetas]
        return out


def sign_patterns(activation: str, m: int) -> list:
    """The sign patterns s ∈ {±1}^m of a chain family (abs: only all +1).

    >>> sign_patterns("relu", 2), sign_patterns("abs", 3)
    ([(1, 1), (1, -1), (-1, 1), (-1, -1)], [(1, 1, 1)])
    """
    if activation == "abs":
        return [(1,) * m]
    return [tuple(s) for s in product((1, -1), repeat=m)]


def _relu(v):
    return np.where(v > 0, v, 0) if v.dtype == object else np.maximum(v, 0)


def chain_values(activation: str, x, Theta, Signs):
    """Features of V chains on n points: ``x`` (n,), ``Theta`` (V, m), ``Signs`` (V, m)
    or None (all +1) → (n, V). Works on int64, float64 and object (exact) arrays."""
    x = np.asarray(x)
    Theta = np.asarray(Theta)
    h = x[:, None] - Theta[None, :, 0]
    m = Theta.shape[1]
    for l in range(m):
        if l:
            h = h - Theta[None, :, l]
        if activation == "abs":
            h = np.abs(h)
        else:
            if Signs is not None:
                h = h * np.asarray(Signs)[None, :, l]
            h = _relu(h)
    return h


def scaled_data(X, exact: bool, delta: int = 1):
    """(x_s (n,), den): exact → x_s = Δ·D·x integers (int64 when safe, else Python ints)
    and den = Δ·D; float → (x, 1)."""
    x = np.asarray(X)[:, 0]
    if not exact:
        return np.asarray(x, dtype=np.float64), 1
    xi, D = integer_scale(x)
    xs = np.array([int(v) * delta for v in xi], dtype=object)
    top = max((abs(int(v)) for v in xs), default=0)
    if 64 * top < _INT64_SAFE:
        xs = xs.astype(np.int64)
    return xs, D * delta


def check_1d(X, name: str = "X"):
    """(X as an (n, 1) array, exact) or ValueError; d > 1 → :data:`DEPTH_NEEDS_1D`."""
    arr, exact = as_array(X, name)
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2 or arr.shape[0] < 1:
        raise ValueError(f"{name}: expected shape (n, 1) (rows are samples), got {arr.shape}")
    if arr.shape[1] != 1:
        raise ValueError(f"{name}: {DEPTH_NEEDS_1D} (got d = {arr.shape[1]})")
    return arr, exact


class ChainFamily1D(Family):
    """Base of the 1-D chain families: features, exact atoms, the dictionary builder,
    the vertex pricing oracle (THEORY §3.2, exact) and the parallel-chain network
    (THEORY §3.3/§3.4 reconstruction). Subclasses give ``candidate_blocks(xs, exact)``
    (blocks of thetas in the units of ``scaled_data(X, exact, self.delta)``) and
    ``recipe_thetas(x, recipe)`` (exact thetas from the exact data)."""
    bias = True
    delta = 1                   # the denominator Δ of the dictionary's thetas (units of D)
    dictionary_name = "chains"

    def __init__(self, activation: str, depth: int, reg: str = "l1"):
        if reg not in ("l1", "l2"):
            raise ValueError(f"reg: expected 'l1' or 'l2', got {reg!r}")
        if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)) or \
                not 2 <= depth <= 4:
            raise ValueError(f"depth: expected 2, 3 or 4 weight layers, got {depth!r}")
        self.activation = activation
        self.depth = int(depth)
        self.reg = reg               # in 1-D |u| = 1: "l1" and "l2" are the same family
        self.m = self.depth - 1

    def __repr__(self):
        return f"{type(self).__name__}(depth={self.depth}, reg={self.reg!r})"

    # ------------------------------------------------------------------ atoms
    def make_atom(self, signs, thetas, recipe=(), x=None) -> ChainAtom:
        """The :class:`ChainAtom` with these signs, thetas (Fractions → exact) and recipe;
        ``x`` (n,) the data, for the coordinates of the recipe's training points."""
        exact = all(isinstance(t, (Fraction, int)) for t in thetas)
        s1 = int(signs[0])
        if exact:
            th = tuple(Fraction(t) for t in thetas)
            u = np.array([Fraction(s1)], dtype=object)
            c = -s1 * th[0]
        else:
            th = tuple(float(t) for t in thetas)
            u = np.array([float(s1)])
            c = -s1 * th[0]
        pts = recipe_points(recipe)
        vals = tuple(x[i] for i in pts) if x is not None else ()
        return ChainAtom(u, c, points=pts, activation=self.activation,
                         signs=tuple(int(s) for s in signs), thetas=th, recipe=tuple(recipe),
                         point_values=vals)

    def recipe_thetas(self, x, recipe) -> tuple:
        """Exact thetas of ``recipe`` on the exact data x (n,) (Fractions)."""
        raise NotImplementedError

    def exact_atom(self, X, atom: ChainAtom) -> ChainAtom:
        if atom.exact:
            return atom
        X, _ = check_1d(X)
        x = as_exact_array(X, "X")[:, 0]
        if atom.recipe:
            th = self.recipe_thetas(x, atom.recipe)
        else:
            th = tuple(to_fraction(float(t)) for t in atom.thetas)
        return self.make_atom(atom.signs, th, atom.recipe, list(x))

    def features(self, X, atoms) -> np.ndarray:
        """(n, k) columns φ(x; θ_k): exact X → Fractions, float X → float64."""
        X, exact = check_1d(X)
        atoms = list(atoms)
        n = X.shape[0]
        if not atoms:
            return np.zeros((n, 0), dtype=object if exact else np.float64)
        if exact:
            ex = [self.exact_atom(X, a) for a in atoms]
            T = np.array([list(a.thetas) for a in ex], dtype=object)
            S = np.array([list(a.signs) for a in ex], dtype=np.int64)
            return chain_values(self.activation, as_exact_array(X, "X")[:, 0], T, S)
        T = np.array([[float(t) for t in a.thetas] for a in atoms], dtype=np.float64)
        S = np.array([list(a.signs) for a in atoms], dtype=np.int64)
        return chain_values(self.activation, np.asarray(X, dtype=np.float64)[:, 0], T, S)

    # ------------------------------------------------------------- dictionary
    def candidate_blocks(self, xs, exact: bool):
        """Yield (Theta (V, m), Signs (V, m), meta (V, q) int64, kind_of(meta_row) → recipe)."""
        raise NotImplementedError

    def estimate_columns(self, n: int) -> int:
        raise NotImplementedError

    def estimate_bytes(self, n: int, d: int, exact: bool = False) -> int:
        # the raw candidate block (int64/float64 work arrays) and the kept columns
        return int(self.estimate_columns(n)) * max(n, 1) * (40 if exact else 24)

    def dictionary(self, X, *, exact: bool = False, max_bytes: int = 2 ** 31) -> Dictionary:
        """The family's finite dictionary on X (n, 1), deduplicated modulo constants and
        sign (ξ is free); MemoryError before allocating when it needs more than max_bytes."""
        X, x_exact = check_1d(X)
        exact = bool(exact) or x_exact
        if exact and not x_exact:
            X = as_exact_array(X, "X")
        n = X.shape[0]
        need = self.estimate_bytes(n, 1, exact)
        if need > max_bytes:
            raise MemoryError(
                f"the {self.name} dictionary ({self.dictionary_name}) for n={n} samples has up "
                f"to {self.estimate_columns(n)} raw columns; building it "
                f"{'exactly ' if exact else ''}needs about {need / 2 ** 30:.2f} GiB, more than "
                f"max_bytes={max_bytes / 2 ** 30:.2f} GiB. Use column generation instead "
                "(fit(..., colgen=True), CLI --colgen): the vertex oracle adds neurons without "
                "storing the dictionary")
        if not exact:
            # float data are rationals too: when their integer form fits int64, dedupe
            # exactly (the float and exact dictionaries then have the same columns)
            xs, den = scaled_data(as_exact_array(X, "X"), True, self.delta)
            if xs.dtype == np.int64:
                D = build_dictionary(self, xs, den, True, self.candidate_blocks(xs, True))
                return Dictionary(D.float_matrix(), D.atoms, n_zero=D.n_zero,
                                  n_duplicate=D.n_duplicate, exact=False, info=D.info)
        xs, den = scaled_data(X, exact, self.delta)
        return build_dictionary(self, xs, den, exact, self.candidate_blocks(xs, exact))

    # ----------------------------------------------------------------- pricing
    def oracle_kind(self, d: int) -> str:
        return "exact" if d == 1 else "sampled"

    def check_sizes(self, n: int, d: int, *, samples: int, max_bytes) -> None:
        if d != 1:
            raise ValueError(f"X: {DEPTH_NEEDS_1D} (got d = {d})")

    def price(self, X, r, *, samples: int = 2000, seed: int = 0, **_) -> Pricing:
        """S(r) = sup over all unit chains of |rᵀφ(X; θ)|, exactly, by enumerating the
        vertices of the kink arrangement for every sign pattern (THEORY §3.2)."""
        from .vertices_1d import price_vertices
        return price_vertices(self, X, r)

    # ---------------------------------------------------------- reconstruction
    def layers(self, atom: ChainAtom, z):
        """([(w_l, b_l)] for the m hidden layers, α) of one chain with α·h_{L−1} = z·φ and
        ℓ_L^L penalty β|z| (THEORY §3.3): γ = |z|^{1/L} (float)."""
        from ..nets.chains import chain_weights
        return chain_weights(atom.signs, atom.thetas, z, self.depth)

    def network(self, atoms, z, xi, *, n_features: int):
        """The parallel-chain network ξ + Σ_k z_k φ(·; θ_k) with the ℓ_L^L penalty."""
        from ..nets.chains import chain_network
        return chain_network(self.activation, self.depth, atoms, z, xi)

    def neuron_json(self, atom: ChainAtom, net, j: int) -> dict:
        """Training points of chain j (breakpoints; mirrors and midpoints among its kinks)
        and its weights layer by layer (hidden layers, then the output weight α)."""
        layers = []
        for li, (W, b) in enumerate(net.layers):
            w = float(W[j, 0]) if li == 0 else float(W[j, j])
            layers.append({"w": [w] if li == 0 else w, "b": float(b[j])})
        return {"points": [int(p) for p in atom.points], "axes": [],
                "layers": layers, "alpha": float(net.alpha[j]),
                "atom": atom.to_json(), **describe_kinks(atom)}


def recipe_points(recipe) -> tuple:
    """Training rows named by a recipe (kind, points, ...): its second entry, without the
    −1 placeholders, sorted.

    >>> recipe_points(("vertex", (3, -1, 0), (1, 0, -1), ()))
    (0, 3)
    """
    if not recipe:
        return ()
    return tuple(sorted({int(p) for p in recipe[1] if int(p) >= 0}))


def kinks(activation: str, signs, thetas) -> list:
    """The breakpoints of x ↦ φ(x; θ) (exact for exact θ), sorted, without repeats:
    where some layer's pre-activation vanishes.

    >>> kinks("abs", (1, 1), (Fraction(0), Fraction(2)))
    [Fraction(-2, 1), Fraction(0, 1), Fraction(2, 1)]
    """
    pts = set()
    for l in range(len(thetas)):
        targets = [thetas[l]]              # layer l kinks where its input h_l equals θ_l
        for back in range(l - 1, -1, -1):  # pull h_{back+1} = v back to h_back
            new = []
            for v in targets:
                if activation == "abs" and v >= 0:
                    new += [thetas[back] + v, thetas[back] - v]
                elif activation != "abs" and v > 0:
                    new.append(thetas[back] + signs[back] * v)
            targets = new
        pts.update(targets)
    return sorted(pts)


def describe_kinks(atom: ChainAtom) -> dict:
    """``kinks`` of the feature (floats; exact strings for exact atoms) and, among the
    atom's own training points, the ``mirrors`` (a kink 2x_j − x_i: x_i reflected about
    x_j) and ``midpoints`` (a kink (x_i + x_k)/2) that explain its kinks."""
    ks = kinks(atom.activation, atom.signs, atom.thetas)
    out = {"kinks": [float(k) for k in ks]}
    if atom.exact:
        out["kinks_exact"] = [fraction_str(k) for k in ks]
    pv = dict(zip(atom.points, atom.point_values))
    at = {v: i for i, v in pv.items()}
    mirrors, mids = [], []
    for k in ks:
        if k in at:
            continue
        for j, xj in pv.items():
            i = at.get(2 * xj - k)
            if i is not None and i != j:
                mirrors.append({"kink": float(k), "point": i, "about": j})
        for i, xi in pv.items():
            kk = at.get(2 * k - xi)
            if kk is not None and i < kk:
                mids.append({"kink": float(k), "pair": [i, kk]})
    out["mirrors"] = mirrors
    out["midpoints"] = mids
    return out


def build_dictionary(fam: ChainFamily1D, xs, den, exact: bool, blocks) -> Dictionary:
    """Evaluate candidate blocks, drop constant columns (n_zero) and columns equal to an
    earlier one modulo a constant and sign (n_duplicate); keep each first representative
    as it is (the free ξ absorbs constants, z ∈ ℝ the sign)."""
    seen = {}
    kept_T, kept_S, kept_M, kept_cols, kinds = [], [], [], [], []
    n_zero = n_dup = 0
    scale = float(np.abs(np.asarray(xs, dtype=np.float64)).max(initial=0.0)) or 1.0
    for Theta, Signs, meta, kind_of in blocks:
        if len(Theta) == 0:
            continue
        F = chain_values(fam.activation, xs, Theta, Signs)
        C = F - F[0:1, :]
        if not exact:
            C = np.round(C / (scale * 1e-10))
        first = np.argmax(C != 0, axis=0)
        lead = C[first, np.arange(C.shape[1])]
        nonzero = np.flatnonzero(lead != 0)
        n_zero += C.shape[1] - len(nonzero)
        canon = C[:, nonzero] * np.where(lead[nonzero] > 0, 1, -1)[None, :]
        if canon.dtype != object:
            canon = canon + 0          # −0.0 → 0.0, so equal columns have equal bytes
        if canon.dtype == object:
            keys = [tuple(int(v) for v in col) for col in canon.T]
            order = range(len(keys))
        else:
            canon = np.ascontiguousarray(canon.T)
            _, firsts = np.unique(canon, axis=0, return_index=True)
            order = np.sort(firsts)
            n_dup += len(nonzero) - len(order)
            keys = None
        for j in order:
            key = keys[j] if keys is not None else canon[j].tobytes()
            if key in seen:
                n_dup += 1
                continue
            seen[key] = True
            k = nonzero[j]
            kept_T.append(Theta[k])
            kept_S.append(Signs[k])
            kept_M.append(meta[k])
            kinds.append(kind_of)
            kept_cols.append(F[:, k])
    n = len(xs)
    p = len(kept_cols)
    T = np.array(kept_T, dtype=object if exact else np.float64).reshape(p, fam.m)
    S = np.array(kept_S, dtype=np.int64).reshape(p, fam.m)
    x = data_values(xs, den, exact)
    metas = list(zip(kinds, kept_M))

    def make(k):
        signs = tuple(int(s) for s in S[k])
        th = (tuple(Fraction(int(t), int(den)) for t in T[k]) if exact
              else tuple(float(t) for t in T[k]))
        maker, row = metas[k]
        return fam.make_atom(signs, th, maker(row), x)

    atoms = LazyAtoms(T.shape[0], make)
    if exact:
        num = np.empty((n, p), dtype=object)
        for k, col in enumerate(kept_cols):
            num[:, k] = [int(v) for v in col]
        if p and max(abs(v) for v in num.flat) < 2 ** 62:
            num = num.astype(np.int64)
        return Dictionary(None, atoms, n_zero=n_zero, n_duplicate=n_dup, exact=True,
                          num=num, den=np.full(p, den, dtype=object),
                          info={"name": fam.dictionary_name})
    A = np.column_stack(kept_cols).astype(np.float64) if p else np.zeros((n, 0))
    return Dictionary(A, atoms, n_zero=n_zero, n_duplicate=n_dup, exact=False,
                      info={"name": fam.dictionary_name})


def data_values(xs, den, exact: bool) -> list:
    """The data x (n,) from its scaled form: Fractions xs/den (exact) or floats."""
    if exact:
        return [Fraction(int(v), int(den)) for v in xs]
    return [float(v) for v in xs]
