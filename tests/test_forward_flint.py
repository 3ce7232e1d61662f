"""The exact forward pass in flint matrices (``Network._run_flint``) against the
Fraction-by-Fraction pass (``Network._run_rational``): equal values over ℚ, for relu and
abs nets of depth 1–3, with a scalar or a matrix output layer."""
from fractions import Fraction as F

import numpy as np
import pytest

from exactgeo.nets.network import Network


def _q(rng, shape):
    size = int(np.prod(shape))
    num, den = rng.integers(-9, 10, size), rng.integers(1, 8, size)
    return np.array([F(int(a), int(b)) for a, b in zip(num, den)], dtype=object).reshape(shape)


@pytest.mark.parametrize("act", ["relu", "abs"])
@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("matrix_output", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_flint_forward_equals_fraction_forward(act, depth, matrix_output, seed):
    rng = np.random.default_rng(seed)
    dims = [3] + [int(v) for v in rng.integers(1, 6, depth)]
    layers = [(_q(rng, (dims[i + 1], dims[i])), _q(rng, (dims[i + 1],))) for i in range(depth)]
    X = _q(rng, (9, 3))
    output = (_q(rng, (2, dims[-1])), _q(rng, (2,))) if matrix_output else None
    net = Network(layers, None if matrix_output else _q(rng, (dims[-1],)), F(1, 3),
                  activation=act, output=output)
    fast = net.forward(X)
    slow = net._run_rational(X, *net.exact_layers(), keep=False).out
    assert fast.dtype == object and all(type(v) is F for v in fast.flat)
    assert fast.shape == slow.shape and np.array_equal(fast, slow)
