"""The presentation API: findings, figures, tables and event sets, the same in every report.

Notebooks call four things and make no presentation choice of their own:

- :func:`findings` opens a report with 3-6 sentences computed from data (the exported page
  puts them right under the title; the index shows the first one as the report's answer);
- :func:`figure` shows a matplotlib figure as a sharp PNG (150 dpi) with alt text that says
  what it shows, a caption, a ``Source:`` line and the plotted data as a CSV download
  embedded in the page (works offline);
- :func:`table` shows a DataFrame for people: units in the headers, basis points as integers,
  USD bn with thousands separators and one decimal, shares in %, p-values to 2 significant
  figures, "—" for a missing value, never scientific notation, never truncated;
- :func:`event_set` numbers the events of a window once, picks at most five to label on a
  chart (the rest are listed in the numbered table, with the same numbers), and
  :func:`policy_spans` gives the periods to shade (QT, the 2025 shutdown).

Units are the project's common units (``bp``, ``usd_bn``, ``percent``, ``pct_change``,
``index``, ``usd``, ``pvalue``, ``count``, ``z``).
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

#: how each unit reads in a table header
UNIT_HEADERS: dict[str, str] = {
    "bp": "bp", "usd_bn": "USD bn", "usd_bn_saar": "USD bn, SAAR", "percent": "%", "pct_change": "% change",
    "pp": "pp", "index": "index", "usd": "USD", "jpy_per_usd": "JPY per USD", "z": "z-score", "count": "",
    "pvalue": "p-value", "share": "%", "days": "days", "weeks": "weeks", "ratio": "",
}
#: event kinds in the order they deserve a label on a chart (others come after, by date)
EVENT_PRIORITY: tuple[str, ...] = (
    "shutdown_start", "shutdown_end", "qt_end", "rmp_start", "qt_start", "emergency", "bank_failure",
    "repo_operations", "facility", "fomc_move", "qt_taper", "refunding", "tariff", "debt_ceiling", "fiscal",
)
#: table-cell formats by unit (the unit itself goes in the column header)
CELL_FORMATS: dict[str, str] = {
    "bp": "{:,.0f}", "count": "{:,.0f}", "days": "{:,.0f}", "weeks": "{:,.0f}",
    "usd_bn": "{:,.1f}", "usd_bn_saar": "{:,.1f}", "percent": "{:,.2f}", "share": "{:,.2f}", "pp": "{:,.2f}",
    "pct_change": "{:+,.1f}", "z": "{:+.2f}",
}
#: how a value and its unit read in a sentence
SENTENCE_FORMATS: dict[str, str] = {
    "bp": "{sign}{text} bp", "usd_bn": "{sign}USD {text}bn", "usd_bn_saar": "{sign}USD {text}bn",
    "percent": "{sign}{text}%", "share": "{sign}{text}%", "pct_change": "{sign}{text}%", "pp": "{sign}{text} pp",
}
MAX_CHART_LABELS = 5
MISSING = "—"
FIGURE_DPI = 150


# --- numbers ---------------------------------------------------------------------------------

def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _significant(value: float, digits: int = 4) -> str:
    """At most ``digits`` significant digits, thousands separators, no scientific notation."""
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt(value: object, unit: str = "") -> str:
    """One value as a reader wants it in a table cell (the unit itself goes in the header)."""
    if _is_missing(value):
        return MISSING
    if isinstance(value, (pd.Timestamp,)):
        return str(value.date()) if value == value.normalize() else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    if not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
        return str(value)
    number = float(value)
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    if unit == "pvalue":
        return "<0.001" if number < 0.001 else _significant(number, 2)
    if unit in ("index", "usd", "jpy_per_usd"):
        return f"{number:,.2f}" if abs(number) < 1000 else f"{number:,.1f}"
    if unit in CELL_FORMATS:
        text = CELL_FORMATS[unit].format(number)
        return text[1:] if re.fullmatch(r"[+-]0(\.0+)?", text) else text  # never "-0.0" or "+0.00"
    if float(number).is_integer() and abs(number) < 1e15:
        return f"{number:,.0f}"
    return _significant(number)


def fmt_with_unit(value: object, unit: str, *, signed: bool = False) -> str:
    """A value with its unit, for sentences: ``32 bp``, ``USD 3,647.9bn``, ``4.22%``, ``-1.2%``.

    ``signed`` writes a sign on positive numbers too (for changes): ``+USD 26.9bn``, ``-82 bp``.
    """
    if _is_missing(value):
        return MISSING
    number = float(value)  # type: ignore[arg-type]
    sign = "-" if number < 0 else ("+" if signed and number > 0 else "")
    text = fmt(abs(number), unit).lstrip("+")
    if unit in SENTENCE_FORMATS:
        return SENTENCE_FORMATS[unit].format(sign=sign, text=text)
    header = UNIT_HEADERS.get(unit, unit)
    return f"{sign}{text} {header}".strip()


def ordinal(number: float) -> str:
    """``41st``, ``32nd``, ``88th``, ``11th`` for a rounded percentile or rank."""
    whole = int(round(float(number)))
    suffix = "th" if 10 <= whole % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(whole % 10, "th")
    return f"{whole}{suffix}"


# --- tables ----------------------------------------------------------------------------------

def _html_display(markup: str) -> None:
    """Show HTML in the running notebook (and so in the exported page)."""
    from IPython.display import HTML, display

    display(HTML(markup))


def table_html(frame: pd.DataFrame, *, units: Mapping[str, str] | None = None, labels: Mapping[str, str] | None = None,
               caption: str | None = None, source: str | None = None, index: bool = True,
               index_label: str | None = None, row_units: tuple[str, Sequence[str]] | None = None) -> str:
    """The HTML of :func:`table` (tested directly; see there)."""
    units = {**(frame.attrs.get("units") or {}), **(units or {})}
    labels = dict(labels or {})
    unit_column, per_row = row_units if row_units is not None else (None, ())

    def header(column: object) -> str:
        name = labels.get(str(column), str(column))
        unit = UNIT_HEADERS.get(units.get(str(column), ""), units.get(str(column), ""))
        return html.escape(f"{name} ({unit})" if unit and f"({unit})" not in name else name)

    shown = [c for c in frame.columns if not str(c).startswith("_")]  # "_unit" columns drive formatting only
    head = ([html.escape(index_label or (frame.index.name or ""))] if index else []) + [header(c) for c in shown]
    rows = []
    for key, row in frame.iterrows():
        cells = [f"<th>{html.escape(fmt(key))}</th>"] if index else []
        for column in shown:
            value = row[column]
            if column == unit_column:
                value = UNIT_HEADERS.get(str(value), value)
            unit = str(row[unit_column]) if column in per_row else units.get(str(column), "")
            text = fmt(value, unit)
            numeric = not isinstance(value, str) and text != MISSING and re.match(r"^[<+\-−]?[\d,.]+$", text)
            cells.append(f'<td class="{"num" if numeric else "txt"}">{html.escape(text)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    parts = ['<div class="plumbing-table">', '<table>']
    if caption:
        parts.append(f"<caption>{html.escape(caption)}</caption>")
    parts.append("<thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>")
    parts.append("<tbody>" + "".join(rows) + "</tbody></table>")
    if source:
        parts.append(f'<p class="source">Source: {html.escape(source)}</p>')
    parts.append("</div>")
    return "\n".join(parts)


def table(frame: pd.DataFrame, **options: object) -> None:
    """Display ``frame`` as a table for people (every row, formatted by unit; see :func:`fmt`).

    ``units`` maps columns to units (defaults to ``frame.attrs["units"]``); ``row_units``
    (``("unit", ["from", "to"])``) formats those columns by each row's own unit column
    instead (a column whose name starts with ``_`` is used but not shown); ``labels`` renames columns in plain English; ``caption`` and ``source`` go above
    and below.
    """
    _html_display(table_html(frame, **options))  # type: ignore[arg-type]


# --- findings ----------------------------------------------------------------------------------

FINDINGS_CLASS = "plumbing-findings"


def findings_html(sentences: Sequence[str], title: str = "Findings") -> str:
    """The HTML of :func:`findings`."""
    items = "".join(f"<li>{html.escape(s)}</li>" for s in sentences)
    return f'<section class="{FINDINGS_CLASS}"><h2>{html.escape(title)}</h2><ul>{items}</ul></section>'


def findings(sentences: Sequence[str], title: str = "Findings") -> None:
    """Display the report's findings (3-6 sentences with numbers and dates) and record them.

    The exported page moves this block right under the title; the index shows the first
    sentence as the report's one-line answer (recorded as ``finding_1``, ``finding_2``, ...).
    """
    sentences = [s for s in sentences if s]
    if not sentences:
        raise ValueError("findings() needs at least one sentence")
    from IPython.display import display

    from .reports.record import MIME

    for number, sentence in enumerate(sentences, start=1):  # recorded for the index and tests, not shown twice
        display({MIME: {"name": f"finding_{number}", "value": sentence, "unit": ""}}, raw=True)
    _html_display(findings_html(sentences, title))


# --- figures -----------------------------------------------------------------------------------

def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "figure"


def figure_html(png: bytes, *, alt: str, caption: str | None = None, source: str | None = None,
                data: pd.DataFrame | pd.Series | None = None, name: str = "figure") -> str:
    """The HTML of :func:`figure`: an embedded PNG with alt text, caption, source and data."""
    if not alt or not alt.strip():
        raise ValueError("a figure needs alt text that says what it shows")
    image = base64.b64encode(png).decode("ascii")
    parts = [f'<figure class="plumbing-figure"><img src="data:image/png;base64,{image}" alt="{html.escape(alt)}">',
             "<figcaption>"]
    if caption:
        parts.append(f"<span class=\"caption\">{html.escape(caption)}</span>")
    if source:
        parts.append(f'<span class="source">Source: {html.escape(source)}</span>')
    if data is not None:
        csv_bytes = (data.to_frame() if isinstance(data, pd.Series) else data).to_csv().encode("utf-8")
        link = base64.b64encode(csv_bytes).decode("ascii")
        parts.append(f'<a class="data" download="{_slug(name)}.csv" href="data:text/csv;base64,{link}">'
                     "Download the data behind this figure (CSV)</a>")
    parts.append("</figcaption></figure>")
    return "".join(parts)


def figure(fig: object, *, alt: str, caption: str | None = None, source: str | None = None,
           data: pd.DataFrame | pd.Series | None = None, name: str | None = None) -> None:
    """Display a matplotlib figure as a 150-dpi PNG with alt text, caption, source and its data.

    ``alt`` says what the figure shows (read aloud by screen readers, shown if the image
    fails); ``source`` names publisher, series ids and last observation; ``data`` (the
    plotted values) becomes a CSV download embedded in the page. The figure is closed.
    """
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=FIGURE_DPI, bbox_inches="tight")  # type: ignore[attr-defined]
    plt.close(fig)  # type: ignore[arg-type]
    title = name or (fig.axes[0].get_title() if getattr(fig, "axes", None) else "figure")  # type: ignore[attr-defined]
    _html_display(figure_html(buffer.getvalue(), alt=alt, caption=caption, source=source, data=data,
                              name=title or "figure"))


def source_line(names: Iterable[str], loader: object = None) -> str:
    """``Federal Reserve (WALCL), last observation 2026-08-19; ...`` for quantities or catalog keys.

    A quantity (``sofr_iorb_bp``) stands for its inputs. Publisher and live id come from the
    catalog, the last observation from the data.
    """
    from .panel import Loader
    from .quantities import QUANTITIES

    loader = loader or Loader()
    keys: list[str] = []
    for name in names:
        for key in (QUANTITIES[name].inputs if name in QUANTITIES else (name,)):
            if key not in keys:
                keys.append(key)
    parts = []
    for key in keys:
        spec = loader.catalog.get(key)  # type: ignore[attr-defined]
        ident = spec.live.id if spec.live is not None else spec.snapshot.file
        last = loader.common(key).index.max()  # type: ignore[attr-defined]
        publisher = spec.publisher.split(" (via")[0]
        parts.append(f"{publisher} ({ident}), last observation {pd.Timestamp(last).date()}")
    return "; ".join(parts)


# --- events and spans -----------------------------------------------------------------------

@dataclass(frozen=True)
class EventSet:
    """The events of a window, numbered once (1, 2, ... by date).

    ``table`` lists them all with their number; ``chart`` holds the at most
    :data:`MAX_CHART_LABELS` that get a label on a chart, with the same numbers.
    """

    table: pd.DataFrame
    chart: pd.DataFrame

    def chart_for(self, start: object, end: object, *, max_labels: int = MAX_CHART_LABELS,
                  anchor: object = None) -> pd.DataFrame:
        """The events to label on a chart of [start, end]: at most ``max_labels``, chosen by
        :data:`EVENT_PRIORITY` among those inside (ties: nearest ``anchor`` first, e.g. an
        episode's t0, else earliest), keeping the page's numbers."""
        lo, hi = pd.Timestamp(start), pd.Timestamp(end)
        inside = self.table[(self.table["date"] >= lo) & (self.table["date"] <= hi)]
        return _pick(inside, max_labels, anchor)

    def table_frame(self) -> pd.DataFrame:
        """The numbered table for :func:`table`: number, date, event and its source."""
        columns = ["number", "date", "label"] + [c for c in ("source",) if c in self.table.columns]
        frame = self.table[columns].copy()
        frame["date"] = frame["date"].dt.date.astype(str)
        return frame.rename(columns={"label": "event"}).set_index("number")


def _priority(kind: str, label: str) -> int:
    if str(kind).startswith("fomc") and "hold" not in str(label):
        kind = "fomc_move"
    return EVENT_PRIORITY.index(kind) if kind in EVENT_PRIORITY else len(EVENT_PRIORITY)


def event_set(events: pd.DataFrame | None, start: object, end: object, *, max_labels: int = MAX_CHART_LABELS) -> EventSet:
    """Number the events between ``start`` and ``end`` by date and pick the ones to label.

    Chart labels go to the most telling kinds first (:data:`EVENT_PRIORITY`: the shutdown,
    the end of QT, reserve management purchases, ..., FOMC moves before holds), then to the
    earliest; ties keep date order.
    """
    columns = ["date", "kind", "label", "number"]
    if events is None or len(events) == 0:
        empty = pd.DataFrame(columns=columns)
        return EventSet(table=empty, chart=empty)
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    inside = events[(events["date"] >= lo) & (events["date"] <= hi)].sort_values("date", kind="stable")
    inside = inside.reset_index(drop=True).assign(number=lambda f: range(1, len(f) + 1))
    return EventSet(table=inside, chart=_pick(inside, max_labels))


def _pick(events: pd.DataFrame, max_labels: int, anchor: object = None) -> pd.DataFrame:
    """The ``max_labels`` most telling events (by :data:`EVENT_PRIORITY`, then nearest
    ``anchor`` or earliest), in date order."""
    if events.empty:
        return events
    kinds = events["kind"] if "kind" in events.columns else pd.Series("", index=events.index)
    rank = [_priority(k, l) for k, l in zip(kinds, events["label"])]
    distance = (events["date"] - pd.Timestamp(anchor)).abs() if anchor is not None else events["date"] - events["date"].min()
    chosen = (events.assign(_rank=rank, _distance=distance).sort_values(["_rank", "_distance"], kind="stable")
              .head(max_labels))
    return chosen.drop(columns=["_rank", "_distance"]).sort_values("date")


def policy_spans(events: pd.DataFrame, start: object = None, end: object = None) -> list[tuple[pd.Timestamp, pd.Timestamp, str]]:
    """Periods to shade from the policy events table: QT runs and government shutdowns (2018-19, 2025).

    A span runs from the last ``*_start`` row before its ``*_end`` rows (the effective date,
    after the announcement) to the last of those ``*_end`` rows; an open span ends at ``end``.
    Spans are clipped to ``[start, end]``.
    """
    spans = []
    for prefix, label in (("qt", "QT (balance-sheet runoff)"), ("shutdown", "government shutdown")):
        rows = events[events["kind"].isin([f"{prefix}_start", f"{prefix}_end"])].sort_values("date")
        begin = None
        last_end = None
        for _, row in rows.iterrows():
            if row["kind"].endswith("_start"):
                if last_end is not None and begin is not None:
                    spans.append((begin, last_end, label))
                    begin, last_end = None, None
                begin = row["date"]
            elif begin is not None:
                last_end = row["date"]
        if begin is not None:
            spans.append((begin, last_end if last_end is not None else pd.Timestamp(end or pd.Timestamp.today()), label))
    lo = pd.Timestamp(start) if start is not None else None
    hi = pd.Timestamp(end) if end is not None else None
    clipped = []
    for a, b, label in spans:
        if (hi is not None and a > hi) or (lo is not None and b < lo):
            continue
        clipped.append((max(a, lo) if lo is not None else a, min(b, hi) if hi is not None else b, label))
    return clipped


# --- themes for episode pages ------------------------------------------------------------------

#: the panels of an episode page: theme -> the series that share it (one unit per panel;
#: prices and indexes are rebased to 100 at the window's start)
THEMES: dict[str, tuple[str, ...]] = {
    "Fed balance sheet and reserves (USD bn)": ("fed_assets", "reserves", "treasuries_held"),
    "Treasury cash and reverse repo (USD bn)": ("tga_daily", "tga_weekly", "tga_wednesday", "on_rrp"),
    "Price of overnight cash (percent)": ("sofr", "sofr_p99", "sofr_p1", "effr", "tgcr", "bgcr", "ioer", "iorb",
                                          "fed_target_upper", "fed_target_lower"),
    "Fed repo operations (USD bn)": ("repo_take_up", "repo_treasury"),
    "Repo market volume behind SOFR (USD bn)": ("sofr_volume",),
    "Rate volatility (index)": ("move", "vix"),
    "Credit spreads (bp)": ("hy_oas", "ig_oas"),
    "Treasury yields (percent)": ("us2y", "us10y", "tbill_3m"),
    "Assets, rebased to 100 at the window's start": ("spx", "nasdaq", "dow", "gold", "silver", "btc", "eth", "nikkei",
                                                      "kospi", "nvda", "dollar_broad", "dxy", "usdjpy"),
}


def themed(names: Iterable[str]) -> dict[str, list[str]]:
    """Group series names into :data:`THEMES` panels (order kept); unknown names get an
    "Other" panel each, so nothing asked for is dropped silently."""
    out: dict[str, list[str]] = {}
    for name in names:
        theme = next((t for t, members in THEMES.items() if name in members), None)
        out.setdefault(theme or short_name(name), []).append(name)
    return out


#: short plain-English names for line labels (falls back to the catalog title)
SHORT_NAMES: dict[str, str] = {
    "fed_assets": "Fed assets", "reserves": "Reserves", "treasuries_held": "Fed Treasuries", "tga_daily": "TGA",
    "tga_weekly": "TGA (week avg)", "tga_wednesday": "TGA (Wed)", "on_rrp": "ON RRP", "sofr": "SOFR",
    "sofr_p99": "SOFR 99th pct", "sofr_p1": "SOFR 1st pct", "effr": "EFFR", "tgcr": "TGCR", "bgcr": "BGCR",
    "ioer": "IOER", "iorb": "IORB", "fed_target_upper": "Range top", "fed_target_lower": "Range bottom",
    "repo_take_up": "Repo take-up (all)", "repo_treasury": "of which Treasury collateral", "move": "MOVE", "vix": "VIX", "hy_oas": "HY OAS", "ig_oas": "IG OAS",
    "us2y": "US 2Y", "us10y": "US 10Y", "tbill_3m": "3M bill", "spx": "S&P 500", "nasdaq": "Nasdaq", "dow": "Dow",
    "gold": "Gold", "silver": "Silver", "btc": "Bitcoin", "eth": "Ether", "nikkei": "Nikkei", "kospi": "KOSPI",
    "nvda": "NVIDIA", "dollar_broad": "Broad dollar", "dxy": "DXY", "usdjpy": "USDJPY",
}


def short_name(name: str) -> str:
    """A short label for a line: :data:`SHORT_NAMES` or the title up to its parenthesis."""
    if name in SHORT_NAMES:
        return SHORT_NAMES[name]
    from .quantities import title_of

    return title_of(name).split(" (")[0]
