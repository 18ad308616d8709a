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
# ON RRP and the Fed's repo facility. Every number is computed from the data listed in the
# header. By default (`as_of = "latest"`) the monitor stands on the latest date that every
# series on the watch list covers; pass any date to see another day.

# %% tags=["parameters"]
as_of = "latest"
lookback_years = 2
percentile_years = 5
stress_window = 252

# %%
import pandas as pd

from plumbing import plots, views
from plumbing.episodes import load_events
from plumbing.freshness import resolve_as_of
from plumbing.quantities import liquidity_stress, quantity_frame
from plumbing.reports import record

plots.use_house_style()
WATCH = ["net_liquidity", "sofr", "sofr_iorb_bp", "move", "usdjpy", "us2y_jp2y_bp", "hy_oas",
         "reserves", "tga_daily", "on_rrp", "repo_take_up"]
requested_as_of = as_of
as_of = resolve_as_of(as_of, WATCH)
record("as_of", str(as_of.date()), label="Monitor date" + (" (latest date the whole watch list covers)"
                                                           if requested_as_of == "latest" else ""))
start = as_of - pd.DateOffset(years=lookback_years)
events = load_events(start, as_of)
events = events[events["kind"] != "cme_margin"]

# %% [markdown]
# ## The watch list on the day
#
# Latest value on or before `as_of`, its change over one week, one month and three months, and
# where it stands among the last five years of observations (100 = the highest in five years).

# %%
table = views.monitor_table(WATCH, as_of, percentile_years=percentile_years)
record("net_liquidity_latest", table.loc["net_liquidity", "value"], label="Net liquidity", unit="USD bn")
record("sofr_iorb_latest", table.loc["sofr_iorb_bp", "value"], label="SOFR - IORB", unit="bp")
table.style.format(precision=2, na_rep="missing")

# %% [markdown]
# ## Small multiples over the last two years
#
# Dashed lines mark FOMC decisions and policy events (QT, reserve management purchases,
# shutdown, refunding) from `data/events/`.

# %%
frame = quantity_frame(WATCH, start, as_of)
fig = plots.small_multiples(frame, units=frame.attrs["units"], titles={n: views.title_of(n) for n in WATCH},
                            title=f"Watch list, {start.date()} to {as_of.date()}", events=events,
                            caption="Net liquidity and reserves are the water level; SOFR - IORB and repo take-up show the "
                                    "price and the backstop; MOVE, the US-Japan spread and HY OAS show whether stress spreads.")
plots.shown([fig])

# %% [markdown]
# ## Stress composite
#
# Each component is a trailing z-score over `stress_window` business days, signed so that
# positive means stress: a falling net liquidity (21-day change), a wider SOFR - IORB, a higher
# MOVE, a narrowing US-Japan 2-year spread (21-day change) and wider high-yield spreads. The
# composite is their mean; the components are shown with it.

# %%
stress = liquidity_stress(start, as_of, window=stress_window)
components = [c for c in stress.columns if c not in ("composite", "n_components")]
fig = plots.line_chart(stress[components + ["composite"]], title="Liquidity stress composite and its components",
                       unit="z", events=events, hline=0,
                       caption="Above zero = more stress than the trailing year's average. The composite averages the "
                               "components available on each day (n_components in the table below).")
plots.shown([fig])
latest = stress.dropna(subset=["composite"]).iloc[-1]
record("stress_composite_latest", latest["composite"], label=f"Stress composite on {latest.name.date()}", unit="z")
recent = stress.dropna(subset=["composite"]).tail(10)
recent.set_axis(recent.index.date, axis=0).style.format(precision=2)

# %% [markdown]
# ## What the articles claim about the last three months
#
# Claims dated entirely inside the three months up to `as_of`; each verdict uses the data
# available today (listed in the header), which may run past `as_of`.

# %%
claims = views.claims_table(start=pd.Timestamp(as_of) - pd.DateOffset(months=3), end=as_of, within=True)
views.styled(claims) if len(claims) else "No article claim is dated in this window."
