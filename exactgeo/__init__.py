"""exactgeo: the exact geometry of neural networks."""
from .ga import cross, wedge

__version__ = "0.1.0"
__all__ = ["cross", "wedge", "__version__"]
