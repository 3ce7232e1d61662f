"""Multilevel symmetry trees ("symmetries within symmetries", THEORY §3.6).

A level-1 symmetry is a pair (m, ρ) with D(f; m, ρ) = 0; a level-k symmetry adds a
level-(k−1) symmetry on each half-window [m − ρ, m] and [m, m + ρ] (a child's window stays on
its side of the parent's centre). :func:`canonical_tree` is the tree of the depth-L abs unit
|…||x − a_1| − a_2| … − a_{L−1}|: centre a_1 (radius ∞); a_1 ± a_2 (radius a_2);
a_1 ± a_2 ± a_3 (radius a_3); … — every node has D = 0 when the windows nest,
a_{k+1} ≤ a_k/2 for k ≥ 2 (otherwise the inner radii shrink to a_k − a_{k+1}).
:func:`profile` measures the tree of a given function by the centre search.

>>> from fractions import Fraction as F
>>> t = canonical_tree([0, 2])                       # ||x| − 2|, the G5 unit
>>> t.level, t.centres(1)
(2, [Fraction(-2, 1), Fraction(2, 1)])
>>> from exactgeo.symmetry import PiecewiseLinear
>>> f = PiecewiseLinear([-2, 0, 2], [0, 2, 0], slope_left=-1, slope_right=1)
>>> profile(f).same_as(t)
True
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Optional

from .piecewise import PiecewiseLinear, all_exact, to_number
from .search import centres

__all__ = ["SymmetryNode", "canonical_tree", "profile"]


@dataclass(frozen=True)
class SymmetryNode:
    """One symmetry (``centre``, ``radius``) and the symmetries on its half-windows
    (``children``, left before right). ``level`` is 1 for a leaf, 1 + the largest child
    level otherwise."""
    centre: object
    radius: object
    children: tuple = field(default=())

    @property
    def level(self) -> int:
        return 1 + max((c.level for c in self.children), default=0)

    def nodes(self):
        """(tier, node) for every node, root first (tier 0), children in order."""
        out, todo = [], [(0, self)]
        while todo:
            tier, node = todo.pop(0)
            out.append((tier, node))
            todo.extend((tier + 1, c) for c in node.children)
        return out

    def centres(self, tier: int) -> list:
        """The sorted centres at depth ``tier`` of the tree (0: the root)."""
        return sorted(n.centre for t, n in self.nodes() if t == tier)

    def same_as(self, other: "SymmetryNode") -> bool:
        """Equal centres and radii at every node (exact comparison)."""
        return (self.centre == other.centre and self.radius == other.radius and
                len(self.children) == len(other.children) and
                all(a.same_as(b) for a, b in zip(self.children, other.children)))

    def to_json(self) -> dict:
        """{"centre", "radius" (null = ∞), "level", "children"}; exact values as strings."""
        def num(v):
            if v == math.inf:
                return None
            return str(v) if isinstance(v, Fraction) else float(v)
        return {"centre": num(self.centre), "radius": num(self.radius), "level": self.level,
                "children": [c.to_json() for c in self.children]}


def canonical_tree(a) -> SymmetryNode:
    """The tree of the abs unit |…||x − a_1| − a_2| … − a_k| (a_l ≥ 0 for l ≥ 2; zero a_l add
    no level): root (a_1, ∞), each node at tier t has children centre ± a_{t+2}, radius
    a_{t+2}. D = 0 at every node when a_{l+1} ≤ a_l/2 (see the module doc)."""
    a = list(a)
    if not a:
        raise ValueError("a: expected the unit's thresholds [a_1, a_2, ...], got none")
    exact = all_exact(a)
    a = [to_number(v, exact, "a") for v in a]
    if any(v < 0 for v in a[1:]):
        raise ValueError(f"a: expected a_l >= 0 for l >= 2, got {a}")

    def grow(centre, radius, k):
        if k >= len(a) or a[k] == 0:
            return SymmetryNode(centre, radius)
        return SymmetryNode(centre, radius, (grow(centre - a[k], a[k], k + 1),
                                             grow(centre + a[k], a[k], k + 1)))
    return grow(a[0], math.inf, 1)


def profile(f: PiecewiseLinear, *, window: Optional[tuple] = None, levels: int = 4,
            tol: float = 0.0, min_radius=0) -> Optional[SymmetryNode]:
    """The measured multilevel tree of f: the root is the non-trivial symmetry with the
    largest radius (radii capped by ``window`` (lo, hi) if given; ties: the smaller
    centre); on each half-window the same search, with centres inside the half-window and
    the child's window on its side of the parent's centre; at most ``levels`` tiers.
    None when f has no non-trivial symmetry. Float fits: ``tol`` bounds |f(m + t) − f(m − t)|
    and ``min_radius`` drops symmetries (and child centres closer to a half-window's ends)
    smaller than the noise of the kinks."""
    if isinstance(levels, bool) or not isinstance(levels, int) or levels < 1:
        raise ValueError(f"levels: expected an integer >= 1, got {levels!r}")
    if window is not None:
        exact = f.exact and all_exact(list(window))
        window = tuple(to_number(v, exact, "window") for v in window)
        if len(window) != 2 or not window[0] < window[1]:
            raise ValueError(f"window: expected (lo, hi) with lo < hi, got {window}")
    top = centres(f, window=window, min_radius=min_radius, tol=tol)
    if not top:
        return None

    def grow(sym, tier):
        if tier + 1 >= levels:
            return SymmetryNode(sym.centre, sym.radius)
        kids = []
        for lo, hi in ((sym.centre - sym.radius, sym.centre),
                       (sym.centre, sym.centre + sym.radius)):
            found = centres(f, window=window, within=(lo + min_radius, hi - min_radius),
                            side_of=sym.centre, min_radius=min_radius, tol=tol)
            if found:
                kids.append(grow(found[0], tier + 1))
        return SymmetryNode(sym.centre, sym.radius, tuple(kids))
    return grow(top[0], 0)
