"""THEORY §2.4 (d = 1, bias) / §2.5: the 1-D two-layer network problem is the ramp Lasso."""
from __future__ import annotations

NAME = "two-layer-ramp-1d"
DESCRIPTION = ("THEORY §2.4/§2.5, d = 1 with bias: for 𝟙ᵀλ = 0, c ↦ λᵀσ(sx + c) is piecewise "
               "linear, flat at ±∞, so sup_c is attained at anchors (symbolic, N ≤ 4); random "
               "rational instances: ramp-dictionary value is certified-optimal exactly")


def _pieces_symbolic(N: int, act: str) -> int:
    """On each interval between consecutive anchors, Λ(c) = Σλ_iσ(x_i + c) is affine, and
    on the two unbounded intervals it is constant when Σλ = 0 (x sorted, s = +1; s = −1 is
    the same statement for the data −x)."""
    import sympy as sp
    xs = sp.symbols(f"x1:{N + 1}", real=True)
    lam = list(sp.symbols(f"l1:{N}", real=True))
    lam.append(-sum(lam))                       # 𝟙ᵀλ = 0
    c = sp.symbols("c", real=True)
    cases = 0
    # anchors −x_N < … < −x_1; on the interval between −x_{k+1} and −x_k exactly the points
    # i > k are active for relu (x_i + c > 0), and the sign pattern of x_i + c is fixed for abs
    for k in range(N + 1):
        if act == "relu":
            Lam = sum(lam[i] * (xs[i] + c) for i in range(k, N))
        else:
            Lam = sum(lam[i] * (xs[i] + c) for i in range(k, N)) - \
                sum(lam[i] * (xs[i] + c) for i in range(k))
        assert sp.diff(Lam, c, 2) == 0, "Λ not affine on a cell"
        cases += 1
        if k == 0 and act == "relu":          # c → +∞: all active, slope Σλ = 0
            assert sp.simplify(sp.diff(Lam, c)) == 0, "Λ not flat at +∞"
            # and its constant value equals the anchor value at c = −x_1 (x_1 the smallest)
            at_anchor = sum(lam[i] * (xs[i] - xs[0]) for i in range(N))
            assert sp.simplify(Lam - at_anchor) == 0, "limit ≠ extreme-anchor value"
            cases += 2
        if k == N and act == "relu":          # c → −∞: none active
            assert Lam == 0
            cases += 1
        if k in (0, N) and act == "abs":      # all of one sign: slope ±Σλ = 0
            assert sp.simplify(sp.diff(Lam, c)) == 0, "abs Λ not flat at ±∞"
            cases += 1
    return cases


def prove() -> int:
    import random
    from fractions import Fraction as F

    import numpy as np

    cases = 0
    for N in (2, 3, 4):
        for act in ("relu", "abs"):
            cases += _pieces_symbolic(N, act)

    # exact instances through the library: dictionary R, exact KKT, exact oracle
    from exactgeo.fitting import fit
    rnd = random.Random(7)
    for trial in range(12):
        n = rnd.randint(3, 7)
        xs = sorted(set(F(rnd.randint(-30, 30), rnd.randint(1, 4)) for _ in range(n)))
        n = len(xs)
        X = np.array([[v] for v in xs], dtype=object)
        y = np.array([F(rnd.randint(-5, 5), rnd.randint(1, 3)) for _ in range(n)], dtype=object)
        beta = F(1, rnd.randint(2, 40))
        model = ("relu", "abs")[trial % 2]
        res = fit(X, y, model=model, reg="l1", bias=True, beta=beta, certify=True)
        assert res.lasso_status == "exact", f"trial {trial}: KKT {res.lasso_message}"
        assert res.certificate.status == "certified-optimal", \
            f"trial {trial}: {res.certificate.status} S = {res.certificate.sup}"
        # independent check: with the exact residual, Λ(c) over a fine rational grid of c
        # (both signs s) never exceeds β
        r = y - res.net.forward(X)
        for s in (1, -1):
            lo, hi = min(xs) - 3, max(xs) + 3
            for k in range(61):
                c = -s * (lo + (hi - lo) * F(k, 60))
                pre = [s * v + c for v in xs]
                phi = [max(p, 0) if model == "relu" else abs(p) for p in pre]
                assert abs(sum(ri * fi for ri, fi in zip(r, phi))) <= beta, \
                    f"trial {trial}: grid point c = {c} violates the certificate"
        cases += 1
    return cases
