"""The exact certificate of 1-D deep chains by vertex enumeration (THEORY §3.2, §2.5).

* a searched instance where the reflection-only depth-3 abs dictionary fails the
  certificate and the midpoint dictionary passes (found by a seeded search, stored as data);
* the vertex oracle against a dense float grid over θ: never below it, and above it by at
  most the grid resolution bound (Λ is Σ|λ_i|-Lipschitz in ‖θ‖₁: every layer is
  1-Lipschitz and θ_l enters with unit weight);
* certified Lasso values against an independent Lasso (tests/_independent.py, NNLS dual
  projection, no exactgeo) over a dense sampled dictionary: certified ≤ sampled + tol;
* column generation from the reflection-only dictionary adds the violating midpoint.
"""
from __future__ import annotations

import pathlib
import sys
from fractions import Fraction as F

import numpy as np
import pytest

import exactgeo
from exactgeo.families import AbsChains1D, ReluChains1D

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from _independent import lasso_bracket, tol  # noqa: E402

# found by /tmp search (seed 7, trial 6): random 6-point integer data, β = 1/10
FAIL_X = [5, 7, 8, 9, 11, 16]
FAIL_Y = [4, -3, 1, -1, -1, -2]
FAIL_BETA = F(1, 10)


def frac_chain(model, x, signs, thetas):
    """Independent exact evaluation of one unit chain (pure Fractions)."""
    h = F(x)
    for s, t in zip(signs, thetas):
        h = s * (h - t)
        h = abs(h) if model == "abs" else max(h, F(0))
    return h


def np_chains(model, x, signs, Theta):
    """Independent numpy evaluation of many chains: Theta (V, m) → (n, V)."""
    h = np.asarray(x, dtype=float)[:, None] + 0 * Theta[:, 0][None, :]
    for l in range(Theta.shape[1]):
        h = signs[l] * (h - Theta[:, l][None, :])
        h = np.abs(h) if model == "abs" else np.maximum(h, 0.0)
    return h


def test_reflection_only_fails_midpoints_pass():
    X = [[F(v)] for v in FAIL_X]
    Y = [F(v) for v in FAIL_Y]
    refl = exactgeo.fit(X, Y, model="abs", depth=3, beta=FAIL_BETA, certify=True,
                        family_options={"midpoints": False})
    full = exactgeo.fit(X, Y, model="abs", depth=3, beta=FAIL_BETA, certify=True)
    assert refl.lasso_status == "exact" and refl.objective_exact == F(543, 1250)
    assert refl.certificate.status == "upper-bound"
    assert refl.certificate.sup_exact == F(2, 15) > FAIL_BETA
    assert full.certificate.status == "certified-optimal"
    assert full.objective_exact == F(6256, 15625) < refl.objective_exact
    # the violating neuron is a midpoint M_ik: θ = ((x_i + x_k)/2, |x_i − x_k|/2)
    atom = refl.certificate.violating_atom
    i, k = atom.points
    assert atom.thetas == (F(FAIL_X[i] + FAIL_X[k], 2), F(abs(FAIL_X[i] - FAIL_X[k]), 2))
    # second route: residual of the reported reflection-only network from its JSON
    # (exact coefficients and thetas, evaluated with Fractions) against that neuron
    js = refl.to_json()
    xi = F(js["intercept_exact"])
    f = [xi + sum(F(nj["coef_exact"]) * frac_chain("abs", x, nj["atom"]["signs"],
                                                     [F(t) for t in nj["atom"]["thetas_exact"]])
                  for nj in js["neurons"]) for x in FAIL_X]
    r = [F(y) - v for y, v in zip(FAIL_Y, f)]
    assert sum(r) == 0
    viol = js["certificate"]["violation"]["neuron"]
    val = sum(ri * frac_chain("abs", x, viol["signs"], [F(t) for t in viol["thetas_exact"]])
              for ri, x in zip(r, FAIL_X))
    assert abs(val) == F(2, 15)
    # and the Lasso objective of that network is the reported one, exactly
    pen = sum(abs(F(nj["coef_exact"])) for nj in js["neurons"])
    assert sum(ri * ri for ri in r) / 2 + FAIL_BETA * pen == refl.objective_exact


def test_colgen_adds_the_violating_vertex():
    X = [[F(v)] for v in FAIL_X]
    Y = [F(v) for v in FAIL_Y]
    res = exactgeo.fit(X, Y, model="abs", depth=3, beta=FAIL_BETA, certify=True,
                       colgen=True, family_options={"midpoints": False})
    assert res.certificate.status == "certified-optimal"
    assert res.objective_exact == F(6256, 15625)
    assert res.colgen["added"] >= 1


@pytest.mark.parametrize("model,L,h", [("abs", 3, 0.05), ("relu", 3, 0.05),
                                       ("abs", 4, 0.25), ("relu", 4, 0.25)])
def test_vertex_oracle_against_dense_grid(model, L, h):
    rng = np.random.default_rng(L * 10 + len(model))
    x = [0, 1, 2, 3, 4] if L == 4 else [0, 1, 3, 4, 6, 7]
    lam = [int(v) for v in rng.integers(-5, 6, len(x))]
    lam[-1] -= sum(lam)                                     # 𝟙ᵀλ = 0
    fam = (AbsChains1D if model == "abs" else ReluChains1D)(L)
    pr = fam.price([[F(v)] for v in x], [F(v) for v in lam])
    S = pr.sup_exact
    assert pr.kind == "exact" and S == abs(sum(
        F(l) * frac_chain(model, v, pr.atom.signs, pr.atom.thetas) for l, v in zip(lam, x)))
    lo_a, hi_a, c_max = min(x) - 2 * max(x), 3 * max(x), 3 * max(x)
    axes = [np.arange(lo_a, hi_a + h / 2, h)] + [np.arange(-c_max, c_max + h / 2, h)] * (L - 2)
    assert all(ax[0] <= float(t) <= ax[-1] for ax, t in zip(axes, pr.atom.thetas))
    Theta = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, L - 1)
    best = 0.0
    from itertools import product
    for signs in ([(1,) * (L - 1)] if model == "abs" else product((1, -1), repeat=L - 1)):
        vals = np.asarray(lam, dtype=float) @ np_chains(model, x, signs, Theta)
        best = max(best, float(np.abs(vals).max()))
    # grid points are chains: never above S (float evaluation of small dyadic values is
    # exact to ~1e-13); the maximising vertex has a grid point within h/2 per coordinate
    bound = sum(abs(v) for v in lam) * (L - 1) * h / 2
    assert best <= float(S) + 1e-9
    assert best >= float(S) - bound - 1e-9


@pytest.mark.parametrize("model,L,seed", [("relu", 3, 1), ("relu", 4, 2), ("abs", 3, 3),
                                          ("abs", 4, 4)])
def test_certified_lasso_below_sampled_dictionary(model, L, seed):
    rng = np.random.default_rng(seed)
    x = sorted(int(v) for v in rng.choice(12, 6, replace=False))
    y = [int(v) for v in rng.integers(-3, 4, 6)]
    beta = F(1, 5)
    res = exactgeo.fit([[F(v)] for v in x], [F(v) for v in y], model=model, depth=L,
                       beta=beta, certify=True)
    assert res.certificate.status == "certified-optimal"
    # independent Lasso over a dense random dictionary of unit chains (θ uniform in a box
    # around the data, all sign patterns) plus the reported atoms' own columns
    from itertools import product
    m = L - 1
    Theta = np.column_stack([rng.uniform(-12, 24, 3000)] +
                            [rng.uniform(-12, 12, 3000) for _ in range(m - 1)])
    cols = []
    for signs in ([(1,) * m] if model == "abs" else product((1, -1), repeat=m)):
        cols.append(np_chains(model, x, signs, Theta))
    A = np.hstack(cols)
    br = lasso_bracket(A, np.array(y, dtype=float), float(beta), True)
    obj = float(res.objective_exact)
    # ub is the value of an explicit sampled network: it never beats the certified optimum
    assert obj <= br.ub + tol(obj)


def test_pricing_matches_vertex_dictionary_exactly():
    """The abs depth-4 dictionary is the vertex set: its exact max |A_kᵀr| is S(r)."""
    x = [0, 2, 3, 7, 8]
    r = [F(3), F(-1, 2), F(-2), F(1), F(-3, 2)]
    fam = AbsChains1D(4)
    X = [[F(v)] for v in x]
    D = fam.dictionary(X, exact=True)
    best = max(abs(v) for v in D.correlate(np.array(r, dtype=object)))
    assert fam.price(X, r).sup_exact == best
    with pytest.raises(ValueError, match="1ᵀr = 0"):
        fam.price(X, [F(1)] * 5)
