"""The ``exactgeo`` command line shell: help, bad input, ``prove --list``."""
import json
import os
import subprocess
import sys

import pytest

from exactgeo.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _cli(*argv):
    """Run ``python -m exactgeo.cli`` in a fresh process from the checkout root."""
    return subprocess.run([sys.executable, "-m", "exactgeo.cli", *argv], cwd=ROOT,
                          capture_output=True, text=True)


def test_help_in_a_fresh_process():
    proc = _cli("--help")
    assert proc.returncode == 0, proc.stderr
    for sub in ("fit", "construct", "prove"):
        assert sub in proc.stdout


def test_bad_subcommand_exits_2_with_one_line():
    proc = _cli("frobnicate")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("exactgeo: error:")
    assert "frobnicate" in lines[0] and "Traceback" not in proc.stderr


def test_missing_subcommand_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_subcommand_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["prove", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "--json" in out and "--list" in out


def test_prove_list(capsys):
    assert main(["prove", "--list"]) == 0
    names = [ln.split()[0] for ln in capsys.readouterr().out.splitlines()]
    assert "ga-i2-cross-det" in names and "ga-i12-abs-min" in names


def test_prove_list_json_in_a_fresh_process():
    proc = _cli("prove", "--list", "--json")
    assert proc.returncode == 0, proc.stderr
    listed = json.loads(proc.stdout)["theorems"]
    assert all(t["description"] for t in listed if t["name"].startswith("ga-"))


def test_readme_tour_runs():
    """The README's API tour is a doctest; keep it true."""
    import doctest
    path = os.path.join(ROOT, "README.md")
    if not os.path.exists(path):
        pytest.skip("README.md is not beside tests/ (running from an installed copy)")
    res = doctest.testfile(path, module_relative=False, optionflags=doctest.ELLIPSIS)
    assert res.failed == 0 and res.attempted >= 5
