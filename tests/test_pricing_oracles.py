"""Pricing oracles S(r) = sup_θ |rᵀφ(X; θ)| of the two-layer families (THEORY §2.5)."""
import math
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from exactgeo.families import get_family


def exact(rows):
    return np.array([[F(v) for v in row] for row in rows], dtype=object)


def draw_instance(draw, n, d, bias):
    X = exact([[F(draw(st.integers(-4, 4)), draw(st.integers(1, 3))) for _ in range(d)]
               for _ in range(n)])
    r = [F(draw(st.integers(-6, 6)), draw(st.integers(1, 4))) for _ in range(n)]
    if bias:
        r[-1] -= sum(r, F(0))
    return X, np.array(r, dtype=object)


def value_exact(X, r, u, c, act):
    tot = F(0)
    for row, ri in zip(X, r):
        z = sum((a * b for a, b in zip(row, u)), F(0)) + c
        tot += ri * (max(z, F(0)) if act == "relu" else abs(z))
    return tot


def values_float(X, r, U, c, act):
    """|rᵀσ(X u_k + c_k)| for the rows of U, in floats."""
    Z = np.asarray(X, dtype=float) @ U.T + c
    S = np.maximum(Z, 0) if act == "relu" else np.abs(Z)
    return np.abs(np.asarray(r, dtype=float) @ S)


def check_attained(fam, X, r, P):
    """The returned atom attains the returned exact value."""
    a = P.atom
    v = value_exact(X, r, a.u, a.c, fam.activation)
    if a.norm_sq is None:
        assert abs(v) == P.sup_exact and (v >= 0) == (P.sign > 0 or v == 0)
    else:
        assert v * v / a.norm_sq == P.sup_sq_exact


# ---------------------------------------------------------------- ℓ1: exact in every d

@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.data(), st.sampled_from(["relu", "abs"]), st.booleans(), st.integers(2, 3))
def test_l1_oracle_dominates_random_unit_neurons(data, act, bias, d):
    """The W1+/B1+ exactness claim: no unit-ℓ1 neuron beats the oracle (decided exactly)."""
    n = data.draw(st.integers(2, 5 if d == 2 else 4))
    X, r = draw_instance(data.draw, n, d, bias)
    fam = get_family(act, reg="l1", bias=bias)
    P = fam.price(X, r)
    assert P.kind == "exact" and isinstance(P.sup_exact, F)
    check_attained(fam, X, r, P)
    # the maximum over the stored dictionary never exceeds the oracle either
    D = fam.dictionary(X)
    if D.shape[1]:
        assert max(abs(v) for v in D.correlate(r)) <= P.sup_exact
    rng = np.random.default_rng(data.draw(st.integers(0, 2 ** 16)))
    for _ in range(60):
        u = [F(int(k), 7) for k in rng.integers(-7, 8, size=d)]
        s = sum(abs(v) for v in u)
        if s == 0:
            continue
        u = [v / s for v in u]
        if bias:
            # random offsets and every anchor c = −x_jᵀu
            cs = [F(int(rng.integers(-12, 13)), 4)] + [
                -sum((a * b for a, b in zip(row, u)), F(0)) for row in X]
        else:
            cs = [F(0)]
        for c in cs:
            assert abs(value_exact(X, r, u, c, act)) <= P.sup_exact


def test_l1_float_matches_exact():
    rng = np.random.default_rng(3)
    X = rng.integers(-8, 9, size=(12, 2)) / 4.0
    r = rng.integers(-5, 6, size=12) / 8.0
    r[-1] -= r.sum()
    fam = get_family("relu", reg="l1", bias=True)
    Pe = fam.price(exact(X.tolist()), np.array([F(v) for v in r], dtype=object))
    Pf = fam.price(X, r)
    # float: summation rounding only (values are O(10), entries dyadic)
    assert Pf.kind == "exact" and abs(Pf.sup - float(Pe.sup_exact)) <= 1e-12


# ---------------------------------------------------------------- d = 1 with bias: ramps

@pytest.mark.parametrize("act", ["relu", "abs"])
@pytest.mark.parametrize("reg", ["l1", "l2"])
def test_R_oracle_vs_dense_sampling(act, reg):
    rng = np.random.default_rng(7)
    x = np.sort(rng.integers(-20, 21, size=9)) / 4.0
    r = rng.integers(-9, 10, size=9) / 3.0
    r = np.array([F(v).limit_denominator(100) for v in r], dtype=object)
    r[-1] -= sum(r, F(0))
    X = exact([[F(v)] for v in x])
    fam = get_family(act, reg=reg, bias=True)
    P = fam.price(X, r)
    assert P.kind == "exact"
    check_attained(fam, X, r, P)
    cs = np.linspace(-12, 12, 9601)       # step 1/400: contains every anchor −x_j·(±1)
    best = 0.0
    for u in (1.0, -1.0):
        v = values_float(X, r, np.array([[u]] * len(cs)), cs, act)
        best = max(best, v.max())
    # piecewise linear in c with kinks at the anchors (on the grid): equality up to rounding
    assert best <= float(P.sup_exact) + 1e-9
    assert best >= float(P.sup_exact) - 1e-9
    # the G3 dual certificate of THEORY §6: S(λ) = 1 for the relu ramps
    x3 = exact([[v] for v in (0, 4, 5, 7, 10, 11)])
    lam = np.array([F(-1, 4), F(9, 4), F(-3), F(1), F(1), F(-1)], dtype=object)
    if act == "relu":
        assert fam.price(x3, lam).sup_exact == 1


def test_bias_requires_centred_residual():
    fam = get_family("relu", reg="l1", bias=True)
    with pytest.raises(ValueError, match="1ᵀr = 0"):
        fam.price(exact([[0], [1]]), [F(1), F(0)])
    with pytest.raises(ValueError, match="r: expected shape"):
        fam.price(exact([[0], [1]]), [F(1)])


# ---------------------------------------------------------------- 2-D ℓ2: exact sectors

def test_G1_l2_oracle_finds_the_diagonal_neuron():
    X = exact([[1, 0], [0, 1]])
    beta = F(1, 10)
    for act in ("relu", "abs"):
        fam = get_family(act, reg="l2", bias=False)
        P = fam.price(X, [beta, beta])             # the W2 residual of THEORY G1
        assert P.kind == "exact"
        assert P.atom.u.tolist() == [1, 1] and P.atom.norm_sq == 2
        assert P.sup_sq_exact == 2 * beta ** 2 and P.exceeds(beta)    # S = √2·β > β
        assert P.sup_exact is None                                     # irrational
        # G2 (empty data-only dictionary, r = y): S = 1 attained at e_1, rational
        P2 = fam.price(exact([[1, 0]]), [F(1)])
        assert P2.sup_exact == 1
        assert P2.atom.u.tolist() in ([[1, 0]] if act == "relu" else [[1, 0], [-1, 0]])
        [(w, b)], alpha = fam.layers(P.atom, F(1))
        assert [str(v) for v in w] == ["sqrt(2)/2", "sqrt(2)/2"]


@pytest.mark.parametrize("act", ["relu", "abs"])
@pytest.mark.parametrize("bias", [False, True])
def test_2d_l2_oracle_vs_dense_angles(act, bias):
    rng = np.random.default_rng(11 + bias)
    n = 8
    Xf = rng.integers(-6, 7, size=(n, 2)) / 3.0
    Xf[3] = 2 * Xf[2]                                # rays shared by two samples
    r = rng.integers(-6, 7, size=n) / 5.0
    if bias:
        r[-1] -= r.sum()
    X = exact(Xf.tolist())
    re = np.array([F(v).limit_denominator(1000) for v in r], dtype=object)
    if bias:
        re[-1] -= sum(re, F(0))
    fam = get_family(act, reg="l2", bias=bias)
    P = fam.price(X, re)
    assert P.kind == "exact" and isinstance(P.sup_sq_exact, F)
    check_attained(fam, X, re, P)
    Pf = fam.price(Xf, np.asarray(re, dtype=float))
    # float walk: same chambers, values O(10) → rounding ≤ 1e-12
    assert abs(Pf.sup - math.sqrt(P.sup_sq_exact)) <= 1e-12
    # the float maximiser is a valid atom: made exact from its points/sign (or its float
    # values), its column matches the float column (tolerance: float rounding of u, c)
    ae = fam.exact_atom(X, Pf.atom)
    col = np.asarray(fam.features(X, [ae]), dtype=float)[:, 0] / math.sqrt(ae.norm_sq)
    assert np.allclose(col, fam.features(Xf, [Pf.atom])[:, 0], atol=1e-12)
    th = np.linspace(0, 2 * np.pi, 100000, endpoint=False)
    U = np.stack([np.cos(th), np.sin(th)], axis=1)
    if bias:
        best = max(values_float(Xf, re, U, -(U @ xj), act).max() for xj in Xf)
        for c in (-1.7, 0.3, 2.9):                   # any other offset is no better
            assert values_float(Xf, re, U, c, act).max() <= math.sqrt(P.sup_sq_exact) + 1e-12
    else:
        best = values_float(Xf, re, U, 0.0, act).max()
    S = math.sqrt(P.sup_sq_exact)
    # every sample is a unit neuron: S ≥ it (float evaluation error ≤ 1e-12)
    assert best <= S + 1e-12
    # spacing 6.3e-5 rad; value Lipschitz in θ with constant ≤ Σ|r_i|‖x_i‖ ≈ 30
    assert best >= S - 30 * 6.3e-5


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.data(), st.sampled_from(["relu", "abs"]), st.booleans())
def test_2d_l2_oracle_dominates_rational_directions(data, act, bias):
    n = data.draw(st.integers(1, 5))
    X, r = draw_instance(data.draw, n, 2, bias)
    fam = get_family(act, reg="l2", bias=bias)
    P = fam.price(X, r)
    S2 = P.sup_sq_exact
    assert P.kind == "exact" and S2 >= 0
    if P.atom is not None and (P.sup_sq_exact > 0):
        check_attained(fam, X, r, P)
        Pf = fam.price(np.asarray(X, dtype=float), np.asarray(r, dtype=float))
        ae = fam.exact_atom(X, Pf.atom)      # ray maximisers are rebuilt from points/sign
        v = value_exact(X, r, ae.u, ae.c, act)
        # float rounding only (values O(10)); a wrong sign/point would be off by O(1)
        assert abs(float(v * v / ae.norm_sq) - float(S2)) <= 1e-9 * (1 + float(S2))
    # dictionary atoms and random rational directions never exceed S (decided by squaring)
    for k in range(-6, 7):
        for m in range(-6, 7):
            if k == 0 and m == 0:
                continue
            u = [F(k), F(m)]
            ns = k * k + m * m
            cs = ([F(0)] if not bias else
                  [-(u[0] * row[0] + u[1] * row[1]) for row in X] + [F(1, 3)])
            for c in cs:
                v = value_exact(X, r, u, c, act)
                assert v * v <= S2 * ns


# ---------------------------------------------------------------- d ≥ 3: sampled

@pytest.mark.parametrize("bias", [False, True])
def test_sampled_oracle_lower_bound(bias):
    fam = get_family("relu", reg="l2", bias=bias)
    assert fam.oracle_kind(3) == "sampled" and fam.oracle_kind(2) == "exact"
    X = np.eye(3)
    if not bias:
        P = fam.price(X, [0.1, 0.1, 0.1], samples=64)
        # the optimum (1,1,1)/√3 is the fixed point of u ← g/‖g‖ from the positive orthant
        assert P.kind == "sampled" and P.samples == 64
        assert abs(P.sup - math.sqrt(3) / 10) <= 1e-12
    rng = np.random.default_rng(5)
    Xr = rng.standard_normal((10, 3))
    r = rng.standard_normal(10)
    if bias:
        r -= r.mean()
    re = np.array([F(v) for v in r], dtype=object)
    if bias:
        re[-1] -= sum(re, F(0))
    P = fam.price(exact(Xr.tolist()), re, samples=300, seed=1)
    # exact re-evaluation of the (rational) maximiser: a certified lower bound
    check_attained(fam, exact(Xr.tolist()), re, P)
    Pf = fam.price(Xr, np.asarray(re, dtype=float), samples=300, seed=1)
    assert abs(P.sup - Pf.sup) <= 1e-6                     # rational rounding of u
    # the refined samples beat plain random directions
    U = rng.standard_normal((2000, 3))
    U /= np.linalg.norm(U, axis=1)[:, None]
    if bias:
        plain = max(values_float(Xr, r, U, -(U @ xj), "relu").max() for xj in Xr)
    else:
        plain = values_float(Xr, r, U, 0.0, "relu").max()
    assert Pf.sup >= plain - 1e-9


@pytest.mark.parametrize("act", ["relu", "abs"])
def test_l1_chunked_pricing_equals_single_pass(act, monkeypatch):
    import exactgeo.families.pricing_l1 as pl1
    rng = np.random.default_rng(9)
    X = exact((rng.integers(-9, 10, size=(9, 3)) / 3).tolist())
    r = np.array([F(int(v), 7) for v in rng.integers(-9, 10, size=9)], dtype=object)
    r[-1] -= sum(r, F(0))
    P1 = get_family(act, reg="l1", bias=True).price(X, r)
    Pf1 = get_family(act, reg="l1", bias=True).price(np.asarray(X, float), r.astype(float))
    monkeypatch.setattr(pl1, "_CHUNK_ENTRIES", 50)        # forces ~60 chunks
    P2 = get_family(act, reg="l1", bias=True).price(X, r)
    Pf2 = get_family(act, reg="l1", bias=True).price(np.asarray(X, float), r.astype(float))
    assert P1.sup_exact == P2.sup_exact and P1.atom.key() == P2.atom.key()
    assert abs(Pf1.sup - Pf2.sup) <= 1e-12                # ties: rounding may pick another
    assert abs(Pf1.sup - float(P1.sup_exact)) <= 1e-12   # float rounding only


def test_2d_sector_sort_beyond_float_precision(monkeypatch):
    import exactgeo.families.pricing_2d as p2
    check_sorted = p2._sorted_exactly
    big = 2 ** 60
    # ×(y) = (2^60, 1) and (2^60 + 1, 1): float angles tie, exact angles differ
    X = exact([[1, -big], [1, -(big + 1)], [3, 1], [-2, 5]])
    r = np.array([F(3), F(-2), F(1, 2), F(-1, 3)], dtype=object)
    fam = get_family("relu", reg="l2", bias=False)
    P = fam.price(X, r)
    monkeypatch.setattr(p2, "_sorted_exactly", lambda vs: False)    # force the exact sort
    P2 = fam.price(X, r)
    assert P.sup_sq_exact == P2.sup_sq_exact and P.atom.key() == P2.atom.key()
    check_attained(fam, X, r, P)
    assert not check_sorted([(big, 1), (big + 1, 1)])
    assert check_sorted([(big + 1, 1), (big, 1), (0, 1), (-1, 0), (0, -1)])
