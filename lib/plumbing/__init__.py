"""plumbing: replay US dollar liquidity episodes on real data.

The package's public entry point for data is :func:`load`; see ``README.md``.
"""

from .catalog import load_catalog
from .panel import CoverageWarning, DataUnavailable, load

__all__ = ["load", "load_catalog", "CoverageWarning", "DataUnavailable"]
__version__ = "0.1.0"
