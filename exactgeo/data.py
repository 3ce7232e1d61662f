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

from .numbers import MAX_DECIMAL_EXPONENT, parse_fraction_str


def _parse(cell: str, exact: bool):
    """One numeric cell → Fraction (exact) or float. Decimal text is read exactly;
    NaN/inf and values beyond the float range (``1e400``) are refused."""
    text = cell.strip()
    if not text:
        raise ValueError("missing value")
    try:
        q = parse_fraction_str(text)
    except ValueError as exc:
        if "beyond the float range" in str(exc):
            raise ValueError(f"non-finite value {cell!r} (beyond the float range, about "
                             "1.8e308); expected a finite number") from None
        if "exponent" in str(exc):
            raise ValueError(f"value {cell!r} has a decimal exponent below "
                             f"-{MAX_DECIMAL_EXPONENT}; expected a number that can be "
                             "held exactly") from None
        try:
            f = float(text)
        except (ValueError, OverflowError):
            raise ValueError(f"non-numeric entry {cell!r}; expected a number such as "
                             "'3', '-1/3' or '0.25'") from None
        if not math.isfinite(f):
            raise ValueError(f"non-finite value {cell!r}; expected a finite number") from None
        raise ValueError(f"unsupported entry {cell!r}") from None
    try:
        f = float(q)
    except OverflowError:
        raise ValueError(f"non-finite value {cell!r} (beyond the float range, about "
                         "1.8e308); expected a finite number") from None
    return q if exact else f


def _parse_label(cell: str, exact: bool):
    """A label cell: a number (as :func:`_parse`) or, if not numeric, the stripped text."""
    try:
        return _parse(cell, exact), True
    except ValueError as exc:
        if str(exc).startswith("non-numeric entry"):
            return cell.strip(), False
        raise


def read_csv(path, exact: bool = False, labels: bool = False):
    """Read ``path`` → ``(X, y)``; X has shape (N, d). Exact: Fractions (decimal text
    read exactly, ``"0.1"`` is 1/10); else float64. The file is UTF-8 (a byte-order mark
    is allowed); blank lines are skipped; error rows are the file's line numbers.

    ``labels=True``: the last column holds class labels (``construct``): if every label
    is numeric they are numbers as above, otherwise all labels are kept as text (stripped
    strings) in an object array. NaN/inf and missing labels are errors either way.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "l.csv")
    >>> _ = open(path, "w").write("0,0,cat\\n1,0,dog\\n")
    >>> read_csv(path, labels=True)[1].tolist()
    ['cat', 'dog']
    """
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"{path}: is a directory; expected a CSV data file")
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such data file")
    rows, lines = [], []
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            for r in reader:
                if any(c.strip() for c in r):
                    rows.append(r)
                    lines.append(reader.line_num)
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not a UTF-8 text CSV file (undecodable byte "
                         f"0x{exc.object[exc.start]:02x} at byte offset {exc.start}); expected "
                         "feature columns then a target column") from None
    except csv.Error as exc:
        raise ValueError(f"{path}: not a readable CSV file ({exc}); expected feature columns "
                         "then a target column") from None
    if not rows:
        raise ValueError(f"{path}: empty file; expected feature columns then a target column")
    first = rows[0]
    if all(_is_header_cell(c) for c in first):
        rows, lines = rows[1:], lines[1:]
    if not rows:
        raise ValueError(f"{path}: no data rows after the header; expected feature columns "
                         "then a target column")
    width = len(rows[0])
    if width < 2:
        raise ValueError(f"{path}: expected at least 2 columns (features then target), got "
                         f"{width} (row {lines[0]})")
    values, label_col, numeric = [], [], []
    for line, row in zip(lines, rows):
        if len(row) != width:
            raise ValueError(f"{path}: row {line} has {len(row)} columns, expected {width}")
        parsed = []
        for j, cell in enumerate(row):
            try:
                if labels and j == width - 1:
                    lab, is_num = _parse_label(cell, exact)
                    label_col.append(lab)
                    numeric.append(is_num)
                else:
                    parsed.append(_parse(cell, exact))
            except ValueError as exc:
                what = " (label)" if labels and j == width - 1 else ""
                raise ValueError(f"{path}: row {line}, column {j + 1}{what}: {exc}") from None
        values.append(parsed)
    if not labels:
        arr = np.array(values, dtype=object if exact else np.float64)
        return arr[:, :-1], arr[:, -1]
    X = np.array(values, dtype=object if exact else np.float64).reshape(len(values), width - 1)
    if all(numeric):
        y = np.array(label_col, dtype=object if exact else np.float64)
    else:   # text labels: every label as its text (a numeric-looking '1' stays '1')
        y = np.empty(len(rows), dtype=object)
        y[:] = [row[-1].strip() for row in rows]
    return X, y


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


def load(data, exact: bool = False, labels: bool = False):
    """``read_csv`` of a path, or of a bundled dataset given by name (``"spiral"``);
    ``labels=True`` reads a class-label column (text allowed, see :func:`read_csv`).

    >>> X, y = load("spiral")
    >>> X.shape
    (160, 2)
    """
    if not isinstance(data, (str, Path)):
        raise TypeError(f"data: expected a CSV path or a bundled dataset name such as "
                        f"'spiral', got {type(data).__name__} {data!r}")
    if not str(data).strip():
        raise ValueError(f"data: expected a CSV path or a bundled dataset name such as "
                         f"'spiral', got {data!r}")
    path = Path(data)
    if path.exists() or path.suffix == ".csv" or len(path.parts) > 1:
        return read_csv(path, exact=exact, labels=labels)
    return read_csv(dataset_path(str(data)), exact=exact, labels=labels)
