"""Exact pricing of one cell group (THEORY §2.8): sup of gᵀu over the closed cell with
‖u‖ ≤ 1, g = M_Cᵀr.

Second routes, sharing nothing with the active-set projection of ``pricing.py``:
a brute-force face enumeration over ℚ written here (every subset of oriented rows, g
projected on its null space by our own Gaussian elimination, kept if it lies in the cone),
dense sampling of unit directions with the feature rᵀσ(X_a u) evaluated from the network
definition, the existing exact 2-D sector oracle (``families/pricing_2d``), and exact
re-evaluation at rational points inside arb boxes.
"""
from __future__ import annotations

import itertools
from fractions import Fraction as F

import flint
import numpy as np
import pytest

from exactgeo.cells import (CellMax, all_cells, anchored, best_cell, cell_matrix, cell_max,
                            cells, cells_above, price_cells)
from exactgeo.families import get_family
from exactgeo.families.pricing_2d import price_l2_2d
from exactgeo.ga import cross


def solve_q(G, b):
    k = len(b)
    M = [list(map(F, row)) + [F(b[i])] for i, row in enumerate(G)]
    for c in range(k):
        p = next((i for i in range(c, k) if M[i][c] != 0), None)
        if p is None:
            return None
        M[c], M[p] = M[p], M[c]
        for i in range(k):
            if i != c and M[i][c] != 0:
                f = M[i][c] / M[c][c]
                M[i] = [a - f * bb for a, bb in zip(M[i], M[c])]
    return [M[i][k] / M[i][i] for i in range(k)]


def brute_value_sq(Xa, signs, model, r):
    """max over subsets S of tight oriented rows of ‖P_{null(S)} g‖², over candidates that lie
    in the closed cone (THEORY §2.8 face recursion, by exhaustion), and 0."""
    d = Xa.shape[1]
    w = [int(s > 0) if model == "relu" else s for s in signs]
    g = [sum(wi * ri * row[c] for wi, ri, row in zip(w, r, Xa)) for c in range(d)]
    C = [[s * v for v in row] for s, row in zip(signs, Xa) if s]
    return _brute_cone(C, g)


def rand_instance(rng, n, d, lo=-4, hi=5):
    X = [[F(int(v)) for v in row] for row in rng.integers(lo, hi, size=(n, d))]
    r = [F(int(v), 5) for v in rng.integers(-7, 8, size=n)]
    return X, r


@pytest.mark.parametrize("d", [2, 3, 4])
def test_exact_against_brute_force_faces(d):
    rng = np.random.default_rng(10 + d)
    for _ in range(2 if d == 4 else 3):
        X, r = rand_instance(rng, 5, d)
        for model in ("relu", "abs"):
            for bias in (False, True):
                for cell, m in price_cells(X, model, bias, r):
                    Xa = anchored(X, cell.anchor)
                    assert m.value_sq == brute_value_sq(Xa, cell.signs, model, r)
                    assert m.arithmetic == "exact" and m.sign == int(m.value_sq > 0)
                    check_maximiser(Xa, cell, model, r, m)


def check_maximiser(Xa, cell, model, r, m):
    """u lies in the closed cell, gᵀu = ‖u‖² = value² (u is the projection of g), face and
    kind agree with the tight rows, and a ray is the wedge of its rows."""
    d = Xa.shape[1]
    M = cell_matrix(Xa, cell, model) if cell.anchor is None else None
    w = [int(s > 0) if model == "relu" else s for s in cell.signs]
    g = [sum(wi * ri * row[c] for wi, ri, row in zip(w, r, Xa)) for c in range(d)]
    u = m.u
    dots = [sum(a * b for a, b in zip(row, u)) for row in Xa]
    assert all(s * v >= 0 for s, v in zip(cell.signs, dots))
    assert sum(a * b for a, b in zip(g, u)) == sum(v * v for v in u) == m.value_sq
    if m.kind == "zero":
        assert not any(u)
        return
    tight = tuple(i for i, (row, v) in enumerate(zip(Xa, dots)) if any(row) and v == 0)
    assert m.face == tight
    assert (m.kind == "interior") == (tight == ())
    if m.kind == "ray":
        S = np.array([list(Xa[i]) for i in m.wedge_rows], dtype=object)
        wdg = cross(S)
        assert any(wdg)
        # u ∥ ×(a_S): all 2×2 minors vanish
        assert all(u[p] * wdg[q] == u[q] * wdg[p] for p in range(d) for q in range(d))
    if M is not None:   # M_C u reproduces σ(X u) on the cell (no bias)
        feat = [max(v, 0) if model == "relu" else abs(v) for v in dots]
        assert list(M.dot(np.array(u, dtype=object))) == feat


def feature_value(X, anchor, model, r, U):
    """rᵀσ(X_a u) for unit directions U (rows), from the network definition (floats)."""
    Xa = np.array(anchored(X, anchor), dtype=np.float64)
    Z = U @ Xa.T
    S = np.maximum(Z, 0) if model == "relu" else np.abs(Z)
    return S @ np.array([float(v) for v in r])


@pytest.mark.parametrize("d,samples", [(2, 20000), (3, 40000)])
def test_against_dense_sampling(d, samples):
    """Every sampled unit direction's feature value is ≤ its cell's price (up to float
    rounding 1e-9), and the best price is approached by the samples: the deficiency of a
    sample at distance ε from the maximiser is O(ε) (face/ray maxima) with ε ≈ 1e-3 in
    2-D (0.03 on S² in 3-D), hence the 2e-3 / 8e-2 relative tolerances."""
    rng = np.random.default_rng(3)
    X, r = rand_instance(rng, 6, d)
    U = rng.standard_normal((samples, d))
    U /= np.linalg.norm(U, axis=1)[:, None]
    for model in ("relu", "abs"):
        for anchor in (None, 1):
            priced = {c.signs: m for c, m in price_cells(X, model, False, r)} \
                if anchor is None else \
                {c.signs: m for c, m in price_cells(X, model, True, r) if c.anchor == 1}
            Xa = np.array(anchored(X, anchor), dtype=np.float64)
            Z = U @ Xa.T
            vals = feature_value(X, anchor, model, r, U)
            keys = [tuple(int(v) for v in np.sign(z)) for z in Z]
            best_sampled = 0.0
            for key, v in zip(keys, vals):
                assert v <= float(priced[key].value_sq) ** 0.5 + 1e-9
                best_sampled = max(best_sampled, v)
            best = max(float(m.value_sq) for m in priced.values()) ** 0.5
            assert best_sampled <= best + 1e-9
            assert best_sampled >= best * (1 - (2e-3 if d == 2 else 8e-2)) - 1e-12


@pytest.mark.parametrize("model", ["relu", "abs"])
@pytest.mark.parametrize("bias", [False, True])
def test_best_cell_equals_2d_sector_oracle(model, bias):
    rng = np.random.default_rng(5)
    fam = get_family(model, reg="l2", bias=bias)
    for _ in range(3):
        X, r = rand_instance(rng, 7, 2)
        if bias:
            mean = sum(r) / len(r)
            r = [v - mean for v in r]           # 𝟙ᵀr = 0, as the oracle requires
        P = price_l2_2d(fam, np.array(X, dtype=object), np.array(r, dtype=object), True)
        b = best_cell(X, model, bias, r)
        assert b.max.value_sq == P.sup_sq_exact
        Pf = price_l2_2d(fam, np.array(X, dtype=np.float64), np.array(r, dtype=np.float64),
                         False)
        bf = best_cell(np.array(X, dtype=np.float64), model, bias,
                       np.array([float(v) for v in r]))
        assert abs(bf.max.value - Pf.sup) <= 1e-9 * max(1.0, Pf.sup)


def test_exact_and_float_agree():
    """Float pricing (scipy NNLS) against exact: values to 1e-9 relative (float64 rounding
    on O(10) data is ~1e-14), kinds equal (random data: no near-degenerate faces)."""
    rng = np.random.default_rng(8)
    for d in (2, 3):
        X, r = rand_instance(rng, 7, d)
        rf = np.array([float(v) for v in r])
        for model in ("relu", "abs"):
            ex = list(price_cells(X, model, True, r))
            fl = list(price_cells(X, model, True, rf))
            assert [c for c, _ in ex] == [c for c, _ in fl]
            for (_, me), (_, mf) in zip(ex, fl):
                v = float(me.value_sq) ** 0.5
                assert abs(mf.value - v) <= 1e-9 * max(1.0, v)
                assert mf.kind == me.kind and mf.face == me.face
                assert mf.wedge_rows == me.wedge_rows
                assert mf.arithmetic == "float"


def corners_inside(r_mid, rad, k, rng):
    """Rational points of the box r_mid ± rad: k random corners."""
    for _ in range(k):
        yield [m + s * q for m, s, q in zip(r_mid, rng.choice([-1, 1], size=len(r_mid)), rad)]


def test_balls_enclose_exact_values():
    rng = np.random.default_rng(9)
    X, r = rand_instance(rng, 6, 3)
    rad = [F(1, 2 ** 20)] * len(r)
    # a ball around each r_i of radius at least 2⁻²⁰ (the exact midpoint rounds at 53 bits)
    balls = [flint.arb(flint.fmpq(v.numerator, v.denominator)) + flint.arb(0, float(q))
             for v, q in zip(r, rad)]
    for model in ("relu", "abs"):
        for bias in (False, True):
            exact = list(price_cells(X, model, bias, r))
            ball = list(price_cells(X, model, bias, balls))
            for (c, me), (_, mb) in zip(exact, ball):
                assert mb.arithmetic == "ball"
                lo, hi = _ends(mb.value)
                assert max(lo, 0) ** 2 <= me.value_sq <= hi ** 2
                for rr in corners_inside(r, rad, 2, rng):          # every r of the box
                    v = cell_max(X, c, model, rr).value_sq
                    assert max(lo, 0) ** 2 <= v <= hi ** 2


def _ends(ball):
    def frac(x):
        man, exp = x.man_exp()
        man, exp = int(man), int(exp)
        return F(man * 2 ** exp) if exp >= 0 else F(man, 2 ** -exp)
    return frac(ball.lower()), frac(ball.upper())


def test_g1_best_cell_interior_at_diagonal():
    """THEORY G1: X = I₂, r = (β/√2)(1, 1): the best cell is the positive quadrant, its
    maximiser interior with u ∝ (1, 1), and the price is β."""
    X = [[1, 0], [0, 1]]
    beta = F(1, 10)
    r_q = F(7071067811865475, 10 ** 17)                   # β/√2 rounded down
    b = best_cell(X, "relu", False, [r_q, r_q])
    assert b.cell.signs == (1, 1) and b.max.kind == "interior" and b.sign == 1
    assert b.max.u[0] == b.max.u[1] > 0
    assert b.max.value_sq == 2 * r_q * r_q and b.max.compare(beta) == -1
    bf = best_cell(np.array(X, dtype=float), "relu", False, np.full(2, 0.1 / 2 ** 0.5))
    assert bf.max.kind == "interior" and abs(bf.max.value - 0.1) < 1e-15
    assert abs(bf.max.u[0] - bf.max.u[1]) < 1e-18
    rb = flint.arb(1) / 10 / flint.arb(2).sqrt()
    bb = best_cell(X, "relu", False, [rb, rb])
    assert bb.max.kind == "interior" and bb.max.value.contains(flint.arb(1) / 10)
    assert bb.max.compare(beta) is None                    # a tie on balls: undecided
    above = cells_above(X, "relu", False, [rb, rb], beta)
    assert [(p.cell.signs, p.sign) for p in above] == [((1, 1), 1)]
    for model in ("relu", "abs"):        # W2's residual (β, β) fails: S = √2·β > β
        assert best_cell(X, model, False, [beta, beta]).max.compare(beta) == 1


def test_ray_and_zero_kinds():
    X = [[1, 0], [0, 1]]
    by_signs = {c.signs: c for c in cells(X)}
    m = cell_max(X, by_signs[(-1, 1)], "relu", ["1/10", "1/5"])      # g = (0, 1/5)
    assert m.kind == "ray" and m.face == (0,) and m.wedge_rows == (0,)
    m = cell_max(X, by_signs[(-1, 1)], "relu", ["1/10", "-1/5"])     # g = (0, −1/5)
    assert m.kind == "zero" and m.value_sq == 0 and m.sign == 0 and m.compare(0) == 0
    X3 = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    c = next(c for c in cells(X3) if c.signs == (1, 1, 1))
    m = cell_max(X3, c, "abs", ["-1", "2", "3"])                      # g = (−1, 2, 3)
    assert m.kind == "face" and m.face == (0,) and m.value_sq == 13
    m = cell_max(X3, c, "abs", ["-1", "-2", "3"])
    assert m.kind == "ray" and m.face == (0, 1) and m.u == (0, 0, 3)


def test_degenerate_data_prices():
    X = [[1, 1, 0], [1, 1, 0], [0, 0, 0], [2, 2, 0], [0, 1, 1], [1, 1, 0]]
    r = [F(1), F(-2), F(3), F(1, 2), F(-1), F(1, 3)]
    for model in ("relu", "abs"):
        for bias in (False, True):
            for cell, m in price_cells(X, model, bias, r):
                Xa = anchored(X, cell.anchor)
                assert m.value_sq == brute_value_sq(Xa, cell.signs, model, r)
                check_maximiser(Xa, cell, model, r, m)


def test_cells_above_is_the_exact_filter():
    rng = np.random.default_rng(11)
    X, r = rand_instance(rng, 5, 3)
    beta = F(3, 2)
    allp = [(c, m, t) for t in (1, -1) for c, m in price_cells(X, "abs", True, r, sign=t)]
    want = [(c.signs, c.anchor, t) for c, m, t in allp if m.value_sq > beta * beta]
    got = [(p.cell.signs, p.cell.anchor, p.sign) for p in cells_above(X, "abs", True, r, beta)]
    assert sorted(got, key=str) == sorted(want, key=str)
    b = best_cell(X, "abs", True, r)
    assert b.max.value_sq == max(m.value_sq for _, m, _ in allp)


def test_cell_matrix_is_the_linear_feature():
    X = [[F(1, 2), 2], [-1, F(1, 3)], [0, 0], [3, -1]]
    for model in ("relu", "abs"):
        for c in all_cells(X, bias=True):
            M = cell_matrix(X, c, model)
            Xa = anchored(X, c.anchor)
            z = [sum(a * p for a, p in zip(row, c.point)) for row in Xa]
            want = [max(v, 0) if model == "relu" else abs(v) for v in z]
            assert list(M.dot(np.array(c.point, dtype=object))) == want


@pytest.mark.parametrize("call,match", [
    (lambda c: cell_max([[1, 0]], c, "tanh", [1]), "model"),
    (lambda c: cell_max([[1, 0]], c, "relu", [1, 2]), "length n = 1"),
    (lambda c: cell_max([[1, 0], [0, 1]], c, "relu", [1, 2]), "signs have length"),
    (lambda c: cell_max([[1, 0]], "cell", "relu", [1]), "Cell"),
    (lambda c: cell_max([[1, 0]], c, "relu", np.zeros((1, 1))), "r"),
    (lambda c: price_cells([[1, 0]], "relu", False, [1], sign=2), "sign"),
    (lambda c: best_cell([[1, 0]], "relu", False, [1], signs=()), "signs"),
])
def test_bad_inputs(call, match):
    c = next(cells([[1, 0]]))
    with pytest.raises((ValueError, TypeError), match=match):
        call(c)


def test_cellmax_is_frozen():
    m = cell_max([[1]], next(cells([[1]])), "relu", [0.5])
    assert isinstance(m, CellMax) and m.value == 0.5 and m.kind == "interior"
    with pytest.raises(Exception):
        m.value = 1.0


def test_projection_routes_agree_with_brute_force():
    """The float-guess-and-verify route and the pure exact active-set route of
    project_cone_exact both give the projection whose norm the face enumeration finds."""
    from exactgeo.cells import project_cone_exact
    rng = np.random.default_rng(12)
    for _ in range(40):
        d = int(rng.integers(2, 5))
        m = int(rng.integers(1, 7))
        C = [tuple(int(v) for v in row) for row in rng.integers(-3, 4, size=(m, d))]
        g = [F(int(v), 3) for v in rng.integers(-9, 10, size=d)]
        u1 = project_cone_exact(C, g)
        u2 = project_cone_exact(C, g, guess=False)
        assert u1 == u2
        assert sum(v * v for v in u1) == _brute_cone(C, g)
        assert all(sum(a * b for a, b in zip(c, u1)) >= 0 for c in C)


def _brute_cone(C, g):
    d = len(g)
    best = F(0)
    for k in range(d):
        for S in itertools.combinations(range(len(C)), k):
            rows = [C[i] for i in S]
            if rows:
                lam = solve_q([[sum(a * b for a, b in zip(p, q)) for q in rows] for p in rows],
                              [sum(a * b for a, b in zip(p, g)) for p in rows])
                if lam is None:
                    continue
                u = [g[c] - sum(lam[i] * rows[i][c] for i in range(k)) for c in range(d)]
            else:
                u = list(g)
            if all(sum(a * b for a, b in zip(c, u)) >= 0 for c in C):
                best = max(best, sum(v * v for v in u))
    return best


def test_residual_forms():
    """arb_mat column and mixed arb / exact entries are balls; ints mix with floats; floats
    with Fractions are refused."""
    X = [[1, 0], [0, 1]]
    c = next(cells(X))
    third, seventh = flint.arb(1) / 3, flint.arb(1) / 7
    m1 = cell_max(X, c, "relu", flint.arb_mat([[third], [seventh]]))
    m2 = cell_max(X, c, "relu", [third, F(1, 7)])
    exact = F(1, 9) + F(1, 49)
    for m in (m1, m2):
        lo, hi = _ends(m.value)
        assert m.arithmetic == "ball" and lo ** 2 <= exact <= hi ** 2
    assert cell_max(X, c, "relu", [1, 2]).arithmetic == "exact"
    assert cell_max(X, c, "relu", [1.0, 2]).arithmetic == "float"
    with pytest.raises(TypeError, match="mixes floats"):
        cell_max(X, c, "relu", [1.0, F(1, 2)])
