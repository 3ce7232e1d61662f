"""The fused numba hyperplane kernel and the integer exact columns against plain routes.

* ``families._kernels.unit_hyperplanes`` (cross products by ``ga.cross_rows``) against
  the same steps in numpy on ``ga.cross`` (the blade route): equal degeneracy flags and
  hyperplanes within 1e-12 of their size (two summation orders of the same minors; the
  entries are O(1) after normalising, so 1e-12 is ~10³ ulp of slack).
* ``families._kernels.integer_hyperplanes`` (the same minors in int64, for the rigorous
  pricing) against ``ga.cross_int`` (fraction-free, Python-int safe): equal integers.
* ``TwoLayerFamily.exact_columns`` (integer storage, lowest terms) against σ(Xu + c)
  evaluated in Fractions, entry by entry.
"""
from fractions import Fraction as F

import numpy as np
import pytest

from exactgeo.families import get_family
from exactgeo.families._kernels import integer_hyperplanes, unit_hyperplanes
from exactgeo.families.subsets import combos_array
from exactgeo.ga import cross, cross_int


def _numpy_route(pool_s, C, unscale, d, l1):
    Q = pool_s[C]
    W = cross(Q) + 0.0
    hb = np.prod(np.sqrt((Q * Q).sum(axis=2)), axis=1)
    norm = (lambda w: np.abs(w).sum(axis=1)) if l1 else (lambda w: np.sqrt((w * w).sum(axis=1)))
    deg = ~(norm(W[:, :d]) > 1e-12 * hb)
    W = W * unscale
    nrm = norm(W[:, :d])
    deg |= ~(np.isfinite(nrm) & (nrm > 0))
    return W / np.where(deg, 1.0, nrm)[:, None], deg


@pytest.mark.parametrize("d,bias,reg", [(1, True, "l1"), (2, True, "l1"), (2, False, "l2"),
                                        (3, True, "l1"), (3, True, "l2"), (3, False, "l1")])
def test_unit_hyperplanes_match_the_numpy_route(d, bias, reg):
    rng = np.random.default_rng(d + 10 * bias)
    X = rng.standard_normal((14, d)) * np.array([300.0, 1e-3, 7.0])[:d]
    X[5] = X[3]                         # a repeated point: degenerate subsets for k ≥ 2
    if d > 1:
        X[7] = 2 * X[6] - X[4]                    # three collinear points
    fam = get_family("relu", reg=reg, bias=bias)
    k = fam.subset_size(d)
    C = combos_array(14, fam.pool_axes(d), k, bias)
    P = fam.subset_block(X, C[:1]).prep
    W, deg = unit_hyperplanes(P.pool_s, C, P.unscale, d, reg == "l1")
    W0, deg0 = _numpy_route(P.pool_s, C, P.unscale, d, reg == "l1")
    assert (deg == deg0).all()
    assert deg.any() == (k >= 2)                  # a repeated point spans no hyperplane
    assert np.abs(W - W0).max() <= 1e-12 * max(1.0, np.abs(W0).max())


@pytest.mark.parametrize("k", [1, 2, 3])
def test_integer_hyperplanes_are_the_integer_cross_products(k):
    rng = np.random.default_rng(k)
    pool = rng.integers(-2 ** 19, 2 ** 19, (12, k + 1))      # bx^k < 2^57
    pool[4] = pool[2]                                         # degenerate subsets
    C = combos_array(12, 0, k, False)
    W = integer_hyperplanes(pool, C)
    assert W.tolist() == [[int(v) for v in row] for row in cross_int(pool[C].astype(object))]


@pytest.mark.parametrize("model", ["relu", "abs"])
def test_exact_columns_are_the_fraction_features_in_lowest_terms(model):
    rng = np.random.default_rng(3)
    X = np.array([[F(int(v), 6) for v in row] for row in rng.integers(-9, 10, (9, 2))],
                 dtype=object)
    fam = get_family(model, reg="l1", bias=True)
    atoms = [fam.atom_from_direction([F(2, 3), F(-1, 5)], F(1, 7)),
             fam.atom_from_direction([F(0), F(3)], F(-1, 2)),
             fam.atom_from_direction([F(1), F(1)], F(0))]
    D = fam.exact_columns(X, atoms)
    for j, a in enumerate(D.atoms):
        z = [sum((F(x) * F(u) for x, u in zip(row, a.u)), F(a.c)) for row in X]
        col = [max(v, 0) if model == "relu" else abs(v) for v in z]
        assert [F(int(v), int(D.den[j])) for v in D.num[:, j]] == col
        g = int(D.den[j])
        for v in D.num[:, j]:
            g = np.gcd(g, int(v))
        assert g == 1                              # lowest terms
