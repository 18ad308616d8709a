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
# # Reserves and the "$3 trillion red line"
#
# Article 004 calls $3tn of bank reserves a red line. The New York Fed's research finds the
# reserve demand curve steepens below roughly 12-13% of bank assets. This report estimates
# where reserves stop being abundant: a hinge (piecewise-linear) regression of a money-market
# spread on a reserve ratio, with a block-bootstrap confidence interval for the kink, and a
# rolling slope as a time-varying sensitivity. The specification is fixed in the parameters cell.

# %% tags=["parameters"]
spread = "sofr_iorb_bp"
ratio = "gdp"
start = "2009-01-01"
bootstrap_reps = 499
rolling_window = 104

# %%
import pandas as pd
from IPython.display import Markdown, display

from plumbing import plots, views
from plumbing.models._base import with_normal_band
from plumbing.models.reserve_demand import run_reserve_demand
from plumbing.reports import record

plots.use_house_style()
result = run_reserve_demand(spread=spread, ratio=ratio, start=start, bootstrap_reps=bootstrap_reps,
                            rolling_window=rolling_window)
views.show_model_header(result)
x_units = {"gdp": "% of GDP", "bank_assets": "% of bank assets", "usd_bn": "USD bn"}[ratio]
x_name = {"gdp": "reserves/GDP", "bank_assets": "reserves/bank assets", "usd_bn": "reserves"}[ratio]
per_x = "USD bn of reserves" if ratio == "usd_bn" else f"percentage point of {x_name}"

# %% [markdown]
# ## The hinge estimate
#
# The kink's location has no standard error in the table: the fit is not a smooth function of
# the kink, so a delta-method standard error (and a t-statistic against zero) would mean
# nothing. Its uncertainty is the moving-block bootstrap interval (the main one) and the
# profile-likelihood interval (too narrow under autocorrelated errors). The search grid runs
# from the 5th to the 95th percentile of the ratio; when many bootstrap kinks pile up on an
# edge of the grid, the interval is cut off by the grid rather than by the data.

# %%
record("kink", result.kink, label="Estimated kink", unit=x_units)
record("kink_ci_low", result.kink_ci[0], label="Bootstrap 95% CI, low", unit=x_units)
record("kink_ci_high", result.kink_ci[1], label="Bootstrap 95% CI, high", unit=x_units)
record("kink_boot_share_at_low_edge", result.boot_share_at_edge[0] * 100,
       label="Bootstrap kinks on the grid's lowest admissible point", unit="% of replications")
record("kink_boot_share_at_high_edge", result.boot_share_at_edge[1] * 100,
       label="Bootstrap kinks on the grid's highest admissible point", unit="% of replications")
record("n_weeks", result.n, label="Weeks in the sample", unit="weeks")
bounds = {"lower": (result.kink_ci[0], result.boot_share_at_edge[0], "lower"),
          "upper": (result.kink_ci[1], result.boot_share_at_edge[1], "higher")}
cut = [side for side, flag in zip(("lower", "upper"), result.kink_ci_truncated) if flag]
display(Markdown(
    f"The search grid covers {result.kink_grid[0]:.2f} to {result.kink_grid[1]:.2f} ({x_units}). "
    + (" ".join(f"The interval's {side} bound ({bounds[side][0]:.2f}) is the grid's edge: {bounds[side][1]:.0%} of the "
                f"bootstrap kinks sit there, so the interval is truncated by the search grid and the data would put "
                f"that bound {bounds[side][2]} still." for side in cut)
       if cut else "The bootstrap interval lies inside the grid: it is not truncated.")))
result.table

# %%
x_unit = "usd_bn" if ratio == "usd_bn" else "percent"
bench = result.benchmarks
level = bench["usd_bn" if ratio == "usd_bn" else "ratio_pct"]
lines = {(f"{label} (indicative: stale bank assets/GDP)" if bench.loc[label, "indicative"] else label): value
         for label, value in level.items() if label.startswith(("article", "NY Fed", "latest"))}
fig = plots.scatter_fit(result.data, x="x", y="y", fitted="fitted", title=f"{spread} against {x_name}, weekly",
                        x_unit=x_unit, y_unit="bp", x_label=x_name, y_label=spread, vlines=lines,
                        shade=result.kink_ci, shade_label="kink, bootstrap 95% CI",
                        caption="Points: weekly observations; black line: the fitted hinge. Left of the kink the fitted "
                                "spread rises as reserves fall; right of it the fitted slope is close to flat. Dashed "
                                "lines: the article's $3tn and the latest reserves at today's GDP, and the NY Fed's 12-13% "
                                f"of bank assets, converted with {bench.attrs['nyfed_conversion']}.")
plots.shown([fig])

# %% [markdown]
# ## The estimate beside the benchmarks
#
# The kink converted to USD bn at the stated denominator, beside the article's $3tn and the NY
# Fed's 12-13% of bank assets. The NY Fed's finding is in percent of *bank assets*; to put it in
# GDP terms (and USD) the NY Fed rows use bank assets / GDP of the latest week with H.8 bank
# assets (the note column states the week and the ratio). Were that week more than half a year
# older than the latest reserves, the rows would be flagged `indicative`.

# %%
bench.rename(index=lambda label: f"{label} (INDICATIVE: stale bank assets/GDP)" if bench.loc[label, "indicative"]
             else label)

# %% [markdown]
# ## A time-varying sensitivity
#
# The slope of the spread on the reserve ratio over a trailing window of `rolling_window`
# weeks (HAC standard errors): bp of spread per percentage point of the ratio; more negative =
# the spread reacts more to reserves.

# %%
rolling = with_normal_band(result.rolling).reset_index()
fig = plots.band_chart(rolling, x="date", y="slope", low="low", high="high",
                       title=f"Rolling {rolling_window}-week slope of {spread} on {x_name}",
                       x_label="", unit=f"bp per {per_x}",
                       caption=f"Line: OLS slope over the trailing {rolling_window} weeks, bp of spread per {per_x}; "
                               "band: +/- 1.96 HAC standard errors. A slope near zero means the spread did not move "
                               "with reserves over that window; a more negative slope, that it reacted more.")
plots.shown([fig])
record("latest_rolling_slope", rolling["slope"].iloc[-1], label=f"Latest rolling slope ({rolling['date'].iloc[-1].date()})",
       unit=f"bp per {per_x}")
