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
# # September 2019: the repo spike
#
# After two years of quantitative tightening, corporate tax payments and Treasury coupon
# settlement on 2019-09-16 moved cash into the TGA; overnight repo rates spiked, the effective
# fed funds rate printed above the target range, and the New York Fed started daily repo
# operations. Article 001 calls it "technical monetary contraction": the Fed had shrunk its
# balance sheet too far.

# %% tags=["parameters"]
start = "2019-07-01"
end = "2019-12-31"
t0 = "2019-09-17"
qt_view_start = "2017-06-01"

# %%
import pandas as pd

from plumbing import findings, indicators, load, plots, present, views
from plumbing.episodes import load_events
from plumbing.quantities import quantity, quantity_frame, quantity_unit
from plumbing.reports import record

plots.use_house_style()
all_events = load_events(qt_view_start, end)
all_events = all_events[all_events["kind"] != "cme_margin"]
# one numbering for the page: every event of the window, and the QT milestones before it
page_events = all_events[(all_events["date"] >= pd.Timestamp(start))
                         | all_events["kind"].isin(["qt_start", "qt_taper", "qt_end"])]
events = present.event_set(page_events, qt_view_start, end)
qt_spans = present.policy_spans(all_events, qt_view_start, end)
claims = views.claims_table(start=start, end=end)
zoom = (pd.Timestamp(t0) - pd.DateOffset(days=33), pd.Timestamp(t0) + pd.DateOffset(days=44))  # the rate charts' window

# %%
present.findings(findings.repo_spike_2019(start, end, t0) + [findings.claims_sentence(claims)])

# %% [markdown]
# ## Reserves under QT
#
# Weekly reserves and Fed total assets from before QT began to the end of the window; QT is
# shaded.

# %%
long_view = load(["reserves", "fed_assets"], qt_view_start, end, freq="W")
fig = plots.line_chart(long_view, title="Reserves and Fed total assets, weekly", unit="usd_bn",
                       events=events.chart_for(qt_view_start, end),
                       labels={"reserves": "Reserves (week average)", "fed_assets": "Fed total assets"},
                       spans=qt_spans, direct_labels=True)
present.figure(fig, alt="Line chart of weekly Fed total assets and bank reserves from mid-2017 to end-2019: both fall "
                        "during QT, reserves by more, until the repo operations and bill purchases of late 2019.",
               caption="QT shrank the balance sheet from late 2017 to mid 2019; reserves fell further than assets "
                       "because the TGA and other liabilities grew.",
               source=present.source_line(["reserves", "fed_assets"]), data=long_view)
record("reserves_low_2019_bn", long_view["reserves"].loc["2019-01-01":t0].min(), label="Lowest weekly reserves in 2019 before t0", unit="USD bn")

# %% [markdown]
# ## The TGA jump around 2019-09-16
#
# The daily TGA is only published in this form from 2022, so the weekly average (WTREGEN)
# and the Wednesday level (WDTGAL) are shown.

# %%
tga = load(["tga_weekly", "tga_wednesday"], start, end)
fig = plots.line_chart(tga, title="Treasury General Account, weekly", unit="usd_bn", events=events.chart_for(start, end, anchor=t0),
                       labels={"tga_weekly": "Week average", "tga_wednesday": "Wednesday level"}, direct_labels=True)
present.figure(fig, alt="Line chart of the Treasury's cash at the Fed, weekly, July to December 2019, with a jump in "
                        "the week of 2019-09-18.",
               caption="The jump in the week of 2019-09-18 is the tax date and coupon settlement moving cash out of banks.",
               source=present.source_line(["tga_weekly", "tga_wednesday"]), data=tga)
tga_change = views.changes_between(["tga_wednesday"], "2019-09-11", "2019-09-18")
record("tga_change_week_of_spike_bn", tga_change.loc["tga_wednesday", "change"], label="TGA change, Wednesday 09-11 to 09-18", unit="USD bn")

# %% [markdown]
# ## SOFR, its 1st-99th percentile range, IOER and the target range
#
# One panel: the band is the range of rates across SOFR's transactions (1st to 99th
# percentile), the line SOFR itself, beside the rate on reserves and the fed funds range.

# %%
rates = load(["sofr", "sofr_p1", "sofr_p99", "ioer", "effr", "fed_target_upper", "fed_target_lower"], *zoom)
fig = plots.rate_corridor_chart(rates, reserve_rate="ioer", title=f"Overnight rates, {zoom[0]:%b %d} to {zoom[1]:%b %d %Y}",
                                events=events.chart_for(*zoom, anchor=t0))
present.figure(fig, alt="Chart of SOFR with its 1st-99th percentile band, EFFR, IOER and the fed funds target range "
                        "around the spike: on 2019-09-17 SOFR and its 99th percentile jump far above IOER and the "
                        "top of the range.",
               caption="On 2019-09-17 SOFR and its 99th percentile jump far above IOER (the rate the Fed paid on "
                       "reserves) and above the top of the fed funds target range (the shaded corridor).",
               source=present.source_line(["sofr", "sofr_p1", "sofr_p99", "ioer", "effr", "fed_target_upper"]), data=rates)
sofr = quantity("sofr", start, end)
record("sofr_peak", sofr.max(), label="SOFR peak", unit="percent")
record("sofr_peak_date", str(sofr.idxmax().date()), label="SOFR peak date")
spread = quantity("sofr_iorb_bp", start, end)
record("sofr_ioer_peak_bp", spread.max(), label="SOFR - IOER peak", unit="bp")

# %% [markdown]
# ## EFFR above the target range

# %%
effr_gap = quantity("effr_target_upper_bp", *zoom)
fig = plots.line_chart(effr_gap.rename("EFFR minus the top of the range"), title="EFFR minus the top of the target range",
                       unit="bp", events=events.chart_for(*zoom, anchor=t0), hline=0, hline_label="top of the range")
present.figure(fig, alt="Line chart of the effective fed funds rate minus the top of the target range around the "
                        "spike; it rises above zero around 2019-09-17.",
               caption="Above zero = the effective fed funds rate printed above the range.",
               source=present.source_line(["effr_target_upper_bp"]), data=effr_gap)
record("effr_above_range_max_bp", effr_gap.max(), label="EFFR above the range, max", unit="bp")

# %% [markdown]
# ## The Fed's repo operations and what followed
#
# Repo take-up is shown as 0 on business days without an operation in this window (the Fed
# ran none); the other series are as published.

# %%
after = quantity_frame(["repo_take_up", "reserves", "fed_assets", "sofr_iorb_bp"], start, end)
units = after.attrs["units"]
after = after.reindex(pd.bdate_range(start, end, name="date")).assign(
    repo_take_up=indicators.zero_where_no_operation(after["repo_take_up"], start, end))
fig = plots.small_multiples(after, units=units, titles={n: present.short_name(n) for n in after.columns},
                            title="Repo operations, reserves, Fed assets and SOFR - IOER", events=events.chart_for(start, end, anchor=t0),
                            ncols=2, t0=t0)
present.figure(fig, alt="Four panels, July to December 2019: Fed repo take-up jumps from zero on 2019-09-17, reserves "
                        "and Fed assets rise afterwards, and SOFR minus IOER falls back from its spike.",
               caption="Repo operations from 09-17 and bill purchases from mid-October rebuilt reserves and pulled SOFR "
                       "back toward IOER. Numbers mark the events in the table below.",
               source=present.source_line(list(after.columns)), data=after)
# 0 on a business day without an operation (a t0 before the first operation); missing only past the data
record("repo_take_up_on_t0", after["repo_take_up"].get(pd.Timestamp(t0)), label="Repo take-up on t0", unit="USD bn",
       show=False)

# %% [markdown]
# ## Values on the key days

# %%
key_days = views.values_on(["sofr", "ioer", "effr", "fed_target_upper", "sofr_iorb_bp", "effr_iorb_bp", "repo_take_up"],
                           ["2019-09-13", "2019-09-16", "2019-09-17", "2019-09-18", "2019-09-20"],
                           zero_when_absent=["repo_take_up"])
present.values_table(key_days, caption="Each series on the days around the spike (the last observation on or before "
                                        "each day; repo take-up is 0 on days without an operation)")

# %% [markdown]
# ## Events on this page
#
# Numbered by date; the numbers are those on the charts, which label at most five each.

# %%
present.table(events.table_frame(), index_label="#")

# %% [markdown]
# ## The articles' claims about this episode

# %%
views.styled(claims) if len(claims) else present.note("No article claim is dated in this window.")
