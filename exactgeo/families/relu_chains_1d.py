"""Deep-narrow ReLU chains in 1-D (THEORY §3.3): the P2 dictionary and the vertex oracle.

Unit chain: F_1 = x, F_{l+1} = (s_l(F_l − θ_l))_+, feature F_L. The dictionary of the
authors' reference code takes thresholds at breakpoints, θ_1 = a_1, θ_l = F_l(a_l), with
a_l = x_{j_l} for s ∈ {±1}^{L−1}, j ∈ [n]^{L−1}; at L = 4 also the reflected variant
a_1 = 2x_{j_2} − x_{j_1} (x_{j_1} mirrored about x_{j_2}), a_2 = x_{j_2}, a_3 = x_{j_3}.
Raw sizes 2n, 4n², 16n³ (+ 8n³ reflected), deduplicated modulo constants and sign.
Whether the dictionary is exact is decided per instance by the §3.2 vertex oracle
(``price``); ``vertices=True`` uses the vertex set itself, which is exact by §3.2.

Observed and explained: every relu chain on a line is monotone with slopes in {0, ±1}, and
each further layer clips a flat–slope–flat function to another one, so for L ≥ 3 every
feature is a capped ramp min((x − a)_+, b − a) up to sign and constant; on the data the
vertex set deduplicates to the C(n, 2) capped ramps between samples (the reflected P2
columns are realizable but never needed for the value). The P2 columns satisfy many exact
linear relations (cr(a, b) + cr(b, c) = cr(a, c)), which can make the exact KKT step fail
("not-certified") where the vertex dictionary succeeds.

Registered for (relu, 3 | 4, l1 | l2, bias): in 1-D |u| = 1, so both penalties are the
same family (depth 2 stays :class:`~exactgeo.families.twolayer.TwoLayerFamily`, whose 1-D
dictionary R is these ramps).

>>> from fractions import Fraction as F
>>> fam = ReluChains1D(3)
>>> X = [[F(0)], [F(4)], [F(5)], [F(7)], [F(10)], [F(11)]]        # THEORY G3
>>> D = fam.dictionary(X, exact=True)
>>> D.shape[0], fam.estimate_columns(6)
(6, 144)
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from .chains_1d import ChainFamily1D, sign_patterns
from .registry import register

__all__ = ["ReluChains1D"]


def chain_prefix_at(pts, Theta, Signs):
    """F_{l+1}(p_k; θ_k) for one point per chain: ``pts`` (V,), ``Theta``/``Signs`` (V, l)
    (the first l layers) → (V,). Works on int64, float64 and object arrays."""
    h = pts
    for l in range(Theta.shape[1]):
        h = (h - Theta[:, l]) * Signs[:, l]
        h = np.where(h > 0, h, 0) if h.dtype == object else np.maximum(h, 0)
    return h


class ReluChains1D(ChainFamily1D):
    """ReLU chains with L = ``depth`` weight layers on 1-D data with biases (THEORY §3.3).

    ``reflected`` (L = 4, default True) adds the reflected variant; ``vertices`` (default
    False) uses the §3.2 vertex set as the dictionary instead of the P2 one.
    """

    def __init__(self, depth: int = 3, reg: str = "l1", *, reflected: bool = True,
                 vertices: bool = False):
        super().__init__("relu", depth, reg)
        self.reflected = bool(reflected) and self.depth == 4
        self.vertices = bool(vertices)
        if self.vertices:
            from .vertices_1d import vertex_delta
            self.delta = vertex_delta("relu", self.m)
        self.dictionary_name = ("vertices" if self.vertices else
                                "P2+reflected" if self.reflected else "P2")

    def estimate_columns(self, n: int) -> int:
        if self.vertices:
            from .vertices_1d import vertex_count
            return vertex_count("relu", self.m, n)
        k = 2 ** self.m * n ** self.m
        return k + (2 ** self.m * n ** 3 if self.reflected else 0)

    def candidate_blocks(self, xs, exact: bool):
        if self.vertices:
            from .vertices_1d import vertex_blocks
            for signs in sign_patterns("relu", self.m):
                yield from vertex_blocks("relu", signs, xs, self.delta, exact)
            return
        n, m = len(xs), self.m
        J = np.indices((n,) * m).reshape(m, -1).T                     # (n^m, m)
        variants = [(J, False)]
        if self.reflected:
            variants.append((J, True))
        for signs in sign_patterns("relu", m):
            for JJ, refl in variants:
                A = xs[JJ]                                            # a_l = x_{j_l}
                if refl:
                    A = A.copy()
                    A[:, 0] = 2 * xs[JJ[:, 1]] - xs[JJ[:, 0]]
                S = np.broadcast_to(np.array(signs, dtype=np.int64), (len(A), m))
                Theta = np.empty(A.shape, dtype=A.dtype)
                Theta[:, 0] = A[:, 0]
                for l in range(1, m):
                    Theta[:, l] = chain_prefix_at(A[:, l], Theta[:, :l], S[:, :l])
                meta = np.column_stack([JJ, np.full(len(JJ), int(refl))])
                yield Theta, S, meta, _p2_maker(signs)

    def recipe_thetas(self, x, recipe) -> tuple:
        kind = recipe[0]
        if kind == "vertex":
            from .vertices_1d import vertex_thetas
            return vertex_thetas(x, recipe)
        if kind != "p2":
            raise ValueError(f"recipe: unknown kind {kind!r} for relu chains")
        _, js, signs, refl = recipe
        a = [Fraction(x[j]) for j in js]
        if refl:
            a[0] = 2 * Fraction(x[js[1]]) - Fraction(x[js[0]])
        th = [a[0]]
        for l in range(1, len(js)):
            h = a[l]
            for k in range(l):
                h = max(signs[k] * (h - th[k]), Fraction(0))
            th.append(h)
        return tuple(th)


def _p2_maker(signs):
    def make(row):
        row = [int(v) for v in row]
        return ("p2", tuple(row[:-1]), tuple(signs), bool(row[-1]))
    return make


for _depth in (3, 4):
    for _reg in ("l1", "l2"):
        register("relu", _depth, _reg, True,
                 lambda _d=_depth, _r=_reg, **opts: ReluChains1D(_d, _r, **opts),
                 replace=True)
