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
# # February 2026: the metals and crypto crash
#
# Article 000 (dated 2026-02-07) blames the early-February sell-off on liquidity and valuation
# rather than AI: the TGA rebuilding after the refunding, a yen-carry unwind (Japanese yields
# up, the US-Japan 2-year spread falling), CME raising gold and silver margins again and
# again, and stretched valuations. Article 004 expected reserve management purchases and a TGA
# release to add liquidity. This report checks each strand against data.

# %% tags=["parameters"]
start = "2025-11-01"
end = "2026-03-31"
t0 = "2026-01-30"
metals = ["gold", "silver"]
risk_assets = ["btc", "eth", "spx", "nasdaq", "nikkei"]

# %%
import pandas as pd

from plumbing import financing, findings, indicators, load, plots, present, views
from plumbing.episodes import cme_initial_margin_pct, load_events
from plumbing.quantities import quantity, quantity_frame
from plumbing.reports import record

plots.use_house_style()
all_events = load_events(start, end)
events = present.event_set(all_events[all_events["kind"] != "cme_margin"], start, end)
margin_events = all_events[all_events["kind"] == "cme_margin"]
spans = present.policy_spans(load_events(), start, end)
moves = views.day_moves(metals + risk_assets, t0)
buffett = indicators.buffett_indicator(load(["wilshire5000", "wilshire5000_yahoo", "gdp"]))
on_t0 = buffett.series.loc[:t0].dropna()
claims = views.claims_table(start=start, end=end, articles=["000", "004"])

# %%
present.findings(findings.crash_2026(t0, moves, (on_t0.index[-1], on_t0.iloc[-1]), buffett.label)
                 + [findings.claims_sentence(claims, "claims of articles 000 and 004 dated in this window")])

# %% [markdown]
# ## The TGA rebuild and the refunding
#
# Daily TGA with the main events numbered (the table at the end lists them all).

# %%
tga = quantity("tga_daily", start, end)
fig = plots.line_chart(tga.rename("TGA"), title="Treasury General Account, daily closing balance", unit="usd_bn",
                       events=events.chart_for(start, end, anchor=t0, prefer=("refunding", "fiscal", "debt_ceiling")),
                       spans=spans, t0=t0)
present.figure(fig, alt=f"Line chart of the Treasury's daily cash balance from {start} to {end}.",
               caption="Article 000 says the TGA was about 893.2bn in early February, planned 850bn at end-March and "
                       "about 1.025tn at the end-April peak; the claims table below sets those beside the data.",
               source=present.source_line(["tga_daily"]), data=tga)
record("tga_on_t0_bn", tga.loc[:t0].iloc[-1], label=f"TGA on {t0}", unit="USD bn", show=False)

# %% [markdown]
# ## Forward view: the TGA against the Treasury's plan
#
# Each quarterly borrowing estimate states the cash balance the Treasury assumes at the end of
# the quarter (the policy events table holds the sentences and their press releases). The
# chart sets the daily TGA, through the latest data, beside those assumptions.

# %%
plans = financing.plan_vs_actual(financing.tga_plans(load_events()), quantity("tga_daily"))
recent_plans = plans[plans["target_date"] >= pd.Timestamp(start)]
tga_all = quantity("tga_daily", start)
fig = plots.line_chart(tga_all.rename("TGA"), title="The TGA against the Treasury's stated cash-balance assumptions",
                       unit="usd_bn", spans=spans, t0=t0)
fig.axes[0].scatter(recent_plans["target_date"], recent_plans["target_bn"], color="firebrick", zorder=5, s=30,
                    label="Treasury's assumption for the month-end")
fig.axes[0].legend(loc="lower right", fontsize=8)
present.figure(fig, alt="Line chart of the daily TGA with red dots at the Treasury's assumed end-of-quarter balances.",
               caption="Red dots: the end-of-quarter balance each borrowing estimate assumed (a plan, not a forecast "
                       "check); the line: what the TGA did.",
               source=present.source_line(["tga_daily"]) + "; U.S. Department of the Treasury, quarterly borrowing estimates (refunding announcements)",
               data=tga_all)
present.table(recent_plans.assign(announced=recent_plans["announced"].dt.date.astype(str),
                                  target_date=recent_plans["target_date"].dt.date.astype(str),
                                  actual_date=recent_plans["actual_date"].dt.date.astype(str).replace("NaT", "—"))
              .set_index("announced"),
              units={"target_bn": "usd_bn", "actual_bn": "usd_bn", "gap_bn": "usd_bn"}, index_label="announced",
              labels={"target_date": "for month-end", "target_bn": "assumed", "actual_date": "TGA observed on",
                      "actual_bn": "actual", "gap_bn": "actual minus assumed"},
              caption="The Treasury's cash-balance assumptions beside the TGA")

# %% [markdown]
# ## Net liquidity and reserves

# %%
frame = quantity_frame(["net_liquidity", "reserves", "on_rrp", "treasuries_held"], start, end)
fig = plots.small_multiples(frame, units=frame.attrs["units"], titles={n: present.short_name(n) for n in frame.columns},
                            title="Net liquidity, reserves, ON RRP and the Fed's Treasury holdings",
                            events=events.chart_for(start, end, anchor=t0), spans=spans, ncols=2, t0=t0)
present.figure(fig, alt="Four panels from November 2025 to March 2026: net liquidity, reserves, ON RRP and the Fed's "
                        "Treasury holdings, which rise from mid-December.",
               caption="Treasury holdings rising from mid-December is the footprint of reserve management purchases "
                       "(a proxy: it also moves with other Treasury operations).",
               source=present.source_line(list(frame.columns)), data=frame)
rmp = views.changes_between(["treasuries_held"], "2025-12-10", end)
record("treasuries_held_change_since_rmp_bn", rmp.loc["treasuries_held", "change"],
       label="Change in Fed Treasury holdings since the RMP announcement (proxy)", unit="USD bn", show=False)

# %% [markdown]
# ## Yen carry: the US-Japan 2-year spread and USDJPY

# %%
carry = quantity_frame(["us2y_jp2y_bp", "usdjpy"], start, end)
fig = plots.dual_axis_chart(carry["us2y_jp2y_bp"], carry["usdjpy"], title="US 2Y - Japan 2Y and USDJPY",
                            left_unit="bp", right_unit="jpy_per_usd", left_label="US2Y - JP2Y", right_label="USDJPY",
                            events=events.chart_for(start, end, anchor=t0), t0=t0)
present.figure(fig, alt="Two lines: the US minus Japan 2-year yield spread (left axis) and USDJPY (right axis), "
                        f"{start} to {end}.",
               caption="A falling spread with a strengthening yen (USDJPY down) is the pattern of a carry unwind; the "
                       "article says the spread fell sharply in early February.",
               source=present.source_line(["us2y_jp2y_bp", "usdjpy"]), data=carry)
carry_move = views.changes_between(["us2y_jp2y_bp", "jp2y", "usdjpy"], "2026-01-23", "2026-02-06")
record("us2y_jp2y_change_bp", carry_move.loc["us2y_jp2y_bp", "change"], label="US2Y - JP2Y change, 01-23 to 02-06",
       unit="bp", show=False)
present.table(carry_move.rename(index=views.title_of)[["unit", "from_date", "from", "to_date", "to", "change"]],
              row_units=("unit", ["from", "to", "change"]), index_label="",
              labels={"from_date": "from date", "from": "value then", "to_date": "to date", "to": "value at the end"},
              caption="The carry gauges from 2026-01-23 to 2026-02-06")

# %% [markdown]
# ## Rate volatility and credit

# %%
stress = quantity_frame(["move", "hy_oas"], start, end)
fig = plots.small_multiples(stress, units=stress.attrs["units"], titles={n: present.short_name(n) for n in stress.columns},
                            title="MOVE and high-yield OAS", events=events.chart_for(start, end, anchor=t0), ncols=2, t0=t0)
present.figure(fig, alt=f"Two panels, {start} to {end}: the MOVE index of Treasury volatility and the high-yield "
                        "option-adjusted spread.",
               caption="If liquidity stress spread to rates and credit, MOVE and HY spreads rise with the crash.",
               source=present.source_line(["move", "hy_oas"]), data=stress)

# %% [markdown]
# ## CME margin changes against gold and silver
#
# Vertical lines are CME margin changes from the snapshot's event table (effective dates;
# at most five labelled per chart, the table lists them all). From 2026-01-13 CME set margins
# in percent of notional; the table lists those levels by effective date (each holds until
# the next change).

# %%
prices = load(metals, start, end)
for metal in metals:
    metal_events = present.event_set(margin_events[margin_events["label"].str.contains(metal)], start, end)
    fig = plots.line_chart(prices[metal].rename(metal), title=f"{metal.title()} futures (front month) and CME margin changes",
                           unit="usd", events=metal_events.chart_for(start, end, anchor=t0), t0=t0)
    present.figure(fig, alt=f"Line chart of {metal} front-month futures from {start} to {end} with CME margin changes "
                            "marked; the price falls sharply at the end of January after a run of raises.",
                   caption="Each numbered line is a margin change effective that day.",
                   source=present.source_line([metal]) + "; CME Clearing advisories (margin changes)",
                   data=prices[metal])
    present.table(metal_events.table_frame(), index_label="#", caption=f"CME margin changes for {metal} in the window")
margins = pd.DataFrame({m: cme_initial_margin_pct(m) for m in metals})
record("silver_margin_latest_pct", margins["silver"].dropna().iloc[-1], label="Silver initial margin after the last change",
       unit="% of notional", show=False)
present.table(margins.set_axis([str(d.date()) for d in margins.index], axis=0), units={m: "percent" for m in metals},
              index_label="effective", caption="Initial margin, percent of notional (from 2026-01-13)")

# %%
for name in metals:
    record(f"{name}_move_on_t0", moves.loc[name, "move"], label=f"{name} on {t0}", unit="%", show=False)
fig = plots.bar_chart(moves["z"].dropna().rename(index=lambda n: views.title_of(n).split(" (")[0]),
                      title=f"Moves on {t0}, in standard deviations of daily moves", unit="z", value_format="{:+.1f} sd")
present.figure(fig, alt=f"Bar chart of each asset's move on {t0} in standard deviations of its own daily moves.",
               caption="Moves against each asset's previous observation, divided by the standard deviation of its daily "
                       "moves over the previous year (beyond 2 is rare).",
               source=present.source_line(metals + risk_assets), data=moves[["move", "z"]])
present.table(moves.rename(index=views.title_of)[["previous_date", "previous", "value", "move", "z"]],
              units={"move": "pct_change", "z": "z"}, index_label="",
              labels={"previous_date": "previous date", "previous": "previous value", "move": "move"},
              caption=f"Moves on {t0} (percent)")

# %% [markdown]
# ## Valuation
#
# The Buffett indicator needs a market-cap series. The data hold none of the Fed's Z.1 equity
# values, so it uses a **Wilshire 5000 proxy for market cap**: the Wilshire 5000 index, whose
# points approximate US market capitalisation in USD bn and understate the Z.1 measure. FRED's
# copy ends 2023-02-08; Yahoo's ^W5000 continues it once the two copies are checked to agree
# where both exist (the splice date and the agreement are stated under the chart). The
# denominator is the GDP of the latest quarter published by each date. Forward P/E history is
# not free data: the article's figures (22.0x against a 30-year mean of 17.1x) are shown as
# quoted in the claims table, marked not checkable.

# %%
record("buffett_available_until", str(buffett.available_until.date()), label=f"{buffett.label}: data end", show=False)
record("buffett_splice_date", str(buffett.splice.splice_date.date()), label="Wilshire 5000 splice date (FRED to Yahoo)",
       show=False)
record("buffett_on_t0", on_t0.iloc[-1], label=f"Market cap / GDP ({buffett.label}) on {on_t0.index[-1].date()}",
       unit="%", show=False)
history = buffett.series.loc["2000":].dropna().rename(f"Market cap / GDP ({buffett.label})")
fig = plots.line_chart(history, title=f"Market cap / GDP, {buffett.label}", unit="percent", hline=230,
                       hline_label="230%: article 000's figure for February 2026",
                       vlines={buffett.splice.splice_date: f"FRED copy before, Yahoo ^W5000 from {buffett.splice.splice_date.date()}"})
present.figure(fig, alt=f"Line chart of market cap over GDP ({buffett.label}) since 2002, reaching "
                        f"{on_t0.iloc[-1]:.0f}% on {on_t0.index[-1].date()}, below the article's 230% line.",
               caption=f"{buffett.method}. Data end {buffett.available_until.date()}; nothing after that is estimated.",
               source="Wilshire 5000 (FRED WILL5000PRFC, withdrawn; Yahoo Finance ^W5000), BEA GDP via FRED (GDP), last "
                      f"observation {buffett.available_until.date()}", data=history)

# %% [markdown]
# ## Events on this page

# %%
present.table(events.table_frame(), index_label="#")

# %% [markdown]
# ## The articles' claims in this window

# %%
views.styled(claims)
