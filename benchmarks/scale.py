"""Scale benchmark (issue 11): certified two-layer fits on large 2-D data through the
implicit (streamed) route, beside cvxpy + Clarabel on the explicit dictionary.

Workload: two-spiral-like data in 2-D, 3 decimals (exact), relu, ℓ1 with axes, bias
(B1+, the exact dictionary), β = 1/1000. For N = 250, 500, 1000, 2000:

* exactgeo: ``fit(..., exact=True, certify=True)`` in a fresh process — seconds and
  peak RSS to ``certified-optimal`` (the route it picked by itself is recorded);
* cvxpy + Clarabel on the explicit float dictionary, N ascending, each in a fresh
  process with a wall-clock cap (``--clarabel-budget``, default 600 s): the largest N
  solved within the cap (building the dictionary included);
* pricing throughput: one streamed pricing pass vs the plain streaming pass over the
  same candidates (hyperplanes built the same way, features summed — the floor);
* dask: one pricing pass with 2 local workers vs serial.

Writes ``scale.json`` (every number), a markdown table and ``scale.png`` (time and peak
memory vs N) to --out-dir.

    python benchmarks/scale.py --out-dir benchmarks/results
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def spiral(N, seed=0, d=2):
    """Two interleaved spirals (±1 labels), N points, rounded to 3 decimals; d > 2 adds
    small noise coordinates."""
    rng = np.random.default_rng(seed)
    m = N // 2
    t = np.linspace(0.25, 3 * np.pi, m)
    a = np.c_[t * np.cos(t), t * np.sin(t)] / (3 * np.pi)
    X = np.r_[a, -a] + 0.01 * rng.standard_normal((2 * m, 2))
    if d > 2:
        X = np.c_[X, 0.3 * rng.standard_normal((2 * m, d - 2))]
    return np.round(X, 3), np.r_[np.ones(m), -np.ones(m)]


def _exact(X):
    from fractions import Fraction
    return np.array([[Fraction(f"{v:.3f}") for v in row] for row in X], dtype=object)


def one_exactgeo(N, d):
    from exactgeo.pipeline import fit
    X, y = spiral(N, d=d)
    t = time.perf_counter()
    res = fit(_exact(X), y.astype(int), model="relu", reg="l1", bias=True, beta="1/1000",
              certify=True, progress=False)
    sec = time.perf_counter() - t
    cg = res.colgen or {}
    return {"N": N, "d": d, "seconds": sec, "status": res.certificate.status,
            "nnz": res.nnz, "route": (res.route or {}).get("description"),
            "rounds": cg.get("rounds"), "timings": res.timings,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def one_clarabel(N):
    import cvxpy as cp
    from exactgeo.families import get_family
    from exactgeo.lasso import duality_gap
    X, y = spiral(N)
    t = time.perf_counter()
    A = get_family("relu", reg="l1", bias=True).dictionary(X).float_matrix()
    z, xi = cp.Variable(A.shape[1]), cp.Variable()
    obj = 0.5 * cp.sum_squares(A @ z + xi - y) + 1e-3 * cp.norm1(z)
    prob = cp.Problem(cp.Minimize(obj))
    prob.solve(solver="CLARABEL")
    sec = time.perf_counter() - t
    gap = duality_gap(A, y, 1e-3, z.value, float(xi.value), intercept=True)[3]
    return {"N": N, "seconds": sec, "objective": float(prob.value), "columns": A.shape[1],
            "rel_gap": float(gap),
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def throughput(N, reps=3):
    """Seconds of one streamed pricing pass and of the plain pass over the same blocks."""
    from exactgeo.families import get_family
    from exactgeo.families.streamed import feature_sums, rank_blocks
    from exactgeo.sources import ImplicitSource
    X, y = spiral(N)
    src = ImplicitSource(get_family("relu", reg="l1", bias=True), X)
    r = y - y.mean()
    src.price(r, k=2 * N)

    def plain():
        tot = 0.0
        for _, C in rank_blocks(src.N, src.k, 0, src.candidates, src.block_size):
            B = src.family.subset_block(src.X, C, prep=src._prep)
            tot += float(feature_sums(src.P, np.ascontiguousarray(B.W)).sum())
        return tot
    plain()
    tp, tf = [], []
    for _ in range(reps):
        t = time.perf_counter(); src.price(r, k=2 * N); tp.append(time.perf_counter() - t)
        t = time.perf_counter(); plain(); tf.append(time.perf_counter() - t)
    return {"N": N, "columns": src.size, "pricing_s": float(np.median(tp)),
            "plain_s": float(np.median(tf)),
            "pricing_cols_per_s": src.size / float(np.median(tp)),
            "plain_cols_per_s": src.size / float(np.median(tf))}


def dask_vs_serial(N, reps=3):
    from exactgeo.distributed import client_for
    from exactgeo.families import get_family
    from exactgeo.sources import ImplicitSource
    X, y = spiral(N)
    src = ImplicitSource(get_family("relu", reg="l1", bias=True), X)
    r = y - y.mean()
    ser = src.price(r, k=2 * N)
    ts, td = [], []
    with client_for(None, 2) as client:
        dist = src.price(r, k=2 * N, client=client)
        same = dist.idx.tolist() == ser.idx.tolist() and dist.sup == ser.sup
        for _ in range(reps):
            t = time.perf_counter(); src.price(r, k=2 * N); ts.append(time.perf_counter() - t)
            t = time.perf_counter(); src.price(r, k=2 * N, client=client)
            td.append(time.perf_counter() - t)
    return {"N": N, "serial_s": float(np.median(ts)), "dask2_s": float(np.median(td)),
            "identical": bool(same)}


def _child(args, timeout):
    cmd = [sys.executable, os.path.abspath(__file__)] + args
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["?"])[-1][:300]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="250,500,1000,2000")
    ap.add_argument("--clarabel-budget", type=float, default=600.0)
    ap.add_argument("--exactgeo-budget", type=float, default=1200.0)
    ap.add_argument("--d3", type=int, default=0, help="also d = 3 with this N (0: skip)")
    ap.add_argument("--out-dir", default=os.path.join(HERE, "results"))
    ap.add_argument("--exactgeo-only", action="store_true",
                    help="run only exactgeo at --sizes; keep every other row and the peer, "
                         "throughput and dask results of the existing scale.json")
    ap.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--d", type=int, default=2, help=argparse.SUPPRESS)
    ap.add_argument("--what", default="exactgeo", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one is not None:
        f = {"exactgeo": lambda: one_exactgeo(a.one, a.d), "clarabel": lambda: one_clarabel(a.one),
             "throughput": lambda: throughput(a.one), "dask": lambda: dask_vs_serial(a.one)}
        print(json.dumps(f[a.what]()))
        return
    sizes = [int(s) for s in a.sizes.split(",")]
    load = os.getloadavg()
    rows, cl = [], []
    for N in sizes:
        rows.append(_child(["--one", str(N)], a.exactgeo_budget) | {"N": N})
        print("exactgeo", rows[-1], flush=True)
    if a.exactgeo_only:
        # the exactgeo side again: rows, the pricing throughput and (with --d3) d = 3
        _merge_previous(a, rows, load, _throughput(sizes), _d3(a))
        return
    for N in sizes:                      # ascending; stop at the first miss
        c = _child(["--one", str(N), "--what", "clarabel"], a.clarabel_budget) | {"N": N}
        cl.append(c)
        print("clarabel", c, flush=True)
        if "seconds" not in c:
            break
    thr = _throughput(sizes)
    dk = _child(["--one", str(max(sizes) // 2), "--what", "dask"], 1200)
    print("dask", dk, flush=True)
    d3 = _d3(a)
    os.makedirs(a.out_dir, exist_ok=True)
    _plot(rows, cl, os.path.join(a.out_dir, "scale.png"))
    with open(os.path.join(a.out_dir, "scale.json"), "w") as fh:
        json.dump({"argv": sys.argv[1:], "load": load, "exactgeo": rows, "clarabel": cl,
                   "throughput": thr, "dask": dk, "d3": d3}, fh, indent=1, default=str)
    md = _markdown(rows, cl, thr, dk, d3, load, sys.argv[1:])
    with open(os.path.join(a.out_dir, "scale.md"), "w") as fh:
        fh.write(md)
    print(md)


def _throughput(sizes):
    thr = _child(["--one", str(max(sizes)), "--what", "throughput"], 1200)
    print("throughput", thr, flush=True)
    return thr


def _d3(a):
    """The d = 3 row (N = --d3), or None without --d3."""
    if not a.d3:
        return None
    d3 = _child(["--one", str(a.d3), "--d", "3"], a.exactgeo_budget) | {"N": a.d3}
    print("d3", d3, flush=True)
    return d3


def _merge_previous(a, rows, load, thr, d3):
    """--exactgeo-only: the new exactgeo rows replace those of the same N in the existing
    scale.json, with the new pricing throughput and (when measured) d = 3; the peers and
    the dask results stay as measured before; the plot and the table are written again
    from the merged numbers."""
    path = os.path.join(a.out_dir, "scale.json")
    with open(path) as fh:
        old = json.load(fh)
    new = {r["N"]: r for r in rows}
    merged = [new.pop(r["N"], r) for r in old["exactgeo"]] + list(new.values())
    old.setdefault("reruns", []).append({"argv": sys.argv[1:], "load": load,
                                         "sizes": [r["N"] for r in rows]})
    old["exactgeo"] = merged
    old["throughput"] = thr
    if d3 is not None:
        old["d3"] = d3
    with open(path, "w") as fh:
        json.dump(old, fh, indent=1, default=str)
    _plot(merged, old["clarabel"], os.path.join(a.out_dir, "scale.png"))
    with open(os.path.join(a.out_dir, "scale.md"), "w") as fh:
        fh.write(_markdown(merged, old["clarabel"], old["throughput"], old["dask"],
                           old.get("d3"), old["load"], old["argv"], old["reruns"]))
    print(f"merged exactgeo rows for N = {a.sizes} into {path} (load {load[0]:.2f})")


def _plot(rows, cl, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(1, 2, figsize=(9, 3.5))
    ok = [r for r in rows if "seconds" in r]
    ax[0].plot([r["N"] for r in ok], [r["seconds"] for r in ok], "o-",
               label="exactgeo (certified-optimal)")
    okc = [c for c in cl if "seconds" in c]
    ax[0].plot([c["N"] for c in okc], [c["seconds"] for c in okc], "s--",
               label="cvxpy + Clarabel (explicit, float)")
    ax[0].set_xlabel("N"); ax[0].set_ylabel("seconds"); ax[0].set_yscale("log")
    ax[0].legend(fontsize=8)
    ax[1].plot([r["N"] for r in ok], [r["peak_rss_mib"] for r in ok], "o-", label="exactgeo")
    ax[1].plot([c["N"] for c in okc], [c["peak_rss_mib"] for c in okc], "s--",
               label="cvxpy + Clarabel")
    ax[1].set_xlabel("N"); ax[1].set_ylabel("peak RSS (MiB)"); ax[1].legend(fontsize=8)
    fig.suptitle("2-D spiral, relu, l1 + axes, bias, beta = 1/1000")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def _markdown(rows, cl, thr, dk, d3, load, argv, reruns=()):
    d3_n = (d3 or {}).get("N") or (argv[argv.index("--d3") + 1] if "--d3" in argv else "?")
    L = [f"Command: `python benchmarks/scale.py {' '.join(argv)}`", "",
         f"Load average at start: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} "
         f"(2 cores, shared)."]
    claimed: set = set()
    latest = []                     # each N's row comes from the last run that measured it
    for rr in reversed(list(reruns)):
        sizes = [N for N in rr["sizes"] if N not in claimed]
        claimed.update(sizes)
        if sizes:
            latest.insert(0, dict(rr, sizes=sizes))
    for rr in latest:
        L += ["", f"exactgeo rows for N = {', '.join(map(str, rr['sizes']))} re-run by "
              f"`python benchmarks/scale.py {' '.join(rr['argv'])}` (load "
              f"{rr['load'][0]:.2f}), with the pricing throughput (and d = 3 when "
              "given); the peer and dask results stay as measured by the command above."]
    L += ["",
         "| N | exactgeo seconds | status | peak RSS (MiB) | route | rounds | nnz | "
         "cvxpy+Clarabel seconds | Clarabel peak RSS (MiB) |", "|---|---|---|---|---|---|---|---|---|"]
    cmap = {c["N"]: c for c in cl}
    for r in rows:
        c = cmap.get(r["N"], {})
        cs = (f"{c['seconds']:.1f}" if "seconds" in c else
              (f"> {c['timeout']:g} (cap)" if "timeout" in c else (c.get("error") or "not run")))
        status = r.get("status") or (f"not certified within {r['timeout']:g} s (cap)"
                                     if "timeout" in r else r.get("error"))
        L.append(f"| {r['N']} | {r.get('seconds', float('nan')):.1f} | {status} | "
                 f"{r.get('peak_rss_mib', float('nan')):.0f} | {r.get('route')} | "
                 f"{r.get('rounds')} | {r.get('nnz')} | {cs} | "
                 f"{c.get('peak_rss_mib', float('nan')):.0f} |")
    if thr and "pricing_s" in thr:
        L += ["", f"Pricing throughput (N = {thr['N']}, {thr['columns']} columns, median of 3): "
              f"streamed pricing {thr['pricing_cols_per_s']:.3g} columns/s "
              f"({thr['pricing_s']:.2f} s), plain streaming pass {thr['plain_cols_per_s']:.3g} "
              f"columns/s ({thr['plain_s']:.2f} s): ratio "
              f"{thr['pricing_s'] / thr['plain_s']:.2f}."]
    if dk and "serial_s" in dk:
        L += ["", f"dask (N = {dk['N']}, one pricing pass, median of 3): serial "
              f"{dk['serial_s']:.2f} s, 2 local workers {dk['dask2_s']:.2f} s; identical "
              f"answer: {dk['identical']}."]
    if d3 is not None:
        d3s = d3.get("status") or (f"not certified within {d3['timeout']:g} s (cap)"
                                   if "timeout" in d3 else d3.get("error"))
        L += ["", f"d = 3, N = {d3_n}: {d3s}"
              + (f", {d3['seconds']:.1f} s, peak RSS {d3['peak_rss_mib']:.0f} MiB"
                 if "seconds" in d3 else "") + "."]
    L += ["", "![time and memory vs N](scale.png)", ""]
    return "\n".join(L)


if __name__ == "__main__":
    main()
