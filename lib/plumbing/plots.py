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
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

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


def use_house_style() -> None:
    """Seaborn whitegrid, readable sizes, PNG output sized for an HTML report."""
    sns.set_theme(style="whitegrid", context="notebook", palette="deep")
    plt.rcParams.update({"figure.dpi": 100, "savefig.dpi": 100, "figure.figsize": (10, 4.2),
                         "axes.titleweight": "bold", "axes.titlesize": 12, "legend.fontsize": 9})


def add_caption(fig: plt.Figure, caption: str | None) -> None:
    """A wrapped caption under the axes and their labels (what the reader should see)."""
    if caption:
        below = 0.55 / fig.get_figheight()  # about half an inch below the figure's bottom edge
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
    return "Events: " + "; ".join(f"{n} = {textwrap.shorten(str(l), 60)} ({d.date()})"
                                  for n, l, d in zip(numbered["number"], numbered["label"], numbered["date"])) + "."


def mark_events(ax: plt.Axes, events: pd.DataFrame | None, *, max_labels: int = 12, label_column: str = "label") -> None:
    """Vertical dashed lines at event dates inside the axis range, labelled at the top."""
    if events is None or len(events) == 0:
        return
    lo, hi = [mdates.num2date(x).replace(tzinfo=None) for x in ax.get_xlim()]
    inside = events[(events["date"] >= pd.Timestamp(lo)) & (events["date"] <= pd.Timestamp(hi))]
    for number, (_, row) in enumerate(inside.iterrows()):
        ax.axvline(row["date"], color="0.35", linestyle="--", linewidth=0.8, alpha=0.7, zorder=0)
        if number < max_labels:
            ax.annotate(textwrap.shorten(str(row[label_column]), 38), xy=(row["date"], 1.0), xycoords=("data", "axes fraction"),
                        xytext=(2, -4), textcoords="offset points", rotation=90, va="top", ha="left", fontsize=7, color="0.25")


def line_chart(frame: pd.DataFrame | pd.Series, *, title: str, unit: str, caption: str | None = None,
               events: pd.DataFrame | None = None, hline: float | None = None, hline_label: str | None = None,
               labels: Mapping[str, str] | None = None, ax: plt.Axes | None = None, x_label: str = "",
               vlines: Mapping[float, str] | None = None) -> plt.Figure:
    """Lines (one per column) over time or any numeric x, with the unit on the y axis.

    With a DatetimeIndex, dates are formatted and ``events`` marked; with another index (e.g.
    event days) ``x_label`` names the axis and ``vlines`` ({x: label}) marks positions such as day 0.
    """
    frame = frame.to_frame() if isinstance(frame, pd.Series) else frame
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots()
    for column in frame.columns:
        data = frame[column].dropna()
        ax.plot(data.index, data.to_numpy(), label=(labels or {}).get(column, column), linewidth=1.4)
    if hline is not None:
        ax.axhline(hline, color="firebrick", linewidth=1, linestyle=":", label=hline_label)
    ax.set_title(title)
    ax.set_ylabel(unit_label(unit))
    ax.set_xlabel(x_label)
    if frame.shape[1] > 1 or hline_label:
        ax.legend(loc="best")
    if isinstance(frame.index, pd.DatetimeIndex):
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
        mark_events(ax, events)
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


def small_multiples(frame: pd.DataFrame, *, units: Mapping[str, str], titles: Mapping[str, str] | None = None,
                    title: str, caption: str | None = None, events: pd.DataFrame | None = None,
                    ncols: int = 3) -> plt.Figure:
    """One small panel per column, each with its own unit, sharing the time axis."""
    columns = list(frame.columns)
    nrows = -(-len(columns) // ncols)
    numbered = numbered_events(events, frame.index.min(), frame.index.max()) if len(frame) else numbered_events(None, None, None)
    fig, axes = plt.subplots(nrows, ncols, figsize=(max(4.2 * ncols, 10), 2.8 * nrows), sharex=True, squeeze=False)
    for ax, column in zip(axes.flat, columns):
        data = frame[column].dropna()
        ax.plot(data.index, data.to_numpy(), linewidth=1.2)
        ax.set_title(textwrap.fill((titles or {}).get(column, column), 48), fontsize=9)
        ax.set_ylabel(unit_label(units.get(column, "")), fontsize=8)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
        for date, number in zip(numbered["date"], numbered["number"]):
            ax.axvline(date, color="0.5", linestyle="--", linewidth=0.6)
            ax.annotate(str(number), xy=(date, 1.0), xycoords=("data", "axes fraction"), xytext=(1, -2),
                        textcoords="offset points", va="top", fontsize=6, color="0.3")
        if data.empty:
            ax.text(0.5, 0.5, "no data in window", transform=ax.transAxes, ha="center", color="firebrick")
    for ax in list(axes.flat)[len(columns):]:
        ax.set_visible(False)
    fig.suptitle(title, fontweight="bold")
    fig.tight_layout()
    legend = events_legend(numbered)
    add_caption(fig, " ".join(part for part in (caption, legend) if part))
    return fig


def event_time_chart(tidy: pd.DataFrame, *, quantity: str, unit: str, title: str, caption: str | None = None,
                     ax: plt.Axes | None = None) -> plt.Figure:
    """Episodes overlaid in event time: x = business days from t0, one line per episode."""
    data = tidy[tidy["quantity"] == quantity]
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots()
    sns.lineplot(data=data, x="day", y="value", hue="episode", ax=ax, linewidth=1.3)
    ax.axvline(0, color="0.2", linewidth=1)
    ax.set_title(title)
    ax.set_xlabel("business days from t0")
    ax.set_ylabel(unit_label(unit))
    add_caption(fig, caption)
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
    ax.set_xlim(min(0.0, low) - 0.2 * span, max(0.0, high) + 0.2 * span)
    for y, v in enumerate(values.to_numpy()):
        ax.annotate(value_format.format(v), xy=(v, y), xytext=(3 if v >= 0 else -3, 0), textcoords="offset points",
                    ha="left" if v >= 0 else "right", va="center", fontsize=9)
    ax.axvline(0, color="0.2", linewidth=0.8)
    ax.set_title(title)
    ax.set_xlabel(unit_label(unit))
    ax.invert_yaxis()
    add_caption(fig, caption)
    return fig


def dual_axis_chart(left: pd.Series, right: pd.Series, *, title: str, left_unit: str, right_unit: str,
                    left_label: str, right_label: str, caption: str | None = None,
                    events: pd.DataFrame | None = None) -> plt.Figure:
    """Two series with different units on two y axes (left and right), events marked."""
    fig, ax = plt.subplots()
    ax.plot(left.dropna().index, left.dropna().to_numpy(), color="tab:blue", label=left_label)
    ax.set_ylabel(f"{left_label} ({unit_label(left_unit)})", color="tab:blue")
    other = ax.twinx()
    other.plot(right.dropna().index, right.dropna().to_numpy(), color="tab:red", label=right_label)
    other.set_ylabel(f"{right_label} ({unit_label(right_unit)})", color="tab:red")
    other.grid(False)
    ax.set_title(title)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    mark_events(ax, events)
    add_caption(fig, caption)
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
               caption: str | None = None, zero_line: bool = True) -> plt.Figure:
    """A line with a shaded confidence band (e.g. an impulse response or a rolling slope)."""
    fig, ax = plt.subplots()
    ax.plot(frame[x], frame[y], color="tab:blue", linewidth=1.5, label=y)
    ax.fill_between(frame[x], frame[low], frame[high], color="tab:blue", alpha=0.2, label="95% band")
    if zero_line:
        ax.axhline(0, color="0.2", linewidth=0.8)
    ax.set_title(title)
    ax.set_xlabel(x_label)
    ax.set_ylabel(unit_label(unit))
    ax.legend(loc="best", fontsize=8)
    add_caption(fig, caption)
    return fig
