"""THEORY §4.4: the truncation network has zero cost — a fully symbolic Q = 2 instance."""
from __future__ import annotations

NAME = "clusters-zero-cost"
DESCRIPTION = ("THEORY §4.4: zero cost of the truncation construction for a symbolic Q = 2 "
               "family (every noise level 0 < s < 1/2, i.e. every κ < 1/2, arbitrary symbolic "
               "targets, L = 2, 3) + exact library instances (Q = 2..4)")


def prove() -> int:
    import random
    from fractions import Fraction

    import numpy as np
    import sympy as sp

    from exactgeo.minimizers import construct_minimizer

    cases = 0
    # Data: class 1 = {(0, s), (0, −s)}, class 2 = {(1, s), (1, −s)}; means (0,0), (1,0), h = 1,
    # δ = s, κ = s. The substitution s = 1/(2(1 + r)), r > 0, covers exactly 0 < s < 1/2.
    r = sp.Symbol("r", positive=True)
    s = 1 / (2 * (1 + r))
    ys = sp.Matrix(2, 2, lambda i, j: sp.Symbol(f"y{i}{j}"))   # column j = target of class j
    pts = [(sp.Matrix([0, s]), 0), (sp.Matrix([0, -s]), 0),
           (sp.Matrix([1, s]), 1), (sp.Matrix([1, -s]), 1)]
    means = [sp.Matrix([0, 0]), sp.Matrix([1, 0])]
    delta, h = s, sp.Integer(1)
    eps = (h - 2 * delta) / 4                   # default ε
    rho = (delta + eps) / h                     # apex offset (exact variant, |v| = h = 1)
    t = sp.Integer(1)                           # cone parameter; admissibility is verified below
    cum, apexes = [], []
    for j in (0, 1):
        v = means[j] - means[1 - j]             # x̄_j − Π_j x̄_j (Q = 2)
        a = means[j] - rho * v
        P = sp.eye(2) - v * v.T / (v.T * v)[0]
        sig = [1 if vi >= 0 else -1 for vi in v]
        W = sp.Matrix.vstack(*[(-v + t * sig[k] * P[:, k]).T for k in range(2)])
        assert W.det() != 0, "cumulative weight singular"
        cum.append((W, -W * a))
        apexes.append(a)

    def sign_of(e):
        e = sp.factor(sp.simplify(e))
        if e.is_nonnegative:
            return 1
        if e.is_nonpositive:
            return -1
        raise AssertionError(f"undecided sign of {e} for r > 0")

    # sign conditions of §4.4 step 6, symbolically for all r > 0:
    current = [p for p, _ in pts]
    for j, (W, b) in enumerate(cum):
        a = apexes[j]
        for idx, (p, c) in enumerate(pts):
            q = current[idx]
            pre = W * (q - a)
            want = -1 if c == j else 1          # class j in a − K (collapse), the rest in a + K
            for e in pre:
                if sp.simplify(e) != 0:
                    assert sign_of(e) == want, f"sign condition, layer {j + 1}, point {idx}"
                cases += 1
            if c == j:
                current[idx] = a                # T4
    # network layers (§4.3 converse) and the output [A | c] = YZ⁺
    for L in (2, 3):
        cl = cum + [cum[-1]] * (L - 2)
        layers = [cl[0]] + [(cl[l][0] * cl[l - 1][0].inv(),
                             cl[l][1] - cl[l][0] * cl[l - 1][0].inv() * cl[l - 1][1])
                            for l in range(1, L)]
        Z = sp.Matrix.vstack(sp.Matrix.hstack(*apexes), sp.ones(1, 2))
        Ac = ys * (Z.T * Z).inv() * Z.T
        A, c = Ac[:, :2], Ac[:, 2]
        Wout = A * cl[-1][0].inv()
        bout = c - Wout * cl[-1][1]
        cost = 0
        for p, cls in pts:
            hcur = p
            for W, b in layers:
                pre = W * hcur + b
                hcur = sp.Matrix([e if sign_of(e) > 0 else 0 for e in pre])   # exact relu
            res = Wout * hcur + bout - ys[:, cls]
            for e in res:
                assert sp.simplify(e) == 0, f"nonzero residual (L = {L})"
                cases += 1
            cost += (res.T * res)[0]
        assert sp.simplify(cost) == 0, "cost is not identically zero"
        cases += 1

    # exact library instances: cost_exact == 0 over Q
    rnd = random.Random(7)
    for Q in (2, 3, 4):
        for _ in range(3):
            means = np.array([[Fraction(rnd.randint(-20, 20), 2) for _ in range(Q)]
                              for _ in range(Q)], dtype=object)
            rows, labels = [], []
            for j in range(Q):
                for _ in range(3):
                    rows.append([means[j, k] + Fraction(rnd.randint(-5, 5), 40) for k in range(Q)])
                    labels.append(j)
            X = np.array(rows, dtype=object)
            Y = np.array([[Fraction(rnd.randint(-9, 9), rnd.randint(1, 4)) for _ in range(Q)]
                          for _ in range(2)], dtype=object)
            try:
                res = construct_minimizer(X, labels, Y=Y, layers=Q + 1, exact=True)
            except ValueError:
                continue                        # κ ≥ 1/2 or dependent means: not an instance
            assert res.cost_exact == 0, f"library: cost {res.cost_exact} for Q = {Q}"
            cases += 1
    return cases
