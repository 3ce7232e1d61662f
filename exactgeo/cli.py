"""The ``exactgeo`` command line: ``fit``, ``construct``, ``prove``, ``datasets``
(``exactgeo --version``; ``python -m exactgeo`` is the same).

User mistakes print one line ``exactgeo: error: ...`` and exit with status 2.
Each subcommand's work lives beside the concept it drives; this module only parses.
"""
from __future__ import annotations

import argparse
import sys


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (argparse prints usage too; keep it short)
        print(f"exactgeo: error: {message}", file=sys.stderr)
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="exactgeo", description="Exact geometry of neural networks.")
    p.add_argument("--version", action="version", version=f"exactgeo {_version()}",
                   help="print the installed exactgeo version and exit")
    sub = p.add_subparsers(dest="command", parser_class=_Parser, required=True)

    fit = sub.add_parser("fit", help="fit a network as a certified Lasso over geometric features")
    fit.add_argument("data", help="CSV: feature columns then a target column, or a bundled "
                                  "dataset name such as 'spiral'")
    from .families import registered
    keys = registered()
    fit.add_argument("--model", choices=sorted({k[0] for k in keys}), default="relu",
                     help="the activation / architecture (a registered family)")
    fit.add_argument("--depth", type=int, default=2,
                     help="number of weight layers L (default 2: one hidden layer; 3 or 4: "
                          "parallel chains with the l_L^L penalty: relu 1-D data with "
                          "biases, abs any d)")
    fit.add_argument("--reg", choices=sorted({k[2] for k in keys}), default="l1",
                     help="the inner-weight penalty: l2 (weight decay) or l1")
    fit.add_argument("--no-bias", action="store_true",
                     help="neurons without biases and no intercept ξ (default: with both)")
    g = fit.add_mutually_exclusive_group(required=True)
    g.add_argument("--beta", type=str, help="regularization β > 0 (a number or p/q)")
    g.add_argument("--min-norm", action="store_true", help="β → 0: minimum-ℓ1 interpolation")
    fit.add_argument("--exact", action="store_true", help="exact rational KKT certificate")
    fit.add_argument("--certify", action="store_true", help="global network certificate")
    fit.add_argument("--colgen", action="store_true", help="column generation until certified")
    fit.add_argument("--samples", type=int, default=2000, help="sampled oracle size (d >= 3)")
    fit.add_argument("--seed", type=int, default=0,
                     help="seed of the sampled pricing oracle (results are deterministic)")
    fit.add_argument("--max-seconds", type=float, default=None,
                     help="stop column generation after this many seconds (stated in the output)")
    fit.add_argument("--max-bytes", type=int, default=2 ** 31, metavar="BYTES",
                     help="memory for the dictionary; beyond it the dictionary is streamed "
                          "in blocks within this budget (default 2 GiB)")
    dk = fit.add_mutually_exclusive_group()
    dk.add_argument("--scheduler", type=str, default=None, metavar="ADDRESS",
                    help="price streamed dictionaries on an existing dask.distributed cluster "
                         "(the dask extra)")
    dk.add_argument("--workers", type=int, default=None, metavar="K",
                    help="price streamed dictionaries on a local dask cluster of K workers")
    fit.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    fit.add_argument("--json", action="store_true",
                     help="print the result as JSON (the documented contract); no progress")
    fit.add_argument("--latex", action="store_true",
                     help="print the closed-form network as LaTeX: each neuron through the "
                          "training points spanning it, with its exact weights")

    con = sub.add_parser("construct", help="explicit minimizer of a deep ReLU net on clustered data")
    con.add_argument("data", help="CSV: feature columns then a label column (numbers or text; "
                                  "classes in sorted order), or a bundled name")
    con.add_argument("--layers", type=int, required=True,
                     help="number of hidden layers L >= Q (the number of classes)")
    con.add_argument("--method", choices=["kappa", "lp"], default="kappa",
                     help="kappa: needs the clustering condition kappa < 1/2 (default); "
                          "lp: exact step-wise separability, any kappa (exact weights)")
    con.add_argument("--exact", action="store_true", help="exact rational weights and cost")
    con.add_argument("--json", action="store_true", help="print the result as JSON")

    pr = sub.add_parser("prove", help="verify theorems (built-in or your own files/modules) "
                                      "symbolically and exactly")
    pr.add_argument("names", nargs="*", metavar="TARGET",
                    help="a theorem file (.py) or directory, a built-in theorem NAME, or a "
                         "module/package by dotted name (default: every built-in theorem)")
    pr.add_argument("--json", action="store_true",
                    help="print {\"theorems\": [{name, passed, cases, seconds}]} as JSON")
    pr.add_argument("--list", action="store_true", help="list theorem names and exit")
    pr.add_argument("--new", metavar="NAME",
                    help="write a passing theorem template NAME.py (never overwrites) and exit")

    ds = sub.add_parser("datasets", help="list the bundled datasets (usable by name, e.g. "
                                         "'exactgeo fit spiral')")
    ds.add_argument("--json", action="store_true",
                    help="print [{name, n, d, target, description, path}] as JSON")
    return p


def _version() -> str:
    """The installed distribution's version (package metadata), else the source's."""
    from importlib import metadata
    try:
        return metadata.version("exactgeo")
    except metadata.PackageNotFoundError:
        from . import __version__
        return __version__


_BLAS_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _single_threaded_blas() -> None:
    """Run BLAS on one thread unless the user chose (any of _BLAS_THREAD_VARS set). The
    solvers' matrices are small (n rows); on a busy machine OpenBLAS's spinning threads
    made the README's main job's float Lasso 10x slower (36 s instead of 3.7 s, measured
    at load 4-5 on 2 cores). Only effective before numpy is imported (the console script
    imports nothing heavy before this)."""
    import os
    if "numpy" not in sys.modules and not any(v in os.environ for v in _BLAS_THREAD_VARS):
        os.environ["OPENBLAS_NUM_THREADS"] = "1"


def main(argv=None) -> int:
    _single_threaded_blas()
    args = build_parser().parse_args(argv)
    try:
        if args.command == "prove":
            from exactgeo.proofs.runner import cli_prove as run
        elif args.command == "fit":
            from .pipeline import cli_fit as run
        elif args.command == "datasets":
            from .datasets import cli_datasets as run
        else:
            from .minimizers.cli import cli_construct as run
        return run(args)
    except (ValueError, TypeError, OSError, MemoryError, OverflowError) as exc:
        print(f"exactgeo: error: {_one_line(exc, args.command)}", file=sys.stderr)
        return 2
    except RuntimeError as exc:    # e.g. results.InconsistentResult: never print a false result
        print(f"exactgeo: internal error: {_one_line(exc, args.command)}", file=sys.stderr)
        return 1


def _one_line(exc: BaseException, command: str) -> str:
    """The message of ``exc`` on one line; never empty (a bare MemoryError says what ran
    out), and an OverflowError says which limit was hit."""
    msg = " ".join(str(exc).split())
    if isinstance(exc, MemoryError) and not msg:
        return (f"out of memory while running '{command}'; reduce the data size or the "
                "parameters (e.g. --layers, --samples)")
    if isinstance(exc, OverflowError):
        return (f"numeric overflow: {msg or 'a value is too large'} (a value, or a common "
                "denominator of exact data, is beyond the float range of about 1.8e308)")
    if isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError):
        return msg or f"{type(exc).__name__} while reading the data"
    return msg or type(exc).__name__


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
