"""Estimation code for the articles' causal claims, one module per question.

- :mod:`plumbing.models.reserve_demand`: reserves and the "red line" (hinge regression of
  EFFR - IORB on reserves / bank assets with regime intercepts, calendar dummies and a deposits
  shifter; sieve-bootstrap intervals, a sup-F kink test, a robustness table; rolling and
  state-space slopes; USD 3tn and NY Fed benchmarks).
- :mod:`plumbing.models.net_liquidity_equities`: net liquidity and equities (cumulative local
  projections with release-timed returns, Holm adjustment, QLR stability; the "fair value" gap
  with a bootstrap predictive test and Clark-West; unit roots, cointegration, Granger, VAR).
- :mod:`plumbing.models.regimes`: article 004's Fed liquidity x dollar quadrants: the lagged
  state regression, quadrant means with Holm/BH, Markov switching.
- :mod:`plumbing.models.event_study`: abnormal returns around the episodes and the CME gold and
  silver margin changes; margin hikes by calendar cluster against a matched-state baseline with a
  wild-cluster bootstrap.
- :mod:`plumbing.models.inference`: what statsmodels lacks: EWC and fixed-b HAC intervals,
  dependent bootstraps with fixed regressors, Andrews' sup-Wald distribution, Clark-West, Holm/BH.

Each report's headline specification is stated once, as a module constant (``HEADLINE``,
``LP_HEADLINE``, ``REGIME_HEADLINE``, ``HIKE_HEADLINE``) with a menu of named alternatives for
its robustness table.

Every estimator returns a :class:`ModelResult`: ``.table`` (a DataFrame with standard
errors), ``.sample`` and ``.spec`` (plain text), printable with ``print(result)``. Pure
functions take Series/DataFrames; ``run_*(loader=None, **spec)`` loads the real data.
No plotting here.
"""

from ._base import ModelResult

__all__ = ["ModelResult"]
