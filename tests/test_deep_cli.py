"""``exactgeo fit --depth L`` for 1-D chains: JSON contract (every layer, training points,
mirrors and midpoints), certified golden values, and one-line refusals (exit 2)."""
from __future__ import annotations

import json
import pathlib
import sys
from fractions import Fraction as F

import numpy as np
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from _cli import run, write_csv  # noqa: E402


def test_depth4_relu_min_norm_json(tmp_path, capsys):
    x, y = [0, 4, 5, 7, 10, 11], [0, 0, 0, 2, 3, 3]           # THEORY G3
    data = write_csv(tmp_path / "g3.csv", [("x", "y")] + list(zip(x, y)))
    code, out, _ = run(capsys, ["fit", data, "--model", "relu", "--depth", "4", "--min-norm",
                                "--exact", "--certify", "--json"])
    assert code == 0
    js = json.loads(out)
    assert js["objective_exact"] == "1" and js["certificate"]["status"] == "certified-optimal"
    assert js["family"] == "relu-d4-l1-bias"
    xs = [F(v) for v in x]
    for nj in js["neurons"]:
        assert len(nj["layers"]) == 3 and {"w", "b"} <= set(nj["layers"][0])
        assert all(0 <= p < len(x) for p in nj["points"])
        for mir in nj["mirrors"]:               # kink = 2·x_about − x_point, exactly
            assert F(mir["kink"]) == 2 * xs[mir["about"]] - xs[mir["point"]]
        for mid in nj["midpoints"]:
            i, k = mid["pair"]
            assert F(mid["kink"]) == (xs[i] + xs[k]) / 2
    # the optimum found here is THEORY's witness cr(5, 8): 0 mirrored about 4
    assert any(m["point"] == 0 and m["about"] == 1 for nj in js["neurons"]
               for m in nj["mirrors"])


def test_depth3_abs_summary_and_midpoint(tmp_path, capsys):
    x, y = [5, 7, 8, 9, 11, 16], [4, -3, 1, -1, -1, -2]
    data = write_csv(tmp_path / "d.csv", list(zip(x, y)))
    code, out, _ = run(capsys, ["fit", data, "--model", "abs", "--depth", "3", "--beta",
                                "1/10", "--exact", "--certify", "-q"])
    assert code == 0
    assert "6256/15625 (exact)" in out and "certified-optimal" in out
    code, out, _ = run(capsys, ["fit", data, "--model", "abs", "--depth", "3", "--beta",
                                "1/10", "--exact", "--certify", "--json"])
    js = json.loads(out)
    assert any(nj["atom"]["kind"] == "midpoint" or nj["midpoints"] for nj in js["neurons"])


@pytest.mark.parametrize("extra,needle", [
    (["--depth", "5"], "depth: expected one of [2, 3, 4]"),
    (["--depth", "1"], "depth: expected one of [2, 3, 4]"),
    (["--depth", "3", "--no-bias"], "no family"),
])
def test_bad_depth_one_line(tmp_path, capsys, extra, needle):
    data = write_csv(tmp_path / "d.csv", [(0, 0), (1, 1), (3, 0)])
    code, out, err = run(capsys, ["fit", data, "--model", "relu", "--beta", "1", "-q"] + extra)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err


def test_dd_data_needs_depth_2(tmp_path, capsys):
    # relu chains deeper than 2 are 1-D only (abs has d-D families: tests/test_abs_dd_cli.py)
    data = write_csv(tmp_path / "d2.csv", [(0, 1, 0), (1, 1, 1), (2, 0, 1)])
    code, _, err = run(capsys, ["fit", data, "--model", "relu", "--depth", "3", "--beta", "1",
                                "-q"])
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "depth > 2 needs 1-D data for relu chains" in err


def test_too_large_refused_up_front(tmp_path, capsys):
    rows = [(i, i % 3) for i in range(200)]
    data = write_csv(tmp_path / "big.csv", rows)
    code, _, err = run(capsys, ["fit", data, "--model", "relu", "--depth", "4", "--beta",
                                "1", "-q"])
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "GiB" in err and "--colgen" in err and "columns" in err


def test_duplicate_x_min_norm_one_line(tmp_path, capsys):
    data = write_csv(tmp_path / "dup.csv", [(0, 0), (1, 1), (1, 2), (3, 0)])
    code, _, err = run(capsys, ["fit", data, "--model", "abs", "--depth", "3", "--min-norm",
                                "-q"])
    assert code == 2 and "no network interpolates" in err
    code, out, _ = run(capsys, ["fit", data, "--model", "abs", "--depth", "3", "--beta",
                                "1/10", "--exact", "--certify", "--json"])
    assert code == 0 and json.loads(out)["certificate"]["status"] == "certified-optimal"
    assert np.isclose(json.loads(out)["objective"], 157 / 400)
