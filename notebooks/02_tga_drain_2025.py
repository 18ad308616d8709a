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

from plumbing import indicators, load, plots, views
from plumbing.episodes import load_events
from plumbing.quantities import quantity_frame
from plumbing.reports import record

plots.use_house_style()
events = load_events(start, end)
events = events[events["kind"] != "cme_margin"]
shutdown_end = events.loc[events["kind"] == "shutdown_end", "date"].min()

# %% [markdown]
# ## The chain, link by link
#
# Daily TGA (Daily Treasury Statement), ON RRP take-up, weekly reserves, SOFR - IORB and Fed
# repo take-up, with the shutdown, the FOMC and the refunding marked.

# %%
frame = quantity_frame(chain, start, end)
fig = plots.small_multiples(frame, units=frame.attrs["units"], titles={n: views.title_of(n) for n in chain},
                            title="TGA up -> RRP at the floor -> SOFR - IORB up -> repo facility take-up",
                            events=events, ncols=2,
                            caption="If the articles are right, the TGA build-up lines up in time with reserves falling, "
                                    "the SOFR - IORB spread widening and repo take-up rising, and all reverse after the shutdown ends.")
plots.shown([fig])

# %% [markdown]
# ## Where the drain came from: net liquidity decomposed
#
# Change in weekly net liquidity (Fed assets - TGA - ON RRP, USD bn) from the last Wednesday
# on or before `start` to the last Wednesday on or before the spike, split into the Fed's
# balance sheet, the TGA (a build-up counts as a drain) and ON RRP.

# %%
weekly = load(["fed_assets", "tga_weekly", "on_rrp"], freq="W")
parts = indicators.decompose_net_liquidity_change(weekly, start, spike_date)
record("net_liquidity_change_bn", parts["total"], label="Net liquidity change", unit="USD bn")
record("tga_contribution_bn", parts["tga"], label="TGA contribution", unit="USD bn")
fig = plots.bar_chart(parts.rename({"fed": "Fed balance sheet", "tga": "TGA (minus its change)",
                                    "rrp": "ON RRP (minus its change)", "total": "Net liquidity"}),
                      title=f"Net liquidity change {parts.attrs['from'].date()} to {parts.attrs['to'].date()}",
                      unit="usd_bn", caption="Negative bars drained liquidity. The TGA bar is minus the TGA's change.")
plots.shown([fig])

# %% [markdown]
# ## 2025-10-31, the day of the spike

# %%
spike = views.values_on(["sofr", "iorb", "sofr_iorb_bp", "sofr_p99", "on_rrp", "repo_take_up", "tga_daily", "reserves"],
                        [spike_date])
at = spike.set_index("quantity")["value"]
record("sofr_on_spike", at["sofr"], label="SOFR", unit="percent")
record("iorb_on_spike", at["iorb"], label="IORB", unit="percent")
record("sofr_iorb_on_spike", at["sofr_iorb_bp"], label="SOFR - IORB", unit="bp")
record("repo_take_up_on_spike", at["repo_take_up"], label="Repo facility take-up", unit="USD bn")
spike.style.format(precision=3, na_rep="missing").hide(axis="index")

# %%
rates = load(["sofr", "sofr_p1", "sofr_p99", "iorb", "fed_target_upper", "fed_target_lower"],
             pd.Timestamp(spike_date) - pd.DateOffset(days=45), pd.Timestamp(spike_date) + pd.DateOffset(days=30))
fig = plots.line_chart(rates, title="SOFR and its 1st/99th percentiles against IORB and the target range", unit="percent",
                       events=events, labels={"sofr": "SOFR", "sofr_p1": "SOFR 1st pct", "sofr_p99": "SOFR 99th pct",
                                              "iorb": "IORB", "fed_target_upper": "target range top",
                                              "fed_target_lower": "target range bottom"}, caption="SOFR above IORB means overnight cash cost more in the market than the Fed "
                                              "pays on reserves; above the top of the range is the Fed losing control of rates.")
plots.shown([fig])

# %% [markdown]
# ## The 2025-11-04 "everything sell-off"
#
# Each asset's move on the day against its own previous close (bitcoin and ether trade every
# day, so their previous observation is the day before).

# %%
moves = views.day_moves(assets + ["sofr", "us10y"], selloff_date)
for name in assets:
    record(f"{name}_move_on_selloff", moves.loc[name, "move"], label=f"{name} on {selloff_date}", unit="%")
fig = plots.bar_chart(moves.loc[assets, "move"], title=f"Moves on {selloff_date}", unit="pct_change",
                      caption="All five falling on one day is what article 002 calls the everything sell-off.")
plots.shown([fig])
moves.style.format(precision=3, na_rep="missing")

# %% [markdown]
# ## After the shutdown: did the chain reverse?
#
# Changes from the end of the shutdown to the end of the window.

# %%
reversal = views.changes_between(chain + ["net_liquidity"], shutdown_end, end)
record("tga_change_after_shutdown_bn", reversal.loc["tga_daily", "change"], label="TGA change after the shutdown", unit="USD bn")
reversal.style.format(precision=2, na_rep="missing")

# %% [markdown]
# ## The articles' claims in this window, beside the data

# %%
claims = views.claims_table(start=start, end=end, articles=["001", "002"])
record("claims_in_window", len(claims), label="Claims dated in this window")
views.styled(claims)
