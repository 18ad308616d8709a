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

from plumbing import indicators, load, plots, views
from plumbing.episodes import cme_initial_margin_pct, load_events
from plumbing.quantities import quantity, quantity_frame
from plumbing.reports import record

plots.use_house_style()
all_events = load_events(start, end)
policy_events = all_events[all_events["kind"] != "cme_margin"]
margin_events = all_events[all_events["kind"] == "cme_margin"]

# %% [markdown]
# ## The TGA rebuild and the refunding
#
# Daily TGA with the February refunding and the Treasury's borrowing estimate marked.

# %%
tga = quantity("tga_daily", start, end)
fig = plots.line_chart(tga, title="Treasury General Account, daily closing balance", unit="usd_bn", events=policy_events,
                       caption="Article 000 says the TGA was about 893.2bn in early February, planned 850bn at end-March "
                               "and about 1.025tn at the end-April peak; the claims table below sets those beside the data.")
plots.shown([fig])
record("tga_on_t0_bn", tga.loc[:t0].iloc[-1], label=f"TGA on {t0}", unit="USD bn")

# %% [markdown]
# ## Net liquidity and reserves

# %%
frame = quantity_frame(["net_liquidity", "reserves", "on_rrp", "treasuries_held"], start, end)
fig = plots.small_multiples(frame, units=frame.attrs["units"], titles={n: views.title_of(n) for n in frame.columns},
                            title="Net liquidity, reserves, ON RRP and the Fed's Treasury holdings", events=policy_events,
                            ncols=2, caption="Treasury holdings rising from mid-December is the footprint of reserve management "
                                             "purchases (a proxy: it also moves with other Treasury operations).")
plots.shown([fig])
rmp = views.changes_between(["treasuries_held"], "2025-12-10", end)
record("treasuries_held_change_since_rmp_bn", rmp.loc["treasuries_held", "change"],
       label="Change in Fed Treasury holdings since the RMP announcement (proxy)", unit="USD bn")

# %% [markdown]
# ## Yen carry: the US-Japan 2-year spread and USDJPY

# %%
carry = quantity_frame(["us2y_jp2y_bp", "usdjpy"], start, end)
fig = plots.dual_axis_chart(carry["us2y_jp2y_bp"], carry["usdjpy"], title="US 2Y - Japan 2Y and USDJPY",
                            left_unit="bp", right_unit="jpy_per_usd", left_label="US2Y - JP2Y", right_label="USDJPY",
                            events=policy_events, caption="A falling spread with a strengthening yen (USDJPY down) is the "
                                                         "pattern of a carry unwind; the article says the spread fell sharply in early February.")
plots.shown([fig])
carry_move = views.changes_between(["us2y_jp2y_bp", "jp2y", "usdjpy"], "2026-01-23", "2026-02-06")
record("us2y_jp2y_change_bp", carry_move.loc["us2y_jp2y_bp", "change"], label="US2Y - JP2Y change, 01-23 to 02-06", unit="bp")
carry_move.style.format(precision=3, na_rep="missing")

# %% [markdown]
# ## Rate volatility and credit

# %%
stress = quantity_frame(["move", "hy_oas"], start, end)
fig = plots.small_multiples(stress, units=stress.attrs["units"], titles={n: views.title_of(n) for n in stress.columns},
                            title="MOVE and high-yield OAS", events=policy_events, ncols=2,
                            caption="If liquidity stress spread to rates and credit, MOVE and HY spreads rise with the crash.")
plots.shown([fig])

# %% [markdown]
# ## CME margin changes against gold and silver
#
# Dashed lines are CME margin changes from the snapshot's event table (effective dates). From
# 2026-01-13 CME set margins in percent of notional; the table below lists those levels by
# effective date (each holds until the next change).

# %%
prices = load(metals, start, end)
for metal in metals:
    fig = plots.line_chart(prices[metal], title=f"{metal.title()} futures (front month) and CME margin changes", unit="usd",
                           events=margin_events[margin_events["label"].str.contains(metal)],
                           caption="Each dashed line is a margin change effective that day; the crash came after a run of raises.")
    plots.shown([fig])
margins = pd.DataFrame({m: cme_initial_margin_pct(m) for m in metals})
record("silver_margin_latest_pct", margins["silver"].dropna().iloc[-1], label="Silver initial margin after the last change", unit="% of notional")
margins.set_axis(margins.index.date, axis=0).style.format(precision=1, na_rep="")

# %%
moves = views.day_moves(metals + risk_assets, t0)
for name in metals:
    record(f"{name}_move_on_t0", moves.loc[name, "move"], label=f"{name} on {t0}", unit="%")
fig = plots.bar_chart(moves["move"].dropna(), title=f"Moves on {t0}", unit="pct_change",
                      caption="Moves against each asset's previous observation.")
plots.shown([fig])

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
buffett = indicators.buffett_indicator(load(["wilshire5000", "wilshire5000_yahoo", "gdp"]))
on_t0 = buffett.series.loc[:t0].dropna()
record("buffett_available_until", str(buffett.available_until.date()), label=f"{buffett.label}: data end")
record("buffett_splice_date", str(buffett.splice.splice_date.date()), label="Wilshire 5000 splice date (FRED to Yahoo)")
record("buffett_on_t0", on_t0.iloc[-1], label=f"Market cap / GDP ({buffett.label}) on {on_t0.index[-1].date()}",
       unit="%")
fig = plots.line_chart(buffett.series.loc["2000":].dropna().rename(f"Market cap / GDP ({buffett.label})"),
                       title=f"Market cap / GDP, {buffett.label}", unit="percent", hline=230,
                       hline_label="230%: article 000's figure for February 2026",
                       vlines={buffett.splice.splice_date: f"FRED copy before, Yahoo ^W5000 from {buffett.splice.splice_date.date()}"},
                       caption=f"{buffett.method}. Data end {buffett.available_until.date()}; nothing after that is "
                               "estimated. Source: FRED WILL5000PRFC, Yahoo Finance ^W5000, BEA GDP via FRED.")
plots.shown([fig])

# %% [markdown]
# ## The articles' claims in this window

# %%
claims = views.claims_table(start=start, end=end, articles=["000", "004"])
views.styled(claims)
