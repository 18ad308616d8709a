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
# # The articles' claims, checked against data
#
# Every numeric claim in the five source articles, with the value computed from data and a
# verdict: supported, partly (the detail says how), contradicted, or not checkable (the detail
# says what data would be needed). Verdicts come from data; `data/claims.yaml` holds only what
# the articles say.

# %% tags=["parameters"]
articles = ["000", "001", "002", "003", "004"]

# %%
from plumbing import plots, views
from plumbing.claims import verdict_counts
from plumbing.reports import record

plots.use_house_style()
table = views.claims_table(articles=articles)
counts = verdict_counts(table)
for verdict, count in counts.items():
    record(f"count_{verdict}", int(count), label=verdict)
fig = plots.bar_chart(counts.astype(float), title=f"Verdicts on {len(table)} claims", unit="claims",
                      colors=views.VERDICT_BAR_COLOURS, value_format="{:.0f}",
                      caption="Not checkable mostly means the data are not public (forward P/E, fund positions, flows).")
plots.shown([fig])

# %%
by_article = (table.assign(article=table["article"].str.slice(0, 3)).groupby(["article", "verdict"]).size()
              .unstack(fill_value=0).reindex(columns=counts.index, fill_value=0))
by_article

# %% [markdown]
# ## Article 000 (2026-02-07): the February 2026 crash

# %%
views.styled(table[table["article"].str.startswith("000")])

# %% [markdown]
# ## Article 001 (Nov 2025): the TGA drain and the repo market

# %%
views.styled(table[table["article"].str.startswith("001")])

# %% [markdown]
# ## Article 002 (2025-11-04): the everything sell-off

# %%
views.styled(table[table["article"].str.startswith("002")])

# %% [markdown]
# ## Article 003 (2023): speculative money leaving US stocks

# %%
views.styled(table[table["article"].str.startswith("003")])

# %% [markdown]
# ## Article 004 (2026-01-19): the early-2026 outlook

# %%
views.styled(table[table["article"].str.startswith("004")])
