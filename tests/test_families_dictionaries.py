"""Two-layer families: finite dictionaries (THEORY §2.3), features, weights (§2.6)."""
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from exactgeo import cross
from exactgeo.families import Dictionary, get_family

MODELS = [(act, reg, bias) for act in ("relu", "abs") for reg in ("l1", "l2")
          for bias in (False, True)]


def exact(rows):
    return np.array([[F(v) for v in row] for row in rows], dtype=object)


def rational_X(draw, n, d):
    return exact([[F(draw(st.integers(-4, 4)), draw(st.integers(1, 3))) for _ in range(d)]
                  for _ in range(n)])


def forward(X, atom, act):
    """Direct forward pass of one unit neuron, in floats."""
    u = np.asarray(atom.u, dtype=float)
    c = float(atom.c)
    if atom.norm_sq is not None:
        s = float(atom.norm_sq) ** 0.5
        u, c = u / s, c / s
    z = np.asarray(X, dtype=float) @ u + c
    return np.maximum(z, 0) if act == "relu" else np.abs(z)


def forward_exact(X, atom, act):
    z = [sum((a * b for a, b in zip(row, atom.u)), F(0)) + atom.c for row in X]
    return [max(v, F(0)) if act == "relu" else abs(v) for v in z]


# ---------------------------------------------------------------- golden cases

def test_G1_W2_atoms_and_zero_columns():
    X = exact([[1, 0], [0, 1]])
    fam = get_family("relu", reg="l2", bias=False)
    D = fam.dictionary(X, exact=True)
    # ±×(x_1) = ±e_2 and ±×(x_2) = ∓e_1; the two pointing away from the data are zero
    assert [[int(v) for v in a.u] for a in D.atoms] == [[0, 1], [1, 0]]
    assert [a.points for a in D.atoms] == [(0,), (1,)]
    assert [a.sign for a in D.atoms] == [1, -1]
    assert D.n_zero == 2 and D.n_duplicate == 0
    assert D.A.tolist() == [[0, 1], [1, 0]]
    assert list(D.norm_sq) == [1, 1]
    Df = fam.dictionary(X.astype(float))
    assert np.array_equal(Df.A, [[0.0, 1.0], [1.0, 0.0]]) and Df.n_zero == 2


def test_G1_abs_keeps_one_sign():
    D = get_family("abs", reg="l2", bias=False).dictionary(exact([[1, 0], [0, 1]]))
    assert D.shape == (2, 2) and D.n_zero == 0 and D.n_duplicate == 0
    assert D.A.tolist() == [[0, 1], [1, 0]]


@pytest.mark.parametrize("reg", ["l1", "l2"])
def test_G2_data_only_dictionary_is_empty(reg):
    fam = get_family("relu", reg=reg, bias=False, axes=False)     # W1 / W2
    for X in (exact([[1, 0]]), np.array([[1.0, 0.0]])):
        D = fam.dictionary(X)
        assert D.shape == (1, 0) and D.n_zero == 2 and len(D.atoms) == 0


def test_G2_W1plus_contains_e1():
    fam = get_family("relu", reg="l1", bias=False)                # axes by default
    D = fam.dictionary(exact([[1, 0]]))
    assert fam.dictionary_name == "W1+"
    assert D.shape == (1, 1) and D.A.tolist() == [[1]]
    assert D.atoms[0].u.tolist() == [1, 0] and D.atoms[0].axes == (1,)
    assert D.n_zero == 5     # ±×(x_1), ±×(e_1) vanish on x_1, and −e_1 is zero there


def test_R_dictionary_1d():
    x = exact([[0], [4], [5]])
    D = get_family("relu", reg="l1", bias=True).dictionary(x)
    cols = {tuple(D.A[:, k]) for k in range(D.shape[1])}
    ramps = {tuple(max(F(0), s * (xi - xj)) for xi in (0, 4, 5)) for xj in (0, 4, 5)
             for s in (1, -1)}
    n_zero = sum(1 for xj in (0, 4, 5) for s in (1, -1)
                 if all(s * (xi - xj) <= 0 for xi in (0, 4, 5)))
    assert cols == {c for c in ramps if any(c)} and D.n_zero == n_zero == 2
    Da = get_family("abs", reg="l2", bias=True).dictionary(x)
    cols = sorted(tuple(Da.A[:, k] / Da.norm_sq[k] ** 0 if False else Da.A[:, k])
                  for k in range(Da.shape[1]))
    # exact ℓ2 columns are σ(xw + b)/√norm_sq; in d = 1, |w| = √norm_sq
    vals = sorted(tuple(abs(xi - xj) for xi in (0, 4, 5)) for xj in (0, 4, 5))
    got = sorted(tuple(v / abs(a.u[0]) for v in Da.A[:, k]) for k, a in enumerate(Da.atoms))
    assert got == vals


def test_B1plus_2d_is_lines_through_pairs_and_axis_lines():
    X = exact([[0, 0], [1, 2], [3, 1]])
    fam = get_family("relu", reg="l1", bias=True)
    assert fam.n_candidates(3, 2) == 3 + 3 * 2           # pairs + (sample, axis)
    D = fam.dictionary(X)
    for k, a in enumerate(D.atoms):
        assert len(a.points) + len(a.axes) == 2 and len(a.points) >= 1
        assert sum(abs(v) for v in a.u) == 1
        for i in a.points:                               # the hyperplane passes through x_i
            assert sum((p * q for p, q in zip(X[i], a.u)), F(0)) + a.c == 0


# ---------------------------------------------------------------- realisability

@pytest.mark.parametrize("act,reg,bias", MODELS)
def test_every_column_is_its_neuron(act, reg, bias):
    rng = np.random.default_rng(1)
    Xf = rng.integers(-5, 6, size=(7, 2)) / 4.0
    Xe = exact(Xf.tolist())
    fam = get_family(act, reg=reg, bias=bias)
    Df, De = fam.dictionary(Xf), fam.dictionary(Xe, exact=True)
    assert De.exact and not Df.exact
    for k, a in enumerate(Df.atoms):
        # float columns vs a direct forward pass: same float ops, error ~ few ulp of |x|·|u|
        assert np.allclose(Df.A[:, k], forward(Xf, a, act), atol=1e-12)
    A = De.A
    for k, a in enumerate(De.atoms):
        assert list(A[:, k]) == forward_exact(Xe, a, act)
        if reg == "l1":
            assert sum(abs(v) for v in a.u) == 1
        else:
            assert a.norm_sq == sum(v * v for v in a.u)
    # exact and float builds agree: same size and columns (float tolerance: rounding only)
    assert De.shape == Df.shape
    assert (De.n_zero, De.n_duplicate) == (Df.n_zero, Df.n_duplicate)
    assert np.allclose(De.float_matrix(), Df.A, atol=1e-12)
    assert np.array_equal(fam.features(Xe, De.atoms[:5]), A[:, :5])
    # features() recomputes float dictionary atoms exactly from their points/axes/sign
    assert np.array_equal(fam.features(Xe, Df.atoms[:5]), A[:, :5])


def test_d1_no_bias_and_d3_counts():
    fam = get_family("relu", reg="l2", bias=False)
    D = fam.dictionary(exact([[1], [-2]]))
    assert D.A.tolist() == [[1, 0], [0, 2]]
    fam3 = get_family("relu", reg="l1", bias=True)
    assert fam3.estimate_columns(5, 3) == 2 * (56 - 1)
    X = np.random.default_rng(0).standard_normal((5, 3))
    D3 = fam3.dictionary(X)
    assert D3.shape[1] + D3.n_zero + D3.n_duplicate == 110


# ---------------------------------------------------------------- degenerate data

def test_duplicates_and_zeros_repeated_and_collinear():
    # x_0 = x_1 repeated; x_2, x_3 collinear with the origin → equal atoms ×(x)
    X = exact([[1, 2], [1, 2], [1, 1], [2, 2]])
    fam = get_family("relu", reg="l1", bias=False, axes=False)   # W1
    D = fam.dictionary(X)
    Df = fam.dictionary(np.array(X, dtype=float))
    # 8 candidates ±×(x_i): all samples lie on one side of each line through the origin,
    # so one sign of each is zero (4); ×(x_1) repeats ×(x_0) and ×(x_3) ∥ ×(x_2) (2 dups)
    assert D.shape[1] == 2 and D.n_duplicate == 2 and D.n_zero == 4
    assert D.A.T.tolist() == [[0, 0, F(1, 3), F(2, 3)], [F(1, 2), F(1, 2), 0, 0]]
    assert (Df.shape, Df.n_duplicate, Df.n_zero) == (D.shape, 2, 4)
    # with bias: three collinear samples span one line only; the dependent triples vanish
    Xc = exact([[0, 0], [1, 1], [2, 2]])
    T = get_family("relu", reg="l2", bias=True)                  # T, no axes
    Dt = T.dictionary(Xc)
    # lines through (0,1), (0,2), (1,2) coincide; each side's feature vanishes on all samples
    assert Dt.shape[1] == 0 and Dt.n_zero == 6
    B = get_family("abs", reg="l1", bias=True).dictionary(Xc)
    assert B.shape[1] + B.n_zero + B.n_duplicate == 3 + 6
    Bf = get_family("abs", reg="l1", bias=True).dictionary(np.array(Xc, dtype=float))
    assert (Bf.shape, Bf.n_zero, Bf.n_duplicate) == (B.shape, B.n_zero, B.n_duplicate)


def test_allocation_guard():
    fam = get_family("relu", reg="l1", bias=True)
    X = np.zeros((400, 3))
    with pytest.raises(MemoryError, match=r"GiB.*colgen=True"):
        fam.dictionary(X, max_bytes=2 ** 20)


def test_bad_arguments():
    with pytest.raises(ValueError, match="model"):
        get_family("tanh")
    with pytest.raises(ValueError, match="reg"):
        get_family("relu", reg="l3")
    with pytest.raises(ValueError, match="depth"):
        get_family("relu", depth=5)
    with pytest.raises(ValueError, match="X"):
        get_family("relu").dictionary(np.zeros(3))


# ---------------------------------------------------------------- GA facts used here

@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.data())
def test_candidate_hyperplanes_are_ga_cross_products(data):
    # the families take their geometry from exactgeo.ga: every candidate hyperplane is
    # a positive multiple of × of its pool vectors (THEORY §0 order), exact and float
    d = data.draw(st.integers(1, 3))
    bias = data.draw(st.booleans())
    X = rational_X(data.draw, data.draw(st.integers(1, 4)), d)
    fam = get_family("relu", reg="l1", bias=bias)
    pool = [list(x) + ([F(1)] if bias else []) for x in X]
    pool += [[F(int(a == b)) for b in range(d + bias)] for a in range(fam.pool_axes(d))]
    Be = fam.candidates(X, True)
    Bf = fam.candidates(np.asarray(X, dtype=float), False)
    assert len(Be.C) == len(Bf.C) == fam.n_candidates(*X.shape)
    for t, c in enumerate(Be.C):
        V = np.array([pool[i] for i in c], dtype=object).reshape(len(c), d + bias)
        w = cross(V) if len(c) else np.array([F(1)], dtype=object)
        assert Be.deg[t] == all(v == 0 for v in w[:d])
        if Be.deg[t]:
            continue
        ratio = {F(int(a)) / b for a, b in zip(Be.W[t], w) if b != 0}
        assert len(ratio) == 1 and ratio.pop() > 0
        assert all(a == 0 for a, b in zip(Be.W[t], w) if b == 0)
        assert not Bf.deg[t]
        s = sum(abs(v) for v in w[:d])
        assert np.allclose(Bf.W[t], np.asarray([v / s for v in w], dtype=float), atol=1e-12)


# ---------------------------------------------------------------- weights (§2.6)

@pytest.mark.parametrize("reg", ["l1", "l2"])
@pytest.mark.parametrize("bias", [False, True])
def test_layers_exact_identity(reg, bias):
    import sympy as sp
    fam = get_family("relu", reg=reg, bias=bias)
    atom = fam.atom_from_direction([F(3), F(-4)], F(2) if bias else 0)
    for z in (F(9, 10), F(-2, 7)):
        [(w, b)], alpha = fam.layers(atom, z)
        x = [F(1, 2), F(-1)]
        pre_w = sum(wi * sp.Rational(xi.numerator, xi.denominator) for wi, xi in zip(w, x)) + b
        lhs = alpha * sp.Max(pre_w, 0)
        pre_u = sum(ui * xi for ui, xi in zip(atom.u, x)) + atom.c
        scale = 1 if atom.norm_sq is None else sp.sqrt(sp.Rational(atom.norm_sq))
        rhs = sp.Rational(z.numerator, z.denominator) * max(pre_u, 0) / scale
        assert sp.simplify(lhs - rhs) == 0
        if reg == "l2":
            pen = sum(wi ** 2 for wi in w) + alpha ** 2
        else:
            pen = sum(sp.Abs(wi) for wi in w) ** 2 + alpha ** 2
        assert sp.simplify(pen - 2 * abs(sp.Rational(z.numerator, z.denominator))) == 0


def test_layers_float():
    fam = get_family("abs", reg="l2", bias=True)
    D = fam.dictionary(np.array([[0.0, 1.0], [2.0, 0.5], [1.0, 1.0]]))
    a = D.atoms[0]
    [(w, b)], alpha = fam.layers(a, -0.3)
    x = np.array([0.3, -0.2])
    u, c = a.float_u_c()
    assert np.isclose(alpha * abs(w @ x + b), -0.3 * abs(u @ x + c), rtol=1e-14)
    assert np.isclose(w @ w + alpha ** 2, 0.6, rtol=1e-14)


def test_dictionary_exact_helpers():
    fam = get_family("relu", reg="l2", bias=False)
    X = exact([[1, 0], [1, 1]])
    D = fam.dictionary(X)
    r = [F(1, 3), F(-1, 2)]
    c = D.correlate(r)
    assert list(c) == [sum((ri * ai for ri, ai in zip(r, D.A[:, k])), F(0))
                       for k in range(D.shape[1])]
    beta = F(1, 3)
    viol = [k for k in range(D.shape[1]) if c[k] ** 2 > beta ** 2 * D.norm_sq[k]]
    assert list(D.violations(r, beta)) == viol
    assert isinstance(D, Dictionary) and D.columns([0]).shape == (2, 1)


@pytest.mark.parametrize("d", [3, 4])
@pytest.mark.parametrize("act,reg,bias", MODELS)
def test_higher_d_exact_and_float_builds_agree(d, act, reg, bias):
    rng = np.random.default_rng(d)
    Xf = rng.integers(-3, 4, size=(6, d)) / 2.0            # half-integers: many degeneracies
    Xe = exact(Xf.tolist())
    fam = get_family(act, reg=reg, bias=bias)
    Df, De = fam.dictionary(Xf), fam.dictionary(Xe)
    assert Df.shape == De.shape
    assert (Df.n_zero, Df.n_duplicate) == (De.n_zero, De.n_duplicate)
    assert De.shape[1] + De.n_zero + De.n_duplicate == De.info["candidates"]
    # float columns: rounding only (entries O(1))
    assert np.allclose(Df.A, De.float_matrix(), atol=1e-12)
    assert np.array_equal(fam.features(Xe, list(De.atoms)), De.A)
