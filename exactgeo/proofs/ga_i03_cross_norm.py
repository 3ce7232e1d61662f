"""THEORY §1 I3: ‖×(V)‖² = det(VVᵀ) = ‖v_1∧…∧v_{d−1}‖² = vol_{d−1}(V)²."""
from __future__ import annotations

NAME = "ga-i3-cross-norm"
DESCRIPTION = ("THEORY §1 I3: |×(V)|^2 = det(VV^T) = |v_1^..^v_(d-1)|^2 = vol_(d-1)(V)^2 "
               "(base x height, Gram-Schmidt); symbolic d = 2..4 + exact")


def _gram_schmidt_sq_norms(rows, dot, zero):
    """Squared lengths of the Gram–Schmidt vectors of ``rows`` (volume² = their product)."""
    qs, norms = [], []
    for v in rows:
        q = list(v)
        for p, n in zip(qs, norms):
            if n != zero:
                coef = dot(v, p) / n
                q = [a - coef * b for a, b in zip(q, p)]
        qs.append(q)
        norms.append(dot(q, q))
    return norms


def prove() -> int:
    import sympy as sp
    from fractions import Fraction
    from ._ga import DIMS, Cases, cross_formula, det, dot, fdet, fdot, fgram, instances, \
        lib_cross, lib_wedge, minors_formula, sym_matrix

    c = Cases()
    for d in DIMS:
        V = sym_matrix("v", d - 1, d)
        X = cross_formula(V)
        G = det(V * V.T)
        c.zero(dot(X, X) - G, f"d={d}: |×(V)|^2 != det(VV^T)")
        W = minors_formula(V)
        c.zero(dot(W, W) - G, f"d={d}: |v_1^..^v_(d-1)|^2 != det(VV^T)")
        # volume = base × height: G_k = G_(k-1)·dist(v_k, span(v_1..v_(k-1)))^2, with the
        # orthogonal projection P = V^T (VV^T)^(-1) V written polynomially via adj(VV^T)
        for k in range(2, d):
            B, v = V[: k - 1, :], V[k - 1, :].T
            Gb = det(B * B.T)
            proj = (v.T * B.T * (B * B.T).adjugate(method="berkowitz") * B * v)[0, 0]
            c.zero(det(V[:k, :] * V[:k, :].T) - (Gb * dot(v, v) - proj),
                   f"d={d}: vol_{k}^2 != vol_{k - 1}^2 · height^2")
        if d <= 3:  # Gram–Schmidt with rational functions (d = 4 takes ~50 s in sympy)
            rows = [list(V[i, :]) for i in range(d - 1)]
            sdot = lambda a, b: sp.cancel(sum(x * y for x, y in zip(a, b)))
            vol2 = sp.Integer(1)
            for n in _gram_schmidt_sq_norms(rows, sdot, sp.Integer(0)):
                vol2 = vol2 * n
            c.zero(sp.cancel(vol2 - G), f"d={d}: Gram-Schmidt volume^2 != det(VV^T)")

    for d in DIMS + (5,):
        for V in instances(300 + d, d - 1, d, 40):
            X, W = lib_cross(V), lib_wedge(V)
            G = fdet(fgram(V))
            c.check(fdot(X, X) == G, lambda: f"d={d}: |exactgeo.cross(V)|^2 != det(VV^T), V={V}")
            c.check(fdot(W, W) == G, lambda: f"d={d}: |exactgeo.wedge(V)|^2 != det(VV^T), V={V}")
            vol2 = Fraction(1)
            for n in _gram_schmidt_sq_norms(V, fdot, Fraction(0)):
                vol2 *= n
            c.check(vol2 == G, lambda: f"d={d}: Gram-Schmidt volume^2 != det(VV^T), V={V}")
    return c.n
