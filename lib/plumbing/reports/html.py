"""HTML export of an executed report notebook: answer first, provenance last, offline.

A page reads top to bottom as a reader wants it: the title and a link back to the index,
how old the data are, the findings (hoisted from wherever the notebook computed them), the
evidence, and finally the parameters and per-series provenance folded in a ``<details>``
appendix. Pages are self-contained: figures are embedded, styles inlined, and the
template's external scripts (require.js, MathJax, mermaid from a CDN) removed. Code is
hidden unless asked for. The index page lives in :mod:`plumbing.reports.index_page`.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from ..freshness import ENDED_AFTER_DAYS, Freshness, cached_last_dates
from ..freshness import assess as freshness_assess
from ..present import FINDINGS_CLASS
from .record import MIME as RECORD_MIME

if TYPE_CHECKING:  # nbformat and nbconvert are imported when a page is exported, not for the index
    import nbformat

_EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>", re.IGNORECASE)
_EXTERNAL_LINK = re.compile(r"<link[^>]*\bhref=\"https?://[^\"]*\"[^>]*>", re.IGNORECASE)
#: inline scripts that would fetch code from a CDN at view time (the template's mermaid loader)
_CDN_LOADER = re.compile(r"<script[^>]*>(?:(?!</script>).)*?import\(\s*\"https?://(?:(?!</script>).)*?</script>",
                         re.IGNORECASE | re.DOTALL)
#: separates a report's top block (title, data age) from its appendix (moved to the page's end)
APPENDIX_MARKER = "<!-- plumbing:appendix -->"

#: styles shared by every report page (findings box, figures, tables, appendix)
REPORT_CSS = """
<style>
.plumbing-nav { font-size: 0.85em; color: #555; }
.plumbing-fresh { background: #fff8e1; padding: 8px 12px; border-left: 4px solid #f0a500; font-size: 0.92em; }
.plumbing-findings { background: #eef4fb; border-left: 4px solid #1f5fa8; padding: 6px 16px 8px; margin: 12px 0 20px; }
.plumbing-findings h2 { margin: 6px 0; font-size: 1.25em; }
.plumbing-findings li { margin: 4px 0; line-height: 1.45; }
.plumbing-findings li.headline { font-weight: 600; font-size: 1.05em; }
.plumbing-figure { margin: 12px 0 24px; }
.plumbing-figure img { max-width: 100%; height: auto; }
.plumbing-figure figcaption { font-size: 0.85em; color: #333; max-width: 1100px; }
.plumbing-figure figcaption span { display: block; margin-top: 3px; }
.plumbing-figure .source, .plumbing-table .source { color: #666; font-size: 0.85em; }
.plumbing-figure a.data { font-size: 0.85em; }
.plumbing-table { overflow-x: auto; margin: 8px 0 18px; }
.plumbing-table table { border-collapse: collapse; font-size: 0.85em; }
.plumbing-table caption { text-align: left; font-weight: 600; padding: 4px 0; }
.plumbing-table th, .plumbing-table td { border-bottom: 1px solid #e2e2e2; padding: 3px 8px; vertical-align: top; }
.plumbing-table td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.plumbing-table td.txt { text-align: left; max-width: 520px; }
.plumbing-appendix { margin-top: 32px; border-top: 1px solid #ccc; padding-top: 8px; font-size: 0.88em; }
.plumbing-appendix table { border-collapse: collapse; }
.plumbing-appendix th, .plumbing-appendix td { border-bottom: 1px solid #e6e6e6; padding: 2px 8px; text-align: left; }
</style>
"""


def report_freshness(as_of: list[dict], rendered_at: datetime, reference_last: dict | None = None) -> Freshness:
    """The age of the series a report read (``as_of`` rows with ``key`` and ``last``) on its render day.

    Lagging series are judged against every cached series of the same frequency
    (``reference_last``; read from the cache's metadata when not given).
    """
    last_by_key = {r["key"]: r["last"] for r in as_of if r.get("last")}
    reference = reference_last if reference_last is not None else {**cached_last_dates(), **last_by_key}
    return freshness_assess(last_by_key, rendered_at, reference_last=reference)


def _appendix_html(params: dict, as_of: list[dict], fresh: Freshness, notebook: str) -> str:
    """Parameters and per-series provenance, folded in a ``<details>`` block."""
    ages = {s.key: s for s in fresh.series}
    param_rows = "".join(f"<tr><th><code>{html.escape(k)}</code></th><td><code>{html.escape(repr(v))}</code></td></tr>"
                         for k, v in params.items())
    data_rows = []
    for r in as_of:
        age = ages.get(r["key"])
        late = ""
        if age is not None and age.lagging:
            late = "ended" if age.behind_days > ENDED_AFTER_DAYS else f"yes, {age.behind_days} days behind"
        data_rows.append(f"<tr><td><code>{html.escape(r['key'])}</code></td><td>{html.escape(str(r['title']))}</td>"
                         f"<td>{html.escape(str(r['source']))}</td><td>{html.escape(str(r['last']))}</td>"
                         f"<td>{age.age_days if age is not None else ''}</td><td>{late}</td></tr>")
    if not data_rows:
        data_rows.append('<tr><td colspan="6">(none)</td></tr>')
    return (f'<details class="plumbing-appendix"><summary>Parameters and data provenance</summary>'
            f"<h3>Parameters</h3><p>Rendered from <code>{html.escape(notebook)}</code> with:</p>"
            f'<table class="plumbing-params"><tbody>{param_rows or "<tr><td>(none)</td></tr>"}</tbody></table>'
            "<h3>Data as of</h3><p>Last observation of each series this report read, its age on the render day, "
            "and where it came from.</p>"
            '<table class="plumbing-asof"><thead><tr><th>series</th><th>title</th><th>source</th>'
            "<th>last observation</th><th>age (days)</th><th>stops early?</th></tr></thead>"
            f"<tbody>{''.join(data_rows)}</tbody></table></details>")


def header_markdown(title: str, params: dict, as_of: list[dict], rendered_at: datetime, notebook: str,
                    reference_last: dict | None = None, index_href: str | None = None) -> str:
    """The block the runner puts at the top of every report.

    Above :data:`APPENDIX_MARKER`: the title, a link back to the index (``index_href``, relative
    to the page; by default ``index.html``, ``../index.html`` for episode pages), the render line and how
    old the data are: they stay at the top. Below it: parameters and per-series provenance,
    which :func:`arrange_report` moves to a collapsible appendix at the end of the page.
    """
    fresh = report_freshness(as_of, rendered_at, reference_last)
    href = index_href or ("../index.html" if notebook.startswith("episode_template") else "index.html")
    top = [f"# {title}", "",
           f'<p class="plumbing-nav"><a href="{html.escape(href)}">&larr; All reports</a> &middot; Rendered '
           f"{rendered_at:%Y-%m-%d %H:%M} UTC from <code>{html.escape(notebook)}</code>; parameters and data "
           "provenance at the end of the page.</p>", "",
           f'<p class="plumbing-fresh"><strong>How old the data are.</strong> {html.escape(fresh.sentence())}</p>']
    return "\n".join(top) + "\n\n" + APPENDIX_MARKER + "\n" + _appendix_html(params, as_of, fresh, notebook)


def _has_findings(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and any(
        FINDINGS_CLASS in str(output.get("data", {}).get("text/html", "")) for output in cell.get("outputs", []))


def arrange_report(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Answer first: the findings right under the top block, provenance in an appendix at the end.

    Works on the runner's notebook (its first cell is :func:`header_markdown`'s block): the
    part after :data:`APPENDIX_MARKER` becomes the last cell; the first cell whose output holds
    the findings moves to just after the top block; outputs that only carry recorded values
    (see :mod:`plumbing.reports.record`) are dropped. Returns a new notebook.
    """
    import nbformat

    nb = nbformat.from_dict(notebook)
    cells = list(nb.cells)
    if cells and cells[0].cell_type == "markdown" and APPENDIX_MARKER in cells[0].source:
        top, appendix = cells[0].source.split(APPENDIX_MARKER, 1)
        cells[0] = nbformat.v4.new_markdown_cell(top.rstrip())
        cells.append(nbformat.v4.new_markdown_cell(appendix.strip()))
    for cell in cells:  # values recorded for tests and the index only: nothing to show in the page
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if set(o.get("data", {"": 0})) - {RECORD_MIME}]
    found = next((i for i, c in enumerate(cells) if _has_findings(c)), None)
    if found is not None:
        # only the findings block moves up; anything else the cell showed stays where it was
        cell = cells[found]
        block = [o for o in cell.outputs if FINDINGS_CLASS in str(o.get("data", {}).get("text/html", ""))]
        cell.outputs = [o for o in cell.outputs if o not in block]
        hoisted = nbformat.v4.new_code_cell(source="", outputs=block)
        cells.insert(1, hoisted)
    nb.cells = cells
    return nb


def page_title(notebook: nbformat.NotebookNode) -> str:
    """The report's title: the first ``# `` heading of the notebook's first markdown cell."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^# (.+)$", cell.source, re.MULTILINE)
            if match:
                return match.group(1).strip()
            break
    return "plumbing report"


@lru_cache(maxsize=2)
def _exporter(show_code: bool) -> object:
    """The HTML exporter (built once per process: loading its templates costs more than most exports)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = not show_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.embed_images = True
    return exporter


def export_html(notebook: nbformat.NotebookNode, *, show_code: bool = False) -> str:
    """The notebook as one offline HTML page (code cells hidden unless ``show_code``).

    The page opens with its title, how old the data are and the findings, and ends with the
    parameters and data provenance folded in an appendix (:func:`arrange_report`); its
    ``<title>`` is the report's title; the house styles are inlined.
    """
    nb = arrange_report(notebook)
    body, _ = _exporter(show_code).from_notebook_node(nb)
    body = _EXTERNAL_SCRIPT.sub("", body)
    body = _CDN_LOADER.sub("", body)
    body = _EXTERNAL_LINK.sub("", body)
    title = html.escape(page_title(nb))
    body = re.sub(r"<title>.*?</title>", lambda _: f"<title>{title}</title>", body, count=1, flags=re.DOTALL)
    return body.replace("</head>", REPORT_CSS + "</head>", 1)


def index_html(entries: list[dict], generated_at: datetime, reference_last: dict | None = None) -> str:
    """The index page (see :mod:`plumbing.reports.index_page`)."""
    from .index_page import index_html as build

    return build(entries, generated_at, reference_last)
