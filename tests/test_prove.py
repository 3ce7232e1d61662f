"""The theorem runner behind ``exactgeo prove``: discovery, JSON contract, exit codes."""
import json
import re
import sys
import textwrap
import types

import pytest

from exactgeo.cli import main
from exactgeo.proofs import runner
from exactgeo.proofs.runner import TheoremResult, cli_prove, discover, run, theorem_from_module

GA_NAMES = ["ga-library-symbolic", "ga-i1-multilinear", "ga-i2-cross-det", "ga-i3-cross-norm", "ga-i4-cauchy-binet",
            "ga-i5-covariance", "ga-i6-cross-zero-rank", "ga-i7-distance", "ga-i8-wedge-gram",
            "ga-i9-area-2d", "ga-i10-affine-hyperplane", "ga-i12-abs-min"]
CHEAP = ["ga-i12-abs-min", "ga-i9-area-2d"]  # well under a second each


def _module(name, **attrs):
    mod = types.ModuleType(f"fake.{name}")
    mod.__dict__.update(attrs)
    return theorem_from_module(mod)


def _raise(exc):
    def prove():
        raise exc
    return prove


def test_discovery_follows_the_protocol():
    theorems = discover()
    names = [t.name for t in theorems]
    assert set(GA_NAMES) <= set(names)
    assert len(names) == len(set(names))
    for t in theorems:
        if t.module.rsplit(".", 1)[-1].startswith("ga_"):
            assert t.error is None and callable(t.prove), t
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", t.name), t.name
            assert "THEORY §" in t.description, t.description
    assert "runner" not in names and not any(n.startswith("_") for n in names)
    # module-file order keeps I1..I10, I12 in numeric order
    ga = [n for n in names if n in GA_NAMES]
    assert ga == GA_NAMES


def test_run_cheap_theorems_pass():
    results = run(CHEAP)
    assert [r.name for r in results] == CHEAP
    for r in results:
        assert r.passed and r.cases > 100 and r.seconds >= 0 and r.message == ""


def test_json_contract_and_exit_zero(capsys):
    assert main(["prove", *CHEAP, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [t["name"] for t in out["theorems"]] == CHEAP
    for t in out["theorems"]:
        assert {"name", "passed", "cases", "seconds"} <= set(t)
        assert t["passed"] is True and isinstance(t["cases"], int) and t["cases"] > 0
        assert isinstance(t["seconds"], float) and "message" not in t
    assert out["passed"] is True


def test_table_output(capsys):
    assert main(["prove", "ga-i12-abs-min"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["theorem", "cases", "result", "seconds"]
    row = out[2].split()
    assert row[0] == "ga-i12-abs-min" and int(row[1]) > 0 and row[2] == "pass"
    assert out[-1].startswith("all 1 theorems passed")


def test_failures_are_reported_not_raised(capsys):
    theorems = [
        _module("good", NAME="good", DESCRIPTION="fine", prove=lambda: 3),
        _module("bad", NAME="bad", DESCRIPTION="fails",
                prove=_raise(AssertionError("case d=3 broke"))),
        _module("crash", NAME="crash", DESCRIPTION="crashes", prove=_raise(ZeroDivisionError("boom"))),
        _module("noint", NAME="noint", DESCRIPTION="returns None", prove=lambda: None),
        _module("zero", NAME="zero", DESCRIPTION="checks nothing", prove=lambda: 0),
        _module("noname", DESCRIPTION="no NAME", prove=lambda: 1),
    ]
    args = types.SimpleNamespace(names=[], json=True, list=False)
    assert cli_prove(args, theorems=theorems) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    res = {t["name"]: t for t in json.loads(captured.out)["theorems"]}
    assert res["good"] == {"name": "good", "passed": True, "cases": 3,
                           "seconds": res["good"]["seconds"]}
    assert not res["bad"]["passed"] and "case d=3 broke" in res["bad"]["message"]
    assert "ZeroDivisionError: boom" in res["crash"]["message"]
    assert "positive int" in res["noint"]["message"] and "positive int" in res["zero"]["message"]
    assert not res["noname"]["passed"] and "NAME" in res["noname"]["message"]
    # the table form shows the message under the failing row and exits 1 too
    args.json = False
    assert cli_prove(args, theorems=theorems[:2]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "case d=3 broke" in out and "1 of 2 theorems FAILED: bad" in out


def test_only_passing_selection_exits_zero():
    theorems = [_module("good", NAME="good", DESCRIPTION="fine", prove=lambda: 3),
                _module("bad", NAME="bad", DESCRIPTION="fails", prove=_raise(AssertionError()))]
    args = types.SimpleNamespace(names=["good"], json=True, list=False)
    assert cli_prove(args, theorems=theorems, file=_Sink()) == 0
    args.names = ["bad"]
    assert cli_prove(args, theorems=theorems, file=_Sink()) == 1


def test_no_theorems_is_a_failure():
    args = types.SimpleNamespace(names=[], json=False, list=False)
    assert cli_prove(args, theorems=[], file=_Sink()) == 1


class _Sink:
    def write(self, s):
        return len(s)

    def flush(self):
        pass


def test_unknown_name_exits_2_with_one_line(capsys):
    assert main(["prove", "ga-i12-abs-min", "no-such-theorem"]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("exactgeo: error:")
    assert "'no-such-theorem'" in err[0] and "ga-i1-multilinear" in err[0]
    assert captured.out == ""  # nothing was run


def test_unknown_name_value_error():
    with pytest.raises(ValueError, match="unknown theorem 'nope'.*known theorems"):
        run(["nope"])


def test_list(capsys):
    assert main(["prove", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = [ln.split()[0] for ln in lines]
    assert set(GA_NAMES) <= set(names)
    assert main(["prove", "--list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["theorems"]
    assert {"name", "description"} <= set(listed[0])


@pytest.fixture
def fake_package(tmp_path, monkeypatch):
    """A throwaway theorem package on sys.path: good, failing, private, broken modules."""
    pkg = tmp_path / "exactgeo_fake_proofs"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "runner.py").write_text("NAME = 'not-a-theorem'\n")
    (pkg / "_helpers.py").write_text("raise RuntimeError('private modules are not imported')\n")
    (pkg / "alpha.py").write_text(textwrap.dedent("""
        NAME = "alpha"
        DESCRIPTION = "passes"
        def prove():
            return 7
    """))
    (pkg / "beta.py").write_text(textwrap.dedent("""
        NAME = "beta"
        DESCRIPTION = "fails"
        def prove():
            assert 1 + 1 == 3, "arithmetic is broken at case 4"
            return 1
    """))
    (pkg / "gamma_broken.py").write_text("import no_such_module_exactgeo\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "exactgeo_fake_proofs"
    for mod in [m for m in sys.modules if m.startswith("exactgeo_fake_proofs")]:
        del sys.modules[mod]


def test_discovery_in_a_fake_package(fake_package):
    theorems = discover(fake_package)
    by = {t.name: t for t in theorems}
    assert set(by) == {"alpha", "beta", "gamma-broken"}
    assert by["gamma-broken"].error.startswith("import failed: ModuleNotFoundError")
    results = {r.name: r for r in run(theorems=theorems)}
    assert results["alpha"] == TheoremResult("alpha", True, 7, results["alpha"].seconds)
    assert not results["beta"].passed
    assert "arithmetic is broken at case 4" in results["beta"].message
    assert "beta.py" in results["beta"].message
    assert not results["gamma-broken"].passed


def test_duplicate_names_fail(tmp_path, monkeypatch):
    pkg = tmp_path / "exactgeo_fake_dups"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    for m in ("a1", "a2"):
        (pkg / f"{m}.py").write_text("NAME = 'same'\nDESCRIPTION = 'x'\ndef prove():\n    return 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        theorems = discover("exactgeo_fake_dups")
        assert [t.error is None for t in theorems] == [True, False]
        assert "duplicate NAME 'same'" in theorems[1].error
    finally:
        for mod in [m for m in sys.modules if m.startswith("exactgeo_fake_dups")]:
            del sys.modules[mod]


def test_runner_module_exports():
    assert callable(runner.cli_prove) and callable(runner.run)
