"""Deep absolute-value networks in d-D (THEORY §3.5, §3.7): the cells certificate and the
sampled certificate.

Target 1: 2-D, n = 20, depth-3 abs, certified by cells (the exact oracle
``exactgeo.cells.deep``) in ≤ 60 s: the whole ``exactgeo.fit`` (exact data, β = 1/10,
column generation from the data-spanned reflected dictionary, ℓ1 and ℓ2), timed end to end.
Data: X = default_rng(0).integers(-8, 9, (20, 2))/4, y = |x_1| − |x_2| rounded to 1/4.

Target 2: depth-2 abs, n = 200 points in 3-D, sampled certificate with M = 10⁴ directions
≤ 30 s (one pricing call of the family's oracle, ``TwoLayerFamily("abs", "l2").price``).
Side by side in the same run: a plain numpy peer (the same M directions, every anchor,
no refinement: a dense random dictionary) and the deep families' sampled oracle
(``AbsChainsDD.price`` falls back to it at this size) at depth 3 and 4.

    OPENBLAS_NUM_THREADS=1 python benchmarks/abs_dd.py [--n 200] [--samples 10000] [--reps 1]
        [--skip-cells]

Data: X ~ default_rng(0).standard_normal((n, 3)), y = sign(x_1 x_2) + x_3 / 2, residual
r = y − mean(y) (the residual the oracle sees at large β). Times are medians over ``--reps``.
"""
import argparse

import numpy as np

import exactgeo
from exactgeo.families import AbsChainsDD, TwoLayerFamily

from _timing import timed


def numpy_peer(X, r, M, seed=0, block=64):
    """max over M random unit directions u and all anchors j of |rᵀ|X u − x_jᵀu||."""
    rng = np.random.default_rng(seed)
    U = rng.standard_normal((M, X.shape[1]))
    U /= np.linalg.norm(U, axis=1)[:, None]
    best = 0.0
    for s in range(0, M, block):
        P = X @ U[s:s + block].T                              # (n, b)
        V = np.abs(np.einsum("i,ijb->jb", r, np.abs(P[:, None, :] - P[None, :, :])))
        best = max(best, float(V.max()))
    return best


def cells_case(reps):
    """Target 1: the certified depth-3 fit by cells, ℓ1 and ℓ2, end to end."""
    from fractions import Fraction as F
    rng = np.random.default_rng(0)
    X = [[F(int(v), 4) for v in row] for row in rng.integers(-8, 9, (20, 2))]
    y = [F(round(4 * (abs(float(a)) - abs(float(b)))), 4) for a, b in X]
    print("2-D, n = 20, depth-3 abs, β = 1/10, exact data, column generation")
    print("| penalty | status | objective | seconds | target ≤ 60 s |")
    print("|---|---|---|---|---|")
    for reg in ("l1", "l2"):
        t, res = timed(lambda: exactgeo.fit(X, y, model="abs", depth=3, reg=reg,
                                            beta=F(1, 10), exact=True, certify=True,
                                            colgen=True), reps)
        ok = "met" if t <= 60 and res.certificate.status == "certified-optimal" else "MISSED"
        print(f"| {reg} | {res.certificate.status} | {res.objective:.12g} | {t:.2f} | {ok} |",
              flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--samples", type=int, default=10_000)
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--skip-cells", action="store_true")
    args = ap.parse_args()
    if not args.skip_cells:
        cells_case(args.reps)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((args.n, 3))
    y = np.sign(X[:, 0] * X[:, 1]) + X[:, 2] / 2
    r = y - y.mean()
    M = args.samples
    print(f"n = {args.n}, d = 3, M = {M} sampled directions, reps = {args.reps}")
    print("| oracle | S(r) found (lower bound) | seconds | target |")
    print("|---|---|---|---|")
    fam = TwoLayerFamily("abs", "l2", bias=True)
    t, pr = timed(lambda: fam.price(X, r, samples=M, seed=0), args.reps)
    print(f"| depth-2 abs l2, exactgeo sampled + refinement | {pr.sup:.6g} | {t:.2f} | "
          f"≤ 30 s: {'met' if t <= 30 else 'MISSED'} |", flush=True)
    t, v = timed(lambda: numpy_peer(X, r, M), args.reps)
    print(f"| depth-2 abs l2, numpy peer (dense, no refinement) | {v:.6g} | {t:.2f} | — |",
          flush=True)
    for depth in (3, 4):
        deep = AbsChainsDD(depth, "l2", bias=True, max_cells=1)     # force the sampled oracle
        t, pr = timed(lambda: deep.price(X, r, samples=M, seed=0), args.reps)
        print(f"| depth-{depth} abs l2, AbsChainsDD sampled oracle | {pr.sup:.6g} | {t:.2f} "
              f"| — |", flush=True)


if __name__ == "__main__":
    main()
