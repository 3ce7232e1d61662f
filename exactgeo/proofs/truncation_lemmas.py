"""THEORY §4.2–4.3: truncation-map lemmas T1–T7 and the cumulative-parameter identity."""
from __future__ import annotations

NAME = "truncation-lemmas"
DESCRIPTION = ("THEORY §4.2 T1–T7 (symbolic, generic W, b, x for Q = 2, 3, every relu sign "
               "pattern; T7 all permutations for Q = 2, a cycle for Q = 3) + §4.3 cumulative "
               "identity; exact rational instances via the library")


def prove() -> int:
    import itertools
    import random
    from fractions import Fraction

    import numpy as np
    import sympy as sp

    from exactgeo.minimizers.truncation import (apex, cumulative_params, hidden_states,
                                                inverse, layers_from_cumulative, relu,
                                                tau_states, truncate)
    from exactgeo.numbers import exact_det

    cases = 0

    def zero(M):   # every entry is the zero polynomial
        return all(sp.expand(e) == 0 for e in M)

    # Division-free forms: with det = det W and adj = adj W (W⁻¹ = adj/det, det ≠ 0 generic),
    # det·a = −adj·b and det·τ(x) = adj(σ(u) − b), u = Wx + b; on a sign pattern S (S_ii = 1
    # iff u_i > 0) σ(u) = Su. Each identity below is multiplied through by powers of det.
    for Q in (2, 3):
        W = sp.Matrix(Q, Q, lambda i, j: sp.Symbol(f"w{i}{j}"))
        b = sp.Matrix(Q, 1, lambda i, _: sp.Symbol(f"b{i}"))
        x = sp.Matrix(Q, 1, lambda i, _: sp.Symbol(f"x{i}"))
        det = W.det()
        adj = W.adjugate()
        assert zero(W * adj - det * sp.eye(Q)), "adjugate identity"
        a_d = -adj * b                           # det·a
        u = W * x + b
        assert zero(W * (det * x - a_d) - det * u), "W(x − a) = Wx + b"
        for s in itertools.product((0, 1), repeat=Q):
            S = sp.diag(*s)
            tau_d = adj * (S * u - b)            # det·τ(x) on this pattern
            # T1: σ(Wx + b) = Wτ(x) + b
            assert zero(W * tau_d + det * b - det * S * u), f"T1 Q={Q} s={s}"
            # T2: τ(x) = a + W⁻¹σ(W(x − a))
            assert zero(det * tau_d - det * a_d - adj * S * W * (det * x - a_d)), \
                f"T2 Q={Q} s={s}"
            # T5: W(τ(x) − a) = Su: ≥ 0, zero exactly on the negative entries of u
            assert zero(W * (tau_d - a_d) - det * S * u), f"T5 Q={Q} s={s}"
            # T6: the pre-activation of τ(x) is Su ≥ 0 (T5), σ(Su) = S·Su = Su, so
            #     det·τ(τ(x)) = adj(S·Su − b) = det·τ(x)
            assert zero(adj * (S * S * u - b) - tau_d), f"T6 Q={Q} s={s}"
            # T7: PD (D > 0) keeps signs, σ(PDu) = (PSPᵀ)PDu; τ_{PDW,PDb} = τ_{W,b}
            perms = list(itertools.permutations(range(Q))) if Q == 2 else [(0, 1, 2), (2, 0, 1)]
            d = sp.symbols(f"d0:{Q}", positive=True)
            for perm in perms:
                PD = sp.zeros(Q, Q)
                for i, p in enumerate(perm):
                    PD[i, p] = d[p]
                W2, b2 = PD * W, PD * b
                S2 = sp.diag(*[s[p] for p in perm])          # pattern of PDu
                assert zero(S2 * PD * u - PD * S * u), f"T7 pattern Q={Q}"
                det2 = W2.det()
                lhs = det * W2.adjugate() * (S2 * (W2 * x + b2) - b2)   # det·det2·τ'
                assert zero(lhs - det2 * tau_d), f"T7 Q={Q} s={s} perm={perm}"
                cases += 1
            cases += 5
        v = sp.Matrix(Q, 1, lambda i, _: sp.Symbol(f"v{i}", nonnegative=True))
        # T3: x = a + W⁻¹v (v ≥ 0): u = v ≥ 0, so det·τ(x) = adj(v − b) = det·x
        xin_d = a_d + adj * v
        assert zero(W * xin_d + det * b - det * v) and zero(adj * (v - b) - xin_d), "T3"
        # T4: x = a − W⁻¹v: u = −v ≤ 0, σ(u) = 0, det·τ(x) = −adj·b = det·a
        xout_d = a_d - adj * v
        assert zero(W * xout_d + det * b + det * v), "T4"
        cases += 2

    # exact rational instances through the library (T1–T7, §4.3 identity + converse)
    rnd = random.Random(4242)

    def rq():
        return Fraction(rnd.randint(-9, 9), rnd.randint(1, 6))

    def mat(r, c):
        return np.array([[rq() for _ in range(c)] for _ in range(r)], dtype=object)

    for _ in range(60):
        Q = rnd.choice((2, 3, 4))
        while True:
            W = mat(Q, Q)
            if exact_det(W) != 0:
                break
        b = mat(Q, 1)[:, 0]
        X = mat(Q, 5)
        a = apex(W, b).reshape(-1, 1)
        tx = truncate(W, b, X)
        assert (relu(W @ X + b.reshape(-1, 1)) == W @ tx + b.reshape(-1, 1)).all(), "T1 exact"
        assert (tx == a + inverse(W) @ relu(W @ (X - a))).all(), "T2 exact"
        U = np.abs(mat(Q, 3))
        assert (truncate(W, b, a + inverse(W) @ U) == a + inverse(W) @ U).all(), "T3 exact"
        assert (truncate(W, b, a - inverse(W) @ U) == np.repeat(a, 3, axis=1)).all(), "T4 exact"
        assert (W @ (tx - a) >= 0).all(), "T5 exact"
        assert (truncate(W, b, tx) == tx).all(), "T6 exact"
        perm = list(range(Q)); rnd.shuffle(perm)
        PD = np.full((Q, Q), Fraction(0), dtype=object)
        for i, p in enumerate(perm):
            PD[i, p] = Fraction(rnd.randint(1, 9), rnd.randint(1, 9))
        assert (truncate(PD @ W, PD @ b, X) == tx).all(), "T7 exact"
        layers = []
        for _ in range(rnd.randint(1, 4)):
            while True:
                Wl = mat(Q, Q)
                if exact_det(Wl) != 0:
                    break
            layers.append((Wl, mat(Q, 1)[:, 0]))
        cum = cumulative_params(layers)
        hs, ts = hidden_states(layers, X), tau_states(cum, X)
        for l, (Wc, bc) in enumerate(cum, 1):
            assert (hs[l] == Wc @ ts[l] + bc.reshape(-1, 1)).all(), "§4.3 identity"
        for (W1, b1), (W2, b2) in zip(layers, layers_from_cumulative(cum)):
            assert (W1 == W2).all() and (b1 == b2).all(), "§4.3 converse"
        cases += 9
    return cases
