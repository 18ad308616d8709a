"""HTML export of executed notebooks and the index page.

Reports are self-contained: figures are embedded PNGs, styles are inlined by nbconvert's
``lab`` template, and the template's external scripts (require.js, MathJax from a CDN) are
removed, so a report reads offline. Code is hidden unless asked for.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

import nbformat
from nbconvert import HTMLExporter

from ..freshness import ENDED_AFTER_DAYS, Freshness, cached_last_dates
from ..freshness import assess as freshness_assess

_EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>", re.IGNORECASE)
_EXTERNAL_LINK = re.compile(r"<link[^>]*\bhref=\"https?://[^\"]*\"[^>]*>", re.IGNORECASE)
#: inline scripts that would fetch code from a CDN at view time (the template's mermaid loader)
_CDN_LOADER = re.compile(r"<script[^>]*>(?:(?!</script>).)*?import\(\s*\"https?://(?:(?!</script>).)*?</script>",
                         re.IGNORECASE | re.DOTALL)


def _cell(text: str) -> str:
    """Text safe inside a markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def report_freshness(as_of: list[dict], rendered_at: datetime, reference_last: dict | None = None) -> Freshness:
    """The age of the series a report read (``as_of`` rows with ``key`` and ``last``) on its render day.

    Lagging series are judged against every cached series of the same frequency
    (``reference_last``; read from the cache's metadata when not given).
    """
    last_by_key = {r["key"]: r["last"] for r in as_of if r.get("last")}
    reference = reference_last if reference_last is not None else {**cached_last_dates(), **last_by_key}
    return freshness_assess(last_by_key, rendered_at, reference_last=reference)


def header_markdown(title: str, params: dict, as_of: list[dict], rendered_at: datetime, notebook: str,
                    reference_last: dict | None = None) -> str:
    """The block at the top of every report: title, how old the data are, parameters, data as-of."""
    fresh = report_freshness(as_of, rendered_at, reference_last)
    ages = {s.key: s for s in fresh.series}
    lines = [f"# {title}", "",
             f"*Rendered {rendered_at:%Y-%m-%d %H:%M} UTC from `{notebook}` by the plumbing report pipeline.*", "",
             f"**How old the data are.** {fresh.sentence()}", "",
             "**Parameters**", "", "| parameter | value |", "|---|---|"]
    lines += [f"| `{k}` | `{_cell(repr(v))}` |" for k, v in params.items()]
    lines += ["", "**Data as of** (last observation of each series this report read, its age on the render day, "
              "and where it came from)", "",
              "| series | title | source | last observation | age (days) | stops early? |", "|---|---|---|---|---|---|"]
    for r in as_of:
        age = ages.get(r["key"])
        late = ("ended" if age.behind_days > ENDED_AFTER_DAYS else f"yes, {age.behind_days} days behind") \
            if age is not None and age.lagging else ""
        lines.append(f"| `{r['key']}` | {_cell(r['title'])} | {r['source']} | {r['last']} | "
                     f"{age.age_days if age is not None else ''} | {late} |")
    if not as_of:
        lines.append("| (none) | | | | | |")
    return "\n".join(lines)


def export_html(notebook: nbformat.NotebookNode, *, show_code: bool = False) -> str:
    """The notebook as one offline HTML page (code cells hidden unless ``show_code``)."""
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = not show_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.embed_images = True
    body, _ = exporter.from_notebook_node(notebook)
    body = _EXTERNAL_SCRIPT.sub("", body)
    body = _CDN_LOADER.sub("", body)
    return _EXTERNAL_LINK.sub("", body)


def index_freshness(entries: list[dict], generated_at: datetime, reference_last: dict | None = None) -> Freshness:
    """The age, on ``generated_at``, of every series any listed report read (its newest last observation)."""
    as_of: dict[str, str] = {}
    for entry in entries:
        for row in entry.get("as_of") or []:
            if row.get("last") and row["last"] > as_of.get(row["key"], ""):
                as_of[row["key"]] = row["last"]
    return report_freshness([{"key": k, "last": v} for k, v in as_of.items()], generated_at, reference_last)


def index_html(entries: list[dict], generated_at: datetime, reference_last: dict | None = None) -> str:
    """``reports/index.html``: how old the data are, then one row per report with title,
    parameters, data as-of, render time and link."""
    fresh = index_freshness(entries, generated_at, reference_last)
    rows = []
    for e in sorted(entries, key=lambda e: e["output"]):
        params = "<br>".join(f"<code>{html.escape(k)}={html.escape(repr(v))}</code>" for k, v in e["params"].items())
        as_of = e.get("data_as_of") or "n/a"
        status = e.get("status", "ok")
        badge = "" if status == "ok" else f' <span class="bad">last run failed: {html.escape(e.get("error", ""))}</span>'
        title = html.escape(e["title"])
        link = f'<a href="{html.escape(e["output"])}">{title}</a>' if e.get("rendered_at", "never") != "never" else title
        rows.append(
            f"<tr><td>{link}{badge}</td>"
            f"<td>{params}</td><td>{html.escape(as_of)}</td><td>{html.escape(e['rendered_at'])}</td></tr>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>plumbing reports</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 6px 10px; text-align: left; vertical-align: top; font-size: 0.9em; }}
th {{ background: #f3f3f3; }}
code {{ font-size: 0.85em; }}
.bad {{ color: #a00; font-size: 0.85em; }}
.fresh {{ background: #fff8e1; padding: 8px 12px; border-left: 4px solid #f0a500; }}
</style></head><body>
<h1>plumbing reports</h1>
<p class="fresh"><strong>How old the data are.</strong> {html.escape(fresh.sentence().replace("in this report", "the reports read"))}</p>
<p>US dollar liquidity episodes replayed on real data. Index rebuilt {generated_at:%Y-%m-%d %H:%M} UTC;
{len(entries)} reports. "Latest data read" is the newest observation among the series a report
read (a report about 2019 still reads each series whole); each report lists every series it read
with its own last observation.</p>
<table><thead><tr><th>report</th><th>parameters</th><th>latest data read</th><th>rendered (UTC)</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table></body></html>
"""
