"""Deterministic generator of the bundled two-spiral dataset ``spiral.csv``.

160 points in 2-D on two interleaved spirals (80 per class, labels +1 and -1),
with a small seeded jitter, coordinates rounded to 3 decimals (exact decimals, so
``read_csv(..., exact=True)`` gives short rationals). Run as a script to rewrite
the CSV next to this file::

    python exactgeo/datasets/make_spiral.py

>>> X, y = two_spirals()
>>> X.shape, sorted(set(y.tolist()))
((160, 2), [-1, 1])
"""
from __future__ import annotations

from pathlib import Path

import numpy as np


def two_spirals(n_per_class: int = 80, turns: float = 1.5, noise: float = 0.01,
                seed: int = 0):
    """Return ``(X (2n, 2) float rounded to 3 decimals, y (2n,) int ±1)``.

    Class +1 lies on r = t, θ = 2π·turns·t (t from 0.1 to 1); class -1 is its
    point reflection -x. Rows are interleaved (+1, -1, +1, ...). Duplicate rows
    after rounding are rejected (cannot happen for the defaults).
    """
    rng = np.random.default_rng(seed)
    t = np.linspace(0.1, 1.0, n_per_class)
    theta = 2 * np.pi * turns * t
    P = np.stack([t * np.cos(theta), t * np.sin(theta)], axis=1)
    Pp = P + noise * rng.standard_normal(P.shape)
    Pm = -P + noise * rng.standard_normal(P.shape)
    X = np.empty((2 * n_per_class, 2))
    X[0::2], X[1::2] = Pp, Pm
    X = np.round(X, 3)
    y = np.tile([1, -1], n_per_class)
    if len({tuple(r) for r in X.tolist()}) != len(X):
        raise ValueError("two_spirals: duplicate points after rounding; change seed or noise")
    return X, y


def write_csv(path) -> None:
    """Write the dataset with a header ``x1,x2,y`` and plain decimals."""
    X, y = two_spirals()
    lines = ["x1,x2,y"]
    for (a, b), lab in zip(X.tolist(), y.tolist()):
        lines.append(f"{_dec(a)},{_dec(b)},{lab}")
    Path(path).write_text("\n".join(lines) + "\n")


def _dec(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


if __name__ == "__main__":  # pragma: no cover
    write_csv(Path(__file__).with_name("spiral.csv"))
