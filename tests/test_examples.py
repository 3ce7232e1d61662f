"""Every example runs headless in its quick form and writes non-empty PNGs where it is told
(examples/figures/ by default). Skipped without matplotlib (the ``examples`` extra)."""
import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
OURS = ["clusters_frontier", "clusters_truncation", "gd_comparison", "spiral_fit",
        "weight_decay_cells"]
PNG = b"\x89PNG\r\n\x1a\n"


def _load(name):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", OURS)
def test_example_writes_its_figures(name, tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    from matplotlib.image import imread
    paths = _load(name).main(tmp_path / "figs", quick=True)
    assert paths, f"{name}.main returned no figure"
    for path in paths:
        path = Path(path)
        assert path.parent == tmp_path / "figs" and path.suffix == ".png"
        data = path.read_bytes()
        assert data[:8] == PNG and len(data) > 10_000      # a real picture, not a stub
        h, w = imread(path).shape[:2]
        assert h >= 300 and w >= 400


def test_default_folder_is_examples_figures():
    figures = _load("_figures")
    assert figures.FIGURES == EXAMPLES / "figures"


def test_spiral_figure_compares_optimum_with_trained_net(tmp_path):
    """The quick spiral run: the certified optimum is ≤ the trained net's objective (any
    trained net is feasible), both recomputed here by a plain forward pass."""
    import numpy as np
    spiral = _load("spiral_fit")
    Xf, yf, res, tr = spiral.run("1/100", steps=100, restarts=1, seed=0, every=3)
    assert res.certificate.status == "certified-optimal"
    beta = 0.01
    for net, reported in ((res.net, res.objective), (tr.net, tr.objective)):
        f = np.asarray(net.forward(Xf), dtype=float)
        W, _ = net.layers[0]
        assert len(f) == len(yf) and W.shape[1] == 2
        # float tolerance: n = 54 terms of size ≲ 10 in float64, 1e-9 relative is ample
        assert abs(float(net.objective(Xf, yf, beta)) - reported) <= 1e-9 * (1 + reported)
    assert res.objective <= tr.objective * (1 + 1e-9)
    # each certified neuron is the line through its spanning samples: u·x + c = 0 there
    for nj in res.neurons():
        u, c = np.asarray(nj["atom"]["u"]), nj["atom"]["c"]
        assert len(nj["points"]) >= 1
        assert np.allclose(Xf[nj["points"]] @ u + c, 0, atol=1e-12)
