"""THEORY §1 I9: in ℝ², x_i∧x_j = x_i1 x_j2 − x_i2 x_j1 = 2·area(0, x_i, x_j), and ⟨×(x_j), x_i⟩ = x_j∧x_i."""
from __future__ import annotations

NAME = "ga-i9-area-2d"
DESCRIPTION = ("THEORY §1 I9: d = 2, x_i^x_j = x_i1 x_j2 - x_i2 x_j1 = 2 area(0, x_i, x_j) "
               "(shoelace, signed), <×(x_j), x_i> = x_j^x_i; symbolic + exact")


def twice_area(p, q, r):
    """2·signed area of the triangle (p, q, r) by the shoelace formula (counter-clockwise > 0)."""
    return (p[0] * q[1] - q[0] * p[1]) + (q[0] * r[1] - r[0] * q[1]) + (r[0] * p[1] - p[0] * r[1])


def prove() -> int:
    import sympy as sp
    from fractions import Fraction
    from ._ga import Cases, cross_formula, dot, fdot, instances, lib_cross, lib_wedge, \
        minors_formula, sym_matrix

    c = Cases()
    P = sym_matrix("x", 2, 2)
    xi, xj = P[0, :], P[1, :]
    w = minors_formula(P)[0]
    c.zero(w - (xi[0] * xj[1] - xi[1] * xj[0]), "x_i^x_j != x_i1 x_j2 - x_i2 x_j1")
    c.zero(w - twice_area((0, 0), xi, xj), "x_i^x_j != 2 area(0, x_i, x_j)")
    Q = P[::-1, :]
    c.zero(dot(cross_formula(xj), xi.T) - minors_formula(Q)[0], "<×(x_j), x_i> != x_j^x_i")
    c.check(twice_area((0, 0), (1, 0), (0, 1)) == 1, "shoelace orientation: ccw is not > 0")

    zero = (Fraction(0), Fraction(0))
    for xi, xj in instances(909, 2, 2, 200):
        w = lib_wedge([xi, xj])[0]
        c.check(w == xi[0] * xj[1] - xi[1] * xj[0] == twice_area(zero, xi, xj),
                lambda: f"exactgeo.wedge({xi}, {xj}) != 2 area(0, x_i, x_j)")
        c.check(fdot(lib_cross([xj]), xi) == lib_wedge([xj, xi])[0],
                lambda: f"<exactgeo.cross(x_j), x_i> != x_j^x_i at {xi}, {xj}")
    return c.n
