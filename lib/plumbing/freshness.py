"""How old the data are: the newest observation, each series' age, and the series that lag.

A reader needs three facts before trusting a number: the date of the newest observation, how
many days old it is today, and which series stop earlier than the others of their frequency
(gold and silver ending in July while most daily series run into August, say). This module
computes them from last-observation dates (``{key: last date}``), the catalog's frequencies
and a reference taken over every cached series, so a report that reads only two daily series
still learns that one of them stops early.

Frequencies are grouped: ``daily`` (daily and business-day series), ``weekly`` (Wednesday levels
and week averages), ``monthly`` and ``quarterly``. A group's reference date is the median last
observation of its series; a series *lags* when its last observation is more than the group's
tolerance (calendar days, :data:`LAG_TOLERANCE_DAYS`) before that reference. A series more
than a year behind has most likely been discontinued or replaced (its catalog coverage says);
it is still named.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from .catalog import Catalog, load_catalog

#: catalog frequency -> the group whose series are compared with each other
FREQUENCY_GROUP: dict[str, str] = {
    "daily": "daily", "business": "daily", "weekly": "weekly", "weekly_average": "weekly",
    "monthly": "monthly", "quarterly": "quarterly",
}
#: how far (calendar days) a series may stop before its group's median last date without lagging
LAG_TOLERANCE_DAYS: dict[str, int] = {"daily": 10, "weekly": 21, "monthly": 62, "quarterly": 120}
#: a series this far (calendar days) behind its group is described as ended, not merely late
ENDED_AFTER_DAYS = 365
#: how many lagging series a sentence names (most behind first); the rest are counted
MAX_NAMED = 6


@dataclass(frozen=True)
class SeriesAge:
    """One series' last observation, its age today and how far it trails its frequency group."""

    key: str
    title: str
    group: str
    last: pd.Timestamp
    age_days: int  # calendar days from the last observation to today
    behind_days: int  # calendar days before the group's reference date (0 if not behind)
    lagging: bool

    def describe(self) -> str:
        """``Gold (last 2026-07-10, 41 days behind most daily series)``, in plain words."""
        name = series_name(self.key)
        if not self.lagging:
            return f"{name} (last {self.last.date()})"
        if self.behind_days > ENDED_AFTER_DAYS:
            return f"{name} (ended {self.last.date()})"
        return f"{name} (last {self.last.date()}, {self.behind_days} days behind most {self.group} series)"


@dataclass(frozen=True)
class Freshness:
    """The age of a set of series on ``today``."""

    today: pd.Timestamp
    series: tuple[SeriesAge, ...]
    reference: Mapping[str, pd.Timestamp]  # group -> median last observation over all cached series

    @property
    def newest(self) -> pd.Timestamp | None:
        """The newest last observation among the series (the data's as-of date)."""
        return max((s.last for s in self.series), default=None)

    @property
    def newest_age_days(self) -> int | None:
        """Days from :attr:`newest` to today."""
        return None if self.newest is None else int((self.today - self.newest).days)

    @property
    def lagging(self) -> list[SeriesAge]:
        """The series that stop before the others of their frequency, most behind first."""
        return sorted((s for s in self.series if s.lagging), key=lambda s: (-s.behind_days, s.key))

    def sentence(self, priority: Iterable[str] = (), *, whose: str = "in this report") -> str:
        """Plain words for a report header: as-of date (and the series that sets it), its age,
        and the lagging series; those in ``priority`` (a watch list's series) are named first,
        under their own heading, the others after them."""
        if self.newest is None:
            return "This report read no cached series."
        days = self.newest_age_days
        setters = [series_name(s.key) for s in self.series if s.last == self.newest]
        by = f" ({', '.join(setters[:3])}{' and others' if len(setters) > 3 else ''})" if setters else ""
        text = (f"The newest data {whose} are from {self.newest.date()}, "
                f"{days} day{'s' if days != 1 else ''} old on {self.today.date()}{by}.")
        late = self.lagging
        if not late:
            return text + " No series stops noticeably before the others of its frequency."
        first = set(priority)
        current = [s for s in late if s.behind_days <= ENDED_AFTER_DAYS]
        ended = [s for s in late if s.behind_days > ENDED_AFTER_DAYS]
        watched = [s for s in current if s.key in first]
        others = [s for s in current if s.key not in first]
        if current:
            named = others[:MAX_NAMED]
            more = len(others) - len(named)
            listed = "; ".join(s.describe() for s in named) + (f"; and {more} more" if more else "")
            text += " Series that stop before the others of their frequency: "
            if watched:
                text += "on the watch list, " + "; ".join(s.describe() for s in watched)
                text += f"; elsewhere, {listed}." if named else "."
            else:
                text += listed + "."
        if ended:
            text += " Ended or withdrawn: " + ", ".join(s.describe() for s in ended) + "."
        return text


def series_name(key: str) -> str:
    """A series' name for a sentence standing alone: its short label, or, where that label only
    reads beside its parent series (``of which Treasury collateral``), its catalog title up to
    the parenthesis (``Fed repo operations, Treasury collateral accepted``)."""
    from .present import short_name
    from .quantities import title_of

    name = short_name(key).split(" (")[0]
    if not name or name.split()[0] in ("of", "and", "which", "with", "incl.", "including"):
        name = title_of(key).split(" (")[0]
    return name


def series_id(key: str) -> str:
    """The publisher's id a quantity's title names in parentheses (``DEXJPUS``), or ``""``."""
    from .quantities import title_of

    title = title_of(key)
    return title.rsplit("(", 1)[1].rstrip(")") if title.endswith(")") and "(" in title else ""


def _day(value: object) -> pd.Timestamp:
    """A naive midnight timestamp (a tz-aware value is first converted to UTC)."""
    stamp = pd.Timestamp(value)
    return (stamp.tz_convert(None) if stamp.tzinfo else stamp).normalize()


def group_references(last_by_key: Mapping[str, object], catalog: Catalog | None = None) -> dict[str, pd.Timestamp]:
    """The median last observation of each frequency group over ``last_by_key``."""
    catalog = catalog or load_catalog()
    by_group: dict[str, list[pd.Timestamp]] = {}
    for key, last in last_by_key.items():
        if key in catalog and last is not None:
            by_group.setdefault(FREQUENCY_GROUP[catalog[key].frequency], []).append(_day(last))
    return {group: pd.Series(dates).sort_values().iloc[(len(dates) - 1) // 2] for group, dates in by_group.items()}


def assess(last_by_key: Mapping[str, object], today: object, *, reference_last: Mapping[str, object] | None = None,
           catalog: Catalog | None = None) -> Freshness:
    """The age of each series in ``last_by_key`` on ``today``, judged against ``reference_last``.

    ``reference_last`` (``{key: last date}`` over every cached series, by default
    ``last_by_key`` itself) sets each frequency group's median last date. Keys not in the
    catalog are ignored.
    """
    catalog = catalog or load_catalog()
    today_ts = _day(today)
    reference = group_references(reference_last if reference_last is not None else last_by_key, catalog)
    ages = []
    for key, last in sorted(last_by_key.items()):
        if key not in catalog or last is None:
            continue
        spec = catalog[key]
        group = FREQUENCY_GROUP[spec.frequency]
        last_ts = _day(last)
        ref = reference.get(group, last_ts)
        behind = max(0, int((ref - last_ts).days))
        ages.append(SeriesAge(key=key, title=spec.title, group=group, last=last_ts,
                              age_days=int((today_ts - last_ts).days), behind_days=behind,
                              lagging=behind > LAG_TOLERANCE_DAYS[group]))
    return Freshness(today=today_ts, series=tuple(ages), reference=reference)


def cached_last_dates(cache: object = None, catalog: Catalog | None = None) -> dict[str, pd.Timestamp]:
    """``{key: last observation}`` of every catalog series in the cache (metadata, no data read)."""
    from .cache import SeriesCache

    catalog = catalog or load_catalog()
    cache = cache or SeriesCache()
    out = {}
    for key in catalog.keys():
        meta = cache.metadata(key)
        if meta is not None and meta.last:
            out[key] = pd.Timestamp(meta.last)
    return out


@dataclass(frozen=True)
class Coverage:
    """The latest date a watch list covers (``date``), the series whose data end on it and so set
    it (``set_by``), and those left out because they lag, with their last dates (``lagging``)."""

    date: pd.Timestamp
    set_by: tuple[str, ...]
    lagging: dict[str, pd.Timestamp]
    last: dict[str, pd.Timestamp]  # every series' last observation


def coverage(names: Iterable[str], *, loader: object = None,
             tolerance_days: int = LAG_TOLERANCE_DAYS["daily"]) -> Coverage:
    """The latest date a watch list covers, the series that set it and those that lag.

    Each quantity's last observation is compared with the median last observation of the
    list: one more than ``tolerance_days`` calendar days behind lags (the NY Fed repo file,
    say) and is shown at its own last date, and named. The date is the earliest last
    observation of the others, so on it every one of them has data; the series ending on it
    set it.
    """
    from .quantities import quantity

    names = list(names)
    lasts = {}
    for name in names:
        series = quantity(name, loader=loader).dropna()
        if series.empty:
            raise ValueError(f"{name} has no observations, so no date is covered by all of {names}")
        lasts[name] = series.index.max()
    ordered = sorted(lasts.values())
    median = ordered[(len(ordered) - 1) // 2]
    lagging = {n: d for n, d in lasts.items() if (median - d).days > tolerance_days}
    current = {n: d for n, d in lasts.items() if n not in lagging}
    date = min(current.values())
    return Coverage(date=date, set_by=tuple(n for n, d in current.items() if d == date), lagging=lagging, last=lasts)


def watch_list_coverage(names: Iterable[str], *, loader: object = None,
                        tolerance_days: int = LAG_TOLERANCE_DAYS["daily"]) -> tuple[pd.Timestamp, dict[str, pd.Timestamp]]:
    """:func:`coverage` as ``(date, lagging)``."""
    found = coverage(names, loader=loader, tolerance_days=tolerance_days)
    return found.date, found.lagging


def watch_list_sentence(as_of: object, today: object, set_by: Iterable[str] = (),
                        lagging: Mapping[str, object] | None = None, *, latest: bool = True) -> str:
    """``The watch list stands on 2026-08-14, 110 days old on 2026-12-02: USDJPY (DEXJPUS) ends
    there and sets the date. Shown at their own earlier dates: Repo take-up (2026-01-30).``

    ``latest``: the date is the latest the whole list covers (False: a date the user chose).
    """
    day, now = _day(as_of), _day(today)
    age = int((now - day).days)
    text = f"The watch list stands on {day.date()}, {age} day{'s' if age != 1 else ''} old on {now.date()}"
    setters = [f"{series_name(n)}{f' ({series_id(n)})' if series_id(n) else ''}" for n in set_by]
    if latest and setters:
        verb = "ends" if len(setters) == 1 else "end"
        text += f": {' and '.join(setters)} {verb} there and set{'s' if len(setters) == 1 else ''} the date"
    elif not latest:
        text += " (the date asked for)"
    text += "."
    if lagging:
        text += (" Shown at their own earlier dates because their data stop early: "
                 + "; ".join(f"{series_name(n)} ({_day(d).date()})" for n, d in lagging.items()) + ".")
    return text


def latest_covered_date(names: Iterable[str], *, loader: object = None) -> pd.Timestamp:
    """The latest date the watch list covers (see :func:`watch_list_coverage`): used for a
    monitor's default ``as_of``."""
    return watch_list_coverage(names, loader=loader)[0]


def resolve_as_of(as_of: object, names: Iterable[str], *, loader: object = None) -> pd.Timestamp:
    """A report's ``as_of`` parameter as a date: ``"latest"`` is :func:`latest_covered_date` of ``names``."""
    if isinstance(as_of, str) and as_of.strip().lower() == "latest":
        return latest_covered_date(names, loader=loader)
    try:
        return _day(as_of)
    except (TypeError, ValueError):
        raise ValueError(f"as_of={as_of!r} is neither 'latest' nor a date (YYYY-MM-DD)") from None
