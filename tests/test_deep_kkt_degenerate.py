"""Exact KKT on highly degenerate dictionaries (THEORY §5 steps 3–6, §2.7): the depth-4
ReLU 1-D P2 + reflected dictionary (§3.3) has many exact linear relations (every chain of
depth ≥ 3 is a capped ramp), so a basis of the equicorrelation span may represent the
unique fit with wrong signs. Seed 24 of ``benchmarks/deep1d.py`` used to end
``not-certified`` after 20 repair rounds; the exact step now re-chooses the basis as a
sign-consistent vertex on the exact equicorrelation set of the residual.

Second routes, sharing nothing with the certifier: the KKT conditions re-checked in plain
Fractions over every column; the objective bracketed by an independent Lasso solve over the
same float columns (tests/_independent.py, NNLS dual projection; tolerance 1e-9 relative,
see ``tol`` there: entries are integers ≤ 200, float64 evaluation is accurate to ~1e-13).
"""
from __future__ import annotations

import pathlib
import sys
from fractions import Fraction as F

import numpy as np

import exactgeo
from exactgeo.families import get_family
from exactgeo.lasso import certify_lasso
from exactgeo.lasso.exact.basis import equicorrelation_basis, equicorrelation_set
from exactgeo.lasso.exact.kkt import kkt_solve_rational
from exactgeo.lasso.solver import solve

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from _independent import lasso_bracket, tol  # noqa: E402

BETA = F(1, 2)


def bench_data(seed=24, n=20):
    """benchmarks/deep1d.py's data for (relu, depth 4, N = 20): seed = N + depth = 24."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.choice(10 * n, n, replace=False))
    y = rng.integers(-5, 6, n)
    X = np.array([[F(int(v))] for v in x], dtype=object)
    return X, np.array([F(int(v)) for v in y], dtype=object)


def test_degenerate_relu_chain_dictionary_certifies_exactly():
    X, y = bench_data()
    A = get_family("relu", depth=4).dictionary(X, exact=True).A
    Af = A.astype(float)
    sol = solve(Af, y.astype(float), float(BETA), intercept=True)
    ex = certify_lasso(A, y, BETA, sol, intercept=True, A_float=Af)
    assert ex.status == "exact", ex.message
    # second route: KKT in plain Fractions over every column of the dictionary
    z, xi = ex.z, ex.xi
    r = [y[i] - xi - sum((A[i, k] * z[k] for k in np.flatnonzero(z)), F(0))
         for i in range(len(y))]
    assert r == list(ex.residual) and sum(r, F(0)) == 0
    corr = [sum((A[i, k] * r[i] for i in range(len(r))), F(0)) for k in range(A.shape[1])]
    assert max(abs(c) for c in corr) <= BETA
    for k in np.flatnonzero(z):
        assert corr[k] == BETA * (1 if z[k] > 0 else -1)
    obj = sum((q * q for q in r), F(0)) / 2 + BETA * sum((abs(q) for q in z), F(0))
    assert obj == ex.objective_exact
    br = lasso_bracket(Af, y.astype(float), float(BETA), True)
    assert br.lb - tol(br.lb) <= float(obj) <= br.ub + tol(br.ub)


def test_equicorrelation_basis_repairs_a_sign_inconsistent_basis():
    """a_2 = (a_0 + a_1)/2: at the optimal residual r = (β, β) all three columns are
    equicorrelated with sign +, and the basis {a_2, a_0} represents the (unique) fit with a
    negative weight on a_0. The vertex on the exact E(r) gives a sign-consistent basis."""
    A = np.array([[F(1), F(0), F(1, 2)], [F(0), F(1), F(1, 2)]], dtype=object)
    y = np.array([F(1), F(3)], dtype=object)
    beta = F(1, 10)
    zF, xi, r = kkt_solve_rational(A, y, beta, [2, 0], [1, 1], False)
    assert list(r) == [beta, beta] and zF[1] < 0            # optimal r, wrong signs
    E, signs = equicorrelation_set(A, A.astype(float), r, beta)
    assert E == [0, 1, 2] and signs == [1, 1, 1]
    basis, s = equicorrelation_basis(A, A.astype(float), y, r, beta, False)
    zB, _, rB = kkt_solve_rational(A, y, beta, basis, s, False)
    assert list(rB) == list(r) and all(v * int(g) >= 0 for v, g in zip(zB, s))
    # second route: the sign-consistent z reproduces y − r exactly
    fit = [sum((A[i, k] * v for k, v in zip(basis, zB)), F(0)) for i in range(2)]
    assert fit == [y[i] - r[i] for i in range(2)]
    ex = certify_lasso(A, y, beta, solve(A.astype(float), y.astype(float), float(beta),
                                         intercept=False), intercept=False)
    assert ex.status == "exact" and list(ex.residual) == [beta, beta]


def test_fit_certified_optimal_matches_vertex_dictionary():
    """The whole fit on the P2 + reflected dictionary is certified and equals, exactly, the
    fit on the §3.2 vertex dictionary (a different dictionary and certificate)."""
    X, y = bench_data()
    res = exactgeo.fit(X, y, model="relu", depth=4, beta=BETA, certify=True)
    assert res.lasso_status == "exact" and res.certificate.status == "certified-optimal"
    assert res.net.objective(X, y, BETA) == res.objective_exact
    ver = exactgeo.fit(X, y, model="relu", depth=4, beta=BETA,
                       family_options={"vertices": True})
    assert ver.objective_exact == res.objective_exact
