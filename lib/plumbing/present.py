"""The presentation API: findings, figures, tables and event sets, the same in every report.

Notebooks call four things and make no presentation choice of their own:

- :func:`findings` opens a report with 3-6 sentences computed from data (the exported page
  puts them right under the title; the index shows the first one as the report's answer);
- :func:`figure` shows a matplotlib figure as a sharp PNG (150 dpi) with alt text that says
  what it shows, a caption, a ``Source:`` line and the plotted data as a CSV download
  embedded in the page (works offline);
- :func:`table` shows a DataFrame for people: plain-English headers with units (a model's
  column names such as ``ci_low`` or ``p_holm`` are translated by :data:`COLUMNS`, one map for
  every report), basis points as integers, USD bn with thousands separators and one decimal,
  shares in %, p-values to 2 significant figures ("<0.001" below that), statistics to two
  decimals, "—" for a missing value, never scientific notation, never truncated;
- :func:`claims` shows the articles' claims verdict first: contradicted and partly visible,
  supported and not checkable folded, the quote, rule and data used folded under each row;
- :func:`event_set` numbers the events of a window once, picks at most five to label on a
  chart (the rest are listed in the numbered table, with the same numbers), and
  :func:`policy_spans` gives the periods to shade (QT, the 2025 shutdown).

Units are the project's common units (``bp``, ``usd_bn``, ``percent``, ``pct_change``,
``index``, ``usd``, ``pvalue``, ``count``, ``z``), plus ``fraction`` (a 0-1 share shown in %)
``stat`` (a test statistic or coefficient: two decimals) and ``bp_coef`` (a coefficient in bp,
two decimals: a slope of 1.92bp is not rounded to 2).
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
    "pvalue": "p-value", "share": "%", "fraction": "%", "days": "days", "weeks": "weeks", "months": "months",
    "ratio": "", "stat": "", "bp_coef": "bp",
}
#: event kinds in the order they deserve a label on a chart (others come after, by date)
EVENT_PRIORITY: tuple[str, ...] = (
    "shutdown_start", "shutdown_end", "qt_end", "rmp_start", "fed_leadership", "qt_start", "emergency", "bank_failure",
    "repo_operations", "facility", "fomc_move", "qt_taper", "refunding", "tariff", "debt_ceiling", "fiscal",
)
#: table-cell formats by unit (the unit itself goes in the column header)
CELL_FORMATS: dict[str, str] = {
    "bp": "{:,.0f}", "count": "{:,.0f}", "days": "{:,.0f}", "weeks": "{:,.0f}",
    "usd_bn": "{:,.1f}", "usd_bn_saar": "{:,.1f}", "percent": "{:,.2f}", "share": "{:,.2f}", "pp": "{:,.2f}",
    "pct_change": "{:+,.1f}", "z": "{:+.2f}", "months": "{:,.1f}", "stat": "{:,.2f}",
    "bp_coef": "{:,.2f}",
}
#: how a value and its unit read in a sentence
SENTENCE_FORMATS: dict[str, str] = {
    "bp": "{sign}{text} bp", "usd_bn": "{sign}USD {text}bn", "usd_bn_saar": "{sign}USD {text}bn",
    "percent": "{sign}{text}%", "share": "{sign}{text}%", "pct_change": "{sign}{text}%", "pp": "{sign}{text} pp",
}
#: model column names -> (plain-English header, unit), for every report's tables (a notebook's
#: own ``labels``/``units`` win). An empty unit leaves the column's unit to the notebook (an
#: estimate is in % in one report and in bp in another); unitless numbers get two decimals.
COLUMNS: dict[str, tuple[str, str]] = {
    # estimates, intervals, tests
    "estimate": ("Estimate", ""), "se": ("Standard error", ""), "t": ("t-statistic", "stat"),
    "ci_low": ("95% CI, low", ""), "ci_high": ("95% CI, high", ""),
    "se_har": ("Standard error (EWC)", ""), "ci_low_har": ("95% CI, low (EWC)", ""),
    "ci_high_har": ("95% CI, high (EWC)", ""), "ci_low_naive": ("95% CI, low (naive Newey-West)", ""),
    "ci_high_naive": ("95% CI, high (naive Newey-West)", ""),
    "ci_low_profile": ("95% CI, low (profile likelihood, i.i.d.)", ""),
    "ci_high_profile": ("95% CI, high (profile likelihood, i.i.d.)", ""),
    "p_value": ("p-value", "pvalue"), "p_holm": ("p-value (Holm-adjusted)", "pvalue"),
    "p_bh": ("p-value (Benjamini-Hochberg)", "pvalue"), "p_naive": ("p-value (naive)", "pvalue"),
    "p_iid": ("p-value (i.i.d. events, for comparison)", "pvalue"),
    "p_boot": ("p-value (wild-cluster bootstrap)", "pvalue"), "p_cs": ("p-value (cross-section)", "pvalue"),
    "p_pooled": ("p-value (pooled; assumes independent events)", "pvalue"),
    "p_one_sided": ("p-value (one-sided)", "pvalue"), "p_value_chi2": ("p-value (chi-squared)", "pvalue"),
    "n": ("Observations", "count"), "first": ("Sample start", ""), "last": ("Sample end", ""), "sample": ("Sample", ""),
    "inference": ("Intervals by", ""), "specification": ("Specification", ""), "term": ("Term", ""),
    "parameter": ("Parameter", ""), "horizon": ("Horizon", "weeks"), "asset": ("Asset", ""),
    "direction": ("Direction", ""), "window": ("Window (trading days)", ""), "metal": ("Metal", ""),
    # the reserve-demand kink (06)
    "kink": ("Kink", ""), "kink_ci_low": ("Kink, 95% CI low", ""), "kink_ci_high": ("Kink, 95% CI high", ""),
    "x_unit": ("Kink measured in", ""), "kink_usd_bn": ("Kink", "usd_bn"),
    "kink_ci_low_usd_bn": ("Kink, 95% CI low", "usd_bn"), "kink_ci_high_usd_bn": ("Kink, 95% CI high", "usd_bn"),
    "slope_below": ("Slope below the kink", "stat"), "slope_below_ci_low": ("Slope below, 95% CI low", "stat"),
    "slope_below_ci_high": ("Slope below, 95% CI high", "stat"), "slope_above": ("Slope above the kink", "stat"),
    "slope_above_ci_low": ("Slope above, 95% CI low", "stat"), "slope_above_ci_high": ("Slope above, 95% CI high", "stat"),
    "sup_f": ("Kink test statistic (sup-F)", "stat"), "sup_f_p": ("Kink test p-value (sup-F)", "pvalue"),
    "residual_ar1": ("Residual autocorrelation, AR(1)", "stat"),
    "ratio_pct": ("Reserves ratio", "percent"), "ci_low_pct": ("95% CI, low", "percent"),
    "ci_high_pct": ("95% CI, high", "percent"), "usd_bn": ("Reserves", "usd_bn"),
    "ci_low_usd_bn": ("95% CI, low", "usd_bn"), "ci_high_usd_bn": ("95% CI, high", "usd_bn"),
    "denominator_bn": ("Denominator", "usd_bn"), "indicative": ("Indicative only", ""), "note": ("Note", ""),
    "benchmark": ("Benchmark", ""),
    # net liquidity and equities (07)
    "sup_wald": ("Largest Wald statistic (sup-Wald)", "stat"), "break_date": ("Most likely break date", ""),
    "crit_10": ("Andrews critical value, 10%", "stat"), "crit_5": ("Andrews critical value, 5%", "stat"),
    "crit_1": ("Andrews critical value, 1%", "stat"), "trim": ("Dates searched (middle share)", "fraction"),
    "hac_lags": ("Newey-West lags", "count"), "mspe_small": ("Mean squared error, benchmark", "stat"),
    "mspe_large": ("Mean squared error, log-gap model", "stat"),
    "oos_r2_vs_benchmark": ("Out-of-sample R² against the benchmark", "fraction"), "cw_t": ("Clark-West t", "stat"),
    "period": ("Period", ""), "metric": ("Measure", ""), "description": ("What it measures", ""),
    "series": ("Series", ""), "form": ("Form", ""), "adf_stat": ("ADF statistic", "stat"), "lags": ("Lags", "count"),
    "nobs": ("Observations", "count"), "crit_5pct": ("5% critical value", "stat"),
    "regression": ("Deterministic terms", ""), "lag": ("Lags", "count"), "lags_by_ic": ("Lags by criterion", ""),
    "shock_unit": ("Shock", ""),
    # liquidity regimes (08)
    "regime": ("Quadrant", ""), "mean": ("Mean", ""), "wald_chi2": ("Wald statistic (chi-squared)", "stat"),
    "f_ewc": ("F statistic (EWC)", "stat"), "df": ("Restrictions", "count"), "state": ("State", ""),
    "se_mean": ("Standard error of the mean", ""), "sd": ("Standard deviation", ""),
    "expected_duration_months": ("Expected duration", "months"), "share_of_months": ("Share of months", "fraction"),
    "liquidity_change_bn": ("Fed liquidity change", "usd_bn"), "dollar_change_pct": ("Dollar change", "pct_change"),
    "easing": ("Fed easing", ""), "dollar_weakening": ("Dollar weakening", ""), "missing": ("Missing input", ""),
    # event studies (09)
    "events": ("Events", "count"), "clusters": ("Calendar clusters", "count"),
    "mean_raw_return": ("Mean raw return", "percent"), "mean_baseline": ("Mean after other top-decile run-ups", "percent"),
    "mean_abnormal": ("Mean abnormal return", "percent"), "mean_of_cluster_means": ("Mean of the cluster means", "percent"),
    "se_cr1": ("Standard error (cluster-robust)", "stat"), "se_baseline": ("Standard error of the baseline", "stat"),
    "share_top_runup": ("Share after a top-decile run-up", "fraction"), "raises": ("Raises", "count"),
    "cluster": ("Cluster", ""), "k_negative": ("Negative windows", "count"),
    "share_negative": ("Share negative", "fraction"), "baseline_share": ("Unconditional share negative", "fraction"),
    "test": ("Test", ""), "sign": ("Sign", ""), "change_pct": ("Margin change", "percent"),
    "sign_source": ("Sign from", ""), "event": ("Event", ""), "day0": ("Day 0", ""), "car": ("CAR", "percent"),
    "raw_return": ("Raw return", "percent"), "n_est": ("Estimation days", "count"),
    "sigma_est": ("Daily volatility, estimation window", "percent"),
    "contaminated": ("Another change in the estimation window", ""),
    "overlaps_event_window": ("Another change in the event window", ""),
    "n_contaminated": ("Another event in the estimation window", "count"),
    "n_overlapping": ("Another event in the event window", "count"), "mean_car": ("Mean CAR", "percent"),
    "se_cs": ("Standard error (cross-section)", "percent"), "t_cs": ("t (cross-section)", "stat"),
    "not_checkable": ("not checkable", "count"),
    "name": ("Name (parameter value)", ""), "alternative": ("Alternative", ""), "changes": ("What changes", ""),
}
#: model codes in table cells -> plain English (whole-cell matches in the columns of
#: :data:`CODE_COLUMNS`; catalog keys fall back to :data:`SHORT_NAMES`)
VALUES: dict[str, str] = {
    # 06
    "slope_below": "slope below the kink", "slope_above": "slope above the kink",
    "slope_change": "change in slope at the kink", "at_kink": "spread at the kink", "kink": "kink",
    "month_end": "month-end week", "quarter_end": "quarter-end week", "tax_date": "tax-date week",
    "mid_month_settlement": "mid-month coupon settlement week",
    # 07
    "net_liquidity_bn": "net liquidity", "d_net_liquidity": "net liquidity (weekly change)",
    "log_spx": "log S&P 500", "log_nasdaq": "log Nasdaq", "liquidity": "net liquidity",
    "before_start": "before the rule circulated", "out_of_sample": "out of sample",
    "mean_error_pct": "mean error (%)", "mean_abs_error_pct": "mean absolute error (%)",
    "mean_error_pts": "mean error (index points)", "mean_log_gap_pct": "mean log gap (percent log points)",
    "last_log_gap_pct": "last log gap (percent log points)", "first_error_pct": "error in the first week (%)",
    "last_error_pct": "error in the last week (%)", "rmse_pct": "root mean squared error (%)",
    "drift_pct_per_year": "drift of the error (pp per year)", "error_ar1": "AR(1) of the weekly error",
    "c": "constant", "ct": "constant and trend", "level": "level",
    # 08
    "best_minus_worst": "easing + weak dollar minus tight + strong dollar", "weak_dollar": "weak dollar",
    "interaction": "easing x weak dollar", "easing": "easing", "iwm": "Russell 2000 (IWM)",
    # 09
    # claims (05): check kinds
    "pct_change": "percent change", "event_count": "count of events", "not_checkable": "not checkable",
    "pooled": "pooled", "non_overlapping": "non-overlapping raises", "change_pct": "the stated change (%)", "all": "all", "raise": "raise", "cut": "cut",
}
#: columns (and index names) whose cells are codes to translate with :data:`VALUES`
CODE_COLUMNS = frozenset({"asset", "metal", "series", "direction", "term", "parameter", "metric", "period",
                          "regression", "state"})
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
    if unit == "fraction":  # a 0-1 share, shown in % (the header says %)
        number, unit = number * 100, "_fraction_pct"
    if unit in CELL_FORMATS or unit == "_fraction_pct":
        text = CELL_FORMATS.get(unit, "{:,.1f}").format(number)
        return text[1:] if re.fullmatch(r"[+-]0(\.0+)?", text) else text  # never "-0.0" or "+0.00"
    if float(number).is_integer() and abs(number) < 1e15:
        return f"{number:,.0f}"
    return _plain(number)


def _plain(number: float) -> str:
    """A number without a unit: two decimals (one from 100, none from 10,000), two significant
    digits below 0.01, so a table never shows 4-significant-figure model output."""
    size = abs(number)
    if size >= 10_000:
        text = f"{number:,.0f}"
    elif size >= 100:
        text = f"{number:,.1f}"
    elif size >= 0.01:
        text = f"{number:,.2f}"
    else:
        text = _significant(number, 2)
    return "0" if re.fullmatch(r"-0(\.0+)?", text) else text


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


def readable_value(column: str, value: object) -> object:
    """A cell as a reader wants it: model codes (``slope_below``, ``ct``) and catalog keys
    (``spx``) in plain English (:data:`VALUES`, :data:`SHORT_NAMES`), ``a -> b`` as ``a → b``.

    Codes are translated in the columns of :data:`CODE_COLUMNS` and anywhere a whole cell is a
    code with an underscore; a menu's ``name`` column (what a user types) is left alone.
    """
    if not isinstance(value, str) or column == "name":
        return value
    if " -> " in value and column in CODE_COLUMNS:
        return " → ".join(str(readable_value(column, part)) for part in value.split(" -> "))
    if value in VALUES and (column in CODE_COLUMNS or "_" in value):
        return VALUES[value]
    if column in CODE_COLUMNS and value in SHORT_NAMES:
        return SHORT_NAMES[value]
    return value


def header_text(column: object, labels: Mapping[str, str] | None = None, units: Mapping[str, str] | None = None) -> str:
    """A column's header: its label (the notebook's, else :data:`COLUMNS`, else its name) and
    unit (the notebook's, else :data:`COLUMNS`'s) in brackets unless the label already says it."""
    key = str(column)
    name = (labels or {}).get(key) or COLUMNS.get(key, (key, ""))[0]
    unit_code = (units or {}).get(key) or COLUMNS.get(key, ("", ""))[1]
    unit = UNIT_HEADERS.get(unit_code, unit_code)
    said = (f"({unit})" in name or f", {unit}" in name or name.endswith(f" {unit}")
            or (unit == "p-value" and "p-value" in name.lower()))
    return f"{name} ({unit})" if unit and not said else name


def unbroken_dates(markup: str) -> str:
    """Dates (2013-11-06) in escaped text kept on one line: a browser would break them at a hyphen."""
    return re.sub(r"(\d{4}-\d\d-\d\d)", r'<span style="white-space: nowrap">\1</span>', markup)


#: tables longer than this many rows are folded (every row kept, one click away)
FOLD_ROWS = 30


def table_html(frame: pd.DataFrame, *, units: Mapping[str, str] | None = None, labels: Mapping[str, str] | None = None,
               caption: str | None = None, source: str | None = None, index: bool = True,
               index_label: str | None = None, row_units: tuple[str, Sequence[str]] | None = None,
               fold: bool | None = None) -> str:
    """The HTML of :func:`table` (tested directly; see there)."""
    if isinstance(frame.index, pd.MultiIndex):  # every level as a column of its own
        frame, index = frame.reset_index(), False
    units = {**(frame.attrs.get("units") or {}), **(units or {})}
    labels = dict(labels or {})
    unit_column, per_row = row_units if row_units is not None else (None, ())

    def unit_of(column: object) -> str:
        return units.get(str(column)) or COLUMNS.get(str(column), ("", ""))[1]

    shown = [c for c in frame.columns if not str(c).startswith("_")]  # "_unit" columns drive formatting only
    index_name = str(frame.index.name or "")
    head = ([html.escape(index_label if index_label is not None else header_text(index_name, labels) if index_name
                         else "")] if index else []) + [html.escape(header_text(c, labels, units)) for c in shown]
    body: list[list[tuple[str, bool]]] = []  # (text, numeric) per cell
    for _, row in frame.iterrows():
        cells = []
        for column in shown:
            value = readable_value(str(column), row[column])
            if column == unit_column:
                value = UNIT_HEADERS.get(str(value), value)
            unit = str(row[unit_column]) if column in per_row else unit_of(column)
            text = fmt(value, unit)
            numeric = not isinstance(value, str) and text != MISSING and re.match(r"^[<+\-−]?[\d,.]+$", text)
            cells.append((text, bool(numeric)))
        body.append(cells)
    # a column of numbers is right-aligned with its header; a column of words, left-aligned
    numeric_column = [any(cells[i][1] for cells in body) and all(cells[i][1] or cells[i][0] == MISSING for cells in body)
                      for i in range(len(shown))]
    left, right = ' style="text-align: left"', ' style="text-align: right"'

    def short(text: str) -> str:  # a short label ("S&P 500", a date) is never broken over two lines
        return ' style="text-align: left; white-space: nowrap"' if len(text) <= 16 else left

    rows = []
    for key, cells in zip(frame.index, body):
        row_cells = [f"<th{left}>{html.escape(fmt(readable_value(index_name, key)))}</th>"] if index else []
        row_cells += [f'<td class="{"num" if number else "txt"}"{right if numeric_column[i] else short(text)}>'
                      f"{unbroken_dates(html.escape(text))}</td>" for i, (text, number) in enumerate(cells)]
        rows.append("<tr>" + "".join(row_cells) + "</tr>")
    aligns = ([left] if index else []) + [right if flag else left for flag in numeric_column]
    folded = len(rows) > FOLD_ROWS if fold is None else fold
    parts = ['<div class="plumbing-table">']
    if folded:  # every row is still there, one click away
        what = html.escape(caption) if caption else "the table"
        parts.append(f"<details><summary>Show all {len(rows)} rows of {what}</summary>")
    parts.append("<table>")
    if caption:
        parts.append(f"<caption>{html.escape(caption)}</caption>")
    parts.append("<thead><tr>" + "".join(f"<th{a}>{h}</th>" for a, h in zip(aligns, head)) + "</tr></thead>")
    parts.append("<tbody>" + "".join(rows) + "</tbody></table>")
    if folded:
        parts.append("</details>")
    if source:
        parts.append(f'<p class="source">Source: {html.escape(source)}</p>')
    parts.append("</div>")
    return "\n".join(parts)


def table(frame: pd.DataFrame, **options: object) -> None:
    """Display ``frame`` as a table for people (every row, formatted by unit; see :func:`fmt`).

    ``units`` maps columns to units (defaults to ``frame.attrs["units"]``, then to
    :data:`COLUMNS`); ``row_units`` (``("unit", ["from", "to"])``) formats those columns by
    each row's own unit column instead (a column whose name starts with ``_`` is used but not
    shown); ``labels`` renames columns (model column names already read in plain English
    through :data:`COLUMNS`); ``caption`` and ``source`` go above and below. A MultiIndex is
    shown as ordinary columns. A table of more than :data:`FOLD_ROWS` rows is folded into a
    ``<details>`` ("Show all N rows of ...") unless ``fold=False``; ``fold=True`` folds any.
    """
    _html_display(table_html(frame, **options))  # type: ignore[arg-type]


# --- claims ------------------------------------------------------------------------------------

#: verdicts in the order a reader wants them: what the data contradict first
VERDICT_ORDER: tuple[str, ...] = ("contradicted", "partly", "supported", "not_checkable")
VERDICT_WORDS: dict[str, str] = {"contradicted": "contradicted", "partly": "partly", "supported": "supported",
                                 "not_checkable": "not checkable"}
CLAIMS_CLASS = "plumbing-claims"
_CLAIMS_CSS = (f"<style>.{CLAIMS_CLASS} table {{ border-collapse: collapse; font-size: 0.85em; width: 100%; }}"
               # two classes and two elements: beats the notebook template's right-aligned table cells
               f".{CLAIMS_CLASS} table.claims th, .{CLAIMS_CLASS} table.claims td {{ text-align: left; "
               "vertical-align: top; padding: 4px 8px; }"
               f".{CLAIMS_CLASS} thead th {{ border-bottom: 2px solid #bbb; }}"
               f".{CLAIMS_CLASS} tr.more td {{ border-bottom: 1px solid #ddd; padding-top: 0; }}"
               f".{CLAIMS_CLASS} td.verdict {{ font-weight: 600; }} .{CLAIMS_CLASS} td {{ overflow-wrap: anywhere; }}"
               f".{CLAIMS_CLASS} small {{ display: block; color: #555; font-weight: normal; margin-top: 2px; }}"
               f".{CLAIMS_CLASS} details summary {{ cursor: pointer; color: #1f5fa8; }}"
               f".{CLAIMS_CLASS} > details {{ margin: 8px 0; }} .{CLAIMS_CLASS} > details > summary {{ font-weight: 600; }}"
               f".{CLAIMS_CLASS} dl {{ margin: 4px 0 6px; }} .{CLAIMS_CLASS} dt {{ font-weight: 600; }}"
               f".{CLAIMS_CLASS} dd {{ margin: 0 0 4px 1.5em; max-width: 70em; }}</style>")


def _bare(text: object) -> str:
    """A claims cell: a bare number (an index change, say) to two decimals like any table; text as is."""
    text = str(text or "")
    if re.fullmatch(r"-?\d+\.\d{3,}", text):
        return fmt(float(text))
    return text or MISSING


def _claim_rows(view: pd.DataFrame, table: pd.DataFrame) -> str:
    """Two table rows per claim: verdict, claim, claimed, data and why; then a folded line
    with the article's quote, the rule and the observations used."""
    from .views import VERDICT_COLOURS

    esc = html.escape
    rows = []
    for position in range(len(view)):
        shown, raw = view.iloc[position], table.iloc[position]
        verdict = str(raw.get("verdict") or "")
        as_of, pit = raw.get("as_of"), raw.get("verdict_asof")
        when = ""
        if isinstance(pit, str) and pit:
            changed = " (differs)" if bool(raw.get("pit_changed")) else ""
            when = f"<small>as of {esc(str(as_of))}: {esc(VERDICT_WORDS.get(pit, pit))}{changed}</small>"
        colour = VERDICT_COLOURS.get(verdict, "white")
        place = str(shown["article"])  # the article in words; the claim's id is in the CSV export only
        rows.append(
            f'<tr class="claim"><td class="verdict" style="background-color: {colour}">'
            f"{esc(VERDICT_WORDS.get(verdict, verdict))}{when}</td>"
            f'<td class="claim">{esc(str(shown["claim"]))}<small>{esc(place)}</small></td>'
            f'<td class="value">{esc(_bare(shown["claimed"]))}</td>'
            f'<td class="value">{esc(_bare(shown["data"]))}</td>'
            f'<td class="why">{esc(str(shown["why"]))}</td></tr>')
        more = [("The article says", f'<span lang="zh">{esc(str(shown["quote"]))}</span>'),
                ("Rule", esc(str(shown["rule"]))), ("Data used", esc(str(shown["data used"])))]
        items = "".join(f"<dt>{term}</dt><dd>{text or MISSING}</dd>" for term, text in more)
        rows.append(f'<tr class="more"><td></td><td colspan="4"><details><summary>Quote, rule and data used</summary>'
                    f"<dl>{items}</dl></details></td></tr>")
    return "".join(rows)


def _claims_table(view: pd.DataFrame, table: pd.DataFrame) -> str:
    head = "".join(f"<th>{h}</th>" for h in ("Verdict (as of the article's date)", "Claim", "Claimed", "Data", "Why"))
    widths = "".join(f'<col style="width: {w}%">' for w in (11, 24, 12, 12, 41))  # the explanation gets the room
    return (f'<table class="claims" style="table-layout: fixed"><colgroup>{widths}</colgroup><thead><tr>{head}</tr>'
            f"</thead><tbody>{_claim_rows(view, table)}</tbody></table>")


def claims_html(table: pd.DataFrame) -> str:
    """The HTML of :func:`claims`."""
    from .views import claims_for_display

    if table is None or len(table) == 0:
        return f'<div class="{CLAIMS_CLASS}"><p>No claims.</p></div>'
    table = table.reset_index(drop=True)
    rank = {v: i for i, v in enumerate(VERDICT_ORDER)}
    table = table.iloc[sorted(range(len(table)), key=lambda i: (rank.get(table["verdict"].iloc[i], len(rank)), i))]
    table = table.reset_index(drop=True)
    view = claims_for_display(table).reset_index(drop=True)
    counts = table["verdict"].value_counts()
    parts = [f"{int(counts[v])} {VERDICT_WORDS[v]}" for v in VERDICT_ORDER if counts.get(v, 0)]
    total = len(table)
    out = [_CLAIMS_CSS, f'<div class="{CLAIMS_CLASS}">',
           f"<p><strong>{total} claim{'s' if total != 1 else ''}:</strong> {', '.join(parts)}.</p>"]
    open_rows = table["verdict"].isin(["contradicted", "partly"]).to_numpy()
    if open_rows.any():
        out.append(_claims_table(view[open_rows], table[open_rows]))
    else:
        out.append("<p>No claim here is contradicted or only partly supported by the data.</p>")
    for verdict, summary in (("supported", "{n} supported claim{s}"), ("not_checkable", "{n} claim{s} not checkable")):
        chosen = (table["verdict"] == verdict).to_numpy()
        number = int(chosen.sum())
        if number:
            text = summary.format(n=number, s="s" if number != 1 else "")
            out.append(f"<details><summary>{text}</summary>{_claims_table(view[chosen], table[chosen])}</details>")
    out.append("</div>")
    return "".join(out)


def claims(table: pd.DataFrame) -> None:
    """Display the articles' claims verdict first (a table of :func:`plumbing.views.claims_table`).

    A count line ("139 claims: 7 contradicted, 20 partly, ..."), then the contradicted and
    partly supported claims in full view; the supported and the not-checkable ones each folded
    in a ``<details>`` ("80 supported claims"). Every claim reads verdict (and the verdict with
    the data published by the article's date), claim, claimed, data, why; the article's quote,
    the rule and the observations used are folded under it.
    """
    _html_display(claims_html(table))


class ClaimsView:
    """A claims table that renders as :func:`claims_html` wherever a notebook shows it."""

    def __init__(self, table: pd.DataFrame) -> None:
        self.table = table

    def _repr_html_(self) -> str:
        return claims_html(self.table)

    def __len__(self) -> int:
        return len(self.table)


def values_frame(values: pd.DataFrame) -> pd.DataFrame:
    """The long frame of :func:`plumbing.views.values_on` (quantity, unit, date, value) as one
    row per quantity (in the order given, named by its short name and unit) and one column
    per date, with a hidden ``_unit`` column so each row is formatted in its own unit (2.00%
    beside 2.25%, USD 75.0bn beside 53.2bn)."""
    order = list(dict.fromkeys(values["quantity"]))
    units = values.drop_duplicates("quantity").set_index("quantity")["unit"]
    wide = values.pivot(index="quantity", columns="date", values="value").reindex(order)
    wide.columns = [str(c) for c in wide.columns]
    labels = [f"{short_name(n)} ({UNIT_HEADERS.get(units[n], units[n])})".replace(" ()", "") for n in order]
    return wide.assign(_unit=[units[n] for n in order]).set_axis(labels, axis=0)


def values_table(values: pd.DataFrame, *, caption: str | None = None) -> None:
    """Display :func:`values_frame` as a table (see there)."""
    frame = values_frame(values)
    table(frame, row_units=("_unit", [c for c in frame.columns if c != "_unit"]), index_label="series (unit)",
          caption=caption)


def note(text: str) -> None:
    """Display one plain sentence (e.g. "No claims of the brief selected.") as a paragraph."""
    _html_display(f"<p>{html.escape(text)}</p>")


# --- findings ----------------------------------------------------------------------------------

FINDINGS_CLASS = "plumbing-findings"


class Headline(str):
    """A finding marked as the report's headline (its answer): shown first in the Findings box
    and used as the report's one-line answer on the index. ``Headline("...")`` is a ``str``, so a
    findings function can mark one sentence in the list it returns."""

    __slots__ = ()


def headline_first(sentences: Sequence[str], headline: int | None = None) -> list[str]:
    """The non-empty ``sentences`` with the headline first, as plain strings, the others in
    their order. The headline is ``sentences[headline]`` when ``headline`` is given (an index
    into ``sentences``), else the one sentence given as a :class:`Headline`, else the first.
    Two sentences marked :class:`Headline`, or an index out of range, raise ValueError."""
    items = list(sentences)
    if headline is not None:
        if not -len(items) <= headline < len(items) or not items[headline]:
            raise ValueError(f"headline={headline} does not name one of the {len(items)} findings")
        chosen = headline % len(items)
    else:
        marked = [i for i, s in enumerate(items) if isinstance(s, Headline) and s]
        if len(marked) > 1:
            raise ValueError(f"{len(marked)} findings are marked as the headline; mark one")
        chosen = marked[0] if marked else None
    order = ([chosen] if chosen is not None else []) + [i for i in range(len(items)) if i != chosen]
    return [str(items[i]) for i in order if items[i]]


def findings_html(sentences: Sequence[str], title: str = "Findings", headline: int | None = None) -> str:
    """The HTML of :func:`findings`: the headline first (``class="headline"``), then the rest."""
    ordered = headline_first(sentences, headline)
    items = "".join(f'<li class="headline">{html.escape(s)}</li>' if n == 0 else f"<li>{html.escape(s)}</li>"
                    for n, s in enumerate(ordered))
    return f'<section class="{FINDINGS_CLASS}"><h2>{html.escape(title)}</h2><ul>{items}</ul></section>'


def findings(sentences: Sequence[str], title: str = "Findings", headline: int | None = None) -> None:
    """Display the report's findings (3-6 sentences with numbers and dates) and record them.

    ``headline`` (an index into ``sentences``), or one sentence given as :class:`Headline`,
    marks the report's answer: it is shown first and recorded as ``finding_1`` and
    ``headline``, which the index shows as the report's one-line answer. Without a mark the
    first sentence is the headline. The others follow as ``finding_2``, ``finding_3``, ...
    """
    ordered = headline_first(sentences, headline)
    if not ordered:
        raise ValueError("findings() needs at least one sentence")
    from IPython.display import display

    from .reports.record import MIME

    # recorded for the index and tests, not shown twice
    display({MIME: {"name": "headline", "value": ordered[0], "unit": ""}}, raw=True)
    for number, sentence in enumerate(ordered, start=1):
        display({MIME: {"name": f"finding_{number}", "value": sentence, "unit": ""}}, raw=True)
    _html_display(findings_html(ordered, title))


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


#: the public name of series the catalog knows by an API field rather than a published id
PUBLIC_IDS: dict[tuple[str, str], str] = {
    ("treasury", "tga_closing_balance"): "Daily Treasury Statement, operating cash balance (TGA closing balance)",
    ("nyfed", "sofr_p1"): "SOFR 1st percentile", ("nyfed", "sofr_p25"): "SOFR 25th percentile",
    ("nyfed", "sofr_p75"): "SOFR 75th percentile", ("nyfed", "sofr_p99"): "SOFR 99th percentile",
    ("nyfed", "sofr_volume"): "SOFR volume",
    ("nyfed", "repo_accepted"): "Markets API, repo operations (amount accepted)",
    ("mof", "2Y"): "JGB interest rates, 2-year", ("mof", "10Y"): "JGB interest rates, 10-year",
}
#: products of a publisher, named once after its ids (``Federal Reserve Bank of New York:
#: SOFR 1st percentile, SOFR 99th percentile (Reference Rates)``)
_PRODUCT = {("nyfed", "sofr"): "Reference Rates", ("fred", ""): "via FRED", ("yahoo", ""): "via Yahoo Finance"}


def public_id(source: str, ident: str) -> str:
    """The id a reader can look up at the publisher: a FRED id or a ticker as is, the Treasury
    dataset, the NY Fed product, the MOF table (never an API field name such as ``sofr_p1``)."""
    return PUBLIC_IDS.get((source, ident), ident)


def _publisher(spec: object) -> str:
    """The publisher without the channel (``(via FRED)``) or the API (``, Markets API``)."""
    name = str(spec.publisher).split(" (via")[0].split(", Markets API")[0]  # type: ignore[attr-defined]
    return name.split(" (")[0] if name.startswith("Yahoo Finance") else name


def source_line(names: Iterable[str], loader: object = None) -> str:
    """``Board of Governors of the Federal Reserve System via FRED: WALCL, WRESBAL, last
    observation 2026-08-19; ...`` for quantities or catalog keys, grouped by publisher.

    A quantity (``sofr_iorb_bp``) stands for its inputs. Publisher and public id come from the
    catalog (:func:`public_id`), the last observation from the data; a series that ends
    earlier than the others of its publisher says so (``WTREGEN to 2025-12-31``).
    """
    from .panel import Loader
    from .quantities import QUANTITIES

    loader = loader or Loader()
    keys: list[str] = []
    for name in names:
        for key in (QUANTITIES[name].inputs if name in QUANTITIES else (name,)):
            if key not in keys:
                keys.append(key)
    groups: dict[str, list[tuple[str, pd.Timestamp]]] = {}
    for key in keys:
        spec = loader.catalog.get(key)  # type: ignore[attr-defined]
        if spec.live is not None:
            source, ident = spec.live.source, public_id(spec.live.source, spec.live.id)
        else:
            source, ident = "snapshot", spec.title
        last = pd.Timestamp(loader.common(key).index.max())  # type: ignore[attr-defined]
        channel = _PRODUCT.get((source, ""), "")
        publisher = _publisher(spec)
        heading = f"{publisher} {channel}" if channel and channel.split()[-1] not in publisher else publisher
        if source == "nyfed" and str(spec.live.id).startswith("sofr"):  # type: ignore[union-attr]
            heading = f"{publisher}, {_PRODUCT[('nyfed', 'sofr')]}"
        entries = groups.setdefault(heading, [])
        if ident not in [i for i, _ in entries]:
            entries.append((ident, last))
    parts = []
    for heading, entries in groups.items():
        newest = max(last for _, last in entries)
        ids = ", ".join(ident if last == newest else f"{ident} to {last.date()}" for ident, last in entries)
        parts.append(f"{heading}: {ids}, last observation {newest.date()}")
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
                  anchor: object = None, prefer: Iterable[str] = ()) -> pd.DataFrame:
        """The events to label on a chart of [start, end]: at most ``max_labels`` among those
        inside, chosen by :func:`_pick` (near ``anchor`` first, e.g. an episode's t0, else the end
        of the window; kinds in ``prefer`` favoured, e.g. ``("refunding", "fiscal")`` on a TGA
        chart; :data:`EVENT_PRIORITY` breaks near-ties), keeping the page's numbers."""
        lo, hi = pd.Timestamp(start), pd.Timestamp(end)
        inside = self.table[(self.table["date"] >= lo) & (self.table["date"] <= hi)]
        return _pick(inside, max_labels, hi if anchor is None else anchor, prefer, (lo, hi))

    def table_frame(self) -> pd.DataFrame:
        """The numbered table for :func:`table`: number, date, event and its source."""
        columns = ["number", "date", "label"] + [c for c in ("source",) if c in self.table.columns]
        frame = self.table[columns].copy()
        frame["date"] = frame["date"].dt.date.astype(str)
        if "source" in frame.columns:
            frame["source"] = frame["source"].map(event_source)
        return frame.rename(columns={"label": "event"}).set_index("number")


#: what an events table's file name stands for, as a reader would cite it
EVENT_SOURCES: dict[str, str] = {
    "fomc.csv": "FOMC statements (Federal Reserve press releases)",
    "policy.csv": "Federal Reserve and Treasury announcements",
    "cme_metals_margins.csv": "CME Clearing advisories",
}


def event_source(source: object) -> str:
    """An event's source as a citation: the publisher's documents, never the project's file name."""
    text = "" if _is_missing(source) else str(source)
    if re.fullmatch(r"\d{3}_[0-9a-f]+\.txt", text):  # an article of the seeds: its title, not its file
        from .claims import article_title

        return article_title(text)
    return EVENT_SOURCES.get(text, text) or MISSING


def _priority(kind: str, label: str) -> int:
    if str(kind).startswith("fomc") and "hold" not in str(label):
        kind = "fomc_move"
    return EVENT_PRIORITY.index(kind) if kind in EVENT_PRIORITY else len(EVENT_PRIORITY)


def event_set(events: pd.DataFrame | None, start: object, end: object, *, max_labels: int = MAX_CHART_LABELS,
              anchor: object = None, prefer: Iterable[str] = ()) -> EventSet:
    """Number the events between ``start`` and ``end`` by date and pick the ones to label.

    Chart labels go to the events nearest the chart's anchor (``anchor``, e.g. an episode's t0;
    else the end of the window, where a monitor's reader looks), kinds in ``prefer`` first, with
    the most telling kinds (:data:`EVENT_PRIORITY`: the shutdown, the end of QT, reserve
    management purchases, ..., FOMC moves before holds) winning near-ties (see :func:`_pick`).
    """
    columns = ["date", "kind", "label", "number"]
    if events is None or len(events) == 0:
        empty = pd.DataFrame(columns=columns)
        return EventSet(table=empty, chart=empty)
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    inside = events[(events["date"] >= lo) & (events["date"] <= hi)].sort_values("date", kind="stable")
    inside = inside.reset_index(drop=True).assign(number=lambda f: range(1, len(f) + 1))
    return EventSet(table=inside, chart=_pick(inside, max_labels, hi if anchor is None else anchor, prefer, (lo, hi)))


#: how much a preferred kind (``prefer``) and one step of :data:`EVENT_PRIORITY` weigh in
#: :func:`_pick`, in fractions of the chart's window: a preferred kind counts as half a window
#: nearer the anchor; the whole priority list spans 0.4 of a window (a tie-breaker among events
#: about as near)
PREFER_WEIGHT = 0.5
PRIORITY_WEIGHT = 0.4


def _pick(events: pd.DataFrame, max_labels: int, anchor: object = None, prefer: Iterable[str] = (),
          window: tuple[object, object] | None = None) -> pd.DataFrame:
    """The ``max_labels`` events to label, in date order: the lowest score wins, where the
    score is the distance to ``anchor`` (default: the latest event) as a fraction of the
    window, minus :data:`PREFER_WEIGHT` for a kind in ``prefer``, plus the kind's rank in
    :data:`EVENT_PRIORITY` scaled to :data:`PRIORITY_WEIGHT`; exact ties go to the latest."""
    if events.empty:
        return events
    kinds = events["kind"].astype(str) if "kind" in events.columns else pd.Series("", index=events.index)
    preferred = set(prefer)
    rank = [_priority(k, l) / len(EVENT_PRIORITY) for k, l in zip(kinds, events["label"])]
    target = pd.Timestamp(anchor) if anchor is not None else events["date"].max()
    lo, hi = (pd.Timestamp(window[0]), pd.Timestamp(window[1])) if window else (events["date"].min(), events["date"].max())
    span = max((hi - lo).days, 1)
    distance = (events["date"] - target).abs().dt.days / span
    score = (distance + PRIORITY_WEIGHT * pd.Series(rank, index=events.index)
             - PREFER_WEIGHT * kinds.isin(preferred).astype(float))
    chosen = (events.assign(_score=score.round(9), _date=-events["date"].astype("int64"))
              .sort_values(["_score", "_date"], kind="stable").head(max_labels))
    return chosen.drop(columns=["_score", "_date"]).sort_values("date", kind="stable")


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
#: prices and indexes are rebased to 100 at the window's start). Reserves have their own panel
#: (with the USD 3tn line), so a USD 400bn move is not flattened by Fed assets' scale.
THEMES: dict[str, tuple[str, ...]] = {
    "Fed balance sheet (USD bn)": ("fed_assets", "treasuries_held"),
    "Bank reserves (USD bn)": ("reserves",),
    "Treasury cash and reverse repo (USD bn)": ("tga_daily", "tga_weekly", "tga_wednesday", "on_rrp"),
    "Price of overnight cash (percent)": ("sofr", "sofr_p99", "sofr_p1", "effr", "tgcr", "bgcr", "ioer", "iorb",
                                          "fed_target_upper", "fed_target_lower"),
    "Fed repo operations (USD bn)": ("repo_take_up", "repo_treasury"),
    "Repo market volume behind SOFR (USD bn)": ("sofr_volume",),
    "Rate volatility (index)": ("move", "vix"),
    "Credit spreads (bp)": ("hy_oas", "ig_oas"),
    "Treasury yields (percent)": ("us2y", "us10y", "tbill_3m"),
    "Stocks, rebased to 100 at the window's start": ("spx", "nasdaq", "dow", "nikkei", "kospi", "nvda"),
    "Metals and crypto, rebased to 100 at the window's start": ("gold", "silver", "btc", "eth"),
    "The dollar, rebased to 100 at the window's start": ("dollar_broad", "dxy", "usdjpy"),
}
#: the series a theme grid rebases to 100 at the window's start
REBASED: tuple[str, ...] = tuple(n for t, members in THEMES.items() if "rebased" in t for n in members)
#: at most this many lines in one themed panel (a larger group is split)
MAX_PANEL_LINES = 6


#: what a caption says of a series left out of a grid because it is zero throughout the window
QUIET_SENTENCES: dict[str, str] = {
    "repo_take_up": "no repo facility take-up in the window",
    "repo_treasury": "no repo facility take-up against Treasury collateral in the window",
}


def quiet_note(frame: pd.DataFrame, names: Iterable[str]) -> str:
    """The caption's sentence for the series a theme grid leaves out (all zero or no data in
    the window, see :func:`plumbing.plots.quiet_series`), e.g. "No repo facility take-up in
    the window." ("" when every series has a panel)."""
    from .plots import quiet_series

    parts = []
    for name in quiet_series(frame, names):
        data = frame[name].dropna() if name in frame.columns else pd.Series(dtype=float)
        if name in QUIET_SENTENCES and len(data):
            largest = float(data.abs().max())
            parts.append(QUIET_SENTENCES[name] + (f" beyond small-value test operations (at most USD {largest * 1000:,.0f}mn)"
                                                  if largest > 0 else ""))
        else:
            parts.append(f"{short_name(name)}: {'zero throughout' if len(data) else 'no data in'} the window")
    if any(p.startswith(QUIET_SENTENCES["repo_take_up"]) for p in parts):  # no take-up at all says it
        parts = [p for p in parts if not p.startswith(QUIET_SENTENCES["repo_treasury"])]
    if not parts:
        return ""
    text = "; ".join(parts)
    return f"{text[0].upper()}{text[1:]}, so it has no panel."


def themed(names: Iterable[str]) -> dict[str, list[str]]:
    """Group series names into :data:`THEMES` panels (order kept); unknown names get an
    "Other" panel each, so nothing asked for is dropped silently. A panel never holds more
    than :data:`MAX_PANEL_LINES` lines: a larger group is split ("..., 1 of 2")."""
    out: dict[str, list[str]] = {}
    for name in names:
        theme = next((t for t, members in THEMES.items() if name in members), None)
        out.setdefault(theme or short_name(name), []).append(name)
    split: dict[str, list[str]] = {}
    for theme, members in out.items():
        if theme.startswith("Price of overnight cash"):  # one corridor: the range, the band and three lines
            split[theme] = members
            continue
        parts = [members[i:i + MAX_PANEL_LINES] for i in range(0, len(members), MAX_PANEL_LINES)]
        for number, part in enumerate(parts, start=1):
            split[theme if len(parts) == 1 else f"{theme}, {number} of {len(parts)}"] = part
    return split


#: short titles of the episodes for legends ({id: title}); others are made from the id
EPISODE_SHORT_TITLES: dict[str, str] = {
    "2019-09-repo-spike": "Sep 2019 repo spike", "2020-03-dash-for-cash": "Mar 2020 dash for cash",
    "2023-03-svb": "Mar 2023 SVB failure", "2025-04-tariff-shock": "Apr 2025 tariff shock",
    "2025-09-reserves-dip": "Sep 2025 reserves dip", "2025-10-tga-shutdown": "Oct 2025 TGA drain",
    "2026-02-crash": "Feb 2026 crash",
}


def episode_short_title(episode_id: str) -> str:
    """``Oct 2025 TGA drain`` for ``2025-10-tga-shutdown``: a legend entry, never a slug."""
    if episode_id in EPISODE_SHORT_TITLES:
        return EPISODE_SHORT_TITLES[episode_id]
    match = re.fullmatch(r"(\d{4})-(\d{2})-(.+)", episode_id)
    if not match:
        return episode_id.replace("-", " ")
    month = pd.Timestamp(f"{match.group(1)}-{match.group(2)}-01")
    return f"{month:%b %Y} {match.group(3).replace('-', ' ')}"


#: short plain-English names for line labels (falls back to the catalog title)
SHORT_NAMES: dict[str, str] = {
    "fed_assets": "Fed assets", "reserves": "Reserves", "treasuries_held": "Fed Treasuries", "tga_daily": "TGA",
    "tga_weekly": "TGA (week avg)", "tga_wednesday": "TGA (Wed)", "on_rrp": "ON RRP", "sofr": "SOFR",
    "sofr_p99": "SOFR 99th pct", "sofr_p1": "SOFR 1st pct", "effr": "EFFR", "tgcr": "TGCR", "bgcr": "BGCR",
    "ioer": "IOER", "iorb": "IORB", "fed_target_upper": "Fed funds range, top", "fed_target_lower": "Fed funds range, bottom",
    "repo_take_up": "Repo facility take-up", "repo_treasury": "of which Treasury collateral", "move": "MOVE", "vix": "VIX", "hy_oas": "HY OAS", "ig_oas": "IG OAS",
    "us2y": "US 2Y", "us10y": "US 10Y", "tbill_3m": "3M bill", "spx": "S&P 500", "nasdaq": "Nasdaq", "dow": "Dow",
    "gold": "Gold", "silver": "Silver", "btc": "Bitcoin", "eth": "Ether", "nikkei": "Nikkei", "kospi": "KOSPI",
    "nvda": "NVIDIA", "dollar_broad": "Broad dollar", "dxy": "DXY", "usdjpy": "USDJPY",
    "jp2y": "Japan 2Y", "jp10y": "Japan 10Y", "sofr_volume": "SOFR volume",
    # indicators
    "net_liquidity": "Net liquidity", "net_liquidity_daily": "Net liquidity (daily TGA)",
    # the rate on reserves was IOER before 2021-07-29; sentences about earlier dates say so
    "sofr_iorb_bp": "SOFR - IORB", "sofr_p99_iorb_bp": "SOFR 99th pct - IORB", "effr_iorb_bp": "EFFR - IORB",
    "tgcr_iorb_bp": "TGCR - IORB", "sofr_target_upper_bp": "SOFR - top of range",
    "effr_target_upper_bp": "EFFR - top of range", "sofr_p99_p1_bp": "SOFR 99th - 1st pct",
    "us2y_jp2y_bp": "US 2Y - Japan 2Y", "reserves_to_gdp": "Reserves / GDP",
    "reserves_minus_red_line": "Reserves - USD 3tn",
}


def short_name(name: str) -> str:
    """A short label for a line: :data:`SHORT_NAMES` or the title up to its parenthesis."""
    if name in SHORT_NAMES:
        return SHORT_NAMES[name]
    from .quantities import title_of

    return title_of(name).split(" (")[0]
