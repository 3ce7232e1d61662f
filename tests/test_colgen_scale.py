"""The implicit route of ``fit``: streamed column generation over a dictionary too large
to store reaches the same exact, certified optimum as the explicit dictionary; progress
lines on stderr (forced on) carry the round's numbers and are absent with --json / -q."""
import io
import json
import pathlib
import sys
from fractions import Fraction as F

import numpy as np
import pytest

from exactgeo import cli
from exactgeo.families import get_family
from exactgeo.lasso.colgen import streamed_column_generation
from exactgeo.pipeline import fit
from exactgeo.progress import Progress
from exactgeo.sources import ImplicitSource

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from _independent import network_from_json  # noqa: E402


def _data(n=12, seed=4):
    rng = np.random.default_rng(seed)
    X = np.array([[F(int(v), 4) for v in row] for row in rng.integers(-8, 9, (n, 2))],
                 dtype=object)
    y = np.array([F(int(v), 2) for v in rng.integers(-3, 4, n)], dtype=object)
    return X, y


@pytest.mark.parametrize("model", ["relu", "abs"])
def test_implicit_route_reaches_the_explicit_exact_optimum(model):
    X, y = _data()
    kw = dict(model=model, reg="l1", bias=True, beta=F(1, 10), certify=True)
    ex = fit(X, y, **kw)
    fam = get_family(model, reg="l1", bias=True)
    small = fam.estimate_bytes(12, 2, True) // 2           # the dictionary does not fit
    im = fit(X, y, max_bytes=small, **kw)
    assert ex.route["route"] == "explicit" and im.route["route"] == "implicit"
    assert im.route["description"].startswith("implicit, streamed, block size ")
    assert im.certificate.status == ex.certificate.status == "certified-optimal"
    assert im.objective_exact == ex.objective_exact            # exact rationals
    # second route, sharing nothing with the certifier: the reported network's plain
    # forward pass gives the reported objective (float, 1e-9 relative: n = 12 small
    # rationals, rounding ~1e-15)
    js = im.to_json()
    net = network_from_json(js, 2)
    val = net.objective(np.asarray(X, dtype=float), np.asarray(y, dtype=float), model,
                        "l1", 0.1)
    assert val == pytest.approx(float(im.objective_exact), rel=1e-9)
    assert js["route"]["route"] == "implicit"
    assert js["colgen"]["stop"] == "no-violation-float" and js["colgen"]["converged"]


@pytest.mark.parametrize("kw", [{}, {"cache": 0, "neighbours": 0}, {"cache": 60}])
def test_streamed_colgen_matches_the_explicit_lasso_in_floats(kw):
    """Float objective of streamed column generation (default: neighbour start and a
    column cache; from empty without a cache; a small cache) = the solver on the whole
    explicit dictionary (1e-9 relative: both stop at relative gaps ≤ 1e-9)."""
    from exactgeo.lasso.solver import solve
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, (30, 2))
    y = np.sign(X[:, 0] * X[:, 1])
    fam = get_family("relu", reg="l1", bias=True)
    cg = streamed_column_generation(ImplicitSource(fam, X), y, 1e-2, progress=False, **kw)
    ref = solve(fam.dictionary(X).float_matrix(), y, 1e-2)
    assert cg.stop == "no-violation-float"
    assert cg.objective == pytest.approx(ref.objective, rel=1e-9)


def test_streamed_colgen_keeps_its_columns_within_max_bytes():
    """``max_bytes`` bounds the float columns held (8n bytes each): a first working set
    beyond it is refused before the run, naming the size and the alternatives; by default
    the start shrinks to fit instead; a budget that leaves no room for the column cache
    reaches the same optimum without it (1e-9 relative, as above); a budget the working
    set outgrows is refused when it would."""
    from exactgeo.lasso.solver import solve
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, (30, 2))
    y = np.sign(X[:, 0] * X[:, 1])
    fam = get_family("relu", reg="l1", bias=True)
    src = ImplicitSource(fam, X)
    w0 = src.neighbour_columns(2).size
    with pytest.raises(MemoryError, match=rf"would hold {w0 + 1} float columns of n = 30 "
                                          r"samples .*max_bytes = .*neighbours=2"):
        streamed_column_generation(src, y, 1e-2, progress=False, neighbours=2,
                                   max_bytes=8 * 30 * w0)
    ref = solve(fam.dictionary(X).float_matrix(), y, 1e-2)
    for budget in (w0 + 100, w0 + 200):
        cg = streamed_column_generation(src, y, 1e-2, progress=False,
                                        max_bytes=8 * 30 * budget)
        assert cg.stop == "no-violation-float"
        assert cg.objective == pytest.approx(ref.objective, rel=1e-9)
    with pytest.raises(MemoryError, match=r"column generation would hold \d+ float columns"):
        streamed_column_generation(src, y, 1e-2, progress=False, neighbours=0,
                                   max_bytes=8 * 30 * 61)


def test_progress_lines_have_the_round_fields():
    rng = np.random.default_rng(2)
    X = rng.uniform(-1, 1, (30, 2))
    y = np.sign(X[:, 0])
    out = io.StringIO()
    prog = Progress(label="exactgeo", delay=0.0, interval=0.0, stream=out)
    streamed_column_generation(ImplicitSource(get_family("relu", reg="l1"), X), y, 1e-2,
                               progress=prog)
    lines = [ln for ln in out.getvalue().splitlines() if "colgen round" in ln
             and "objective" in ln]
    assert lines
    for field_ in ("objective", "gap", "worst violation S/beta", "working set",
                   "columns/s"):
        assert field_ in lines[0], (field_, lines[0])


@pytest.mark.parametrize("flag", ["--json", "-q", None])
def test_cli_progress_quiet_with_json_and_q(flag, tmp_path, monkeypatch, capsys):
    import exactgeo.progress as pg
    forced = pg.as_progress
    monkeypatch.setattr(pg, "as_progress", lambda p, **kw: (
        p if isinstance(p, pg.Progress) else
        pg.Progress(p is None or bool(p), delay=0.0, interval=0.0)))
    rng = np.random.default_rng(3)
    X = rng.uniform(-1, 1, (20, 2)).round(2)
    path = tmp_path / "d.csv"
    np.savetxt(path, np.c_[X, np.sign(X[:, 1])], delimiter=",", fmt="%.2f")
    argv = ["fit", str(path), "--beta", "0.01", "--max-bytes", "100000"]
    argv += [flag] if flag else []
    assert cli.main(argv) == 0
    cap = capsys.readouterr()
    if flag:
        assert "colgen round" not in cap.err
    else:
        assert "colgen round" in cap.err and "worst violation" in cap.err
    if flag == "--json":
        assert json.loads(cap.out)["route"]["route"] == "implicit"
    elif flag is None:
        assert "route: implicit, streamed, block size" in cap.out
    assert forced is not None


def test_streamed_column_generation_is_deterministic():
    """Two runs on the same data take the same rounds and end on the same columns and
    coefficients, bit for bit (no decision depends on measured times)."""
    rng = np.random.default_rng(11)
    X = rng.integers(-20, 21, (90, 2)) / 8.0
    y = np.sign(np.sin(X[:, 0] * 2) + X[:, 1])
    runs = []
    for _ in range(2):
        src = ImplicitSource(get_family("relu", reg="l1", bias=True), X)
        cg = streamed_column_generation(src, y, 1e-3, progress=False, cache=400, add=60)
        runs.append((cg.rounds, cg.columns_idx.tolist(), cg.history,
                     np.asarray(cg.solution.z).tolist()))
    assert runs[0][0] > 2                       # several rounds, the cache among them
    assert runs[0] == runs[1]
