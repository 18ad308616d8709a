"""plumbing: replay US dollar liquidity episodes on real data.

The package's public entry point for data is :func:`load`; see ``README.md``. Its names are
imported on first use, so ``plumbing`` commands that need no data (a no-op report rerun)
never import pandas' I/O stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .catalog import load_catalog
    from .panel import CoverageWarning, DataUnavailable, load

__all__ = ["load", "load_catalog", "CoverageWarning", "DataUnavailable"]
__version__ = "0.1.0"

_LAZY = {"load": "panel", "CoverageWarning": "panel", "DataUnavailable": "panel", "load_catalog": "catalog"}


def __getattr__(name: str) -> object:
    """``plumbing.load`` and the other public names, imported when first asked for."""
    if name not in _LAZY:
        raise AttributeError(f"module 'plumbing' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value
