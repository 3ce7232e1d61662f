"""exactgeo.numbers: exact conversions (Fraction / sympy / flint / float / str) and errors."""
from __future__ import annotations

import math
from fractions import Fraction

import flint
import numpy as np
import pytest
import sympy
from hypothesis import given, settings, strategies as st

from exactgeo.numbers import (as_array, as_exact_array, as_float_array, exact_det,
                              exact_inv, exact_rank, exact_solve, fraction_str,
                              from_fmpq_mat, is_exact, is_exact_scalar, parse_fraction_str,
                              to_float, to_fmpq_mat, to_fraction)

SET = settings(max_examples=60, deadline=None)


@pytest.mark.parametrize("value,expected", [
    (Fraction(-3, 4), Fraction(-3, 4)),
    (7, Fraction(7)),
    (np.int64(-2), Fraction(-2)),
    (0.5, Fraction(1, 2)),
    (np.float32(0.25), Fraction(1, 4)),
    (0.1, Fraction(3602879701896397, 36028797018963968)),   # the binary value, exactly
    (sympy.Rational(2, 6), Fraction(1, 3)),
    (sympy.Integer(-5), Fraction(-5)),
    (flint.fmpq(-7, 21), Fraction(-1, 3)),
    (flint.fmpz(12), Fraction(12)),
    ("1/3", Fraction(1, 3)),
    (" -2 ", Fraction(-2)),
    ("0.125", Fraction(1, 8)),
    ("1e-3", Fraction(1, 1000)),
])
def test_to_fraction(value, expected):
    got = to_fraction(value)
    assert type(got) is Fraction and got == expected


@pytest.mark.parametrize("value,err,msg", [
    (float("nan"), ValueError, r"x: expected a finite number, got nan"),
    (float("inf"), ValueError, r"x: expected a finite number, got inf"),
    (True, TypeError, r"x: expected a number, got bool True"),
    ("abc", ValueError, r"x: expected a number such as '3', '-1/3' or '0.25', got 'abc'"),
    ("1/0", ValueError, r"x: expected a number .* got '1/0'"),
    ("", ValueError, r"x: expected a number"),
    (None, TypeError, r"x: expected an int, float, Fraction, sympy Rational, fmpq .* got NoneType"),
    (1 + 2j, TypeError, r"x: expected .* got complex"),
    (sympy.Symbol("t"), TypeError, r"x: expected .* got Symbol"),
    (sympy.sqrt(2), TypeError, r"x: expected .* got Pow"),
])
def test_to_fraction_errors(value, err, msg):
    with pytest.raises(err, match=msg):
        to_fraction(value, "x")


@SET
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_float_converts_exactly(x):
    q = to_fraction(x)
    assert q == Fraction(x) and float(q) == x and to_float(q) == x


@SET
@given(st.fractions())
def test_fraction_str_round_trip(q):
    s = fraction_str(q)
    assert parse_fraction_str(s) == q
    assert ("/" in s) == (q.denominator != 1)


def test_fraction_str_forms():
    assert fraction_str(Fraction(-3, 4)) == "-3/4"
    assert fraction_str(5) == "5"
    assert fraction_str(sympy.Rational(1, 3)) == "1/3"
    assert fraction_str(0.5) == "1/2"


def test_exact_scalar_predicates():
    assert is_exact_scalar(Fraction(1, 2)) and is_exact_scalar(3)
    assert is_exact_scalar(sympy.Rational(1, 2)) and is_exact_scalar(flint.fmpq(1, 2))
    assert not is_exact_scalar(0.5) and not is_exact_scalar(True)
    assert not is_exact_scalar(sympy.Symbol("x")) and not is_exact_scalar("1/2")
    assert is_exact([Fraction(1, 2), 1]) and not is_exact([1, 2])
    assert not is_exact([0.5, Fraction(1)]) and not is_exact(np.ones(2))
    assert is_exact(np.array([1, 2], dtype=object))


def test_as_exact_array():
    A = as_exact_array([[1, "1/2"], [0.25, sympy.Rational(-2, 3)]])
    assert A.dtype == object and A.tolist() == [[1, Fraction(1, 2)],
                                                 [Fraction(1, 4), Fraction(-2, 3)]]
    assert all(type(v) is Fraction for v in A.flat)
    B = as_exact_array(np.array([0.1, 3.0]))
    assert B.tolist() == [Fraction(0.1), Fraction(3)]
    with pytest.raises(ValueError, match=r"M: expected finite numbers, got NaN or inf"):
        as_exact_array(np.array([1.0, np.nan]), "M")
    with pytest.raises(TypeError, match=r"M: expected numbers, got dtype <U"):
        as_exact_array(np.array(["a", "b"]), "M")
    with pytest.raises(ValueError, match=r"M: expected a number .* got 'x'"):
        as_exact_array([["x"]], "M")


def test_as_float_array():
    assert as_float_array([[1, 2]]).dtype == np.float64
    with pytest.raises(ValueError, match=r"X: expected finite numbers, got NaN or inf"):
        as_float_array([1.0, float("inf")], "X")
    with pytest.raises(TypeError, match=r"X: expected a numeric array, got list"):
        as_float_array([[1.0, 2.0], [3.0]], "X")          # ragged
    with pytest.raises(TypeError, match=r"X: expected a numeric array"):
        as_float_array(["a"], "X")
    # a huge but finite array whose sum overflows is still accepted
    big = np.full(4, 1e308)
    assert as_float_array(big) is not None


def test_as_array_modes_and_errors():
    arr, exact = as_array([Fraction(1, 2), 1])
    assert exact and arr.tolist() == [Fraction(1, 2), Fraction(1)]
    arr, exact = as_array([0.5, 1])
    assert not exact and arr.dtype == np.float64
    arr, exact = as_array([1, 2])                            # plain ints → float path
    assert not exact and arr.dtype == np.float64
    arr, exact = as_array(np.array([1, 2], dtype=object))    # object ints → exact
    assert exact and arr.tolist() == [Fraction(1), Fraction(2)]
    arr, exact = as_array(np.empty((0, 3), dtype=object))    # empty object array → exact
    assert exact and arr.shape == (0, 3)
    arr, exact = as_array([flint.fmpq(1, 3), sympy.Rational(1, 2)])
    assert exact and arr.tolist() == [Fraction(1, 3), Fraction(1, 2)]
    with pytest.raises(TypeError, match=r"V: mixes exact values .* with floats"):
        as_array([Fraction(1), 0.5], "V")
    with pytest.raises(TypeError, match=r"V: expected numbers, got the string '1/2'"):
        as_array(["1/2"], "V")
    with pytest.raises(TypeError, match=r"V: expected numbers, got NoneType None"):
        as_array([None], "V")
    with pytest.raises(TypeError, match=r"V: expected a numeric array, got dtype"):
        as_array(np.array(["a"]), "V")
    with pytest.raises(ValueError, match=r"V: expected finite numbers"):
        as_array([float("nan")], "V")


def test_flint_bridge_and_exact_linear_algebra():
    A = [[Fraction(1, 2), 1], [1, 4]]
    M = to_fmpq_mat(A)
    assert isinstance(M, flint.fmpq_mat)
    assert from_fmpq_mat(M).tolist() == [[Fraction(1, 2), 1], [1, 4]]
    assert exact_det(A) == 1
    assert exact_rank([[1, 2], [2, 4]]) == 1
    inv = exact_inv(A)
    assert inv.tolist() == [[4, -1], [-1, Fraction(1, 2)]]
    x = exact_solve(A, [1, 0])
    assert x.tolist() == [4, -1]
    X = exact_solve(A, [[1, 0], [0, 1]])
    assert X.tolist() == inv.tolist()
    with pytest.raises(ValueError, match="singular"):
        exact_solve([[1, 2], [2, 4]], [1, 1])
    with pytest.raises(ValueError, match="square"):
        exact_det([[1, 2, 3]])
    with pytest.raises(ValueError, match="2-D"):
        to_fmpq_mat([1, 2])
    with pytest.raises(ValueError, match="nonsingular"):
        exact_inv([[0, 0], [0, 0]])


@SET
@given(st.lists(st.lists(st.fractions(min_value=-50, max_value=50, max_denominator=9),
                         min_size=3, max_size=3), min_size=3, max_size=3))
def test_exact_det_matches_leibniz(rows):
    a = rows
    leib = (a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
            - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
            + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]))
    assert exact_det(rows) == leib
    assert (exact_rank(rows) == 3) == (leib != 0)


def test_to_float():
    assert to_float(Fraction(1, 4)) == 0.25 and to_float(0.1) == 0.1
    assert math.isclose(to_float("1/3"), 1 / 3)


# ---------------------------------------------------------------- integer forms, backend

from exactgeo.numbers import (QQ, RR, backend, exact_sqrt, integer_scale,  # noqa: E402
                              primitive, sigma)

fractions_ = st.fractions(min_value=-50, max_value=50, max_denominator=12)


@SET
@given(st.lists(fractions_, max_size=8))
def test_integer_scale_is_the_least_common_denominator(vals):
    ints, D = integer_scale(np.array(vals, dtype=object))
    assert D >= 1 and all(type(v) is int for v in ints)
    assert [Fraction(int(v), D) for v in ints] == vals
    assert all(D % Fraction(v).denominator == 0 for v in vals)
    assert not any(D % p == 0 and all((v * (D // p)).denominator == 1 for v in vals)
                   for p in (2, 3, 5, 7, 11))                   # no smaller common multiple


@SET
@given(fractions_)
def test_exact_sqrt(q):
    assert exact_sqrt(q * q) == abs(q)
    r = exact_sqrt(q)
    assert (r is None) or (r >= 0 and r * r == q)
    assert exact_sqrt(2 * q * q) is None or q == 0


def test_primitive():
    assert primitive([6, -9, 0]) == [2, -3, 0] and primitive([0, 0]) == [0, 0]
    assert primitive(np.array([2 ** 70, 2 ** 71], dtype=object)) == [1, 2]


@SET
@given(st.lists(fractions_, min_size=1, max_size=8), st.sampled_from(["relu", "abs"]))
def test_sigma_exact_equals_float_and_keeps_the_type(vals, act):
    T = np.array(vals, dtype=object)
    ref = [max(v, 0) if act == "relu" else abs(v) for v in vals]
    out = sigma(act, T)
    assert out.dtype == object and out.tolist() == ref
    assert all(isinstance(v, Fraction) for v in out)          # Fraction(0), never int 0
    assert np.array_equal(sigma(act, T.astype(float)), np.array(ref, dtype=float))
    assert QQ.sigma(act, vals).tolist() == ref                # lists are converted
    assert RR.sigma(act, vals).dtype == np.float64
    ints = np.array([v.numerator for v in vals], dtype=np.int64)
    si = sigma(act, ints)
    assert si.dtype == np.int64 and si.tolist() == [max(int(v), 0) if act == "relu"
                                                    else abs(int(v)) for v in ints]
    assert sigma(act, vals[0]) == ref[0] and sigma(act, float(vals[0])) == float(ref[0])
    out_f = np.empty(len(vals))
    assert sigma(act, T.astype(float), out=out_f) is out_f


def test_sigma_rejects_unknown_activations():
    with pytest.raises(ValueError, match="activation"):
        sigma("tanh", np.zeros(2))


@SET
@given(st.lists(st.lists(st.integers(-9, 9), min_size=3, max_size=3), min_size=3,
                max_size=3), st.lists(st.integers(-9, 9), min_size=3, max_size=3))
def test_backends_solve_and_invert_alike(A, b):
    if exact_det(A) == 0:
        with pytest.raises(ValueError):
            QQ.solve(A, b)
        with pytest.raises(ValueError):
            QQ.inv(A)
        return
    x = QQ.solve(A, b)
    assert all(isinstance(v, Fraction) for v in x)
    assert [sum(a * v for a, v in zip(row, x)) for row in A] == b
    assert np.allclose(RR.solve(A, b), np.asarray(x, dtype=float))
    Ai = QQ.inv(A)
    assert (np.array(A, dtype=object) @ Ai == np.eye(3, dtype=int)).all()
    assert np.allclose(RR.inv(A), np.asarray(Ai, dtype=float))
    assert backend(True) is QQ and backend(False) is RR and QQ.exact and not RR.exact
