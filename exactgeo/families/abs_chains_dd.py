"""Deep absolute-value chains in d dimensions (THEORY §3.5, §3.7): depth 3 and 4.

A unit chain is φ(x; θ) = g(uᵀx + c_1) with g_2 = |t|, g_{l+1} = |g_l − c_l| (c_l ≥ 0) and
‖u‖_p = 1 (p = 1 or 2, the penalty's norm; c_1 = 0 without first-layer bias). The
dictionary is built on the two-layer abs candidates (:class:`TwoLayerFamily`): the
data-spanned hyperplanes u = ×(x_S) (no bias, |S| = d − 1) or ×(x̃_S) (bias, |S| = d,
augmented points), with the basis axes in the pool for ℓ1 (W1+ / B1+, ``axes``), and
**reflected thresholds** at samples:

* depth 3: c_2 = |uᵀx_k + c_1| for every sample k, and c_2 = 0 (the depth-2 feature):
  φ = min of the distances to H_k = {uᵀx + c_1 = ±c_2} (THEORY I12), H_k through x_k and
  its mirror across the spanning hyperplane;
* depth 4: c_3 from the depth-3 values at samples, c_3 = ||uᵀx_j + c_1| − c_2| (and 0).

The Lasso always has the free intercept ξ (also without first-layer bias: the deeper
thresholds give any constant at vanishing cost, :attr:`AbsChainsDD.intercept`). Columns that
are constant or repeat an earlier column modulo a constant and sign are dropped
(``n_zero``, ``n_duplicate``); each kept column is the first representative, unshifted.
ℓ1 columns are rational; exact ℓ2 atoms keep the primitive integer (w, b) and thresholds in
those units with ``norm_sq`` = ‖w‖², the column being φ/√norm_sq (as in the two-layer ℓ2
families).

Neither dictionary is known to be exact for depth ≥ 3 (THEORY §3.5): the certificate
decides per instance. The oracle (:meth:`AbsChainsDD.price`) is the exact cells oracle
``exactgeo.cells.deep.price_deep_abs`` (THEORY §3.7) when it is available and the cell
count fits, else the sampled oracle of :mod:`.abs_dd_sampled` (``sampled-no-violation``
at best). Registered for (abs, 3 | 4, l1 | l2, bias) for d ≥ 2 (the 1-D chain families keep
1-D data with bias) and for (abs, 3 | 4, l1 | l2, no bias) in every dimension.

>>> from fractions import Fraction as F
>>> fam = AbsChainsDD(3, "l1", bias=False)
>>> X = [[F(1), F(0)], [F(0), F(1)], [F(1), F(1)]]
>>> D = fam.dictionary(X, exact=True)
>>> a = D.atoms[0]
>>> a.points, a.reflect, [str(v) for v in a.u], D.shape[0]
((0,), (-1,), ['0', '1'], 3)
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..numbers import as_array, as_exact_array, exact_sqrt, fraction_str, to_fraction
from .base import Atom, Dictionary, Family, LazyAtoms, Pricing, check_residual
from .registry import register
from .twolayer import TwoLayerFamily

__all__ = ["DeepAbsAtom", "AbsChainsDD"]

MAX_CELLS = 200_000          # the cells oracle is tried up to this many cells
_EXACT_BYTES = 96            # estimated bytes per exact dictionary entry during a build
_FLOAT_BYTES = 40


@dataclass(frozen=True, eq=False)
class DeepAbsAtom(Atom):
    """One d-D abs chain: ``u`` (d,), ``c`` = c_1, ``thresholds`` (c_2[, c_3]) in the units
    of (u, c) (exact ℓ2: unnormalised, divide by √norm_sq), ``reflect`` the sample rows whose
    values give the thresholds (−1: a zero threshold), ``kind`` "dictionary" (data-spanned
    and reflected), "cells" (the exact oracle's maximiser) or "sampled".

    >>> a = DeepAbsAtom(np.array([0.6, 0.8]), 0.0, thresholds=(1.0,), reflect=(2,))
    >>> a.unit_thresholds(), a.to_json()["reflection_points"]
    ([1.0], [2])
    """
    thresholds: tuple = ()
    reflect: tuple = ()
    kind: str = "dictionary"

    def key(self):
        th = tuple(self.thresholds) if self.exact else tuple(float(t) for t in self.thresholds)
        return super().key() + (th,)

    def unit_thresholds(self) -> list:
        """The thresholds of the unit chain as floats (divided by √norm_sq for exact ℓ2)."""
        s = 1.0 if self.norm_sq is None else math.sqrt(float(self.norm_sq))
        return [float(t) / s for t in self.thresholds]

    def to_json(self) -> dict:
        out = super().to_json()
        out["kind"] = self.kind
        out["thresholds"] = self.unit_thresholds()
        out["reflection_points"] = [int(k) for k in self.reflect]
        if self.exact:
            out["thresholds_exact"] = [fraction_str(t) for t in self.thresholds]
        return out


def _check_X(X, name="X"):
    arr, exact = as_array(X, name)
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2 or arr.shape[0] < 1 or arr.shape[1] < 1:
        raise ValueError(f"{name}: expected shape (n, d) (rows are samples), got {arr.shape}")
    return arr, exact


class AbsChainsDD(Family):
    """Absolute-value chains with L = ``depth`` ∈ {3, 4} weight layers on d-D data (module
    doc). ``reg`` "l1" | "l2"; ``bias`` first-layer bias (and the free intercept ξ);
    ``axes`` basis axes in the direction pool (default: True for ℓ1, as W1+ / B1+);
    ``max_cells`` the largest cell count for which the exact cells oracle is tried."""
    activation = "abs"

    def __init__(self, depth: int = 3, reg: str = "l1", bias: bool = True, axes=None,
                 max_cells: int = MAX_CELLS):
        if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)) or \
                depth not in (3, 4):
            raise ValueError(f"depth: expected 3 or 4 weight layers for d-D abs chains, "
                             f"got {depth!r}")
        self.depth = int(depth)
        self.two = TwoLayerFamily("abs", reg, bias=bias, axes=axes)
        self.reg, self.bias, self.axes = reg, bool(bias), self.two.axes
        self.p = 1 if reg == "l1" else 2
        self.max_cells = int(max_cells)
        self.last_oracle: dict = {}

    @property
    def intercept(self) -> bool:
        """Always True: the thresholds realise any constant at vanishing cost (a chain with
        c_2 → ∞, z → 0), so the network problem has the free intercept ξ even without a
        first-layer bias (its dual needs 𝟙ᵀr = 0; the supremum is infinite otherwise)."""
        return True

    def __repr__(self):
        return (f"AbsChainsDD(depth={self.depth}, reg={self.reg!r}, bias={self.bias}, "
                f"axes={self.axes})")

    @property
    def dictionary_name(self) -> str:
        return self.two.dictionary_name + (" + reflections" if self.depth == 3
                                           else " + nested reflections")

    # ------------------------------------------------------------------ sizes
    def estimate_columns(self, n: int, d: int) -> int:
        """Raw columns: one per candidate hyperplane and threshold choice ((n + 1)^{L−2})."""
        return self.two.n_candidates(n, d) * (n + 1) ** (self.depth - 2)

    def estimate_bytes(self, n: int, d: int, exact: bool = False) -> int:
        return self.estimate_columns(n, d) * max(n, 1) * (_EXACT_BYTES if exact
                                                          else _FLOAT_BYTES)

    def check_sizes(self, n: int, d: int, *, samples: int, max_bytes) -> None:
        """The sampled oracle holds a block of at least one direction: refuse when even
        that does not fit ``max_bytes``."""
        from .abs_dd_sampled import work_bytes
        need = work_bytes(n, d, self.depth, self.bias)
        if need > max_bytes:
            raise MemoryError(f"samples: the sampled deep-abs oracle needs about {need} bytes "
                              f"per direction for n = {n}, more than max_bytes = {max_bytes}; "
                              "subsample the data")

    # ------------------------------------------------------------- dictionary
    def dictionary(self, X, *, exact: bool = False, max_bytes: int = 2 ** 31) -> Dictionary:
        """The data-spanned, reflected dictionary (module doc) of X (n, d); MemoryError
        before allocating when it needs more than ``max_bytes``."""
        X, x_exact = _check_X(X)
        exact = bool(exact) or x_exact
        if exact and not x_exact:
            X = as_exact_array(X, "X")
        n, d = X.shape
        need = self.estimate_bytes(n, d, exact)
        if need > max_bytes:
            raise MemoryError(
                f"the {self.name} dictionary ({self.dictionary_name}) for n={n} samples in "
                f"d={d} has up to {self.estimate_columns(n, d)} raw columns; building it "
                f"{'exactly ' if exact else ''}needs about {need / 2 ** 30:.2f} GiB, more "
                f"than max_bytes={max_bytes / 2 ** 30:.2f} GiB. Use column generation "
                "instead (fit(..., colgen=True), CLI --colgen) or subsample the data")
        Xw = X if exact else np.asarray(X, dtype=np.float64)
        B = self.two.candidates(Xw, exact)
        keep = np.flatnonzero(~B.deg)
        H = np.abs(B.Z[:, keep])                         # (n, m) first-layer outputs
        if exact and H.dtype == object:
            H = np.array(H, dtype=object)
        seen, kept, cols, n_zero = {}, [], [], 0
        choices = [-1] + list(range(n))
        tol = 1e-12 * max(1.0, float(np.abs(np.asarray(H, dtype=np.float64)).max(initial=0)))
        for refl in _threshold_choices(choices, self.depth - 2):
            F = H
            for k in refl:
                F = np.abs(F - F[k][None, :]) if k >= 0 else F
            for j in range(F.shape[1]):
                col = F[:, j]
                key = self._column_key(col, B, keep[j], exact, tol)
                if key is None:
                    n_zero += 1
                    continue
                if key in seen:
                    seen[key] += 1
                    continue
                seen[key] = 0
                kept.append((int(keep[j]), refl))
                cols.append(col)
        n_dup = sum(seen.values())
        n_zero += int(B.deg.sum()) * len(_threshold_choices(choices, self.depth - 2))
        p = len(kept)
        atoms = LazyAtoms(len(kept), lambda k: self._with_reflections(
            Xw, self.two.atom_from_candidate(B, kept[k][0], 1), kept[k][1]))
        info = {"name": self.dictionary_name}
        if exact:
            num = np.empty((n, p), dtype=object)
            for k, col in enumerate(cols):
                num[:, k] = [int(v) for v in col]
            if self.reg == "l1":
                den = np.array([B.D * B.norm[t] for t, _ in kept], dtype=object)
                ns = None
            else:
                den = np.full(p, B.D, dtype=object)
                ns = np.array([Fraction(B.norm[t]) for t, _ in kept], dtype=object)
            return Dictionary(None, atoms, ns, n_zero, n_dup, True, num=num, den=den,
                              info=info)
        A = np.column_stack(cols) if p else np.zeros((n, 0))
        return Dictionary(np.ascontiguousarray(A, dtype=np.float64), atoms, None, n_zero,
                          n_dup, False, info=info)

    def _column_key(self, col, B, t, exact, tol):
        """A hashable key equal for equal columns, None for a zero column (or a constant
        one with bias)."""
        if exact:
            vals = [int(v) for v in col]
            if self.intercept:       # modulo constants (ξ) and sign (z ∈ ℝ)
                vals = [v - vals[0] for v in vals]
                lead = next((v for v in vals if v), 0)
                if lead < 0:
                    vals = [-v for v in vals]
            if not any(vals):
                return None
            g = 0
            for v in vals:
                g = math.gcd(g, v)
            prim = tuple(v // g for v in vals)
            scale = (Fraction(g, B.D * B.norm[t]) if self.reg == "l1"
                     else Fraction(g * g, B.D * B.D * B.norm[t]))
            return prim, scale
        c = np.asarray(col, dtype=np.float64)
        if self.intercept:           # modulo constants (ξ) and sign (z ∈ ℝ)
            c = c - c[0]
            nz = np.flatnonzero(np.abs(c) > tol)
            if len(nz) and c[nz[0]] < 0:
                c = -c
        hi = float(np.abs(c).max(initial=0.0))
        if hi <= tol:
            return None
        return np.round(c / hi * 1e10).astype(np.int64).tobytes() + \
            np.round(np.log2(hi) * 1e9).astype(np.int64).tobytes()

    # ------------------------------------------------------------------ atoms
    def atom(self, u, c=0, thresholds=(), *, norm_sq=None, points=(), axes=(), sign=1,
             reflect=(), kind="cells") -> DeepAbsAtom:
        """A chain atom from its parameters (exact: Fractions, for ℓ2 unnormalised with
        ``norm_sq`` = ‖u‖₂² — computed when omitted; float: normalised). For the exact
        cells oracle (``exactgeo.cells.deep``) and tests.

        >>> fam = AbsChainsDD(3, "l2", bias=False)
        >>> a = fam.atom([Fraction(3), Fraction(4)], 0, [Fraction(5)])
        >>> a.norm_sq, a.unit_thresholds()
        (Fraction(25, 1), [1.0])
        """
        exact = all(isinstance(v, (int, Fraction)) for v in list(u) + [c] + list(thresholds))
        if exact:
            uq = np.array([Fraction(v) for v in u], dtype=object)
            if self.reg == "l2" and norm_sq is None:
                norm_sq = sum((v * v for v in uq), Fraction(0))
            return DeepAbsAtom(uq, Fraction(c), None if self.reg == "l1" else Fraction(norm_sq),
                               tuple(points), tuple(axes), sign,
                               tuple(Fraction(t) for t in thresholds), tuple(reflect), kind)
        return DeepAbsAtom(np.asarray(u, dtype=np.float64), float(c), None, tuple(points),
                           tuple(axes), sign, tuple(float(t) for t in thresholds),
                           tuple(reflect), kind)

    def _with_reflections(self, X, base: Atom, reflect, kind="dictionary") -> DeepAbsAtom:
        """The chain on the hyperplane ``base`` with thresholds read at the samples
        ``reflect`` (exact X → exact thresholds in the atom's units)."""
        z = X @ base.u + base.c if base.exact else \
            np.asarray(X, dtype=np.float64) @ base.u + base.c
        h = np.abs(z)
        T = []
        for k in reflect:
            t = h[k] if k >= 0 else (Fraction(0) if base.exact else 0.0)
            T.append(t)
            h = np.abs(h - t)
        return DeepAbsAtom(base.u, base.c, base.norm_sq, base.points, base.axes, base.sign,
                           tuple(T), tuple(int(k) for k in reflect), kind)

    def exact_atom(self, X, atom) -> DeepAbsAtom:
        """The exact chain: rebuilt from its spanning rows, axes and reflection points when
        it is a dictionary atom, else converted from its floats exactly (ℓ1 renormalised
        exactly; ℓ2 scaled to primitive integers, ``norm_sq`` = ‖u‖₂²)."""
        if atom.exact:
            return atom
        X, _ = _check_X(X)
        Xe = as_exact_array(X, "X")
        if getattr(atom, "kind", "") == "dictionary":
            base = self.two.exact_atom(Xe, Atom(atom.u, atom.c, None, atom.points, atom.axes,
                                                atom.sign))
            return self._with_reflections(Xe, base, atom.reflect)
        vals = [to_fraction(float(v)) for v in atom.u] + [to_fraction(float(atom.c))] + \
            [to_fraction(float(t)) for t in atom.thresholds]
        d = len(atom.u)
        if self.reg == "l1":
            s = sum((abs(v) for v in vals[:d]), Fraction(0))
            if s == 0:
                raise ValueError("atom: direction u is zero")
            vals = [v / s for v in vals]
            ns = None
        else:
            L = 1
            for v in vals:
                L = L * v.denominator // math.gcd(L, v.denominator)
            ints = [int(v * L) for v in vals]
            g = 0
            for v in ints:
                g = math.gcd(g, v)
            vals = [Fraction(v // g) for v in ints]
            ns = sum((v * v for v in vals[:d]), Fraction(0))
            if ns == 0:
                raise ValueError("atom: direction u is zero")
        return DeepAbsAtom(np.array(vals[:d], dtype=object), vals[d] if self.bias else
                           Fraction(0), ns, atom.points, atom.axes, atom.sign,
                           tuple(vals[d + 1:]), getattr(atom, "reflect", ()),
                           getattr(atom, "kind", "sampled"))

    def features(self, X, atoms) -> np.ndarray:
        """(n, k) columns φ(X; θ): exact X → Fractions (unnormalised for ℓ2: divide by
        √atom.norm_sq), float X → float64 unit chains."""
        from .abs_dd_units import chain_features
        X, exact = _check_X(X)
        atoms = list(atoms)
        n, d = X.shape
        out = np.empty((n, len(atoms)), dtype=object if exact else np.float64)
        for j, a in enumerate(atoms):
            if np.shape(a.u) != (d,):
                raise ValueError(f"atoms: atom direction has shape {np.shape(a.u)}, "
                                 f"expected ({d},)")
            if exact:
                a = self.exact_atom(X, a)
                T = np.array([list(a.thresholds)], dtype=object).reshape(1, -1)
                out[:, j] = chain_features((X @ a.u + a.c)[:, None], T)[:, 0]
            else:
                u, c = a.float_u_c()
                T = np.array([a.unit_thresholds()]).reshape(1, -1)
                out[:, j] = chain_features((X @ u + c)[:, None], T)[:, 0]
        return out

    # ----------------------------------------------------------------- pricing
    def oracle_kind(self, d: int) -> str:
        return "exact" if _cells_oracle() is not None else "sampled"

    def price(self, X, r, *, samples: int = 2000, seed: int = 0, max_bytes=None,
              progress=None, **_) -> Pricing:
        """S(r) = sup over unit chains of |rᵀφ(X; θ)|: the exact cells oracle when it is
        available and its cell count fits ``max_cells`` (kind "exact"), else the sampled
        oracle (kind "sampled", a lower bound from ``samples`` directions). Which one ran
        is kept in ``last_oracle``. Exact r must satisfy 𝟙ᵀr = 0 (the free intercept)."""
        X, x_exact = _check_X(X)
        n, d = X.shape
        r_arr, r_exact = check_residual(r, n)
        if r_exact:
            X = as_exact_array(X, "X")
            if sum(r_arr, Fraction(0)) != 0:
                raise ValueError(f"r: deep abs chains need 1ᵀr = 0 (free intercept), got "
                                 f"sum(r) = {sum(r_arr, Fraction(0))}; the supremum is "
                                 "infinite")
        oracle = _cells_oracle()
        if oracle is not None:
            # float r: centred, so that its exact binary value has 𝟙ᵀr = 0 up to rounding;
            # X as given (exact X stays exact: never its binary rationals)
            rf = None if r_exact else np.asarray(r_arr, dtype=np.float64)
            try:
                pr = oracle(X, r_arr if r_exact else rf - rf.mean(),
                            self.depth, self.bias, self.reg, max_cells=self.max_cells)
                pr = self._adopt(X, r_arr, r_exact, pr)
                if pr is not None:
                    self.last_oracle = {"oracle": "cells", "reason": "exact cells oracle "
                                        "(THEORY §3.7)"}
                    return pr
                self.last_oracle = {"oracle": "sampled", "reason": "the cells oracle's "
                                    "maximiser failed the family's re-check"}
            except (ValueError, MemoryError) as err:
                self.last_oracle = {"oracle": "sampled", "reason": f"cells oracle not "
                                    f"applicable: {str(err).splitlines()[0][:200]}"}
        else:
            self.last_oracle = {"oracle": "sampled", "reason": "the exact cells oracle "
                                "(exactgeo.cells.deep) is not available"}
        return self._price_sampled(X, r_arr, r_exact, samples=samples, seed=seed,
                                   max_bytes=max_bytes)

    def _adopt(self, X, r, r_exact, pr: Pricing):
        """The cells oracle's maximiser as a :class:`DeepAbsAtom` of this family, after a
        re-check that shares nothing with the oracle: a chain of this family (c_1 = 0
        without bias, thresholds ≥ 0) whose exact |rᵀφ| is the reported supremum. None
        when the check fails (the caller falls back to sampling: never a label on an
        unchecked atom)."""
        a = pr.atom
        if a is None:
            return pr if (pr.sup_exact == 0 or pr.sup_sq_exact == 0) else None
        T = tuple(getattr(a, "thresholds", ()))
        if len(T) != self.depth - 2 or any(t < 0 for t in T) or \
                (not self.bias and a.c != 0):
            return None
        atom = DeepAbsAtom(a.u, a.c, a.norm_sq, a.points, a.axes, a.sign, T, (),
                           "cells" if not getattr(a, "kind", "") else f"cells:{a.kind}")
        if not r_exact:              # float evidence for column generation only
            return Pricing(pr.sup, atom, pr.sign, pr.kind, pr.samples, pr.sup_exact,
                           pr.sup_sq_exact)
        col = self.features(X, [atom])[:, 0]
        val = abs(sum((ri * v for ri, v in zip(r, col)), Fraction(0)))
        ok = (val == pr.sup_exact) if atom.norm_sq is None else \
            (pr.sup_sq_exact is not None and val * val / atom.norm_sq == pr.sup_sq_exact)
        if not ok:
            return None
        return Pricing(pr.sup, atom, pr.sign, pr.kind, pr.samples, pr.sup_exact,
                       pr.sup_sq_exact)

    def _price_sampled(self, X, r, exact, *, samples, seed, max_bytes):
        from .abs_dd_sampled import sample_chains
        from .budget import PRICING_MAX_BYTES
        Xf = np.asarray(X, dtype=np.float64)
        u, c1, T, v = sample_chains(Xf, np.asarray(r, dtype=np.float64), self.depth,
                                    self.bias, self.p, samples=samples, seed=seed,
                                    max_bytes=PRICING_MAX_BYTES if max_bytes is None
                                    else int(max_bytes))
        atom = DeepAbsAtom(u, c1 if self.bias else 0.0, None, (), (), 1,
                           tuple(float(t) for t in T), (), "sampled")
        col = self.features(Xf, [atom])[:, 0]
        val = float(np.asarray(r, dtype=np.float64) @ col)
        if not exact:
            return Pricing(abs(val), atom, 1 if val >= 0 else -1, "sampled", int(samples))
        # a rational chain near the maximiser, evaluated exactly: a genuine neuron's value
        q = DeepAbsAtom(np.array([Fraction(float(x)).limit_denominator(2 ** 40) for x in u]),
                        Fraction(float(c1)).limit_denominator(2 ** 40) if self.bias else 0,
                        None, (), (), 1,
                        tuple(Fraction(float(t)).limit_denominator(2 ** 40) for t in T),
                        (), "sampled")
        ex = self.exact_atom(X, DeepAbsAtom(np.array([float(v) for v in q.u]), float(q.c),
                                            None, (), (), 1,
                                            tuple(float(t) for t in q.thresholds), (),
                                            "sampled"))
        colq = self.features(X, [ex])[:, 0]
        valq = sum((a * b for a, b in zip(r, colq)), Fraction(0))
        sgn = 1 if valq >= 0 else -1
        if ex.norm_sq is None:
            return Pricing(float(abs(valq)), ex, sgn, "sampled", int(samples), abs(valq))
        S2 = valq * valq / ex.norm_sq
        return Pricing(math.sqrt(float(S2)), ex, sgn, "sampled", int(samples),
                       exact_sqrt(S2), S2)

    # ---------------------------------------------------------- reconstruction
    def layers(self, atom: DeepAbsAtom, z):
        """Float ``([(w_1, b_1), …], α)`` of one chain: γ = |z|^{1/L}, w_1 = γu, b_1 = γc_1,
        w_l = γ, b_l = −γ^l c_l, α = sign(z)γ (THEORY §3.4 "Reconstruction")."""
        L = self.depth
        g = abs(float(z)) ** (1.0 / L)
        u, c1 = atom.float_u_c()
        out = [(g * u, g * c1)]
        for l, t in enumerate(atom.unit_thresholds()):
            out.append((g, -t * g ** (l + 2)))
        return out, float(np.sign(float(z))) * g

    def network(self, atoms, z, xi, *, n_features: int):
        """Parallel chains ξ + Σ_k z_kφ(·; atoms[k]) with the penalty ``LLL(L, p)``."""
        from .abs_dd_units import deep_abs_network
        return deep_abs_network(self.depth, self.p, atoms, z, xi, n_features=n_features)

    def neuron_json(self, atom: DeepAbsAtom, net, j: int) -> dict:
        """Spanning rows (``points``, ``axes``), the reflection points (the samples whose
        thresholds are used), every layer's weights and the output weight α."""
        layers = []
        for li, (W, b) in enumerate(net.layers):
            w = [float(v) for v in W[j]] if li == 0 else float(W[j, j])
            layers.append({"w": w, "b": float(b[j])})
        return {"points": [int(p) for p in atom.points], "axes": [int(a) for a in atom.axes],
                "spanning_rows": [int(p) for p in atom.points],
                "reflection_points": [int(k) for k in getattr(atom, "reflect", ())],
                "kind": getattr(atom, "kind", "dictionary"),
                "layers": layers, "alpha": float(net.alpha[j]), "atom": atom.to_json()}

    def result_extras(self, state) -> dict:
        """``dictionary_exact``: was the data-spanned, reflected dictionary already exact on
        this instance? True when the certificate proved optimal a solution whose active
        neurons are all dictionary atoms; False when the exact oracle proved the dictionary
        optimum not optimal (S(r) > β over ℚ, without column generation); None otherwise,
        with the reason (sampled oracle; an oracle maximiser active after column
        generation, which alone does not prove the dictionary short; no certificate)."""
        cert = state.certificate
        oracle_active = any(getattr(a, "kind", "dictionary") != "dictionary"
                            for a in (state.atoms or []))
        if cert is None:
            val, why = None, "no certificate requested (certify=True / --certify)"
        elif cert.status == "certified-optimal":
            val, why = (None, "an oracle maximiser is active in the certified optimum (fit "
                        "without column generation to decide)") if oracle_active else \
                (True, "certified with dictionary atoms only")
        elif cert.kind == "exact" and cert.status == "upper-bound" and \
                cert.violating_atom is not None and state.colgen is None and \
                state.solution is not None and state.solution.status == "exact":
            val, why = False, ("the exact oracle found a neuron beyond the dictionary "
                               "with S(r) > beta at the exact dictionary optimum")
        elif cert.kind == "sampled":
            val, why = None, "sampled oracle: no exact decision"
        else:
            val, why = None, f"certificate {cert.status} ({cert.kind})"
        return {"dictionary_exact": val, "dictionary_exact_reason": why,
                "oracle": dict(self.last_oracle) or None}


def _threshold_choices(choices, m) -> list:
    """All tuples of m reflection rows (−1 = threshold 0)."""
    out = [()]
    for _ in range(m):
        out = [t + (k,) for t in out for k in choices]
    return out


def _cells_oracle():
    """``exactgeo.cells.deep.price_deep_abs`` when that module exists, else None."""
    try:
        from ..cells.deep import price_deep_abs
    except ImportError:
        return None
    return price_deep_abs


for _depth in (3, 4):
    for _reg in ("l1", "l2"):
        register("abs", _depth, _reg, True,
                 lambda _d=_depth, _r=_reg, axes=None, **opts:
                 AbsChainsDD(_d, _r, bias=True, axes=axes, **opts),
                 dims=range(2, 2 ** 31), replace=True)
        register("abs", _depth, _reg, False,
                 lambda _d=_depth, _r=_reg, axes=None, **opts:
                 AbsChainsDD(_d, _r, bias=False, axes=axes, **opts), replace=True)
