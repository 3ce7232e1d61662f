"""The ``exactgeo`` command line: ``fit``, ``construct``, ``prove``.

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
    sub = p.add_subparsers(dest="command", parser_class=_Parser, required=True)

    fit = sub.add_parser("fit", help="fit a network as a certified Lasso over geometric features")
    fit.add_argument("data", help="CSV: feature columns then a target column, or a bundled "
                                  "dataset name such as 'spiral'")
    from .families import registered
    keys = registered()
    fit.add_argument("--model", choices=sorted({k[0] for k in keys}), default="relu",
                     help="the activation / architecture (a registered family)")
    fit.add_argument("--depth", type=int, default=2)
    fit.add_argument("--reg", choices=sorted({k[2] for k in keys}), default="l1",
                     help="the inner-weight penalty: l2 (weight decay) or l1")
    fit.add_argument("--no-bias", action="store_true")
    g = fit.add_mutually_exclusive_group(required=True)
    g.add_argument("--beta", type=str, help="regularization β > 0 (a number or p/q)")
    g.add_argument("--min-norm", action="store_true", help="β → 0: minimum-ℓ1 interpolation")
    fit.add_argument("--exact", action="store_true", help="exact rational KKT certificate")
    fit.add_argument("--certify", action="store_true", help="global network certificate")
    fit.add_argument("--colgen", action="store_true", help="column generation until certified")
    fit.add_argument("--samples", type=int, default=2000, help="sampled oracle size (d >= 3)")
    fit.add_argument("--seed", type=int, default=0)
    fit.add_argument("--max-seconds", type=float, default=None,
                     help="stop column generation after this many seconds (stated in the output)")
    fit.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    fit.add_argument("--json", action="store_true")

    con = sub.add_parser("construct", help="explicit minimizer of a deep ReLU net on clustered data")
    con.add_argument("data", help="CSV: feature columns then a label column (numbers or text; "
                                  "classes in sorted order), or a bundled name")
    con.add_argument("--layers", type=int, required=True,
                     help="number of hidden layers L >= Q (the number of classes)")
    con.add_argument("--method", choices=["kappa", "lp"], default="kappa",
                     help="kappa: needs the clustering condition kappa < 1/2 (default); "
                          "lp: exact step-wise separability, any kappa (exact weights)")
    con.add_argument("--exact", action="store_true", help="exact rational weights and cost")
    con.add_argument("--json", action="store_true")

    pr = sub.add_parser("prove", help="verify the built-in theorems (exactgeo.proofs) symbolically and exactly")
    pr.add_argument("names", nargs="*", help="theorem names (default: all)")
    pr.add_argument("--json", action="store_true")
    pr.add_argument("--list", action="store_true", help="list theorem names and exit")
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "prove":
            from exactgeo.proofs.runner import cli_prove as run
        elif args.command == "fit":
            from .pipeline import cli_fit as run
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
