"""exactgeo.ga.cross_int: the integer-ring batched cross product equals the Fraction
route exactly (degenerate and rank-deficient batches included), in int64 and in Python
ints, on every route; its dtype rule and its errors."""
from __future__ import annotations

import importlib
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from exactgeo.testing import exact_batches  # noqa: E402

from exactgeo.numbers import integer_scale  # noqa: E402

# the module itself (``exactgeo.ga.cross`` is also the name of the function, and pytest's
# doctest collection may bind the package attribute to either), for its route constants
CROSS = importlib.import_module("exactgeo.ga.cross")
cross, cross_int = CROSS.cross, CROSS.cross_int
SET = settings(max_examples=40, deadline=None)


def fraction_route(V):
    """×(V) of every matrix by exactgeo.ga.cross on Fractions → nested lists of ints."""
    V = np.asarray(V, dtype=object)
    lead, (k, d) = V.shape[:-2], V.shape[-2:]
    flat = V.reshape((int(np.prod(lead)), k, d))
    out = []
    for M in flat:
        F = np.array([[Fraction(int(x)) for x in row] for row in M], dtype=object)
        F = F.reshape(k, d)
        w = cross(F)
        assert all(v.denominator == 1 for v in w)
        out.append([int(v) for v in w])
    return np.array(out, dtype=object).reshape(lead + (d,)).tolist()


@st.composite
def int_batches(draw, d=None, big=False):
    """(B, d−1, d) integer batches with rank-deficient members: repeated, scaled, zero
    and combined rows; ``big`` entries reach beyond int64."""
    d = draw(st.integers(1, 9)) if d is None else d
    B = draw(st.integers(0, 12))
    hi = 2 ** 80 if big else 50
    ent = st.integers(-hi, hi)
    V = [[[draw(ent) for _ in range(d)] for _ in range(d - 1)] for _ in range(B)]
    for M in V:
        if d < 3:
            break
        kind = draw(st.sampled_from(["none", "repeat", "scale", "zero", "combo"]))
        if kind == "repeat":
            M[1] = list(M[0])
        elif kind == "scale":
            M[1] = [draw(st.integers(-3, 3)) * x for x in M[0]]
        elif kind == "zero":
            M[draw(st.integers(0, d - 2))] = [0] * d
        elif kind == "combo" and d >= 4:
            a, b = draw(st.integers(-2, 2)), draw(st.integers(-2, 2))
            M[2] = [a * x + b * y for x, y in zip(M[0], M[1])]
    return V, d


def as_array(V, d, dtype):
    arr = np.empty((len(V), d - 1, d), dtype=dtype)
    for b, M in enumerate(V):
        for i, row in enumerate(M):
            arr[b, i, :] = row
    return arr


@SET
@given(int_batches())
def test_equals_the_fraction_route_int64(data):
    V, d = data
    A = as_array(V, d, np.int64)
    out = cross_int(A)
    assert out.shape == (len(V), d)
    assert out.tolist() == fraction_route(A)


@SET
@given(int_batches(big=True))
def test_equals_the_fraction_route_python_ints(data):
    V, d = data
    A = as_array(V, d, object)
    out = cross_int(A)
    assert out.tolist() == fraction_route(A)
    assert out.dtype == np.int64 or all(type(v) is int for v in out.flat)
    assert all(type(v) is int for v in cross_int(A, dtype=object).flat)


@SET
@given(int_batches(), st.sampled_from(["blade", "elimination"]))
def test_every_route_is_exact(monkeypatch_data, route):
    V, d = monkeypatch_data
    with pytest.MonkeyPatch.context() as mp:
        if route == "elimination":
            mp.setattr(CROSS, "INT64_BLADE_MAX_D", 0)
            mp.setattr(CROSS, "OBJECT_BLADE_MAX_D", 0)
        else:
            mp.setattr(CROSS, "INT_BLADE_MIN_BATCH", 1)
            mp.setattr(CROSS, "INT64_BLADE_MAX_D", 99)
            mp.setattr(CROSS, "OBJECT_BLADE_MAX_D", 99)
        for dtype in (np.int64, object):
            A = as_array(V, d, dtype)
            assert cross_int(A).tolist() == fraction_route(A)


@SET
@given(st.data())
def test_rank_deficient_batches_give_exact_zeros(data):
    d = data.draw(st.integers(3, 7))
    rows = data.draw(st.lists(st.lists(st.integers(-9, 9), min_size=d, max_size=d),
                              min_size=d - 2, max_size=d - 2))
    coef = data.draw(st.lists(st.integers(-3, 3), min_size=d - 2, max_size=d - 2))
    dep = [sum(c * r[j] for c, r in zip(coef, rows)) for j in range(d)]
    M = rows + [dep]                                      # rank ≤ d − 2
    perm = data.draw(st.permutations(range(d - 1)))
    A = np.array([[M[i] for i in perm]] * 5, dtype=np.int64)
    assert cross_int(A).tolist() == [[0] * d] * 5
    assert cross_int(A.astype(object) * 2 ** 70).tolist() == [[0] * d] * 5


@SET
@given(exact_batches(2, 3, 6))
def test_integer_scaled_rationals_match_cross(V):
    # × is multilinear in the rows: scaling row i by s_i scales × by Π s_i
    for M in V:
        rows, scale = [], 1
        for r in M:
            ints, s = integer_scale(r)
            rows.append(list(ints))
            scale *= s
        w = cross_int(np.array([rows], dtype=object))[0]
        assert [Fraction(int(x), scale) for x in w] == list(cross(M))


def test_dtype_rule_and_mixed_batches():
    small = [[1, 2, 0], [0, 1, 1]]
    big = [[2 ** 40, 1, 0], [0, 2 ** 30, 1]]               # Π‖v‖₁ > 2^62
    assert cross_int(np.array([small])).dtype == np.int64
    assert cross_int(np.array([small]), dtype=object).dtype == object
    mixed = cross_int(np.array([small, big], dtype=np.int64))
    assert mixed.dtype == object
    assert mixed.tolist() == [[2, -1, 1], [1, -2 ** 40, 2 ** 70]]
    assert cross_int(np.array([[[2 ** 62, 2 ** 62]]], dtype=np.uint64)).tolist() == \
        [[-2 ** 62, 2 ** 62]]
    assert cross_int([[[3, 2 ** 64]]]).tolist() == [[-2 ** 64, 3]]
    assert cross_int(np.zeros((0, 2, 3), dtype=np.int64)).shape == (0, 3)
    assert cross_int(np.zeros((2, 0, 1), dtype=np.int64)).tolist() == [[1], [1]]   # d = 1
    assert cross_int(np.ones((2, 3, 2, 3), dtype=np.int8)).shape == (2, 3, 3)
    # the bound is exact enough: values right at int64's edge stay exact
    e = cross_int(np.array([[[2 ** 31, 0, 0], [0, 2 ** 31 - 1, 0]]]))
    assert e.tolist() == [[0, 0, 2 ** 31 * (2 ** 31 - 1)]]


def test_bad_input_is_refused_naming_V():
    with pytest.raises(TypeError, match="V: expected integer"):
        cross_int(np.array([[1.0, 2.0]]))
    with pytest.raises(TypeError, match=r"V: expected integer entries, got Fraction"):
        cross_int(np.array([[Fraction(1, 2), 1]], dtype=object))
    with pytest.raises(TypeError, match="bool"):
        cross_int([[True, 2]])
    with pytest.raises(ValueError, match=r"got 3 vectors in R\^3"):
        cross_int(np.ones((3, 3), dtype=np.int64))
    with pytest.raises(ValueError, match="dtype"):
        cross_int([[1, 2]], dtype=np.int32)
