"""THEORY §1 I5: ×(VAᵀ) = det(A)·A^{−T}·×(V); for a rotation R, ×(VRᵀ) = R·×(V)."""
from __future__ import annotations

NAME = "ga-i5-covariance"
DESCRIPTION = ("THEORY §1 I5: ×(VA^T) = det(A) A^(-T) ×(V) = adj(A)^T ×(V), and "
               "×(VR^T) = R ×(V) for rotations (Cayley); symbolic d = 2..4 + exact")


def _skew(params, d):
    import sympy as sp
    K, it = sp.zeros(d, d), iter(params)
    for i in range(d):
        for j in range(i + 1, d):
            s = next(it)
            K[i, j], K[j, i] = s, -s
    return K


def _cofactor_T(A):
    """adj(A)^T = cofactor matrix of a square Fraction list-of-rows (exact, any rank)."""
    from ._ga import fdet
    n = len(A)
    return [[(-1) ** (i + j) * fdet([[A[r][c] for c in range(n) if c != j]
                                      for r in range(n) if r != i]) if n > 1 else 1
             for j in range(n)] for i in range(n)]


def _matmul(A, B):
    from ._ga import fdot
    Bt = list(zip(*B))
    return [[fdot(a, b) for b in Bt] for a in A]


def _matvec(A, x):
    from ._ga import fdot
    return [fdot(a, x) for a in A]


def prove() -> int:
    import numpy as np
    import sympy as sp
    from fractions import Fraction
    from exactgeo.numbers import exact_inv
    from ._ga import DIMS, Cases, cross_formula, det, fdet, instances, lib_cross, rng, \
        rand_fraction, sym_matrix

    c = Cases()
    for d in DIMS:
        V, A = sym_matrix("v", d - 1, d), sym_matrix("a", d, d)
        adj = A.adjugate(method="berkowitz")
        # adj(A) = det(A) A^(-1) wherever A is invertible:
        c.zero(A * adj - det(A) * sp.eye(d), f"d={d}: A adj(A) != det(A) I")
        c.zero(cross_formula(V * A.T) - adj.T * cross_formula(V),
               f"d={d}: ×(VA^T) != adj(A)^T ×(V)")
        # rotations: Cayley R = N/D, N = adj(I+K)(I-K), D = det(I+K), K skew (generic)
        K = _skew(sp.symbols(f"k1:{d * (d - 1) // 2 + 1}", real=True), d)
        I = sp.eye(d)
        N = ((I + K).adjugate(method="berkowitz") * (I - K)).applyfunc(sp.expand)
        D = det(I + K)
        c.zero(N.T * N - D ** 2 * I, f"d={d}: Cayley R^T R != I")
        c.zero(det(N) - D ** d, f"d={d}: Cayley det R != 1")
        if d <= 3:
            # direct check; for d = 4 it takes ~80 s in sympy. It follows from the two
            # lines above and the general identity: adj(R)^T = det(R) R^(-T) = R.
            c.zero(cross_formula(V * N.T) - D ** (d - 2) * N * cross_formula(V),
                   f"d={d}: ×(VR^T) != R ×(V) for a Cayley rotation")

    r = rng(505)
    for d in DIMS + (5,):
        As = instances(520 + d, d, d, 32)
        for V, A in zip(instances(510 + d, d - 1, d, 32), As):
            VAt = _matmul(V, [list(col) for col in zip(*A)])
            C = _cofactor_T(A)
            lhs, rhs = lib_cross(VAt), _matvec(C, lib_cross(V))
            c.check(lhs == rhs, lambda: f"d={d}: exactgeo.cross(VA^T) != adj(A)^T ×(V) "
                                        f"at V={V}, A={A}")
            dA = fdet(A)
            if dA != 0:
                inv = exact_inv(np.array(A, dtype=object))
                c.check(C == [[dA * Fraction(inv[j][i]) for j in range(d)] for i in range(d)],
                        lambda: f"d={d}: adj(A)^T != det(A) A^(-T) at A={A}")
            # an exact rational rotation from a random rational skew matrix (Cayley)
            K = [[Fraction(0)] * d for _ in range(d)]
            for i in range(d):
                for j in range(i + 1, d):
                    K[i][j] = rand_fraction(r)
                    K[j][i] = -K[i][j]
            IpK = [[Fraction(int(i == j)) + K[i][j] for j in range(d)] for i in range(d)]
            ImK = [[Fraction(int(i == j)) - K[i][j] for j in range(d)] for i in range(d)]
            inv = exact_inv(np.array(IpK, dtype=object)).tolist()
            R = _matmul([[Fraction(x) for x in row] for row in inv], ImK)
            RtR = _matmul([list(col) for col in zip(*R)], R)
            c.check(RtR == [[int(i == j) for j in range(d)] for i in range(d)] and fdet(R) == 1,
                    lambda: f"d={d}: Cayley matrix is not a rotation: {R}")
            VRt = _matmul(V, [list(col) for col in zip(*R)])
            c.check(lib_cross(VRt) == _matvec(R, lib_cross(V)),
                    lambda: f"d={d}: exactgeo.cross(VR^T) != R ×(V) at V={V}, R={R}")
    return c.n
