"""``python -m exactgeo``: the ``exactgeo`` command line (:mod:`exactgeo.cli`)."""
import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
