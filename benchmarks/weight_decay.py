"""Weight decay by cells (THEORY §2.8): certification rate, speed, and the peer
cvxpy + Clarabel on the *full* cell SOCP (every cell's two groups at once).

Parts (``--part``, default all):

- ``random``: 2-D general-position instances (n ≤ 30, relu/abs, bias and no bias,
  β ∈ [0.05, 1]): fraction ``certified-optimal``, each certified answer re-checked by
  routes that share nothing with the certifier (a numpy forward pass of the reported
  network's weights lands in the enclosure; a dense sampled pricing of its residual stays
  ≤ β(1 + 1e-8)); a wrong label counts as a failure. On the instances with n ≤ 12 the peer
  solves the full SOCP and its value is compared with the enclosure.
- ``spiral``: the bundled 160-point spiral, relu, ℓ2, bias, β = 1e-3: time, status, relative
  enclosure width; the peer on the same full SOCP (50 880 cells) in a subprocess with a
  time limit.
- ``d3``: d = 3, n = 30, with bias: time and status.
- ``g1``: THEORY G1, √2/10 − 1/200 inside the enclosure (decided over ℚ).

    python benchmarks/weight_decay.py [--part random|spiral|d3|g1] [--instances 40]
                                      [--peer-seconds 300] [--out FILE.json]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from fractions import Fraction as F

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))


def _checks(res, X, y, beta, model, bias):
    from _cells_checks import forward_objective, sampled_sup
    obj, r = forward_objective(res, X, y, beta)
    lo, hi = (float(v) for v in res.objective_enclosure)
    inside = lo - 1e-12 * (1 + abs(hi)) <= obj <= hi + 1e-12 * (1 + abs(hi))
    sup = sampled_sup(X, r, model, bias, angles=2000)
    return inside and sup <= beta * (1 + 1e-8), obj, sup


def peer_full_socp(X, y, beta, model, bias, table=None):
    """cvxpy + Clarabel on the full cell SOCP: every cell, both groups, the cone rows of
    the cell (2-D: its two bounding lines). Returns (objective, seconds)."""
    import cvxpy as cp

    from exactgeo.cells.solve import _cell_matrices
    from exactgeo.cells.table import CellTable
    t0 = time.perf_counter()
    tb = table or CellTable(X, model, bias)
    y = np.asarray(y, dtype=float)
    d = tb.d
    V = cp.Variable((len(tb), d))
    W = cp.Variable((len(tb), d))
    fit = 0
    cons = []
    Ms, Cs = zip(*[_cell_matrices(tb, c) for c in range(len(tb))])
    Mbig = np.hstack(Ms)                                    # (n, C·d)
    fit = Mbig @ cp.reshape(V - W, (len(tb) * d,), order="C")
    for c, C in enumerate(Cs):
        if len(C):
            cons += [C @ V[c] >= 0, C @ W[c] >= 0]
    xi = cp.Variable() if bias else 0
    obj = 0.5 * cp.sum_squares(fit + xi - y) + beta * (cp.sum(cp.norm(V, 2, axis=1))
                                                       + cp.sum(cp.norm(W, 2, axis=1)))
    prob = cp.Problem(cp.Minimize(obj), cons)
    prob.solve(solver=cp.CLARABEL)
    return float(prob.value), time.perf_counter() - t0


def part_random(instances, seed=0):
    from exactgeo import fit
    rng = np.random.default_rng(seed)
    rows, counts, wrong, peer = [], {}, 0, []
    for k in range(instances):
        n = int(rng.integers(5, 31))
        X = rng.standard_normal((n, 2)).round(4)
        y = rng.standard_normal(n).round(4)
        model = ("relu", "abs")[k % 2]
        bias = bool((k // 2) % 2)
        beta = float(rng.uniform(0.05, 1.0))
        t = time.perf_counter()
        res = fit(X, y, model=model, reg="l2", bias=bias, beta=beta, certify=True)
        sec = time.perf_counter() - t
        st = res.certificate.status
        counts[st] = counts.get(st, 0) + 1
        ok = None
        if st == "certified-optimal":
            ok, obj, sup = _checks(res, X, y, beta, model, bias)
            wrong += not ok
            if n <= 12:
                pv, ps = peer_full_socp(X, y, beta, model, bias)
                lo, hi = (float(v) for v in res.objective_enclosure)
                peer.append((pv - hi) / (1 + abs(hi)))
        rows.append((k, n, model, bias, beta, st, sec, ok))
    return {"instances": instances, "counts": counts, "wrong": wrong,
            "median_seconds": float(np.median([r[6] for r in rows])),
            "max_seconds": float(max(r[6] for r in rows)),
            "peer_rel_excess": [float(v) for v in peer], "rows": rows}


def part_spiral(peer_seconds):
    from exactgeo import fit, load
    X, y = load("spiral", exact=False)
    t = time.perf_counter()
    res = fit(X, y, model="relu", reg="l2", bias=True, beta=1e-3, certify=True,
              progress=True)
    sec = time.perf_counter() - t
    out = {"seconds": sec, "status": res.certificate.status, "objective": res.objective,
           "message": res.certificate.message, "neurons": res.nnz,
           "kinds": {}}
    for nj in res.to_json()["neurons"]:
        kd = nj["atom"]["kind"]
        out["kinds"][kd] = out["kinds"].get(kd, 0) + 1
    if res.objective_enclosure is not None:
        lo, hi = res.objective_enclosure
        out["rel_width"] = float((hi - lo) / abs(hi))
        ok, obj, sup = _checks(res, X, y, 1e-3, "relu", True)
        out["independent_checks"] = ok
    code = ("import sys, json; sys.path.insert(0, %r); from weight_decay import "
            "peer_full_socp; from exactgeo import load; X, y = load('spiral', exact=False); "
            "v, s = peer_full_socp(X, y, 1e-3, 'relu', True); print(json.dumps([v, s]))"
            % HERE)
    t = time.perf_counter()
    try:
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           timeout=peer_seconds)
        out["peer"] = json.loads(p.stdout.strip().splitlines()[-1]) if p.returncode == 0 \
            else f"failed: {p.stderr.strip().splitlines()[-1] if p.stderr else p.returncode}"
    except subprocess.TimeoutExpired:
        out["peer"] = f"did not finish in {peer_seconds} s"
    out["peer_wall"] = time.perf_counter() - t
    return out


def part_d3(seed=1):
    from exactgeo import fit
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((30, 3)).round(4)
    y = rng.standard_normal(30).round(4)
    t = time.perf_counter()
    res = fit(X, y, model="relu", reg="l2", bias=True, beta=0.5, certify=True, progress=True)
    return {"seconds": time.perf_counter() - t, "status": res.certificate.status,
            "message": res.certificate.message, "neurons": res.nnz}


def part_g1():
    from exactgeo import fit
    res = fit([[F(1), F(0)], [F(0), F(1)]], [F(1), F(1)], reg="l2", bias=False,
              beta=F(1, 10), certify=True)
    lo, hi = res.objective_enclosure
    a, b = (lo + F(1, 200)) * 10, (hi + F(1, 200)) * 10
    return {"status": res.certificate.status, "inside": bool(a * a <= 2 <= b * b),
            "width": float(hi - lo)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", default="all")
    ap.add_argument("--instances", type=int, default=40)
    ap.add_argument("--peer-seconds", type=float, default=300)
    ap.add_argument("--out", default=None)
    a = ap.parse_args(argv)
    parts = ["g1", "random", "d3", "spiral"] if a.part == "all" else [a.part]
    res = {"load": os.getloadavg()}
    for p in parts:
        t = time.perf_counter()
        res[p] = {"g1": part_g1, "random": lambda: part_random(a.instances),
                  "d3": part_d3, "spiral": lambda: part_spiral(a.peer_seconds)}[p]()
        print(p, json.dumps(res[p], default=str)[:2000], f"[{time.perf_counter() - t:.1f} s]",
              flush=True)
    res["load_after"] = os.getloadavg()
    if a.out:
        with open(a.out, "w") as fh:
            json.dump(res, fh, default=str, indent=1)
    return res


if __name__ == "__main__":
    main()
