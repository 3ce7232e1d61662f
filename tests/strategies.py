"""Compatibility shim: the strategies now live in :mod:`exactgeo.testing` (installed with
``pip install "exactgeo[testing]"``). Import from there; this module only re-exports."""
from exactgeo.testing import *  # noqa: F401,F403
from exactgeo.testing import __all__  # noqa: F401
