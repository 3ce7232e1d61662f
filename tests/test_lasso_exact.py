"""Exact certificates (THEORY §5, §6 golden cases built by hand) and exact min-ℓ1 LP."""
from fractions import Fraction as F

import numpy as np
import pytest

from exactgeo.lasso import certify_lasso, min_l1_interpolation, solve_lasso


def obj_arr(rows):
    return np.array([[F(v) for v in row] for row in rows], dtype=object)


def ramp_dictionary(x):
    """R: (x − x_j)_+ and (x_j − x)_+ for every sample (THEORY §2.3)."""
    x = [F(v) for v in x]
    cols = []
    for xj in x:
        cols.append([max(xi - xj, F(0)) for xi in x])
        cols.append([max(xj - xi, F(0)) for xi in x])
    return np.array(cols, dtype=object).T


def test_g1_l1_value_exact():
    # G1 with the W1+ (= axes) dictionary, both signs, no intercept: value 19/100
    A = obj_arr([[1, 0, 0, 0], [0, 1, 0, 0]])   # relu(±e1), relu(±e2) on X = I
    y = np.array([F(1), F(1)], dtype=object)
    sol = solve_lasso(A.astype(float), y.astype(float), 0.1, intercept=False)
    cert = certify_lasso(A, y, F(1, 10), sol, intercept=False)
    assert cert.status == "exact"
    assert cert.objective_exact == F(19, 100)
    assert list(cert.z) == [F(9, 10), F(9, 10), 0, 0]
    assert list(cert.residual) == [F(1, 10), F(1, 10)]


def test_g2_w1plus_value():
    # G2: x1 = (1, 0); W1+ columns relu(±e2·x) = 0 and relu(±e1·x): value 19/200
    A = obj_arr([[0, 0, 1, 0]])
    y = np.array([F(1)], dtype=object)
    sol = solve_lasso(A.astype(float), y.astype(float), 0.1, intercept=False)
    cert = certify_lasso(A, y, F(1, 10), sol, intercept=False)
    assert cert.status == "exact" and cert.objective_exact == F(19, 200)


def test_g1_w2_ball_value_and_sqrt2():
    # ℓ2 columns a_k/√q_k: W2 atoms e1, e2 (q = 1) → 2β − β² exactly inside the enclosure;
    # adding the neuron (1,1)/√2 gives √2β − β²/2 (irrational): the enclosure must contain it
    A = obj_arr([[1, 0, 1], [0, 1, 1]])
    q = np.array([F(1), F(1), F(2)], dtype=object)
    y = np.array([F(1), F(1)], dtype=object)
    Af = A.astype(float) / np.sqrt(q.astype(float))
    sol = solve_lasso(Af, y.astype(float), 0.1, intercept=False)
    cert = certify_lasso(A, y, F(1, 10), sol, norm_sq=q, intercept=False)
    assert cert.status == "enclosed"
    lo, hi = cert.objective_enclosure
    # p* = √2/10 − 1/200 ⇔ (p* + 1/200)² = 2/100, p* > 0: check the enclosure brackets it
    assert lo <= hi and (lo + F(1, 200)) ** 2 <= F(2, 100) <= (hi + F(1, 200)) ** 2
    assert list(cert.support) == [2]
    sol2 = solve_lasso(Af[:, :2], y.astype(float), 0.1, intercept=False)
    cert2 = certify_lasso(A[:, :2], y, F(1, 10), sol2, norm_sq=q[:2], intercept=False)
    assert cert2.status == "enclosed"
    assert cert2.objective_enclosure[0] <= F(19, 100) <= cert2.objective_enclosure[1]


def test_certify_intercept_duplicates_zero_columns():
    rng = np.random.default_rng(3)
    base = rng.integers(-3, 4, size=(6, 5))
    cols = np.hstack([base, base[:, :2], -base[:, :1], np.ones((6, 1), int), np.zeros((6, 1), int)])
    A = np.array([[F(int(v)) for v in row] for row in cols], dtype=object)
    y = np.array([F(int(v)) for v in rng.integers(-5, 6, size=6)], dtype=object)
    beta = F(1, 2)
    sol = solve_lasso(A.astype(float), y.astype(float), 0.5)
    cert = certify_lasso(A, y, beta, sol)
    assert cert.status == "exact"
    r = cert.residual
    assert sum(r) == 0
    for k in range(A.shape[1]):
        assert abs(sum(A[i, k] * r[i] for i in range(6))) <= beta
    # objective recomputed from z, xi exactly
    fit = [sum(A[i, k] * cert.z[k] for k in range(A.shape[1])) + cert.xi for i in range(6)]
    assert [y[i] - fit[i] for i in range(6)] == list(r)
    l1 = sum(abs(v) for v in cert.z)
    assert cert.objective_exact == F(1, 2) * sum(v * v for v in r) + beta * l1
    # the float objective agrees (tolerance: the float solve stops at rel. gap 1e-9)
    assert abs(float(cert.objective_exact) - sol.objective) <= 1e-7 * max(1.0, sol.objective)


def test_certify_repairs_a_bad_guess():
    # a poor float solution (early stop) must still be repaired to the exact optimum
    rng = np.random.default_rng(5)
    Ai = rng.integers(-4, 5, size=(8, 30))
    A = np.array([[F(int(v)) for v in row] for row in Ai], dtype=object)
    y = np.array([F(int(v)) for v in rng.integers(-6, 7, size=8)], dtype=object)
    good = solve_lasso(Ai.astype(float), y.astype(float), 0.3)
    bad = solve_lasso(Ai.astype(float), y.astype(float), 0.3, tol=1e-2, polish=False)
    c1 = certify_lasso(A, y, F(3, 10), good)
    c2 = certify_lasso(A, y, F(3, 10), bad)
    assert c1.status == "exact" and c2.status == "exact"
    assert c1.objective_exact == c2.objective_exact


def test_certify_reports_failure():
    A = obj_arr([[1, 0], [0, 1]])
    y = np.array([F(1), F(1)], dtype=object)
    sol = solve_lasso(A.astype(float), y.astype(float), 0.1, intercept=False)
    sol.z[:] = 0.0
    sol.residual = np.array([1.0, 0.0])
    sol.lam = sol.residual  # a poor dual guess too: the certifier starts from it
    cert = certify_lasso(A, y, F(1, 10), sol, intercept=False, max_rounds=1)
    assert cert.status == "not-certified" and cert.message


def test_certify_validation():
    A = obj_arr([[1, 0], [0, 1]])
    sol = solve_lasso(A.astype(float), [1.0, 1.0], 0.1, intercept=False)
    with pytest.raises(ValueError, match="beta"):
        certify_lasso(A, [F(1), F(1)], F(0), sol)
    with pytest.raises(ValueError, match="y"):
        certify_lasso(A, [F(1)], F(1, 10), sol)
    with pytest.raises(TypeError, match="A"):
        certify_lasso(A.astype(float), [F(1), F(1)], F(1, 10), sol)


def test_g3_min_l1_is_2():
    x = [0, 4, 5, 7, 10, 11]
    y = np.array([F(v) for v in [0, 0, 0, 2, 3, 3]], dtype=object)
    A = ramp_dictionary(x)
    sol = min_l1_interpolation(A, y, intercept=True)
    assert sol.status == "exact", sol.message
    assert sol.l1_norm_exact == 2
    fit = [sum(A[i, k] * sol.z[k] for k in range(A.shape[1])) + sol.xi for i in range(6)]
    assert fit == list(y)
    assert sum(sol.lam) == 0
    assert sum(a * b for a, b in zip(y, sol.lam)) == 2
    for k in range(A.shape[1]):
        assert abs(sum(A[i, k] * sol.lam[i] for i in range(6))) <= 1


def test_g4_min_l1_is_4():
    A = ramp_dictionary([0, 2, 6, 7])
    y = np.array([F(v) for v in [0, 0, 3, 7]], dtype=object)
    sol = min_l1_interpolation(A, y, intercept=True)
    assert sol.status == "exact", sol.message
    assert sol.l1_norm_exact == 4


def test_min_l1_infeasible_and_float():
    A = obj_arr([[1], [1]])
    with pytest.raises(ValueError, match="interpolat"):
        min_l1_interpolation(A, [F(1), F(2)], intercept=False)
    sol = min_l1_interpolation(np.eye(2), np.array([1.0, -2.0]), intercept=False, exact=False)
    assert sol.status == "float" and abs(sol.l1_norm - 3.0) < 1e-9  # HiGHS tolerance
