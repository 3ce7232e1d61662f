"""Two-layer families over the whole float range: subnormal data with exact arithmetic,
scale invariance of the float dictionary, and argument validation (THEORY §2.3).

Scaling facts used below (ℓ1 atoms, exact arithmetic): the dictionary of X·s has the same
atoms u with c·s, and every column times s; the Lasso over s·A with penalty β·s has the
solutions z/s and the same value. So for exact data and exact s the objectives must be
*equal*; float checks use the tolerances stated at each test.
"""
import json
import math
from fractions import Fraction as F

import numpy as np
import pytest

import exactgeo
from exactgeo.cli import main
from exactgeo.families import get_family
from exactgeo.families.base import ratio_to_float
from exactgeo.lasso import solve_lasso
from exactgeo.numbers import to_fraction

MODELS = [(act, reg, bias) for act in ("relu", "abs") for reg in ("l1", "l2")
          for bias in (False, True)]
TINY = to_fraction(1e-320)          # a subnormal double, exactly 1e-320's binary value
XOR = [[0, 0], [1, 0], [0, 1], [1, 1]]
XOR_Y = [0, 1, 1, 0]
# 7 samples in general-ish position, with a collinear triple (0, 3, 5) and a repeated
# x-coordinate, so that zero and duplicate columns occur
PTS = [[0, 0], [3, 1], [-2, 4], [1, 1], [4, -3], [2, 2], [-1, -2]]
PTS_Y = [1, -2, 0, 3, 1, -1, 2]
LINE = [[0], [1], [3], [4], [6]]
LINE_Y = [0, 2, 1, 3, 0]


def exact(rows, s=1):
    return np.array([[F(v) * s for v in row] for row in rows], dtype=object)


def counts(D):
    return D.shape[1], D.n_zero, D.n_duplicate


# ------------------------------------------------------------------ 1. subnormal data, exact

def test_subnormal_feature_exact_1d_api():
    """The brief's reproduction: common denominator 2**1074 used to overflow."""
    X = [[F(1)], [F(2)], [TINY]]
    y = [F(1), F(0), F(1)]
    res = exactgeo.fit(X, y, beta=F(1, 10), exact=True)
    assert res.lasso_status == "exact" and res.objective_exact is not None
    # continuity: replacing 1e-320 by 0 moves the value by O(1e-320)
    res0 = exactgeo.fit([[F(1)], [F(2)], [F(0)]], y, beta=F(1, 10), exact=True)
    assert abs(res.objective_exact - res0.objective_exact) < F(1, 10 ** 300)
    assert float(res.objective_exact) == res.objective


@pytest.mark.parametrize("act,reg,bias", MODELS)
def test_subnormal_exact_dictionary_float_mirror(act, reg, bias):
    fam = get_family(act, reg=reg, bias=bias)
    X = exact([[0, 0], [1, 0], [0, 1], [1, 1], [2, 1]])
    X[1, 1] = TINY
    D = fam.dictionary(X, exact=True)
    A = D.float_matrix()
    assert A.shape == D.shape and np.all(np.isfinite(A))
    # every entry is the float of its exact value (ℓ1: correctly rounded; ℓ2, whose
    # norm_sq here is ~2**2148, beyond the float range: within 1e−15, via mpmath)
    if D.norm_sq is None:
        assert np.array_equal(A, [[float(v) for v in row] for row in D.A])
    else:
        mp = pytest.importorskip("mpmath")
        with mp.workprec(200):
            ref = [[float(mp.mpf(F(v).numerator) / F(v).denominator / mp.sqrt(int(F(q))))
                    for v, q in zip(row, D.norm_sq)] for row in D.A]
        assert any(q > 2 ** 1100 for q in D.norm_sq)
        assert np.allclose(A, ref, rtol=1e-15, atol=0)
    # the float dictionary of the same data agrees column by column (it may merge
    # columns equal to ~1e−10 relative, e.g. ×(1, 1e−320) and ×(1, 0): compare atoms)
    Df = fam.dictionary(np.asarray(X, dtype=float))
    keys = {(a.points, a.axes, a.sign): k for k, a in enumerate(D.atoms)}
    for j, a in enumerate(Df.atoms):
        k = keys[(a.points, a.axes, a.sign)]
        assert np.allclose(Df.A[:, j], A[:, k], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("act,reg,bias", MODELS)
def test_subnormal_scaled_exact_dictionary_keeps_its_structure(act, reg, bias):
    """Exact data times 2**-1070: the exact dictionary is the same (columns times
    2**-1070, all subnormal as floats), so zero/duplicate counts must not change; the
    dedupe keys are computed on exactly renormalised columns."""
    fam = get_family(act, reg=reg, bias=bias)
    s = F(1, 2 ** 1070)
    D1 = fam.dictionary(exact(PTS), exact=True)
    Ds = fam.dictionary(exact(PTS, s), exact=True)
    assert counts(Ds) == counts(D1)
    assert [a.points for a in Ds.atoms] == [a.points for a in D1.atoms]
    A1, As = D1.float_matrix(), Ds.float_matrix()
    if reg == "l1":         # correctly rounded, so exactly the rounded scaled values
        assert np.array_equal(As, [[float(F(v) * s) for v in row] for row in D1.A])
    assert np.all(np.isfinite(As)) and np.array_equal(As != 0, A1 != 0)


def test_subnormal_feature_exact_cli(tmp_path, capsys):
    path = tmp_path / "sub1.csv"
    path.write_text("1,1\n2,0\n1e-320,1\n")
    rc = main(["fit", str(path), "--beta", "1/10", "--exact", "--json"])
    out, err = capsys.readouterr()
    assert rc == 0 and err == ""
    assert json.loads(out)["objective_exact"] is not None


def test_ratio_to_float_beyond_the_float_range():
    big = 2 ** 1074
    num = np.array([[big, 3 * big], [big // 2 ** 100, -(2 ** 2200)]], dtype=object)
    den = np.array([2 * big, big], dtype=object)
    A = ratio_to_float(num, den)
    assert A.tolist() == [[0.5, 3.0], [2.0 ** -101, -math.inf]]
    # correctly rounded: equal to Fraction → float, including subnormal results
    rng = np.random.default_rng(3)
    nums = [int(v) * 2 ** int(e) + int(w) for v, e, w in
            zip(rng.integers(1, 2 ** 62, 40), rng.integers(900, 1300, 40), rng.integers(0, 9, 40))]
    dens = [int(v) * 2 ** int(e) + 1 for v, e in
            zip(rng.integers(1, 2 ** 62, 40), rng.integers(1000, 2300, 40))]
    num = np.array(nums, dtype=object).reshape(1, 40)
    got = ratio_to_float(num, np.array(dens, dtype=object))[0]
    assert got.tolist() == [float(F(a, b)) for a, b in zip(nums, dens)]
    assert any(0 < v < 2.2e-308 for v in got)          # some results are subnormal
    # norm_sq beyond the float range, and exact power-of-two shifts
    q = np.array([4 * 2 ** 2200, 9], dtype=object)
    got = ratio_to_float(np.array([[2 ** 1100 * 3, 6]], dtype=object), np.array([1, 1]), q,
                         shift=np.array([3, -1]))
    assert np.allclose(got, [[12.0, 1.0]], rtol=1e-15)
    # int64 input, fast path, matches the plain division
    num = rng.integers(-1000, 1000, size=(5, 7))
    den = rng.integers(1, 50, size=7)
    assert np.array_equal(ratio_to_float(num, den), num / den)


# ------------------------------------------------------------------ 2. scale invariance

SCALES = (1e-20, 1e20)


@pytest.mark.parametrize("act,reg,bias", MODELS)
@pytest.mark.parametrize("rows", [LINE, PTS, [[0, 1, 2], [1, 0, 0], [2, 1, 1], [0, 0, 3],
                                              [1, 2, 1], [3, 1, 0]]], ids=["d1", "d2", "d3"])
def test_float_dictionary_is_scale_invariant(act, reg, bias, rows):
    """X·s for s = 1e−20, 1e20: the same candidates survive (n_zero, n_duplicate and the
    atoms' spanning points), u is unchanged, c and every column scale by s.

    Tolerance 1e−12 relative to the largest entry: X·1e−20 is rounded (≤ 2**−53
    relative per entry) and the cross products/normalisations add a few hundred ulps;
    a scale-dependent absolute tolerance instead drops or keeps whole columns (the old
    defect: at s = 1e20 with bias every hyperplane was 'degenerate')."""
    fam = get_family(act, reg=reg, bias=bias)
    X = np.array(rows, dtype=float)
    D1 = fam.dictionary(X)
    De = fam.dictionary(X, exact=True)
    assert counts(D1) == counts(De)
    for s in SCALES:
        Ds = fam.dictionary(X * s)
        assert counts(Ds) == counts(D1), s
        assert [(a.points, a.axes, a.sign) for a in Ds.atoms] == \
            [(a.points, a.axes, a.sign) for a in D1.atoms]
        scale = np.abs(D1.A).max()
        assert np.allclose(Ds.A / s, D1.A, rtol=0, atol=1e-12 * scale)
        for a1, a_s in zip(D1.atoms, Ds.atoms):
            assert np.allclose(a_s.u, a1.u, rtol=0, atol=1e-12)
            assert math.isclose(a_s.c / s, a1.c, rel_tol=0, abs_tol=1e-12 * np.abs(X).max())


@pytest.mark.parametrize("act,reg,bias", MODELS)
def test_float_dictionary_zero_columns_do_not_depend_on_feature_scales(act, reg, bias):
    """Features scaled by very different powers of two (exact in floats): zero columns
    are decided like the exact dictionary of the same data. (Duplicates can differ:
    float mode merges columns equal to ~1e−10 relative, documented.)"""
    fam = get_family(act, reg=reg, bias=bias)
    for sc in ([2.0 ** -70, 2.0 ** 50], [2.0 ** 60, 1.0], [1.0, 2.0 ** -900]):
        X = np.array(PTS, dtype=float) * np.array(sc)
        assert fam.dictionary(X).n_zero == fam.dictionary(X, exact=True).n_zero, sc


@pytest.mark.parametrize("act", ["relu", "abs"])
@pytest.mark.parametrize("rows,y", [(LINE, LINE_Y), (PTS, PTS_Y), (XOR, XOR_Y)],
                         ids=["d1", "d2", "xor"])
def test_exact_dictionary_lasso_value_scales_exactly(act, rows, y):
    """ℓ1 with bias, exact data, s = 10**±20: the exact dictionary of X·s has the same
    sizes, and its Lasso at β·s certifies (exact KKT) *exactly* the value at s = 1, which
    is fit(X, y, β)'s (the float guess from coordinate descent, which is scale invariant)."""
    from exactgeo.lasso import certify_lasso
    fam = get_family(act, reg="l1", bias=True)
    beta = F(1, 10)
    ye = [F(v) for v in y]
    ref = exactgeo.fit(exact(rows), ye, model=act, reg="l1", bias=True, beta=beta)
    assert ref.lasso_status == "exact"
    for s in (F(1, 10 ** 20), F(1), F(10 ** 20)):
        D = fam.dictionary(exact(rows, s), exact=True)
        assert (D.shape[1], D.n_zero, D.n_duplicate) == \
            (ref.dictionary_size, ref.n_zero, ref.n_duplicate)
        Af = D.float_matrix()
        sol = solve_lasso(Af, np.array(y, dtype=float), float(beta * s), method="cd",
                          tol=1e-12)
        ex = certify_lasso(D.A, ye, beta * s, sol, A_float=Af)
        assert ex.status == "exact" and ex.objective_exact == ref.objective_exact, s


@pytest.mark.parametrize("act", ["relu", "abs"])
@pytest.mark.parametrize("rows,y", [(LINE, LINE_Y), (PTS, PTS_Y), (XOR, XOR_Y)],
                         ids=["d1", "d2", "xor"])
def test_exact_fit_objective_scales_exactly(act, rows, y):
    """The same through exactgeo.fit: fit(X·s, y, β·s) has exactly fit(X, y, β)'s value."""
    beta = F(1, 10)
    ye = [F(v) for v in y]
    ref = exactgeo.fit(exact(rows), ye, model=act, reg="l1", bias=True, beta=beta)
    assert ref.objective_exact is not None
    for s in (F(1, 10 ** 20), F(10 ** 20)):
        res = exactgeo.fit(exact(rows, s), ye, model=act, reg="l1", bias=True, beta=beta * s)
        assert res.objective_exact == ref.objective_exact, s
        assert (res.dictionary_size, res.n_zero, res.n_duplicate) == \
            (ref.dictionary_size, ref.n_zero, ref.n_duplicate)


def test_brief_reproduction_large_data_exact():
    """fit(X·1e20, y, β = 0.1): X·1e20 is exact in binary, so exact=True must give the
    value of fit(X, y, β = 0.1/1e20) (binary 0.1), about 4e−21, with all 8 columns."""
    X = np.array(XOR, dtype=float)
    res = exactgeo.fit(X * 1e20, XOR_Y, beta=0.1, exact=True)
    ref = exactgeo.fit(exact(XOR), [F(v) for v in XOR_Y], beta=to_fraction(0.1) / 10 ** 20)
    assert res.objective_exact == ref.objective_exact
    assert 1e-21 < res.objective < 1e-20 and res.dictionary_size == ref.dictionary_size == 8


@pytest.mark.parametrize("act", ["relu", "abs"])
@pytest.mark.parametrize("rows,y", [(LINE, LINE_Y), (PTS, PTS_Y), (XOR, XOR_Y)],
                         ids=["d1", "d2", "xor"])
def test_float_dictionary_lasso_objective_scales(act, rows, y):
    """The float dictionary of X·s solved with coordinate descent (scale-invariant) at
    β·s: the same value as s = 1, relative 1e−8. Why 1e−8: each solve stops at relative
    duality gap ≤ 1e−10, the dictionaries agree to ~1e−12 relative (test above), and
    the value is Lipschitz in the columns with constants O(‖y‖·‖z‖)."""
    fam = get_family(act, reg="l1", bias=True)
    X = np.array(rows, dtype=float)
    yf = np.array(y, dtype=float)
    ref = solve_lasso(fam.dictionary(X).float_matrix(), yf, 0.1, method="cd", tol=1e-10)
    for s in SCALES:
        sol = solve_lasso(fam.dictionary(X * s).float_matrix(), yf, 0.1 * s, method="cd",
                          tol=1e-10)
        assert math.isclose(sol.objective, ref.objective, rel_tol=1e-8), s


@pytest.mark.parametrize("s", SCALES)
def test_float_fit_objective_scales(s):
    X = np.array(PTS, dtype=float)
    ref = exactgeo.fit(X, PTS_Y, beta=0.1)
    res = exactgeo.fit(X * s, PTS_Y, beta=0.1 * s)
    assert res.dictionary_size == ref.dictionary_size
    assert math.isclose(res.objective, ref.objective, rel_tol=1e-8)


# ------------------------------------------------------------------ 3. max_bytes

@pytest.mark.parametrize("bad", [-1, 0, -0.5, math.nan, math.inf, -(2 ** 40)])
def test_dictionary_max_bytes_must_be_positive(bad):
    fam = get_family("relu")
    with pytest.raises(ValueError, match=r"max_bytes: expected a positive integer"):
        fam.dictionary([[0.0, 1.0], [1.0, 0.0]], max_bytes=bad)


@pytest.mark.parametrize("bad", ["1e9", None, True, [2 ** 31]])
def test_dictionary_max_bytes_type(bad):
    with pytest.raises(TypeError, match=r"max_bytes"):
        get_family("abs", reg="l2").dictionary([[0.0, 1.0], [1.0, 0.0]], max_bytes=bad)


@pytest.mark.parametrize("ok", [2 ** 40, np.int64(2 ** 31), 1e9])
def test_dictionary_max_bytes_accepts_numbers_of_bytes(ok):
    """floats too: exactgeo.fit accepts a float max_bytes and passes it on."""
    D = get_family("relu").dictionary([[0.0, 1.0], [1.0, 0.0]], max_bytes=ok)
    assert D.shape[1] > 0
    with pytest.raises(MemoryError, match="max_bytes"):
        get_family("relu").dictionary(np.zeros((60, 3)), max_bytes=2 ** 20)
