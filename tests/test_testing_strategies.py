"""exactgeo.testing: every strategy produces what it promises (checked exactly, by plain
Fraction elimination or by exactgeo.minimizers.clusters for κ), and the package imports
light and fails clearly without hypothesis."""
import subprocess
import sys
from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest
from hypothesis import find, given, settings, strategies as st

from exactgeo.testing import (DEGENERACIES, clustered_data, degenerate_points, exact_batches,
                              exact_matrices, exact_rank, exact_vectors, general_position,
                              invertible_matrices, rational_rotations, rationals)
from exactgeo.testing.clusters import affine_distance2

FAST = settings(max_examples=40, deadline=None, derandomize=True)


def _all_fractions(A):
    return A.dtype == object and all(type(v) is Fraction for v in A.flat)


@FAST
@given(rationals(7, 3))
def test_rationals_bounds(q):
    assert isinstance(q, Fraction) and abs(q.numerator) <= 7 and q.denominator <= 3


@FAST
@given(exact_vectors(3), exact_matrices(2, 4), exact_batches(2, 3))
def test_shapes_and_types(v, M, B):
    assert v.shape == (3,) and M.shape == (2, 4) and B.shape[1:] == (2, 3)
    assert _all_fractions(v) and _all_fractions(M) and _all_fractions(B)


@FAST
@given(st.integers(1, 6), st.integers(1, 4), st.booleans(), st.data())
def test_general_position(n, d, affine, data):
    P = data.draw(general_position(n, d, affine=affine))
    assert P.shape == (n, d) and _all_fractions(P)
    rows = [list(p) + ([1] if affine else []) for p in P]
    r = min(n, d + 1 if affine else d)
    for S in combinations(range(n), r):
        assert exact_rank([rows[i] for i in S]) == r, (P, S)


@FAST
@given(st.integers(2, 5), st.integers(1, 3), st.booleans(), st.data())
def test_general_position_fallback(n, d, affine, data):
    # all-zero random draws are never in general position: the moment-curve route runs
    P = data.draw(general_position(n, d, affine=affine, max_num=0, max_den=1))
    rows = [list(p) + ([1] if affine else []) for p in P]
    r = min(n, d + 1 if affine else d)
    assert all(exact_rank([rows[i] for i in S]) == r for S in combinations(range(n), r))


@FAST
@given(st.integers(3, 5), st.integers(2, 4), st.sampled_from(DEGENERACIES), st.data())
def test_degenerate_points(n, d, kind, data):
    P = data.draw(degenerate_points(n, d, kinds=(kind,)))
    assert P.shape == (n, d) and _all_fractions(P)
    rows = [tuple(p) for p in P]
    if kind == "repeated":
        assert len(set(rows)) < n
    elif kind == "collinear":
        assert exact_rank(P[1:] - P[0]) <= 1
    elif kind == "coplanar":
        assert exact_rank(P[1:] - P[0]) <= d - 1
    elif kind == "origin":
        assert any(all(x == 0 for x in p) for p in rows)
    else:
        assert any(sum(x != 0 for x in p) <= 1 for p in rows)


def test_degenerate_points_bad_kinds():
    with pytest.raises(ValueError, match="kinds: expected a non-empty subset"):
        find(degenerate_points(3, 2, kinds=("wobbly",)), lambda _: True)
    with pytest.raises(ValueError, match="'repeated' needs n >= 2"):
        find(degenerate_points(1, 2, kinds=("repeated",)), lambda _: True)


@FAST
@given(st.integers(1, 4).flatmap(invertible_matrices))
def test_invertible(M):
    assert exact_rank(M) == M.shape[0] and _all_fractions(M)


@FAST
@given(st.integers(1, 4).flatmap(rational_rotations))
def test_rotations(R):
    d = R.shape[0]
    assert _all_fractions(R)
    assert (R.T @ R).tolist() == np.eye(d, dtype=int).tolist()
    import sympy as sp                              # det by a second, independent route
    assert sp.Matrix(R.tolist()).det() == 1


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.integers(2, 3), st.integers(0, 1), st.sampled_from([Fraction(1, 4), Fraction(2, 5)]),
       st.data())
def test_clustered_data_kappa_bound(Q, extra, kappa, data):
    from exactgeo.minimizers.clusters import cluster_geometry, prepare_data
    M = Q + extra
    c = data.draw(clustered_data(Q, M, kappa=kappa))
    assert c.X.shape[1] == M and set(c.labels.tolist()) == set(range(Q))
    geo = cluster_geometry(prepare_data(c.X, c.labels, exact=True))
    # δ² ≤ κ²·min h_j², exactly, with the library's own δ and h_j (THEORY §4.1)
    assert geo.delta2 <= kappa ** 2 * min(geo.h2)
    for j in range(Q):                              # the recorded means are the class means
        rows = c.X[c.labels == j]
        assert (rows.sum(axis=0) / len(rows)).tolist() == c.means[j].tolist()


def test_affine_distance2():
    F = Fraction
    assert affine_distance2([F(1), F(1), F(1)], [[0, 0, 0], [1, 0, 0], [0, 1, 0]]) == 1
    assert affine_distance2([F(3), F(4)], [[0, 0]]) == 25


def test_clustered_data_bad_args():
    with pytest.raises(ValueError, match="Q, M"):
        find(clustered_data(1), lambda _: True)
    with pytest.raises(ValueError, match="kappa"):
        find(clustered_data(2, kappa=0), lambda _: True)


def _run(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_import_is_light():
    out = _run("import sys, exactgeo.testing; "
               "print(sorted(m for m in ('sympy', 'numba', 'scipy', 'clifford') "
               "if m in sys.modules))")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_import_without_hypothesis_says_what_to_install():
    code = ("import sys\n"
            "class Block:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name == 'hypothesis' or name.startswith('hypothesis.'):\n"
            "            raise ImportError('No module named hypothesis')\n"
            "sys.meta_path.insert(0, Block())\n"
            "import exactgeo.testing\n")
    out = _run(code)
    assert out.returncode != 0
    assert 'pip install "exactgeo[testing]"' in out.stderr.strip().splitlines()[-1]
