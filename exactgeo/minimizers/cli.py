"""``exactgeo construct DATA --layers L [--method kappa|lp] [--exact] [--json]``
(DESIGN "The command line").

DATA is a CSV path or a bundled dataset name (e.g. ``clusters3``): feature columns, then a
label column (numbers, or text such as ``cat``; classes in sorted order). ``--method lp``
uses exact step-wise separability instead of the κ < 1/2 condition. Prints the weights,
the cost, κ and the condition status, or the JSON contract with ``--json``.
"""
from __future__ import annotations


import numpy as np

from ..data import load
from ..numbers import fraction_str
from .clusters import label_str
from .construct import construct_minimizer

__all__ = ["cli_construct"]


def _fmt_matrix(W, exact):
    W = np.atleast_2d(W)
    cells = [[fraction_str(x) if exact else f"{float(x):.6g}" for x in row] for row in W]
    width = max(len(c) for row in cells for c in row)
    return "\n".join("    [" + "  ".join(c.rjust(width) for c in row) + "]" for row in cells)


def cli_construct(args) -> int:
    """Run the ``construct`` subcommand; returns the exit status."""
    X, labels = load(args.data, exact=bool(args.exact), labels=True)
    res = construct_minimizer(X, labels, layers=args.layers, exact=bool(args.exact),
                              method=getattr(args, "method", "kappa"))
    if args.json:
        print(res.to_json())
        return 0
    ex = res.exact
    classes = ", ".join(label_str(c) for c in res.classes)
    print(f"classes: {classes}  (Q = {len(res.classes)}, N = {res.data.N}, "
          f"M = {res.data.M}, L = {len(res.layers)})")
    print(f"kappa: {res.kappa:.6g}" + (f"  (input space: {res.kappa_input:.6g}; data projected "
                                       "onto the affine hull of the class means)"
                                       if res.kappa_input is not None else ""))
    print(f"condition: {res.status}")
    print("cond(W^(l)): " + ", ".join(f"{c:.4g}" for c in res.condition))
    for i, (W, b) in enumerate(res.layers, 1):
        print(f"layer {i}: W =\n{_fmt_matrix(W, ex)}\n  b =\n{_fmt_matrix(b, ex)}")
    W, b = res.output
    print(f"output: W =\n{_fmt_matrix(W, ex)}\n  b =\n{_fmt_matrix(b, ex)}")
    if ex:
        print(f"cost: {fraction_str(res.cost_exact)} (exact forward pass over all samples)")
    else:
        print(f"cost: {res.cost:.3e}")
    return 0
