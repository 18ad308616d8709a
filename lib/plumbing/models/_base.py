"""Shared pieces of the estimation modules: the result object and parameter checks.

Every estimator returns a :class:`ModelResult` (or a subclass): a table (a pandas
DataFrame with estimates and standard errors), the sample it was estimated on (dates and
n, as plain text) and the specification (plain text), so the three can be printed side by
side. Extra frames needed for plots are attributes of the subclasses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm



@dataclass
class ModelResult:
    """A table of estimates with the sample and the specification that produced it.

    ``table``: estimates with standard errors (and p-values / intervals where relevant).
    ``sample``: plain text, the dates, frequency and n the estimate used, and what was dropped.
    ``spec``: plain text, the model and every parameter that defines it.
    ``n``, ``start``, ``end``: the sample size and first/last date used.
    """

    name: str
    table: pd.DataFrame
    sample: str
    spec: str
    n: int = 0
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    notes: list[str] = field(default_factory=list)

    def report(self) -> str:
        """The name, specification, sample, table and notes as one plain-text block."""
        lines = [self.name, f"Specification: {self.spec}", f"Sample: {self.sample}", "",
                 self.table.to_string()]
        if self.notes:
            lines += ["", "Notes:"] + [f"- {note}" for note in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:  # print(result) shows everything needed to read the table
        return self.report()


def newey_west_lags(n: int) -> int:
    """The Newey-West (1994) rule of thumb for HAC lags: floor(4 (n/100)^(2/9))."""
    return int(np.floor(4 * (max(n, 1) / 100.0) ** (2.0 / 9.0)))


def check_choice(name: str, value: object, valid: Iterable[object]) -> None:
    """Raise ValueError naming the bad value and the valid ones."""
    valid = list(valid)
    if value not in valid:
        raise ValueError(f"{name}={value!r} is not valid; valid: {', '.join(map(repr, valid))}")


def check_positive_int(name: str, value: object, minimum: int = 1) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name}={value!r} is not valid; it must be a whole number >= {minimum}")


def check_fraction(name: str, value: object, low: float = 0.0, high: float = 1.0) -> None:
    if not isinstance(value, (int, float, np.floating)) or not low < float(value) < high:
        raise ValueError(f"{name}={value!r} is not valid; it must be a number strictly between {low} and {high}")


def check_window(name: str, window: object, *, allow_negative: bool = True) -> tuple[int, int]:
    """A (first, last) pair of whole numbers with first <= last."""
    if (not isinstance(window, (tuple, list)) or len(window) != 2
            or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in window)
            or window[0] > window[1]):
        raise ValueError(f"{name}={window!r} is not valid; give (first, last) whole numbers with first <= last, "
                         "e.g. (-120, -11)")
    if not allow_negative and window[0] < 0:
        raise ValueError(f"{name}={window!r} is not valid; it must not start before 0")
    return int(window[0]), int(window[1])


def as_series(name: str, values: object) -> pd.Series:
    """A float Series on a sorted DatetimeIndex (raises a clear error otherwise)."""
    if not isinstance(values, pd.Series):
        raise TypeError(f"{name} must be a pandas Series with a DatetimeIndex, got {type(values).__name__}")
    if not isinstance(values.index, pd.DatetimeIndex):
        raise TypeError(f"{name} must have a DatetimeIndex, got {type(values.index).__name__}")
    series = values.astype(float).sort_index()
    if series.index.has_duplicates:
        raise ValueError(f"{name} has duplicate dates (e.g. {series.index[series.index.duplicated()][0].date()})")
    return series


def date_span(index: pd.Index) -> str:
    if len(index) == 0:
        return "empty"
    return f"{pd.Timestamp(index[0]).date()}..{pd.Timestamp(index[-1]).date()}"


def rolling_slope(x: pd.Series, y: pd.Series, window: int = 104, min_obs: int | None = None,
                  method: str = "ewc", level: float = 0.95, hac_lags: int | None = None) -> pd.DataFrame:
    """Trailing-window OLS slope of ``y`` on ``x`` with an interval that survives persistent errors.

    For each date, uses the last ``window`` rows (of the aligned, complete observations) up
    to and including that date: ``y = c + slope * x + e``. With weekly data the default
    window is 104 weeks (two years). Returns ``slope`` (units of y per unit of x), ``se``,
    ``low``/``high`` (the ``level`` interval) and ``dof`` by ``method``: ``"ewc"`` (default;
    EWC with nu = 0.4 n^(2/3) cosine terms and t(nu) critical values, Lazarus-Lewis-Stock-Watson
    2018), ``"nw_fixed_b"`` (Newey-West, fixed-b critical values) or ``"nw"`` (naive
    Newey-West, ``hac_lags`` lags or the textbook rule, normal critical values); plus ``n`` and
    ``window_start``. Dates with fewer than ``min_obs`` (default: the full window) complete
    rows, or with no variation in x, are absent.
    """
    from .inference import HAR_METHODS, sandwich

    check_positive_int("window", window, 3)
    min_obs = window if min_obs is None else min_obs
    check_positive_int("min_obs", min_obs, 3)
    if min_obs > window:
        raise ValueError(f"min_obs={min_obs} is larger than window={window}")
    check_choice("method", method, HAR_METHODS)
    if hac_lags is not None:
        check_positive_int("hac_lags", hac_lags, 0)
    check_fraction("level", level)
    both = pd.concat({"x": as_series("x", x), "y": as_series("y", y)}, axis=1, sort=True).dropna()
    rows = []
    xv, yv = both["x"].to_numpy(), both["y"].to_numpy()
    for end in range(min_obs, len(both) + 1):
        lo = max(0, end - window)
        xs, ys = xv[lo:end], yv[lo:end]
        if np.ptp(xs) == 0:
            continue
        design = np.column_stack([np.ones(len(xs)), xs])
        beta, *_ = np.linalg.lstsq(design, ys, rcond=None)
        cov, crit, dof, _ = sandwich(design, ys - design @ beta, method, level, hac_lags)
        se = float(np.sqrt(cov[1, 1]))
        rows.append((both.index[end - 1], beta[1], se, beta[1] - crit * se, beta[1] + crit * se, dof, end - lo,
                     both.index[lo]))
    out = pd.DataFrame(rows, columns=["date", "slope", "se", "low", "high", "dof", "n", "window_start"]).set_index("date")
    out.attrs = {"window": window, "min_obs": min_obs, "method": method, "level": level, "hac_lags": hac_lags}
    return out


def hac_mean(values: pd.Series | np.ndarray, hac_lags: int) -> tuple[float, float, int]:
    """Mean of ``values`` (NaN dropped) with its Newey-West standard error, and n."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) < 2:
        return (float(v.mean()) if len(v) else float("nan"), float("nan"), len(v))
    fit = sm.OLS(v, np.ones(len(v))).fit(cov_type="HAC", cov_kwds={"maxlags": hac_lags})
    return float(v.mean()), float(fit.bse[0]), len(v)


def last_contiguous_block(frame: pd.DataFrame, freq: str) -> tuple[pd.DataFrame, int]:
    """The last run of complete rows on a regular calendar (``freq``, e.g. ``"W-WED"``).

    Rows are reindexed on the regular calendar between the first and last date; a missing
    date or a row with any missing value breaks the run. Returns the block and how many
    complete rows before it were left out (so gaps are dropped and reported, never filled).
    """
    if frame.empty:
        return frame, 0
    regular = frame.reindex(pd.date_range(frame.index[0], frame.index[-1], freq=freq))
    complete = regular.notna().all(axis=1).to_numpy()
    if not complete.any():
        return frame.iloc[0:0], 0
    last = len(complete) - 1 - int(np.argmax(complete[::-1]))
    first = last
    while first > 0 and complete[first - 1]:
        first -= 1
    block = regular.iloc[first:last + 1]
    block.index.name = frame.index.name
    left_out = int(complete[:first].sum())
    return block, left_out


def ordered_index(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``frame.set_index(keys)`` keeping the rows' order of appearance, lexsorted.

    Each key becomes an ordered categorical level (categories in order of appearance), so
    ``table.loc[("spx", "[+0,+9]")]`` is fast and warning-free while the rows keep a
    readable order (windows in time order, not alphabetical).
    """
    frame = frame.copy()
    for key in keys:
        frame[key] = pd.Categorical(frame[key], categories=list(pd.unique(frame[key])))
    return frame.set_index(keys).sort_index(kind="stable")


def with_normal_band(frame: pd.DataFrame, estimate: str = "slope", se: str = "se", level: float = 0.95) -> pd.DataFrame:
    """``frame`` with ``low``/``high`` columns: ``estimate`` -/+ z * ``se`` (normal approximation,
    ``level`` two-sided; 0.95 gives +/- 1.96 standard errors). Rows lacking either are dropped."""
    from scipy.stats import norm

    check_fraction("level", level)
    z = float(norm.ppf(0.5 + level / 2))
    out = frame.dropna(subset=[estimate, se]).copy()
    out["low"], out["high"] = out[estimate] - z * out[se], out[estimate] + z * out[se]
    return out


def beside(sample: str, spec: str, inference: str, findings: Iterable[str] = ()) -> str:
    """Markdown stating a table's sample, specification and inference method (shown beside it),
    followed by ``findings`` (e.g. what survives the robustness checks) as bullet points."""

    def plain(text: object) -> str:  # formulas contain * and _ that Markdown would eat
        return "".join("\\" + ch if ch in "*_`[]<>#|" else ch for ch in str(text))

    bullets = "".join(f"\n- {plain(line)}" for line in findings)
    return (f"*Sample:* {plain(sample)}  \n*Specification:* {plain(spec)}  \n*Inference:* {plain(inference)}"
            + (f"\n{bullets}" if bullets else ""))


def month_count(n: int) -> str:
    """``"1 month"``, ``"2 months"``."""
    return f"{n} month" if n == 1 else f"{n} months"


def p_text(p: float) -> str:
    """A p-value as the report tables print it: ``"<0.001"`` or two significant figures."""
    from ..present import fmt  # one rule for p-values, in tables and in sentences

    return fmt(p, "pvalue")


def survival_sentence(claim: str, holds_in_headline: bool, holds: pd.Series) -> str:
    """One sentence on whether a conclusion of the headline holds in each alternative.

    ``holds``: a boolean Series indexed by the alternatives' labels. The sentence names the
    alternatives that disagree with the headline (where the conclusion fails if it holds in
    the headline, where it holds if it does not).
    """
    yes = [str(label) for label, ok in holds.items() if bool(ok)]
    no = [str(label) for label, ok in holds.items() if not bool(ok)]
    n = len(holds)
    if holds_in_headline:
        if not n:
            return f"{claim}: yes in the headline; no alternatives were run."
        if not no:
            return f"{claim}: yes, in the headline and in all {n} alternatives."
        if not yes:
            return f"{claim}: yes in the headline, but in none of the {n} alternatives."
        return f"{claim}: yes in the headline and in {len(yes)} of {n} alternatives; not in: {'; '.join(no)}."
    if not n:
        return f"{claim}: not in the headline; no alternatives were run."
    if not yes:
        return f"{claim}: no, neither in the headline nor in any of the {n} alternatives."
    return f"{claim}: not in the headline, but in {len(yes)} of {n} alternatives: {'; '.join(yes)}."


def specifications(alternatives: Iterable[str | dict], menu: dict[str, tuple[str, dict]], base: dict,
                   valid: Iterable[str], describe=None) -> list[tuple[str, dict]]:
    """The headline and each alternative as (label, full specification) pairs, headline first.

    ``alternatives``: names from ``menu`` (name -> (label, changes)) or dicts of changes;
    ``base``: the headline specification; ``valid``: the choices a specification may set (an
    unknown one raises ValueError naming it); ``describe``: labels a dict (default ``k=v, ...``).
    """
    valid = list(valid)
    out = [("headline", dict(base))]
    for alt in alternatives:
        if isinstance(alt, str):
            check_choice("alternative", alt, menu)
            label, change = menu[alt]
        else:
            label, change = (describe(alt) if describe else ", ".join(f"{k}={v}" for k, v in alt.items())), dict(alt)
        out.append((label, {**base, **change}))
    unknown = sorted({k for _, spec in out for k in spec if k not in valid})
    if unknown:
        raise ValueError(f"unknown specification choice(s) {unknown}; valid: {', '.join(sorted(valid))}")
    return out


def menu_table(menu: dict[str, tuple[str, dict]]) -> pd.DataFrame:
    """A robustness menu as a table: one row per name with its label and what it changes."""
    return pd.DataFrame({"alternative": [label for label, _ in menu.values()],
                         "changes": [", ".join(f"{k}={v}" for k, v in change.items()) for _, change in menu.values()]},
                        index=pd.Index(list(menu), name="name"))
