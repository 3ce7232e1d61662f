"""What every example shares: the one figures folder, a headless pyplot, and the words
that put a result's objective and certificate status into a figure.

Every example writes its PNGs into ``examples/figures/`` (created on demand) unless given
another folder, and exposes ``main(out_dir=None, quick=False) -> [paths]`` (``quick``: a
tiny version for the tests) beside its command line.
"""
from __future__ import annotations

from pathlib import Path

FIGURES = Path(__file__).resolve().parent / "figures"


def figures_dir(out_dir=None) -> Path:
    """``out_dir`` (default ``examples/figures/``), created if missing."""
    path = FIGURES if out_dir is None else Path(out_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def pyplot():
    """matplotlib.pyplot on the headless Agg backend (ImportError with the install hint
    when matplotlib is missing: it is in the ``examples`` extra)."""
    try:
        import matplotlib
    except ImportError:
        raise ImportError("the examples draw with matplotlib: pip install "
                          "'exactgeo[examples]' (or matplotlib)") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def save(fig, path) -> Path:
    """Write ``fig`` to ``path`` (PNG), close it, print and return the path."""
    plt = pyplot()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    print(f"figure: {path}")
    return Path(path)


def short(q, digits: int = 24) -> str:
    """An exact value for a title: p/q when short, else its float with 'exact'."""
    s = str(q)
    return s if len(s) <= digits else f"{float(q):.10g} (exact, {len(s)} chars)"


def fit_status(res) -> str:
    """'objective 0.19 = 19/100, certified-optimal' for a :class:`exactgeo.FitResult`."""
    what = "ℓ1 norm" if res.min_norm else "objective"
    text = f"{what} {res.objective:.6g}"
    if res.objective_exact is not None:
        text += f" = {short(res.objective_exact)}"
    status = "upper-bound (not certified)" if res.certificate is None else \
        res.certificate.status
    return f"{text}, {status}"
