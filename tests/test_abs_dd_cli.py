"""``exactgeo fit DATA --model abs --depth 3|4`` on d-D data: the JSON contract (every layer,
spanning rows, reflection points, ``dictionary_exact`` and the oracle), the reported network
re-run in plain numpy from the JSON alone, and one-line refusals (exit 2)."""
from __future__ import annotations

import json
import pathlib
import sys
from fractions import Fraction as F

import numpy as np
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from _cli import run, write_csv  # noqa: E402

ROWS = [(0, 1, 0), (1, 1, 1), (2, 0, 1), (1, 2, 0), (0, 0, 2), (2, 2, 1)]


@pytest.mark.parametrize("depth,extra", [(3, []), (4, ["--no-bias"])])
def test_fit_json_layers_points_reflections(tmp_path, capsys, depth, extra):
    data = write_csv(tmp_path / "d2.csv", ROWS)
    code, out, err = run(capsys, ["fit", data, "--model", "abs", "--depth", str(depth),
                                  "--beta", "1/10", "--exact", "--certify", "--samples",
                                  "300", "--json"] + extra)
    assert code == 0, err
    js = json.loads(out)
    assert js["family"] == f"abs-d{depth}-l1-{'nobias' if extra else 'bias'}"
    assert js["n_features"] == 2 and js["nnz"] == len(js["neurons"]) > 0
    assert js["dictionary_exact"] in (True, False, None) and js["dictionary_exact_reason"]
    assert js["oracle"]["oracle"] in ("cells", "sampled")
    if js["certificate"]["status"] == "certified-optimal":
        assert js["oracle"]["oracle"] == "cells"          # never certified by sampling
    X = np.array([r[:2] for r in ROWS], dtype=float)
    y = np.array([r[2] for r in ROWS], dtype=float)
    f = np.full(len(X), js["intercept"])
    pen = 0.0
    for nj in js["neurons"]:
        assert len(nj["layers"]) == depth - 1 and len(nj["layers"][0]["w"]) == 2
        assert len(nj["reflection_points"]) == depth - 2
        pts = nj["spanning_rows"]
        w, b = np.array(nj["layers"][0]["w"]), nj["layers"][0]["b"]
        if nj["kind"] == "dictionary":
            # the first-layer hyperplane passes through its spanning rows
            assert np.allclose(X[pts] @ w + (b if not extra else 0), 0, atol=1e-9)
            # each threshold is the previous layer's value at its reflection point
            h = np.abs(X @ w + b)
            for layer, k in zip(nj["layers"][1:], nj["reflection_points"]):
                t = -layer["b"] / layer["w"]
                assert abs(t - (h[k] if k >= 0 else 0.0)) < 1e-9
                h = np.abs(layer["w"] * h + layer["b"])
        h = np.abs(X @ w + b)                               # plain forward pass
        for layer in nj["layers"][1:]:
            h = np.abs(layer["w"] * h + layer["b"])
        f += nj["alpha"] * h
        pen += np.abs(w).sum() ** depth + sum(abs(layer["w"]) ** depth
                                              for layer in nj["layers"][1:]) \
            + abs(nj["alpha"]) ** depth
    obj = 0.5 * float(((f - y) ** 2).sum()) + 0.1 * pen / depth
    assert abs(obj - float(F(js["objective_exact"]))) < 1e-9 * max(1.0, obj)


def test_refusals_one_line(tmp_path, capsys):
    data = write_csv(tmp_path / "d2.csv", ROWS)
    for argv, needle in (
            (["--model", "abs", "--depth", "5"], "depth: expected one of [2, 3, 4], got 5"),
            (["--model", "relu", "--depth", "3"], "depth > 2 needs 1-D data for relu"),
            (["--model", "relu", "--depth", "4", "--no-bias"], "no family for model='relu'")):
        code, out, err = run(capsys, ["fit", data, "--beta", "1", "-q"] + argv)
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
        assert needle in err
