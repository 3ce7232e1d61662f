"""The interior point's two forms of the Newton system (row n×n, column m×m via the thin
QR of A when n > m) solve the same Lasso: checked against the Lasso optimality
conditions directly (|A_kᵀr| ≤ β, = β·sign(z_k) on the support) and against an
independent route sharing no code with the solver (plain ISTA, proximal gradient)."""
import numpy as np
import pytest

from exactgeo.lasso.ipm import ipm_lasso


def _kkt_violation(A, y, beta, z):
    c = A.T @ (y - A @ z)
    supp = np.abs(z) > 1e-8 * max(1.0, np.abs(z).max())
    off = np.maximum(np.abs(c[~supp]) - beta, 0.0).max(initial=0.0)
    on = np.abs(c[supp] - beta * np.sign(z[supp])).max(initial=0.0)
    return max(off, on) / beta


def _ista(A, y, beta, iters=20000):
    L = np.linalg.norm(A, 2) ** 2
    z = np.zeros(A.shape[1])
    for _ in range(iters):
        g = z + A.T @ (y - A @ z) / L
        z = np.sign(g) * np.maximum(np.abs(g) - beta / L, 0.0)
    return z


def _obj(A, y, beta, z):
    r = y - A @ z
    return 0.5 * r @ r + beta * np.abs(z).sum()


@pytest.mark.parametrize("shape,coherent", [((300, 40), False), ((200, 60), True),
                                            ((40, 300), False)])
def test_ipm_meets_kkt_and_matches_ista(shape, coherent):
    n, m = shape
    rng = np.random.default_rng(7)
    if coherent:   # ReLU ramps at close breakpoints: nearly collinear columns
        x = np.sort(rng.uniform(-1, 1, n))
        A = np.maximum(x[:, None] - np.linspace(-1, 1, m)[None, :], 0.0)
        A -= A.mean(axis=0)
        y = np.sign(np.sin(4 * x))
        beta = 1e-2
    else:
        A = rng.standard_normal((n, m))
        y = rng.standard_normal(n)
        beta = 0.3 * np.abs(A.T @ y).max()
    A /= np.abs(A).max()
    z, lam, it = ipm_lasso(A, y, beta, tol=1e-12)
    # tolerance: the IPM stops at a 1e-12 duality gap; KKT residuals of such a point are
    # ~1e-5 relative to β for coherent columns (the off-support slacks are tiny)
    assert _kkt_violation(A, y, beta, z) < 1e-4
    zi = _ista(A, y, beta)
    # ISTA's own accuracy after 20 000 steps bounds the comparison
    assert _obj(A, y, beta, z) <= _obj(A, y, beta, zi) + 1e-8 * max(1.0, _obj(A, y, beta, zi))
    assert np.allclose(lam, y - A @ z, atol=1e-9)
