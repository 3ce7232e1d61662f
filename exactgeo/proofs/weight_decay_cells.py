"""THEORY §2.8 / §6 G1: weight decay is a group Lasso over arrangement cells; its optimal
neurons are *interior* (u = g/‖g‖, not a wedge product) or lie on a *ray* (a wedge
product of samples). Two exact instances, verified with sympy algebraic numbers and
against the cells certificate (whose enclosure must contain the exact value):

* G1: X = I₂, y = (1, 1), β = 1/10, relu, no bias: p* = √2/10 − 1/200, one neuron
  u = (1, 1)/√2 with z = √2 − β — interior;
* a ray instance: X = [[1, 0], [1, 1]], y = (1, −1), β = 1/10, relu, no bias:
  p* = (√2 + 1)/10 − 3/200 with neurons u = (1, −1)/√2 ∝ ×(x₂) (z = √2 − 2β) and
  u = (0, 1) = ×(x₁) (z = −(1 − β)) — both rays, wedge products of samples.

Each optimum is checked exactly: the objective of the stated network, and the dual
certificate S(r) ≤ β evaluated cell by cell (the sector rule of THEORY §2.5 over the
exact cells, every comparison decided by sympy on algebraic numbers).
"""
from __future__ import annotations

NAME = "weight-decay-cells"
DESCRIPTION = ("THEORY §2.8, G1: weight decay = group Lasso over cells; exact interior (G1) "
               "and ray (wedge product) optima, enclosed by the cells certificate")


def _sector_sup(X, r, model="relu"):
    """sup over unit u of rᵀσ(Xu) (no bias), exactly: every cell's closed-sector maximum
    (‖g‖ if g is in the cell, else the best boundary ray), g = M_Cᵀr in sympy."""
    import sympy as sp

    from ..cells.arrangement import cells
    n = len(X)
    best = sp.Integer(0)
    for c in cells([[int(v) for v in row] for row in X]):
        m = [1 if s > 0 else 0 for s in c.signs] if model == "relu" else list(c.signs)
        for sign in (1, -1):
            g = [sign * sum(m[i] * r[i] * X[i][k] for i in range(n)) for k in range(2)]
            inside = all(sp.simplify(c.signs[i] * (X[i][0] * g[0] + X[i][1] * g[1])) >= 0
                         for i in range(n))
            cands = []
            if inside:
                cands.append(sp.sqrt(sp.nsimplify(sp.expand(g[0] ** 2 + g[1] ** 2))))
            for i in range(n):
                for o in (1, -1):
                    rho = (-o * X[i][1], o * X[i][0])
                    if all(c.signs[k] * (X[k][0] * rho[0] + X[k][1] * rho[1]) >= 0
                           for k in range(n)):
                        cands.append((g[0] * rho[0] + g[1] * rho[1])
                                     / sp.sqrt(rho[0] ** 2 + rho[1] ** 2))
            for v in cands:
                if sp.simplify(v - best) > 0:
                    best = sp.simplify(v)
    return best


def _objective(X, y, beta, neurons, model="relu"):
    """½‖Σ z σ(Xu) − y‖² + β Σ|z| for unit neurons (u, z), in sympy."""
    import sympy as sp
    n = len(X)
    f = [sum(z * sp.Max(0, u[0] * X[i][0] + u[1] * X[i][1]) for u, z in neurons)
         for i in range(n)]
    r = [y[i] - f[i] for i in range(n)]
    return sp.nsimplify(sp.expand(sum(v ** 2 for v in r) / 2 + beta * sum(sp.Abs(z) for _, z
                                                                          in neurons))), r


def _check_enclosure(X, y, beta, p_star, kinds):
    """The cells route of fit certifies, its enclosure contains p*, and the neuron kinds
    are as stated."""
    from fractions import Fraction as F

    import sympy as sp

    from ..pipeline import fit
    res = fit([[F(v) for v in row] for row in X], [F(v) for v in y], model="relu",
              reg="l2", bias=False, beta=F(beta.p, beta.q), certify=True)
    assert res.certificate.status == "certified-optimal", res.certificate.message
    lo, hi = res.objective_enclosure
    assert sp.Rational(lo.numerator, lo.denominator) <= p_star <= \
        sp.Rational(hi.numerator, hi.denominator), (lo, hi, p_star)
    got = sorted(n["atom"]["kind"] for n in res.to_json()["neurons"])
    assert got == sorted(kinds), got
    return res


def prove() -> int:
    import sympy as sp
    cases = 0
    beta = sp.Rational(1, 10)
    # ---- G1: interior optimum
    X, y = [[1, 0], [0, 1]], [1, 1]
    u = (1 / sp.sqrt(2), 1 / sp.sqrt(2))
    p, r = _objective(X, y, beta, [(u, sp.sqrt(2) - beta)])
    assert sp.simplify(p - (sp.sqrt(2) / 10 - sp.Rational(1, 200))) == 0, p
    S = _sector_sup(X, r)
    assert sp.simplify(S - beta) == 0, S                  # S(r) = β: optimal (THEORY §2.5)
    res = _check_enclosure(X, y, beta, sp.sqrt(2) / 10 - sp.Rational(1, 200), ["interior"])
    cases += 3
    # the neuron is interior: u = g/‖g‖ with g = Xᵀr = (β/√2)(1, 1) strictly inside the
    # positive quadrant, not on a sample hyperplane (not a wedge product)
    g = [sp.simplify(sum(r[i] * X[i][k] for i in range(2))) for k in range(2)]
    assert all(v > 0 for v in g) and sp.simplify(g[0] - g[1]) == 0
    assert res.to_json()["neurons"][0]["atom"]["spanning_rows"] == []
    cases += 1
    # ---- a ray optimum: the neurons are wedge products of samples
    X, y = [[1, 0], [1, 1]], [1, -1]
    uA, zA = (1 / sp.sqrt(2), -1 / sp.sqrt(2)), sp.sqrt(2) - 2 * beta   # ∝ −×(x₂) = (1, −1)
    uB, zB = (0, 1), -(1 - beta)                                       # = ×(x₁) = (0, 1)
    p, r = _objective(X, y, beta, [(uA, zA), (uB, zB)])
    p_star = (sp.sqrt(2) + 1) / 10 - sp.Rational(3, 200)
    assert sp.simplify(p - p_star) == 0, p
    S = _sector_sup(X, r)
    assert sp.simplify(S - beta) == 0, S
    # each neuron lies on a sample hyperplane: uA ⊥ x₂, uB ⊥ x₁ (rays of the arrangement)
    assert sp.simplify(uA[0] * X[1][0] + uA[1] * X[1][1]) == 0
    assert uB[0] * X[0][0] + uB[1] * X[0][1] == 0
    res = _check_enclosure(X, y, beta, p_star, ["ray", "ray"])
    rows = sorted(tuple(n["atom"]["spanning_rows"]) for n in res.to_json()["neurons"])
    assert rows == [(0,), (1,)], rows
    cases += 4
    return cases
