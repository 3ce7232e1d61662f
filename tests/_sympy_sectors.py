"""A reference 2-D ℓ2 pricing oracle written with sympy (exact algebraic signs), independent
of the library's ball-arithmetic sector walk: sup over unit u of |λᵀσ(Xu)|² by the angular
sectors of THEORY §2.5 (no bias; shift X by an anchor for biases)."""

__all__ = ["sympy_sup_sq", "sym_sign"]


def sym_sign(e) -> int:
    """Exact sign of a real algebraic sympy number (square-root expressions)."""
    import sympy as sp
    e = sp.radsimp(sp.expand(e))
    if e == 0:
        return 0
    v = sp.N(e, 60)
    if abs(v) > sp.Float("1e-45", 60):
        return 1 if v > 0 else -1
    x = sp.Symbol("x")
    if sp.minimal_polynomial(e, x) == x:
        return 0
    v = sp.N(e, 400)
    if v == 0:  # pragma: no cover - would need more precision
        raise ArithmeticError("sign undecided")
    return 1 if v > 0 else -1


def sympy_sup_sq(X, lam, activation: str):
    """sup_{‖u‖₂=1} |lamᵀσ(Xu)|² for exact X (n, 2) Fractions and sympy ``lam`` (no bias),
    by the angular sectors of THEORY §2.5; returns (S² sympy, maximising direction)."""
    import functools
    import sympy as sp
    rays = []
    for x in X:
        if x[0] != 0 or x[1] != 0:
            rho = (-x[1], x[0])
            rays += [rho, (-rho[0], -rho[1])]
    if not rays:
        return sp.Integer(0), None

    def half(v):
        return 0 if (v[1] > 0 or (v[1] == 0 and v[0] > 0)) else 1

    def cmp(a, b):
        ha, hb = half(a), half(b)
        if ha != hb:
            return ha - hb
        cr = a[0] * b[1] - a[1] * b[0]
        return -1 if cr > 0 else (1 if cr < 0 else 0)

    rays.sort(key=functools.cmp_to_key(cmp))
    uniq = [rays[0]]
    for v in rays[1:]:
        if cmp(uniq[-1], v) != 0:
            uniq.append(v)
    Xs = [(sp.Rational(x[0]), sp.Rational(x[1])) for x in X]
    best, arg = sp.Integer(0), None
    m = len(uniq)
    for k in range(m):
        a, b = uniq[k], uniq[(k + 1) % m]
        cr = a[0] * b[1] - a[1] * b[0]
        if m == 1 or (cr == 0):       # half-plane chamber (angle π): interior ⟂ a
            uc = (-a[1], a[0])
            half_plane = True
        else:
            uc = (a[0] + b[0], a[1] + b[1])
            half_plane = False
        gx, gy = sp.Integer(0), sp.Integer(0)
        for x, xs, li in zip(X, Xs, lam):
            t = x[0] * uc[0] + x[1] * uc[1]
            if activation == "relu":
                if t > 0:
                    gx, gy = gx + li * xs[0], gy + li * xs[1]
            elif t != 0:
                s = 1 if t > 0 else -1
                gx, gy = gx + s * li * xs[0], gy + s * li * xs[1]
        for sg in (1, -1):
            hx, hy = sg * gx, sg * gy
            inside = sym_sign(a[0] * hy - a[1] * hx) >= 0 and \
                (half_plane or sym_sign(hx * b[1] - hy * b[0]) >= 0)
            if inside:
                cands = [(hx ** 2 + hy ** 2, (hx, hy))]
            else:
                cands = []
                for v in (a, b):
                    dot = hx * v[0] + hy * v[1]
                    if sym_sign(dot) > 0:
                        cands.append((dot ** 2 / (v[0] ** 2 + v[1] ** 2), v))
            for val, u in cands:
                if sym_sign(val - best) > 0:
                    best, arg = sp.radsimp(sp.expand(val)), u
    return best, arg
