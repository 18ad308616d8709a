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
# "Net liquidity drives stocks" is the most shared chart in macro. The claim is about a
# *response*: after net liquidity rises, do stocks go up, and by how much? This report measures
# it with cumulative local projections (Jorda 2005) of weekly index returns on the weekly change
# in net liquidity (Fed assets - TGA - ON RRP), with returns measured from the first close after
# the Fed publishes the data (H.4.1, Thursday 4:30pm ET for Wednesday's balance sheet, so the
# first close is Friday's). Intervals are EWC (Lazarus, Lewis, Stock and Watson 2018), which stay
# honest with overlapping multi-week returns; p-values are Holm-adjusted across the indexes and
# both directions (liquidity -> stocks and stocks -> liquidity). Then: whether the response is
# stable over time (Andrews QLR), the popular "fair value" rule (S&P 500 = net liquidity / 1.1 -
# 1625) as a log gap that might predict returns, and why regressions in levels mislead.

# %% tags=["parameters"]
assets = ["spx", "nasdaq"]
horizon = 4
max_horizon = 12
lp_lags = 4
robustness = ["wednesday_timing", "usd_bn", "no_augmentation", "lags_1", "lags_8", "horizon_1", "horizon_12",
              "without_2020", "from_2018", "fixed_b"]
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

from plumbing import plots, present, views
from plumbing.models._base import beside, menu_table
from plumbing.models.net_liquidity_equities import LP_ROBUSTNESS_MENU, lp_what_survives, run_net_liquidity_equities
from plumbing.reports import record

plots.use_house_style()
result = run_net_liquidity_equities(assets=tuple(assets), horizon=horizon, max_horizon=max_horizon, lp_lags=lp_lags,
                                    robustness=robustness, maxlags=maxlags, ic=ic, beta_window=beta_window,
                                    granger_cov=granger_cov, granger_exclude=tuple(granger_exclude),
                                    fair_value_start=fair_value_start, band_pct=band_pct)
headline = result.table
lead = assets[0]
main = headline.loc[(lead, f"liquidity -> {lead}")]
names = {"spx": "S&P 500", "nasdaq": "Nasdaq Composite"}
sd = float(result.weekly["d_nl_pct"].std())
PCT = {"estimate": "percent", "ci_low": "percent", "ci_high": "percent"}  # responses in % (per 1% or USD 100bn)

# %% [markdown]
# ## The headline: what follows a rise in net liquidity

# %%
record(f"lp_{lead}_h{horizon}", main["estimate"], label=f"{names[lead]} cumulative response at {horizon} weeks",
       unit="% per 1% weekly net liquidity change")
record(f"lp_{lead}_h{horizon}_ci_low", main["ci_low"], label="EWC 95% CI, low", unit="%")
record(f"lp_{lead}_h{horizon}_ci_high", main["ci_high"], label="EWC 95% CI, high", unit="%")
record(f"lp_{lead}_h{horizon}_p_holm", main["p_holm"],
       label=f"Holm-adjusted p ({len(headline)} tests: {len(assets)} indexes x 2 directions)")
reverse = headline.loc[(lead, f"{lead} -> liquidity")]
qlr_lead = result.qlr.loc[lead]
drift = result.gap_oos.loc["random walk with drift"] if len(result.gap_oos) else None
present.findings([
    f"A 1% weekly rise in net liquidity is followed by a {main['estimate']:+.2f}% cumulative {names[lead]} return over "
    f"{horizon} weeks, from the first close after the H.4.1 release (95% EWC interval {main['ci_low']:+.2f}% to "
    f"{main['ci_high']:+.2f}%; Holm-adjusted p = {main['p_holm']:.3f}); weekly {main['first']} to {main['last']}.",
    f"Stocks do not predict liquidity: a 1% {names[lead]} week is followed by a {reverse['estimate']:+.2f}% change in net "
    f"liquidity over {horizon} weeks (Holm p = {reverse['p_holm']:.2f}).",
    lp_what_survives(result.robustness)[0],
    f"The one-week response shows no break (Andrews QLR p = {qlr_lead['p_value']:.2f}).",
    *([f"The fair-value rule's log gap adds nothing to a random walk with drift out of sample (Clark-West p = "
       f"{drift['p_value']:.2f} from {drift['first']})."] if drift is not None else []),
], headline=0)
display(Markdown(
    f"A 1% rise in net liquidity in a week (its weekly changes have a standard deviation of {sd:.2f}%) "
    f"is followed by a cumulative {names[lead]} return of **{main['estimate']:+.2f}%** over the next {horizon} weeks, "
    f"measured from the first close after the data were published (95% EWC interval {main['ci_low']:+.2f}% to "
    f"{main['ci_high']:+.2f}%; p = {main['p_value']:.3f}, Holm-adjusted across {len(headline)} tests "
    f"p = {main['p_holm']:.3f}). In the other direction, a 1% {names[lead]} return in a week is followed by a "
    f"{reverse['estimate']:+.2f}% cumulative change in net liquidity over {horizon} weeks (Holm p = "
    f"{reverse['p_holm']:.3f}). A predictive response is not proof of causation: both respond to Fed policy news."))
display(Markdown(beside(result.sample, result.spec.split(". Also:")[0], main["inference"]
                        + "; Holm and Benjamini-Hochberg adjustments across the rows of this table")))
present.table(headline[["horizon", "estimate", "ci_low", "ci_high", "p_value", "p_holm", "p_bh", "n", "first", "last"]]
              .reset_index(), index=False, units=PCT,
              labels={"estimate": "Cumulative response per 1% shock", "n": "Weeks"})

# %%
for asset in assets:
    part = result.lp[(result.lp["asset"] == asset) & (result.lp["direction"] == f"liquidity -> {asset}")]
    fig = plots.band_chart(part, x="horizon", y="estimate", low="ci_low", high="ci_high",
                           title=f"{names[asset]}: cumulative return after a 1% weekly rise in net liquidity",
                           x_label="weeks after the first close following the release", unit="% cumulative log return",
                           caption=f"Line: local-projection estimate of the cumulative {names[asset]} log return h weeks "
                                   "after the first close following the H.4.1 release, per 1% weekly net liquidity "
                                   f"change ({lp_lags} lags of both + 1); band: pointwise 95% EWC interval at each "
                                   "horizon, not a joint band.")
    present.figure(fig, alt=f"Line chart with a band: the cumulative {names[asset]} return 1 to {max_horizon} weeks after a "
                            f"1% weekly rise in net liquidity; {part['estimate'].iloc[horizon - 1]:+.2f}% at {horizon} weeks.",
                   source=present.source_line(["net_liquidity", asset]),
                   data=part.set_index("horizon")[["estimate", "ci_low", "ci_high"]])

# %% [markdown]
# ## Does it survive other specifications?
#
# Each row changes one choice (named in `robustness`, from the menu below) and keeps the rest of
# the headline; each row's interval uses its own method (EWC unless the row says otherwise).

# %%
robust = result.robustness
display(Markdown(beside("each row's own (the Sample column); weekly, Wednesdays",
                        f"the headline ({lp_lags} lags + 1, horizon {horizon} weeks, returns from the first close after "
                        "the release, liquidity in percent) with one choice changed per row",
                        "95% intervals by the row's method (the Intervals by column)",
                        findings=lp_what_survives(robust))))
record("robustness_rows", robust.index.get_level_values("specification").nunique() - 1,
       label="Alternative specifications")
present.table(robust[["horizon", "estimate", "ci_low", "ci_high", "p_value", "n", "sample", "shock_unit", "inference"]]
              .reset_index(), index=False, units=PCT, labels={"estimate": "Cumulative response", "n": "Weeks"})

# %%
present.table(menu_table(LP_ROBUSTNESS_MENU))

# %% [markdown]
# ## Is the response stable? (Andrews QLR)
#
# A break at an unknown date in the one-week response: the largest Wald statistic over every
# break date in the middle 70% of the sample, against Andrews' (1993) critical values (the
# usual chi-squared ones would be far too small, because the date is searched for).

# %%
qlr = result.qlr
record(f"qlr_p_{lead}", qlr.loc[lead, "p_value"], label=f"QLR p-value, {names[lead]}")
display(Markdown(" ".join(
    f"{names[a]}: sup-Wald {row['sup_wald']:.2f} at {row['break_date']} (Andrews 5% critical value {row['crit_5']:.2f}; "
    f"p = {row['p_value']:.2f}): " + ("a break." if row["p_value"] < 0.05 else "no evidence of a break.")
    for a, row in qlr.iterrows())))
display(Markdown(beside(f"weekly, n={int(qlr['n'].iloc[0])}", "the one-week local projection with "
                        "shock x 1(t >= break date) added, break dates in the middle 70%",
                        f"Newey-West ({int(qlr['hac_lags'].iloc[0])} lags) Wald statistics; sup over dates; Andrews (1993) "
                        "critical values, p-value from the simulated limit")))
present.table(qlr[["sup_wald", "break_date", "crit_5", "p_value", "n"]], labels={"n": "Weeks"})

# %% [markdown]
# ## The "fair value" rule
#
# The rule's percent error explodes as net liquidity nears USD 1,788bn, where "fair value" is
# zero; the log gap, 100 x log(S&P 500 / fair value), does not. Does the gap predict returns? A
# regression of the next weeks' return (from the first close after the release) on the gap, with
# a bootstrap that imposes "no predictability" and keeps the gap's own persistence (its weekly
# AR(1) is close to one, which biases the slope and makes HAC t-tests over-reject). Out of sample,
# from the date the rule circulated, Clark-West tests the gap's forecasts against a random walk
# and against a random walk with drift.

# %%
gap, oos = result.gap_test, result.gap_oos
record("gap_slope", gap["slope"], label=f"Gap -> {horizon}-week return slope", unit="% per point of log gap")
record("gap_p_one_sided", gap["p_one_sided"], label="Bootstrap p (a rich gap predicts lower returns)")
record("clark_west_p_rw", oos.loc["random walk", "p_value"], label="Clark-West p against a random walk")
record("clark_west_p_rw_drift", oos.loc["random walk with drift", "p_value"],
       label="Clark-West p against a random walk with drift")
display(Markdown(
    f"In sample ({gap['first']}..{gap['last']}, n={gap['n']}), a 10-point higher log gap goes with a "
    f"{10 * gap['slope']:+.2f}% return over the next {horizon} weeks; under no predictability the bootstrap slope "
    f"averages {10 * gap['slope_bias_under_h0']:+.2f}% (the persistence bias), and the one-sided bootstrap p-value is "
    f"{gap['p_one_sided']:.2f} (a naive HAC p would be {gap['p_naive_hac']:.2f}). Out of sample from "
    f"{oos['first'].iloc[0]}, the gap model's forecasts beat a zero-return random walk with Clark-West p = "
    f"{oos.loc['random walk', 'p_value']:.3f}, but against a random walk with drift p = "
    f"{oos.loc['random walk with drift', 'p_value']:.3f} (out-of-sample R2 "
    f"{oos.loc['random walk with drift', 'oos_r2_vs_benchmark']:+.1%}): "
    + ("what the gap adds beyond the average drift is nothing detectable."
       if oos.loc["random walk with drift", "p_value"] >= 0.05 else "the gap adds forecasting power beyond the drift.")))
display(Markdown(beside(f"weekly; in sample {gap['first']}..{gap['last']}; out of sample {oos['first'].iloc[0]}.."
                        f"{oos['last'].iloc[0]} (n={int(oos['n'].iloc[0])})",
                        f"R(t, t+{horizon}) = a + c x log gap(t); recursive re-estimation out of sample",
                        f"bootstrap under H0 ({gap['reps']} reps, AR(1) gap, blocks of {gap['block_length']} weeks); "
                        f"Clark-West t with Newey-West ({int(oos['hac_lags'].iloc[0])} lags), one-sided")))
present.table(oos[["mspe_small", "mspe_large", "oos_r2_vs_benchmark", "cw_t", "p_value", "n", "first", "last"]],
              labels={"p_value": "p-value (one-sided)", "n": "Weeks"})

# %%
fv = result.fair_value
record("fair_value_oos_mean_error_pct", fv.table.loc[("out_of_sample", "mean_error_pct"), "estimate"],
       label="Out-of-sample mean error", unit="%")
record("fair_value_oos_mean_log_gap", fv.table.loc[("out_of_sample", "mean_log_gap_pct"), "estimate"],
       label="Out-of-sample mean log gap", unit="percent log points")
record("fair_value_oos_hit_rate", fv.table.loc[("out_of_sample", f"hit_rate_band_{band_pct:g}pct"), "estimate"],
       label=f"Share of out-of-sample weeks inside the ±{band_pct:g}% band", unit="(0-1)")
path = result.fair_value_path
fig = plots.line_chart(path[["log_gap_pct"]].rename(columns={"log_gap_pct": "100 x log(S&P 500 / fair value)"}),
                       title="The fair-value rule's log gap", unit="percent log points",
                       events=pd.DataFrame({"date": [pd.Timestamp(fair_value_start)], "label": ["rule circulates"]}),
                       caption="Left of the line: the period the rule was drawn on; right of it, out of sample. A rule "
                               "that held would keep the gap near zero.")
present.figure(fig, alt=f"Line chart of 100 x log(S&P 500 / fair value) from {path.index[0].date()} to "
                        f"{path.index[-1].date()}, last {path['log_gap_pct'].iloc[-1]:.0f} percent log points.",
               source=present.source_line(["net_liquidity", "spx"]), data=path[["log_gap_pct"]])
display(Markdown(beside(fv.sample, fv.spec, "descriptive statistics only (no standard errors)")))
present.table(fv.table.reset_index()[["period", "description", "estimate", "n", "first", "last"]], index=False,
              labels={"description": "Measure", "estimate": "Value", "n": "Weeks"})

# %% [markdown]
# ## Why levels mislead
#
# Both series trend; a levels regression shows a huge t-statistic and a Durbin-Watson near
# zero (residuals that wander), the signature of a spurious regression. Unit-root tests and
# Engle-Granger cointegration p-values:

# %%
summary = result.summary
record("coint_p_spx", summary.loc["spx", "coint_p_levels"], label="Engle-Granger p (S&P 500, levels)")
display(Markdown(beside(result.unit_roots.sample, result.unit_roots.spec, "MacKinnon p-values")))
present.table(result.unit_roots.table.reset_index(), index=False)

# %% [markdown]
# ## Secondary: Granger causality, a rolling elasticity and a VAR
#
# A joint Granger p-value is not the claim "liquidity drives stocks" (the cumulative response
# above is); it is kept as a secondary check. Heteroskedasticity-robust Wald tests
# (`granger_cov`), on the full sample and without `granger_exclude`, beside the classical F test.

# %%
record("granger_p_liquidity_to_spx", summary.loc["spx", "granger_p_liquidity_to_asset"],
       label=f"Granger p, liquidity -> S&P (robust {granger_cov} Wald)")
record("granger_p_spx_to_liquidity", summary.loc["spx", "granger_p_asset_to_liquidity"],
       label=f"Granger p, S&P -> liquidity (robust {granger_cov} Wald)")
granger = result.granger.rename(columns={
    "p_value_robust": f"p-value, robust {granger_cov} (full sample)",
    "p_value_robust_excl": f"p-value, robust {granger_cov} (without {granger_exclude[0]}..{granger_exclude[1]})",
    "n_excl": f"Observations (without {granger_exclude[0]}..{granger_exclude[1]})",
    "p_value": "p-value, classical F (homoskedastic)"})
display(Markdown(beside(f"weekly changes, n={len(result.changes)}", f"bivariate VAR per index, lag by {ic.upper()} "
                        f"(up to {maxlags})", f"{granger_cov} Wald (main), classical F (comparison)")))
present.table(granger[["asset", "direction", "lag", f"p-value, robust {granger_cov} (full sample)", "n",
                       f"p-value, robust {granger_cov} (without {granger_exclude[0]}..{granger_exclude[1]})",
                       f"Observations (without {granger_exclude[0]}..{granger_exclude[1]})",
                       "p-value, classical F (homoskedastic)", "lags_by_ic"]], index=False,
              units={c: "pvalue" for c in granger.columns if c.startswith("p-value, ")}
              | {f"Observations (without {granger_exclude[0]}..{granger_exclude[1]})": "count"})

# %%
beta = result.rolling_beta["spx"].reset_index()
fig = plots.band_chart(beta, x="date", y="slope", low="low", high="high",
                       title=f"Rolling {beta_window}-week same-week elasticity of S&P 500 returns to net liquidity",
                       x_label="", unit="% S&P 500 return per 1% change in net liquidity",
                       caption=f"Line: OLS slope over the trailing {beta_window} weeks of the weekly S&P 500 log return "
                               "(%) on the weekly log change of net liquidity (%); band: 95% EWC interval (t critical "
                               f"values with {int(beta['dof'].iloc[-1])} degrees of freedom). Same-week co-movement, "
                               "not a forecast.")
present.figure(fig, alt=f"Line chart with a band: the rolling {beta_window}-week same-week elasticity of S&P 500 returns "
                        f"to net liquidity changes, latest {beta['slope'].iloc[-1]:.2f}.",
               source=present.source_line(["net_liquidity", "spx"]), data=beta.set_index("date")[["slope", "low", "high"]])

# %%
irf = result.irf[(result.irf["impulse"] == "d_net_liquidity") & (result.irf["response"] == "spx") & (result.irf["asset"] == "spx")]
shock = float(irf["shock_size"].iloc[0])
fig = plots.band_chart(irf, x="horizon", y="irf", low="lower", high="upper",
                       title=f"VAR: weekly S&P 500 return after a one-s.d. ({shock:.2f}%) net liquidity shock",
                       x_label="weeks after the shock", unit="% S&P 500 weekly log return",
                       caption=f"Orthogonalised (Cholesky, liquidity first) VAR({int(summary.loc['spx', 'var_lag'])}) "
                               "responses of the Wednesday-to-Wednesday return; pointwise 95% asymptotic bands. The "
                               "local projections above are the headline; this is the VAR's view of the same question.")
present.figure(fig, alt=f"Line chart with a band: the VAR response of the weekly S&P 500 return to a one-s.d. net liquidity "
                        f"shock, horizons 0 to {int(irf['horizon'].max())} weeks.",
               source=present.source_line(["net_liquidity", "spx"]), data=irf.set_index("horizon")[["irf", "lower", "upper"]])
