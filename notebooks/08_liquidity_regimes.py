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
# # Liquidity regimes: Fed liquidity x the dollar
#
# Article 004 sorts markets into four regimes: Fed liquidity easing or tight, the dollar
# weakening or strengthening, and says which assets lead in each. This report classifies every
# month (thresholds in the parameters cell), measures returns of the S&P 500, small caps,
# the Nasdaq, gold, bitcoin, the Nikkei and the dollar by quadrant with HAC standard errors,
# and shows which quadrant each month of 2025-2026 was in.

# %% tags=["parameters"]
liquidity = "fed_assets"
months = 3
liquidity_threshold_bn = 0.0
dollar_threshold_pct = 0.0
lag = 0
path_start = "2025-01-01"

# %%
from plumbing import plots, views
from plumbing.models.regimes import run_regimes
from plumbing.reports import record

plots.use_house_style()
result = run_regimes(liquidity=liquidity, months=months, liquidity_threshold_bn=liquidity_threshold_bn,
                     dollar_threshold_pct=dollar_threshold_pct, lag=lag, path_start=path_start)
views.show_model_header(result)
result.counts

# %% [markdown]
# ## Mean monthly returns by quadrant (percent, Newey-West standard errors)
#
# With `lag = 0` the quadrant and the return are for the same month: this measures how assets
# moved *together* with the regime, not whether the regime predicts returns (set `lag = 1`).

# %%
means = result.table["mean"].unstack("regime")
record("spx_mean_easing_weak", result.table.loc[("spx", "easing + weak dollar"), "mean"],
       label="S&P 500 mean monthly return, easing + weak dollar", unit="%")
spx = result.table.loc["spx"]
fig = plots.bar_chart(spx["mean"], errors=1.96 * spx["se_hac"], unit="pct_change",
                      title=f"S&P 500 mean monthly return by regime (lag {lag}), with 95% intervals",
                      caption="Bars: mean monthly return in each quadrant; whiskers: +/- 1.96 HAC standard errors. "
                              "Article 004 expects the highest returns under easing + weak dollar and the lowest under "
                              "tight + strong dollar; compare the bars and their intervals.")
plots.shown([fig])
result.table

# %% [markdown]
# ## Do the quadrants differ? (Wald test that the four means are equal, per asset)

# %%
result.equality

# %% [markdown]
# ## Which quadrant was each month of 2025-2026 in?

# %%
record("months_classified_since_path_start", int(result.path["regime"].notna().sum()), label="Months classified")
result.path
