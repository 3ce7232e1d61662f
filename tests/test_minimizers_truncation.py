"""Truncation lemmas T1–T7 and the cumulative-parameter identity (THEORY §4.2, §4.3),
as hypothesis properties over exact rationals (all comparisons are exact Fraction equality)."""
from fractions import Fraction

import numpy as np
from hypothesis import assume, given, settings, strategies as st

from exactgeo.minimizers.truncation import (apex, cumulative_params, hidden_states, inverse,
                                            layers_from_cumulative, relu, tau_states, truncate)
from exactgeo.numbers import exact_det

rat = st.fractions(min_value=-3, max_value=3, max_denominator=6)
pos = st.fractions(min_value=Fraction(1, 6), max_value=4, max_denominator=6)
SET = settings(max_examples=40, deadline=None)


def arr(vals, shape):
    return np.array(vals, dtype=object).reshape(shape)


@st.composite
def invertible(draw, q=None):
    q = draw(st.integers(2, 3)) if q is None else q
    W = arr(draw(st.lists(rat, min_size=q * q, max_size=q * q)), (q, q))
    assume(exact_det(W) != 0)
    b = arr(draw(st.lists(rat, min_size=q, max_size=q)), (q,))
    return W, b


@st.composite
def setup(draw):
    W, b = draw(invertible())
    q = W.shape[0]
    x = arr(draw(st.lists(rat, min_size=q * 4, max_size=q * 4)), (q, 4))
    return W, b, x


@SET
@given(setup())
def test_T1_T2_relu_identity_and_apex_form(case):
    W, b, x = case
    tx = truncate(W, b, x)
    assert (relu(W @ x + b.reshape(-1, 1)) == W @ tx + b.reshape(-1, 1)).all()  # T1
    a = apex(W, b)
    assert (tx == a.reshape(-1, 1) + inverse(W) @ relu(W @ (x - a.reshape(-1, 1)))).all()  # T2


@SET
@given(setup(), st.data())
def test_T3_T4_identity_on_cone_collapse_of_opposite_cone(case, data):
    W, b, _ = case
    q = W.shape[0]
    u = arr(data.draw(st.lists(st.fractions(0, 3, max_denominator=6), min_size=q * 3,
                               max_size=q * 3)), (q, 3))
    a = apex(W, b).reshape(-1, 1)
    Wi = inverse(W)
    inside = a + Wi @ u
    assert (truncate(W, b, inside) == inside).all()      # T3: identity on a + K
    opposite = a - Wi @ u
    assert (truncate(W, b, opposite) == np.repeat(a, 3, axis=1)).all()  # T4: a − K ↦ a


@SET
@given(setup())
def test_T5_image_in_cone_and_faces_T6_idempotent(case):
    W, b, x = case
    a = apex(W, b).reshape(-1, 1)
    tx = truncate(W, b, x)
    pre = W @ (x - a)
    post = W @ (tx - a)
    assert (post >= 0).all()                               # T5: image in a + K
    assert (post[pre < 0] == 0).all()                      # ... on the face of the negatives
    assert (post[pre >= 0] == pre[pre >= 0]).all()
    assert (truncate(W, b, tx) == tx).all()                # T6: τ∘τ = τ


@SET
@given(setup(), st.data())
def test_T7_permutation_positive_diagonal_invariance(case, data):
    W, b, x = case
    q = W.shape[0]
    perm = data.draw(st.permutations(list(range(q))))
    d = data.draw(st.lists(pos, min_size=q, max_size=q))
    PD = np.zeros((q, q), dtype=object)
    PD[:] = Fraction(0)
    for i, p in enumerate(perm):
        PD[i, p] = d[p]
    assert (truncate(PD @ W, PD @ b, x) == truncate(W, b, x)).all()
    s = data.draw(pos)
    assert (truncate(s * W, s * b, x) == truncate(W, b, x)).all()


@SET
@given(st.integers(2, 3).flatmap(lambda q: st.tuples(
    st.lists(invertible(q), min_size=1, max_size=3),
    st.lists(rat, min_size=3 * q, max_size=3 * q))))
def test_cumulative_identity(case):
    layers, xs = case
    q = layers[0][0].shape[0]
    X = arr(xs, (q, 3))
    cum = cumulative_params(layers)
    states = hidden_states(layers, X)
    taus = tau_states(cum, X)
    for l, (Wc, bc) in enumerate(cum, 1):   # x^{(l)} = W^{(l)} τ^{(l)}(x) + b^{(l)}
        assert (states[l] == Wc @ taus[l] + bc.reshape(-1, 1)).all()
    back = layers_from_cumulative(cum)      # converse formulas recover the layers
    for (W, b), (W2, b2) in zip(layers, back):
        assert (W == W2).all() and (b == b2).all()


def test_float_truncation_matches_exact():
    W = np.array([[2.0, -1.0], [0.5, 1.0]])
    b = np.array([0.25, -1.0])
    x = np.array([[1.0, -3.0], [0.5, 2.0]])
    ex = truncate(np.array(W.tolist(), dtype=object) * Fraction(1),
                  np.array(b.tolist(), dtype=object) * Fraction(1),
                  np.array(x.tolist(), dtype=object) * Fraction(1))
    # float vs exact on the same binary inputs: agreement to a few ulps of O(1) values
    assert np.allclose(truncate(W, b, x), ex.astype(float), rtol=0, atol=1e-14)
