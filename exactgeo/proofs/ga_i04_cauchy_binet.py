"""THEORY §1 I4: ⟨×(V), ×(U)⟩ = det(VUᵀ) (Cauchy–Binet)."""
from __future__ import annotations

NAME = "ga-i4-cauchy-binet"
DESCRIPTION = ("THEORY §1 I4: <×(V), ×(U)> = det(VU^T) (Cauchy-Binet); "
               "symbolic d = 2..4 + exact")


def prove() -> int:
    from ._ga import DIMS, Cases, cross_formula, det, dot, fdet, fdot, instances, \
        lib_cross, sym_matrix

    c = Cases()
    for d in DIMS:
        V, U = sym_matrix("v", d - 1, d), sym_matrix("u", d - 1, d)
        c.zero(dot(cross_formula(V), cross_formula(U)) - det(V * U.T),
               f"d={d}: <×(V), ×(U)> != det(VU^T)")
    for d in DIMS + (5,):
        Us = instances(420 + d, d - 1, d, 40)
        for V, U in zip(instances(410 + d, d - 1, d, 40), Us):
            VU = [[fdot(a, b) for b in U] for a in V]
            c.check(fdot(lib_cross(V), lib_cross(U)) == fdet(VU),
                    lambda: f"d={d}: <exactgeo.cross(V), exactgeo.cross(U)> != det(VU^T) "
                            f"at V={V}, U={U}")
    return c.n
