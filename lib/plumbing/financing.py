"""The Treasury's published cash-balance assumptions, read from the policy events table.

Each quarterly borrowing estimate states the end-of-quarter TGA balance it assumes ("assuming
end-March cash balance of 850bn (end-June 900bn)"). :func:`tga_plans` turns those sentences
of ``data/events/policy.csv`` (title column, with the press release as source) into rows:
when announced, for which month-end, how much. These are plans, facts about what the
Treasury said; the TGA's actual path is compared with them, never the other way round.
"""

from __future__ import annotations

import re

import pandas as pd

_FIRST = re.compile(r"end-([A-Z][a-z]+) cash balance of (\d[\d,.]*)\s*(bn|tn)")
_MORE = re.compile(r"end-([A-Z][a-z]+) (\d[\d,.]*)\s*(bn|tn)")


def _amount(number: str, scale: str) -> float:
    value = float(number.replace(",", ""))
    return value * 1000 if scale == "tn" else value


def _month_end(announced: pd.Timestamp, month_name: str) -> pd.Timestamp:
    month = pd.Timestamp(f"1 {month_name} 2000").month
    year = announced.year + (1 if month < announced.month - 1 else 0)
    return pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)


def tga_plans(events: pd.DataFrame) -> pd.DataFrame:
    """Cash-balance assumptions in borrowing-estimate rows of the policy events table.

    ``events`` has ``date``, ``kind``, ``label`` (or ``title``) and ``source``. Returns
    ``announced``, ``target_date`` (the month-end the assumption is for), ``target_bn``
    (USD bn) and ``source``, one row per stated month-end.
    """
    text_column = "label" if "label" in events.columns else "title"
    rows = []
    for _, event in events[events["kind"] == "refunding"].iterrows():
        text = str(event[text_column])
        first = _FIRST.search(text)
        if not first:
            continue
        announced = pd.Timestamp(event["date"])
        found = [first.groups()] + [m.groups() for m in _MORE.finditer(text[first.end():])]
        for month, number, scale in found:
            rows.append({"announced": announced, "target_date": _month_end(announced, month),
                         "target_bn": _amount(number, scale), "source": event.get("source", "")})
    return pd.DataFrame(rows, columns=["announced", "target_date", "target_bn", "source"])


def plan_vs_actual(plans: pd.DataFrame, tga: pd.Series) -> pd.DataFrame:
    """Each plan beside the TGA (USD bn, daily) on the last observation on or before its
    month-end: ``actual_date``, ``actual_bn`` and ``gap_bn`` (actual minus plan); missing
    where the TGA data do not reach the month-end yet."""
    tga = tga.dropna()
    out = plans.copy()
    actual_dates, actual_values = [], []
    for target in plans["target_date"]:
        before = tga.loc[:target]
        known = len(before) and tga.index.max() >= target
        actual_dates.append(before.index[-1] if known else pd.NaT)
        actual_values.append(float(before.iloc[-1]) if known else float("nan"))
    out["actual_date"] = actual_dates
    out["actual_bn"] = actual_values
    out["gap_bn"] = out["actual_bn"] - out["target_bn"]
    return out
