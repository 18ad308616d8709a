"""Estimation code for the articles' causal claims, one module per question.

- :mod:`plumbing.models.reserve_demand`: reserves and the "red line" (hinge regression of the
  EFFR/SOFR - IORB spread on the reserve ratio, rolling slope, USD 3tn and NY Fed benchmarks).
- :mod:`plumbing.models.net_liquidity_equities`: net liquidity and equities (unit roots,
  cointegration, rolling beta, Granger causality, VAR impulse responses, the "fair value" rule
  out of sample).
- :mod:`plumbing.models.regimes`: article 004's Fed liquidity x dollar quadrants and monthly
  asset returns by quadrant (HAC standard errors).
- :mod:`plumbing.models.event_study`: abnormal returns around the episodes and the CME gold and
  silver margin changes; binomial test of "margin hikes precede falls".

Every estimator returns a :class:`ModelResult`: ``.table`` (a DataFrame with standard
errors), ``.sample`` and ``.spec`` (plain text), printable with ``print(result)``. Pure
functions take Series/DataFrames; ``run_*(loader=None, **spec)`` loads the real data.
No plotting here.
"""

from ._base import ModelResult

__all__ = ["ModelResult"]
