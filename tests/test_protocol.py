"""The family protocol is complete: a new architecture defined entirely here — a 1-D
"ramp spline" family, built from scratch — registers and runs fit → exact KKT → network
certificate → reconstruction → JSON through the public API, with no library change.

Ramps relu(s(x − t)) with s = ±1 and knots t at the data: in 1-D with biases and the ℓ1
inner penalty this is the relu family's neuron set, written independently, so its exact
optimum must equal the built-in family's on the same data (a second route)."""
from fractions import Fraction as F

import numpy as np
import pytest

import exactgeo
from exactgeo.families import Atom, Dictionary, Family, Pricing, register
from exactgeo.nets import TwoLayerNet


class RampSpline(Family):
    """relu(s(x − t)), s = ±1, knots t at the samples; |w| = 1 so the penalty is β|z|."""
    activation, depth, reg, bias = "ramp", 2, "l1", True

    def _atoms(self, X):
        knots = sorted({x[0] for x in X})
        return [Atom(np.array([s], dtype=object), -s * t) for t in knots for s in (1, -1)]

    def features(self, X, atoms):
        exact = np.asarray(X).dtype == object
        zero = F(0) if exact else 0.0
        x = np.asarray(X)[:, 0]
        cols = [[max(a.u[0] * xi + a.c, zero) if exact else
                 max(float(a.u[0]) * float(xi) + float(a.c), 0.0) for xi in x] for a in atoms]
        return np.array(cols, dtype=object if exact else float).T.reshape(len(x), len(atoms))

    def dictionary(self, X, *, exact=False, max_bytes=2 ** 31):
        atoms = self._atoms(np.asarray(X, dtype=object))
        A = self.features(X, atoms)
        return Dictionary(A, atoms, exact=exact)

    def estimate_bytes(self, n, d, exact=False):
        return 16 * n * n

    def exact_atom(self, X, atom):
        return atom

    def oracle_kind(self, d):
        return "exact"

    def price(self, X, r, *, samples=2000, seed=0):
        # with 𝟙ᵀr = 0 the correlation is piecewise linear and bounded in t: the maximum
        # is at a knot (the vertex principle), so the finite dictionary is exact
        atoms = self._atoms(np.asarray(X, dtype=object))
        corr = self.features(X, atoms).T @ np.asarray(r)
        k = int(np.argmax([abs(float(v)) for v in corr]))
        exact = np.asarray(r).dtype == object
        return Pricing(abs(float(corr[k])), atoms[k], 1 if corr[k] >= 0 else -1, "exact",
                       sup_exact=abs(corr[k]) if exact else None)

    def network(self, atoms, z, xi, *, n_features):
        U = np.array([[a.u[0]] for a in atoms], dtype=object).reshape(len(atoms), 1)
        c = np.array([a.c for a in atoms], dtype=object)
        return TwoLayerNet.from_units(U, c, np.asarray(z), xi=xi, activation="relu",
                                      reg="l1")

    def neuron_json(self, atom, net, j):
        W, b = net.layers[0]
        return {"knot": str(-atom.c * atom.u[0]), "side": int(atom.u[0]),
                "layers": [{"w": [float(W[j, 0])], "b": float(b[j])}]}


register("ramp", 2, "l1", True, RampSpline, replace=True)

X = np.array([[F(v)] for v in (0, 1, 3, 4, 6)], dtype=object)
Y = np.array([F(v) for v in (0, 2, 1, 3, 0)], dtype=object)


@pytest.mark.parametrize("beta", [F(1, 10), F(1, 2)])
def test_new_family_runs_the_whole_pipeline(beta):
    res = exactgeo.fit(X, Y, model="ramp", reg="l1", bias=True, beta=beta, certify=True)
    assert res.family == "ramp-d2-l1-bias"
    assert res.lasso_status == "exact" and res.certificate.status == "certified-optimal"
    assert res.reconstruction_exact is True        # network objective == Lasso objective
    # the second route: the built-in relu family on the same data, same exact optimum
    ref = exactgeo.fit(X, Y, model="relu", reg="l1", bias=True, beta=beta, certify=True)
    assert res.objective_exact == ref.objective_exact
    # an independent forward pass of the JSON network gives the reported objective
    js = res.to_json()
    xs = np.array([float(v[0]) for v in X])
    f = np.full(len(xs), js["intercept"])
    pen = 0.0
    for nj in js["neurons"]:
        (w,), b = nj["layers"][0]["w"], nj["layers"][0]["b"]
        alpha = np.sign(nj["coef"]) * abs(w)       # balanced: |α| = |w| (|u| = 1)
        f += alpha * np.maximum(w * xs + b, 0.0)
        pen += w * w + alpha * alpha
        assert nj["side"] in (1, -1) and F(nj["knot"]) in {v[0] for v in X}
    obj = 0.5 * float(((f - Y.astype(float)) ** 2).sum()) + 0.5 * float(beta) * pen
    assert obj == pytest.approx(float(res.objective_exact), rel=1e-12)   # float64 rounding


def test_new_family_min_norm_and_unknown_keys():
    res = exactgeo.fit(X, Y, model="ramp", reg="l1", bias=True, min_norm=True, certify=True)
    ref = exactgeo.fit(X, Y, model="relu", reg="l1", bias=True, min_norm=True, certify=True)
    assert res.objective_exact == ref.objective_exact
    assert res.certificate.status == "certified-optimal"
    assert list(res.net.forward(X)) == list(Y)
    with pytest.raises(ValueError, match="bias"):
        exactgeo.fit(X, Y, model="ramp", reg="l1", bias=False, beta=F(1))
