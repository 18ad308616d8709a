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
# # Event studies: episodes and CME margin changes
#
# Article 000 blames the February 2026 collapse of gold and silver partly on CME raising margins;
# the folk rule is that "margin hikes end bull markets". Two facts make the naive test misleading.
# Hikes cluster: gold and silver are often raised on the same day and raises come in bursts, so
# 27 raises are far fewer independent events. And hikes come after big run-ups, after which metals
# tend to give some back whatever CME does. The headline therefore groups raises in calendar
# clusters, compares each raise's return with the metal's return after other days with a
# top-decile run-up (a matched-state baseline), tests the mean with a wild-cluster bootstrap
# (valid with few clusters) and adjusts across the windows. A table of alternatives follows; then
# the event-study detail (cumulative returns by metal and direction), the older binomial test,
# and returns around the episode dates.
#
# **Why raw returns in the event-study detail.** CME raises margins when prices and volatility
# have risen, so a constant-mean "normal" return estimated on trading days [-120, -11] before a
# hike contains that rally's drift; subtracting it makes the cumulative abnormal return (CAR)
# after a hike negative by construction. The detail's default is therefore `"zero_mean"` (the raw
# return, the estimation window used only for the variance), with the constant-mean CARs beside
# it (`comparison_model`).

# %% tags=["parameters"]
margin_model = "zero_mean"
comparison_model = "constant_mean"
episode_model = "zero_mean"
estimation_window = [-120, -11]
event_window = [-10, 20]
binomial_window = [0, 9]
assets = ["spx", "nasdaq", "gold", "btc", "usdjpy"]
cluster_gap = 10
runup_days = 20
robustness = ["raw_returns", "all_days", "same_date_only", "gap_20", "runup_60", "top_quintile", "gold_only",
              "silver_only", "rademacher", "before_2025"]

# %%
import pandas as pd
from IPython.display import Markdown, display

from plumbing import plots, present, views
from plumbing.models._base import beside, menu_table
from plumbing.models.event_study import (HIKE_ROBUSTNESS_MENU, aggregate_cars, hike_what_survives,
                                         run_episode_event_study, run_margin_event_study)
from plumbing.reports import record

plots.use_house_style()
windows = dict(estimation_window=tuple(estimation_window), event_window=tuple(event_window))
margins = run_margin_event_study(model=margin_model, binomial_window=tuple(binomial_window), cluster_gap=cluster_gap,
                                 runup_days=runup_days, headline_window=tuple(binomial_window), robustness=robustness,
                                 **windows)
comparison = run_margin_event_study(model=comparison_model, binomial_window=tuple(binomial_window),
                                    cluster_gap=cluster_gap, runup_days=runup_days, reps=99, **windows)

MODEL_NAMES = {"zero_mean": "zero-mean (raw return)", "constant_mean": "constant-mean", "market": "market model"}


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """The aggregate CAR table with the main (cross-sectional) test first and the pooled p last
    (headers and units from ``present.COLUMNS``; see :func:`car_labels`)."""
    return table[["n", "n_contaminated", "n_overlapping", "mean_car", "se_cs", "t_cs", "p_cs", "mean_raw_return",
                  "share_negative", "p_pooled"]]


def car_labels(model: str) -> dict[str, str]:
    """The headers that depend on the model: the mean CAR names it."""
    return {"n": "Events", "mean_car": f"Mean CAR, {MODEL_NAMES[model]}", "share_negative": "Share of CARs below 0"}



# %% [markdown]
# ## The headline: are hikes followed by falls, beyond what follows any big run-up?

# %%
clustered = margins.clustered
head_label = f"[{binomial_window[0]:+d},{binomial_window[1]:+d}]"
row = clustered.table.loc[head_label] if head_label in clustered.table.index else clustered.table.iloc[1]
record("hike_cluster_mean_abnormal", row["mean_abnormal"], label=f"Mean abnormal return after raises, days {head_label}",
       unit="%")
record("hike_cluster_p_boot", row["p_boot"], label="Wild-cluster bootstrap p")
record("hike_cluster_p_holm", row["p_holm"], label=f"Holm-adjusted across {len(clustered.table)} windows")
record("hike_clusters", int(row["clusters"]), label=f"Calendar clusters of the {int(row['events'])} raises")
present.findings([
    f"The {int(row['events'])} CME margin raises for gold and silver ({clustered.start.date()} to "
    f"{clustered.end.date()}) fall in {int(row['clusters'])} calendar clusters; {row['share_top_runup']:.0%} came after a "
    f"top-decile {runup_days}-day run-up.",
    ("Margin hikes are not followed by falls beyond what follows comparable run-ups: "
     if row["p_holm"] >= 0.05 or row["mean_abnormal"] >= 0 else
     "Margin hikes are followed by falls beyond what follows comparable run-ups: ")
    + f"over trading days {head_label} the raised metal returned {row['mean_raw_return']:+.2f}%, against "
    f"{row['mean_baseline']:+.2f}% after other top-decile run-ups: a difference of {row['mean_abnormal']:+.2f}% "
    f"(wild-cluster bootstrap p = {row['p_boot']:.2f}; Holm across {len(clustered.table)} windows p = {row['p_holm']:.2f}).",
    *hike_what_survives(margins.robustness)[:2],
], headline=1)
display(Markdown(
    f"The {int(row['events'])} margin raises fall in **{int(row['clusters'])} calendar clusters**; "
    f"{row['share_top_runup']:.0%} of them came after a run-up in the top decile of the metal's {runup_days}-day run-ups. "
    f"Over trading days {head_label} the raised metal returned {row['mean_raw_return']:+.2f}% on average; after other "
    f"days with a top-decile run-up it returned {row['mean_baseline']:+.2f}%. The difference, "
    f"**{row['mean_abnormal']:+.2f}%**, has a wild-cluster bootstrap p-value of **{row['p_boot']:.2f}** (Holm-adjusted "
    f"across the {len(clustered.table)} windows: {row['p_holm']:.2f}). "
    + ("Hikes are not followed by falls beyond what follows any comparable run-up."
       if row["p_holm"] >= 0.05 or row["mean_abnormal"] >= 0 else
       "Hikes are followed by falls beyond what follows comparable run-ups.")))
display(Markdown(beside(clustered.sample, clustered.spec, "cluster-robust (CR1) t; restricted wild-cluster bootstrap "
                        "p-value; Holm across windows; the i.i.d. p-value only for comparison")))
present.table(clustered.table[["events", "clusters", "share_top_runup", "mean_raw_return", "mean_baseline",
                               "mean_abnormal", "se", "t", "p_boot", "p_holm", "p_iid", "mean_of_cluster_means"]],
              units={"se": "percent"}, labels={"se": "Standard error (cluster-robust, with the baseline's)",
                                               "p_holm": "p-value (bootstrap, Holm-adjusted across windows)"})

# %%
display(Markdown(beside(clustered.sample, "each cluster's mean abnormal return per window (percent)",
                        "descriptive")))
by_cluster = clustered.clusters.pivot_table(index="cluster", columns="window", values="mean_abnormal", sort=False)
present.table(by_cluster.join(clustered.clusters.drop_duplicates("cluster").set_index("cluster")["raises"]),
              units={str(w): "percent" for w in by_cluster.columns},
              labels={str(w): f"Mean abnormal return, days {w}" for w in by_cluster.columns})

# %% [markdown]
# ## Does it survive other specifications?
#
# Each row changes one choice (named in `robustness`, from the menu below), at days
# `binomial_window`; the rest of the headline is kept.

# %%
robust = margins.robustness
display(Markdown(beside("each row's own (the sample of each alternative)", "the headline clustered test with one choice changed",
                        "restricted wild-cluster bootstrap p-value; i.i.d. p-value for comparison",
                        findings=hike_what_survives(robust))))
record("robustness_rows", len(robust) - 1, label="Alternative specifications")
present.table(robust.drop(columns=["sample"]))

# %%
present.table(menu_table(HIKE_ROBUSTNESS_MENU))

# %% [markdown]
# ## Margin changes: cumulative returns by metal and direction (percent)
#
# Per window: the mean CAR across events with its cross-sectional standard error, t and p (the
# main test), the mean raw return over the same window, and how many events have another margin
# change inside their estimation window or inside their event window. Margin changes cluster, so
# those counts are high: with the zero-mean model a change in the estimation window only affects
# the variance, but a change inside the event window means the CAR also contains that other
# change's days. The last column, a pooled p-value, treats events as independent, which clustered
# hikes are not: it is secondary and overstates significance.

# %%
views.show_model_header(margins)
present.table(readable(margins.table).reset_index(), index=False, labels=car_labels(margin_model))

# %%
raises = margins.abnormal[margins.abnormal["direction"] == "raise"]
counts = raises.groupby("metal")["event"].nunique()
path = {}
for metal, part in raises.groupby("metal"):
    by_day = part.groupby("day")
    path[f"{metal} ({counts[metal]} raises): CAR, {MODEL_NAMES[margin_model]}"] = by_day["car"].mean()
    if margin_model != "zero_mean":
        path[f"{metal}: raw cumulative return"] = by_day["raw_cum"].mean()
other = comparison.abnormal[comparison.abnormal["direction"] == "raise"]
if comparison_model != margin_model:
    for metal, part in other.groupby("metal"):
        path[f"{metal}: CAR, {MODEL_NAMES[comparison_model]} (comparison)"] = part.groupby("day")["car"].mean()
path = pd.DataFrame(path)
comparison_note = ""
if comparison_model != margin_model:
    gaps = {metal: path.filter(like=f"{metal} (").iloc[-1, 0] - path[f"{metal}: CAR, {MODEL_NAMES[comparison_model]} (comparison)"].iloc[-1]
            for metal in counts.index}
    comparison_note = (f"Dashed, {MODEL_NAMES[comparison_model]} (comparison): the same after subtracting each event's mean "
                       f"daily return over days {estimation_window[0]}..{estimation_window[1]}; "
                       + ("raises follow rallies, so that mean is positive on average and the dashed line falls "
                          "further below the solid one each day" if all(g > 0 for g in gaps.values())
                          else "the gap between the lines is that fitted drift, cumulated")
                       + f" (gap at day +{event_window[1]}: " + ", ".join(f"{m} {g:.1f} pp" for m, g in gaps.items()) + "). ")
fig = plots.line_chart(path, title="Mean cumulative return around CME margin raises, gold and silver futures",
                       unit="percent", x_label="trading days from the margin raise (day 0 = first trading day on or "
                                               "after the effective date)",
                       vlines={0: "day 0"},
                       caption=f"Raises only ({counts.get('gold', 0)} gold, {counts.get('silver', 0)} silver). Each line "
                               "is the mean across raises of the cumulative log return from day "
                               f"{event_window[0]}, in percent. Solid, {MODEL_NAMES[margin_model]}: "
                               + ("the cumulative raw return. " if margin_model == "zero_mean"
                                  else "the cumulative abnormal return of the main model. ")
                               + comparison_note
                               + "Many raises overlap (clusters in 2011 and 2025-26), so the lines are not averages of "
                                 "independent events.")
ax = fig.axes[0]
colors = {}
for line in ax.get_lines():
    label = str(line.get_label())
    metal = label.split(" ")[0].rstrip(":")
    if "(comparison)" in label or "raw cumulative" in label:
        line.set_linestyle("--" if "(comparison)" in label else ":")
    else:
        colors[metal] = line.get_color()
for line in ax.get_lines():
    label = str(line.get_label())
    metal = label.split(" ")[0].rstrip(":")
    if ("(comparison)" in label or "raw cumulative" in label) and metal in colors:
        line.set_color(colors[metal])
ax.legend(loc="best", fontsize=8)
present.figure(fig, alt=f"Line chart of the mean cumulative return of gold and silver futures from {event_window[0]} to "
                        f"+{event_window[1]} trading days around CME margin raises ({counts.get('gold', 0)} gold, "
                        f"{counts.get('silver', 0)} silver), raw and under the comparison model.",
               source=present.source_line(["gold", "silver"]) + "; CME Group COMEX margin notices (snapshot table)", data=path)

# %% [markdown]
# ### The same windows under the comparison model
#
# Raises pooled over both metals: the mean raw return beside the mean CAR of the comparison
# model. The gap is the pre-event drift the comparison model subtracts.

# %%
side = pd.DataFrame({
    "events": margins.table.loc[("all", "raise"), "n"],
    "mean_car": margins.table.loc[("all", "raise"), "mean_car"],
    "p_cs": margins.table.loc[("all", "raise"), "p_cs"],
    "mean_raw_return": margins.table.loc[("all", "raise"), "mean_raw_return"],
    "comparison_mean_car": comparison.table.loc[("all", "raise"), "mean_car"],
    "comparison_p_cs": comparison.table.loc[("all", "raise"), "p_cs"],
})
main_19 = margins.table.loc[("all", "raise", "[+0,+19]")]
record("hike_mean_car_0_19", main_19["mean_car"], label=f"Mean CAR after raises, days 0..+19 ({MODEL_NAMES[margin_model]})",
       unit="%")
record("hike_mean_car_0_19_p_cs", main_19["p_cs"], label="Its cross-sectional p-value")
record("hike_mean_car_0_19_comparison", comparison.table.loc[("all", "raise", "[+0,+19]"), "mean_car"],
       label=f"Mean CAR after raises, days 0..+19 ({MODEL_NAMES[comparison_model]}, comparison)", unit="%")
display(Markdown(beside(margins.sample, f"{MODEL_NAMES[margin_model]} beside {MODEL_NAMES[comparison_model]} CARs, raises "
                        "pooled over both metals", "cross-sectional t (treats raises as independent: see the headline)")))
present.table(side.reset_index(), index=False,
              units={"comparison_mean_car": "percent", "comparison_p_cs": "pvalue"},
              labels={"mean_car": f"Mean CAR, {MODEL_NAMES[margin_model]}",
                      "p_cs": f"p-value (cross-section), {MODEL_NAMES[margin_model]}",
                      "comparison_mean_car": f"Mean CAR, {MODEL_NAMES[comparison_model]}",
                      "comparison_p_cs": f"p-value (cross-section), {MODEL_NAMES[comparison_model]}"})

# %% [markdown]
# ### Raises whose event window holds no other margin change
#
# The cleanest subset: raises with no other change of the same metal within trading days
# [-10, +20]. Few events, so wide intervals.

# %%
events = margins.events
clean = events[(events["direction"] == "raise") & ~events["overlaps_event_window"].astype(bool)]
clean_table = readable(aggregate_cars(clean.assign(metal="all"), ["metal", "direction"]))
record("clean_hike_events", int(clean["event"].nunique()), label="Raises with no other change in their event window")
display(Markdown(beside(f"{int(clean['event'].nunique())} raises with no other change in their event window",
                        margins.spec, "cross-sectional t")))
present.table(clean_table.reset_index(), index=False, labels=car_labels(margin_model))

# %% [markdown]
# ### Each change: CARs and flags
#
# CARs in percent per window (trading days from day 0), one row per margin change. "Another
# change in the estimation window": another change of the same metal fell inside the window
# that estimates normal returns; "another change in the event window": one fell inside
# [-10, +20], so this CAR also holds that change's days. The table is folded: open it for every
# change.

# %%
per_event = events.pivot_table(index=["metal", "direction", "event"], columns="window", values="car", observed=True, sort=False)
flags = events.drop_duplicates("event").set_index(["metal", "direction", "event"])[["contaminated", "overlaps_event_window"]]
present.table(per_event.join(flags).reset_index(), index=False,
              units={str(w): "percent" for w in per_event.columns},
              labels={str(w): f"CAR, days {w}" for w in per_event.columns},
              caption="Cumulative abnormal returns for each CME margin change")

# %% [markdown]
# ## Do hikes precede falls more often than chance?
#
# For each raise, the raw return over days `binomial_window` after day 0; the share of negative
# windows against the share of negative windows of the same length in the metal's whole
# history (one-sided binomial test; pooled: each event at its own metal's baseline). The
# `non_overlapping` rows keep only raises whose window starts after the previous kept one ends.

# %%
binomial = margins.binomial.table
record("hike_binomial_p_pooled", binomial.loc[("all", "pooled"), "p_value"], label="Binomial p, all hikes pooled")
pooled = binomial.loc[("all", "pooled")]
display(Markdown(f"Pooled over both metals, {int(pooled['k_negative'])} of {int(pooled['n'])} raises were followed by a "
                 f"negative return over days {binomial_window[0]}..{binomial_window[1]} ({pooled['share_negative']:.0%}), "
                 f"against an unconditional share of about {pooled['baseline_share']:.0%}; one-sided p = "
                 f"{pooled['p_value']:.2f}. This test treats raises as independent and ignores the run-ups before "
                 "them; the headline above does neither."))
display(Markdown(beside(margins.binomial.sample, margins.binomial.spec, "exact binomial / Poisson-binomial tail")))
present.table(binomial.reset_index(), index=False,
              units={"se": "fraction", "ci_low": "fraction", "ci_high": "fraction"},
              labels={"events": "Which raises", "n": "Raises in the test", "se": "Standard error of the share",
                      "ci_low": "Share negative, 95% CI low", "ci_high": "Share negative, 95% CI high",
                      "p_value": "p-value (one-sided)"})

# %%
present.table(margins.changes[["date", "metal", "direction", "change_pct", "sign_source", "event"]], index=False,
              labels={"date": "Effective date"})

# %% [markdown]
# ## Returns around the episode dates
#
# Descriptive: the episodes were chosen because markets moved, so these are not tests of a
# hypothesis fixed in advance. Same model choice as above (`episode_model`, raw returns by
# default: several episodes follow long rallies).

# %%
episodes = run_episode_event_study(assets=tuple(assets), model=episode_model, **windows)
views.show_model_header(episodes)
record("episode_events", int(episodes.aggregate["n"].max()), label="Episodes studied")
present.table(readable(episodes.aggregate).reset_index(), index=False, labels=car_labels(episode_model))

# %%
present.table(episodes.table.reset_index(), index=False, units={"se": "percent"},
              labels={"event": "Episode", "date": "Episode date (t0)", "day0": "Day 0 (first trading day)"})
