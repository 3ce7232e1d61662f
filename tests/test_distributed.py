"""dask.distributed pricing of streamed sources: identical to the serial run; an
unreachable scheduler is a clear error within seconds; the core imports without dask."""
import pickle
import socket
import subprocess
import sys
import time
from fractions import Fraction as F

import numpy as np
import pytest

from exactgeo.distributed import check_settings, client_for, price_distributed
from exactgeo.families import get_family
from exactgeo.sources import ImplicitSource
from exactgeo.sources.implicit import price_range


def _source(n=40, seed=0, block=97):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, 2))
    src = ImplicitSource(get_family("relu", reg="l1", bias=True), X)
    src.block_size = block                       # many blocks
    r = rng.standard_normal(n)
    return src, r - r.mean()


def test_core_imports_without_dask():
    code = ("import sys, builtins; real = builtins.__import__\n"
            "def imp(name, g=None, l=None, f=(), level=0):\n"
            "    if level == 0 and name.split('.')[0] in ('dask', 'distributed'):\n"
            "        raise ImportError(name)\n"
            "    return real(name, g, l, f, level)\n"
            "builtins.__import__ = imp\n"
            "import numpy as np, exactgeo\n"
            "from exactgeo.pipeline import fit\n"
            "x = np.linspace(0, 1, 40)[:, None]\n"
            "r = fit(x, np.sin(6 * x[:, 0]), beta=0.01, max_bytes=20000)\n"
            "print(r.route['route'])\n"
            "try:\n"
            "    fit(np.array([[0.0], [1.0]]), np.array([0.0, 1.0]), beta=0.1, workers=2)\n"
            "except ValueError as e: print('ERR', e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == "implicit"
    assert "dask extra" in out.stdout


def test_settings_are_validated():
    with pytest.raises(ValueError, match="workers"):
        check_settings(None, 0)
    with pytest.raises(TypeError, match="scheduler"):
        check_settings(3, None)
    with pytest.raises(ValueError, match="not both"):
        check_settings("tcp://127.0.0.1:1", 2)


def test_specs_are_picklable_and_any_split_gives_the_serial_answer():
    src, r = _source()
    serial = src.price(r, k=7, exclude=[3, 10, 11])
    spec = pickle.loads(pickle.dumps(src.spec()))
    parts = [price_range(spec, r, s, min(src.candidates, s + 3 * src.block_size), 7,
                         exclude=[3, 10, 11])
             for s in range(0, src.candidates, 3 * src.block_size)]
    from exactgeo.sources.implicit import merge_priced
    merged = merge_priced(parts, 7)
    assert merged.idx.tolist() == serial.idx.tolist()
    assert merged.values.tolist() == serial.values.tolist()         # bit for bit
    assert (merged.sup, merged.argmax) == (serial.sup, serial.argmax)


def test_local_cluster_two_workers_identical_to_serial():
    pytest.importorskip("distributed")
    src, r = _source(seed=1)
    serial = src.price(r, k=9, threshold=0.01)
    with client_for(None, 2, processes=False) as client:
        dist = price_distributed(client, src, r, 9, threshold=0.01)
        full = src.price(r, k=9, threshold=0.01, client=client)
    for got in (dist, full):
        assert got.idx.tolist() == serial.idx.tolist()
        assert got.values.tolist() == serial.values.tolist()
        assert (got.sup, got.argmax) == (serial.sup, serial.argmax)


def test_fit_with_workers_identical_to_serial():
    pytest.importorskip("distributed")
    rng = np.random.default_rng(5)
    X = np.array([[F(int(v), 4) for v in row] for row in rng.integers(-8, 9, (10, 2))],
                 dtype=object)
    y = np.array([F(int(v)) for v in rng.integers(-2, 3, 10)], dtype=object)
    kw = dict(model="relu", reg="l1", bias=True, beta=F(1, 10), certify=True,
              max_bytes=20000)
    a = fit_(X, y, **kw)
    b = fit_(X, y, workers=2, **kw)
    assert a.route["route"] == b.route["route"] == "implicit"
    assert a.objective_exact == b.objective_exact
    assert a.certificate.status == b.certificate.status == "certified-optimal"
    assert a.colgen["history"] == b.colgen["history"]


def fit_(X, y, **kw):
    from exactgeo.pipeline import fit
    return fit(X, y, **kw)


def test_unreachable_scheduler_fails_fast():
    pytest.importorskip("distributed")
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()                                    # a closed local port
    t = time.monotonic()
    with pytest.raises(OSError, match="could not connect to the dask scheduler"):
        with client_for(f"tcp://127.0.0.1:{port}", None, timeout=1.0):
            pass
    assert time.monotonic() - t < 60             # a generous bound: it must not hang
