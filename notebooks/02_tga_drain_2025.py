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
# # Oct-Nov 2025: the TGA drain during the shutdown
#
# Articles 001 and 002 tell a chain: the Treasury's cash pile (TGA) rises, ON RRP is already
# at its floor so the drain hits bank reserves, the price of overnight cash (SOFR - IORB)
# jumps, banks turn to the Fed's Standing Repo Facility; and after the shutdown ends the TGA is
# spent down and the pressure eases. This report puts data beside each link, the 2025-10-31
# spike and the 2025-11-04 "everything sell-off".

# %% tags=["parameters"]
start = "2025-07-01"
end = "2025-12-31"
spike_date = "2025-10-31"
selloff_date = "2025-11-04"
assets = ["spx", "nasdaq", "gold", "btc", "eth"]
chain = ["tga_daily", "on_rrp", "reserves", "sofr_iorb_bp", "repo_take_up"]

# %%
import pandas as pd

from plumbing import findings, indicators, load, plots, present, views
from plumbing.episodes import load_events
from plumbing.quantities import quantity_frame, quantity_unit
from plumbing.reports import record

plots.use_house_style()
all_events = load_events(start, end)
all_events = all_events[all_events["kind"] != "cme_margin"]
events = present.event_set(all_events, start, end)
spans = present.policy_spans(load_events(), start, end)
shutdown = next(((a, b) for a, b, label in spans if label == "government shutdown"), None)
weekly = load(["fed_assets", "tga_weekly", "on_rrp"], freq="W")
parts = indicators.decompose_net_liquidity_change(weekly, start, spike_date)
moves = views.day_moves(assets + ["sofr", "us10y"], selloff_date)
claims = views.claims_table(start=start, end=end, articles=["001", "002"])

# %%
present.findings(findings.tga_drain_2025(start, end, spike_date, selloff_date, parts, moves.loc[assets], shutdown)
                 + [findings.claims_sentence(claims, "claims of articles 001 and 002 dated in this window")])

# %% [markdown]
# ## The chain, link by link
#
# Daily TGA (Daily Treasury Statement), ON RRP take-up, weekly reserves, SOFR - IORB and Fed
# repo take-up (0 on days without an operation), with the shutdown shaded and the main events
# numbered (the table at the end lists them all).

# %%
frame = quantity_frame(chain, start, end)
units = frame.attrs["units"]
frame = frame.reindex(pd.bdate_range(start, end, name="date")).assign(
    repo_take_up=indicators.zero_where_no_operation(frame["repo_take_up"], start, end))
fig = plots.small_multiples(frame, units=units, titles={n: present.short_name(n) for n in chain},
                            title="TGA up, RRP at the floor, SOFR - IORB up, repo facility take-up",
                            events=events.chart_for(start, end), spans=spans, ncols=2)
present.figure(fig, alt="Five panels, July to December 2025: the Treasury's cash rises through October, ON RRP sits "
                        "near zero, reserves dip, SOFR minus IORB spikes at the end of October and repo facility "
                        "take-up jumps on 2025-10-31; the shutdown is shaded.",
               caption="If the articles are right, the TGA build-up lines up in time with reserves falling, the SOFR - "
                       "IORB spread widening and repo take-up rising, and all reverse after the shutdown ends.",
               source=present.source_line(chain), data=frame)

# %% [markdown]
# ## Where the drain came from: net liquidity decomposed
#
# Change in weekly net liquidity (Fed assets - TGA - ON RRP, USD bn) from the last Wednesday
# on or before `start` to the last Wednesday on or before the spike, split into the Fed's
# balance sheet, the TGA (a build-up counts as a drain) and ON RRP.

# %%
record("net_liquidity_change_bn", parts["total"], label="Net liquidity change", unit="USD bn", show=False)
record("tga_contribution_bn", parts["tga"], label="TGA contribution", unit="USD bn", show=False)
bars = parts.rename({"fed": "Fed balance sheet", "tga": "TGA (minus its change)", "rrp": "ON RRP (minus its change)",
                     "total": "Net liquidity"})
fig = plots.bar_chart(bars, title=f"Net liquidity change {parts.attrs['from'].date()} to {parts.attrs['to'].date()}",
                      unit="usd_bn")
present.figure(fig, alt=f"Bar chart: net liquidity changed by {parts['total']:,.0f} USD bn from "
                        f"{parts.attrs['from'].date()} to {parts.attrs['to'].date()}; the TGA bar is {parts['tga']:,.0f}.",
               caption="Negative bars drained liquidity. The TGA bar is minus the TGA's change.",
               source=present.source_line(["fed_assets", "tga_weekly", "on_rrp"]), data=bars.rename("usd_bn"))

# %% [markdown]
# ## 2025-10-31, the day of the spike

# %%
spike = views.values_on(["sofr", "iorb", "sofr_iorb_bp", "sofr_p99", "on_rrp", "repo_take_up", "tga_daily", "reserves"],
                        [spike_date], zero_when_absent=["repo_take_up"])
at = spike.set_index("quantity")["value"]
record("sofr_on_spike", at["sofr"], label="SOFR", unit="percent", show=False)
record("iorb_on_spike", at["iorb"], label="IORB", unit="percent", show=False)
record("sofr_iorb_on_spike", at["sofr_iorb_bp"], label="SOFR - IORB", unit="bp", show=False)
record("repo_take_up_on_spike", at["repo_take_up"], label="Repo facility take-up", unit="USD bn", show=False)
present.table(spike.assign(quantity=[present.short_name(n) for n in spike["quantity"]], _unit=spike["unit"],
                           unit=[present.UNIT_HEADERS.get(u, u) for u in spike["unit"]])
              .set_index("quantity")[["value", "unit", "observed_on", "_unit"]],
              row_units=("_unit", ["value"]), labels={"observed_on": "observed on"}, index_label="",
              caption=f"The plumbing on {spike_date}")

# %%
zoom = (pd.Timestamp(spike_date) - pd.DateOffset(days=45), pd.Timestamp(spike_date) + pd.DateOffset(days=30))
rates = load(["sofr", "sofr_p1", "sofr_p99", "iorb", "effr", "fed_target_upper", "fed_target_lower"], *zoom)
fig = plots.rate_corridor_chart(rates, reserve_rate="iorb", title=f"Overnight rates, {zoom[0]:%b %d} to {zoom[1]:%b %d %Y}",
                                events=events.chart_for(*zoom))
present.figure(fig, alt="Chart of SOFR with its 1st-99th percentile band, EFFR, IORB and the fed funds target range "
                        "around 2025-10-31: SOFR rises above IORB at the end of October and falls back in November.",
               caption="SOFR above IORB means overnight cash cost more in the market than the Fed pays on reserves; "
                       "above the top of the range is the Fed losing control of rates.",
               source=present.source_line(["sofr", "sofr_p1", "sofr_p99", "iorb", "effr", "fed_target_upper"]), data=rates)

# %% [markdown]
# ## The 2025-11-04 "everything sell-off"
#
# Each asset's move on the day against its own previous close (bitcoin and ether trade every
# day, so their previous observation is the day before), in percent and in volatility units
# (standard deviations of the asset's own daily moves over the previous year).

# %%
for name in assets:
    record(f"{name}_move_on_selloff", moves.loc[name, "move"], label=f"{name} on {selloff_date}", unit="%", show=False)
fig = plots.bar_chart(moves.loc[assets, "z"].rename(index=lambda n: views.title_of(n).split(" (")[0]),
                      title=f"Moves on {selloff_date}, in standard deviations of daily moves", unit="z",
                      value_format="{:+.1f} sd")
present.figure(fig, alt=f"Bar chart of the moves of {', '.join(assets)} on {selloff_date} in standard deviations of "
                        "their own daily moves; all are negative.",
               caption="All five falling on one day is what article 002 calls the everything sell-off; the bars show "
                       "how unusual each fall was for that asset (beyond 2 standard deviations is rare).",
               source=present.source_line(assets), data=moves.loc[assets, ["move", "z"]])
present.table(moves.rename(index=lambda n: views.title_of(n))[["previous_date", "previous", "value", "move", "move_unit", "z"]]
              .replace({"move_unit": {"%": "pct_change", "percent": "pp"}}),
              units={"z": "z"}, row_units=("move_unit", ["move"]), index_label="",
              labels={"previous_date": "previous date", "previous": "previous value", "move_unit": "move in"},
              caption=f"Moves on {selloff_date}: percent for prices, percentage points for rates")

# %% [markdown]
# ## After the shutdown: did the chain reverse?
#
# Changes from the end of the shutdown to the end of the window. A window that ends on a
# year-end measures the year-end turn as well; the findings use the median spread instead.

# %%
reversal = views.changes_between(chain + ["net_liquidity"], shutdown[1] if shutdown else start, end)
record("tga_change_after_shutdown_bn", reversal.loc["tga_daily", "change"], label="TGA change after the shutdown",
       unit="USD bn", show=False)
present.table(reversal.rename(index=lambda n: views.title_of(n))[["unit", "from_date", "from", "to_date", "to", "change"]],
              row_units=("unit", ["from", "to", "change"]), index_label="",
              labels={"from_date": "from date", "from": "value then", "to_date": "to date", "to": "value at the end"},
              caption="From the end of the shutdown to the end of the window (each in its own unit)")

# %% [markdown]
# ## Events on this page

# %%
present.table(events.table_frame(), index_label="#")

# %% [markdown]
# ## The articles' claims in this window, beside the data

# %%
record("claims_in_window", len(claims), label="Claims dated in this window", show=False)
views.styled(claims)
