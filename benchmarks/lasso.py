"""Lasso on the two-spiral B1+ dictionary (relu, ℓ1, bias; 160 points, β = 1e-3).

    python benchmarks/lasso.py [--runs 5] [--slow-runs 3] [--budget 600] [--out FILE]

Objective ½‖Az + ξ𝟙 − y‖² + β‖z‖₁ with a free intercept ξ. Solvers: exactgeo
(solve_lasso, tol 1e-9 relative duality gap), cvxpy + Clarabel (defaults),
scikit-learn Lasso and skglm Lasso (both minimise (1/2n)‖·‖² + α‖w‖₁ with an intercept,
so α = β/n exactly gives the same minimiser). Every final point is scored with the SAME
function, exactgeo.lasso.duality_gap (intercept re-optimised, residual rescaled to a
dual-feasible point). Times are wall-clock, median over runs; numba kernels are compiled
before timing (a warm-up solve on a tiny problem). The exact certificate
(certify_lasso on the exact dictionary) is timed separately, including the exact →
float conversion of the dictionary.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from fractions import Fraction

import numpy as np

from exactgeo.lasso import certify_lasso, duality_gap, solve_lasso

BETA = Fraction(1, 1000)


def load():
    from exactgeo.data import dataset_path, read_csv
    from exactgeo.families import get_family
    fam = get_family("relu", reg="l1", bias=True)
    Xq, yq = read_csv(dataset_path("spiral"), exact=True)
    Xf, yf = read_csv(dataset_path("spiral"))
    Dq = fam.dictionary(Xq, exact=True)
    Df = fam.dictionary(Xf)
    return Dq.A, np.asarray(yq, dtype=object), Df.float_matrix(), np.asarray(yf, float)


def run_exactgeo(A, y, beta, budget):
    sol = solve_lasso(A, y, beta, tol=1e-9, max_seconds=budget)
    return sol.z, sol


def run_cvxpy(A, y, beta, budget):
    import cvxpy as cp
    z = cp.Variable(A.shape[1])
    xi = cp.Variable()
    prob = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(A @ z + xi - y) + beta * cp.norm1(z)))
    prob.solve(solver="CLARABEL")
    return np.asarray(z.value), None


def run_sklearn(A, y, beta, budget):
    import warnings
    from sklearn.linear_model import Lasso
    n = A.shape[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = Lasso(alpha=beta / n, fit_intercept=True, tol=1e-12, max_iter=5_000,
                  selection="cyclic").fit(A, y)
    return m.coef_, None


def run_skglm(A, y, beta, budget):
    import warnings
    from skglm import Lasso
    n = A.shape[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = Lasso(alpha=beta / n, fit_intercept=True, tol=1e-9, max_iter=20,
                  max_epochs=2_000).fit(A, y)
    return m.coef_, None


SOLVERS = [("exactgeo", run_exactgeo, True), ("cvxpy+Clarabel", run_cvxpy, False),
           ("scikit-learn Lasso", run_sklearn, False), ("skglm Lasso", run_skglm, False)]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs of fast solvers (median)")
    ap.add_argument("--slow-runs", type=int, default=3, help="runs of slow solvers")
    ap.add_argument("--budget", type=float, default=120.0, help="seconds per solver")
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--out", default=None, help="also write the markdown table here")
    args = ap.parse_args(argv)
    Aq, yq, A, y = load()
    beta = float(BETA)
    solve_lasso(np.eye(3), np.ones(3), 0.1)            # compile numba kernels
    solve_lasso(np.eye(3), np.ones(3), 0.1, method="cd")
    rows = []
    exact_sol = None
    for name, fn, fast in SOLVERS:
        if args.only and name not in args.only:
            continue
        times, out = [], None
        runs = args.runs if fast else args.slow_runs
        for _ in range(runs):
            t0 = time.perf_counter()
            z, sol = fn(A, y, beta, args.budget)
            times.append(time.perf_counter() - t0)
            out = (z, sol)
            if sum(times) > args.budget:
                break
        z, sol = out
        p, d, g, rg = duality_gap(A, y, beta, z, intercept=True)
        own = getattr(sol, "rel_gap", None)   # exactgeo: gap at its own feasible dual point
        if name == "exactgeo":
            exact_sol = (own, name, sol)
        nnz = int(np.sum(np.abs(z) > 0))
        rows.append((name, statistics.median(times), len(times), p, rg, own, nnz))
        print(f"{name}: {statistics.median(times):.3f} s ({len(times)} runs), "
              f"objective {p:.12g}, rel gap {rg:.2e}, nnz {nnz}", flush=True)
    cert_line = ""
    if exact_sol is not None:
        rg0, src, guess = exact_sol
        t0 = time.perf_counter()
        cert = certify_lasso(Aq, yq, BETA, guess, resolve=False)
        tc = time.perf_counter() - t0
        cert_line = (f"exact certificate (from the {src} solution, rel gap {rg0:.1e}): status {cert.status}, {tc:.2f} s, {cert.rounds} round(s), "
                     f"objective_exact ≈ {float(cert.objective_exact) if cert.objective_exact else float('nan'):.15g}, "
                     f"support {len(cert.support)}")
        print(cert_line, flush=True)
    table = ["| solver | median time (s) | runs | final objective | rel. gap, common residual-based "
             "dual | rel. gap, solver's own dual point | nonzeros |",
             "|---|---|---|---|---|---|---|"]
    for name, t, k, p, rg, own, nnz in rows:
        own_s = f"{own:.2e}" if own is not None else "—"
        table.append(f"| {name} | {t:.3f} | {k} | {p:.12g} | {rg:.2e} | {own_s} | {nnz} |")
    text = "\n".join(table) + ("\n\n" + cert_line if cert_line else "") + "\n"
    print(text)
    if args.out:
        with open(args.out, "w") as fh:
            fh.write(f"Command: `python benchmarks/lasso.py {' '.join(argv or sys.argv[1:])}`\n\n")
            fh.write(f"Problem: two-spiral B1+ dictionary (relu, ℓ1, bias), A {A.shape}, β = 1e-3, "
                     "intercept; gaps all from exactgeo.lasso.duality_gap.\n\n")
            fh.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
