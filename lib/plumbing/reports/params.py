"""Notebook parameters: read the ``parameters`` cell, parse ``-p key=value``, check types.

papermill only warns about unknown parameters; here an unknown name or a value of the wrong
type is an error that names the parameter, the notebook and what would be valid, raised
before any kernel starts.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat


class ParameterError(ValueError):
    """A bad report parameter: unknown name, wrong type, or malformed ``key=value``."""


def parameter_defaults(notebook: Path) -> dict[str, object]:
    """The defaults assigned in the notebook's cell tagged ``parameters`` (literals only)."""
    nb = nbformat.read(notebook, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ParameterError(f"{notebook.name} must have exactly one code cell tagged 'parameters' (found {len(cells)})")
    defaults: dict[str, object] = {}
    for node in ast.parse(cells[0].source).body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Name) and node.value is not None:
                try:
                    defaults[target.id] = ast.literal_eval(node.value)
                except ValueError:
                    raise ParameterError(f"{notebook.name}: parameter {target.id!r} must be a JSON-able literal") from None
    return defaults


def parse_assignment(text: str) -> tuple[str, object]:
    """``key=value`` -> (key, value); the value is read as JSON, else kept as a string."""
    if "=" not in text:
        raise ParameterError(f"-p {text!r}: expected key=value, e.g. -p as_of=2025-11-04 or -p window=60")
    key, raw = text.split("=", 1)
    key = key.strip()
    if not key.isidentifier():
        raise ParameterError(f"-p {text!r}: {key!r} is not a parameter name")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return key, value


def _type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__


def check_parameters(notebook: Path, given: dict[str, object]) -> dict[str, object]:
    """Validate ``given`` against the notebook's defaults; returns the merged parameters.

    Types must match the default's (an int is accepted where a float is expected; a list
    where a list is expected; anything where the default is None).
    """
    defaults = parameter_defaults(notebook)
    for key, value in given.items():
        if key not in defaults:
            raise ParameterError(f"{notebook.name} has no parameter {key!r}; its parameters: {', '.join(sorted(defaults))}")
        default = defaults[key]
        ok = (default is None or value is None and default is None or type(value) is type(default)
              or (isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool)))
        if not ok:
            raise ParameterError(f"{notebook.name} parameter {key!r} expects {_type_name(default)} "
                                 f"(default {default!r}), got {_type_name(value)} {value!r}")
    return {**defaults, **given}
