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
# a rolling elasticity, Granger causality in both directions with the lag chosen by an
# information criterion, a VAR with impulse responses; and it evaluates the popular "fair value"
# rule (S&P 500 = net liquidity in bn / 1.1 - 1625) out of sample, after it began circulating.

# %% tags=["parameters"]
assets = ["spx", "nasdaq"]
maxlags = 8
ic = "aic"
beta_window = 52
granger_cov = "HC1"
granger_exclude = ["2020-02-01", "2020-07-31"]
fair_value_start = "2022-11-01"
band_pct = 10.0

# %%
import pandas as pd
from IPython.display import Markdown, display

from plumbing import plots, views
from plumbing.models._base import with_normal_band
from plumbing.models.net_liquidity_equities import run_net_liquidity_equities
from plumbing.reports import record

plots.use_house_style()
result = run_net_liquidity_equities(assets=tuple(assets), maxlags=maxlags, ic=ic, beta_window=beta_window,
                                    granger_cov=granger_cov, granger_exclude=tuple(granger_exclude),
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
# ## In changes: a rolling elasticity

# %%
beta = with_normal_band(result.rolling_beta["spx"]).reset_index()
fig = plots.band_chart(beta, x="date", y="slope", low="low", high="high",
                       title=f"Rolling {beta_window}-week elasticity of S&P 500 returns to net liquidity changes",
                       x_label="", unit="% S&P 500 return per 1% change in net liquidity",
                       caption=f"Line: OLS slope over the trailing {beta_window} weeks of the weekly S&P 500 log return "
                               "(%) on the weekly log change of net liquidity (%), i.e. an elasticity; band: +/- 1.96 HAC "
                               "standard errors. Where the band covers zero, that window shows no detectable same-week link.")
plots.shown([fig])

# %% [markdown]
# ## Granger causality, both ways
#
# Does one series' past help predict the other beyond its own past? The main test is a
# heteroskedasticity-robust Wald test (`granger_cov`, HC1 by default) that the other
# variable's lags are jointly zero in the VAR equation: weekly returns and liquidity changes
# have fat-tailed, clustered volatility, under which the classical F test (shown for
# comparison) rejects too often. Both series made their largest moves in February-July 2020,
# so the robust test is repeated without those weeks (`granger_exclude`; the weeks are removed
# as observations and as lags). The VAR lag is chosen once by the information criterion and
# kept for all three tests.

# %%
to_spx = result.table.loc["spx"]
record("granger_p_liquidity_to_spx", to_spx["granger_p_liquidity_to_asset"],
       label=f"Granger p, liquidity -> S&P (robust {granger_cov} Wald)")
record("granger_p_liquidity_to_spx_excl", to_spx["granger_p_liquidity_to_asset_excl"],
       label=f"Granger p, liquidity -> S&P (robust, without {granger_exclude[0]}..{granger_exclude[1]})")
record("granger_f_p_liquidity_to_spx", to_spx["granger_f_p_liquidity_to_asset"],
       label="Granger p, liquidity -> S&P (classical F, homoskedastic; for comparison)")
record("granger_p_spx_to_liquidity", to_spx["granger_p_asset_to_liquidity"],
       label=f"Granger p, S&P -> liquidity (robust {granger_cov} Wald)")
record("granger_p_spx_to_liquidity_excl", to_spx["granger_p_asset_to_liquidity_excl"],
       label=f"Granger p, S&P -> liquidity (robust, without {granger_exclude[0]}..{granger_exclude[1]})")
granger = result.granger.rename(columns={
    "p_value_robust": f"p, robust {granger_cov} (full sample)",
    "p_value_robust_excl": f"p, robust {granger_cov} (without {granger_exclude[0]}..{granger_exclude[1]})",
    "n_excl": "n (without)", "p_value": "p, classical F (homoskedastic)"})
granger.set_index(["asset", "direction"])[["lag", f"p, robust {granger_cov} (full sample)", "n",
                                           f"p, robust {granger_cov} (without {granger_exclude[0]}..{granger_exclude[1]})",
                                           "n (without)", "p, classical F (homoskedastic)", "lags_by_ic"]]

# %% [markdown]
# ## Impulse responses (VAR, liquidity ordered first)
#
# The shock is a one-standard-deviation orthogonalised (Cholesky) innovation to the weekly
# net-liquidity change, with net liquidity ordered first: it may move the S&P 500 in the same
# week, while the S&P 500's own innovation cannot move liquidity in that week. The response is
# the weekly S&P 500 log return (%) h weeks later, not a cumulative one.

# %%
irf = result.irf[(result.irf["impulse"] == "d_net_liquidity") & (result.irf["response"] == "spx") & (result.irf["asset"] == "spx")]
shock = float(irf["shock_size"].iloc[0])
outside = [int(h) for h, lo, hi in zip(irf["horizon"], irf["lower"], irf["upper"]) if lo > 0 or hi < 0]
fig = plots.band_chart(irf, x="horizon", y="irf", low="lower", high="upper",
                       title=f"Weekly S&P 500 return after a one-s.d. ({shock:.2f}%) net liquidity shock",
                       x_label="weeks after the shock", unit="% S&P 500 weekly log return",
                       caption=f"Line: response of the weekly S&P 500 log return h weeks after a one-standard-deviation "
                               f"orthogonalised shock to the weekly net-liquidity change ({shock:.2f}%; Cholesky, liquidity "
                               f"ordered first, VAR({int(result.table.loc['spx', 'var_lag'])})). Band: a pointwise 95% "
                               "interval (+/- 1.96 asymptotic s.e.) at each horizon separately, not a joint band. "
                               + (f"It excludes zero at horizon(s) {', '.join(map(str, outside))} of {int(irf['horizon'].max()) + 1}; "
                                  "with this many horizons one or two such crossings can occur by chance."
                                  if outside else "It includes zero at every horizon."))
plots.shown([fig])

# %% [markdown]
# ## The "fair value" rule out of sample
#
# Descriptive numbers only, without standard errors or t-statistics: the hit rate is a share
# of weeks to read, not a quantity to test against zero; and the out-of-sample error is close
# to a random walk (its weekly AR(1) coefficient, `error_ar1`, is near one), so HAC t-statistics
# on its mean or its drift would overstate the evidence (the spurious-trend problem).

# %%
fv = result.fair_value
record("fair_value_oos_mean_error_pct", fv.table.loc[("out_of_sample", "mean_error_pct"), "estimate"],
       label="Out-of-sample mean error", unit="%")
record("fair_value_oos_hit_rate", fv.table.loc[("out_of_sample", f"hit_rate_band_{band_pct:g}pct"), "estimate"],
       label=f"Share of out-of-sample weeks inside the ±{band_pct:g}% band", unit="(0-1)")
record("fair_value_oos_error_ar1", fv.table.loc[("out_of_sample", "error_ar1"), "estimate"],
       label="AR(1) coefficient of the weekly out-of-sample error")
path = result.fair_value_path
fig = plots.line_chart(path[["spx", "fair_value"]], title="S&P 500 against the net-liquidity 'fair value'", unit="index",
                       events=pd.DataFrame({"date": [pd.Timestamp(fair_value_start)],
                                             "label": ["rule starts circulating"]}),
                       caption="Left of the line is the period the rule was fitted to; right of it, out of sample.")
plots.shown([fig])
fv.table
