"""THEORY §2.2: the rescaling identity behind the Lasso reformulation."""
from __future__ import annotations

NAME = "two-layer-rescaling"
DESCRIPTION = ("THEORY §2.2: (w, b, α) ↦ (γw, γb, α/γ) keeps the neuron; "
               "min_γ (β/2)(γ²‖w‖² + α²/γ²) = β|α|‖w‖ (symbolic AM–GM) + §2.6 exact instances")


def prove() -> int:
    import random
    from fractions import Fraction

    import sympy as sp

    cases = 0
    g, a, al, beta, t = sp.symbols("gamma a alpha beta t", positive=True)
    # 1. AM–GM as an exact sum of squares: (β/2)(γ²a² + α²/γ²) − βαa = (β/2)(γa − α/γ)²
    f = beta / 2 * (g ** 2 * a ** 2 + al ** 2 / g ** 2)
    assert sp.simplify(f - beta * al * a - beta / 2 * (g * a - al / g) ** 2) == 0, \
        "AM–GM identity fails"
    cases += 1
    # 2. the minimiser γ* = √(α/a) is the unique positive critical point and attains βαa
    crit = sp.solve(sp.diff(f, g), g)
    assert len(crit) == 1 and sp.simplify(crit[0] - sp.sqrt(al / a)) == 0, f"critical points {crit}"
    assert sp.simplify(f.subs(g, crit[0]) - beta * al * a) == 0, "minimum value != β|α|‖w‖"
    assert sp.simplify(sp.diff(f, g, 2).subs(g, crit[0])) .is_positive, "not a minimum"
    cases += 3
    # 3. positive homogeneity: (α/γ)σ(γ t) = ασ(t) for relu and abs, both signs of t
    for tt in (t, -t):
        assert sp.simplify(al / g * sp.Max(0, g * tt) - al * sp.Max(0, tt)) == 0, "relu"
        assert sp.simplify(al / g * sp.Abs(g * tt) - al * sp.Abs(tt)) == 0, "abs"
        cases += 2
    # 4. exact instances of §2.6: w = γu, α = sign(z)γ with γ = √|z|, ‖u‖₁ = 1 rational,
    #    gives ασ(wᵀx + b) = zσ(uᵀx + c) and (β/2)(‖w‖₁² + α²) = β|z| exactly
    rnd = random.Random(2026)
    for _ in range(40):
        d = rnd.randint(1, 3)
        raw = [Fraction(rnd.randint(-9, 9), rnd.randint(1, 5)) for _ in range(d)]
        if not any(raw):
            raw[0] = Fraction(1)
        s = sum(abs(v) for v in raw)
        u = [v / s for v in raw]
        c = Fraction(rnd.randint(-9, 9), rnd.randint(1, 7))
        z = Fraction(rnd.choice([-1, 1]) * rnd.randint(1, 50), rnd.randint(1, 13))
        B = Fraction(1, rnd.randint(1, 100))
        gam = sp.sqrt(sp.Rational(abs(z)))
        w = [gam * sp.Rational(v) for v in u]
        bb = gam * sp.Rational(c)
        alpha = sp.sign(z) * gam
        pen = sp.Rational(B) / 2 * (sum(sp.Abs(v) for v in w) ** 2 + alpha ** 2)
        assert sp.simplify(pen - sp.Rational(B) * abs(sp.Rational(z))) == 0, "penalty"
        for _ in range(5):
            x = [Fraction(rnd.randint(-20, 20), rnd.randint(1, 6)) for _ in range(d)]
            pre_u = sum(ui * xi for ui, xi in zip(u, x)) + c
            pre_w = sum(wi * sp.Rational(xi) for wi, xi in zip(w, x)) + bb
            for act in ("relu", "abs"):
                lhs = alpha * (sp.Max(0, pre_w) if act == "relu" else sp.Abs(pre_w))
                rhs = sp.Rational(z) * (max(pre_u, 0) if act == "relu" else abs(pre_u))
                assert sp.simplify(lhs - rhs) == 0, f"neuron identity fails ({act})"
                cases += 1
        cases += 1
    return cases
