"""THEORY §3.6 in 1-D: canonical abs-unit trees have zero defect; the G5 defects and tree."""
from __future__ import annotations

NAME = "symmetry-1d"
DESCRIPTION = ("THEORY §3.6, 1-D: D = 0 at every node of the canonical tree of the depth-3 "
               "and depth-4 abs units (symbolic, nested windows; exact rational instances "
               "through exactgeo.symmetry, re-checked by direct evaluation); G5: the exact "
               "defects and the multilevel tree of the min-ℓ1 depth-2 fit, cost 3 vs 1")


def _symbolic() -> int:
    """sympy, on generic positive parameters: the windows t ∈ [0, a_k] are parametrised as
    t = a_k·u/(1 + u), and a_3 = a_2·v/(2(1 + v)) ≤ a_2/2 (nested windows), u, v > 0."""
    import sympy as sp
    a1 = sp.Symbol("a1", real=True)
    a2, u, v, t = sp.symbols("a2 u v t", positive=True)

    def sabs(e):               # sympy decides the sign where the parametrisation fixes it
        return sp.Abs(sp.factor(sp.together(e)))

    def unit(x, a):
        g = sabs(x - a[0])
        for c in a[1:]:
            g = sabs(g - c)
        return g

    cases = 0
    a3 = a2 * v / (2 * (1 + v))
    s = u / (1 + u)
    for a in ([a1, a2], [a1, a2, a3]):
        # root: |x − a_1| is even about a_1 for every real offset
        assert sp.Abs(-t) - sp.Abs(t) == 0
        cases += 1
        nodes = [(a1 + e * a2, a2) for e in (1, -1)]
        if len(a) == 3:
            nodes += [(a1 + e * a2 + f * a3, a3) for e in (1, -1) for f in (1, -1)]
        for m, rho in nodes:
            off = rho * s
            diff = sp.simplify(unit(m + off, a) - unit(m - off, a))
            assert diff == 0, f"depth {len(a) + 1}, centre {m}: defect {diff}"
            cases += 1
    return cases


def _instances() -> int:
    import math
    import random
    from fractions import Fraction as F

    import numpy as np

    from exactgeo.nets import Network
    from exactgeo.symmetry import canonical_tree, defect, from_network, profile

    def net(a):
        one = lambda w: np.array([[F(w)]], dtype=object)
        layers = [(one(1), [F(-a[0])])] + [(one(1), [F(-c)]) for c in a[1:]]
        return Network(layers, [F(1)], F(0), activation="abs")

    def direct(x, a):                      # the unit evaluated by hand, sharing nothing
        g = abs(x - a[0])
        for c in a[1:]:
            g = abs(g - c)
        return g

    rnd = random.Random(11)
    cases = 0
    for _ in range(30):
        a1 = F(rnd.randint(-20, 20), rnd.randint(1, 4))
        a2 = F(rnd.randint(1, 30), rnd.randint(1, 4))
        a3 = a2 * F(rnd.randint(1, 8), 16)
        for a in ([a1, a2], [a1, a2, a3]):
            f = from_network(net(a))
            tree = canonical_tree(a)
            assert sorted(f.breakpoints()) == sorted(n.centre for _, n in tree.nodes()), \
                f"a = {a}: breakpoints {f.breakpoints()} ≠ tree centres"
            for _, node in tree.nodes():
                rho = node.radius if node.radius != math.inf else 3 * a2 + 1
                assert defect(f, node.centre, rho).value == 0, f"a = {a}: node {node.centre}"
                for k in range(17):
                    tt = rho * F(k, 16)
                    assert direct(node.centre + tt, a) == direct(node.centre - tt, a)
            assert profile(f).same_as(tree), f"a = {a}: measured tree ≠ canonical tree"
            # control: past its radius the level-2 symmetry breaks
            assert defect(f, a1 + a2, a2 * F(5, 4)).value > 0, f"a = {a}: control"
            cases += 1
    return cases


def _g5() -> int:
    from fractions import Fraction as F

    import numpy as np

    from exactgeo.fitting import fit
    from exactgeo.nets import LLL, Network
    from exactgeo.symmetry import canonical_tree, defect, from_network, profile

    x = [F(v) for v in range(-3, 4)]
    y = [abs(abs(v) - 2) for v in x]
    res = fit([[v] for v in x], y, model="abs", reg="l1", bias=True, min_norm=True,
              certify=True)
    assert res.l1_norm_exact == 3, f"G5 depth 2: min ℓ1 {res.l1_norm_exact} ≠ 3"
    assert res.certificate.status == "certified-optimal"
    f = from_network(res.net)
    assert [f(v) for v in x] == y
    assert defect(f, 0, 3).value == 0 and defect(f, 2, 2).value == 0 and \
        defect(f, -2, 2).value == 0
    d = defect(f, 1, 1)
    assert (d.value, d.relative) == (2, 1), f"D(f; 1, 1) = {d}"
    assert defect(f, 2, 3).value == 2
    assert profile(f).same_as(canonical_tree([0, 2]))
    # the depth-3 witness: one unit ||x| − 2| with unit weights, ℓ_3^3 cost 1, interpolating
    one = lambda w: np.array([[F(w)]], dtype=object)
    unit = Network([(one(1), [F(0)]), (one(1), [F(-2)])], [F(1)], F(0), activation="abs",
                   reg=LLL(3))
    X = np.array([[v] for v in x], dtype=object)
    assert list(unit.forward(X)) == y and unit.penalty_strategy.value(unit) == 1
    return 7


def prove() -> int:
    return _symbolic() + _instances() + _g5()
