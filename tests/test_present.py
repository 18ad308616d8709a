"""The presentation API: numbers formatted for people, tables, findings, figures, events, spans."""

import base64
import html
import re

import pandas as pd
import pytest

from plumbing import present
from plumbing.dashboard import sparkline_svg, tile, tiles_html


@pytest.mark.parametrize("value, unit, text", [
    (32.0, "bp", "32"),
    (-8.6, "bp", "-9"),
    (3647.939745, "usd_bn", "3,647.9"),
    (4.2199999, "percent", "4.22"),
    (-1.1737, "pct_change", "-1.2"),
    (0.00004, "pvalue", "<0.001"),
    (0.031234, "pvalue", "0.031"),
    (1.5e-7, "", "0.00000015"),
    (123456789.0, "", "123,456,789"),
    (float("nan"), "bp", "—"),
    (None, "usd_bn", "—"),
    (pd.NaT, "", "—"),
    (pd.Timestamp("2025-10-31"), "", "2025-10-31"),
])
def test_cells_are_formatted_by_unit_without_scientific_notation(value, unit, text):
    assert present.fmt(value, unit) == text


def test_sentence_values_carry_their_unit_and_sign():
    assert present.fmt_with_unit(32, "bp") == "32 bp"
    assert present.fmt_with_unit(-477.4, "usd_bn", signed=True) == "-USD 477.4bn"
    assert present.fmt_with_unit(26.9, "usd_bn", signed=True) == "+USD 26.9bn"
    assert present.fmt_with_unit(4.22, "percent") == "4.22%"


def test_a_table_shows_every_row_formatted_with_units_in_headers():
    frame = pd.DataFrame({"spread": [32.4, None, 1e-9], "balance": [3647.939745, 12.0, None]},
                         index=pd.Index(["a", "b", "c"], name="row"))
    page = present.table_html(pd.concat([frame] * 70), units={"spread": "bp", "balance": "usd_bn"})
    cells = re.findall(r"<td[^>]*>(.*?)</td>", page)
    assert len(cells) == 2 * 210  # no truncation
    assert "spread (bp)" in page and "balance (USD bn)" in page
    assert "3,647.9" in page and "—" in page
    for bad in ("nan", "NaN", "None", "e-0", "e+0", "…", "rows ×"):
        assert bad not in page


def test_a_long_table_is_folded_with_every_row_and_a_short_one_is_not():
    frame = pd.DataFrame({"car": [float(i) for i in range(present.FOLD_ROWS + 1)]})
    long = present.table_html(frame, units={"car": "percent"}, caption="CARs per change")
    assert "<details><summary>Show all 31 rows of CARs per change</summary>" in long
    assert len(re.findall(r"<tr>", long)) == 1 + 31 and long.index("</table>") < long.index("</details>")
    short = present.table_html(frame.iloc[:present.FOLD_ROWS], units={"car": "percent"})
    assert "<details>" not in short
    assert "<details>" not in present.table_html(frame, fold=False)
    assert "<details>" in present.table_html(frame.iloc[:3], fold=True)


def test_row_units_format_each_row_by_its_own_unit_and_hidden_columns_stay_hidden():
    frame = pd.DataFrame({"value": [32.0, 3647.94], "_unit": ["bp", "usd_bn"]}, index=["spread", "tga"])
    page = present.table_html(frame, row_units=("_unit", ["value"]))
    assert ">32<" in page and ">3,647.9<" in page and "_unit" not in page


def test_findings_are_a_section_with_each_sentence():
    page = present.findings_html(["SOFR peaked at 5.25% on 2019-09-17.", "Second."])
    assert page.startswith(f'<section class="{present.FINDINGS_CLASS}">') and page.count("<li") == 2
    assert '<li class="headline">SOFR peaked' in page  # no mark: the first sentence is the headline


def test_a_figure_needs_alt_text_and_embeds_its_data():
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
    data = pd.DataFrame({"x": [1.0, 2.0]}, index=pd.to_datetime(["2025-01-01", "2025-01-02"]))
    page = present.figure_html(png, alt="A line that rises", caption="c", source="FRED (SOFR)", data=data, name="My chart")
    assert 'alt="A line that rises"' in page and "Source: FRED (SOFR)" in page
    link = re.search(r'download="my-chart.csv" href="data:text/csv;base64,([^"]+)"', page)
    assert link and base64.b64decode(link.group(1)).decode().splitlines()[1] == "2025-01-01,1.0"
    with pytest.raises(ValueError, match="alt text"):
        present.figure_html(png, alt=" ")


def _events():
    return pd.DataFrame({
        "date": pd.to_datetime(["2025-09-17", "2025-10-01", "2025-10-29", "2025-10-29", "2025-11-05", "2025-11-12",
                                "2025-12-10", "2025-12-31"]),
        "kind": ["fomc", "shutdown_start", "fomc", "qt_end", "refunding", "shutdown_end", "fomc", "fiscal"],
        "label": ["FOMC -25bp", "Shutdown begins", "FOMC hold", "QT end announced", "Refunding", "Shutdown ends",
                  "FOMC -25bp", "Year end"],
    })


def test_events_are_numbered_once_and_at_most_five_are_labelled():
    events = present.event_set(_events(), "2025-09-01", "2025-12-31")
    assert list(events.table["number"]) == list(range(1, 9))  # numbering starts at 1, by date
    chart = events.chart
    assert len(chart) == 5
    # anchored at the window's end: the latest events and the shutdown's end and QT's end are
    # labelled; the oldest FOMC move and the FOMC hold are not
    assert {"Year end", "Shutdown ends", "QT end announced"} <= set(chart["label"])
    assert "FOMC hold" not in set(chart["label"]) and "2025-09-17" not in set(chart["date"].dt.date.astype(str))
    # the chart's numbers are the table's numbers
    merged = chart.merge(events.table, on=["date", "label"], suffixes=("_chart", "_table"))
    assert (merged["number_chart"] == merged["number_table"]).all()
    october = events.chart_for("2025-10-01", "2025-10-31")
    assert set(october["number"]) == {2, 3, 4}


def test_labels_favour_the_anchor_and_the_charts_kinds_over_older_events():
    events = pd.DataFrame({
        "date": pd.to_datetime(["2025-11-05", "2025-11-12", "2025-12-01", "2025-12-10", "2025-12-10", "2025-12-12",
                                "2026-01-28", "2026-01-30", "2026-02-02", "2026-02-04", "2026-03-18"]),
        "kind": ["refunding", "shutdown_end", "qt_end", "fomc_decision", "rmp_start", "rmp_start", "fomc_decision",
                 "fed_leadership", "refunding", "refunding", "fomc_decision"],
        "label": ["November refunding", "Shutdown ends", "QT ends", "FOMC -25bp", "RMP announced", "RMP begin",
                  "FOMC hold", "Warsh nominated", "Borrowing estimate", "February refunding", "FOMC hold"],
    })
    page = present.event_set(events, "2025-11-01", "2026-03-31")
    tga = page.chart_for("2025-11-01", "2026-03-31", anchor="2026-01-30", prefer=("refunding", "fiscal"))
    labels = set(tga["label"])
    # the event on t0 and the refunding around it win over the shutdown's end, QT's end and the December FOMC
    assert {"Warsh nominated", "Borrowing estimate", "February refunding"} <= labels
    assert not {"Shutdown ends", "QT ends", "FOMC -25bp"} & labels
    # without preferred kinds the anchor still wins; the numbers are the page's
    near = page.chart_for("2025-11-01", "2026-03-31", anchor="2026-01-30")
    assert {"Warsh nominated", "Borrowing estimate", "February refunding"} <= set(near["label"])
    assert list(tga["number"]) == [int(page.table.loc[page.table["label"] == l, "number"].iloc[0]) for l in tga["label"]]
    # a monitor (no anchor) looks at the end of its window: 2026's events, not late 2025's
    assert (page.chart["date"] >= "2026-01-01").sum() >= 4


def test_policy_spans_pair_effective_starts_and_ends(repo_events):
    spans = present.policy_spans(repo_events)
    qt = [(a.date().isoformat(), b.date().isoformat()) for a, b, label in spans if label.startswith("QT")]
    shutdown = [(a.date().isoformat(), b.date().isoformat()) for a, b, label in spans if label == "government shutdown"]
    # QT1 ran from its effective start (after the announcement) to its effective end; QT2 likewise
    assert qt == [("2017-10-01", "2019-08-01"), ("2022-06-01", "2025-12-01")]
    # the 2018-19 lapse (CRS RL34680; H.J.Res.28, P.L. 116-5) and the 2025 one (H.R.5371)
    assert shutdown == [("2018-12-22", "2019-01-25"), ("2025-10-01", "2025-11-12")]
    clipped = present.policy_spans(repo_events, "2025-11-01", "2025-11-30")
    assert [(a.day, b.day) for a, b, _ in clipped] == [(1, 30), (1, 12)]


@pytest.fixture(scope="module")
def repo_events():
    path = present.__file__.rsplit("/lib/", 1)[0] + "/data/events/policy.csv"
    return pd.read_csv(path, parse_dates=["date"])


def test_series_are_grouped_into_themes_and_none_is_dropped():
    groups = present.themed(["reserves", "fed_assets", "sofr", "iorb", "spx", "gold", "sofr_volume", "m2"])
    assert groups["Bank reserves (USD bn)"] == ["reserves"]  # not on Fed assets' scale
    assert groups["Fed balance sheet (USD bn)"] == ["fed_assets"]
    assert groups["Price of overnight cash (percent)"] == ["sofr", "iorb"]
    assert sum(len(v) for v in groups.values()) == 8
    assert any("M2" in key for key in groups)  # an unthemed series gets its own panel, named in plain words


def test_tiles_show_level_changes_percentile_and_a_sparkline():
    days = pd.bdate_range("2020-01-01", "2026-07-15")
    series = pd.Series(range(len(days)), index=days, dtype=float)
    t = tile("reserves", series, "usd_bn", "2026-07-15")
    assert t["value"] == len(days) - 1 and t["chg_1w"] == 5 and t["pctile"] == 100.0
    assert 50 <= len(t["spark"]) <= 54
    page = tiles_html([t])
    assert ">1,705.0bn<" in page and "1w +5.0bn" in page and "<polyline" in page  # compact units in a tile
    assert sparkline_svg([]).startswith("<svg") and 'aria-label="no data"' in sparkline_svg([])


def test_the_plumbing_calendar_moves_weekend_dates_to_monday():
    from plumbing.calendar import plumbing_calendar

    upcoming = plumbing_calendar("2026-07-15", days=92)
    assert upcoming.index[0] == "2026-07-31" and "month-end" in upcoming.loc["2026-07-31", "what"]
    assert "2026-08-15" not in upcoming.index and upcoming.loc["2026-08-17", "what"] == "coupon settlement"  # a Saturday
    assert upcoming.loc["2026-09-15", "what"] == "coupon settlement + tax date"
    assert upcoming.loc["2026-09-30", "what"].startswith("quarter-end")
    assert upcoming.loc["2026-08-05", "what"] == "refunding (approx.)"  # the first Wednesday of August 2026
    assert upcoming.index[-1] <= "2026-10-15"


def test_the_treasury_cash_plans_are_read_from_the_policy_table(repo_events, snapshot):
    from plumbing.financing import plan_vs_actual, tga_plans

    plans = tga_plans(repo_events.rename(columns={"title": "label"}))
    feb_2026 = plans[plans["announced"] == pd.Timestamp("2026-02-02")]
    assert list(zip(feb_2026["target_date"].dt.date.astype(str), feb_2026["target_bn"])) == [
        ("2026-03-31", 850.0), ("2026-06-30", 900.0)]
    assert (plans["announced"] == pd.Timestamp("2019-07-29")).sum() == 1
    tga = snapshot.read("treasury/TGA_CLOSING_BALANCE.csv") / 1000
    compared = plan_vs_actual(feb_2026, tga).set_index("target_date")
    assert compared.loc["2026-03-31", "actual_bn"] == pytest.approx(tga.loc[:"2026-03-31"].iloc[-1])
    assert compared.loc["2026-03-31", "gap_bn"] == pytest.approx(tga.loc[:"2026-03-31"].iloc[-1] - 850.0)


def test_no_signed_zero_and_ordinals_read_right():
    assert present.fmt(-0.0001, "pct_change") == "0.0" and present.fmt(-0.4, "bp") == "0"
    assert present.fmt(0.0, "z") == "0.00" and present.fmt(-0.6, "bp") == "-1"
    assert [present.ordinal(x) for x in (41.4, 32, 11, 12.6, 88.2, 100, 101)] == [
        "41st", "32nd", "11th", "13th", "88th", "100th", "101st"]


def test_the_page_puts_only_the_findings_under_the_title_and_provenance_last():
    import nbformat

    from plumbing.reports.html import APPENDIX_MARKER, arrange_report

    nb = nbformat.v4.new_notebook()
    kv = nbformat.v4.new_output("display_data", data={"text/markdown": "**Estimated kink: 13.6**"})
    box = nbformat.v4.new_output("display_data", data={"text/html": f'<section class="{present.FINDINGS_CLASS}">F</section>'})
    recorded = nbformat.v4.new_output("display_data", data={"application/vnd.plumbing.record+json": {"name": "x"}})
    nb.cells = [nbformat.v4.new_markdown_cell("# T\nage\n" + APPENDIX_MARKER + "\n<details>params</details>"),
                nbformat.v4.new_markdown_cell("intro"), nbformat.v4.new_code_cell("x", outputs=[kv, recorded, box])]
    cells = arrange_report(nb).cells
    assert [c.cell_type for c in cells] == ["markdown", "code", "markdown", "code", "markdown"]
    assert cells[1].outputs == [box]  # the answer right under the title block
    assert cells[3].outputs == [kv]  # other output stays in place; record-only outputs are dropped
    assert cells[-1].source == "<details>params</details>" and APPENDIX_MARKER not in cells[0].source


# --- tables for people, claims, event strips (issue 12 reader review) ------------------------------

_RAW_NAMES = re.compile(r"\b(ci_low|ci_high|p_holm|p_bh|p_value|sup_f_p|se_har|kink_usd_bn|share_negative|x_unit)\b")


def test_model_column_names_read_in_plain_english_with_units():
    frame = pd.DataFrame({"estimate": [0.29371, -0.6650], "ci_low": [0.09048, -2.0791], "ci_high": [0.4970, 0.74941],
                          "p_value": [0.0000123, 0.33371], "p_holm": [0.024, 1.0], "sup_f_p": [0.006, 0.49],
                          "share_negative": [0.4444, 0.5926], "n": [659.0, 243.0], "residual_ar1": [0.6778, 0.9646]},
                         index=pd.Index(["spx", "nasdaq"], name="asset"))
    page = present.table_html(frame, units={"estimate": "percent", "ci_low": "percent", "ci_high": "percent"})
    heads = re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", page.split("</thead>")[0])
    assert heads == ["Asset", "Estimate (%)", "95% CI, low (%)", "95% CI, high (%)", "p-value", "p-value (Holm-adjusted)",
                     "Kink test p-value (sup-F)", "Share negative (%)", "Observations", "Residual autocorrelation, AR(1)"]
    assert not _RAW_NAMES.search(" ".join(heads))
    cells = [html.unescape(re.sub(r"<[^>]+>", "", c))
             for c in re.findall(r"<t[hd](?:\s[^>]*)?>(.*?)</t[hd]>", page.split("<tbody>")[1])]
    # the asset key in words; percent to 2 decimals; p-values to 2 significant figures or "<0.001"; a 0-1
    # share in %; counts whole; statistics to 2 decimals (never 4 significant figures)
    assert cells[:10] == ["S&P 500", "0.29", "0.09", "0.50", "<0.001", "0.024", "0.006", "44.4", "659", "0.68"]
    assert cells[10:] == ["Nasdaq", "-0.67", "-2.08", "0.75", "0.33", "1", "0.49", "59.3", "243", "0.96"]
    # the notebook's own label and unit win over the map
    page = present.table_html(frame[["estimate"]], labels={"estimate": "Cumulative response per 1% shock"},
                              units={"estimate": "percent"})
    assert "Cumulative response per 1% shock (%)" in page


def test_unitless_numbers_get_two_decimals_not_four_significant_figures():
    assert [present.fmt(x) for x in (0.09423, -0.3734, 203.94, 25253.1, 0.0041, 13.0)] == [
        "0.09", "-0.37", "203.9", "25,253", "0.0041", "13"]
    assert present.fmt(0.5926, "fraction") == "59.3" and present.fmt(-1.917, "bp_coef") == "-1.92"


def test_codes_in_cells_read_in_words_but_a_menu_keeps_what_a_user_types():
    assert present.readable_value("direction", "d_net_liquidity -> spx") == "net liquidity (weekly change) → S&P 500"
    assert present.readable_value("term", "best_minus_worst") == "easing + weak dollar minus tight + strong dollar"
    assert present.readable_value("regression", "ct") == "constant and trend"
    assert present.readable_value("name", "mean_error_pct") == "mean_error_pct"
    assert present.readable_value("sample", "spx") == "spx"  # a catalog key is translated only in key columns


def _claims_frame():
    from plumbing.views import CLAIMS_COLUMNS

    rows = []
    for number, verdict in enumerate(["supported", "contradicted", "supported", "partly", "not_checkable", "supported"]):
        row = {c: "" for c in CLAIMS_COLUMNS}
        row.update(id=f"a001_claim_{number}", article="001 (2025)", quote="原文", claim=f"Claim {number} ({verdict})",
                   rule=f"rule {number}", data=f"data {number}", detail=f"detail {number}", verdict=verdict,
                   check="value", claimed=1.0, unit="usd_bn", computed=2.0, computed_unit="usd_bn", role="statement",
                   as_of="2025-11-04", verdict_asof=verdict, pit_changed=False, parts=0)
        rows.append(row)
    return pd.DataFrame(rows, columns=CLAIMS_COLUMNS)


def test_claims_read_verdict_first_with_supported_folded():
    page = present.claims_html(_claims_frame())
    assert "6 claims:</strong> 1 contradicted, 1 partly, 3 supported, 1 not checkable." in page
    folded = page.index("<summary>3 supported claims</summary>")
    # contradicted before partly, both in view before the folded groups
    assert page.index("Claim 1 (contradicted)") < page.index("Claim 3 (partly)") < folded
    assert page.index("Claim 0 (supported)") > folded and page.index("Claim 5 (supported)") > folded
    assert page.index("<summary>1 claim not checkable</summary>") < page.index("Claim 4 (not_checkable)")
    # the quote, the rule and the data used are folded under every claim
    assert page.count("<summary>Quote, rule and data used</summary>") == 6 and '<span lang="zh">原文</span>' in page
    for cell in re.findall(r"<td[^>]*>(.*?)</td>", page):
        assert re.sub(r"<[^>]+>", "", cell).strip() not in ("nan", "None", "NaN")
    from plumbing import views

    assert views.styled(_claims_frame())._repr_html_() == page  # episode pages show the same view


def test_event_labels_take_at_most_two_rows_else_numbers_and_a_key():
    import matplotlib

    matplotlib.use("Agg")
    from plumbing import plots

    days = pd.bdate_range("2025-07-01", "2025-12-31")
    frame = pd.DataFrame({f"s{i}": range(len(days)) for i in range(5)}, index=days, dtype=float)
    events = present.event_set(_events(), "2025-07-01", "2025-12-31").chart
    fig = plots.small_multiples(frame, units={c: "usd_bn" for c in frame}, title="t", events=events)
    first = fig.axes[0]
    offsets = {round(a.xyann[1]) for a in first.texts if a.get_text()[:1].isdigit()}
    assert len(offsets) <= 2  # at most two rows of labels above the panel
    # five labels do not fit two rows over a third of the page: the lines carry their numbers, the
    # labels go in a numbered key under the figure
    tags = [a.get_text() for a in first.texts if a.get_text()[:1].isdigit()]
    assert all(re.fullmatch(r"\d+(,\d+)*", t) for t in tags) and len(tags) >= 1
    caption = " ".join(t.get_text() for t in fig.texts)
    assert "Events: 2 = Shutdown begins (2025-10-01); 4 = QT end announced (2025-10-29)" in caption
    wide = plots.line_chart(frame[["s0"]], title="t", unit="usd_bn", events=events.head(2))
    assert all("  " in a.get_text() for a in wide.axes[0].texts if a.get_text()[:1].isdigit())  # room: full labels


# --- figures: reference lines, date axes, event keys, t0, sources (issue 12, figures review) ---------

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from plumbing import plots  # noqa: E402

_MONTH_OFFSET = re.compile(r"^\d{4}-[A-Z][a-z]{2}$")  # matplotlib's "2026-Mar" offset text


def _tick_texts(fig):
    fig.canvas.draw()
    out = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        out.append(([t.get_text() for t in ax.get_xticklabels() if t.get_text()], ax.xaxis.get_offset_text().get_text()))
    return out


def _weekly(start, end, level=3100.0, step=-10.0):
    index = pd.date_range(start, end, freq="W-WED")
    return pd.Series([level + step * i for i in range(len(index))], index=index, dtype=float)


def test_reserves_in_usd_bn_always_get_the_labelled_3tn_line_on_their_own_axis():
    reserves = _weekly("2025-07-01", "2025-12-31")
    frame = pd.DataFrame({"reserves": reserves, "fed_assets": reserves + 3500})
    fig = plots.small_multiples(frame, units={"reserves": "usd_bn", "fed_assets": "usd_bn"}, title="t", ncols=2)
    panel = fig.axes[0]
    assert any(list(line.get_ydata()) == [3000.0, 3000.0] for line in panel.get_lines())
    assert any("USD 3tn" in t.get_text() for t in panel.texts)
    assert not any(list(line.get_ydata()) == [3000.0, 3000.0] for line in fig.axes[1].get_lines())
    plt.close(fig)
    # episode grids: reserves never share Fed assets' axis, and get the line there too
    themes = present.themed(["fed_assets", "reserves"])
    assert ["reserves"] in themes.values() and ["fed_assets"] in themes.values()
    grid = plots.theme_grid(frame, themes, titles={n: present.short_name(n) for n in frame.columns}, title="t")
    reserves_ax = next(ax for ax in grid.axes if "reserves" in ax.get_title().lower())
    assert any(list(line.get_ydata()) == [3000.0, 3000.0] for line in reserves_ax.get_lines())
    plt.close(grid)
    # far from the data (2019's 1.4tn) the panel says where the line is instead of flattening the data
    low = pd.DataFrame({"reserves": _weekly("2019-07-01", "2019-12-31", level=1400.0)})
    fig = plots.small_multiples(low, units={"reserves": "usd_bn"}, title="t", ncols=1)
    assert any("above this range" in t.get_text() for t in fig.axes[0].texts)
    assert fig.axes[0].get_ylim()[1] < 2000
    plt.close(fig)


@pytest.mark.parametrize("start, end", [("2025-11-01", "2026-03-31"), ("2025-03-01", "2025-05-31"),
                                        ("2025-12-10", "2026-01-20"), ("2017-06-01", "2019-12-31"),
                                        ("2019-09-01", "2019-09-30")])
def test_every_date_axis_says_the_year_on_its_first_tick_and_has_no_offset_text(start, end):
    days = pd.bdate_range(start, end)
    frame = pd.DataFrame({"sofr": range(len(days)), "on_rrp": range(len(days))}, index=days, dtype=float)
    figures = [plots.small_multiples(frame, units={"sofr": "percent", "on_rrp": "usd_bn"}, title="t", ncols=2),
               plots.line_chart(frame["sofr"], title="t", unit="percent"),
               plots.theme_grid(frame, present.themed(frame.columns), titles={}, title="t"),
               plots.dual_axis_chart(frame["sofr"], frame["on_rrp"], title="t", left_unit="percent", right_unit="usd_bn",
                                     left_label="a", right_label="b")]
    for fig in figures:
        for labels, offset in _tick_texts(fig):
            if not labels:
                continue  # the right axis of a dual-axis chart
            assert offset == ""
            assert not any(_MONTH_OFFSET.match(t) for t in labels), labels
            assert re.search(r"\d{4}", labels[0]), labels  # the year on the first tick
            assert len(labels) >= 2, labels
        plt.close(fig)


def test_event_keys_and_chart_labels_are_never_cut():
    long = ("Second QT ends on 2025-12-01 with the runoff of MBS principal reinvested in Treasury bills "
            "(MBS principal to bills)")
    events = pd.DataFrame({"date": pd.to_datetime(["2025-10-29", "2025-10-30", "2025-10-31"]),
                           "label": [long, "FOMC cuts 25bp", "Repo facility take-up 50bn"], "number": [7, 8, 9]})
    key = plots.event_key(events)
    assert long in key and "…" not in key and "[...]" not in key
    days = pd.bdate_range("2025-07-01", "2025-12-31")
    fig = plots.line_chart(pd.Series(range(len(days)), index=days, dtype=float, name="x"), title="t", unit="bp",
                           events=events)
    texts = [t.get_text() for t in fig.axes[0].texts] + [t.get_text() for t in fig.texts]
    assert not any("…" in t for t in texts)
    assert any(long in t for t in fig.texts[0].get_text().replace("\n", " ").split("Events: "))  # whole, in the key
    plt.close(fig)
    assert plots.short_label("Shutdown ends: H.R.5371 continuing appropriations signed") == "Shutdown ends"
    assert plots.number_tag(["7", "8", "9", "10", "11"]) == "7-11" and plots.number_tag(["3", "4"]) == "3,4"


def test_t0_is_a_labelled_line_on_every_panel():
    days = pd.bdate_range("2025-11-01", "2026-03-31")
    frame = pd.DataFrame({"move": range(len(days)), "hy_oas": range(len(days))}, index=days, dtype=float)
    fig = plots.small_multiples(frame, units={"move": "index", "hy_oas": "bp"}, title="t", ncols=2, t0="2026-01-30")
    t0 = plt.matplotlib.dates.date2num(pd.Timestamp("2026-01-30"))
    for ax in fig.axes:
        assert any(list(line.get_xdata()) == [t0, t0] or list(line.get_xdata()) == [pd.Timestamp("2026-01-30")] * 2
                   for line in ax.get_lines())
        assert any(t.get_text().startswith("t0") for t in ax.texts)
    assert any("30 Jan 2026" in t.get_text() for t in fig.axes[0].texts)
    plt.close(fig)


def test_panels_are_headed_by_short_names_and_repo_take_up_has_a_sensible_range(catalog):
    from plumbing.quantities import title_of

    days = pd.bdate_range("2025-07-01", "2025-12-31")
    frame = pd.DataFrame({"on_rrp": 1.0, "hy_oas": 300.0, "repo_take_up": 0.0}, index=days)
    frame.iloc[10, 2] = 0.05  # a test operation
    fig = plots.small_multiples(frame, units={"on_rrp": "usd_bn", "hy_oas": "bp", "repo_take_up": "usd_bn"},
                                titles={n: title_of(n) for n in frame.columns}, title="t", ncols=3)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["ON RRP", "HY OAS", "Repo facility take-up"]
    assert fig.axes[2].get_ylim()[1] >= 10
    plt.close(fig)


def test_source_lines_name_publishers_and_public_ids_never_internal_keys(loader):
    line = present.source_line(["tga_daily", "repo_take_up", "sofr_p1", "sofr_p99", "jp2y", "reserves", "fed_assets"],
                               loader=loader)
    assert not re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", line), line
    assert "(2Y)" not in line and "Daily Treasury Statement" in line and "SOFR 1st percentile" in line
    assert line.count("Board of Governors of the Federal Reserve System") == 1  # grouped by publisher
    assert "WRESBAL" in line and "WALCL" in line


def test_event_tables_cite_the_publishers_not_the_project_files():
    events = pd.DataFrame({"date": pd.to_datetime(["2023-03-10", "2023-03-22"]), "kind": ["bank_failure", "fomc"],
                           "label": ["SVB closed", "FOMC hikes 25bp"], "source": ["policy.csv", "fomc.csv"]})
    table = present.event_set(events, "2023-03-01", "2023-03-31").table_frame()
    assert not table["source"].str.contains(r"\.csv").any()
    assert "FOMC statements" in table["source"].iloc[1]


def test_an_event_an_article_dates_cites_the_article_by_its_title():
    events = pd.DataFrame({"date": pd.to_datetime(["2025-10-31"]), "kind": ["article"],
                           "label": ["SOFR 4.22% vs IORB 3.90%"], "source": ["001_dfe810cc30992348.txt"]})
    table = present.event_set(events, "2025-10-01", "2025-11-30").table_frame()
    assert table["source"].iloc[0].startswith("Article 001: ") and ".txt" not in table["source"].iloc[0]


def test_episode_comparison_names_episodes_and_keeps_small_ones_readable():
    assert present.episode_short_title("2025-10-tga-shutdown") == "Oct 2025 TGA drain"
    assert present.episode_short_title("2031-05-new-thing") == "May 2031 new thing"
    rows = [{"episode": e, "quantity": "sofr_iorb_bp", "day": d, "value": v}
            for e, scale in (("2019-09-repo-spike", 300), ("2025-10-tga-shutdown", 20), ("2026-02-crash", 5))
            for d, v in zip(range(-5, 6), [scale * (i % 3) for i in range(11)])]
    fig = plots.event_time_chart(pd.DataFrame(rows), quantity="sofr_iorb_bp", unit="bp", title="SOFR - IORB",
                                 names={e: present.episode_short_title(e) for e in
                                        ("2019-09-repo-spike", "2025-10-tga-shutdown", "2026-02-crash")})
    assert len(fig.axes) == 2 and "Without Sep 2019 repo spike" in fig.axes[1].get_title()
    legend = [t.get_text() for key in fig.legends for t in key.get_texts()]
    assert "Oct 2025 TGA drain" in legend and not any(re.search(r"\d{4}-\d{2}-", t) for t in legend)
    assert fig.axes[1].get_ylim()[1] < 100
    plt.close(fig)


def test_no_themed_panel_holds_more_than_six_lines():
    groups = present.themed(list(present.THEMES["Stocks, rebased to 100 at the window's start"]) + ["gold", "silver", "btc",
                                                                                                  "eth", "dxy", "usdjpy"])
    assert max(len(v) for v in groups.values()) <= present.MAX_PANEL_LINES
    corridor = present.themed(["sofr", "sofr_p99", "sofr_p1", "effr", "tgcr", "bgcr", "iorb", "fed_target_upper",
                               "fed_target_lower"])
    assert list(corridor) == ["Price of overnight cash (percent)"]  # the corridor stays one panel


def test_a_values_table_formats_each_row_in_its_unit_under_short_names():
    values = pd.DataFrame({"quantity": ["fed_target_upper", "fed_target_upper", "repo_take_up", "repo_take_up"],
                           "unit": ["percent", "percent", "usd_bn", "usd_bn"],
                           "date": ["2019-09-18", "2019-09-20"] * 2, "value": [2.25, 2.0, 53.15, 75.0]})
    frame = present.values_frame(values)
    page = present.table_html(frame, row_units=("_unit", ["2019-09-18", "2019-09-20"]))
    cells = re.findall(r"<td[^>]*>(.*?)</td>", page)
    assert cells == ["2.25", "2.00", "53.1", "75.0"] or cells == ["2.25", "2.00", "53.2", "75.0"]
    assert list(frame.index) == ["Fed funds range, top (%)", "Repo facility take-up (USD bn)"] and "_unit" not in page


# --- figures review: label choice, reference label, quiet panels, composite, IOER (issue 12) -------

def test_the_reference_line_label_has_no_box_and_sits_where_no_data_are():
    from plumbing import plots

    days = pd.bdate_range("2023-01-02", "2023-04-28")
    # reserves cross USD 3tn in late January and stay above: the label must not sit on the crossing
    values = [2900.0 + 10 * i if i < 30 else 3200.0 for i in range(len(days))]
    fig = plots.line_chart(pd.Series(values, index=days, name="reserves").to_frame(), title="t", unit="usd_bn")
    ax = fig.axes[0]
    label = next(a for a in ax.texts if "red line" in a.get_text())
    assert label.get_bbox_patch() is None  # nothing white hides the data
    fig.canvas.draw()
    box = label.get_window_extent().transformed(ax.transData.inverted())
    xs = matplotlib.dates.date2num(days.to_pydatetime())
    covered = [y for x, y in zip(xs, values) if box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1]
    assert covered == []
    plt.close(fig)


def test_a_theme_grid_leaves_out_all_zero_panels_and_ends_at_the_window():
    from plumbing import plots

    days = pd.bdate_range("2025-09-01", "2026-01-23")
    frame = pd.DataFrame({"reserves": 3000.0, "repo_take_up": 0.0, "tga": 900.0}, index=days)
    themes = {"Reserves": ["reserves"], "Fed repo operations (USD bn)": ["repo_take_up"], "TGA": ["tga"]}
    fig = plots.theme_grid(frame, themes, titles={n: n for n in frame}, title="t", window=(days[0], days[-1]))
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in shown] == ["Reserves", "TGA"]
    for ax in shown:
        assert [pd.Timestamp(matplotlib.dates.num2date(x)).date() for x in ax.get_xlim()] == [days[0].date(), days[-1].date()]
    assert present.quiet_note(frame, list(frame)) == "No repo facility take-up in the window, so it has no panel."
    assert present.quiet_note(frame, ["reserves"]) == ""
    tests = frame.assign(repo_take_up=[0.004 if i % 5 == 0 else 0.0 for i in range(len(days))])  # test operations
    assert present.quiet_note(tests, ["repo_take_up"]) == ("No repo facility take-up in the window beyond small-value "
                                                          "test operations (at most USD 4mn), so it has no panel.")
    plt.close(fig)


def test_a_composite_is_thick_and_dark_its_components_thin_and_grey():
    from plumbing import plots

    days = pd.bdate_range("2025-01-01", "2025-06-30")
    frame = pd.DataFrame({"a": 1.0, "b": -1.0, "composite": 0.0}, index=days)
    fig = plots.line_chart(frame, title="t", unit="z", direct_labels=True, emphasis="composite")
    widths = {line.get_label(): line.get_linewidth() for line in fig.axes[0].get_lines()[:3]}
    assert widths["composite"] > 2 * max(widths["a"], widths["b"])
    assert matplotlib.colors.to_hex(fig.axes[0].get_lines()[0].get_color()) == matplotlib.colors.to_hex("0.62")
    plt.close(fig)


def test_the_rate_on_reserves_is_ioer_before_2021_07_29():
    from plumbing import plots

    days = pd.bdate_range("2019-07-01", "2019-12-31")
    frame = pd.DataFrame({"sofr_iorb_bp": 1.0}, index=days)
    fig = plots.small_multiples(frame, units={"sofr_iorb_bp": "bp"}, titles={"sofr_iorb_bp": present.short_name("sofr_iorb_bp")},
                                title="t")
    assert fig.axes[0].get_title() == "SOFR - IOER"
    assert plots.reserve_rate_era("SOFR - IORB", "2025-01-02") == "SOFR - IORB"
    plt.close(fig)
