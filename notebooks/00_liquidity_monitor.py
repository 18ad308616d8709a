# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Liquidity monitor
#
# Article 000's watch list, as of one date: the "water level" (net liquidity = Fed assets -
# TGA - ON RRP), the price of overnight cash (SOFR and SOFR - IORB), rate volatility (MOVE),
# yen carry (USDJPY and US 2Y - Japan 2Y) and credit (high-yield OAS), plus reserves, the TGA,
# ON RRP and the Fed's repo facility. Every number is computed from the data listed at the end
# of the page. By default the monitor stands on the latest date that every series on the watch
# list covers (the findings name the series whose data end there); a render for another date
# shows that day instead.

# %% tags=["parameters"]
as_of = "latest"
lookback_years = 2
percentile_years = 5
stress_window = 252

# %%
import pandas as pd
from IPython.display import Markdown, display

from plumbing import dashboard, findings, plots, present, views
from plumbing.calendar import plumbing_calendar
from plumbing.episodes import load_events
from plumbing.freshness import coverage, resolve_as_of
from plumbing.quantities import quantity, quantity_frame, quantity_unit
from plumbing.reports import record

plots.use_house_style()
WATCH = ["net_liquidity_daily", "sofr", "sofr_iorb_bp", "move", "usdjpy", "us2y_jp2y_bp", "hy_oas",
         "reserves", "tga_daily", "on_rrp", "repo_take_up"]
TILES = ["net_liquidity_daily", "reserves", "tga_daily", "on_rrp", "sofr_iorb_bp", "sofr_p99_iorb_bp", "repo_take_up",
         "move", "hy_oas", "usdjpy", "us2y_jp2y_bp"]
requested_as_of = as_of
as_of = resolve_as_of(as_of, WATCH)
covered = coverage(WATCH)
lagging = covered.lagging
set_by = list(covered.set_by) if as_of == covered.date else []
record("as_of_set_by", set_by, label="Watch-list series whose data end on the monitor date", show=False)
record("as_of_latest", requested_as_of == "latest", label="Monitor date is the latest the watch list covers", show=False)
record("lagging", {n: str(d.date()) for n, d in lagging.items()}, label="Watch-list series shown at an earlier date",
       show=False)
record("as_of", str(as_of.date()), label="Monitor date" + (" (latest date the whole watch list covers)"
                                                           if requested_as_of == "latest" else ""), show=False)
start = as_of - pd.DateOffset(years=lookback_years)
all_events = load_events(start, as_of)
events = present.event_set(all_events[all_events["kind"] != "cme_margin"], start, as_of)
spans = present.policy_spans(load_events(), start, as_of)
table = dashboard.with_standing(views.monitor_table(WATCH, as_of, percentile_years=percentile_years),
                                {n: quantity(n, end=as_of) for n in WATCH}, as_of, percentile_years)
stress = dashboard.monitor_stress(start - pd.DateOffset(years=percentile_years), as_of, window=stress_window)
record("net_liquidity_latest", table.loc["net_liquidity_daily", "value"], label="Net liquidity", unit="USD bn", show=False)
record("sofr_iorb_latest", table.loc["sofr_iorb_bp", "value"], label="SOFR - IORB", unit="bp", show=False)
tiles = dashboard.monitor_tiles({**{n: quantity(n, end=as_of) for n in TILES}, "stress": stress["composite"]},
                                {**{n: quantity_unit(n) for n in TILES}, "stress": "z"}, as_of,
                                percentile_years=percentile_years)
record("tiles", tiles, label="Dashboard tiles", show=False)

# %%
present.findings(findings.monitor(table, stress, as_of, lagging, set_by))

# %% [markdown]
# ## The watch list on the day
#
# Latest value on or before the monitor date, its change over one week, one month and three
# months, and where it stands among the observations of the previous years (a mid-rank
# percentile: 100 = the highest; a value shared by many days, as the repo facility's zeros,
# sits in the middle of them and the share of such days is given).

# %%
present.table(table.assign(unit=[present.UNIT_HEADERS.get(u, u) for u in table["unit"]])
              .set_index("title")[["unit", "date", "value", "chg_1w", "chg_1m", "chg_3m", "percentile"]]
              .assign(_unit=table["unit"].to_numpy()),
              row_units=("_unit", ["value", "chg_1w", "chg_1m", "chg_3m"]), index_label="",
              labels={"chg_1w": "1 week", "chg_1m": "1 month", "chg_3m": "3 months", "date": "observed on",
                      "percentile": "where it stands"},
              caption=f"The watch list on {as_of.date()}")

# %% [markdown]
# ## The last two years
#
# QT and the 2025 shutdown are shaded; the main events are numbered on the first panel (the
# table at the end of the page lists every event).

# %%
frame = quantity_frame(WATCH, start, as_of)
fig = plots.small_multiples(frame, units=frame.attrs["units"], titles={n: views.title_of(n) for n in WATCH},
                            title=f"Watch list, {start.date()} to {as_of.date()}", events=events.chart_for(start, as_of),
                            spans=spans)
present.figure(fig, alt=f"Eleven small panels of the watch list from {start.date()} to {as_of.date()}: net liquidity, "
                        "SOFR, SOFR minus IORB, MOVE, USDJPY, the US-Japan 2-year spread, high-yield spreads, reserves, "
                        "the TGA, ON RRP and repo facility take-up.",
               caption="Net liquidity and reserves are the water level; SOFR - IORB and repo take-up show the price and "
                       "the backstop; MOVE, the US-Japan spread and HY OAS show whether stress spreads.",
               source=present.source_line(WATCH), data=frame)

# %% [markdown]
# ## Stress composite

# %%
display(Markdown(
    f"Each component is a trailing z-score over {stress_window} business days, signed so that positive means "
    "stress: a falling net liquidity (21-day change of the same daily-TGA net liquidity as the watch list's), a "
    "wider SOFR - IORB, a higher MOVE, a narrowing US-Japan 2-year spread (21-day change) and wider high-yield "
    f"spreads. The composite is their mean over the components available that day (at least "
    f"{stress.attrs['min_components']}). The daily TGA starts on 2022-04-18, so the net-liquidity component "
    f"reads from {stress.attrs['net_liquidity_first']}."))

# %%
recent_stress = stress.loc[start:]
components = [c for c in recent_stress.columns if c not in ("composite", "n_components")]
recent_stress = recent_stress.loc[recent_stress[components + ["composite"]].first_valid_index():]  # the axis starts with the data
labels = {"net_liquidity_change": "Net liquidity drain", "sofr_iorb_bp": "SOFR - IORB", "move": "MOVE",
          "us2y_jp2y_change": "US-Japan 2Y narrowing", "hy_oas": "HY OAS", "composite": "Composite"}
fig = plots.line_chart(recent_stress[components + ["composite"]], title="Liquidity stress composite and its components",
                       unit="z", events=events.chart_for(recent_stress.index[0], as_of), hline=0, labels=labels,
                       direct_labels=True, spans=spans, emphasis="composite")
present.figure(fig, alt="Line chart of the stress composite (thick dark line) and its five component z-scores (thin grey "
                        "lines) over the last two years.",
               caption="The thick line is the composite, the thin grey lines its components. Above zero = more stress "
                       "than the trailing year's average.",
               source=present.source_line(["net_liquidity_daily", "sofr_iorb_bp", "move", "us2y_jp2y_bp", "hy_oas"]),
               data=recent_stress)
latest = recent_stress.dropna(subset=["composite"]).iloc[-1]
record("stress_composite_latest", latest["composite"], label=f"Stress composite on {latest.name.date()}", unit="z",
       show=False)
present.table(recent_stress.dropna(subset=["composite"]).tail(10).rename(columns=labels)
              .rename(columns={"n_components": "components"}),
              units={v: "z" for v in labels.values()} | {"components": "count"}, index_label="date",
              caption="The last ten days of the composite")

# %% [markdown]
# ## The plumbing calendar after the monitor date
#
# The dates in the next three months when cash moves between banks, the Treasury and the Fed:
# month- and quarter-ends, tax dates, coupon settlements and the refunding (rules, weekends
# moved to Monday, US holidays not modelled). FOMC meetings appear when the events table lists
# them.

# %%
present.table(plumbing_calendar(as_of, fomc=load_events(as_of)[lambda f: f["kind"] == "fomc_decision"]), index_label="date",
              caption=f"Plumbing dates after {as_of.date()}")

# %% [markdown]
# ## Events on this page

# %%
present.table(events.table_frame(), index_label="#")

# %% [markdown]
# ## What the articles claim about the last three months
#
# Claims dated entirely inside the three months up to the monitor date; each verdict uses the
# data available today (listed at the end), which may run past that date.

# %%
claims = views.claims_table(start=as_of - pd.DateOffset(months=3), end=as_of, within=True)
views.styled(claims) if len(claims) else present.note("No article claim is dated in this window.")
