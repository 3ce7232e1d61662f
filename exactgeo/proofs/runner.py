"""Discover and run the theorem modules of :mod:`exactgeo.proofs` (``exactgeo prove``).

See :mod:`exactgeo.proofs` for the module protocol (``NAME``, ``DESCRIPTION``, ``prove() -> int``).

>>> from exactgeo.proofs.runner import run
>>> [(r.name, r.passed) for r in run(["ga-i12-abs-min"])]
[('ga-i12-abs-min', True)]
"""
from __future__ import annotations

import importlib
import json
import os
import pkgutil
import sys
import time
import traceback
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

__all__ = ["Theorem", "TheoremResult", "discover", "run", "run_one", "cli_prove"]

_SKIP = {"runner"}


@dataclass(frozen=True)
class Theorem:
    """A discovered theorem: ``prove`` is None when the module could not be loaded."""
    name: str
    description: str
    module: str
    prove: Optional[Callable[[], int]] = field(default=None, compare=False, repr=False)
    error: Optional[str] = None


@dataclass(frozen=True)
class TheoremResult:
    """Outcome of one theorem: ``cases`` checked, wall ``seconds``, failure ``message``."""
    name: str
    passed: bool
    cases: int
    seconds: float
    message: str = ""

    def to_json(self) -> dict:
        d = {"name": self.name, "passed": self.passed, "cases": self.cases,
             "seconds": round(self.seconds, 4)}
        if not self.passed:
            d["message"] = self.message
        return d


def _describe(exc: BaseException) -> str:
    """One-line description of an exception with the innermost source location."""
    text = str(exc).strip() or "assertion failed"
    if not isinstance(exc, AssertionError):
        text = f"{type(exc).__name__}: {text}"
    tb = traceback.extract_tb(exc.__traceback__)
    if tb:
        frame = tb[-1]
        text += f" (at {os.path.basename(frame.filename)}:{frame.lineno})"
    return text


def theorem_from_module(mod) -> Theorem:
    """Check one module against the protocol and wrap it as a :class:`Theorem`."""
    short = mod.__name__.rsplit(".", 1)[-1]
    name = getattr(mod, "NAME", None)
    fallback = short.replace("_", "-")
    if not isinstance(name, str) or not name:
        return Theorem(fallback, "", mod.__name__, error=f"module {mod.__name__} defines no "
                       "NAME string (see the protocol in exactgeo/proofs/__init__.py)")
    desc = getattr(mod, "DESCRIPTION", "")
    prove = getattr(mod, "prove", None)
    if not callable(prove):
        return Theorem(name, str(desc), mod.__name__,
                       error=f"module {mod.__name__} defines no prove() function")
    if not isinstance(desc, str) or not desc:
        return Theorem(name, "", mod.__name__,
                       error=f"module {mod.__name__} defines no DESCRIPTION string")
    return Theorem(name, desc, mod.__name__, prove=prove)


def discover(package: str = "exactgeo.proofs") -> list[Theorem]:
    """All theorem modules of ``package`` (public, not ``runner``), in module-name order.

    A module that fails to import or breaks the protocol is returned with ``error``
    set, so it shows up as a failed theorem instead of hiding the others.
    """
    pkg = importlib.import_module(package)
    found: list[Theorem] = []
    for info in pkgutil.iter_modules(pkg.__path__):
        short = info.name
        if short.startswith("_") or short in _SKIP or info.ispkg:
            continue
        modname = f"{package}.{short}"
        try:
            mod = importlib.import_module(modname)
        except Exception as exc:  # a broken module is a failed theorem, not a crash
            found.append(Theorem(short.replace("_", "-"), "", modname,
                                 error=f"import failed: {_describe(exc)}"))
            continue
        found.append(theorem_from_module(mod))
    seen: dict[str, str] = {}
    out = []
    for t in sorted(found, key=lambda t: (t.module, t.name)):  # file order: ga_i01, ga_i02…
        if t.name in seen:
            t = Theorem(t.name, t.description, t.module,
                        error=f"duplicate NAME {t.name!r} (also in {seen[t.name]})")
        else:
            seen[t.name] = t.module
        out.append(t)
    return out


def run_one(theorem: Theorem) -> TheoremResult:
    """Run one theorem; failures (any exception) become a result with a message."""
    start = time.perf_counter()
    if theorem.prove is None:
        return TheoremResult(theorem.name, False, 0, 0.0, theorem.error or "not runnable")
    try:
        cases = theorem.prove()
    except Exception as exc:
        return TheoremResult(theorem.name, False, 0, time.perf_counter() - start,
                             _describe(exc))
    seconds = time.perf_counter() - start
    if isinstance(cases, bool) or not isinstance(cases, int) or cases < 1:
        return TheoremResult(theorem.name, False, 0, seconds,
                             f"prove() returned {cases!r}; expected the number of cases "
                             "checked (a positive int)")
    return TheoremResult(theorem.name, True, cases, seconds)


def select(names: Optional[Iterable[str]] = None,
           theorems: Optional[list[Theorem]] = None) -> list[Theorem]:
    """The theorems named in ``names`` (all when empty), in the order given.

    Raises ValueError naming the unknown names and listing the known ones.
    """
    theorems = discover() if theorems is None else list(theorems)
    if not names:
        return theorems
    by_name = {t.name: t for t in theorems}
    names = list(dict.fromkeys(names))
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise ValueError(f"names: unknown theorem {', '.join(map(repr, unknown))}; "
                         f"known theorems: {', '.join(sorted(by_name)) or '(none)'}")
    return [by_name[n] for n in names]


def run(names: Optional[Iterable[str]] = None, theorems: Optional[list[Theorem]] = None,
        on_result: Optional[Callable[[TheoremResult], None]] = None) -> list[TheoremResult]:
    """Run the selected theorems (all by default) and return their results.

    ``theorems`` replaces discovery (e.g. ``[theorem_from_module(m)]`` in tests);
    ``on_result`` is called after each theorem, for streaming output.
    """
    results = []
    for t in select(names, theorems):
        r = run_one(t)
        results.append(r)
        if on_result is not None:
            on_result(r)
    return results


def _print_table_row(cols, widths, file):
    print("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                    for i, (c, w) in enumerate(zip(cols, widths))), file=file, flush=True)


def cli_prove(args, theorems: Optional[list[Theorem]] = None, file=None) -> int:
    """``exactgeo prove [NAME ...] [--json] [--list]``; returns the exit status.

    0 when every selected theorem passed, 1 when any failed; unknown names raise
    ValueError (the CLI prints one line and exits 2).
    """
    out = sys.stdout if file is None else file
    names = list(getattr(args, "names", None) or [])
    as_json = bool(getattr(args, "json", False))
    selected = select(names, theorems)
    if getattr(args, "list", False):
        if as_json:
            print(json.dumps({"theorems": [{"name": t.name, "description": t.description}
                                           for t in selected]}, indent=2), file=out)
        else:
            width = max((len(t.name) for t in selected), default=0)
            for t in selected:
                print(f"{t.name.ljust(width)}  {t.description or t.error}", file=out)
        return 0

    start = time.perf_counter()
    if as_json:
        results = run(theorems=selected)
    else:
        width = max([len("theorem")] + [len(t.name) for t in selected])
        widths = (width, 8, 6, 8)
        _print_table_row(("theorem", "cases", "result", "seconds"), widths, out)
        _print_table_row(("-" * width, "-" * 8, "-" * 6, "-" * 8), widths, out)

        def show(r: TheoremResult):
            _print_table_row((r.name, r.cases, "pass" if r.passed else "FAIL",
                              f"{r.seconds:.2f}"), widths, out)
            if not r.passed:
                print(f"    {r.message}", file=out, flush=True)

        results = run(theorems=selected, on_result=show)
    total = time.perf_counter() - start
    ok = bool(results) and all(r.passed for r in results)  # no theorems is a failure
    if as_json:
        print(json.dumps({"theorems": [r.to_json() for r in results], "passed": ok,
                          "seconds": round(total, 4)}, indent=2), file=out)
    else:
        failed = [r.name for r in results if not r.passed]
        cases = sum(r.cases for r in results)
        if not results:
            print("no theorems found", file=out)
        elif ok:
            print(f"all {len(results)} theorems passed ({cases} cases, {total:.1f} s)", file=out)
        else:
            print(f"{len(failed)} of {len(results)} theorems FAILED: {', '.join(failed)} "
                  f"({total:.1f} s)", file=out)
    return 0 if ok else 1
