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
# Every checkable sentence of the five source articles (and the few figures only the project's
# brief gives), each with its Chinese quote, an English rendering, the **rule** the data must
# meet in plain words, the **observations used** (dates and values) and a verdict: supported,
# partly, contradicted, or not checkable (saying what data would be needed). For partly and
# contradicted verdicts the table gives the **nearest reading** under which the sentence would
# hold, where one exists. Plans quoted by an article are checked against the published plan;
# their outcome is a separate forecast check.
#
# Beside each verdict on today's data is the **point-in-time** verdict: the same check with only
# the observations published by the article's date (publication lags from `data/catalog.yaml`:
# H.4.1 on Thursday for Wednesday data, the Daily Treasury Statement and SOFR the next business
# day, H.10 weekly, GDP about 30 days after the quarter). Revisions are not reconstructed: values
# are today's vintage. A calendar flag marks readings that fall on a month-, quarter- or year-end
# or a tax date. `data/claims.yaml` holds only what the texts say; verdicts come from data.

# %% tags=["parameters"]
articles = ["000", "001", "002", "003", "004", "BRIEF"]

# %%
import pandas as pd

from plumbing import findings, plots, present, views
from plumbing.claims import article_title, scorecard, verdict_counts
from plumbing.reports import record

plots.use_house_style()
table = views.claims_table(articles=articles)
counts = verdict_counts(table)
for verdict, count in counts.items():
    record(f"count_{verdict}", int(count), label=verdict, show=False)
record("pit_changed", int(table["pit_changed"].sum()), label="verdicts that differ with the data published by the article's date",
       show=False)

# %%
present.findings(findings.claims_report(table))

# %% [markdown]
# ## Verdicts

# %%
fig = plots.bar_chart(counts.astype(float).rename(index=present.VERDICT_WORDS), title=f"Verdicts on {len(table)} claims",
                      unit="count", colors={present.VERDICT_WORDS[v]: c for v, c in views.VERDICT_BAR_COLOURS.items()},
                      value_format="{:.0f}")
present.figure(fig, alt=f"Bar chart of the verdicts on {len(table)} claims: " +
                        ", ".join(f"{v.replace('_', ' ')} {int(c)}" for v, c in counts.items()) + ".",
               caption="Not checkable mostly means the data are not public (forward P/E, fund positions, flows).",
               source="data/claims.yaml (the articles' sentences) checked against the series listed at the end",
               data=counts.rename("claims"))

# %% [markdown]
# ## Scorecard
#
# By article (the brief: figures only the project's brief gives), then by check kind.

# %%
by_article = scorecard(table, by="article")
by_article.index = [article_title(a) if a != "total" else "total" for a in by_article.index]
by_article.index.name = "article"
present.table(by_article.rename(columns={"not_checkable": "not checkable"}), units={c: "count" for c in ("supported", "partly", "contradicted",
                                                                           "not checkable", "total")},
              caption="Verdicts by article")

# %%
present.table(scorecard(table, by="check").rename(columns={"not_checkable": "not checkable"}),
              units={c: "count" for c in ("supported", "partly", "contradicted", "not checkable", "total")},
              caption="Verdicts by check kind")

# %% [markdown]
# ## Where publication lags change what a reader could have seen
#
# Claims whose point-in-time verdict (data published by the article's date) differs from the
# verdict on today's data, then those whose verdict is the same but whose observations differ
# (a series not yet published, a later observation not yet known). Forecasts have no
# point-in-time verdict: their outcome lay in the future.

# %%
lagged = table[table["pit_changed"]]
present.claims(lagged) if len(lagged) else present.note("No verdict changes with the data published by the article's date.")

# %%
same = table[table["pit_data_changed"] & ~table["pit_changed"]]
shown = views.claims_for_display(same)
present.table(pd.DataFrame({"claim": shown["claim"], "article": shown["article"], "as of": same["as_of"],
                            "verdict": same["verdict"].map(present.VERDICT_WORDS), "data today": shown["data used"],
                            "data published by then": same["data_asof"], "publication lags": same["release"]})
              .set_index("claim"),
              caption="Same verdict, different observations at the article's date")

# %% [markdown]
# ## Calendar effects
#
# Readings that depend on a month-, quarter- or year-end or a tax date. Each is either about
# that very day (the reason is given) or has been moved off it or replaced by a window median.

# %%
flagged = table[table["calendar"] != ""]
present.table(pd.DataFrame({"claim": views.claims_for_display(flagged)["claim"],
                            "article": [article_title(a) for a in flagged["article"]],
                            "verdict": flagged["verdict"].map(present.VERDICT_WORDS), "calendar": flagged["calendar"]})
              .set_index("claim"), caption="Readings on calendar dates")

# %% [markdown]
# ## Article 000 (2026-02-07): the February 2026 crash

# %%
present.claims(table[table["article"].str.startswith("000")])

# %% [markdown]
# ## Article 001 (Oct-Nov 2025): the TGA drain and the repo market

# %%
present.claims(table[table["article"].str.startswith("001")])

# %% [markdown]
# ## Article 002 (2025-11-04): the everything sell-off

# %%
present.claims(table[table["article"].str.startswith("002")])

# %% [markdown]
# ## Article 003 (2023): speculative money leaving US stocks

# %%
present.claims(table[table["article"].str.startswith("003")])

# %% [markdown]
# ## Article 004 (2026-01-19): the early-2026 outlook

# %%
present.claims(table[table["article"].str.startswith("004")])

# %% [markdown]
# ## The project's brief: Sept 2019 figures
#
# Figures the brief gives for the September 2019 repo spike. Article 001 itself says only that
# the Fed shrank its balance sheet too far in 2019 (checked under article 001).

# %%
brief = table[table["article"].str.startswith("BRIEF")]
present.claims(brief) if len(brief) else present.note("No claims of the brief selected.")

# %% [markdown]
# The full verdict table (id, article, quote, English claim, verdict, rule, data, point-in-time
# verdict) exports to CSV with `plumbing claims --csv PATH`.
