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
# weakening or strengthening, and says which assets lead in each (easing + weak dollar: broad
# rally; tight + strong dollar: everything under pressure). A regime is only useful if it is known
# before the returns it is meant to explain, so the headline pairs each month's return with the
# regime of the month before (`lag`): a regression of monthly returns on the lagged easing and
# weak-dollar states and their interaction, with EWC intervals (autocorrelation-robust, t critical
# values). Then the mean return in each quadrant, with p-values adjusted across all 28 (asset,
# quadrant) means, a table of alternative specifications, a Markov-switching view, and which
# quadrant each month of 2025-2026 was in.

# %% tags=["parameters"]
liquidity = "fed_assets"
months = 3
liquidity_threshold_bn = 0.0
dollar_threshold_pct = 0.0
lag = 1
path_start = "2025-01-01"
robustness = ["same_month", "lag_2", "net_liquidity", "months_1", "months_6", "thresholds", "dxy", "from_2010"]
markov = True

# %%
import pandas as pd
from IPython.display import Markdown, display

from plumbing import plots, present, views
from plumbing.models._base import beside, menu_table
from plumbing.models.regimes import CONTRASTS, REGIME_ROBUSTNESS_MENU, regime_what_survives, run_regimes
from plumbing.reports import record

plots.use_house_style()
result = run_regimes(liquidity=liquidity, months=months, liquidity_threshold_bn=liquidity_threshold_bn,
                     dollar_threshold_pct=dollar_threshold_pct, lag=lag, path_start=path_start, robustness=robustness,
                     markov=markov)
spx = result.table.loc["spx"]
timing = ("the same month as the quadrant: co-movement, not prediction" if lag == 0
          else f"the quadrant known {lag} month{'s' if lag != 1 else ''} before the return")
PCT = {"estimate": "percent", "ci_low": "percent", "ci_high": "percent", "mean": "percent"}  # % per month

# %% [markdown]
# ## The headline: do the lagged regimes predict returns?

# %%
bmw, eas, weak = spx.loc["best_minus_worst"], spx.loc["easing"], spx.loc["weak_dollar"]
record("spx_best_minus_worst", bmw["estimate"], label="S&P 500: easing + weak dollar minus tight + strong dollar",
       unit="% per month")
record("spx_best_minus_worst_p", bmw["p_value"], label="Its EWC p-value")
record("spx_easing_coefficient", eas["estimate"], label="S&P 500: lagged easing effect", unit="% per month")
record("spx_easing_p", eas["p_value"], label="Its EWC p-value")
record("spx_weak_dollar_p", weak["p_value"], label="S&P 500: lagged weak-dollar effect, EWC p-value")
survives = regime_what_survives(result.robustness) if len(result.robustness) else []
differ = int((result.quadrants["p_holm"] < 0.05).sum())
present.findings([
    f"With {timing}, S&P 500 months after easing + weak-dollar regimes returned {bmw['estimate']:+.2f}% a month "
    f"relative to months after tight + strong-dollar regimes (95% EWC interval {bmw['ci_low']:+.2f}% to "
    f"{bmw['ci_high']:+.2f}%, p = {bmw['p_value']:.2f}); monthly, {bmw['first']} to {bmw['last']}.",
    f"Lagged Fed easing: {eas['estimate']:+.2f}% a month (p = {eas['p_value']:.2f}); a lagged weak dollar: "
    f"{weak['estimate']:+.2f}% (p = {weak['p_value']:.2f}).",
    *survives[:2],
    f"{differ} of the {len(result.quadrants)} quadrant means {'differs' if differ == 1 else 'differ'} from zero "
    "after a Holm adjustment.",
], headline=0)
display(Markdown(
    f"With {timing}, S&P 500 months after easing + weak-dollar regimes returned "
    f"**{bmw['estimate']:+.2f}%** a month relative to months after tight + strong-dollar regimes (95% EWC interval "
    f"{bmw['ci_low']:+.2f}% to {bmw['ci_high']:+.2f}%, p = {bmw['p_value']:.2f}). Lagged easing alone: "
    f"{eas['estimate']:+.2f}% (p = {eas['p_value']:.2f}); a lagged weak dollar alone: {weak['estimate']:+.2f}% "
    f"(p = {weak['p_value']:.2f}). " + ("The regimes, once known, do not predict the S&P 500's next month."
                                       if min(bmw["p_value"], eas["p_value"], weak["p_value"]) >= 0.05 else
                                       "At least one lagged effect is significant at 5% before any adjustment.")))
display(Markdown(beside(result.sample, result.spec.split(". Beside it:")[0],
                        f"{spx['inference'].iloc[0]}; Holm-adjusted p-values across the {result.table.index.get_level_values('asset').nunique()} assets for each term")))
terms = result.table.reset_index()
terms["term"] = terms["term"].map(lambda t: CONTRASTS[t][0])
present.table(terms[["asset", "term", "estimate", "ci_low", "ci_high", "p_value", "p_holm", "n", "first", "last"]],
              index=False, units=PCT, labels={"estimate": "Effect on the monthly return", "n": "Months",
                                              "p_holm": "p-value (Holm-adjusted across assets)"})

# %% [markdown]
# ## Does it survive other specifications?
#
# The S&P 500 terms of the headline regression, one alternative per block (named in
# `robustness`, from the menu below); the rest of the headline is kept. The first alternative,
# `same_month`, is the pairing article 004's table implies: it shows co-movement, which is why it
# must not be read as a forecast.

# %%
robust = result.robustness
display(Markdown(beside("each row's own (the Sample start, Sample end and Months columns); monthly",
                        "the headline regression with one choice changed per block",
                        "95% intervals by each row's method (the Intervals by column)",
                        findings=regime_what_survives(robust))))
record("robustness_rows", robust.index.get_level_values("specification").nunique() - 1,
       label="Alternative specifications")
present.table(robust[["estimate", "ci_low", "ci_high", "p_value", "n", "first", "last", "inference"]].reset_index(),
              index=False, units=PCT, labels={"estimate": "S&P 500 effect on the monthly return", "n": "Months"})

# %%
present.table(menu_table(REGIME_ROBUSTNESS_MENU))

# %% [markdown]
# ## Mean monthly returns by quadrant
#
# Means in percent per month with EWC 95% intervals (t critical values), the quadrant paired with
# returns as in the headline. Each mean is tested against zero; with 28 means some will look
# significant by chance, so the p-values are adjusted across all of them (Holm: family-wise;
# Benjamini-Hochberg: false discovery rate).

# %%
quadrants = result.quadrants
spx_q = quadrants.loc["spx"]
record("spx_mean_easing_weak", spx_q.loc["easing + weak dollar", "mean"],
       label="S&P 500 mean monthly return, easing + weak dollar", unit="%")
record("quadrant_means_holm_below_5pct", int((quadrants["p_holm"] < 0.05).sum()),
       label="Quadrant means (of 28) different from zero after Holm")
wald = result.equality.loc["spx"] if "spx" in result.equality.index else None
highest, lowest = spx_q["mean"].idxmax(), spx_q["mean"].idxmin()
caption = (f"Bars: mean monthly S&P 500 return (%) in the months of each quadrant ({timing}); whiskers: 95% EWC "
           f"intervals (t critical values); months per quadrant: {', '.join(f'{g} {int(n)}' for g, n in spx_q['n'].items())}. "
           f"Highest mean: {highest} ({spx_q.loc[highest, 'mean']:.2f}%); lowest: {lowest} ({spx_q.loc[lowest, 'mean']:.2f}%). "
           + (f"Wald test that the four means are equal: p = {wald['p_value']:.2f}. " if wald is not None else "")
           + "Article 004 expects the highest returns under easing + weak dollar and the lowest under tight + strong dollar.")
fig = plots.bar_chart(spx_q["mean"], errors=spx_q["mean"] - spx_q["ci_low"], unit="percent per month",
                      title=f"S&P 500 mean monthly return by quadrant (lag {lag}), 95% EWC intervals", caption=caption)
present.figure(fig, alt=f"Bar chart of the S&P 500's mean monthly return in each of the four quadrants ({timing}), with "
                        f"EWC 95% interval bars; highest {highest} ({spx_q.loc[highest, 'mean']:.2f}%), lowest {lowest} "
                        f"({spx_q.loc[lowest, 'mean']:.2f}%).",
               source=present.source_line([liquidity, "dollar_broad", "spx"]), data=spx_q[["n", "mean", "ci_low", "ci_high"]])
display(Markdown(beside(result.sample, result.spec.split(". Beside it: ")[-1],
                        "EWC (t critical values); p-values against zero with Holm and Benjamini-Hochberg "
                        f"adjustments across all {len(quadrants)} means")))
present.table(quadrants[["n", "mean", "ci_low", "ci_high", "p_value", "p_holm", "p_bh", "first", "last"]].reset_index(),
              index=False, units=PCT, labels={"n": "Months", "mean": "Mean monthly return",
                                              "p_holm": "p-value (Holm-adjusted across all 28 means)",
                                              "p_bh": "p-value (Benjamini-Hochberg across all 28 means)"})

# %% [markdown]
# ### Do the quadrants differ? (Wald test that the four means are equal, per asset)

# %%
display(Markdown(beside(result.sample, "EWC Wald (F) test that the four quadrant means are equal", "EWC")))
present.table(result.equality, labels={"n": "Months"})

# %% [markdown]
# ## A Markov-switching view
#
# Instead of imposing the quadrants, let the S&P 500's monthly returns choose two states of their
# own (a switching mean and variance, statsmodels `MarkovRegression`), then ask how likely the
# low-return state was in the months following each quadrant. If the quadrants carried the
# information article 004 claims, the low-return state would concentrate after tight +
# strong-dollar months.

# %%
if len(result.markov):
    states = result.markov
    display(Markdown(beside(f"monthly S&P 500 returns, {states.attrs['first']} to {states.attrs['last']}, n={states.attrs['n']} "
                            "(the headline regression's months)", "2-state Markov switching mean and "
                            "variance; smoothed state probabilities averaged by the quadrant of the previous month",
                            "maximum likelihood; standard error of each state's mean from the Hessian")))
    present.table(states, units={"mean": "percent", "se_mean": "percent", "sd": "percent",
                                             **{c: "fraction" for c in states.columns if str(c).startswith("prob in ")}},
                  labels={"mean": "Mean monthly return", "sd": "Standard deviation of monthly returns",
                          **{c: f"Mean probability of this state after {str(c).removeprefix('prob in ')}"
                             for c in states.columns if str(c).startswith("prob in ")}})
else:
    display(Markdown("The Markov-switching model was not run (`markov = False`)."))

# %% [markdown]
# ## Which quadrant was each month of 2025-2026 in?

# %%
record("months_classified_since_path_start", int(result.path["regime"].notna().sum()), label="Months classified")
display(Markdown(beside(f"months from {path_start}", "quadrant of each month from month-end levels", "descriptive")))
present.table(result.path, index_label="month end")
