"""``fit(..., reg="l2", certify=True)`` runs the cells route (THEORY §2.8) through the family
protocol (``Family.stages``); the reported network is re-checked by a plain numpy forward
pass and a dense sampled pricing of its residual."""
import json
import pathlib
import subprocess
import sys
from fractions import Fraction as F

import numpy as np
import pytest

from exactgeo import fit
from exactgeo.families import get_family

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from _cells_checks import forward_objective, sampled_sup  # noqa: E402


def test_g1_through_fit_json():
    res = fit([[F(1), F(0)], [F(0), F(1)]], [F(1), F(1)], model="relu", reg="l2",
              bias=False, beta=F(1, 10), certify=True)
    js = res.to_json()
    assert js["certificate"]["status"] == "certified-optimal"
    assert js["certificate"]["method"] == "cells: group Lasso + Krawczyk"
    lo, hi = (F(v) for v in js["objective_enclosure"])
    a, b = (lo + F(1, 200)) * 10, (hi + F(1, 200)) * 10     # lo ≤ √2/10 − 1/200 ≤ hi
    assert a * a <= 2 <= b * b
    assert js["certificate"]["enclosure_width"] < 1e-15
    (nj,) = js["neurons"]
    assert nj["atom"]["kind"] == "interior" and nj["atom"]["spanning_rows"] == []
    # second route: numpy forward pass of the JSON weights lands in the enclosure
    obj, _ = forward_objective(res, [[1, 0], [0, 1]], [1, 1], 0.1)
    assert float(lo) - 1e-12 <= obj <= float(hi) + 1e-12


@pytest.mark.parametrize("model,bias", [("relu", True), ("abs", False)])
def test_random_fit_rechecked_independently(model, bias):
    rng = np.random.default_rng(12)
    X = rng.standard_normal((7, 2)).round(3)
    y = rng.standard_normal(7).round(3)
    beta = 0.4
    res = fit(X, y, model=model, reg="l2", bias=bias, beta=beta, certify=True)
    assert res.certificate.status in ("certified-optimal", "undecided")
    obj, r = forward_objective(res, X, y, beta)
    if res.certificate.status == "certified-optimal":
        lo, hi = (float(v) for v in res.objective_enclosure)
        # the JSON weights are float64 roundings of the enclosed weights: 1e-12 relative
        assert lo - 1e-12 * (1 + hi) <= obj <= hi + 1e-12 * (1 + hi)
        # dense sampled pricing of the reported network's residual: ≤ β(1 + 1e-8)
        # (1e-8: the residual of the float64 weights differs from the certified one by
        # ~1e-15, far below; the sample never exceeds the true supremum)
        assert sampled_sup(X, r, model, bias, angles=3000) <= beta * (1 + 1e-8)
        kinds = {n["atom"]["kind"] for n in res.to_json()["neurons"]}
        assert kinds <= {"interior", "face", "ray"}


def test_other_routes_unchanged():
    fam = get_family("relu", reg="l2", bias=True)
    # min-norm, no certificate, 1-D: the dictionary route
    from exactgeo.data import Data
    from exactgeo.pipeline import Settings
    data = Data.of([[0.0, 1.0], [1.0, 0.0]], [1.0, 2.0])
    common = dict(bias=True, colgen=False, samples=10, seed=0, max_rounds=5,
                  max_bytes=2 ** 20, max_seconds=None, progress=False, exact=False)
    assert fam.stages(data, Settings.of(beta=0.1, min_norm=False, certify=False,
                                         **common)) is None
    assert fam.stages(data, Settings.of(beta=None, min_norm=True, certify=True,
                                         **common)) is None
    assert fam.stages(data, Settings.of(beta=0.1, min_norm=False, certify=True,
                                         **common)) is not None
    d1 = Data.of([[0.0], [1.0]], [1.0, 2.0])
    assert fam.stages(d1, Settings.of(beta=0.1, min_norm=False, certify=True,
                                       **common)) is None


def test_cli_text_and_json(tmp_path):
    csv = tmp_path / "g1.csv"
    csv.write_text("1,0,1\n0,1,1\n")
    cmd = [sys.executable, "-m", "exactgeo.cli", "fit", str(csv), "--reg", "l2",
           "--no-bias", "--beta", "1/10", "--certify", "--exact"]
    out = subprocess.run(cmd + ["--json"], capture_output=True, text=True, check=True)
    js = json.loads(out.stdout)
    assert js["certificate"]["status"] == "certified-optimal"
    assert js["neurons"][0]["atom"]["kind"] == "interior"
    txt = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    assert "cells: group Lasso + Krawczyk" in txt and "interior" in txt


def test_d3_cells_route():
    # d = 3 goes through the cells route too (face recursion pricing, ball maxima);
    # second route: the numpy forward pass lands in the enclosure
    rng = np.random.default_rng(1)
    X = rng.standard_normal((8, 3)).round(3)
    y = rng.standard_normal(8).round(3)
    res = fit(X, y, model="relu", reg="l2", bias=False, beta=0.3, certify=True)
    assert res.certificate.status in ("certified-optimal", "undecided")
    assert res.to_json()["certificate"]["method"] == "cells: group Lasso + Krawczyk"
    if res.certificate.status == "certified-optimal":
        obj, _ = forward_objective(res, X, y, 0.3)
        lo, hi = (float(v) for v in res.objective_enclosure)
        assert lo - 1e-12 <= obj <= hi + 1e-12
