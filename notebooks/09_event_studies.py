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
# Abnormal returns around the episode dates, and around each CME margin change for gold and
# silver futures, against a model estimated on a stated window before each event. Then the
# article's folk rule, "margin hikes end bull markets": does a hike precede a fall more often
# than the unconditional share of falling windows of the same length?

# %% tags=["parameters"]
model = "constant_mean"
estimation_window = [-120, -11]
event_window = [-10, 20]
binomial_window = [0, 9]
assets = ["spx", "nasdaq", "gold", "btc", "usdjpy"]

# %%
from plumbing import plots, views
from plumbing.models.event_study import run_episode_event_study, run_margin_event_study
from plumbing.reports import record

plots.use_house_style()
margins = run_margin_event_study(model=model, estimation_window=tuple(estimation_window), event_window=tuple(event_window),
                                 binomial_window=tuple(binomial_window))
views.show_model_header(margins)

# %% [markdown]
# ## Margin changes: cumulative abnormal returns by metal and direction (percent)

# %%
margins.table

# %%
path = margins.abnormal.groupby(["metal", "day"])["car"].mean().unstack("metal").reset_index()
fig = plots.line_chart(path.set_index("day"), title="Mean cumulative abnormal return around CME margin changes",
                       unit="pct_change", caption="Day 0 = the effective date. A hike that ends a rally would show a "
                                                 "falling line after day 0.")
fig.axes[0].set_xlabel("trading days from the margin change")
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
episodes = run_episode_event_study(assets=tuple(assets), model=model, estimation_window=tuple(estimation_window),
                                   event_window=tuple(event_window))
views.show_model_header(episodes)
record("episode_events", int(episodes.aggregate["n"].max()), label="Episodes studied")
episodes.aggregate

# %%
episodes.table
