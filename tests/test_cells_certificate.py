"""The Krawczyk certificate of the cell group Lasso (THEORY §2.8): G1 enclosed exactly,
random 2-D instances re-checked by routes that share nothing with the certifier, ties
never silently decided."""
import pathlib
import sys
from fractions import Fraction as F

import numpy as np
import pytest

from exactgeo.cells.certificate import certify_cells
from exactgeo.cells.kkt import KKTSystem, face_basis, krawczyk
from exactgeo.cells.solve import solve_cells

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from _cells_checks import sampled_sup  # noqa: E402


def _contains_g1(lo, hi, beta=F(1, 10)):
    # lo ≤ √2β − β²/2 ≤ hi, decided over ℚ by squaring (both sides are ≥ 0)
    a, b = (lo + beta * beta / 2) / beta, (hi + beta * beta / 2) / beta
    return a >= 0 and a * a <= 2 <= b * b


def test_g1_enclosure_contains_the_exact_optimum():
    X = [[F(1), F(0)], [F(0), F(1)]]
    y = [F(1), F(1)]
    sol = solve_cells(X, y, 0.1, model="relu", bias=False)
    cert = certify_cells(sol, X, y, F(1, 10))
    assert cert.status == "certified-optimal"
    lo, hi = cert.enclosure
    assert _contains_g1(lo, hi)
    assert hi - lo < F(1, 10 ** 15)
    (nr,) = cert.neurons
    assert nr.kind == "interior" and nr.face == () and nr.sign == 1
    # the weight enclosure contains (√2 − β)/√2 (1, 1) = (1 − β/√2)(1, 1)
    for v in nr.w_ball:
        q = 1 - 0.1 / np.sqrt(2)
        assert float(v.lower()) <= q <= float(v.upper())


def test_krawczyk_refuses_a_singular_system():
    # two copies of the same neuron: dependent features, no unique KKT point
    I = np.array([[F(1), F(0)], [F(0), F(1)]], dtype=object)
    sysm = KKTSystem([I, I], [I, I], [1, 1], np.array([F(1), F(1)], dtype=object),
                     F(1, 10), False)
    box = krawczyk(sysm, np.array([0.46, 0.46, 0.46, 0.46]), precisions=(64, 128))
    assert not box.ok


def test_face_basis_of_a_ray_is_the_wedge_product():
    rows = np.array([[F(2), F(3)]], dtype=object)
    B = face_basis(rows, [0])
    assert B.shape == (2, 1) and B[:, 0].tolist() == [F(-3), F(2)]    # ×(2, 3) = (−3, 2)


CASES = [(seed, model, bias) for seed in (11, 12, 13) for model in ("relu", "abs")
         for bias in (False, True)]


@pytest.mark.parametrize("seed,model,bias", CASES)
def test_random_2d_certified_and_rechecked(seed, model, bias):
    rng = np.random.default_rng(seed)
    n = 7
    X = rng.standard_normal((n, 2)).round(3)
    y = rng.standard_normal(n).round(3)
    beta = float(rng.uniform(0.05, 1.0))
    sol = solve_cells(X, y, beta, model=model, bias=bias)
    cert = certify_cells(sol, X, y, beta)
    assert cert.status in ("certified-optimal", "undecided"), cert.message
    if cert.status != "certified-optimal":
        assert "β" in cert.message or "tie" in cert.message
        return
    lo, hi = (float(v) for v in cert.enclosure)
    # the box is relative to each unknown (a ray's θ on a large integer basis is tiny)
    assert hi - lo <= 1e-12 * (1 + abs(hi))
    # second route 1: the objective of the float solution the solver found is ≥ the
    # optimum (inside or above the enclosure; Clarabel's accuracy 1e-9 relative)
    assert sol.objective >= lo - 1e-9 * (1 + abs(lo))
    # second route 2: dense sampled pricing of the certified residual (midpoints) stays
    # ≤ β; tol 1e-9 covers the float evaluation of r (the sample cannot exceed the sup)
    r = np.array([float(v.mid()) for v in _residual(cert, sol, X, y)])
    assert sampled_sup(X, r, model, bias, angles=2000) <= beta * (1 + 1e-9)


def _residual(cert, sol, X, y):
    """r = y − Σ s M w − ξ from the certificate's enclosures (balls)."""
    from flint import arb
    from exactgeo.cells.certificate import _cell_exact, _exact_rows
    from exactgeo.cells.kkt import to_arb
    tb = sol.table
    out = []
    Ms = [(_cell_exact(tb, nr.cell, _exact_rows(tb, nr.anchor)), nr) for nr in cert.neurons]
    for i in range(tb.n):
        v = to_arb(F(float(y[i]))) - (cert.xi if cert.xi is not None else arb(0))
        for M, nr in Ms:
            v -= nr.sign * sum((to_arb(M[i, a]) * nr.w_ball[a] for a in range(tb.d)), arb(0))
        out.append(v)
    return out


def test_degenerate_collinear_and_repeated_points():
    # a repeated point and three collinear points: zero rows and parallel rows in the
    # anchored arrangements
    X = np.array([[0, 0], [1, 1], [2, 2], [1, 0], [1, 0], [0, 2]], dtype=float)
    y = np.array([0.0, 1.0, 0.5, -1.0, -0.5, 1.5])
    for model in ("relu", "abs"):
        sol = solve_cells(X, y, 0.2, model=model, bias=True)
        assert sol.stop == "optimal"
        cert = certify_cells(sol, X, y, 0.2)
        assert cert.status in ("certified-optimal", "undecided"), cert.message
        if cert.status == "certified-optimal":
            r = np.array([float(v.mid()) for v in _residual(cert, sol, X, y)])
            assert sampled_sup(X, r, model, True, angles=2000) <= 0.2 * (1 + 1e-9)


def test_tie_is_never_silently_decided():
    # relu without bias, antipodal neuron pairs make Xᵀr = 0 and the optimum
    # non-unique: a cell reaches β exactly with no active neuron in it (a tie)
    rng = np.random.default_rng(0)
    for _ in range(6):
        n = int(rng.integers(4, 12))
        X = rng.standard_normal((n, 2)).round(3)
        y = rng.standard_normal(n).round(3)
        for _ in range(4):
            beta = float(rng.uniform(0.05, 1))
    n = int(rng.integers(4, 12))
    X = rng.standard_normal((n, 2)).round(3)
    y = rng.standard_normal(n).round(3)
    beta = float(rng.uniform(0.05, 1))
    sol = solve_cells(X, y, beta, model="relu", bias=False)
    cert = certify_cells(sol, X, y, beta)
    assert cert.status in ("undecided", "certified-optimal")
    if cert.status == "undecided":
        assert "reaches β" in cert.message or "tie" in cert.message
    # and the ray instance with a zero residual component: a multiplier that is 0
    X = [[F(1), F(0)], [F(0), F(1)]]
    y = [F(1), F(0)]
    sol = solve_cells(X, y, 0.1, model="relu", bias=False)
    cert = certify_cells(sol, X, y, F(1, 10))
    assert cert.status in ("undecided", "certified-optimal"), cert.message
    if cert.status == "certified-optimal":       # value β − β²/2 = 19/200 (THEORY G2-like)
        lo, hi = cert.enclosure
        assert lo <= F(19, 200) <= hi
    else:
        assert cert.message
