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
# spread on a reserve ratio, with a block-bootstrap confidence interval, and a rolling slope as
# a time-varying elasticity. The specification is fixed in the parameters cell.

# %% tags=["parameters"]
spread = "sofr_iorb_bp"
ratio = "gdp"
start = "2009-01-01"
bootstrap_reps = 499
rolling_window = 104

# %%
import pandas as pd

from plumbing import plots, views
from plumbing.models._base import with_normal_band
from plumbing.models.reserve_demand import run_reserve_demand
from plumbing.reports import record

plots.use_house_style()
result = run_reserve_demand(spread=spread, ratio=ratio, start=start, bootstrap_reps=bootstrap_reps,
                            rolling_window=rolling_window)
views.show_model_header(result)

# %% [markdown]
# ## The hinge estimate

# %%
x_units = {"gdp": "% of GDP", "bank_assets": "% of bank assets", "usd_bn": "USD bn"}[ratio]
record("kink", result.kink, label="Estimated kink", unit=x_units)
record("kink_ci_low", result.kink_ci[0], label="Bootstrap 95% CI, low", unit=x_units)
record("kink_ci_high", result.kink_ci[1], label="Bootstrap 95% CI, high", unit=x_units)
record("n_weeks", result.n, label="Weeks in the sample")
result.table

# %%
x_unit = "usd_bn" if ratio == "usd_bn" else "percent"
bench = result.benchmarks
lines = {label: value for label, value in bench["ratio_pct" if ratio != "usd_bn" else "usd_bn"].items()
         if label.startswith(("article", "NY Fed", "latest"))} if "ratio_pct" in bench else {}
fig = plots.scatter_fit(result.data, x="x", y="y", fitted="fitted", title=f"{spread} against reserves ({ratio})",
                        x_unit=x_unit, y_unit="bp", x_label=f"reserves / {ratio}" if ratio != "usd_bn" else "reserves",
                        y_label=spread, vlines=lines, shade=result.kink_ci, shade_label="kink, bootstrap 95% CI",
                        caption="Left of the kink the spread rises as reserves fall (scarce); right of it the line is flat "
                                "(abundant). Dashed lines: the article's $3tn, the NY Fed's 12-13% of bank assets, and the latest reserves.")
plots.shown([fig])

# %% [markdown]
# ## The estimate beside the benchmarks
#
# The kink converted to USD bn at the stated denominator, beside the article's $3tn and the NY
# Fed's 12-13% of bank assets. The NY Fed rows are converted to GDP terms with the bank assets
# / GDP ratio of late 2021 (the last H.8 data in the snapshot); banks have shrunk relative to
# GDP since, so those rows are indicative only and overstate today's USD level.

# %%
bench

# %% [markdown]
# ## A time-varying elasticity
#
# The slope of the spread on the reserve ratio over a trailing window of `rolling_window`
# weeks (HAC standard errors): more negative = the spread reacts more to reserves.

# %%
rolling = with_normal_band(result.rolling).reset_index()
fig = plots.band_chart(rolling, x="date", y="slope", low="low", high="high", title="Rolling slope of the spread on reserves",
                       x_label="", unit=f"bp per {'USD bn' if ratio == 'usd_bn' else 'percentage point'} of reserves",
                       caption=f"bp of spread per {'USD bn of reserves' if ratio == 'usd_bn' else 'percentage point of reserves / ' + ratio}"
                               "; a slope near zero means reserves were abundant, a steeper negative slope that the "
                               "spread reacts more to reserves.")
plots.shown([fig])
record("latest_rolling_slope", rolling["slope"].iloc[-1], label="Latest rolling slope",
       unit=f"bp per {'USD bn' if ratio == 'usd_bn' else 'percentage point'}")
