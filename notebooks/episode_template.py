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
# What happened in this episode, through the plumbing of dollar liquidity: the findings answer
# the questions the episode poses, then the series of interest over the window with its events
# marked, the values around t0, the largest moves after t0, and the article claims dated in the
# window. Every number is computed from the data when the page is rendered.

# %% tags=["parameters"]
episode_id = "2025-10-tga-shutdown"
max_series = 40

# %%
import pandas as pd
from IPython.display import Markdown, display

from plumbing import findings, plots, present, views
from plumbing.episodes import episode_events, event_time, get_episode, load_events
from plumbing.quantities import quantity_frame, quantity_unit
from plumbing.reports import record

plots.use_house_style()
episode = get_episode(episode_id)
names = list(episode.series)[:max_series]
left_out = list(episode.series)[max_series:]
events = present.event_set(episode_events(episode), episode.start, episode.end)
spans = present.policy_spans(load_events(), episode.start, episode.end)
claims = views.claims_table(start=episode.start, end=episode.end)
record("t0", str(episode.t0.date()), label="t0", show=False)

# %%
present.findings(findings.episode_page(episode, names, claims))

# %%
display(Markdown(f"## {episode.title}\n\n**t0** {episode.t0.date()}, window {episode.start.date()} to "
                 f"{episode.end.date()} ({episode.before} business days before, {episode.after} after).\n\n{episode.summary}"))

# %% [markdown]
# ## The series of interest, by theme
#
# One panel per theme; prices and indexes are rebased to 100 at the window's start. The
# episode's main events are numbered on the first panel (the table below lists them all); t0 is
# the red line on every panel.

# %%
frame = quantity_frame(names, episode.start, episode.end)
themes = present.themed(names)
fig = plots.theme_grid(frame, themes, titles={n: present.short_name(n) for n in names},
                       title=f"{episode.title}: the plumbing by theme", events=events.chart_for(episode.start, episode.end, anchor=episode.t0),
                       spans=spans, rebase=[n for n in names if n in present.REBASED], t0=episode.t0,
                       window=(episode.start, episode.end))
present.figure(fig, alt=f"{len(themes)} themed panels of the series of interest from {episode.start.date()} to "
                        f"{episode.end.date()}, t0 {episode.t0.date()}.",
               caption=f"Each panel groups series that share a unit. {present.quiet_note(frame, names)}".strip(),
               source=present.source_line(names), data=frame)
missing = [n for n in names if frame[n].dropna().empty]
record("series_without_data", ", ".join(missing) or "none", label="Series without data in the window")
record("series_left_out", ", ".join(left_out) or "none", label=f"Series beyond max_series={max_series}, not shown")

# %% [markdown]
# ## Events in the window

# %%
present.table(events.table_frame(), index_label="#")

# %% [markdown]
# ## Values around t0

# %%
days = [episode.t0 - pd.offsets.BDay(5), episode.t0, episode.t0 + pd.offsets.BDay(5)]
by_theme = [n for members in present.themed(names).values() for n in members]  # grouped as in the panels
values = views.values_on(by_theme, days, zero_when_absent=[n for n in names if n == "repo_take_up"])
record("series_with_value_at_t0", int(values[values["date"] == episode.t0.date()]["value"].notna().sum()),
       label="Series with a value at t0", show=False)
present.values_table(values, caption="Each series 5 business days before t0, on t0 and 5 after (last observation on or before each day; "
                      "repo take-up is 0 on days without an operation)")

# %% [markdown]
# ## Change since t0 in event time

# %%
tidy = event_time(by_theme, episode.id, "change")
window = views.event_window_summary(tidy, (-episode.before, episode.after))
in_bp = window["quantity"].map(quantity_unit) == "percent"  # a change in a rate reads in bp
window.loc[in_bp, ["max", "min"]] *= 100
units_of_change = ["bp" if flag else quantity_unit(n) for n, flag in zip(window["quantity"], in_bp)]
present.table(window.assign(quantity=[f"{present.short_name(n)} ({present.UNIT_HEADERS.get(u, '')})".replace(" ()", "")
                                      for n, u in zip(window["quantity"], units_of_change)],
                            _unit=units_of_change).set_index("quantity")
              .drop(columns=["episode", "at_t0"]),
              row_units=("_unit", ["max", "min"]), index_label="series (unit)",
              labels={"max": "highest, relative to t0", "max_day": "on day", "min": "lowest, relative to t0",
                      "min_day": "on day"},
              caption="Each series relative to its t0 value, over the window (business days from t0; negative days "
                      "are before t0): its highest and lowest reading and the day of each")

# %% [markdown]
# ## Article claims dated in the window

# %%
views.styled(claims) if len(claims) else present.note("No article claim is dated in this window.")
