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
# Returns around each CME margin change for gold and silver futures, and around the episode
# dates. Then the article's folk rule, "margin hikes end bull markets": does a hike precede a
# fall more often than the unconditional share of falling windows of the same length?
#
# Margin hikes follow rallies, so a "normal" return estimated on the days before a hike would
# carry the rally's drift into the event window and make every hike look like it was followed
# by a loss. The margin study therefore measures raw returns (`margin_model="zero_mean"`: the
# estimation window is used only for the variance); set `margin_model="constant_mean"` to see
# that artefact. The episode study keeps a constant-mean benchmark.

# %% tags=["parameters"]
margin_model = "zero_mean"
episode_model = "constant_mean"
estimation_window = [-120, -11]
event_window = [-10, 20]
binomial_window = [0, 9]
assets = ["spx", "nasdaq", "gold", "btc", "usdjpy"]

# %%
from plumbing import plots, views
from plumbing.models.event_study import run_episode_event_study, run_margin_event_study
from plumbing.reports import record

plots.use_house_style()
margins = run_margin_event_study(model=margin_model, estimation_window=tuple(estimation_window),
                                 event_window=tuple(event_window), binomial_window=tuple(binomial_window))
views.show_model_header(margins)

# %% [markdown]
# ## Margin changes: cumulative returns by metal and direction (percent)
#
# `se_cs`/`t_cs`/`p_cs` are the cross-sectional test across events (the main one);
# `p_pooled` assumes the events are independent, which clustered hikes are not.

# %%
margins.table

# %%
raises = margins.abnormal[margins.abnormal["direction"] == "raise"]
path = raises.groupby(["metal", "day"])["car"].mean().unstack("metal")
fig = plots.line_chart(path, title="Mean cumulative return around CME margin raises (gold and silver futures)",
                       unit="pct_change", x_label="trading days from the effective date", vlines={0: "effective date"},
                       caption="Raises only. Cumulative from day -10; a raise that ended a rally would show the line "
                               "turning down after day 0.")
plots.shown([fig])

# %% [markdown]
# ## Do hikes precede falls more often than chance?

# %%
binomial = margins.binomial.table
record("hike_binomial_p_pooled", binomial.loc[("all", "pooled"), "p_value"], label="Binomial p, all hikes pooled")
binomial

# %%
margins.changes

# %% [markdown]
# ## Abnormal returns around the episode dates
#
# Descriptive: the episodes were chosen because markets moved, so these are not tests of a
# hypothesis fixed in advance.

# %%
episodes = run_episode_event_study(assets=tuple(assets), model=episode_model, estimation_window=tuple(estimation_window),
                                   event_window=tuple(event_window))
views.show_model_header(episodes)
record("episode_events", int(episodes.aggregate["n"].max()), label="Episodes studied")
episodes.aggregate

# %%
episodes.table
