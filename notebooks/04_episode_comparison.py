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
# # Episodes compared in event time
#
# All episodes overlaid, each indexed by business days from its anchor date t0 (day 0). Prices
# and indexes are compared in percent and everything else in its own unit, both measured from a
# baseline day before t0 (each chart's title says which), so the event itself shows. (To rerun with other episodes,
# indicators, a start day or levels instead of changes, see the parameters in the appendix.)

# %% tags=["parameters"]
episodes = ["2019-09-repo-spike", "2020-03-dash-for-cash", "2023-03-svb", "2025-04-tariff-shock",
            "2025-10-tga-shutdown", "2026-02-crash"]
indicators = ["sofr_iorb_bp", "reserves", "on_rrp", "move", "hy_oas", "spx"]
mode = "auto"
baseline_day = -10
summary_days = [-10, 10]

# %%
import pandas as pd

from plumbing import findings, plots, present, views
from plumbing.episodes import event_time, load_episodes
from plumbing.quantities import quantity_unit
from plumbing.reports import record

plots.use_house_style()
registry = load_episodes()
tidy = event_time(indicators, episodes, mode, baseline_day=baseline_day)
mode_of = tidy.groupby("quantity")["mode"].first()
unit_for = {n: ("pct_change" if mode_of[n] == "pct_change" else quantity_unit(n)) for n in indicators}
summary = views.event_window_summary(tidy, tuple(summary_days))
record("episodes_compared", len(set(tidy["episode"])), label="Episodes compared", show=False)

# %%
measured = {"level": "level", "change": f"change since day {baseline_day}", "pct_change": f"% change since day {baseline_day}"}
pair = ("2025-10-tga-shutdown", "2019-09-repo-spike")  # article 001 contrasts the 2025 drain with 2019
present.findings(findings.comparison(episodes, indicators, summary_days, baseline_day, pair=pair))

# %% [markdown]
# ## The episodes

# %%
present.table(pd.DataFrame([{"episode": e, "title": registry[e].title, "t0": str(registry[e].t0.date()),
                             "window": f"{registry[e].start.date()} to {registry[e].end.date()}"} for e in episodes])
              .set_index("episode"), index_label="episode")

# %% [markdown]
# ## Each indicator in event time

# %%
episode_names = {e: present.episode_short_title(e) for e in episodes}
for number, n in enumerate(indicators):
    fig = plots.event_time_chart(tidy, quantity=n, unit=unit_for[n], names=episode_names,
                                 title=f"{present.short_name(n)}: {measured[mode_of[n]]}")
    missing = [episode_names[e] for e in episodes if tidy[(tidy["quantity"] == n) & (tidy["episode"] == e)]["value"].isna().all()]
    caption = (f"Each line is one episode, measured from {abs(baseline_day)} business days before its anchor date (t0, "
               "day 0, the red line); the same holds for every chart below." if number == 0 else None)
    if missing:
        caption = f"{caption or ''} No data for {', '.join(missing)} (the series starts later).".strip()
    present.figure(fig, alt=f"{present.short_name(n)} in each episode, by business days from its anchor date t0.",
                   caption=caption, source=present.source_line([n]), data=tidy[tidy["quantity"] == n])

# %% [markdown]
# ## Around t0, episode by episode
#
# Each indicator as in the charts above: prices and indexes in percent, everything else in its
# own unit, all measured from the same day before t0. The first table is the reading on t0;
# the next two the highest and lowest reading within the days around t0 named in their
# captions (the charts show on which day).

# %%
short = {e: present.episode_short_title(e) for e in episodes}
measured_unit = {n: "%" if unit_for[n] == "pct_change" else present.UNIT_HEADERS.get(unit_for[n], "") for n in indicators}
row_label = {n: f"{present.short_name(n)}, {measured[mode_of[n]].removeprefix('% ')}" + (f" ({measured_unit[n]})" if measured_unit[n] else "")
             for n in indicators}
row_unit = [unit_for[n] for n in dict.fromkeys(summary["quantity"])]
window = f"days {summary_days[0]:+d} to {summary_days[1]:+d}"
for statistic, caption in (("at_t0", f"On t0 (day 0), measured from day {baseline_day}"),
                           ("max", f"Highest reading, {window}, measured from day {baseline_day}"),
                           ("min", f"Lowest reading, {window}, measured from day {baseline_day}")):
    grid = views.event_window_grid(summary, statistic, row_label, short)
    present.table(grid.assign(_unit=row_unit), row_units=("_unit", list(grid.columns)), index_label="indicator",
                  caption=caption)
