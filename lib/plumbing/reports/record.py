"""Values a notebook records for tests and the index: ``record("sofr_peak", 5.25)``.

A recorded value is stored in the cell output under the MIME type :data:`MIME` only, so a test
can read it back from the executed notebook (:func:`read_records`) and the runner can collect
it for the index. It is not printed in the page: the findings and the tables already state it
(``show=True`` adds a line of text, for exploring in JupyterLab). The exported page drops
outputs that carry nothing but a record (:func:`plumbing.reports.html.arrange_report`).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..files import read_regular_text

MIME = "application/vnd.plumbing.record+json"


def _jsonable(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()  # numpy scalars
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def record(name: str, value: object, *, label: str | None = None, unit: str = "", show: bool = False) -> None:
    """Record ``value`` under ``name`` in the executing notebook's output, silently.

    ``label`` and ``unit`` describe the value (stored with it); ``show=True`` also prints
    ``label: value unit`` as a line of text. Returns None, so a ``record(...)`` call at the end
    of a cell prints nothing more.
    """
    from IPython.display import display

    payload = {"name": name, "value": _jsonable(value), "unit": unit, "label": label or name}
    text = f"{label or name}: {value:,.4g} {unit}".rstrip() if isinstance(value, (int, float)) else f"{label or name}: {value} {unit}".rstrip()
    bundle = {MIME: payload}
    if show:  # shown as a line of text; otherwise only stored (no text output in the page)
        bundle["text/plain"] = text
    display(bundle, raw=True)


def read_records(executed_notebook: Path | str) -> dict[str, object]:
    """Every recorded value in an executed notebook, by name."""
    import nbformat  # imported here: it is slow to import and only readers of results need it

    nb = nbformat.reads(read_regular_text(executed_notebook), as_version=4)  # never waits on a named pipe
    records = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if MIME in data:
                payload = data[MIME]
                payload = json.loads(payload) if isinstance(payload, str) else payload
                records[payload["name"]] = payload["value"]
    return records
