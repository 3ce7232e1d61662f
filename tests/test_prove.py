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


# --- theorems outside exactgeo: files, directories, modules, packages, --new ----------

GOOD = textwrap.dedent("""
    NAME = "user-good"
    DESCRIPTION = "a user's theorem"
    def prove():
        from fractions import Fraction
        import exactgeo
        w = exactgeo.cross([[Fraction(1), Fraction(2), Fraction(3)], [Fraction(0), Fraction(1), Fraction(1)]])
        assert w.tolist() == [-1, -1, 1], w
        return 5
""")


def _json_run(capsys, *argv):
    code = main(["prove", *argv, "--json"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, ({t["name"]: t for t in json.loads(captured.out)["theorems"]}
                  if captured.out else None), captured.err


def test_prove_a_file_by_path(tmp_path, capsys):
    f = tmp_path / "thm.py"
    f.write_text(GOOD)
    code, res, _ = _json_run(capsys, str(f), "ga-i12-abs-min")
    assert code == 0
    assert res["user-good"] == {"name": "user-good", "passed": True, "cases": 5,
                                "seconds": res["user-good"]["seconds"]}
    assert res["ga-i12-abs-min"]["passed"]


def test_file_that_fails_to_import_is_a_failed_theorem(tmp_path, capsys):
    bad = tmp_path / "broken_thm.py"
    bad.write_text("import exactgeo_no_such_module\n")
    syntax = tmp_path / "syntax.py"
    syntax.write_text("NAME = 'x'\ndef prove(:\n")
    good = tmp_path / "good.py"
    good.write_text(GOOD)
    code, res, err = _json_run(capsys, str(bad), str(syntax), str(good))
    assert code == 1 and err == ""
    msg = res["broken-thm"]["message"]
    assert not res["broken-thm"]["passed"] and res["broken-thm"]["cases"] == 0
    assert "\n" not in msg and str(bad) in msg and "ModuleNotFoundError" in msg
    assert "exactgeo_no_such_module" in msg and "broken_thm.py:1" in msg
    assert "SyntaxError" in res["syntax"]["message"] and "line 2" in res["syntax"]["message"]
    assert res["user-good"]["passed"]                         # the others still ran


def test_file_whose_theorem_raises_or_breaks_the_protocol(tmp_path, capsys):
    (tmp_path / "fails.py").write_text(textwrap.dedent("""
        NAME = "fails"
        DESCRIPTION = "raises"
        def prove():
            raise AssertionError("case d=3: 1 != 2")
    """))
    (tmp_path / "crashes.py").write_text("NAME = 'crashes'\nDESCRIPTION = 'x'\n"
                                         "def prove():\n    return 1 / 0\n")
    (tmp_path / "no_prove.py").write_text("NAME = 'no-prove'\nDESCRIPTION = 'x'\n")
    code, res, _ = _json_run(capsys, *(str(tmp_path / f) for f in
                                       ("fails.py", "crashes.py", "no_prove.py")))
    assert code == 1
    assert res["fails"]["passed"] is False and "case d=3: 1 != 2" in res["fails"]["message"]
    assert "ZeroDivisionError" in res["crashes"]["message"]
    assert "no_prove.py defines no prove()" in res["no-prove"]["message"]


def test_missing_file_is_bad_input(tmp_path, capsys):
    assert main(["prove", str(tmp_path / "nothere.py")]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and "no such theorem file" in err[0] and "nothere.py" in err[0]
    assert captured.out == ""


def test_directory_of_theorem_files(tmp_path, capsys):
    (tmp_path / "a.py").write_text(GOOD)
    (tmp_path / "_helper.py").write_text("raise RuntimeError('not a theorem')\n")
    code, res, _ = _json_run(capsys, str(tmp_path))
    assert code == 0 and list(res) == ["user-good"]


def test_module_and_package_by_dotted_name(fake_package, capsys):
    code, res, _ = _json_run(capsys, fake_package)
    assert code == 1 and set(res) == {"alpha", "beta", "gamma-broken"}
    assert res["alpha"]["passed"] and res["alpha"]["cases"] == 7
    assert "arithmetic is broken at case 4" in res["beta"]["message"]
    assert "import failed" in res["gamma-broken"]["message"]
    code, res, _ = _json_run(capsys, f"{fake_package}.alpha")
    assert code == 0 and list(res) == ["alpha"]
    # a package and one of its modules: each module runs once
    code, res, _ = _json_run(capsys, fake_package, f"{fake_package}.alpha")
    assert sorted(res) == ["alpha", "beta", "gamma-broken"]


def test_package_in_the_current_directory(tmp_path, monkeypatch, capsys):
    pkg = tmp_path / "exactgeo_cwd_thms"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "one.py").write_text(GOOD)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", str(tmp_path))])
    try:
        code, res, _ = _json_run(capsys, "exactgeo_cwd_thms")
        assert code == 0 and list(res) == ["user-good"]
        assert str(tmp_path) not in sys.path                   # only during the import
    finally:
        for mod in [m for m in sys.modules if m.startswith("exactgeo_cwd_thms")]:
            del sys.modules[mod]


def test_duplicate_names_across_targets_fail(tmp_path, capsys):
    (tmp_path / "a.py").write_text(GOOD)
    (tmp_path / "b.py").write_text(GOOD)
    code, _, _ = _json_run(capsys, str(tmp_path / "a.py"), str(tmp_path / "a.py"))
    assert code == 0                                            # the same file once
    assert main(["prove", str(tmp_path / "a.py"), str(tmp_path / "b.py"), "--json"]) == 1
    theorems = json.loads(capsys.readouterr().out)["theorems"]
    assert [t["passed"] for t in theorems] == [True, False]
    assert "duplicate NAME 'user-good'" in theorems[1]["message"]


def test_new_writes_a_passing_template_and_never_overwrites(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["prove", "--new", "my_theorem"]) == 0
    assert "wrote my_theorem.py" in capsys.readouterr().out
    text = (tmp_path / "my_theorem.py").read_text()
    assert 'NAME = "my-theorem"' in text and "def prove() -> int:" in text
    code, res, _ = _json_run(capsys, "my_theorem.py")
    assert code == 0 and res["my-theorem"]["passed"] and res["my-theorem"]["cases"] == 56
    # refuses to overwrite: exit 2, one line, file unchanged
    (tmp_path / "my_theorem.py").write_text(text + "# edited\n")
    assert main(["prove", "--new", "my_theorem"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "already exists" in err[0] and "refusing to overwrite" in err[0]
    assert (tmp_path / "my_theorem.py").read_text().endswith("# edited\n")
    for bad in (["--new", "../evil"], ["--new", "1abc"], ["--new", "x", "ga-i12-abs-min"]):
        assert main(["prove", *bad]) == 2
        assert capsys.readouterr().err.startswith("exactgeo: error: --new")
