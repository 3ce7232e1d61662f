"""The bundled datasets: CSV files beside this module, usable by name wherever a data path
is accepted (``exactgeo fit spiral``, ``exactgeo.load("clusters3")``).

:func:`bundled` lists them with their size, read from the files themselves (n rows,
d feature columns, the last column the target or class label) and a one-line description.

>>> [(s["name"], s["n"], s["d"]) for s in bundled()]
[('clusters2d', 36, 2), ('clusters3', 30, 3), ('spiral', 160, 2)]
"""
from __future__ import annotations

import json
from pathlib import Path

__all__ = ["bundled", "DESCRIPTIONS", "cli_datasets"]

FOLDER = Path(__file__).parent

DESCRIPTIONS = {
    "spiral": ("target", "two interleaved spirals in 2-D, labels ±1 (80 per class), "
               "coordinates with 3 decimals; made by make_spiral.py (the README's main job)"),
    "clusters2d": ("label", "Q = 3 clusters in 2-D (12 points each), class labels 0, 1, 2: "
                   "explicit deep minimizers (THEORY §4)"),
    "clusters3": ("label", "Q = 3 clusters in 3-D (10 points each), class labels 0, 1, 2: "
                  "exactgeo construct clusters3 --layers 3 (THEORY §4)"),
}


def bundled() -> list:
    """One dict per bundled CSV, sorted by name: ``name``, ``n`` (rows), ``d`` (feature
    columns), ``target`` ("target" or "label": what the last column is), ``description``
    and ``path``."""
    from ..data import read_csv
    out = []
    for path in sorted(FOLDER.glob("*.csv")):
        X, _ = read_csv(path, labels=True)
        kind, text = DESCRIPTIONS.get(path.stem, ("target", "(no description)"))
        out.append({"name": path.stem, "n": int(X.shape[0]), "d": int(X.shape[1]),
                    "target": kind, "description": text, "path": str(path)})
    return out


def cli_datasets(args) -> int:
    """``exactgeo datasets [--json]``: the bundled datasets, one line each."""
    rows = bundled()
    if args.json:
        print(json.dumps({"datasets": rows}))
        return 0
    width = max(len(r["name"]) for r in rows)
    print(f"{'name':<{width}}  {'n':>4}  {'d':>2}  description")
    for r in rows:
        print(f"{r['name']:<{width}}  {r['n']:>4}  {r['d']:>2}  {r['description']}")
    return 0
