"""1-D deep chain families (THEORY §3.1–§3.4): registration, dictionaries (exact,
deduplicated modulo constants and sign), reconstruction into the one network type with the
ℓ_L^L penalty, and the golden min-norm values G3, G4, G5 (THEORY §6) — each re-checked by a
second route that does not use exactgeo (plain numpy forward passes of the reported
weights, the THEORY witnesses, and an independent HiGHS LP over a sampled dictionary)."""
from __future__ import annotations

import pathlib
import sys
from fractions import Fraction as F

import numpy as np
import pytest

import exactgeo
from exactgeo.families import AbsChains1D, ReluChains1D, get_family, registered

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from _independent import lp_bracket, tol  # noqa: E402

G3 = ([0, 4, 5, 7, 10, 11], [0, 0, 0, 2, 3, 3])
G4 = ([0, 2, 6, 7], [0, 0, 3, 7])
G5 = (list(range(-3, 4)), [1, 0, 1, 2, 1, 0, 1])


def exact_data(x, y):
    return [[F(v)] for v in x], [F(v) for v in y]


def np_chain(model, x, signs, thetas):
    """Independent numpy evaluation of one unit chain (THEORY §3.1)."""
    h = np.asarray(x, dtype=float)
    for s, t in zip(signs, thetas):
        h = s * (h - t)
        h = np.abs(h) if model == "abs" else np.maximum(h, 0.0)
    return h


def json_forward(js, x, model):
    """The reported network from its JSON: f = ξ + Σ_j α_j h_{L−1,j}, each chain run
    layer by layer from its reported weights (numpy only)."""
    out = np.full(len(x), float(js["intercept"]))
    for nj in js["neurons"]:
        h = np.asarray(x, dtype=float)
        for li, layer in enumerate(nj["layers"]):
            w = layer["w"][0] if li == 0 else layer["w"]
            t = w * h + layer["b"]
            h = np.abs(t) if model == "abs" else np.maximum(t, 0.0)
        out += nj["alpha"] * h
    return out


def test_registered_keys():
    keys = registered()
    for model in ("relu", "abs"):
        for L in (3, 4):
            for reg in ("l1", "l2"):
                assert (model, L, reg, True) in keys
    assert isinstance(get_family("relu", depth=4), ReluChains1D)
    assert isinstance(get_family("abs", depth=3, reg="l2"), AbsChains1D)
    with pytest.raises(ValueError, match="depth"):
        get_family("abs", depth=5)


@pytest.mark.parametrize("fam", [ReluChains1D(3), ReluChains1D(4), AbsChains1D(3),
                                 AbsChains1D(3, midpoints=False), AbsChains1D(4)],
                         ids=["relu3", "relu4", "abs3", "abs3-refl", "abs4"])
def test_dictionary_exact_and_deduplicated(fam):
    X, _ = exact_data([0, 1, 3, 4, 9], [0] * 5)
    D = fam.dictionary(X, exact=True)
    A = D.A
    assert D.shape[0] == 5 and all(isinstance(v, F) for v in A.flat)
    seen = set()
    for k in range(A.shape[1]):
        c = [v - A[0, k] for v in A[:, k]]
        lead = next((v for v in c if v != 0), 0)
        assert lead != 0, "constant column kept"
        key = tuple(v if lead > 0 else -v for v in c)
        assert key not in seen, "duplicate modulo constant and sign"
        seen.add(key)
        a = D.atoms[k]
        # the column is the feature of its atom (independent evaluation in floats; the
        # data and thetas are small dyadic rationals, so float64 is exact here)
        ref = np_chain(fam.activation, [0, 1, 3, 4, 9], a.signs, [float(t) for t in a.thetas])
        assert np.array_equal(ref, np.array(A[:, k], dtype=float))
    raw = fam.estimate_columns(5)
    assert D.shape[1] + D.n_zero + D.n_duplicate == raw
    # the float dictionary has the same columns
    Df = fam.dictionary(np.array([[0.0], [1.0], [3.0], [4.0], [9.0]]))
    assert np.array_equal(Df.float_matrix(), D.float_matrix())


def test_abs3_dictionary_has_reflections_and_midpoints():
    x = [0, 1, 3, 7]
    X, _ = exact_data(x, [0] * 4)
    kinds = {a.recipe[0] for a in AbsChains1D(3).dictionary(X, exact=True).atoms}
    assert kinds == {"ramp", "reflection", "midpoint"}
    kinds = {a.recipe[0] for a in AbsChains1D(3, midpoints=False).dictionary(X, exact=True).atoms}
    assert kinds == {"ramp", "reflection"}


def test_relu4_reflected_column_is_the_g3_witness():
    """THEORY G3, L = 4: cr(5, 8) with 8 = 2·4 − 0 is the reflected column with
    s = (−1, −1, +1), (j1, j2, j3) = (0, 1, 2)."""
    X, _ = exact_data(*G3)
    fam = ReluChains1D(4)
    th = fam.recipe_thetas([F(v) for v in G3[0]], ("p2", (0, 1, 2), (-1, -1, 1), True))
    assert th[0] == 8
    col = fam.features(X, [fam.make_atom((-1, -1, 1), th)])[:, 0]
    cr = [min(max(v - 5, 0), 3) for v in G3[0]]             # cr(5, 8) = min((x − 5)_+, 3)
    shifts = {a - b for a, b in zip(col, cr)}               # equal modulo a constant
    flips = {a + b for a, b in zip(col, cr)}                # or modulo sign and constant
    assert len(shifts) == 1 or len(flips) == 1


@pytest.mark.parametrize("model,golden,values", [
    ("relu", G3, {2: 2, 3: 1, 4: 1}), ("relu", G4, {2: 4, 3: 4, 4: 4}),
    ("abs", G5, {2: 3, 3: 1, 4: 1})], ids=["G3", "G4", "G5"])
def test_golden_min_norm(model, golden, values):
    X, Y = exact_data(*golden)
    x = np.array(golden[0], dtype=float)
    for L, want in values.items():
        res = exactgeo.fit(X, Y, model=model, depth=L, min_norm=True, certify=True)
        assert res.objective_exact == want and res.l1_norm_exact == want
        assert res.certificate.status == "certified-optimal"
        js = res.to_json()
        # second route: the reported weights interpolate y (float forward pass, error
        # ~1e-15·|y| from the roots γ = |z|^{1/L}; tolerance 1e-9)
        assert np.allclose(json_forward(js, x, model), golden[1], rtol=0, atol=1e-9)
        if L > 2:
            for nj in js["neurons"]:
                assert len(nj["layers"]) == L - 1
                assert set(nj) >= {"points", "kinks", "mirrors", "midpoints", "alpha"}


def test_golden_lower_bound_by_sampled_lp():
    """Independent route for the min-norm values: HiGHS over a dense sampled dictionary
    of depth-3 abs chains (θ on a grid of half-integers) gives ≥ the certified minimum,
    and equals it here (the grid holds the optimal unit ||x| − 2|)."""
    x = np.array(G5[0], dtype=float)
    grid = np.arange(-4, 4.5, 0.5)
    cols = [np_chain("abs", x, (1, 1), (a, c)) for a in grid for c in np.arange(0, 6.5, 0.5)]
    br = lp_bracket(np.column_stack(cols), np.array(G5[1], dtype=float), True)
    assert br.ub >= 1 - tol(1) and abs(br.ub - 1) <= tol(1)


def test_network_objective_equals_lasso_objective_exactly():
    x, y = [5, 7, 8, 9, 11, 16], [4, -3, 1, -1, -1, -2]
    X, Y = exact_data(x, y)
    Xq, Yq = np.array(X, dtype=object), np.array(Y, dtype=object)
    for model, L in (("relu", 3), ("relu", 4), ("abs", 3)):
        res = exactgeo.fit(X, Y, model=model, depth=L, beta=F(1, 10))
        net = res.net
        assert net.depth == L and net.exact and res.reconstruction_exact
        assert net.objective(Xq, Yq, F(1, 10)) == res.objective_exact
        # the sympy weights γ = |z|^{1/L} themselves (not the factorisation) give it too
        assert net.objective(Xq, Yq, F(1, 10), method="direct") == res.objective_exact
        # float weights: plain forward pass against the Lasso objective (1e-9 relative)
        js = res.to_json()
        f = json_forward(js, np.array(x, dtype=float), model)
        pen = sum(abs(nj["coef"]) for nj in js["neurons"])
        val = 0.5 * float(((f - np.array(y)) ** 2).sum()) + 0.1 * pen
        assert abs(val - float(res.objective_exact)) <= tol(val)
        # the ℓ_L^L penalty of the float weights is ‖z‖₁ (AM–GM equality)
        lll = sum(abs(nj["alpha"]) ** L + abs(nj["layers"][0]["w"][0]) ** L +
                  sum(abs(layer["w"]) ** L for layer in nj["layers"][1:])
                  for nj in js["neurons"]) / L
        assert abs(lll - pen) <= tol(pen)


def test_duplicate_x_min_norm_refused_lasso_fine():
    X, Y = exact_data([0, 1, 1, 3], [0, 1, 2, 0])
    with pytest.raises(ValueError, match="no network interpolates"):
        exactgeo.fit(X, Y, model="abs", depth=3, min_norm=True)
    res = exactgeo.fit(X, Y, model="abs", depth=3, beta=F(1, 10), certify=True)
    assert res.certificate.status == "certified-optimal"
    assert res.objective_exact == F(157, 400)


def test_bad_inputs():
    with pytest.raises(ValueError, match="1-D data"):
        exactgeo.fit([[0.0, 1.0], [1.0, 0.0]], [0.0, 1.0], model="relu", depth=3, beta=0.1)
    with pytest.raises(MemoryError, match="--colgen"):
        ReluChains1D(4).dictionary(np.arange(30.0)[:, None], max_bytes=10 ** 6)
    with pytest.raises(ValueError, match="depth"):
        ReluChains1D(5)
