"""Absolute-value chains in 1-D (THEORY §3.4): G_1 = x, G_{l+1} = |G_l − θ_l|.

Dictionaries (deduplicated modulo constants and sign):

* depth 2: |x − x_j|;
* depth 3: the ramps |x − x_j|, the **reflections** R_ij = ||x − x_j| − |x_i − x_j||
  (zeros at x_i and its mirror 2x_j − x_i about x_j) and the **midpoints**
  M_ik = ||x − m| − ρ|, m = (x_i + x_k)/2, ρ = |x_i − x_k|/2 (``midpoints=False`` gives
  the reflection-only dictionary, which fails the certificate on some instances);
* depth 4: every vertex of the §3.2 kink arrangement plus the depth-3 features
  (θ_3 = 0), exact by §3.2.

Registered for (abs, 3 | 4, l1 | l2, bias) (in 1-D both penalties coincide).

>>> from fractions import Fraction as F
>>> fam = AbsChains1D(3)
>>> X = [[F(v)] for v in range(-3, 4)]                       # THEORY G5
>>> D = fam.dictionary(X, exact=True)
>>> D.shape[1] + D.n_duplicate + D.n_zero == fam.estimate_columns(7)
True
"""
from __future__ import annotations

from fractions import Fraction
from math import lcm

import numpy as np

from .chains_1d import ChainFamily1D
from .registry import register

__all__ = ["AbsChains1D"]


class AbsChains1D(ChainFamily1D):
    """Absolute-value chains with L = ``depth`` weight layers, 1-D data, biases."""

    def __init__(self, depth: int = 3, reg: str = "l1", *, midpoints: bool = True):
        super().__init__("abs", depth, reg)
        self.midpoints = bool(midpoints)
        self.delta = 2 if self.midpoints else 1
        if self.depth == 4:
            from .vertices_1d import vertex_delta
            self.delta = lcm(2, vertex_delta("abs", 3))
        self.dictionary_name = {2: "R", 3: "R+reflections" + ("+midpoints" if
                                                                  self.midpoints else ""),
                                4: "vertices"}[self.depth]

    def estimate_columns(self, n: int) -> int:
        k = n + (n * (n - 1) + (n * (n - 1) // 2 if self.midpoints else 0)
                 if self.depth >= 3 else 0)
        if self.depth == 4:
            from .vertices_1d import vertex_count
            k += vertex_count("abs", 3, n)
        return k

    def candidate_blocks(self, xs, exact: bool):
        n, m = len(xs), self.m
        half = (lambda v: v // 2) if exact else (lambda v: v / 2)

        def block(cols, meta, maker):
            T = np.zeros((len(meta), m), dtype=xs.dtype)
            for l, c in enumerate(cols):
                T[:, l] = c
            S = np.ones((len(meta), m), dtype=np.int64)
            return T, S, np.asarray(meta, dtype=np.int64).reshape(len(meta), -1), maker

        j = np.arange(n)
        yield block([xs[j]], j[:, None], _maker("ramp"))
        if m >= 2:
            I, Jj = np.nonzero(~np.eye(n, dtype=bool))
            yield block([xs[Jj], np.abs(xs[I] - xs[Jj])], np.column_stack([I, Jj]),
                        _maker("reflection"))
            if self.midpoints:
                I, K = np.triu_indices(n, 1)
                yield block([half(xs[I] + xs[K]), half(np.abs(xs[I] - xs[K]))],
                            np.column_stack([I, K]), _maker("midpoint"))
        if m == 3:
            from .vertices_1d import vertex_blocks
            yield from vertex_blocks("abs", (1, 1, 1), xs, self.delta, exact)

    def recipe_thetas(self, x, recipe) -> tuple:
        kind, pts = recipe[0], recipe[1]
        if kind == "vertex":
            from .vertices_1d import vertex_thetas
            return vertex_thetas(x, recipe)
        xq = [Fraction(x[p]) for p in pts]
        if kind == "ramp":
            th = [xq[0]]
        elif kind == "reflection":
            th = [xq[1], abs(xq[0] - xq[1])]
        elif kind == "midpoint":
            th = [(xq[0] + xq[1]) / 2, abs(xq[0] - xq[1]) / 2]
        else:
            raise ValueError(f"recipe: unknown kind {kind!r} for abs chains")
        return tuple(th + [Fraction(0)] * (self.m - len(th)))


def _maker(kind):
    def make(row):
        return (kind, tuple(int(v) for v in row))
    return make


for _depth in (3, 4):
    for _reg in ("l1", "l2"):
        register("abs", _depth, _reg, True,
                 lambda _d=_depth, _r=_reg, **opts: AbsChains1D(_d, _r, **opts),
                 replace=True)
