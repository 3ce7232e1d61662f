"""The library's exact wedge/cross, run on generic sympy symbols, are THEORY §0's polynomials.

``exactgeo.wedge`` and ``exactgeo.cross`` accept sympy symbols (:mod:`exactgeo.ga.symbolic`:
their exact path is division-free, so symbolic input gives polynomial output). Equality
of the outputs with the k×k minors and the §0 cofactor formula *as polynomials* means
every identity that the other ``ga-*`` theorems verify on those formulas holds for the
library at every input, not only on the sampled rational instances. The defining
property ⟨×(V), v_i⟩ = 0 (I1) and ⟨×(V), x⟩ = det[V; x] (I2) are also checked on the
library's own output, with ``exactgeo.volume`` for the determinant.
"""
from __future__ import annotations

NAME = "ga-library-symbolic"
DESCRIPTION = ("THEORY §0: exactgeo.wedge / exactgeo.cross on generic sympy symbols equal "
               "the k x k minors and the cofactor formula as polynomials, d = 2..5, k = 1..d")


def prove() -> int:
    import numpy as np
    import sympy as sp
    import exactgeo
    from ._ga import Cases, cross_formula, minors_formula, sym_matrix

    c = Cases()
    for d in (2, 3, 4, 5):
        for k in range(1, d + 1):
            V = sym_matrix("v", k, d)
            out = exactgeo.wedge(V)
            c.check(out.shape == (sp.binomial(d, k),), f"d={d}, k={k}: wedge shape {out.shape}")
            c.zero(sp.Matrix(list(out)) - minors_formula(V),
                   f"d={d}, k={k}: exactgeo.wedge != k x k minors (blade order)")
        V = sym_matrix("v", d - 1, d)
        w = exactgeo.cross(V)
        c.zero(sp.Matrix(list(w)) - cross_formula(V),
               f"d={d}: exactgeo.cross != (-1)^(d+k) det V^(k)")
        for i in range(d - 1):
            c.zero(sum(w[j] * V[i, j] for j in range(d)), f"d={d}: <x(V), v_{i + 1}> != 0")
        x = sym_matrix("x", 1, d)
        c.zero(sum(w[j] * x[0, j] for j in range(d)) - exactgeo.volume(V.col_join(x)),
               f"d={d}: <x(V), x> != exactgeo.volume([V; x])")
        # batched: a stack of two symbolic inputs gives the two formulas
        W = sym_matrix("w", d - 1, d)
        out = exactgeo.cross(np.array([V.tolist(), W.tolist()], dtype=object))
        c.zero(sp.Matrix(list(out[1])) - cross_formula(W), f"d={d}: batched cross")
    return c.n
