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
# # Episode replay
#
# A standard replay of any episode in `data/episodes.yaml`: what happened, the series of
# interest over the window with the episode's events marked, the values at t0, the move in
# event time, and the article claims dated in the window. Add an episode to the YAML and run
# `plumbing reports --episode ID` to get its report without writing a notebook.

# %% tags=["parameters"]
episode_id = "2025-10-tga-shutdown"
max_series = 40

# %%
import pandas as pd
from IPython.display import Markdown

from plumbing import plots, views
from plumbing.episodes import episode_events, event_time, get_episode
from plumbing.quantities import quantity_frame
from plumbing.reports import record

plots.use_house_style()
episode = get_episode(episode_id)
events = episode_events(episode)
names = list(episode.series)[:max_series]
left_out = list(episode.series)[max_series:]
Markdown(f"## {episode.title}\n\n**t0** {episode.t0.date()}, window {episode.start.date()} to {episode.end.date()} "
         f"({episode.before} business days before, {episode.after} after).\n\n{episode.summary}")

# %% [markdown]
# ## Events in the window

# %%
events

# %% [markdown]
# ## The series of interest

# %%
frame = quantity_frame(names, episode.start, episode.end)
fig = plots.small_multiples(frame, units=frame.attrs["units"], titles={n: views.title_of(n) for n in names},
                            title=f"{episode.title}: series of interest", events=events,
                            caption="Dashed lines are the episode's events; an empty panel means the series has no data in the window.")
plots.shown([fig])
missing = [n for n in names if frame[n].dropna().empty]
record("series_without_data", ", ".join(missing) or "none", label="Series without data in the window")
record("series_left_out", ", ".join(left_out) or "none", label=f"Series beyond max_series={max_series}, not shown")

# %% [markdown]
# ## Values around t0

# %%
days = [episode.t0 - pd.offsets.BDay(5), episode.t0, episode.t0 + pd.offsets.BDay(5)]
values = views.values_on(names, days)
record("series_with_value_at_t0", int(values[values["date"] == episode.t0.date()]["value"].notna().sum()),
       label="Series with a value at t0")
values.pivot(index="quantity", columns="date", values="value").style.format(precision=3, na_rep="missing")

# %% [markdown]
# ## Change since t0 in event time

# %%
tidy = event_time(names, episode.id, "change")
views.event_window_summary(tidy, (-episode.before, episode.after)).style.format(precision=2, na_rep="missing").hide(axis="index")

# %% [markdown]
# ## Article claims dated in the window

# %%
claims = views.claims_table(start=episode.start, end=episode.end)
views.styled(claims) if len(claims) else "No article claim is dated in this window."
