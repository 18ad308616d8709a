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
# balance sheet too far. This report shows each step in data.

# %% tags=["parameters"]
start = "2019-07-01"
end = "2019-12-31"
t0 = "2019-09-17"
qt_view_start = "2017-06-01"

# %%
import pandas as pd

from plumbing import load, plots, views
from plumbing.episodes import load_events
from plumbing.quantities import quantity, quantity_frame
from plumbing.reports import record

plots.use_house_style()
events = load_events(start, end)
events = events[events["kind"] != "cme_margin"]

# %% [markdown]
# ## Reserves under QT
#
# Weekly reserves and Fed total assets from before QT began to the end of the window.

# %%
long_view = load(["reserves", "fed_assets"], qt_view_start, end, freq="W")
qt_events = load_events(qt_view_start, end)
qt_events = qt_events[qt_events["kind"].isin(["qt_start", "qt_taper", "qt_end", "repo_operations", "bill_purchases"])]
fig = plots.line_chart(long_view, title="Reserves and Fed total assets (weekly)", unit="usd_bn", events=qt_events,
                       labels={"reserves": "reserves (week avg)", "fed_assets": "Fed total assets"},
                       caption="QT shrank the balance sheet from late 2017 to mid 2019; reserves fell further than assets "
                               "because the TGA and other liabilities grew.")
plots.shown([fig])
record("reserves_low_2019_bn", long_view["reserves"].loc["2019-01-01":t0].min(), label="Lowest weekly reserves in 2019 before t0", unit="USD bn")

# %% [markdown]
# ## The TGA jump around 2019-09-16
#
# The daily TGA is only published in this form from 2022, so the weekly average (WTREGEN)
# and the Wednesday level (WDTGAL) are shown.

# %%
tga = load(["tga_weekly", "tga_wednesday"], start, end)
fig = plots.line_chart(tga, title="Treasury General Account, weekly", unit="usd_bn", events=events,
                       labels={"tga_weekly": "week average", "tga_wednesday": "Wednesday level"},
                       caption="A jump in the week of 2019-09-18 is the tax date and coupon settlement moving cash out of banks.")
plots.shown([fig])
tga_change = views.changes_between(["tga_wednesday"], "2019-09-11", "2019-09-18")
record("tga_change_week_of_spike_bn", tga_change.loc["tga_wednesday", "change"], label="TGA change, Wednesday 09-11 to 09-18", unit="USD bn")

# %% [markdown]
# ## SOFR and its percentiles against IOER and the target range

# %%
rates = load(["sofr", "sofr_p1", "sofr_p99", "ioer", "effr", "fed_target_upper", "fed_target_lower"], "2019-08-15", "2019-10-31")
fig = plots.line_chart(rates, title="Overnight rates, Aug-Oct 2019", unit="percent", events=events,
                       labels={"sofr": "SOFR", "sofr_p1": "SOFR 1st pct", "sofr_p99": "SOFR 99th pct",
                               "ioer": "IOER", "effr": "EFFR", "fed_target_upper": "target range top",
                               "fed_target_lower": "target range bottom"},
                       caption="On 2019-09-17 SOFR and its 99th percentile jump far above IOER (the rate the Fed paid on "
                               "reserves) and above the top of the fed funds target range (the two range lines).")
plots.shown([fig])
sofr = quantity("sofr", start, end)
record("sofr_peak", sofr.max(), label="SOFR peak", unit="percent")
record("sofr_peak_date", str(sofr.idxmax().date()), label="SOFR peak date")
spread = quantity("sofr_iorb_bp", start, end)
record("sofr_ioer_peak_bp", spread.max(), label="SOFR - IOER peak", unit="bp")

# %% [markdown]
# ## EFFR above the target range

# %%
effr_gap = quantity("effr_target_upper_bp", "2019-08-15", "2019-10-31")
fig = plots.line_chart(effr_gap, title="EFFR minus the top of the target range", unit="bp", events=events, hline=0,
                       hline_label="top of the range", caption="Above zero = the effective fed funds rate printed above the range.")
plots.shown([fig])
record("effr_above_range_max_bp", effr_gap.max(), label="EFFR above the range, max", unit="bp")

# %% [markdown]
# ## The Fed's repo operations and what followed

# %%
after = quantity_frame(["repo_take_up", "reserves", "fed_assets", "sofr_iorb_bp"], start, end)
fig = plots.small_multiples(after, units=after.attrs["units"], titles={n: views.title_of(n) for n in after.columns},
                            title="Repo operations, reserves, Fed assets and SOFR - IOER", events=events, ncols=2,
                            caption="Repo operations from 09-17 and bill purchases from mid-October rebuilt reserves and "
                                    "pulled SOFR back toward IOER.")
plots.shown([fig])
record("repo_take_up_on_t0", quantity("repo_take_up", t0, t0).iloc[0], label="Repo take-up on t0", unit="USD bn")

# %% [markdown]
# ## Values on the key days

# %%
views.values_on(["sofr", "ioer", "effr", "fed_target_upper", "sofr_iorb_bp", "effr_iorb_bp", "repo_take_up"],
                ["2019-09-13", "2019-09-16", "2019-09-17", "2019-09-18", "2019-09-20"]).pivot(
    index="quantity", columns="date", values="value").style.format(precision=2, na_rep="missing")

# %% [markdown]
# ## The articles' claims about this episode

# %%
claims = views.claims_table(start=start, end=end)
views.styled(claims) if len(claims) else "No article claim is dated in this window."
