"""Training data: read (CSV: feature columns then one target or label column; an optional
header row) and validated once into a :class:`Data` object that travels through the
pipeline with its exact and float views, its shape and its provenance.

Errors name the file, the 1-based row and column (or the argument), and what was expected.

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
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Optional

import numpy as np

from .numbers import (FLOAT_MAX, MAX_DECIMAL_EXPONENT, as_array, as_exact_array,
                      check_float_range, parse_fraction_str)


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


@dataclass(frozen=True, eq=False)
class Data:
    """Training data X (n, d), y (n,), validated once (:meth:`of`).

    ``X``/``y`` the working view: exact object arrays of Fractions when ``exact``, else
    float64; ``X_float``/``y_float`` always float64 (the float stages); ``source`` where
    the data came from (a path, a bundled name, or "arrays").

    >>> from fractions import Fraction as F
    >>> data = Data.of([[F(1), F(0)], [F(0), F(1)]], [F(1), F(1)])
    >>> data.exact, data.n, data.d, data.X_float.dtype.name
    (True, 2, 2, 'float64')
    """
    X: np.ndarray
    y: np.ndarray
    X_float: np.ndarray
    y_float: np.ndarray
    exact: bool
    source: str = "arrays"

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def d(self) -> int:
        return self.X.shape[1]

    @classmethod
    def of(cls, X, y, *, exact: Optional[bool] = None, source: str = "arrays") -> "Data":
        """Validate (X, y). Exact inputs (Fractions, sympy Rationals, fmpq) give exact
        data; ``exact=True`` converts floats exactly (their binary value). 1-D X is read as
        (n, 1). ValueError/TypeError naming X or y otherwise."""
        X_arr, ex_x = as_array(X, "X")
        y_arr, ex_y = as_array(y, "y")
        if X_arr.ndim == 1:
            X_arr = X_arr.reshape(-1, 1)
        if X_arr.ndim != 2:
            raise ValueError(f"X: expected shape (n, d), got shape {X_arr.shape}")
        if y_arr.ndim != 1 or y_arr.shape[0] != X_arr.shape[0]:
            raise ValueError(f"y: expected shape ({X_arr.shape[0]},) to match X "
                             f"{X_arr.shape}, got {y_arr.shape}")
        if X_arr.shape[0] < 1 or X_arr.shape[1] < 1:
            raise ValueError(f"X: expected at least one sample and one feature, got "
                             f"{X_arr.shape}")
        # the float stages (solver, float mirror) need every value to be a finite float
        check_float_range(X_arr, "X")
        check_float_range(y_arr, "y")
        n = X_arr.shape[0]
        y_f = np.asarray(y_arr, dtype=float)
        limit = math.sqrt(FLOAT_MAX / (4 * n))
        if float(np.max(np.abs(y_f))) > limit:
            raise ValueError(f"y: values up to {float(np.max(np.abs(y_f))):.3g} in magnitude "
                             f"overflow the squared loss (1/2)|f(X) - y|^2 in floating point; "
                             f"expected |y| <= {limit:.3g} for n = {n} — rescale y")
        exact = bool(exact) or ex_x or ex_y
        if exact:
            X_arr = X_arr if ex_x else as_exact_array(X_arr, "X")
            y_arr = y_arr if ex_y else as_exact_array(y_arr, "y")
        X_f = np.asarray(X_arr, dtype=float)
        return cls(X_arr if exact else X_f, y_arr if exact else y_f, X_f, y_f, exact, source)
