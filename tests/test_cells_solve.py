"""The restricted group Lasso (Clarabel) and finite column generation over cells
(THEORY §2.8), checked against closed forms and independent routes."""
from fractions import Fraction as F

import numpy as np
import pytest

from exactgeo.cells.group_lasso import solve_groups
from exactgeo.cells.solve import check_cell_count, solve_cells
from exactgeo.cells.table import CellTable, cell_count_bound
from exactgeo.cells.pricing import CellPricer


def test_g1_group_lasso_closed_form():
    # THEORY G1: one cell (the positive quadrant), optimum √2β − β²/2, w = (√2 − β)(1,1)/√2.
    # Clarabel's tolerances are 1e-10, hence the 1e-8 comparisons.
    I = np.eye(2)
    sol = solve_groups([I, I], [I, I], [1, -1], np.array([1.0, 1.0]), 0.1)
    assert sol.ok
    assert abs(sol.objective - (np.sqrt(2) * 0.1 - 0.005)) < 1e-9
    assert np.allclose(sol.W[0], (np.sqrt(2) - 0.1) / np.sqrt(2), atol=1e-8)
    assert np.linalg.norm(sol.W[1]) < 1e-8


def test_cone_constraint_is_respected():
    # y wants the neuron (1, −1) but the cone is the positive quadrant: the optimum sits on
    # its boundary ray e1 (the face of the group Lasso), never outside
    I = np.eye(2)
    sol = solve_groups([I], [I], [1], np.array([1.0, -1.0]), 0.1)
    w = sol.W[0]
    assert w[1] >= -1e-9 and abs(w[1]) < 1e-7 and abs(w[0] - 0.9) < 1e-7


@pytest.mark.parametrize("model", ["relu", "abs"])
@pytest.mark.parametrize("bias", [False, True])
def test_colgen_terminates_with_no_violating_cell(model, bias):
    rng = np.random.default_rng(7)
    X = rng.standard_normal((7, 2)).round(3)
    y = rng.standard_normal(7).round(3)
    beta = 0.3
    out = solve_cells(X, y, beta, model=model, bias=bias)
    assert out.stop == "optimal"
    # second route for the termination claim: A's per-cell pricer on every cell
    r = np.asarray(out.r)
    if bias:
        assert abs(r.sum()) < 1e-7
    sup = max(float(CellPricer(X, model, r, s).price(c).value)
              for c in out.table.cells for s in (1, -1))
    assert sup <= beta * (1 + 1e-7)


def test_sector_values_match_cell_pricing():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((6, 2)).round(2)
    for model in ("relu", "abs"):
        tb = CellTable(X, model, True)
        r = rng.standard_normal(6)
        G = tb.gradients(r)
        for s in (1, -1):
            v = tb.sector_values(s * G)
            w = [float(CellPricer(X, model, r, s).price(c).value) for c in tb.cells]
            assert np.allclose(v, w, atol=1e-12)


def test_cell_count_bound_and_refusal():
    assert cell_count_bound(160, 2, bias=True) == 50880
    with pytest.raises(ValueError, match=r"up to \d+ arrangement cells.*sampled"):
        check_cell_count(60, 5, True, max_cells=10_000)
    with pytest.raises(ValueError, match="max_cells"):
        solve_cells(np.ones((40, 4)) * np.arange(40)[:, None] ** [1, 2, 3, 4], np.zeros(40),
                    0.1, max_cells=1000)


def test_exact_input_is_accepted():
    X = [[F(1), F(0)], [F(0), F(1)]]
    out = solve_cells(X, [F(1), F(1)], 0.1, model="relu", bias=False)
    assert abs(out.objective - (np.sqrt(2) / 10 - 1 / 200)) < 1e-9
