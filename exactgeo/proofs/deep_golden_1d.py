"""THEORY §6 G3, G4, G5: min-ℓ1 values of deep 1-D chains, exactly."""
from __future__ import annotations

NAME = "deep-golden-1d"
DESCRIPTION = ("THEORY §6: G3 (relu, min ℓ1 2/1/1 for L = 2/3/4), G4 (relu, 4/4/4), G5 "
               "(abs, 3/1/1) — certified fits over ℚ, the THEORY witnesses interpolate with "
               "that ℓ1 norm, and the stated dual certificates pass the exact vertex oracle")

G3 = ([0, 4, 5, 7, 10, 11], [0, 0, 0, 2, 3, 3], "relu", {2: 2, 3: 1, 4: 1})
G4 = ([0, 2, 6, 7], [0, 0, 3, 7], "relu", {2: 4, 3: 4, 4: 4})
G5 = (list(range(-3, 4)), [1, 0, 1, 2, 1, 0, 1], "abs", {2: 3, 3: 1, 4: 1})


def _witnesses():
    """(name, data, L, [(z, feature as a function of x)], ξ) from THEORY §6."""
    from fractions import Fraction as F
    relu = lambda t: max(t, F(0))                                     # noqa: E731
    cr = lambda a, b: (lambda x: min(relu(x - a), F(b - a)))          # noqa: E731
    return [
        ("G3", G3, 2, [(1, lambda x: relu(x - 5)), (F(-2, 3), lambda x: relu(x - 7)),
                       (F(-1, 3), lambda x: relu(x - 10))], 0),
        ("G3", G3, 3, [(F(2, 3), cr(5, 7)), (F(1, 3), cr(5, 10))], 0),
        ("G3", G3, 4, [(1, cr(5, 8))], 0),
        ("G4", G4, 2, [(F(3, 4), lambda x: relu(x - 2)), (F(13, 4), lambda x: relu(x - 6))], 0),
        ("G4", G4, 3, [(F(3, 4), cr(2, 7)), (F(13, 4), cr(6, 7))], 0),
        ("G5", G5, 2, [(1, lambda x: abs(x + 2)), (-1, lambda x: abs(x)),
                       (1, lambda x: abs(x - 2))], -2),
        ("G5", G5, 3, [(1, lambda x: abs(abs(x) - 2))], 0),
    ]


def prove() -> int:
    from fractions import Fraction as F

    import numpy as np

    from ..families import get_family
    from ..pipeline import fit
    from ._ga import Cases

    c = Cases()
    for x, y, model, values in (G3, G4, G5):
        X = np.array([[F(v)] for v in x], dtype=object)
        Y = np.array([F(v) for v in y], dtype=object)
        for L, want in values.items():
            res = fit(X, Y, model=model, depth=L, min_norm=True, certify=True)
            c.check(res.objective_exact == want, f"{model} L={L}: min ℓ1 "
                                                 f"{res.objective_exact} ≠ {want}")
            c.check(res.certificate.status == "certified-optimal",
                    f"{model} L={L}: {res.certificate.status}")
    for name, (x, y, model, values), L, terms, xi in _witnesses():
        f = [xi + sum(F(z) * phi(F(v)) for z, phi in terms) for v in x]
        c.check(f == [F(v) for v in y], f"{name} L={L}: the witness does not interpolate")
        c.check(sum(abs(F(z)) for z, _ in terms) == values[L],
                f"{name} L={L}: witness ℓ1 norm ≠ {values[L]}")
    # lower-bound certificates: THEORY's G3 dual for L = 2, and the secant-slope duals
    # (1-Lipschitz features) for the deeper chains, decided by the exact vertex oracle
    duals = [("G3", G3, 2, [F(-1, 4), F(9, 4), F(-3), F(1), F(1), F(-1)], 2),
             ("G3", G3, 3, [0, 0, F(-1, 2), F(1, 2), 0, 0], 1),
             ("G3", G3, 4, [0, 0, F(-1, 2), F(1, 2), 0, 0], 1),
             ("G4", G4, 2, [0, 0, -1, 1], 4), ("G4", G4, 3, [0, 0, -1, 1], 4),
             ("G4", G4, 4, [0, 0, -1, 1], 4),
             ("G5", G5, 3, [0, 0, -1, 1, 0, 0, 0], 1),
             ("G5", G5, 4, [0, 0, -1, 1, 0, 0, 0], 1)]
    for name, (x, y, model, _), L, lam, value in duals:
        lam = [F(v) for v in lam]
        c.check(sum(lam) == 0 and sum(l * v for l, v in zip(lam, y)) == value,
                f"{name} L={L}: dual not feasible or wrong value")
        X = np.array([[F(v)] for v in x], dtype=object)
        fam = get_family(model, depth=L)       # depth 2: the ramp family (THEORY §2.4)
        S = fam.price(X, np.array(lam, dtype=object)).sup_exact
        c.check(S <= 1, f"{name} L={L}: dual violates |λᵀφ| ≤ 1 (S = {S})")
    return c.n
