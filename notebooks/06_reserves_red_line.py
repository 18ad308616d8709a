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
# Article 004 calls $3tn of bank reserves a red line. The New York Fed's research (Afonso,
# Giannone, La Spada and Williams, Staff Report 1019) finds the reserve demand curve steepens
# below roughly 12-13% of bank assets. This report estimates where reserves stop being
# abundant: a hinge (piecewise-linear) regression of a money-market spread on a reserve ratio,
# with the kink's existence tested (sup-F), intervals that survive strongly autocorrelated
# weekly errors, and a table of alternative specifications chosen in the parameters cell.
# The parameters' defaults are the headline: the NY Fed's like-for-like specification (EFFR -
# IORB on reserves / bank assets, from the December 2015 liftoff, weekly medians), with bank
# deposits as a demand shifter, one intercept per administered-rate setting and calendar
# dummies.

# %% tags=["parameters"]
spread = "effr_iorb_bp"
ratio = "bank_assets"
start = "2015-12-17"
weekly = "median"
exclude_sep2019 = False
form = "levels"
admin = "regimes"
shifter = "deposits"
block_length = 26
bootstrap_reps = 499
rolling_window = 104
robustness = ["sofr", "gdp", "sep2019_out", "weekly_mean", "from_2018", "changes", "positions", "no_deposits",
              "wild_bootstrap", "old_default"]

# %%
import pandas as pd
from IPython.display import Markdown, display

from plumbing import findings, plots, present, views
from plumbing.models._base import beside, menu_table
from plumbing.models.reserve_demand import (ROBUSTNESS_MENU, SEP2019_WEEKS, robustness_table, run_reserve_demand,
                                            what_survives)
from plumbing.reports import record

plots.use_house_style()
choices = dict(spread=spread, ratio=ratio, start=start, weekly=weekly, exclude_sep2019=exclude_sep2019, form=form,
               admin=admin, shifter=shifter, block_length=block_length)
result = run_reserve_demand(**choices, bootstrap_reps=bootstrap_reps, rolling_window=rolling_window, tvp=True)
table = result.table
x_units = {"gdp": "% of GDP", "bank_assets": "% of bank assets", "usd_bn": "USD bn"}[ratio]
x_name = {"gdp": "reserves/GDP", "bank_assets": "reserves/bank assets", "usd_bn": "reserves"}[ratio]
per_x = "USD bn of reserves" if ratio == "usd_bn" else f"percentage point of {x_name}"
spread_name = {"effr_iorb_bp": "EFFR - IORB", "sofr_iorb_bp": "SOFR - IORB"}[spread]
kink_row = result.benchmarks.loc["estimated kink"]
below, above = table.loc["slope_below"], table.loc["slope_above"]
sup_p = result.sup_f["p_value"]
robust = robustness_table(alternatives=robustness, base=choices, bootstrap_reps=bootstrap_reps)
KINK_UNIT = "usd_bn" if ratio == "usd_bn" else "percent"  # how a kink in this ratio is formatted


def kink_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of specifications whose kinks are in their own ratio's unit (a hidden column formats them)."""
    return frame.assign(_kink_unit=frame["x_unit"].map(lambda u: "usd_bn" if u == "USD bn" else "percent"))


KINK_COLUMNS = ["kink", "kink_ci_low", "kink_ci_high"]

# %% [markdown]
# ## The headline estimate

# %%
record("kink", result.kink, label="Estimated kink", unit=x_units)
record("kink_ci_low", result.kink_ci[0], label=f"{result.choices['bootstrap'].capitalize()}-bootstrap 95% CI, low", unit=x_units)
record("kink_ci_high", result.kink_ci[1], label=f"{result.choices['bootstrap'].capitalize()}-bootstrap 95% CI, high", unit=x_units)
record("kink_usd_bn", kink_row["usd_bn"], label="Estimated kink in USD bn at the stated denominator", unit="USD bn")
record("sup_f_p", sup_p, label="sup-F test that a kink exists, bootstrap p-value")
record("slope_below", below["estimate"], label="Slope below the kink", unit=f"bp per {per_x}")
record("n_weeks", result.n, label="Weeks in the sample", unit="weeks")
in_ratio = "" if ratio == "usd_bn" else f"% of {x_name.split('/')[1]}"
present.findings(findings.reserves_red_line(result, robust, spread_name=spread_name, per_x=per_x, in_ratio=in_ratio,
                                            rolling_window=rolling_window))
display(Markdown(
    f"With {spread_name} (weekly {weekly} of business days) on {x_name} "
    f"({result.start.date()} to {result.end.date()}, {result.n} {'weeks' if form == 'levels' else 'weekly changes'}), "
    f"the spread starts to rise as reserves fall below **{result.kink:.2f}{'' if ratio == 'usd_bn' else '%'}** "
    f"{'' if ratio == 'usd_bn' else 'of ' + x_name.split('/')[1]} (95% {result.choices['bootstrap']}-bootstrap interval "
    f"{result.kink_ci[0]:.2f} to {result.kink_ci[1]:.2f}), about **USD {kink_row['usd_bn']:,.0f}bn** "
    f"({kink_row['ci_low_usd_bn']:,.0f} to {kink_row['ci_high_usd_bn']:,.0f}) at {result.benchmarks.attrs['denominator']}. "
    f"Below the kink the spread changes by {below['estimate']:.2f}bp per {per_x} "
    f"[{below['ci_low']:.2f}, {below['ci_high']:.2f}]; above it by {above['estimate']:.2f} "
    f"[{above['ci_low']:.2f}, {above['ci_high']:.2f}]. The test that a kink exists at all (sup-F, H0: a straight "
    f"line with the same controls) has a bootstrap p-value of **{sup_p:.3f}** ({bootstrap_reps} replications). "
    f"The article's USD 3,000bn is {result.benchmarks.loc['article red line USD 3,000bn', 'ratio_pct']:.1f}"
    f"{'% of ' + x_name.split('/')[1] if ratio != 'usd_bn' else ''} today; the latest reserves are "
    f"USD {result.panel['reserves_bn'].dropna().iloc[-1]:,.0f}bn."))
display(Markdown(beside(result.sample, result.spec, result.table.attrs["headline"]
                        + f"; beside it {result.inference_label} and, for comparison only, {table.attrs['naive']}")))

# %% [markdown]
# ## Does it survive other specifications?
#
# Each row changes one choice (named in `robustness`, from the menu below) and keeps the rest of
# the headline. The alternatives are fixed in the parameters cell, not chosen after seeing the
# answer. Kinks are also shown in USD bn at today's denominator of their own ratio so that rows
# on different ratios can be compared.

# %%
display(Markdown(beside("each row's own (the Sample column); weekly, weeks ending Wednesday",
                        f"the headline ({robust.attrs['base']}) with one choice changed per row",
                        robust.attrs["inference"], findings=what_survives(robust))))
record("robustness_rows", len(robust) - 1, label="Alternative specifications")
record("robustness_sup_f_rejects", int((robust["sup_f_p"].iloc[1:] < 0.05).sum()),
       label="Alternatives in which the kink test rejects at 5%")
present.table(kink_rows(robust[["sample", "x_unit", "kink", "kink_ci_low", "kink_ci_high", "kink_usd_bn",
                                 "kink_ci_low_usd_bn", "kink_ci_high_usd_bn", "slope_below", "slope_below_ci_low",
                                 "slope_below_ci_high", "slope_above", "slope_above_ci_low", "slope_above_ci_high",
                                 "sup_f_p", "residual_ar1"]]),
              row_units=("_kink_unit", KINK_COLUMNS),
              caption=f"Slopes in bp of {spread_name} per percentage point of the row's ratio (per USD bn for a ratio "
                      "in USD bn)")

# %% [markdown]
# The menu of alternatives (a parameter takes any of these names):

# %%
present.table(menu_table(ROBUSTNESS_MENU))

# %% [markdown]
# ## What the September 2019 weeks do
#
# In the week of 2019-09-18 SOFR printed 5.25% on one day: the weekly *mean* of SOFR - IORB was
# 83bp, its *median* 33bp. A least-squares kink can be pulled by a handful of such weeks. The
# rows below estimate the headline and the old module default (EFFR on GDP from 2009, weekly
# mean, no controls) with and without the weeks of Sep-Oct 2019.

# %%
lo, hi = map(pd.Timestamp, SEP2019_WEEKS)
weeks = result.panel.loc[lo - pd.Timedelta(days=14):hi, ["effr_iorb_bp", "effr_iorb_bp_median", "sofr_iorb_bp",
                                                          "sofr_iorb_bp_median"]]
display(Markdown(beside(f"weeks ending {weeks.index[0].date()}..{weeks.index[-1].date()}",
                        "weekly mean and median of the business-day spreads, bp", "descriptive")))
present.table(weeks, index_label="week ending",
              labels={"effr_iorb_bp": "EFFR - IORB, weekly mean", "effr_iorb_bp_median": "EFFR - IORB, weekly median",
                      "sofr_iorb_bp": "SOFR - IORB, weekly mean", "sofr_iorb_bp_median": "SOFR - IORB, weekly median"},
              units={c: "bp" for c in weeks.columns})
sep = robustness_table(alternatives=["sep2019_out", "old_default", "old_default_sep2019_out", "sofr",
                                     {"spread": "sofr_iorb_bp", "exclude_sep2019": True}],
                       base=choices, bootstrap_reps=bootstrap_reps)
record("sup_f_p_without_sep2019", sep.iloc[1]["sup_f_p"], label="sup-F p, headline without Sep-Oct 2019")
record("sup_f_p_old_default", sep.iloc[2]["sup_f_p"], label="sup-F p, old default (EFFR on GDP from 2009, mean)")
record("sup_f_p_old_default_without_sep2019", sep.iloc[3]["sup_f_p"], label="sup-F p, old default without Sep-Oct 2019")
shift = sep.iloc[1]["kink"] - sep.iloc[0]["kink"]
display(Markdown(
    f"Leaving out the Sep-Oct 2019 weeks moves the headline kink by {shift:+.2f} ({x_units}) and its sup-F p-value from "
    f"{sep.iloc[0]['sup_f_p']:.3f} to {sep.iloc[1]['sup_f_p']:.3f}. The old default finds "
    + ("no kink" if sep.iloc[2]["sup_f_p"] >= 0.05 else "a kink")
    + f" (p = {sep.iloc[2]['sup_f_p']:.3f}; without Sep-Oct 2019 p = {sep.iloc[3]['sup_f_p']:.3f}): what makes the "
    "difference is the specification (administered-rate steps, the 2009-2015 years at the zero lower bound, the "
    "ratio and deposits), not those weeks."))
display(Markdown(beside("each row's own (the Sample column)", f"the headline with one change per row",
                        sep.attrs["inference"])))
present.table(kink_rows(sep[["sample", "x_unit", "kink", "kink_ci_low", "kink_ci_high", "kink_usd_bn", "sup_f",
                               "sup_f_p"]]), row_units=("_kink_unit", KINK_COLUMNS))

# %% [markdown]
# ## The hinge in detail
#
# The headline intervals come from a bootstrap that keeps the reserve path fixed, rebuilds the
# strongly autocorrelated errors from an AR(p) sieve fitted to the residuals (p by AIC, up to 8;
# innovations redrawn at random) and re-estimates the kink each time. In a Monte Carlo on this
# design with AR(0.9) errors the 5% sup-F test rejects a true line about 9.5% of the time and
# nominal 95% intervals cover about 83-86%: better than blocks of 26 weeks (19%; 78-86%), still
# somewhat too narrow, so p-values near 0.05 should not be read as decisive. Beside them: EWC
# intervals (Lazarus, Lewis, Stock and Watson 2018) from the linearised model, and the textbook Newey-West interval, shown only to make the
# point that it is too narrow. The kink's location has no standard error: the fit is not a smooth
# function of it. The profile-likelihood interval of the kink assumes independent errors.

# %%
cut = [side for side, flag in zip(("lower", "upper"), result.kink_ci_truncated) if flag]
display(Markdown(
    f"The search grid covers {result.kink_grid[0]:.2f} to {result.kink_grid[1]:.2f} ({x_units}); "
    f"{result.boot_share_at_edge[0]:.0%} and {result.boot_share_at_edge[1]:.0%} of the bootstrap kinks sit on its "
    "lowest and highest point. " + (f"The interval's {' and '.join(cut)} bound is cut by the grid." if cut
                                   else "The bootstrap interval is not truncated by the grid.")))
display(Markdown(" ".join(note[0].upper() + note[1:] + "." for note in result.notes if note.startswith("Monte Carlo"))))
display(Markdown(beside(result.sample, result.spec.split(". Rolling")[0], table.attrs["headline"])))
described = table.assign(description=table["description"]  # the model's column names in the reader's words
                         .str.replace(r"\b(effr|sofr)_iorb_bp\w*", spread_name, regex=True)
                         .str.replace(r"\breserves_to_\w+_pct\b|\breserves_bn\b", x_name, regex=True))
present.table(described[["description", "estimate", "ci_low", "ci_high", "se_har", "ci_low_har", "ci_high_har",
                         "ci_low_naive", "ci_high_naive", "ci_low_profile", "ci_high_profile"]],
              labels={"ci_low": "95% CI, low (bootstrap)", "ci_high": "95% CI, high (bootstrap)"},
              units={c: "stat" for c in table.columns if c != "description"})

# %% [markdown]
# ### The controls: administered-rate settings, calendar days, deposits
#
# Regime intercepts are relative to the latest setting; the settings (IORB and ON RRP relative to
# the bottom of the target range) and the dates they changed are read from the data.

# %%
display(Markdown(beside(result.sample, "the control coefficients of the headline hinge, bp",
                        result.inference_label + " (linear regressors: EWC is the headline here)")))
present.table(result.controls[["estimate", "se", "ci_low", "ci_high", "p_value"]],
              units={"estimate": "bp_coef", "se": "bp_coef", "ci_low": "bp_coef", "ci_high": "bp_coef"},
              labels={"estimate": "Effect on the spread"}, index_label="control")

# %%
bench = result.benchmarks
x_unit = "usd_bn" if ratio == "usd_bn" else "percent"
level_col = bench["usd_bn" if ratio == "usd_bn" else "ratio_pct"]
lines = {(f"{label} (indicative: stale bank assets/GDP)" if bench.loc[label, "indicative"] else label): value
         for label, value in level_col.items() if label.startswith(("article", "NY Fed", "latest"))}
if form == "levels":
    fig = plots.scatter_fit(result.data, x="x", y="y_net", fitted="hinge",
                            title=f"{spread_name} net of the controls against {x_name}, weekly",
                            x_unit=x_unit, y_unit="bp", x_label=x_name, y_label=f"{spread_name}, net of controls",
                            vlines=lines, shade=result.kink_ci, shade_label=f"kink, {result.choices['bootstrap']}-bootstrap 95% CI",
                            caption="Points: weekly spreads net of the estimated regime, calendar and deposit effects "
                                    "(in the latest regime, an ordinary week, today's deposits); black line: the "
                                    "fitted hinge. Dashed lines: the article's $3tn, the NY Fed's 12-13% of bank "
                                    f"assets ({bench.attrs['nyfed_conversion']}) and the latest reserves.")
    present.figure(fig, alt=f"Scatter of weekly {spread_name} net of controls against {x_name} with the fitted hinge: "
                            f"flat above a kink at {result.kink:.2f}, rising as the ratio falls below it; vertical lines "
                            "mark the article's $3tn, the NY Fed's 12-13% and the latest reserves.",
                   source=present.source_line(["reserves", spread, "bank_assets" if ratio == "bank_assets" else "gdp"]),
                   data=result.data)

# %% [markdown]
# ## The estimate beside the benchmarks
#
# The kink converted to USD bn at the stated denominator, beside the article's $3tn and the NY
# Fed's 12-13% of bank assets (in GDP terms converted with bank assets / GDP of the latest H.8
# week, stated in the note column; rows would be flagged `indicative` if that week were stale).

# %%
display(Markdown(beside(result.sample, f"kink and benchmarks in {x_units} and USD bn at {bench.attrs['denominator']}",
                        table.attrs["headline"] + " (kink interval)")))
present.table(bench.rename(index=lambda label: f"{label} (INDICATIVE: stale bank assets/GDP)"
                           if bench.loc[label, "indicative"] else label),
              labels={"ratio_pct": f"Reserves, {x_units}", "ci_low_pct": f"95% CI, low, {x_units}",
                      "ci_high_pct": f"95% CI, high, {x_units}", "usd_bn": "Reserves", "denominator_bn": "Denominator"})

# %% [markdown]
# ## A time-varying sensitivity
#
# Two views of a slope that may change over time. The rolling slope is the OLS slope of the spread
# on the ratio over a trailing window of `rolling_window` weeks, with EWC intervals (t critical
# values with few degrees of freedom, so the band is honest about two years of autocorrelated
# weeks). The state-space model lets both the level and the slope drift as random walks
# (statsmodels `MLEModel`, maximum likelihood) on the spread net of the headline's control effects.

# %%
rolling = result.rolling.reset_index()
display(Markdown(beside(f"{rolling['date'].iloc[0].date()}..{rolling['date'].iloc[-1].date()}, "
                        f"{len(rolling)} windows of {rolling_window} weeks",
                        f"OLS of {spread_name} (weekly {weekly}) on {x_name} with a constant, trailing window",
                        f"EWC, nu={int(rolling['dof'].iloc[-1])}, t({int(rolling['dof'].iloc[-1])}) critical values")))
fig = plots.band_chart(rolling, x="date", y="slope", low="low", high="high",
                       title=f"Rolling {rolling_window}-week slope of {spread_name} on {x_name}",
                       x_label="", unit=f"bp per {per_x}",
                       caption=f"Line: OLS slope over the trailing {rolling_window} weeks, bp of spread per {per_x}; "
                               "band: 95% EWC interval. A slope near zero means the spread did not move with reserves "
                               "over that window; a more negative slope, that it reacted more.")
present.figure(fig, alt=f"Line chart of the rolling {rolling_window}-week slope of {spread_name} on {x_name} with its "
                        f"EWC band, {rolling['date'].iloc[0].date()} to {rolling['date'].iloc[-1].date()}; latest "
                        f"{rolling['slope'].iloc[-1]:.2f} bp per {per_x}.",
               source=present.source_line(["reserves", spread]), data=rolling.set_index("date")[["slope", "low", "high"]])
record("latest_rolling_slope", rolling["slope"].iloc[-1],
       label=f"Latest rolling slope ({rolling['date'].iloc[-1].date()})", unit=f"bp per {per_x}")
tvp = result.tvp
variances = tvp.attrs["params"]
drifts = variances["sigma2.slope"] > 1e-6 * max(variances["sigma2.intercept"], 1e-12)
display(Markdown(
    f"State-space model: innovation variances {variances['sigma2.intercept']:.4f} (level), "
    f"{variances['sigma2.slope']:.4f} (slope), {variances['sigma2.obs']:.4f} (noise). "
    + (f"The slope drifts: from {tvp['slope'].iloc[0]:.2f} at the start to {tvp['slope'].iloc[-1]:.2f} at the end."
       if drifts else
       f"Maximum likelihood puts the slope's variance at zero: once the level may drift, the data do not show the "
       f"slope itself changing (a constant {tvp['slope'].iloc[-1]:.2f} bp per {per_x}, "
       f"95% band {tvp['low'].iloc[-1]:.2f} to {tvp['high'].iloc[-1]:.2f}). The rolling slope above moves, but within "
       "intervals that mostly overlap.")))
