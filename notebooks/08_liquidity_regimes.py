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
# ## Mean monthly returns by quadrant: with `lag = 0`, same-month co-movement, not prediction
#
# With `lag = 0` (the default) a month's return is paired with the quadrant measured over the
# three months *ending in that month*: the table says how assets moved together with the
# regime, not whether the regime, once known, predicts the next month's return. `lag = 1` pairs
# each return with the quadrant known at the end of the previous month. Means are in percent
# per month with Newey-West (HAC) standard errors; the whiskers are +/- 1.96 HAC s.e.

# %%
from IPython.display import Markdown, display

timing = ("same month as the quadrant (lag 0): co-movement, not prediction" if lag == 0
          else f"quadrant known {lag} month(s) before the return (lag {lag})")
display(Markdown(f"**Pairing used here:** {timing}."))
record("spx_mean_easing_weak", result.table.loc[("spx", "easing + weak dollar"), "mean"],
       label="S&P 500 mean monthly return, easing + weak dollar", unit="%")
spx = result.table.loc["spx"]
wald = result.equality.loc["spx"] if "spx" in result.equality.index else None
highest, lowest = spx["mean"].idxmax(), spx["mean"].idxmin()
caption = (f"Bars: mean monthly S&P 500 return (%) in the months of each quadrant ({timing}); whiskers: +/- 1.96 HAC "
           f"standard errors; months per quadrant: {', '.join(f'{g} {int(n)}' for g, n in spx['n'].items())}. "
           f"Highest mean: {highest} ({spx.loc[highest, 'mean']:.2f}%); lowest: {lowest} ({spx.loc[lowest, 'mean']:.2f}%). "
           + (f"Wald test that the four means are equal: p = {wald['p_value']:.2f}. " if wald is not None else "")
           + "Article 004 expects the highest returns under easing + weak dollar and the lowest under tight + strong dollar.")
fig = plots.bar_chart(spx["mean"], errors=1.96 * spx["se_hac"], unit="percent per month",
                      title=f"S&P 500 mean monthly return by quadrant (lag {lag}), +/- 1.96 HAC s.e.", caption=caption)
plots.shown([fig])
spx[["n", "mean", "se_hac", "t_hac", "p_value"]].assign(low_95=spx["mean"] - 1.96 * spx["se_hac"],
                                                       high_95=spx["mean"] + 1.96 * spx["se_hac"])

# %% [markdown]
# ### All assets by quadrant (percent per month, HAC standard errors)

# %%
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
