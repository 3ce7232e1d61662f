"""Find and run theorems (``exactgeo prove``): built-in ones and your own.

The theorem protocol
--------------------
A theorem is a Python module (one file) that defines

``NAME``
    a short kebab-case id, e.g. ``"my-cross-identity"`` (shown in the output);
``DESCRIPTION``
    one line saying what is verified;
``prove() -> int``
    checks the statement and returns the number of cases checked (a positive int); on
    failure it raises (``AssertionError`` with a message that says which case failed; any
    other exception also counts as a failure).

Keep the import cheap (import sympy inside ``prove``) and the work deterministic (fixed
seeds). ``exactgeo prove --new NAME`` writes a passing template ``NAME.py`` to start from.

What ``exactgeo prove TARGET ...`` runs
---------------------------------------
Each TARGET is, in this order of precedence,

- a path: a theorem file ``path/to/thm.py``, or a directory (every ``*.py`` in it whose
  name does not start with ``_``); the file's directory is on ``sys.path`` while it is
  imported, so it can import its neighbours;
- the NAME of a built-in theorem (``exactgeo prove --list``);
- a dotted module name importable from ``sys.path`` or the current directory: a theorem
  module (``mypkg.thm``), or
  a package (``mypkg.thms``), whose public modules are all theorems (as in
  :mod:`exactgeo.proofs`).

No TARGET runs every built-in theorem. A target that does not exist (no such file,
theorem or module) is bad input: one line on stderr, exit status 2, nothing runs. A
theorem that cannot be loaded — its file or module raises on import, or it breaks the
protocol — is reported as a *failed theorem* (``passed: false``, ``message`` naming the
file and the error, on one line) and the others still run; so is a ``prove()`` that raises
or does not return a positive int. The exit status is 0 only when every theorem passed,
else 1.

>>> from exactgeo.proofs.runner import run
>>> [(r.name, r.passed) for r in run(["ga-i12-abs-min"])]
[('ga-i12-abs-min', True)]
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import pkgutil
import re
import sys
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

__all__ = ["Theorem", "TheoremResult", "discover", "resolve", "load_file", "load_module",
           "run", "run_one", "cli_prove", "write_template"]

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
    """One-line description of an exception with the innermost source location (outside
    the import machinery)."""
    text = " ".join(str(exc).split()) or "assertion failed"
    if not isinstance(exc, AssertionError):
        text = f"{type(exc).__name__}: {text}"
    tb = [f for f in traceback.extract_tb(exc.__traceback__)
          if not f.filename.startswith("<frozen") and f.filename != __file__]
    if tb and not isinstance(exc, SyntaxError):       # a SyntaxError names its own line
        frame = tb[-1]
        text += f" (at {os.path.basename(frame.filename)}:{frame.lineno})"
    return text


def theorem_from_module(mod, label: Optional[str] = None) -> Theorem:
    """Check one module against the protocol and wrap it as a :class:`Theorem`.

    ``label`` names the module in messages and in ``Theorem.module`` (default: its
    ``__name__``; theorem files use their path).
    """
    label = label or mod.__name__
    short = Path(label).stem if label.endswith(".py") else mod.__name__.rsplit(".", 1)[-1]
    name = getattr(mod, "NAME", None)
    fallback = short.replace("_", "-")
    if not isinstance(name, str) or not name:
        return Theorem(fallback, "", label, error=f"{label} defines no NAME string (the "
                       "theorem protocol: NAME, DESCRIPTION, prove() -> int)")
    desc = getattr(mod, "DESCRIPTION", "")
    prove = getattr(mod, "prove", None)
    if not callable(prove):
        return Theorem(name, str(desc), label, error=f"{label} defines no prove() function")
    if not isinstance(desc, str) or not desc:
        return Theorem(name, "", label, error=f"{label} defines no DESCRIPTION string")
    return Theorem(name, desc, label, prove=prove)


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


def load_file(path) -> Theorem:
    """The theorem in the file ``path`` (imported under a private module name, with its
    directory on ``sys.path`` during the import). An import failure gives a Theorem with
    ``error`` = one line naming the file and the exception."""
    label = str(path)
    full = Path(path).resolve()
    fallback = full.stem.replace("_", "-")
    digest = hashlib.sha1(str(full).encode()).hexdigest()[:12]
    modname = f"_exactgeo_theorem_{re.sub(r'[^0-9A-Za-z_]', '_', full.stem)}_{digest}"
    spec = importlib.util.spec_from_file_location(modname, full)
    if spec is None or spec.loader is None:
        return Theorem(fallback, "", label, error=f"import failed: {label}: not a Python file")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[modname] = mod
    sys.path.insert(0, str(full.parent))
    try:
        spec.loader.exec_module(mod)
    except (Exception, SystemExit) as exc:     # the user's file: report, never crash
        del sys.modules[modname]
        return Theorem(fallback, "", label, error=f"import failed: {label}: {_describe(exc)}")
    finally:
        sys.path.remove(str(full.parent))
    return theorem_from_module(mod, label)


def load_module(name: str) -> list[Theorem]:
    """The theorems of the importable module ``name``: all public modules of a package
    (:func:`discover`), or the module itself; an import failure is a failed Theorem."""
    spec = _find_spec(name)
    if spec is not None and spec.submodule_search_locations is not None:
        return discover(name)
    try:
        mod = importlib.import_module(name)
    except (Exception, SystemExit) as exc:
        return [Theorem(name.rsplit(".", 1)[-1].replace("_", "-"), "", name,
                        error=f"import failed: {name}: {_describe(exc)}")]
    return [theorem_from_module(mod)]


def _find_spec(name: str):
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*", name):
        return None
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):          # a parent package is missing
        return None


@contextmanager
def _cwd_on_path():
    """The current directory on ``sys.path`` (last) while dotted targets are imported, as
    ``python -m`` has it (the ``exactgeo`` console script does not)."""
    cwd = os.getcwd()
    added = cwd not in sys.path and "" not in sys.path
    if added:
        sys.path.append(cwd)
    try:
        yield
    finally:
        if added:
            sys.path.remove(cwd)


def _is_path(target: str) -> bool:
    return target.endswith(".py") or os.sep in target or "/" in target \
        or os.path.exists(target)


def _load_path(target: str) -> list[Theorem]:
    path = Path(target)
    if path.is_dir():
        files = sorted(p for p in path.glob("*.py") if not p.name.startswith("_"))
        return [load_file(p) for p in files]
    if path.is_file():
        return [load_file(path)]
    raise ValueError(f"names: no such theorem file or directory {target!r}")


def resolve(targets: Optional[Iterable[str]] = None) -> list[Theorem]:
    """The theorems for ``exactgeo prove TARGET ...`` (module docstring): files,
    directories, built-in NAMEs, dotted modules or packages; every built-in one when
    ``targets`` is empty. Unknown targets raise ValueError before anything runs."""
    targets = list(dict.fromkeys(targets or []))
    if not targets:
        return discover()
    builtin: Optional[dict] = None
    found, unknown = [], []
    for target in targets:
        if _is_path(target):
            found.extend(_load_path(target))
            continue
        if builtin is None:
            builtin = {t.name: t for t in discover()}
        if target in builtin:
            found.append(builtin[target])
            continue
        with _cwd_on_path():
            if _find_spec(target) is not None:
                found.extend(load_module(target))
            else:
                unknown.append(target)
    if unknown:
        raise ValueError(f"names: unknown theorem {', '.join(map(repr, unknown))} (not a "
                         "built-in NAME, a theorem file or an importable module); known "
                         f"theorems: {', '.join(sorted(builtin or {})) or '(none)'}")
    return _unique(found)


def _unique(theorems: list[Theorem]) -> list[Theorem]:
    """Each module once (a package and one of its modules may both be given); a NAME
    taken by an earlier module of the selection makes a failed theorem."""
    modules, names, out = set(), {}, []
    for t in theorems:
        if t.module in modules:
            continue
        modules.add(t.module)
        if t.name in names:
            t = Theorem(t.name, t.description, t.module,
                        error=f"duplicate NAME {t.name!r} (also in {names[t.name]})")
        else:
            names[t.name] = t.module
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
    """The theorems named in ``names`` (all when empty), in the order given: resolved by
    :func:`resolve` (built-in NAMEs, files, modules), or picked by NAME from ``theorems``.

    Raises ValueError naming the unknown names and listing the known ones.
    """
    if theorems is None:
        return resolve(names)
    theorems = list(theorems)
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
    """``exactgeo prove [TARGET ...] [--json] [--list] [--new NAME]``; returns the exit
    status.

    0 when every selected theorem passed, 1 when any failed (a theorem file that fails to
    import is a failed theorem); unknown targets raise ValueError (the CLI prints one
    line and exits 2).
    """
    out = sys.stdout if file is None else file
    names = list(getattr(args, "names", None) or [])
    as_json = bool(getattr(args, "json", False))
    new = getattr(args, "new", None)
    if new is not None:
        if names:
            raise ValueError(f"--new: writes one template; expected no theorem names, got "
                             f"{' '.join(names)}")
        path = write_template(new)
        print(f"wrote {path}; run it with: exactgeo prove {path}", file=out)
        return 0
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


_TEMPLATE = '''"""{name}: a theorem for ``exactgeo prove {file}``.

The protocol: NAME, DESCRIPTION, and prove() returning the number of cases checked (a
positive int), raising AssertionError (with the failing case) when the statement fails.
Replace the example statement below with yours; keep the import cheap and the seeds fixed.
"""
NAME = "{name}"
DESCRIPTION = ("example: <cross(V), v_i> = 0 (THEORY I2), symbolically for d = 2..4 and on "
               "50 seeded rational instances")


def prove() -> int:
    import random
    from fractions import Fraction

    import sympy as sp

    import exactgeo

    cases = 0
    # symbolic: the library on generic symbols; the identity holds as polynomials
    for d in (2, 3, 4):
        V = sp.Matrix(d - 1, d, lambda i, j: sp.Symbol(f"v{{i}}{{j}}"))
        w = exactgeo.cross(V)
        for i in range(d - 1):
            dot = sp.expand(sum(w[j] * V[i, j] for j in range(d)))
            assert dot == 0, f"d={{d}}, row {{i}}: <cross(V), v_i> = {{dot}}"
            cases += 1
    # exact: seeded rational instances, compared exactly
    rng = random.Random(0)
    for _ in range(50):
        V = [[Fraction(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(3)]
             for _ in range(2)]
        w = exactgeo.cross(V)
        assert all(sum(a * b for a, b in zip(w, v)) == 0 for v in V), f"V = {{V}}"
        cases += 1
    return cases
'''


def write_template(name: str, directory=".") -> str:
    """Write the theorem template ``NAME.py`` (``name`` may end in ``.py``) into
    ``directory``; it passes as written. Refuses (ValueError) to overwrite a file or to
    use a name that is not a plain file name. Returns the path written."""
    stem = name[:-3] if name.endswith(".py") else name
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", stem):
        raise ValueError(f"--new: expected a file name made of letters, digits, '_' and '-' "
                         f"(starting with a letter), got {name!r}")
    path = os.path.normpath(os.path.join(str(directory), stem + ".py"))
    if os.path.exists(path):
        raise ValueError(f"--new: {path} already exists; refusing to overwrite it (choose "
                         "another NAME or remove the file)")
    text = _TEMPLATE.format(name=stem.lower().replace("_", "-"), file=os.path.basename(path))
    with open(path, "x", encoding="utf-8") as f:
        f.write(text)
    return path
