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
# # Net liquidity and equities
#
# "Net liquidity drives stocks" is the most shared chart in macro. This report shows why a
# regression in levels misleads (unit roots, no cointegration), then works in weekly changes:
# a rolling beta, Granger causality in both directions with the lag chosen by an information
# criterion, a VAR with impulse responses; and it evaluates the popular "fair value" rule
# (S&P 500 = net liquidity in bn / 1.1 - 1625) out of sample, after it began circulating.

# %% tags=["parameters"]
assets = ["spx", "nasdaq"]
maxlags = 8
ic = "aic"
beta_window = 52
fair_value_start = "2022-11-01"
band_pct = 10.0

# %%
import pandas as pd

from plumbing import plots, views
from plumbing.models._base import with_normal_band
from plumbing.models.net_liquidity_equities import run_net_liquidity_equities
from plumbing.reports import record

plots.use_house_style()
result = run_net_liquidity_equities(assets=tuple(assets), maxlags=maxlags, ic=ic, beta_window=beta_window,
                                    fair_value_start=fair_value_start, band_pct=band_pct)
views.show_model_header(result)
result.table

# %% [markdown]
# ## Why levels mislead
#
# Both series trend; a levels regression shows a huge t-statistic and a Durbin-Watson near
# zero (residuals that wander), the signature of a spurious regression. Unit-root tests on
# levels and on changes, and Engle-Granger cointegration p-values, are below.

# %%
record("coint_p_spx", result.table.loc["spx", "coint_p_levels"], label="Engle-Granger p (S&P 500, levels)")
result.unit_roots.table

# %%
fig = plots.dual_axis_chart(result.panel["net_liquidity_bn"], result.panel["spx"], title="Net liquidity and the S&P 500, weekly",
                            left_unit="usd_bn", right_unit="index", left_label="net liquidity", right_label="S&P 500",
                            caption="Two trending lines look related; the tests above say the relation in levels is not "
                                    "a stable one (no cointegration).")
plots.shown([fig])

# %% [markdown]
# ## In changes: rolling beta and Granger causality
#
# Granger p-values three ways: the classical F test (`p_value`, homoskedastic errors), a
# heteroskedasticity-robust Wald test (`p_value_hc1`, the one to read), and the robust test
# without February-July 2020, the pandemic weeks that dominate both series (`p_value_hc1_excl`).

# %%
beta = with_normal_band(result.rolling_beta["spx"]).reset_index()
fig = plots.band_chart(beta, x="date", y="slope", low="low", high="high",
                       title=f"Rolling {beta_window}-week beta of S&P 500 returns on net liquidity changes",
                       x_label="", unit="elasticity: % S&P return per 1% net liquidity change",
                       caption="An elasticity: the weekly S&P 500 log return (%) per 1% change in net liquidity, over a "
                               "trailing window; a band around zero means no stable link in changes.")
plots.shown([fig])
record("granger_p_liquidity_to_spx", result.table.loc["spx", "granger_p_liquidity_to_asset"],
       label="Granger p (robust HC1), liquidity -> S&P")
record("granger_p_spx_to_liquidity", result.table.loc["spx", "granger_p_asset_to_liquidity"],
       label="Granger p (robust HC1), S&P -> liquidity")
record("granger_p_liquidity_to_spx_excl_2020", result.table.loc["spx", "granger_p_liquidity_to_asset_excl_2020"],
       label="Granger p (robust), liquidity -> S&P, without Feb-Jul 2020")
result.granger[["asset", "direction", "lag", "p_value", "p_value_hc1", "p_value_hc1_excl", "n", "lags_by_ic"]]

# %% [markdown]
# ## Impulse responses (VAR, liquidity ordered first)

# %%
irf = result.irf[(result.irf["impulse"] == "d_net_liquidity") & (result.irf["response"] == "spx") & (result.irf["asset"] == "spx")]
outside = [int(h) for h, lo, hi in zip(irf["horizon"], irf["lower"], irf["upper"]) if lo > 0 or hi < 0]
fig = plots.band_chart(irf, x="horizon", y="irf", low="lower", high="upper",
                       title="Response of weekly S&P 500 returns to a one-s.d. net liquidity shock", x_label="weeks after the shock",
                       unit="% S&P 500 weekly return",
                       caption="Orthogonalised impulse response, net liquidity ordered first, 95% band. "
                               + (f"The band excludes zero at horizon(s) {', '.join(map(str, outside))} only."
                                  if outside else "The band includes zero at every horizon."))
plots.shown([fig])

# %% [markdown]
# ## The "fair value" rule out of sample

# %%
fv = result.fair_value
record("fair_value_oos_mean_error_pct", fv.table.loc[("out_of_sample", "mean_error_pct"), "estimate"],
       label="Out-of-sample mean error", unit="%")
record("fair_value_oos_hit_rate", fv.table.loc[("out_of_sample", f"hit_rate_band_{band_pct:g}pct"), "estimate"],
       label=f"Share of weeks inside the ±{band_pct:g}% band")
path = result.fair_value_path
fig = plots.line_chart(path[["spx", "fair_value"]], title="S&P 500 against the net-liquidity 'fair value'", unit="index",
                       events=pd.DataFrame({"date": [pd.Timestamp(fair_value_start)],
                                             "label": ["rule starts circulating"]}),
                       caption="Left of the line is the period the rule was fitted to; right of it, out of sample.")
plots.shown([fig])
fv.table
