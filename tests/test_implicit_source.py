"""Implicit (streamed) column sources equal the explicit dictionary; the rigorous
streamed pricing equals exact pricing over ℚ; block memory respects max_bytes."""
from fractions import Fraction as F
import tracemalloc

import numpy as np
import pytest

from exactgeo.families import get_family
from exactgeo.families.budget import PricingTooLarge
from exactgeo.families.streamed import price_rigorous, rank_blocks, unrank
from exactgeo.families.subsets import combos_array
from exactgeo.sources import ImplicitSource


def _data(n, d, seed):
    rng = np.random.default_rng(seed)
    Xi = rng.integers(-9, 10, size=(n, d))
    return np.array([[F(int(v), 4) for v in row] for row in Xi], dtype=object)


FAMS = [("relu", "l1", True), ("relu", "l1", False), ("abs", "l1", True),
        ("relu", "l2", True), ("abs", "l2", False)]


def test_ranks_are_the_lexicographic_subsets():
    for N, k in ((7, 3), (6, 2), (5, 1)):
        C = combos_array(N, 0, k, False)
        assert [unrank(N, k, t) for t in range(len(C))] == C.tolist()
        got = np.concatenate([b for _, b in rank_blocks(N, k, 0, len(C), 4)])
        assert got.tolist() == C.tolist()


@pytest.mark.parametrize("model,reg,bias", FAMS)
def test_implicit_columns_are_the_explicit_dictionary(model, reg, bias):
    """Every column of the explicit dictionary is a column of the implicit source and
    every nonzero implicit column is in the dictionary — compared exactly (the exact
    view of both), and the float views agree to rounding (1e-12 relative: the same
    float formulas, evaluated on different batch shapes)."""
    X = _data(9, 2, 1)
    fam = get_family(model, reg=reg, bias=bias)
    D = fam.dictionary(X, exact=True)
    src = ImplicitSource(fam, X)
    assert src.size == fam.estimate_columns(9, 2)
    idx = list(range(src.size))
    E = src.exact_dictionary(idx)
    def key(col, ns):
        col = tuple(col)
        return col if ns is None else (col, ns)
    exp = {key(D.A[:, j], None if D.norm_sq is None else D.norm_sq[j])
           for j in range(D.shape[1])}
    got = {key(E.A[:, j], None if E.norm_sq is None else E.norm_sq[j])
           for j in range(E.A.shape[1]) if any(v != 0 for v in E.A[:, j])}
    assert got == exp
    Af = src.columns(idx)
    Ef = np.array([[float(v) for v in row] for row in E.A]) if E.A.size else E.A
    if E.norm_sq is not None:
        Ef = Ef / np.sqrt(np.array([float(q) for q in E.norm_sq]))[None, :]
    np.testing.assert_allclose(Af, Ef, rtol=1e-12, atol=1e-12)
    r = np.linspace(-1, 1, 9)
    np.testing.assert_allclose(src.correlate(r), Af.T @ r, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("model,bias,d", [("relu", True, 2), ("abs", True, 2),
                                          ("relu", False, 3), ("relu", True, 3)])
def test_rigorous_pricing_equals_exact_pricing(model, bias, d):
    """Float pass + rigorous bound + exact confirmation = max over the exact
    dictionary's correlations computed over ℚ (a second route sharing no code)."""
    X = _data(8, d, 2)
    fam = get_family(model, reg="l1", bias=bias)
    rng = np.random.default_rng(3)
    r = np.array([F(int(v), 7) for v in rng.integers(-20, 21, 8)], dtype=object)
    if bias:
        r[0] -= sum(r, F(0))
    pr = price_rigorous(fam, X, r)
    D = fam.dictionary(X, exact=True)
    corr = D.correlate(r)
    assert pr.kind == "exact" and pr.sup_exact == max(abs(v) for v in corr)
    col = fam.features(X, [pr.atom])[:, 0]
    assert abs(sum(c * ri for c, ri in zip(col, r))) == pr.sup_exact


def test_rigorous_pricing_decides_ties_exactly():
    """At an exact optimum several columns sit at exactly β: the float pass cannot
    separate them, the exact confirmation does (THEORY G3: S = 1 exactly)."""
    fam = get_family("relu", reg="l1", bias=True)
    X = np.array([[F(v)] for v in (0, 4, 5, 7, 10, 11)], dtype=object)
    lam = np.array([F(-1, 4), F(9, 4), F(-3), F(1), F(1), F(-1)], dtype=object)
    pr = price_rigorous(fam, X, lam)
    assert pr.sup_exact == 1
    assert max(abs(v) for v in fam.dictionary(X, exact=True).correlate(lam)) == 1


def test_block_memory_respects_max_bytes():
    """The allocations of one streamed pricing pass (numpy, traced) stay within
    max_bytes; the block size follows the budget."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((120, 2))
    fam = get_family("relu", reg="l1", bias=True)
    budget = 2 ** 20
    src = ImplicitSource(fam, X, max_bytes=budget)
    big = ImplicitSource(fam, X, max_bytes=2 ** 24)
    assert src.block_size < big.block_size
    r = rng.standard_normal(120)
    r -= r.mean()
    src.price(r, k=5)                         # compile outside the trace
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    pr = src.price(r, k=5)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    assert peak <= budget, peak
    assert pr.sup == pytest.approx(np.abs(big.correlate(r)).max(), rel=1e-12)


def test_budget_too_small_for_one_block_is_refused_with_the_minimum():
    X = np.zeros((50, 2)) + np.arange(50)[:, None]
    fam = get_family("relu", reg="l1", bias=True)
    with pytest.raises(PricingTooLarge, match=r"too small for one streamed block.*at least \d+ bytes"):
        ImplicitSource(fam, X, max_bytes=1000)


def test_batch_unrank_and_rank_invert_each_other():
    from exactgeo.families.streamed import rank, unrank_many
    for N, k in ((7, 3), (6, 2), (5, 1), (40, 3)):
        C = combos_array(N, 0, k, False)
        assert unrank_many(N, k, np.arange(len(C))).tolist() == C.tolist()
        assert [rank(N, k, row) for row in C.tolist()] == list(range(len(C)))


@pytest.mark.parametrize("model,reg,bias", FAMS)
def test_exact_atoms_are_the_familys_exact_atoms(model, reg, bias):
    """The pool-built exact atoms equal family.exact_atom of the float atoms (exact
    Fractions), and the exact columns (integer-scaled features) equal σ(Xu + c) over ℚ
    computed entry by entry with Fractions (a second route)."""
    from exactgeo.numbers import sigma
    X = _data(10, 2, 5)
    fam = get_family(model, reg=reg, bias=bias)
    src = ImplicitSource(fam, X)
    idx = [j for j in range(src.size) if src.columns([j]).any()][:40]
    mine = src.exact_atoms(idx)
    ref = [fam.exact_atom(X, a) for a in src.atoms(idx)]
    for a, b in zip(mine, ref):
        assert list(a.u) == list(b.u) and a.c == b.c and a.norm_sq == b.norm_sq
        assert (a.points, a.axes, a.sign) == (b.points, b.axes, b.sign)
    A = src.exact_dictionary(idx).A
    for j, a in enumerate(ref):
        col = [sigma(model, sum((X[i, c] * a.u[c] for c in range(2)), F(0)) + a.c)
               for i in range(10)]
        assert list(A[:, j]) == col


def test_neighbour_start_holds_lines_through_neighbours_and_axes():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 5.0]])
    src = ImplicitSource(get_family("relu", reg="l1", bias=True), X)
    W = src.neighbour_columns(1)
    subsets = {tuple(s) for s in src._subsets_of_ranks(np.unique(W // 2)).tolist()}
    # nearest neighbours 0↔1, 2→1; axes are pool rows 3, 4
    assert {(0, 1), (1, 2), (0, 3), (0, 4), (1, 3), (1, 4), (2, 3), (2, 4)} == subsets
    assert W.size == 2 * len(subsets)


def test_integer_scaled_forward_equals_the_fraction_forward():
    """The check stage's exact forward pass (integer products) equals the entrywise
    Fraction evaluation ξ + Σ z_jσ(u_jᵀx + c_j), exactly."""
    from exactgeo.nets.units import _forward_scaled
    from exactgeo.numbers import sigma
    rng = np.random.default_rng(3)
    X = _data(15, 2, 7)
    U = np.array([[F(int(a), int(b)) for a, b in rng.integers(1, 50, (2, 2))] for _ in
                  range(6)], dtype=object) * np.array([1, -1], dtype=object)
    c = np.array([F(int(a) - 25, int(b)) for a, b in rng.integers(1, 50, (6, 2))],
                 dtype=object)
    z = np.array([F(int(a) - 25, int(b)) for a, b in rng.integers(1, 50, (6, 2))],
                 dtype=object)
    for act in ("relu", "abs"):
        got = _forward_scaled(X, U, c, z, act, F(1, 3))
        ref = [F(1, 3) + sum((z[j] * sigma(act, X[i, 0] * U[j, 0] + X[i, 1] * U[j, 1]
                                           + c[j]) for j in range(6)), F(0))
               for i in range(15)]
        assert list(got) == ref
