"""CSV data: feature columns then one target (or label) column; an optional header row.

Errors name the file, the 1-based row and column, and what was expected.

>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "d.csv")
>>> _ = open(path, "w").write("x1,x2,y\\n0,1,1/2\\n2,3,0.25\\n")
>>> X, y = read_csv(path, exact=True)
>>> X.shape, y.tolist()
((2, 2), [Fraction(1, 2), Fraction(1, 4)])
"""
from __future__ import annotations

import csv
import math
from fractions import Fraction
from pathlib import Path

import numpy as np


def _parse(cell: str, exact: bool):
    text = cell.strip()
    if not text:
        raise ValueError("missing value")
    try:
        q = Fraction(text)
    except (ValueError, ZeroDivisionError):
        try:
            f = float(text)
        except ValueError:
            raise ValueError(f"non-numeric entry {cell!r}") from None
        if not math.isfinite(f):
            raise ValueError(f"non-finite entry {cell!r}") from None
        raise ValueError(f"unsupported entry {cell!r}") from None
    return q if exact else float(q)


def read_csv(path, exact: bool = False):
    """Read ``path`` → ``(X, y)``; X has shape (N, d). Exact: Fractions (decimal text
    read exactly, ``"0.1"`` is 1/10); else float64."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such data file")
    with path.open(newline="") as fh:
        rows = [r for r in csv.reader(fh) if any(c.strip() for c in r)]
    if not rows:
        raise ValueError(f"{path}: empty file; expected feature columns then a target column")
    first = rows[0]
    if all(_is_header_cell(c) for c in first):
        rows = rows[1:]
        start = 2
    else:
        start = 1
    if not rows:
        raise ValueError(f"{path}: no data rows after the header")
    width = len(rows[0])
    if width < 2:
        raise ValueError(f"{path}: expected at least 2 columns (features then target), got {width}")
    values = []
    for i, row in enumerate(rows):
        if len(row) != width:
            raise ValueError(f"{path}: row {i + start} has {len(row)} columns, expected {width}")
        parsed = []
        for j, cell in enumerate(row):
            try:
                parsed.append(_parse(cell, exact))
            except ValueError as exc:
                raise ValueError(f"{path}: row {i + start}, column {j + 1}: {exc}") from None
        values.append(parsed)
    arr = np.array(values, dtype=object if exact else np.float64)
    return arr[:, :-1], arr[:, -1]


def _is_header_cell(cell: str) -> bool:
    try:
        float(cell)
        return False
    except ValueError:
        try:
            Fraction(cell.strip())
            return False
        except (ValueError, ZeroDivisionError):
            return True


def dataset_path(name: str) -> Path:
    """Path of a bundled dataset, e.g. ``dataset_path("spiral")`` → .../spiral.csv."""
    folder = Path(__file__).parent / "datasets"
    path = folder / f"{name}.csv"
    if not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.csv"))
        raise ValueError(f"dataset: unknown bundled dataset {name!r}; expected one of {known}")
    return path


def load(data, exact: bool = False):
    """``read_csv`` of a path, or of a bundled dataset given by name (``"spiral"``).

    >>> X, y = load("spiral")
    >>> X.shape
    (160, 2)
    """
    path = Path(data)
    if path.exists() or path.suffix == ".csv" or len(path.parts) > 1:
        return read_csv(path, exact=exact)
    return read_csv(dataset_path(str(data)), exact=exact)
