"""THEORY §1 I8: ‖v_1∧…∧v_k‖² = det Gram(v_1, …, v_k)."""
from __future__ import annotations

NAME = "ga-i8-wedge-gram"
DESCRIPTION = ("THEORY §1 I8: |v_1^..^v_k|^2 = det Gram(v_1..v_k) for k = 1..d, and "
               "exactgeo.wedge equals the k x k minors; symbolic d = 2..4 + exact")


def prove() -> int:
    from ._ga import DIMS, Cases, compile_exprs, det, dot, fdet, fdot, fgram, flat, \
        instances, lib_wedge, minors_formula, sym_matrix

    c = Cases()
    for d in DIMS + (5,):
        for k in range(1, d + 1):
            V = sym_matrix("v", k, d)
            W = minors_formula(V)
            if d <= 4:
                c.zero(dot(W, W) - det(V * V.T), f"d={d}, k={k}: |wedge|^2 != det Gram")
            f = compile_exprs(list(V), list(W))
            for Vq in instances(800 + 10 * d + k, k, d, 16):
                Wq = lib_wedge(Vq)
                c.check(Wq == f(flat(Vq)), lambda: f"d={d}, k={k}: exactgeo.wedge{Vq} = {Wq} "
                                                   f"!= minors {f(flat(Vq))}")
                c.check(fdot(Wq, Wq) == fdet(fgram(Vq)),
                        lambda: f"d={d}, k={k}: |exactgeo.wedge(V)|^2 != det Gram at V={Vq}")
    return c.n
