"""Theorem modules verified by ``exactgeo prove``.

Protocol (one theorem per module)
---------------------------------
Every module of this package is a theorem, except ``runner`` and private modules whose
name starts with ``_`` (shared helpers such as ``_symbolic``). A theorem module defines

``NAME``
    a short kebab-case id, unique in the package, e.g. ``"ga-i4-cauchy-binet"``;
    ``exactgeo prove NAME`` selects it.
``DESCRIPTION``
    one line saying what is verified, citing its THEORY section, e.g.
    ``"THEORY §1 I4: <×(V), ×(U)> = det(VU^T), d = 2..4"``.
``prove() -> int``
    verifies the statement (symbolically with sympy on generic symbols, and on exact
    rational instances through the library) and returns the number of cases checked
    (a positive int). On failure it raises ``AssertionError`` with a message that says
    which case failed. Any other exception also counts as a failure.

Importing a theorem module must be cheap (import sympy and heavy parts inside
``prove``); work must be deterministic (fixed seeds). Adding a theorem is adding one
file: the runner discovers modules with :mod:`pkgutil`, nothing is registered by hand.

The same protocol serves your own theorems, outside this package: ``exactgeo prove
path/to/thm.py``, ``exactgeo prove mypkg.thms`` (a module, or a package of theorem
modules), ``exactgeo prove --new NAME`` for a passing template; see
:mod:`exactgeo.proofs.runner` and ``docs/guide.md``.

>>> from exactgeo.proofs.runner import discover
>>> "ga-i2-cross-det" in [t.name for t in discover()]
True
"""
