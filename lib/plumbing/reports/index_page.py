"""``reports/index.html``: the morning dashboard over every rendered report.

Top to bottom: how old the data are (and which series stop early); the headline strip of
watch-list tiles from the latest liquidity-monitor render; then sections (the monitor, the
episodes on a timeline, the claims scorecard, the methods), each report with its one-line
answer (its headline finding, the first where none is marked; where a card above already shows
that very sentence, as a themed report and the episode page of the same episode could, its next
finding no other card shows)
and a thumbnail of its first figure; parameters behind a toggle.
It reads only the reports' state files, where the runner stored each report's summary when
it rendered it, so the page is rebuilt in well under a second and writes nothing else.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from datetime import datetime
from pathlib import Path

from ..dashboard import tiles_html
from ..files import read_regular_text
from ..freshness import Freshness, watch_list_sentence
from .html import report_freshness

MIME = "application/vnd.plumbing.record+json"
_IMG = re.compile(r'<img src="data:image/png;base64,([^"]+)"')
THUMB_WIDTH = 360
SECTIONS = (
    ("monitor", "Monitor", ("00_",)),
    ("episodes", "Episodes", ("01_", "02_", "03_", "04_", "episodes/")),
    ("claims", "The articles' claims", ("05_",)),
    ("methods", "Methods", ("06_", "07_", "08_", "09_")),
)


def index_freshness(entries: list[dict], generated_at: datetime, reference_last: dict | None = None) -> Freshness:
    """The age, on ``generated_at``, of every series any listed report read (its newest last observation)."""
    as_of: dict[str, str] = {}
    for entry in entries:
        for row in entry.get("as_of") or []:
            if row.get("last") and row["last"] > as_of.get(row["key"], ""):
                as_of[row["key"]] = row["last"]
    return report_freshness([{"key": k, "last": v} for k, v in as_of.items()], generated_at, reference_last)


def _outputs(executed: Path) -> list[dict]:
    try:
        notebook = json.loads(read_regular_text(executed))
    except (OSError, ValueError):
        return []
    return [o for cell in notebook.get("cells", []) for o in cell.get("outputs", [])]


def summarize_executed(executed: Path) -> dict:
    """What the index shows of one report, read from its executed notebook (no file written):
    its recorded values (findings, tiles, verdict counts) and a small PNG (base64) of its first
    figure. The report runner stores this in the report's state when it renders it."""
    records, first_png = {}, None
    for output in _outputs(executed):
        data = output.get("data", {})
        if MIME in data:
            payload = data[MIME] if isinstance(data[MIME], dict) else json.loads(data[MIME])
            records[payload["name"]] = payload["value"]
        if first_png is None:
            text = data.get("text/html", "")
            text = "".join(text) if isinstance(text, list) else str(text)
            match = _IMG.search(text)
            if match:
                first_png = match.group(1)
            elif "image/png" in data:
                first_png = data["image/png"] if isinstance(data["image/png"], str) else "".join(data["image/png"])
    return {"records": records, "thumbnail": _thumbnail(first_png)}


def _thumbnail(png_base64: str | None) -> str | None:
    """A PNG (base64) of a figure shrunk to :data:`THUMB_WIDTH` pixels wide."""
    if not png_base64:
        return None
    from PIL import Image

    image = Image.open(io.BytesIO(base64.b64decode(png_base64)))
    image.thumbnail((THUMB_WIDTH, THUMB_WIDTH * 2))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def report_summary(entry: dict) -> dict:
    """The summary a report's state holds (see :func:`summarize_executed`); empty for a report
    rendered before summaries existed or one that failed."""
    summary = entry.get("summary")
    if isinstance(summary, dict) and isinstance(summary.get("records"), dict):
        return {"records": summary["records"], "thumbnail": summary.get("thumbnail")}
    return {"records": {}, "thumbnail": None}


def report_findings(records: dict) -> list[str]:
    """A report's recorded findings, its headline first: the ``headline`` record (the finding
    its notebook marked, see :func:`plumbing.present.findings`), then ``finding_1``,
    ``finding_2``, ... (a report rendered before headlines were recorded: ``finding_1`` first)."""
    numbered = [str(records[k]) for k in sorted((k for k in records if re.fullmatch(r"finding_\d+", k)),
                                                key=lambda k: int(k.split("_")[1]))]
    head = records.get("headline")
    if not isinstance(head, str) or not head.strip():
        return numbered
    return [head] + [f for f in numbered if _plain(f) != _plain(head)]


def one_liners(entries: list[dict], summaries: dict) -> dict[str, str]:
    """Each report's one-line answer: its headline finding (the first finding where none is
    marked), or, where an earlier report in the page's order already shows that very sentence
    (a themed report and the episode page of the same episode, or two renders of one
    notebook), its next finding no other card shows. Reports without findings get none."""
    used: set[str] = set()
    answers: dict[str, str] = {}
    for entry in entries:
        findings = report_findings(summaries[entry["output"]]["records"])
        if not findings:
            continue
        fresh = next((f for f in findings if _plain(f) not in used), findings[0])
        answers[entry["output"]] = fresh
        used.add(_plain(fresh))
    return answers


def _plain(sentence: str) -> str:
    return re.sub(r"\s+", " ", sentence).strip().lower()


def _sweep_sections(entries: list[dict], summaries: dict, answers: dict[str, str]) -> list[str]:
    """One section per parameter sweep (``plumbing reports 06 --sweep ...``), its reports in
    the order of their parameters."""
    labels = sorted({e["sweep"] for e in entries if isinstance(e.get("sweep"), str) and e["sweep"]})
    blocks = []
    for number, label in enumerate(labels, start=1):
        members = sorted((e for e in entries if e.get("sweep") == label), key=lambda e: json.dumps(e["params"], sort_keys=True, default=str))
        blocks.append(f'<section id="sweep-{number}" class="sweep"><h2>Sweep: {html.escape(label)}</h2>'
                      f'<p class="meta">{len(members)} report{"s" if len(members) != 1 else ""}, one per combination of '
                      "the swept parameters.</p>" + "".join(_card(e, summaries[e["output"]], answers.get(e["output"]))
                                                   for e in members) + "</section>")
    return blocks


def _section_of(output: str) -> str:
    for key, _, prefixes in SECTIONS:
        if output.startswith(prefixes):
            return key
    return "methods"


def _card(entry: dict, summary: dict, answer: str | None = None) -> str:
    title = html.escape(entry["title"])
    rendered = entry.get("rendered_at", "never") != "never"
    link = f'<a href="{html.escape(entry["output"])}">{title}</a>' if rendered else title
    status = entry.get("status", "ok")
    badge = "" if status == "ok" else f'<p class="bad">last run failed: {html.escape(str(entry.get("error", "")))}</p>'
    thumb = (f'<img class="thumb" src="data:image/png;base64,{summary["thumbnail"]}" alt="First figure of {title}">'
             if summary["thumbnail"] else "")
    params = "".join(f"<li><code>{html.escape(k)} = {html.escape(repr(v))}</code></li>" for k, v in entry["params"].items())
    return (f'<div class="card">{thumb}<div class="text"><h3>{link}</h3>{badge}'
            + (f'<p class="answer">{html.escape(str(answer))}</p>' if answer else "")
            + f'<p class="meta">Rendered {html.escape(entry.get("rendered_at", "never"))} UTC · latest data read '
              f'{html.escape(str(entry.get("data_as_of") or "n/a"))}</p>'
            + f"<details><summary>Parameters</summary><ul>{params}</ul></details></div></div>")


def _scorecard(records: dict) -> str:
    counts = {v: records.get(f"count_{v}") for v in ("supported", "partly", "contradicted", "not_checkable")}
    if all(c is None for c in counts.values()):
        return ""
    cells = "".join(f'<div class="score {v}"><div class="value">{int(c or 0)}</div><div class="name">'
                    f'{v.replace("_", " ")}</div></div>' for v, c in counts.items())
    return f'<div class="scores">{cells}</div>'


def _episode_order(entry: dict) -> str:
    """An episode's anchor date (recorded as ``t0``, or its ``t0``/``spike_date`` parameter);
    pages with none (the comparison) come last."""
    records = report_summary(entry)["records"]
    return str(records.get("t0") or entry["params"].get("t0") or entry["params"].get("spike_date") or "9999")


def _watch_keys(monitor_entry: dict | None) -> list[str]:
    """The catalog series the latest monitor render read (its watch list), named first among
    the series that stop early."""
    return [str(r["key"]) for r in (monitor_entry or {}).get("as_of") or [] if isinstance(r, dict) and r.get("key")]


def _monitor_sentence(records: dict, generated_at: datetime) -> str:
    """The monitor's date, its age on ``generated_at`` and the series that set it (recorded by
    the monitor as ``as_of`` and ``as_of_set_by``)."""
    set_by = records.get("as_of_set_by")
    try:  # the watch list's series that stop early lead the list of stale series that follows
        return watch_list_sentence(records["as_of"], generated_at, set_by if isinstance(set_by, list) else (),
                                   latest=records.get("as_of_latest", True) is not False)
    except (TypeError, ValueError, KeyError):
        return f"The watch list stands on {records.get('as_of')}."


def index_html(entries: list[dict], generated_at: datetime, reference_last: dict | None = None) -> str:
    """The index page for the reports described by ``entries`` (their state files)."""
    fresh = index_freshness(entries, generated_at, reference_last)
    summaries = {e["output"]: report_summary(e) for e in entries}
    monitor_entry = next((e for e in entries if e["output"].startswith("00_")), None)
    monitor = summaries[monitor_entry["output"]] if monitor_entry else None
    tiles = monitor["records"].get("tiles") if monitor else None
    monitor_date = monitor["records"].get("as_of") if monitor else None
    claims = next((summaries[e["output"]] for e in entries if e["output"].startswith("05_")), None)
    blocks, ordered = [], []
    for key, heading, _ in SECTIONS:
        members = [e for e in entries if _section_of(e["output"]) == key and not e.get("sweep")]
        if key == "episodes":
            members.sort(key=_episode_order)
        else:
            members.sort(key=lambda e: e["output"])
        if not members:
            continue
        ordered.append((key, heading, members))
    ordered_entries = [e for _, _, members in ordered for e in members]
    ordered_entries += [e for e in entries if e.get("sweep")]
    answers = one_liners(ordered_entries, summaries)
    for key, heading, members in ordered:
        extra = _scorecard(claims["records"]) if key == "claims" and claims else ""
        note = " In time order." if key == "episodes" else ""
        blocks.append(f'<section id="{key}"><h2>{heading}</h2><p class="meta">{len(members)} report'
                      f'{"s" if len(members) != 1 else ""}.{note}</p>{extra}'
                      + "".join(_card(e, summaries[e["output"]], answers.get(e["output"])) for e in members)
                      + "</section>")
    blocks += _sweep_sections(entries, summaries, answers)
    strip = ""
    fresh_text = html.escape(fresh.sentence(_watch_keys(monitor_entry), whose="the reports read"))
    if monitor_date:
        fresh_text = (f"<strong>{html.escape(_monitor_sentence(monitor['records'], generated_at))}</strong> "
                      + fresh_text)
    if tiles:
        strip = (f'<section id="dashboard"><h2>The watch list on {html.escape(str(monitor_date))}</h2>'
                 '<p class="meta">From the latest liquidity-monitor render: value, change on the week and the month, '
                 "percentile among five years of observations and the last year weekly. Reserves are drawn against "
                 "the articles' USD 3tn line.</p>" + tiles_html(tiles, today=generated_at) + "</section>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>plumbing: US dollar liquidity reports</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5em 2em; color: #222; max-width: 1400px; }}
h1 {{ margin-bottom: 0.2em; }}
.meta {{ color: #555; font-size: 0.85em; margin: 2px 0; }}
.fresh {{ background: #fff8e1; padding: 8px 12px; border-left: 4px solid #f0a500; }}
.tiles {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px; }}
.tile {{ border: 1px solid #ddd; border-radius: 6px; padding: 8px 10px; }}
.tile .name {{ font-weight: 600; font-size: 0.9em; }}
.tile .value {{ font-size: 1.35em; margin: 2px 0; font-variant-numeric: tabular-nums; }}
.tile .note {{ color: #8a4b00; }}
.tile .badge {{ background: #f8d7a8; color: #6a3a00; border-radius: 4px; padding: 0 5px; margin-left: 6px;
  font-size: 0.75em; font-weight: 500; white-space: nowrap; }}
.card {{ display: flex; gap: 14px; border-bottom: 1px solid #e5e5e5; padding: 10px 0; }}
.card .thumb {{ width: {THUMB_WIDTH // 2 + 60}px; height: auto; border: 1px solid #eee; }}
.card h3 {{ margin: 0 0 4px; font-size: 1.05em; }}
.answer {{ margin: 4px 0; }}
.bad {{ color: #a00; font-size: 0.85em; }}
.scores {{ display: flex; gap: 10px; margin: 8px 0; }}
.score {{ padding: 6px 14px; border-radius: 6px; text-align: center; }}
.score .value {{ font-size: 1.4em; }}
.score.supported {{ background: #d8f0d8; }} .score.partly {{ background: #fff1c2; }}
.score.contradicted {{ background: #f8d0d0; }} .score.not_checkable {{ background: #e6e6e6; }}
details {{ font-size: 0.85em; }}
</style></head><body>
<h1>plumbing: US dollar liquidity reports</h1>
<p class="meta">US dollar liquidity episodes replayed on real data. Index rebuilt {generated_at:%Y-%m-%d %H:%M} UTC;
{len(entries)} reports.</p>
<p class="fresh"><strong>How old the data are.</strong> {fresh_text}</p>
{strip}
{"".join(blocks)}
</body></html>
"""
