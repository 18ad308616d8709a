"""One house style for figures: titles, units on axes, event markers, captions.

Plot functions draw what they are given; they never compute a statistic. Every figure has a
title, its unit on the y axis, optional event markers (vertical lines with short labels) and
a caption under the axes saying what to look at.
"""

from __future__ import annotations

from datetime import datetime

import textwrap
from collections.abc import Iterable, Mapping

import matplotlib.dates as mdates
import matplotlib.ticker as mticker
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from .indicators import IORB_START

UNIT_LABELS: dict[str, str] = {
    "usd_bn": "USD bn",
    "usd_bn_saar": "USD bn (SAAR)",
    "percent": "percent",
    "bp": "basis points",
    "index": "index points",
    "usd": "USD",
    "jpy_per_usd": "JPY per USD",
    "pct_change": "% change",
    "z": "z-score",
}


def unit_label(unit: str) -> str:
    """Axis label for a common unit name."""
    return UNIT_LABELS.get(unit, unit)


#: reference lines drawn wherever a series is plotted in its common unit: key -> (value, label)
REFERENCE_LINES: dict[str, tuple[float, str]] = {
    "reserves": (3000.0, "USD 3tn: the articles' red line"),
}
#: the smallest y range a panel of these series shows (USD bn), so a 0.1bn test operation is
#: not drawn as a spike
MIN_Y_TOP: dict[str, float] = {"repo_take_up": 10.0, "repo_treasury": 10.0, "Repo facility take-up": 10.0}
T0_COLOUR = "darkred"


class DateLabels(mticker.Formatter):
    """Date tick labels that always say the year: ``Mar 2025``, ``Apr``, ... ``Jan 2026`` at
    month ticks, ``15 Dec 2025``, ``1 Jan 2026``, ``15 Jan`` at day ticks, ``2019`` at year
    ticks. The first tick and every tick where the year changes carry the year; there is no
    offset text in the corner."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return mdates.num2date(x).strftime("%d %b %Y").lstrip("0")

    def format_ticks(self, values: list[float]) -> list[str]:  # noqa: D102
        dates = [mdates.num2date(v).replace(tzinfo=None) for v in values]
        if not dates:
            return []
        step = (dates[-1] - dates[0]).days / max(len(dates) - 1, 1)
        out = []
        for i, d in enumerate(dates):
            new_year = i == 0 or d.year != dates[i - 1].year
            if step >= 300:
                out.append(f"{d.year}")
            elif step >= 27 and d.day == 1:
                out.append(d.strftime("%b %Y") if new_year else d.strftime("%b"))
            else:
                out.append(f"{d.day} {d:%b %Y}" if new_year else f"{d.day} {d:%b}")
        return out

    def get_offset(self) -> str:  # noqa: D102
        return ""


def date_axis(ax: plt.Axes, *, max_ticks: int = 6) -> None:
    """The one date axis of every panel: ticks on month (or day, or year) starts and labels
    from :class:`DateLabels` (the year on the first tick and where it changes, no offset)."""
    lo, hi = [mdates.num2date(x).replace(tzinfo=None) for x in ax.get_xlim()]
    days = max((hi - lo).days, 1)
    months = days / 30.4
    if months >= 3:
        interval = next((i for i in (1, 2, 3, 4, 6, 12) if months / i <= max_ticks), None)
        first = lo.month if lo.day <= 3 else lo.month % 12 + 1  # the window's first month gets a tick
        months_ticked = sorted({(first - 1 + k * (interval or 12)) % 12 + 1 for k in range(12)})
        locator = (mdates.MonthLocator(bymonth=months_ticked) if interval and interval < 12
                   else mdates.YearLocator(base=max(1, round(days / 365 / max_ticks + 0.49))))
    else:
        interval = next((i for i in (1, 2, 7, 14) if days / i <= max_ticks), None)
        locator = (mdates.DayLocator(interval=interval) if interval in (1, 2)
                   else mdates.DayLocator(bymonthday=(1, 15)) if interval == 14 or days > 45
                   else mdates.WeekdayLocator(byweekday=mdates.MO))
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(DateLabels())
    ax.xaxis.get_offset_text().set_visible(False)


def reference_lines(ax: plt.Axes, names: Iterable[str], values: Iterable[float] = ()) -> None:
    """The reference lines of :data:`REFERENCE_LINES` for the series ``names`` on ``ax``,
    labelled. A line far outside the data (more than half the data's range away) would
    flatten the data: the panel says where it is instead ("USD 3tn red line: above")."""
    data = [v for v in values if pd.notna(v)]
    for name in dict.fromkeys(names):
        if name not in REFERENCE_LINES:
            continue
        level, label = REFERENCE_LINES[name]
        if data:
            low, high = min(data), max(data)
            reach = max(high - low, abs(high) * 0.05, 1e-9)
            if level > high + 0.5 * reach or level < low - 0.5 * reach:
                where = "above" if level > high else "below"
                ax.annotate(f"{label.split(':')[0]} line: {where} this range", xy=(1.0, 1.0), xycoords="axes fraction",
                            xytext=(0, 2), textcoords="offset points", ha="right", va="bottom", fontsize=7,
                            color="firebrick")  # above the plot area, never over the data
                continue
        series = [line for line in ax.get_lines() if line.get_transform() is ax.transData and len(line.get_xdata()) > 1]
        ax.axhline(level, color="firebrick", linewidth=1, linestyle=":", zorder=2)
        spot = _reference_label_spot(ax, series, level, label)
        if spot is None:  # the data crowd the line everywhere: a short label in the margin right of the panel
            ax.annotate(label.split(":")[0], xy=(1.0, level), xycoords=("axes fraction", "data"), xytext=(3, 0),
                        textcoords="offset points", va="center", ha="left", fontsize=7, color="firebrick",
                        annotation_clip=False)
            continue
        x, above = spot  # no box: the label sits where no data are, just above or below the line
        ax.annotate(label, xy=(x, level), xycoords="data", xytext=(0, 2 if above else -2), textcoords="offset points",
                    va="bottom" if above else "top", ha="left", fontsize=7, color="firebrick")


def _reference_label_spot(ax: plt.Axes, lines: list, level: float, label: str) -> tuple[float, bool] | None:
    """Where the label of a reference line at ``level`` covers no data: the left x (in data
    units) and whether it goes above the line, at the place with the most room between the
    label and the drawn ``lines``; None when there is no such place."""
    xs, ys = [], []
    for line in lines:
        xy = line.get_xydata()  # in axis units (dates as day numbers)
        xs += [float(v) for v in xy[:, 0]]
        ys += [float(v) for v in xy[:, 1]]
    points = [(x, y) for x, y in zip(xs, ys) if pd.notna(x) and pd.notna(y)]
    if not points:
        return None
    lo_x, hi_x = min(x for x, _ in points), max(x for x, _ in points)
    lo_y, hi_y = ax.get_ylim()
    lo_y, hi_y = min(lo_y, level), max(hi_y, level)
    box = ax.get_window_extent()
    width_pt = box.width * 72 / ax.figure.dpi or 300.0
    height_pt = box.height * 72 / ax.figure.dpi or 200.0
    share = min(0.95, (len(label) * 7 * 0.55 + 6) / width_pt)  # the label's width as a share of the panel
    tall = (hi_y - lo_y) * 14 / height_pt  # the label's height and a gap, in data units
    span = max(hi_x - lo_x, 1e-9)
    best: tuple[float, float, bool] | None = None
    for step in range(21):
        start = lo_x + span * (1 - share) * step / 20
        inside = [y for x, y in points if start - span * 0.01 <= x <= start + span * (share + 0.01)]
        for above in (True, False):
            if (above and level + tall > hi_y) or (not above and level - tall < lo_y):
                continue
            low, high = (level - tall * 0.15, level + tall) if above else (level - tall, level + tall * 0.15)
            if any(low <= y <= high for y in inside) or (any(y < low for y in inside) and any(y > high for y in inside)):
                continue  # a point in the label's place, or a line crossing it
            room = min([abs(y - level) for y in inside if (y > level) == above] or [hi_y - lo_y])
            if best is None or room > best[0]:
                best = (room, start, above)
    return None if best is None else (best[1], best[2])


def minimum_range(ax: plt.Axes, names: Iterable[str]) -> None:
    """A y range of at least :data:`MIN_Y_TOP` for series whose tiny values would read as spikes."""
    tops = [MIN_Y_TOP[n] for n in names if n in MIN_Y_TOP]
    if tops:
        low, high = ax.get_ylim()
        if high < max(tops):
            ax.set_ylim(min(low, 0.0) if low < 0 else 0.0, max(tops))


def mark_t0(ax: plt.Axes, t0: object, *, label: str | None = "t0") -> None:
    """The episode's anchor date t0 as a solid dark-red line, labelled inside the top of the panel."""
    if t0 is None:
        return
    when = pd.Timestamp(t0)
    ax.axvline(when, color=T0_COLOUR, linewidth=1.3, zorder=3)
    if label:
        lo, hi = ax.get_xlim()
        on_left = (mdates.date2num(when) - lo) / max(hi - lo, 1e-9) > 0.75
        ax.annotate(label, xy=(when, 0.98), xycoords=("data", "axes fraction"), xytext=(-3 if on_left else 3, 0),
                    textcoords="offset points", va="top", ha="right" if on_left else "left", fontsize=7.5,
                    color=T0_COLOUR, fontweight="bold",
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})


def t0_text(t0: object) -> str:
    """``t0 (30 Jan 2026)``: the label of the t0 line."""
    when = pd.Timestamp(t0)
    return f"t0 ({when.day} {when:%b %Y})"


def use_house_style() -> None:
    """Seaborn whitegrid, readable sizes, PNG output sized for an HTML report."""
    sns.set_theme(style="whitegrid", context="notebook", palette="deep")
    plt.rcParams.update({"figure.dpi": 100, "savefig.dpi": 100, "figure.figsize": (10, 4.2),
                         "axes.titleweight": "bold", "axes.titlesize": 12, "legend.fontsize": 9})


def add_caption(fig: plt.Figure, caption: str | None, *, below: float = 0.55) -> None:
    """A wrapped caption under the axes and their labels (what the reader should see);
    ``below``: inches under the figure's bottom edge."""
    if caption:
        below = below / fig.get_figheight()
        fig.text(0.01, -below, textwrap.fill(caption, 140), ha="left", va="top", fontsize=9, style="italic")


def numbered_events(events: pd.DataFrame | None, lo: pd.Timestamp, hi: pd.Timestamp) -> pd.DataFrame:
    """The events between ``lo`` and ``hi`` with a number each (1, 2, ...), for markers that
    are too small for their label: the caption lists number = label."""
    if events is None or len(events) == 0:
        return pd.DataFrame(columns=["date", "label", "number"])
    inside = events[(events["date"] >= lo) & (events["date"] <= hi)].sort_values("date").reset_index(drop=True)
    return inside.assign(number=range(1, len(inside) + 1))


def events_legend(numbered: pd.DataFrame) -> str:
    """"Events: 1 = label (date); 2 = ..." for a caption."""
    if numbered.empty:
        return ""
    return "Events: " + "; ".join(f"{n} = {l} ({d.date()})"
                                  for n, l, d in zip(numbered["number"], numbered["label"], numbered["date"])) + "."


#: at most this many rows of event labels above a panel (then numbers only, with a key below)
MAX_LABEL_ROWS = 2
_LABEL_FONTSIZE = 7.5


def _label_share(text: str, width_pt: float, fontsize: float = _LABEL_FONTSIZE) -> float:
    """A label's width as a share of an axis ``width_pt`` points wide (a generous estimate)."""
    return len(text) * fontsize * 0.58 / max(width_pt, 1.0)


def _layout_rows(items: list[tuple[float, str]], width_pt: float, max_rows: int,
                 centred: bool = False) -> list[tuple[float, int]] | None:
    """Greedy rows for labels at axis fractions ``x``: (start, row) per label, or None when
    they need more than ``max_rows`` rows. A label starts at its line (or is centred on it)
    and is kept inside the axis."""
    row_ends: list[float] = []
    placed = []
    for x, text in items:
        share = _label_share(text, width_pt)
        start = x - share / 2 if centred else x
        start = max(0.0, min(start, 1.0 - share))
        level = next((r for r, end in enumerate(row_ends) if end < start - 0.01), len(row_ends))
        if level >= max_rows:
            return None
        if level == len(row_ends):
            row_ends.append(0.0)
        row_ends[level] = start + share
        placed.append((start, level))
    return placed


def event_key(events: pd.DataFrame | None, label_column: str = "label") -> str:
    """``Events: 1 = label (date); 2 = ...`` for events a chart shows by number only: each
    event's whole label (never cut; the caption wraps)."""
    if events is None or len(events) == 0:
        return ""
    numbers = events["number"] if "number" in events.columns else range(1, len(events) + 1)
    return "Events: " + "; ".join(f"{n} = {l} ({pd.Timestamp(d).date()})"
                                  for n, l, d in zip(numbers, events[label_column], events["date"])) + "."


#: an event label short enough to sit over its line on a chart
SHORT_LABEL_CHARS = 32


def short_label(label: object) -> str:
    """The label of an event on a chart: the whole label when short, else its first clause
    (before ":", ";" or " (") when that says something on its own; else the whole label (the
    chart then shows numbers and the key under the figure gives the label). Never cut."""
    text = str(label)
    if len(text) <= SHORT_LABEL_CHARS:
        return text
    for mark in (": ", "; ", " ("):
        head = text.split(mark)[0]
        if 8 <= len(head) <= SHORT_LABEL_CHARS:
            return head
    return text


def number_tag(numbers: list[object]) -> str:
    """``3,4`` or, for a run of three or more consecutive numbers, ``7-11``."""
    values = [int(n) for n in numbers]
    if len(values) >= 3 and values == list(range(values[0], values[0] + len(values))):
        return f"{values[0]}-{values[-1]}"
    return ",".join(str(n) for n in values)


def mark_events(ax: plt.Axes, events: pd.DataFrame | None, *, max_labels: int = 5, label_column: str = "label",
                max_rows: int = MAX_LABEL_ROWS) -> pd.DataFrame:
    """Event dates as thin dashed lines, labelled ``n  short label`` in a strip ABOVE the plot
    area, so a label never covers the data.

    Pass the ``chart`` frame of :func:`plumbing.present.event_set` (at most five events, with
    the numbers of the report's numbered events table). The strip has at most ``max_rows``
    rows (two): when the labels need more (a narrow panel, events close together), the lines
    carry their numbers only (numbers of events a few days apart share one tag, "3,4") and the
    events are returned so the caller can print a numbered key under the figure
    (:func:`event_key`); otherwise an empty frame is returned. The panel title moves up to
    make room for the strip.
    """
    empty = pd.DataFrame(columns=["date", label_column, "number"])
    if events is None or len(events) == 0:
        return empty
    lo_num, hi_num = ax.get_xlim()
    lo, hi = [mdates.num2date(x).replace(tzinfo=None) for x in (lo_num, hi_num)]
    inside = events[(events["date"] >= pd.Timestamp(lo)) & (events["date"] <= pd.Timestamp(hi))]
    inside = inside.sort_values(["date", "number"] if "number" in inside.columns else "date", kind="stable").head(max_labels)
    if inside.empty:
        return empty
    if "number" not in inside.columns:
        inside = inside.assign(number=range(1, len(inside) + 1))
    fig = ax.figure
    width_pt = ax.get_window_extent().width * 72 / fig.dpi or 400.0
    xs = [(mdates.date2num(d) - lo_num) / max(hi_num - lo_num, 1e-9) for d in inside["date"]]
    for date in inside["date"]:
        ax.axvline(date, color="0.35", linestyle="--", linewidth=0.8, alpha=0.8, zorder=1)
    short_column = "short" if "short" in inside.columns else label_column
    shown = [short_label(l if pd.notna(l) and str(l) else full) for l, full in zip(inside[short_column], inside[label_column])]
    texts = [f"{n}  {text}" for n, text in zip(inside["number"], shown)]
    placed = _layout_rows(list(zip(xs, texts)), width_pt, max_rows)
    keyed = empty
    if placed is None:  # numbers only, tags of events close together merged, the labels go in a key
        groups: list[tuple[float, float, list[str]]] = []  # first x, last x, numbers
        for x, number in zip(xs, inside["number"]):
            if groups:
                first_x, _, members = groups[-1]
                if x - first_x < _label_share(number_tag(members + [str(number)]), width_pt) + 0.01:
                    groups[-1] = (first_x, x, members + [str(number)])
                    continue
            groups.append((x, x, [str(number)]))
        texts = [number_tag(members) for _, _, members in groups]
        centres = [(first + last) / 2 for first, last, _ in groups]  # a merged tag sits over its lines
        placed = _layout_rows(list(zip(centres, texts)), width_pt, max_rows, centred=True)
        if placed is None:  # cannot happen with merged tags; kept safe: one row, no overlap check
            placed = [(max(0.0, x - 0.01), 0) for x in centres]
        keyed = inside
    if keyed.empty and any(text != str(full) for text, full in zip(shown, inside[label_column])):
        keyed = inside  # a label shown by its first clause: the key under the figure gives it whole
    for text, (start, level) in zip(texts, placed):
        ax.annotate(text, xy=(start, 1.0), xycoords="axes fraction", xytext=(0, 3 + 11 * level),
                    textcoords="offset points", va="bottom", ha="left", fontsize=_LABEL_FONTSIZE, color="0.15",
                    annotation_clip=False)
    rows = 1 + max(level for _, level in placed)
    ax.set_title(ax.get_title(), pad=8 + 11 * rows, fontsize=ax.title.get_fontsize())
    return keyed


def shading_key(fig: plt.Figure, spans: Iterable[tuple[pd.Timestamp, pd.Timestamp, str]] | None) -> None:
    """A key to the shaded periods, at the foot of a multi-panel figure (never over a title)."""
    labels = sorted({label for _, _, label in spans or []})
    if not labels:
        return
    from matplotlib.patches import Patch

    fig.legend(handles=[Patch(color="#dfe7f2" if label.startswith("QT") else "#f4c7c3", label=f"shaded: {label}")
                        for label in labels], loc="lower left", bbox_to_anchor=(0.01, 0.0), ncol=len(labels),
               fontsize=8, frameon=False)


def shade_spans(ax: plt.Axes, spans: Iterable[tuple[pd.Timestamp, pd.Timestamp, str]]) -> None:
    """Shade periods (QT, the shutdown, an episode window) with their label at the bottom."""
    colours = {"government shutdown": "#f4c7c3", "QT (balance-sheet runoff)": "#dfe7f2"}
    for level, (start, end, label) in enumerate(spans):
        ax.axvspan(start, end, color=colours.get(label, "#eeeeee"), alpha=0.6, zorder=0, linewidth=0)
        ax.annotate(label, xy=(start, 0.02 + 0.06 * level), xycoords=("data", "axes fraction"), xytext=(3, 0),
                    textcoords="offset points", fontsize=7, color="0.3", va="bottom",
                    bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.7})


def line_chart(frame: pd.DataFrame | pd.Series, *, title: str, unit: str, caption: str | None = None,
               events: pd.DataFrame | None = None, hline: float | None = None, hline_label: str | None = None,
               labels: Mapping[str, str] | None = None, ax: plt.Axes | None = None, x_label: str = "",
               vlines: Mapping[float, str] | None = None,
               spans: Iterable[tuple[pd.Timestamp, pd.Timestamp, str]] | None = None,
               direct_labels: bool = False, t0: object = None, emphasis: str | None = None) -> plt.Figure:
    """Lines (one per column) over time or any numeric x, with the unit on the y axis.

    Columns named in :data:`REFERENCE_LINES` (reserves) get their labelled reference line
    (USD 3tn); ``t0`` draws the episode's anchor date as a labelled line.

    With a DatetimeIndex, dates are formatted, ``events`` marked (see :func:`mark_events`) and
    ``spans`` shaded (see :func:`shade_spans`); with another index (e.g. event days)
    ``x_label`` names the axis and ``vlines`` ({x: label}) marks positions such as day 0.
    ``direct_labels`` writes each line's name at its last point instead of a legend.
    ``emphasis`` names the column that is the chart's subject (a composite): it is drawn thick
    and dark over the others, which are thin and grey.
    """
    frame = frame.to_frame() if isinstance(frame, pd.Series) else frame
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots()
    for column in frame.columns:
        data = frame[column].dropna()
        style = {"linewidth": 1.4}
        if emphasis is not None:
            style = ({"linewidth": 2.6, "color": "#1f2a44", "zorder": 4} if column == emphasis
                     else {"linewidth": 0.9, "color": "0.62", "zorder": 2})
        ax.plot(data.index, data.to_numpy(), label=(labels or {}).get(column, column), **style)
    if hline is not None:
        ax.axhline(hline, color="firebrick", linewidth=1, linestyle=":", label=hline_label)
    if unit == "usd_bn":
        reference_lines(ax, frame.columns, frame.stack().to_numpy() if frame.size else ())
        minimum_range(ax, frame.columns)
    ax.set_title(title)
    ax.set_ylabel(unit_label(unit))
    ax.set_xlabel(x_label)
    if direct_labels:
        label_line_ends(ax, frame, labels)
        if hline_label:
            ax.legend(loc="upper left", fontsize=8)
    elif frame.shape[1] > 1 or hline_label:
        ax.legend(loc="best")
    if isinstance(frame.index, pd.DatetimeIndex):
        date_axis(ax)
        if spans:
            shade_spans(ax, spans)
        mark_t0(ax, t0, label=t0_text(t0) if t0 is not None else None)
        keyed = mark_events(ax, events)
        if len(keyed):
            caption = f"{event_key(keyed)} {caption or ''}".strip()
    for value, label in (vlines or {}).items():
        ax.axvline(value, color="0.2", linewidth=1)
        # the label goes on the side of the line with more room, on a white box, below the top edge
        lo, hi = ax.get_xlim()
        position = mdates.date2num(value) if isinstance(value, (pd.Timestamp, datetime)) else value
        on_left = (position - lo) / (hi - lo) > 0.6
        ax.annotate(label, xy=(value, 0.9), xycoords=("data", "axes fraction"), xytext=(-4 if on_left else 4, 0),
                    textcoords="offset points", va="top", ha="right" if on_left else "left", fontsize=8,
                    bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
    add_caption(fig, caption)
    return fig


def label_line_ends(ax: plt.Axes, frame: pd.DataFrame, labels: Mapping[str, str] | None = None, *,
                    outside: bool = False) -> None:
    """Each line's name at its last point, in the line's colour, nudged apart so none overprint.
    ``outside``: the names go in the margin right of the panel, level with each line's last
    value, so the x axis can end where the data (the window) end."""
    lines = ax.get_lines()[: frame.shape[1]]
    ends = []
    for line, column in zip(lines, frame.columns):
        data = frame[column].dropna()
        if len(data):
            ends.append((float(data.iloc[-1]), data.index[-1], (labels or {}).get(column, column), line.get_color()))
    low, high = ax.get_ylim()
    line_height = (high - low) * 0.06  # one line of 8-point text on a panel about 3 inches tall
    placed: list[float] = []
    previous_lines = 1
    for value, when, text, colour in sorted(ends, key=lambda e: e[0]):
        lines = str(text).count("\n") + 1
        gap = line_height * (previous_lines + lines) / 2
        y = value if not placed or value - placed[-1] >= gap else placed[-1] + gap
        placed.append(y)
        previous_lines = lines
        if outside:
            ax.annotate(text, xy=(1.0, y), xycoords=("axes fraction", "data"), xytext=(4, 0), textcoords="offset points",
                        fontsize=8, color=colour, va="center", ha="left", annotation_clip=False)
            continue
        ax.annotate(text, xy=(when, value), xytext=(when, y), textcoords="data", xycoords="data",
                    fontsize=8, color=colour, va="center", ha="left",
                    bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})
    if outside:
        return
    shown = frame.dropna(how="all").index
    if isinstance(shown, pd.DatetimeIndex) and len(shown) > 1:  # the axis starts with the data; room right for names
        ax.set_xlim(shown.min(), shown.max() + (shown.max() - shown.min()) * 0.2)
    else:
        ax.margins(x=0.12)


def draw_corridor(ax: plt.Axes, rates: pd.DataFrame, reserve_rate: str | None = None) -> list[str]:
    """Draw the overnight-rate corridor on ``ax``: the target range shaded, SOFR's 1st-99th
    percentile band, SOFR, EFFR and the rate on reserves (``reserve_rate``, or IORB/IOER,
    whichever has data). Returns the columns drawn."""
    drawn = []
    if {"fed_target_lower", "fed_target_upper"} <= set(rates.columns):
        corridor = rates[["fed_target_lower", "fed_target_upper"]].dropna()
        ax.fill_between(corridor.index, corridor["fed_target_lower"], corridor["fed_target_upper"], step="post",
                        facecolor="#c8c0b2", edgecolor="#7d7568", alpha=0.6, linewidth=0.8,
                        label="fed funds target range", zorder=0)  # a visible band with its edges drawn
        drawn += ["fed_target_lower", "fed_target_upper"]
    if {"sofr_p1", "sofr_p99"} <= set(rates.columns) or "sofr_p99" in rates.columns:
        low = rates["sofr_p1"] if "sofr_p1" in rates.columns else rates.get("sofr")
        band = pd.DataFrame({"low": low, "high": rates["sofr_p99"]}).dropna()
        ax.fill_between(band.index, band["low"], band["high"], color="tab:blue", alpha=0.18, linewidth=0,
                        label="SOFR 1st-99th percentile" if "sofr_p1" in rates.columns else "SOFR to its 99th percentile")
        drawn += [c for c in ("sofr_p1", "sofr_p99") if c in rates.columns]
    rate_columns = [reserve_rate] if reserve_rate else [c for c in ("ioer", "iorb") if c in rates.columns]
    names = {"sofr": ("SOFR", "tab:blue", "-"), "effr": ("EFFR", "tab:orange", "--"),
             **{c: (c.upper(), "black", "-") for c in rate_columns}}
    for column, (label, colour, style) in names.items():
        if column in rates.columns and rates[column].notna().any():
            data = rates[column].dropna()
            ax.plot(data.index, data.to_numpy(), color=colour, linestyle=style, linewidth=1.5, label=label)
            drawn.append(column)
    return drawn


def rate_corridor_chart(rates: pd.DataFrame, *, reserve_rate: str, title: str,
                        events: pd.DataFrame | None = None) -> plt.Figure:
    """Overnight rates in one panel: the fed funds target range as a shaded corridor, SOFR with
    its 1st-99th percentile band, EFFR and the rate on reserves (``reserve_rate``: ``"ioer"``
    or ``"iorb"``), each labelled at its line end. Columns used when present: ``sofr``,
    ``sofr_p1``, ``sofr_p99``, ``effr``, ``fed_target_lower``, ``fed_target_upper``.
    """
    fig, ax = plt.subplots()
    draw_corridor(ax, rates, reserve_rate)
    ax.set_title(title)
    ax.set_ylabel(unit_label("percent"))
    date_axis(ax)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=5, fontsize=8, frameon=False)
    keyed = mark_events(ax, events)
    if len(keyed):
        add_caption(fig, event_key(keyed), below=0.9)
    return fig


def panel_title(column: str, titles: Mapping[str, str] | None = None) -> str:
    """A panel's title: the short plain name of a known series (``ON RRP``, ``HY OAS``), unless
    the caller gave a title of its own; an official title with its id (``... (RRPONTSYD)``)
    never heads a panel (ids go in the source line)."""
    from .present import SHORT_NAMES

    given = (titles or {}).get(column)
    if column in SHORT_NAMES:
        try:
            from .quantities import title_of

            official = title_of(column)
        except Exception:  # noqa: BLE001 - not a catalog key or quantity: the given title stands
            official = None
        if given is None or given == official:
            return SHORT_NAMES[column]
    return given or column


def reserve_rate_era(text: str, last: object) -> str:
    """``text`` with IORB read as IOER when the window ends (``last``) before IORB existed
    (:data:`plumbing.indicators.IORB_START`: the Fed paid IOER on reserves until 2021-07-28)."""
    return str(text).replace("IORB", "IOER") if last is not None and pd.Timestamp(last) < IORB_START else str(text)


def _window_marks(ax: plt.Axes, position: int, chart_events: pd.DataFrame, lo: pd.Timestamp, hi: pd.Timestamp,
                  t0: object) -> pd.DataFrame:
    """Events and t0 on one panel of a grid: the first panel labels the events (numbers and a
    key when they do not fit) and says the date of t0; the others draw the same lines."""
    mark_t0(ax, t0, label=(t0_text(t0) if position == 0 else "t0") if t0 is not None else None)
    if position == 0:
        return mark_events(ax, chart_events)
    for date in chart_events["date"]:
        if lo <= date <= hi:
            ax.axvline(date, color="0.55", linestyle="--", linewidth=0.6)
    return chart_events.iloc[0:0]


def small_multiples(frame: pd.DataFrame, *, units: Mapping[str, str], titles: Mapping[str, str] | None = None,
                    title: str, caption: str | None = None, events: pd.DataFrame | None = None,
                    ncols: int = 3, spans: Iterable[tuple[pd.Timestamp, pd.Timestamp, str]] | None = None,
                    bands: Mapping[str, tuple[pd.Series, pd.Series, str]] | None = None,
                    t0: object = None) -> plt.Figure:
    """One small panel per column, each with its own unit and its own date axis.

    ``events`` are the chart events of :func:`plumbing.present.event_set` (numbered as in the
    report's events table; each panel shows the numbers, the first panel the labels);
    ``spans`` are shaded on every panel; ``bands`` ({column: (low, high, label)}) shades a
    range around a panel's line (e.g. SOFR's 1st-99th percentile); ``t0`` is a labelled line
    on every panel. Panels are headed by short plain names (:func:`panel_title`); reserves in
    USD bn get the USD 3tn line, repo take-up a range of at least 0-10bn.
    """
    columns = list(frame.columns)
    nrows = -(-len(columns) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(max(4.2 * ncols, 10), 3.0 * nrows), squeeze=False)
    chart_events = events if events is not None else pd.DataFrame(columns=["date", "label", "number"])
    if "number" not in chart_events.columns:
        chart_events = chart_events.assign(number=range(1, len(chart_events) + 1))
    keyed = chart_events.iloc[0:0]
    for position, (ax, column) in enumerate(zip(axes.flat, columns)):
        data = frame[column].dropna()
        if spans:
            for start, end, label in spans:
                ax.axvspan(start, end, color="#dfe7f2" if label.startswith("QT") else "#f4c7c3", alpha=0.6,
                           zorder=0, linewidth=0)
        if bands and column in bands:
            low, high, band_label = bands[column]
            ax.fill_between(low.index, low.to_numpy(), high.reindex(low.index).to_numpy(), color="tab:blue",
                            alpha=0.15, linewidth=0, label=band_label)
        ax.plot(data.index, data.to_numpy(), linewidth=1.2)
        if units.get(column) == "usd_bn":
            reference_lines(ax, [column], data.to_numpy())
            minimum_range(ax, [column])
        ax.set_title(textwrap.fill(reserve_rate_era(panel_title(column, titles), frame.index.max()), 44), fontsize=9)
        ax.set_ylabel(unit_label(units.get(column, "")), fontsize=8)
        ax.set_xlim(frame.index.min(), frame.index.max())
        date_axis(ax, max_ticks=5)
        ax.tick_params(labelsize=7)
        found = _window_marks(ax, position, chart_events, frame.index.min(), frame.index.max(), t0)
        keyed = found if position == 0 else keyed
        if data.empty:
            ax.text(0.5, 0.5, "no data in window", transform=ax.transAxes, ha="center", color="firebrick")
    for ax in list(axes.flat)[len(columns):]:
        ax.set_visible(False)
    fig.suptitle(title, fontweight="bold", y=0.995)
    fig.tight_layout(rect=(0, 0.03 if spans else 0, 1, 0.96))
    shading_key(fig, spans)
    add_caption(fig, f"{event_key(keyed)} {caption or ''}".strip() if len(keyed) else caption)
    return fig


#: direct line labels wrap at this many characters (so a label never runs into the next panel)
LINE_LABEL_CHARS = 16


#: below this a series reads as zero on its panel (USD bn): the New York Fed's small-value
#: test operations (a few USD mn) on a repo panel of at least 0-10bn
QUIET_BELOW: dict[str, float] = {"repo_take_up": 0.5, "repo_treasury": 0.5}


def quiet_series(frame: pd.DataFrame, names: Iterable[str]) -> list[str]:
    """The ``names`` with no value in ``frame``, or only zeros (repo take-up in a calm window;
    test operations below :data:`QUIET_BELOW` count as zero)."""
    quiet = []
    for name in names:
        data = frame[name].dropna() if name in frame.columns else pd.Series(dtype=float)
        if data.empty or bool((data.abs() < QUIET_BELOW.get(name, 1e-12)).all()):
            quiet.append(name)
    return quiet


def theme_grid(frame: pd.DataFrame, themes: Mapping[str, list[str]], *, titles: Mapping[str, str], title: str,
               events: pd.DataFrame | None = None, spans: Iterable[tuple[pd.Timestamp, pd.Timestamp, str]] | None = None,
               rebase: Iterable[str] = (), ncols: int = 2, t0: object = None,
               window: tuple[object, object] | None = None) -> plt.Figure:
    """One panel per theme, its series as labelled lines (at their last point) on a shared unit.

    Series named in ``rebase`` are drawn as 100 x value / first value in the window. Each
    panel has its own date axis; ``events`` (numbered) are labelled on the first panel and
    drawn as plain lines on the others; ``spans`` are shaded on all; ``t0`` is a labelled line
    on all. Reserves get the USD 3tn line, repo take-up a range of at least 0-10bn; the rate
    corridor is labelled at the line ends (no legend over the data) and says what its shading
    is in the panel title. A theme whose series are all empty or all zero in the window gets
    no panel (:func:`quiet_series`: the caller says so in the caption). Every panel's x axis
    is the window (``window``, else the frame's dates); line names sit right of the panels.
    """
    rebased = set(rebase)
    keyed = pd.DataFrame()
    last = window[1] if window else frame.index.max()
    titles = {name: reserve_rate_era(text, last) for name, text in titles.items()}
    quiet = set(quiet_series(frame, [n for members in themes.values() for n in members]))
    keys = [theme for theme, members in themes.items() if not set(members) <= quiet] or list(themes)[:1]
    nrows = -(-len(keys) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.4 * ncols, 3.3 * nrows), squeeze=False)
    chart_events = events if events is not None else pd.DataFrame(columns=["date", "label", "number"])
    lo, hi = (pd.Timestamp(window[0]), pd.Timestamp(window[1])) if window else (frame.index.min(), frame.index.max())
    frame = frame.loc[(frame.index >= lo) & (frame.index <= hi)]
    for ax, theme in zip(axes.flat, keys):
        panel = {}
        for name in themes[theme]:
            data = frame[name].dropna() if name in frame.columns else pd.Series(dtype=float)
            if name in rebased and len(data):
                data = data / data.iloc[0] * 100
            panel[name] = data
        for (start, end, label) in spans or []:
            ax.axvspan(start, end, color="#dfe7f2" if label.startswith("QT") else "#f4c7c3", alpha=0.6, zorder=0,
                       linewidth=0)
        panel_heading = theme
        if "sofr" in panel and {"fed_target_upper", "fed_target_lower"} <= set(panel):
            rates = pd.DataFrame(panel)
            shown = draw_corridor(ax, rates)
            lines = [c for c in ("sofr", "effr", "ioer", "iorb") if c in shown]
            ends = pd.DataFrame({titles.get(c, c): rates[c] for c in lines})
            label_line_ends(ax, ends, {c: textwrap.fill(c, LINE_LABEL_CHARS) for c in ends.columns}, outside=True)
            panel_heading = f"{theme}\ngrey: fed funds target range; blue band: SOFR 1st-99th percentile"
            others = [n for n in panel if n not in shown and len(panel[n])]
            if others:  # repo rates that track SOFR closely: named, not drawn over it
                ax.annotate("also in the data: " + ", ".join(titles.get(n, n) for n in others), xy=(0.01, 0.02),
                            xycoords="axes fraction", fontsize=7, color="0.35")
        else:
            drawn = pd.DataFrame({titles.get(n, n): s for n, s in panel.items() if len(s)})
            for column in drawn.columns:
                series = drawn[column].dropna()
                ax.plot(series.index, series.to_numpy(), linewidth=1.3)
            if drawn.shape[1]:
                label_line_ends(ax, drawn, {c: textwrap.fill(c, LINE_LABEL_CHARS) for c in drawn.columns},
                                outside=True)
            else:
                ax.text(0.5, 0.5, "no data in window", transform=ax.transAxes, ha="center", color="firebrick")
            values = [v for n, s in panel.items() if n not in rebased for v in s.to_numpy()]
            reference_lines(ax, [n for n in panel if n not in rebased], values)
            minimum_range(ax, list(panel))
        ax.set_title(panel_heading, fontsize=10)
    # the same dates on every panel: the window, no more (the line names sit right of the panels)
    for position, ax in enumerate(list(axes.flat)[:len(keys)]):
        ax.set_xlim(lo, hi)
        date_axis(ax, max_ticks=5)
        ax.tick_params(labelsize=8)
        found = _window_marks(ax, position, chart_events, lo, hi, t0)
        keyed = found if position == 0 else keyed
    for ax in list(axes.flat)[len(keys):]:
        ax.set_visible(False)
    fig.suptitle(title, fontweight="bold", y=0.995)
    fig.tight_layout(rect=(0, 0.03 if spans else 0, 1, 0.97))
    shading_key(fig, spans)
    if len(keyed):
        add_caption(fig, event_key(keyed))
    return fig


def _dominant_episode(data: pd.DataFrame, ratio: float = 4.0) -> str | None:
    """The episode whose largest absolute value is more than ``ratio`` times every other
    episode's (2019's 308bp against single digits), else None."""
    peaks = data.groupby("episode")["value"].apply(lambda v: v.abs().max()).dropna().sort_values(ascending=False)
    if len(peaks) < 2 or peaks.iloc[1] <= 0:
        return None
    return str(peaks.index[0]) if peaks.iloc[0] > ratio * peaks.iloc[1] else None


def event_time_chart(tidy: pd.DataFrame, *, quantity: str, unit: str, title: str, caption: str | None = None,
                     ax: plt.Axes | None = None, names: Mapping[str, str] | None = None) -> plt.Figure:
    """Episodes overlaid in event time: x = business days from t0, one line per episode,
    named by ``names`` ({episode id: short title}, e.g. "Oct 2025 TGA drain").

    When one episode dwarfs the others (its peak more than four times any other's), a second
    panel beside the first shows the others without it on their own scale, so they stay
    readable; the panel title says which episode it leaves out.
    """
    data = tidy[tidy["quantity"] == quantity].copy()
    data["episode"] = data["episode"].map(lambda e: (names or {}).get(e, e))
    order = list(dict.fromkeys(data["episode"]))
    palette = dict(zip(order, sns.color_palette("deep", len(order))))
    dominant = _dominant_episode(data) if ax is None else None
    if ax is not None:
        fig, axes = ax.figure, [ax]
    elif dominant:
        fig, axes = plt.subplots(1, 2, figsize=(13, 4.2))
    else:
        fig, one = plt.subplots()
        axes = [one]
    panels = [(axes[0], data, title)]
    if dominant:
        panels.append((axes[1], data[data["episode"] != dominant], f"Without {dominant}, on its own scale"))
    for panel_ax, panel_data, panel_title_text in panels:
        sns.lineplot(data=panel_data, x="day", y="value", hue="episode", ax=panel_ax, linewidth=1.3, palette=palette,
                     hue_order=[e for e in order if e in set(panel_data["episode"])])
        panel_ax.axvline(0, color=T0_COLOUR, linewidth=1.3)
        panel_ax.annotate("t0", xy=(0, 0.98), xycoords=("data", "axes fraction"), xytext=(3, 0),
                          textcoords="offset points", va="top", fontsize=8, color=T0_COLOUR, fontweight="bold")
        panel_ax.set_title(textwrap.fill(panel_title_text, 60), fontsize=11 if dominant else 12)
        panel_ax.set_xlabel("business days from t0")
        panel_ax.set_ylabel(unit_label(unit))
    handles, labels = axes[0].get_legend_handles_labels()
    for panel_ax in axes:
        if panel_ax.get_legend() is not None:
            panel_ax.get_legend().remove()
    fig.tight_layout()
    if handles:  # one key under the panels, never over the lines
        fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=min(len(labels), 6),
                   fontsize=8, frameon=False)
    add_caption(fig, caption, below=0.45 if len(labels) <= 6 else 0.65)
    return fig


def bar_chart(values: pd.Series, *, title: str, unit: str, caption: str | None = None,
              colors: Mapping[str, str] | None = None, value_format: str = "{:,.1f}",
              errors: pd.Series | None = None) -> plt.Figure:
    """Horizontal bars (e.g. a decomposition or returns by regime), labelled with their values.

    Bars are green when positive and red when negative unless ``colors`` maps labels to
    colours; ``errors`` (same index) draws +/- error bars.
    """
    fig, ax = plt.subplots(figsize=(8, 1.0 + 0.45 * len(values)))
    bar_colors = [(colors or {}).get(str(i), "seagreen" if v >= 0 else "firebrick")
                  for i, v in zip(values.index, values.to_numpy())]
    ax.barh([str(i) for i in values.index], values.to_numpy(), color=bar_colors,
            xerr=None if errors is None else errors.reindex(values.index).to_numpy(), capsize=3)
    reach = values.abs() if errors is None else values.abs() + errors.reindex(values.index).fillna(0).abs()
    low = float((values - (0 if errors is None else errors.reindex(values.index).fillna(0))).min())
    high = float((values + (0 if errors is None else errors.reindex(values.index).fillna(0))).max())
    span = float(reach.max() or 1)
    # counts and other non-negative values start at zero (no empty negative half)
    ax.set_xlim(0.0 if low >= 0 else low - 0.25 * span, max(0.0, high) + 0.25 * span)
    whiskers = (errors.reindex(values.index).fillna(0).abs().to_numpy() if errors is not None
                else [0.0] * len(values))
    for y, (v, e) in enumerate(zip(values.to_numpy(), whiskers)):
        end = v + e if v >= 0 else v - e  # beyond the error bar, so the value never sits on a whisker
        ax.annotate(value_format.format(v), xy=(end, y), xytext=(4 if v >= 0 else -4, 0), textcoords="offset points",
                    ha="left" if v >= 0 else "right", va="center", fontsize=9,
                    bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})
    ax.axvline(0, color="0.2", linewidth=0.8)
    ax.set_title(title)
    ax.set_xlabel(unit_label(unit))
    ax.invert_yaxis()
    add_caption(fig, caption)
    return fig


def dual_axis_chart(left: pd.Series, right: pd.Series, *, title: str, left_unit: str, right_unit: str,
                    left_label: str, right_label: str, caption: str | None = None,
                    events: pd.DataFrame | None = None, t0: object = None) -> plt.Figure:
    """Two series with different units on two y axes (left and right), events and ``t0`` marked."""
    fig, ax = plt.subplots()
    ax.plot(left.dropna().index, left.dropna().to_numpy(), color="tab:blue", label=left_label)
    ax.set_ylabel(f"{left_label} ({unit_label(left_unit)})", color="tab:blue")
    other = ax.twinx()
    other.plot(right.dropna().index, right.dropna().to_numpy(), color="tab:red", label=right_label)
    other.set_ylabel(f"{right_label} ({unit_label(right_unit)})", color="tab:red")
    other.grid(False)
    ax.set_title(title)
    date_axis(ax)
    mark_t0(ax, t0, label=t0_text(t0) if t0 is not None else None)
    keyed = mark_events(ax, events)
    add_caption(fig, f"{event_key(keyed)} {caption or ''}".strip() if len(keyed) else caption)
    return fig


def shown(figures: Iterable[plt.Figure]) -> None:
    """Display figures in the notebook (embedded PNG in reports) and close them.

    Works whatever matplotlib backend is active; closing keeps memory flat when a notebook
    draws many figures.
    """
    from IPython.display import display

    for fig in figures:
        display(fig)
        plt.close(fig)


def scatter_fit(data: pd.DataFrame, *, x: str, y: str, fitted: str | None = None, title: str, x_unit: str, y_unit: str,
                x_label: str, y_label: str, vlines: Mapping[str, float] | None = None,
                shade: tuple[float, float] | None = None, shade_label: str | None = None,
                caption: str | None = None) -> plt.Figure:
    """Observations as points, an optional fitted line, reference lines and a shaded interval on x."""
    fig, ax = plt.subplots()
    ax.scatter(data[x], data[y], s=8, alpha=0.45, color="tab:blue", label="weekly observations")
    if fitted:
        ordered = data.sort_values(x)
        ax.plot(ordered[x], ordered[fitted], color="black", linewidth=1.6, label="fitted")
    if shade is not None:
        ax.axvspan(shade[0], shade[1], color="orange", alpha=0.2, label=shade_label)
    for number, (label, value) in enumerate((vlines or {}).items()):
        ax.axvline(value, linestyle="--", linewidth=1, color=f"C{number + 2}", label=label)
    ax.set_title(title)
    ax.set_xlabel(f"{x_label} ({unit_label(x_unit)})")
    ax.set_ylabel(f"{y_label} ({unit_label(y_unit)})")
    ax.legend(loc="best", fontsize=8)
    add_caption(fig, caption)
    return fig


def band_chart(frame: pd.DataFrame, *, x: str, y: str, low: str, high: str, title: str, x_label: str, unit: str,
               caption: str | None = None, zero_line: bool = True, line_label: str = "point estimate") -> plt.Figure:
    """A line with a shaded confidence band (e.g. an impulse response or a rolling slope);
    ``line_label`` names the line in the legend (never the column's code name)."""
    fig, ax = plt.subplots()
    ax.plot(frame[x], frame[y], color="tab:blue", linewidth=1.5, label=line_label)
    ax.fill_between(frame[x], frame[low], frame[high], color="tab:blue", alpha=0.2, label="95% band")
    if zero_line:
        ax.axhline(0, color="0.2", linewidth=0.8)
    ax.set_title(title)
    ax.set_xlabel(x_label)
    ax.set_ylabel(unit_label(unit))
    ax.legend(loc="best", fontsize=8)
    add_caption(fig, caption)
    return fig
