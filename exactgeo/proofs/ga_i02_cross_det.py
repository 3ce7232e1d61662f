"""THEORY §1 I2 (and the §0 definition): ⟨×(V), x⟩ = det[V; x]."""
from __future__ import annotations

NAME = "ga-i2-cross-det"
DESCRIPTION = ("THEORY §0/§1 I2: <×(V), x> = det[V; x] (x last), <×(V), v_i> = 0, and "
               "exactgeo.cross equals the cofactor formula; symbolic d = 2..4 + exact")


def prove() -> int:
    import sympy as sp
    from ._ga import DIMS, Cases, compile_exprs, cross_formula, det, dot, fdet, fdot, flat, \
        instances, lib_cross, sym_matrix, sym_vector

    c = Cases()
    for d in DIMS + (5,):
        V = sym_matrix("v", d - 1, d)
        x = sym_vector("x", d)
        X = cross_formula(V)
        if d <= 4:
            c.zero(dot(X, x) - det(V.col_join(x.T)), f"d={d}: <×(V), x> != det[V; x]")
            for i in range(d - 1):
                c.zero(dot(X, V[i, :].T), f"d={d}: ×(V) not orthogonal to v_{i + 1}")
        # the library against the symbolic cofactor formula, on exact instances
        f = compile_exprs(list(V), list(X))
        xs = instances(200 + d, 1, d, 40)
        for k, Vq in enumerate(instances(100 + d, d - 1, d, 40)):
            Xq = lib_cross(Vq)
            c.check(Xq == f(flat(Vq)),
                    lambda: f"d={d}: exactgeo.cross{Vq} = {Xq} != cofactor formula {f(flat(Vq))}")
            x0 = xs[k][0]
            c.check(fdot(Xq, x0) == fdet(Vq + [x0]),
                    lambda: f"d={d}: <exactgeo.cross(V), x> != det[V; x] at V={Vq}, x={x0}")
            for i, v in enumerate(Vq):
                c.check(fdot(Xq, v) == 0, lambda: f"d={d}: exactgeo.cross(V) not ⊥ v_{i + 1}")
    return c.n
