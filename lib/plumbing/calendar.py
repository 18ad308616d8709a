"""Upcoming plumbing dates: when cash moves between banks, the Treasury and the Fed.

Rules, not forecasts: month- and quarter-ends (window dressing, repo pressure), the quarterly
corporate and individual estimated-tax dates (Jan 15, Apr 15, Jun 15, Sep 15, Dec 15: cash
flows into the TGA), Treasury coupon settlement (the 15th and the last day of each month),
and the quarterly refunding announcement (early Feb, May, Aug, Nov). A date that falls on a
weekend moves to the next business day (US holidays are not modelled: the table says so).
FOMC meetings come from ``data/events/fomc.csv`` when it lists dates after ``as_of``.
"""

from __future__ import annotations

import pandas as pd

TAX_DATES = ((1, 15), (4, 15), (6, 15), (9, 15), (12, 15))
REFUNDING_MONTHS = (2, 5, 8, 11)


def _business_day(day: pd.Timestamp) -> pd.Timestamp:
    """The day itself, or the next Monday for a weekend (holidays not modelled)."""
    return day + pd.offsets.BDay(0)


def plumbing_calendar(as_of: object, days: int = 92, fomc: pd.DataFrame | None = None) -> pd.DataFrame:
    """Plumbing dates in the ``days`` calendar days after ``as_of``: date, what, why it matters."""
    start = pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)
    end = start + pd.Timedelta(days=days - 1)
    rows = []
    for month_end in pd.date_range(start, end + pd.offsets.MonthEnd(0), freq="ME"):
        last_bday = month_end - pd.offsets.BDay(0) if month_end.weekday() < 5 else month_end - pd.offsets.BDay(1)
        quarter = month_end.month in (3, 6, 9, 12)
        rows.append((last_bday, "quarter-end" if quarter else "month-end",
                     "balance-sheet window dressing; repo rates and SRF use tend to rise"
                     + ("; also year-end" if month_end.month == 12 else "")))
        rows.append((last_bday, "coupon settlement", "Treasury coupon settlement pulls cash into the TGA"))
        mid = _business_day(month_end.replace(day=15))
        rows.append((mid, "coupon settlement", "Treasury coupon settlement pulls cash into the TGA"))
        if (month_end.month, 15) in TAX_DATES:
            rows.append((mid, "tax date", "estimated-tax payments flow into the TGA, draining reserves"))
        if month_end.month in REFUNDING_MONTHS:
            first_wednesday = month_end.replace(day=1) + pd.offsets.Week(weekday=2)
            if month_end.replace(day=1).weekday() == 2:
                first_wednesday = month_end.replace(day=1)
            rows.append((first_wednesday, "refunding (approx.)",
                         "quarterly refunding announcement, usually the first Wednesday of the month: issuance sizes "
                         "and the TGA path"))
    if fomc is not None and len(fomc):
        for day in fomc.loc[fomc["date"] >= start, "date"]:
            rows.append((pd.Timestamp(day), "FOMC", "policy decision; balance-sheet plans"))
    frame = pd.DataFrame(rows, columns=["date", "what", "why it matters"])
    frame = frame[(frame["date"] >= start) & (frame["date"] <= end)]
    merged = (frame.groupby("date", sort=True)
              .agg({"what": lambda s: " + ".join(dict.fromkeys(s)), "why it matters": lambda s: "; ".join(dict.fromkeys(s))}))
    merged.index = [str(d.date()) for d in merged.index]
    merged.index.name = "date"
    return merged
