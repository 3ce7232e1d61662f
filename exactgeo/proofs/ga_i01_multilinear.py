"""THEORY §1 I1: the generalized cross product is multilinear and alternating."""
from __future__ import annotations

NAME = "ga-i1-multilinear"
DESCRIPTION = ("THEORY §1 I1: ×(V) is multilinear and alternating in the rows of V, "
               "×(e_1..e_{d-1}) = e_d; symbolic d = 2..4 + exact instances")


def _with_row(V, i, row):
    W = V.copy()
    W[i, :] = row
    return W


def prove() -> int:
    import sympy as sp
    from fractions import Fraction
    from ._ga import DIMS, Cases, cross_formula, sym_matrix, instances, lib_cross, rng, \
        rand_fraction

    c = Cases()
    a, b = sp.symbols("a b", real=True)
    for d in DIMS:
        V = sym_matrix("v", d - 1, d)
        U = sym_matrix("u", 2, d)
        X = cross_formula(V)
        for i in range(d - 1):
            lhs = cross_formula(_with_row(V, i, a * U[0, :] + b * U[1, :]))
            rhs = a * cross_formula(_with_row(V, i, U[0, :])) + \
                b * cross_formula(_with_row(V, i, U[1, :]))
            c.zero(lhs - rhs, f"d={d}: ×(V) not linear in row {i + 1}")
            for j in range(i + 1, d - 1):
                S = V.copy()
                S[i, :], S[j, :] = V[j, :], V[i, :]
                c.zero(cross_formula(S) + X, f"d={d}: swapping rows {i + 1},{j + 1} "
                       "does not flip the sign")
                c.zero(cross_formula(_with_row(V, j, V[i, :])),
                       f"d={d}: repeated rows {i + 1},{j + 1} give a nonzero ×")
        E = sp.eye(d)[: d - 1, :]
        c.zero(cross_formula(E) - sp.eye(d)[:, d - 1], f"d={d}: ×(e_1..e_(d-1)) != e_d")

    # the library on exact instances, degenerate ones included
    r = rng(101)
    for d in DIMS + (5,):
        e = [[Fraction(int(i == j)) for j in range(d)] for i in range(d - 1)]
        c.check(lib_cross(e) == [Fraction(int(j == d - 1)) for j in range(d)],
                f"d={d}: exactgeo.cross(e_1..e_(d-1)) != e_d")
        for V in instances(1000 + d, d - 1, d, 24):
            X = lib_cross(V)
            U = instances(r.randrange(10**6), 2, d, 1)[0]
            s, t = rand_fraction(r), rand_fraction(r)
            for i in range(d - 1):
                comb = [s * p + t * q for p, q in zip(U[0], U[1])]
                lhs = lib_cross(V[:i] + [comb] + V[i + 1:])
                A = lib_cross(V[:i] + [U[0]] + V[i + 1:])
                B = lib_cross(V[:i] + [U[1]] + V[i + 1:])
                c.check(lhs == [s * p + t * q for p, q in zip(A, B)],
                        lambda: f"d={d}: exactgeo.cross not linear in row {i + 1} at V={V}")
                for j in range(i + 1, d - 1):
                    S = list(V)
                    S[i], S[j] = V[j], V[i]
                    c.check(lib_cross(S) == [-x for x in X],
                            lambda: f"d={d}: exactgeo.cross swap of rows {i + 1},{j + 1} "
                                    f"does not flip the sign at V={V}")
                    R = list(V)
                    R[j] = V[i]
                    c.check(all(x == 0 for x in lib_cross(R)),
                            lambda: f"d={d}: exactgeo.cross with a repeated row is nonzero")
    return c.n
