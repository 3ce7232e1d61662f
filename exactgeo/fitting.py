"""Compatibility names: ``exactgeo.fitting`` was split into :mod:`exactgeo.pipeline` (``fit``
as stages over one state) and :mod:`exactgeo.results` (``FitResult``, JSON, summary, the
reported-network check)."""
from .pipeline import cli_fit, fit
from .results import FitResult, InconsistentResult, check_reported, summary

__all__ = ["fit", "FitResult", "cli_fit", "check_reported", "InconsistentResult", "summary"]
