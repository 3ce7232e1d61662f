"""THEORY §6 G1: the data-only ℓ2 wedge dictionary (W2) is not exact."""
from __future__ import annotations

NAME = "two-layer-l2-counterexample"
DESCRIPTION = ("THEORY §6 G1 / §2.4: X = I₂, y = (1, 1), β = 1/10, relu/abs, no bias: W2 gives "
               "19/100 with S = √2·β > β; the optimum √2/10 − 1/200 (u = (1,1)/√2) is proved "
               "by a matching dual certificate S = β")


def prove() -> int:
    from fractions import Fraction

    import numpy as np
    import sympy as sp

    cases = 0
    b = sp.symbols("beta", positive=True)
    u1, u2 = sp.symbols("u1 u2", real=True)
    y = sp.Matrix([1, 1])

    # (a) W2: columns e1, e2 (the ±×(x_i) atoms; the negative ones have zero features).
    #     KKT for β ∈ (0, 1): z = (1 − β, 1 − β) > 0, r = (β, β), |A_kᵀr| = β.
    z = sp.Matrix([1 - b, 1 - b])
    r = y - z
    assert r == sp.Matrix([b, b]), "W2 residual"
    val_w2 = sp.expand(r.dot(r) / 2 + b * (z[0] + z[1]))
    assert sp.simplify(val_w2 - (2 * b - b ** 2)) == 0, "W2 value != 2β − β²"
    assert val_w2.subs(b, sp.Rational(1, 10)) == sp.Rational(19, 100), "W2 value at β = 1/10"
    cases += 3
    # (b) its residual fails: S(r)² = β²·sup_{‖u‖=1}(u1⁺ + u2⁺)² = 2β² > β²
    #     (u1 + u2)² ≤ 2(u1² + u2²) with equality at u1 = u2, i.e. u = (1, 1)/√2
    assert sp.expand(2 * (u1 ** 2 + u2 ** 2) - (u1 + u2) ** 2 - (u1 - u2) ** 2) == 0
    ustar = sp.Matrix([1, 1]) / sp.sqrt(2)
    S_w2 = b * (ustar[0] + ustar[1])
    assert sp.simplify(S_w2 - sp.sqrt(2) * b) == 0 and sp.simplify(S_w2 ** 2 - 2 * b ** 2) == 0
    assert (S_w2 ** 2 - b ** 2).subs(b, sp.Rational(1, 10)) == sp.Rational(1, 100), "S² − β²"
    cases += 3
    # (c) the optimum: one neuron u*, feature φ = (1, 1)/√2, z* = √2 − β, r* = (β/√2)(1, 1)
    phi = ustar
    zs = sp.sqrt(2) - b
    rs = y - zs * phi
    assert sp.simplify(rs - b / sp.sqrt(2) * sp.Matrix([1, 1])) == sp.zeros(2, 1), "r*"
    primal = sp.simplify(rs.dot(rs) / 2 + b * zs)
    assert sp.simplify(primal - (sp.sqrt(2) * b - b ** 2 / 2)) == 0, "primal value"
    # dual certificate: S(r*) = (β/√2)·sup(u1⁺ + u2⁺) = (β/√2)·√2 = β (abs: |u1| + |u2|, same
    # bound), and weak duality P∞ ≥ λᵀy − ½‖λ‖² for every λ with S(λ) ≤ β
    S_star = (b / sp.sqrt(2)) * sp.sqrt(2)
    assert sp.simplify(S_star - b) == 0
    dual = sp.simplify(rs.dot(y) - rs.dot(rs) / 2)
    assert sp.simplify(dual - primal) == 0, "primal and dual values differ"
    p10 = primal.subs(b, sp.Rational(1, 10))
    assert sp.simplify(p10 - (sp.sqrt(2) / 10 - sp.Rational(1, 200))) == 0, "G1 value"
    # 19/100 > √2/10 − 1/200 exactly: 39/20 > √2 ⇔ (39/20)² = 1521/400 > 2
    assert sp.Rational(39, 20) ** 2 > 2 and sp.Rational(19, 100) > p10
    # the pricing sup is attained on the closed positive quadrant: parametrise u = (cos t, sin t)
    t = sp.symbols("t", real=True)
    f = sp.cos(t) + sp.sin(t)
    crit = sp.solve(sp.diff(f, t), t)
    assert any(sp.simplify(c - sp.pi / 4) == 0 for c in crit), f"critical points {crit}"
    assert sp.simplify(f.subs(t, sp.pi / 4) - sp.sqrt(2)) == 0
    cases += 7

    # (d) the library agrees: W2 exactly 19/100 and a failing certificate; column generation
    #     finds u* and the value √2/10 − 1/200 (floats, tolerance 1e-9: solver gap 1e-10)
    #     and, exactly, certifies it
    from exactgeo.fitting import fit
    F = Fraction
    X = [[F(1), F(0)], [F(0), F(1)]]
    Y = [F(1), F(1)]
    for model in ("relu", "abs"):
        w2 = {"route": "dictionary"}      # the W2 dictionary (with --certify: cells route)
        res = fit(X, Y, model=model, reg="l2", bias=False, beta=F(1, 10), certify=True,
                  family_options=w2)
        if res.objective_exact is not None:
            assert res.objective_exact == F(19, 100), f"{model}: W2 value {res.objective_exact}"
        else:
            lo, hi = res.objective_enclosure
            assert F(lo) <= F(19, 100) <= F(hi), f"{model}: enclosure {lo, hi} misses 19/100"
        cert = res.certificate
        assert cert.status == "upper-bound", f"{model}: W2 certificate {cert.status}"
        if cert.sup_sq_exact is not None:
            assert cert.sup_sq_exact == F(2, 100), f"{model}: S² = {cert.sup_sq_exact}"
        assert abs(cert.sup - float(sp.sqrt(2)) / 10) < 1e-12
        cg = fit(np.eye(2), np.ones(2), model=model, reg="l2", bias=False, beta=0.1, colgen=True)
        assert abs(cg.objective - float(p10)) < 1e-9, f"{model}: colgen value {cg.objective}"
        # exact column generation: ball-arithmetic KKT, then the tie S(r) = β decided over
        # algebraic numbers — the library certifies √2/10 − 1/200 as the global optimum
        ex = fit(X, Y, model=model, reg="l2", bias=False, beta=F(1, 10), colgen=True,
                 certify=True, family_options=w2)
        assert ex.certificate.status == "certified-optimal", f"{model}: {ex.certificate.status}"
        assert sp.simplify(ex.certificate.objective_algebraic - p10) == 0, "algebraic optimum"
        lo, hi = ex.objective_enclosure
        assert sp.Rational(F(lo)) <= p10 <= sp.Rational(F(hi)), "enclosure misses the optimum"
        cases += 7
    return cases
