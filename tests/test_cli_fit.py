"""`exactgeo fit` on the command line: JSON output parses; bad input is one line, exit 2."""
import json
from fractions import Fraction as F

import pytest

from exactgeo.cli import main


def _write(tmp_path, text, name="d.csv"):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_fit_json_parses(tmp_path, capsys):
    path = _write(tmp_path, "x1,x2,y\n1,0,1\n0,1,1\n")
    code = main(["fit", path, "--model", "relu", "--reg", "l1", "--no-bias", "--beta", "1/10",
                 "--exact", "--certify", "--json"])
    assert code == 0
    js = json.loads(capsys.readouterr().out)
    assert F(js["objective_exact"]) == F(19, 100)
    assert js["certificate"]["status"] == "certified-optimal"


def test_fit_min_norm_summary(tmp_path, capsys):
    path = _write(tmp_path, "0,0\n2,0\n6,3\n7,7\n")
    assert main(["fit", path, "--min-norm", "--exact", "--certify"]) == 0
    out = capsys.readouterr().out
    assert "4 (exact)" in out and "certified-optimal" in out


@pytest.mark.parametrize("text,needle", [
    ("1,2,3\n4,,6\n", "row 2, column 2"),
    ("1,2,3\n4,nan,6\n", "row 2, column 2"),
    ("1,2,3\n4,abc,6\n", "row 2, column 2"),
])
def test_bad_csv_one_line_exit_2(tmp_path, capsys, text, needle):
    path = _write(tmp_path, text)
    assert main(["fit", path, "--beta", "0.1"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and needle in err and "d.csv" in err


def test_missing_file_and_bad_beta(tmp_path, capsys):
    assert main(["fit", str(tmp_path / "nope.csv"), "--beta", "0.1"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    path = _write(tmp_path, "1,2,3\n4,5,6\n")
    assert main(["fit", path, "--beta", "-1"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "beta" in err
    assert main(["fit", path, "--beta", "0.1", "--depth", "3"]) == 2       # 2-D data
    assert "depth > 2 needs 1-D data" in capsys.readouterr().err
    assert main(["fit", path, "--beta", "0.1", "--depth", "5"]) == 2
    assert "depth: expected one of [2, 3, 4], got 5" in capsys.readouterr().err
    assert main(["fit", "no_such_bundled_name", "--beta", "0.1"]) == 2
    assert "dataset" in capsys.readouterr().err
