"""The command-line surface (issue 13): help on every flag, ``--version``,
``python -m exactgeo``, ``exactgeo datasets``, ``fit --latex``, float listings with a stated
threshold, and no empty messages."""
import argparse
import json
import os
import re
import subprocess
import sys
from fractions import Fraction as F
from importlib import metadata

import numpy as np
import pytest

import exactgeo
from exactgeo.cli import build_parser, main
from exactgeo.data import load
from exactgeo.results import LISTING_RTOL, listed_neurons, summary

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _run(*argv):
    return subprocess.run([sys.executable, "-m", "exactgeo", *argv], cwd=ROOT,
                          capture_output=True, text=True)


def _walk(parser, path=()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _walk(sub, path + (name,))


def test_every_option_of_every_subcommand_has_help():
    seen = 0
    for path, parser in _walk(build_parser()):
        for action in parser._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            name = "/".join(action.option_strings) or action.dest
            assert action.help and action.help.strip(), f"{' '.join(path)} {name}: no help"
            seen += 1
    assert seen >= 25        # fit, construct, prove, datasets and the top level


def test_version_from_package_metadata_and_python_m():
    proc = _run("--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"exactgeo {metadata.version('exactgeo')}"


def test_python_m_exactgeo_runs_the_cli():
    proc = _run("--help")
    assert proc.returncode == 0
    for sub in ("fit", "construct", "prove", "datasets"):
        assert sub in proc.stdout
    bad = _run("fit")                       # user mistake: one line, exit 2
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


def test_datasets_lists_the_bundled_files(capsys):
    assert main(["datasets", "--json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)["datasets"]}
    assert {"spiral", "clusters2d", "clusters3"} <= set(rows)
    for name, r in rows.items():            # n and d are those of the loaded data
        X, _ = load(name, labels=r["target"] == "label")
        assert (r["n"], r["d"]) == X.shape and r["description"].strip()
    assert main(["datasets"]) == 0
    text = capsys.readouterr().out.splitlines()
    assert text[0].split()[:3] == ["name", "n", "d"]
    assert any(re.match(r"spiral\s+160\s+2\s+\S", ln) for ln in text)


@pytest.fixture
def g1_csv(tmp_path):
    path = tmp_path / "g1.csv"
    path.write_text("x1,x2,y\n1,0,1\n0,1,1\n")
    return str(path)


def test_fit_latex_prints_the_closed_form(g1_csv, capsys):
    """THEORY G1, ℓ1 without bias: the neurons are ×(x_0), ×(x_1) with w = 3√10/10·u."""
    assert main(["fit", g1_csv, "--reg", "l1", "--no-bias", "--beta", "1/10", "--exact",
                 "--latex", "-q"]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    assert "\\times(x_{0})" in out.out and "\\times(x_{1})" in out.out
    assert "\\frac{3 \\sqrt{10}}{10}" in out.out
    assert main(["fit", g1_csv, "--reg", "l1", "--no-bias", "--beta", "1/10", "--exact",
                 "--latex", "--json"]) == 0
    js = json.loads(capsys.readouterr().out)
    assert "\\times(x_{0})" in js["latex"] and js["objective_exact"] == "19/100"


def test_summary_has_no_empty_messages(g1_csv, capsys):
    for extra in ([], ["--exact"], ["--exact", "--certify"]):
        assert main(["fit", g1_csv, "--no-bias", "--beta", "1/10", "-q", *extra]) == 0
        out = capsys.readouterr().out
        for line in out.splitlines():
            assert not re.search(r"(—|:)\s*$", line), f"empty message: {line!r}"
        lasso = next(ln for ln in out.splitlines() if ln.startswith("lasso: "))
        assert len(lasso.split("—", 1)[1].strip()) > 10


def test_float_listing_states_its_threshold_and_keeps_the_network():
    """Listing only: the summary drops neurons with |z| < 1e-9·max|z| and says how many;
    the network, the objective and the JSON neurons are unchanged."""
    X, y = load("spiral")
    X, y = X[:40], y[:40]
    res = exactgeo.fit(X, y, reg="l1", beta=1e-3)
    nnz, n_json = res.nnz, len(res.to_json()["neurons"])
    assert n_json == nnz
    # make most coefficients tiny *in a copy of z*, as a float solver's noise would be
    z = np.asarray(res.z, dtype=float).copy()
    z[2:] = 1e-13 * np.abs(z).max()
    keep, thr, dropped = listed_neurons(z)
    assert keep == [0, 1] and dropped == nnz - 2 and thr == LISTING_RTOL * np.abs(z).max()
    fake = res.__class__(**{**res.__dict__, "z": z})
    text = summary(fake, "spiral[:40]")
    assert f"… and {dropped:,} neurons with |z| <" in text
    assert f"({2} with |z| ≥" in text
    # the real result is untouched: its network still reproduces its objective
    from exactgeo.results import check_reported
    check_reported(res, X, y)
    assert res.nnz == nnz


def test_exact_listings_drop_nothing():
    z = np.array([F(1), F(1, 10 ** 30)], dtype=object)
    assert listed_neurons(z) == ([0, 1], None, 0)
