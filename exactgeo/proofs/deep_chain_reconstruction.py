"""THEORY §3.1/§3.3/§3.4: the chain reconstruction identity (γ = |z|^{1/L})."""
from __future__ import annotations

NAME = "deep-chain-reconstruction"
DESCRIPTION = ("THEORY §3.3/§3.4 reconstruction: with γ = |z|^{1/L}, w_l = s_lγ, "
               "b_l = −s_lθ_lγ^l, α = sign(z)γ, each layer's pre-activation is γ^l times the "
               "unit chain's, α·h_{L−1} = z·φ and (1/L)(|α|^L + Σ|w_l|^L) = |z| (symbolic, "
               "L = 2..4, relu and abs); exact parallel-chain networks reproduce Σz_kφ_k and "
               "‖z‖₁ over ℚ")


def _symbolic(c) -> None:
    from itertools import product

    import sympy as sp
    z = sp.Symbol("z", positive=True)           # |z|; the sign goes to α
    for L in (2, 3, 4):
        g = z ** sp.Rational(1, L)
        th = sp.symbols(f"t1:{L}", real=True)
        s = sp.symbols(f"s1:{L}", real=True)    # s_l = ±1: s_l² = 1 substituted below
        F = sp.Symbol("x", real=True)           # F_1 = x; F_l stands for the unit chain
        for act in ("relu", "abs"):
            h = F                               # reconstructed hidden value h_{l-1}
            unit = F                            # unit chain value F_l
            for l in range(L - 1):
                w, b = s[l] * g, -s[l] * th[l] * g ** (l + 1)
                pre = w * h + b
                unit_pre = s[l] * (unit - th[l])
                # pre = γ^{l+1}·unit_pre, as polynomials in (x, θ, s, γ)
                c.zero(sp.expand(pre - g ** (l + 1) * unit_pre),
                       f"L={L} {act} layer {l + 1}: pre-activation ≠ γ^l·unit")
                # σ(γ^{l+1}t) = γ^{l+1}σ(t) for γ > 0: positive homogeneity
                p = sp.Symbol("p", positive=True)      # t = ±p covers t ≠ 0; t = 0 trivially
                sig = (lambda v: sp.Max(v, 0)) if act == "relu" else sp.Abs
                for t in (p, -p):
                    c.check(sp.simplify(sig(g ** (l + 1) * t) - g ** (l + 1) * sig(t)) == 0,
                            f"L={L} {act}: σ not positively homogeneous")
                h = sp.Symbol(f"H{l + 1}") * g ** (l + 1)   # h_l = γ^l·F_{l+1}
                unit = sp.Symbol(f"H{l + 1}")
            alpha = g                              # sign(z) = +1 here; −1 flips both sides
            c.zero(sp.expand(alpha * h - z * unit), f"L={L} {act}: α·h ≠ z·φ")
            for signs in product((1, -1), repeat=L - 1):   # |w_l| = |s_lγ| = γ
                pen = (sp.Abs(alpha) ** L + sum(sp.Abs(sv * g) ** L for sv in signs)) / L
                c.check(sp.simplify(pen - z) == 0, f"L={L} {act}: ℓ_L^L penalty ≠ |z|")


def prove() -> int:
    import random
    from fractions import Fraction as F

    import numpy as np

    from ..families.chains_1d import chain_values
    from ..families import get_family
    from ..nets.chains import chain_network
    from ._ga import Cases

    c = Cases()
    _symbolic(c)
    rnd = random.Random(31)
    for trial in range(12):
        model, L = ("relu", "abs")[trial % 2], 3 + (trial // 2) % 2
        fam = get_family(model, depth=L)
        xs = sorted({F(rnd.randint(-20, 20), rnd.randint(1, 3)) for _ in range(5)})
        X = np.array([[v] for v in xs], dtype=object)
        k = rnd.randint(1, 3)
        atoms = [fam.make_atom(tuple(rnd.choice((1, -1)) if model == "relu" else 1
                                     for _ in range(L - 1)),
                               tuple(F(rnd.randint(-20, 20), rnd.randint(1, 4))
                                     for _ in range(L - 1))) for _ in range(k)]
        z = [F(rnd.choice((-1, 1)) * rnd.randint(1, 30), rnd.randint(1, 7)) for _ in range(k)]
        xi = F(rnd.randint(-5, 5), 3)
        net = chain_network(model, L, atoms, z, xi)
        T = np.array([list(a.thetas) for a in atoms], dtype=object)
        S = np.array([list(a.signs) for a in atoms])
        want = chain_values(model, np.array(xs, dtype=object), T, S).dot(
            np.array(z, dtype=object)) + xi
        c.check(list(net.forward(X)) == list(want), f"trial {trial}: forward ≠ Σ z φ + ξ")
        c.check(net.penalty() / L == sum(abs(v) for v in z),
                f"trial {trial}: ℓ_L^L penalty ≠ ‖z‖₁")
        if trial < 4:      # the sympy weights themselves (irrational roots), not the units
            direct = net.forward(X, method="direct")
            c.check(list(direct) == list(want), f"trial {trial}: sympy weights disagree")
            c.check(net.penalty(method="direct") / L == sum(abs(v) for v in z),
                    f"trial {trial}: sympy penalty disagrees")
    return c.n
