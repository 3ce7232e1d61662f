"""Progress for every phase of ``fit`` (issue 13): one stderr line when each stage starts
(after ``ANNOUNCE_AFTER`` = 0.1 s, so quick phases and quick user errors print nothing) and
one when it ends with its time; nothing with ``progress=False``, ``--json`` or ``-q``.
The tests set ``ANNOUNCE_AFTER`` to 0 (announce at once), so no test depends on timing."""
import re
from fractions import Fraction as F

import pytest

import exactgeo
from exactgeo.cli import main
from exactgeo import pipeline
from exactgeo.pipeline import phase, stage_progress

X = [[F(1), F(0)], [F(0), F(1)], [F(1), F(1)]]
Y = [F(1), F(1), F(3)]
LINE = re.compile(r"^exactgeo fit: (\S+)(?: \(.*\))? (…|done in (\d+\.\d\d) s.*) \[\d+\.\d s\]$")


@pytest.fixture(autouse=True)
def announce_at_once(monkeypatch):
    monkeypatch.setattr(pipeline, "ANNOUNCE_AFTER", 0.0)


def _stages(err):
    """[(stage, 'start' | seconds)] from the progress lines."""
    out = []
    for line in err.strip().splitlines():
        m = LINE.match(line)
        assert m, f"not a progress line: {line!r}"
        out.append((m.group(1), "start" if m.group(2) == "…" else float(m.group(3))))
    return out


@pytest.mark.parametrize("exact,certify,expected", [
    (True, True, ["dictionary", "lasso", "exact_kkt", "certificate", "reconstruction"]),
    (False, False, ["dictionary", "lasso", "reconstruction"]),
])
def test_each_phase_reports_start_and_end(capsys, exact, certify, expected):
    data = (X, Y) if exact else ([[float(v) for v in r] for r in X], [float(v) for v in Y])
    res = exactgeo.fit(*data, bias=False, beta=F(1, 10) if exact else 0.1, exact=exact,
                       certify=certify, progress=True)
    got = _stages(capsys.readouterr().err)
    names = [s for s, _ in got[0::2]]
    assert names == expected + ["check"]            # the final check is a phase too
    for (s0, a), (s1, b) in zip(got[0::2], got[1::2]):
        assert s0 == s1 and a == "start" and isinstance(b, float) and b >= 0
    for stage in expected:                          # the reported time is the recorded one
        t = dict((s, v) for s, v in got if v != "start")[stage]
        assert t == pytest.approx(res.timings[stage], abs=0.006)


def test_the_first_line_comes_while_the_phase_runs(monkeypatch):
    """With the real delay a slow phase is announced by the timer thread before it ends;
    the phase waits on an event the announcement sets, so no clock is involved."""
    import io
    import threading
    monkeypatch.setattr(pipeline, "ANNOUNCE_AFTER", 0.01)
    assert 0 < pipeline.ANNOUNCE_AFTER < 1
    p = stage_progress(True)
    p.stream = io.StringIO()
    assert p.delay == 0 and p.interval == 0
    seen = threading.Event()
    real = p.update

    def update(msg, **kw):
        out = real(msg, **kw)
        seen.set()
        return out
    p.update = update
    with phase(p, "slow", lambda: "slow done"):
        assert seen.wait(60), "the start line was not printed while the phase ran"
        assert p.stream.getvalue().startswith("exactgeo fit: slow …")
    assert p.stream.getvalue().splitlines()[-1].startswith("exactgeo fit: slow done")


def test_silent_without_progress(capsys):
    exactgeo.fit(X, Y, bias=False, beta=F(1, 10), certify=True)      # API default: False
    assert capsys.readouterr().err == ""


@pytest.fixture
def csv(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("x1,x2,y\n1,0,1\n0,1,1\n1,1,3\n")
    return str(path)


def test_cli_progress_json_and_quiet(capsys, csv):
    args = ["fit", csv, "--no-bias", "--beta", "1/10", "--exact", "--certify"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert err.splitlines()[0].startswith("exactgeo fit: dictionary …")
    assert [s for s, v in _stages(err) if v != "start"][-1] == "check"
    for quiet in (["--json"], ["-q"], ["--quiet"]):
        assert main(args + quiet) == 0
        assert capsys.readouterr().err == ""
