"""Per-depth reflection report of a 1-D network, and where points land against the data.

For each hidden neuron (layer l, index j) of a network with one input, :func:`reflection_report`
computes — exactly for rational weights — the points x where its pre-activation changes sign
(the kinks it creates: its nesting level is l), and, for l ≥ 2, the pairs of those points that
are mirror images about a kink of the layer before (``reflections``: (centre m, radius ρ), both
m ± ρ kinks of the neuron). For an abs chain unit these are a_1; a_1 ± a_2; a_1 ± a_2 ± a_3
(THEORY §3.4, §3.6). :func:`predicted_points` lists the points the convex theory predicts for
1-D data (samples x_j, reflections 2x_j − x_i, midpoints (x_i + x_k)/2), and
:func:`nearest_predicted` says where a set of points lands against them.

>>> import numpy as np
>>> from fractions import Fraction as F
>>> from exactgeo.nets import Network
>>> one = lambda v: np.array([[F(v)]], dtype=object)
>>> net = Network([(one(1), [F(0)]), (one(1), [F(-2)])], [F(1)], 0, activation="abs")
>>> rep = reflection_report(net)
>>> [(n.layer, n.points) for n in rep]
[(1, [Fraction(0, 1)]), (2, [Fraction(-2, 1), Fraction(2, 1)])]
>>> rep[1].reflections                    # −2 and 2 mirror each other about 0
[(Fraction(0, 1), Fraction(2, 1))]
>>> nearest_predicted([F(8)], [0, 4, 5])[0].kind      # 8 = 2·4 − 0
'reflection'
"""
from __future__ import annotations

from itertools import combinations
from typing import NamedTuple


from .piecewise import all_exact, network_layers, to_number

__all__ = ["NeuronKinks", "reflection_report", "predicted_points", "Landing",
           "nearest_predicted"]


class NeuronKinks(NamedTuple):
    """Hidden neuron ``index`` of hidden layer ``layer`` (1-based): ``points`` where its
    pre-activation changes sign (sorted), ``reflections`` [(m, ρ)]: m a kink of the previous
    layer with m ± ρ both in ``points``."""
    layer: int
    index: int
    points: list
    reflections: list


def _sign_changes(z, tol):
    """Zeros of the piecewise-linear z where its sign changes (crossings and knots with
    strictly opposite signs around them)."""
    pts = set(z.zeros())
    s = z.slopes()
    for i, p in enumerate(z.knots):
        if abs(z.values[i]) <= tol and s[i] * s[i + 1] > 0:     # crosses 0 at the knot
            pts.add(p)
    merged = []
    for p in sorted(pts):
        if not merged or p - merged[-1] > tol:
            merged.append(p)
    return merged


def reflection_report(net, *, tol: float = 0.0) -> list:
    """[NeuronKinks] for every hidden neuron of a 1-D network (scalar output), layer by
    layer; exact for rational weights and exact factorisations (``tol`` is for float nets:
    a value within ``tol`` of 0 counts as 0, two points within ``tol`` are one)."""
    exact, layers, _, _ = network_layers(net)
    eps = 0 if exact else float(tol)
    out, prev = [], []
    for l, layer in enumerate(layers, start=1):
        act = net.activations[l - 1]
        layer_pts = []
        for j, (pre, _) in enumerate(layer):
            pts = _sign_changes(pre, eps) if act != "identity" else []
            refl = [(m, p - m) for m in prev for p in pts
                    if p > m + eps and any(abs(q - (2 * m - p)) <= eps for q in pts)]
            out.append(NeuronKinks(l, j, pts, refl))
            layer_pts.extend(pts)
        prev = sorted(set(layer_pts))
    return out


def predicted_points(xs) -> dict:
    """{"data": x_j, "reflection": 2x_j − x_i (i ≠ j), "midpoint": (x_i + x_k)/2 (i < k)}
    for 1-D samples ``xs`` (exact in, exact out); each a sorted list without repeats."""
    xs = list(xs)
    exact = all_exact(xs)
    xs = sorted({to_number(v, exact, "xs") for v in xs})
    two = 2 if exact else 2.0
    return {"data": xs,
            "reflection": sorted({2 * b - a for a in xs for b in xs if a != b}),
            "midpoint": sorted({(a + c) / two for a, c in combinations(xs, 2)})}


class Landing(NamedTuple):
    """Point ``point``: the nearest predicted point ``nearest`` of kind ``kind`` ("data",
    "reflection" or "midpoint"; the first of these in that order on a tie) at ``distance``."""
    point: object
    nearest: object
    kind: str
    distance: object


def nearest_predicted(points, xs) -> list:
    """[Landing] for each point against :func:`predicted_points` of the samples ``xs``."""
    pred = predicted_points(xs)
    out = []
    for p in points:
        best = None
        for kind in ("data", "reflection", "midpoint"):
            for q in pred[kind]:
                d = abs(p - q)
                if best is None or d < best.distance:
                    best = Landing(p, q, kind, d)
        out.append(best)
    return out
