"""THEORY §2.4: ℓ1 inner penalty with axes (W1+ / B1+) is an exact dictionary."""
from __future__ import annotations

NAME = "two-layer-l1-axes-exact"
DESCRIPTION = ("THEORY §2.4: with the ℓ1 inner penalty, the dictionaries W1+ (no bias) and B1+ "
               "(bias) are exact: random rational instances in d = 2, 3 are certified-optimal "
               "over ℚ, and sampled rational neurons never violate S ≤ β")


def prove() -> int:
    import random
    from fractions import Fraction as F

    import numpy as np

    from exactgeo.fitting import fit

    rnd = random.Random(31)
    cases = 0
    configs = [(2, False, "relu"), (2, True, "relu"), (2, True, "abs"), (3, False, "relu"),
               (3, True, "abs"), (2, False, "abs")]
    for trial in range(18):
        d, bias, model = configs[trial % len(configs)]
        n = rnd.randint(3, 6 if d == 2 else 5)
        X = np.array([[F(rnd.randint(-6, 6), rnd.randint(1, 3)) for _ in range(d)]
                      for _ in range(n)], dtype=object)
        y = np.array([F(rnd.randint(-4, 4), rnd.randint(1, 2)) for _ in range(n)], dtype=object)
        beta = F(1, rnd.randint(3, 30))
        res = fit(X, y, model=model, reg="l1", bias=bias, beta=beta, certify=True)
        assert res.lasso_status == "exact", f"trial {trial}: KKT {res.lasso_message}"
        assert res.certificate.status == "certified-optimal", \
            f"trial {trial} (d={d}, bias={bias}, {model}): {res.certificate.status}"
        assert res.reconstruction_exact, f"trial {trial}: network objective != Lasso objective"
        # independent sampled check over rational ℓ1-unit neurons (and anchors when biased)
        r = y - res.net.forward(X)
        for _ in range(60):
            raw = [F(rnd.randint(-9, 9), rnd.randint(1, 4)) for _ in range(d)]
            s = sum(abs(v) for v in raw)
            if s == 0:
                continue
            u = [v / s for v in raw]
            if bias:
                j = rnd.randrange(n)
                c = -sum(ui * xi for ui, xi in zip(u, X[j])) + F(rnd.randint(-3, 3), 7)
            else:
                c = F(0)
            pre = [sum(ui * xi for ui, xi in zip(u, row)) + c for row in X]
            phi = [max(p, 0) if model == "relu" else abs(p) for p in pre]
            assert abs(sum(ri * fi for ri, fi in zip(r, phi))) <= beta, \
                f"trial {trial}: sampled neuron u = {u}, c = {c} violates S ≤ β"
        cases += 1
    return cases
