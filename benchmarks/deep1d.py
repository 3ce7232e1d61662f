"""Deep 1-D chains (THEORY §3.3, §3.4): dictionary, float Lasso (exactgeo vs cvxpy+Clarabel on
the same dictionary), and the exact route (KKT over ℚ + the §3.2 vertex certificate), timed
separately, in one run. Targets: depth-4 relu N = 20 ≤ 30 s, depth-3 abs N = 50 ≤ 30 s,
depth-4 abs N = 20 ≤ 60 s (the whole exact certified fit).

    OPENBLAS_NUM_THREADS=1 python benchmarks/deep1d.py [--reps 3]

Data: N distinct integers x in [0, 10N) and targets y in {-5..5} from numpy's
default_rng(seed = N + depth), β = 1/2 (exact). Float solves are medians over ``--reps`` runs.
"""
import argparse
import time
from fractions import Fraction

import numpy as np

import exactgeo
from exactgeo.families import get_family
from exactgeo.lasso.solver import solve

from _timing import timed

CASES = [("relu", 4, 20, 30.0, {}), ("relu", 4, 20, 30.0, {"vertices": True}),
         ("abs", 3, 50, 30.0, {}), ("abs", 4, 20, 60.0, {})]
BETA = Fraction(1, 2)


def data(n, depth):
    rng = np.random.default_rng(n + depth)
    x = np.sort(rng.choice(10 * n, n, replace=False))
    y = rng.integers(-5, 6, n)
    return x, y


def clarabel(A, y, beta):
    import cvxpy as cp
    z, xi = cp.Variable(A.shape[1]), cp.Variable()
    prob = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(A @ z + xi - y) + beta * cp.norm1(z)))
    prob.solve(solver=cp.CLARABEL)
    return prob.value


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    print("| case | columns (raw) | float dict s | exactgeo float Lasso s | cvxpy+Clarabel s "
          "| ratio | objective exactgeo / Clarabel | exact fit s (dict / KKT / certificate) "
          "| status | target |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for model, L, n, target, opts in CASES:
        x, y = data(n, L)
        fam = get_family(model, depth=L, **opts)
        Xf = x.astype(float)[:, None]
        yf = y.astype(float)
        t = time.perf_counter()
        D = fam.dictionary(Xf)
        t_dict = time.perf_counter() - t
        A = D.float_matrix()
        t_eg, sol = timed(lambda: solve(A, yf, float(BETA), intercept=True), args.reps)
        t_cl, val_cl = timed(lambda: clarabel(A, yf, float(BETA)), args.reps)
        X = [[Fraction(int(v))] for v in x]
        Y = [Fraction(int(v)) for v in y]
        t = time.perf_counter()
        res = exactgeo.fit(X, Y, model=model, depth=L, beta=BETA, certify=True,
                           family_options=opts)
        t_exact = time.perf_counter() - t
        tm = res.timings
        print(f"| {model} depth {L}, N = {n}, {fam.dictionary_name} | {D.shape[1]} ({fam.estimate_columns(n)}) | "
              f"{t_dict:.2f} | {t_eg:.3f} | {t_cl:.3f} | {t_cl / t_eg:.1f}x | "
              f"{sol.objective:.10g} / {val_cl:.10g} | {t_exact:.1f} ({tm['dictionary']:.1f} / "
              f"{tm['exact_kkt']:.1f} / {tm['certificate']:.1f}) | "
              f"{res.certificate.status} (KKT {res.lasso_status}) | ≤ {target:.0f} s: "
              f"{'met' if t_exact <= target else 'MISSED'} |", flush=True)


if __name__ == "__main__":
    main()
