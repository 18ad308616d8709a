"""Episodes and dated events, and event-time alignment of any series on any episodes.

Episodes live in ``data/episodes.yaml`` (one entry each: id, title, anchor date ``t0``,
window ``before``/``after`` in business days, summary, series of interest, events). Events
come from ``data/events/fomc.csv`` and ``data/events/policy.csv`` (each row with its source)
and from the snapshot's CME margin table, read at run time. A bad entry fails with a
message naming the file, the line, the entry and the field. Episode ids are slugs
(``^[a-z0-9][a-z0-9-]*$``): they name report files, so they can never point outside
``reports/``.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import config
from .catalog import Catalog, load_catalog, unknown_key_message
from .configfile import display_path, line_of, load_yaml
from .panel import Loader, align_to
from .quantities import QUANTITIES, quantity, quantity_frequency, quantity_unit
from .sources.snapshot import SnapshotSource

EPISODES_PATH: Path = config.DATA_DIR / "episodes.yaml"
EVENTS_DIR: Path = config.DATA_DIR / "events"
EVENT_TABLES = ("fomc.csv", "policy.csv")
CME_MARGINS = "cme_metals_margins"
EVENT_TIME_MODES = ("level", "change", "pct_change", "auto")
#: units compared across episodes in percent changes under ``mode="auto"`` (prices, indexes, FX)
RELATIVE_UNITS = ("index", "usd", "jpy_per_usd")
#: an episode id: lowercase letters, digits and hyphens, starting with a letter or digit
EPISODE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")  # matched whole (fullmatch): no trailing newline, at most 80
#: columns of the event tables that must be numbers
EVENT_NUMBER_COLUMNS = {"fomc.csv": ("lower", "upper", "change_bp")}


class EpisodeError(ValueError):
    """An episode entry is invalid; the message names the entry and the field."""


@dataclass(frozen=True)
class Event:
    """A dated marker on a chart."""

    date: pd.Timestamp
    label: str
    source: str


@dataclass(frozen=True)
class Episode:
    """One market episode, anchored at ``t0`` with a window in business days."""

    id: str
    title: str
    t0: pd.Timestamp
    before: int
    after: int
    summary: str
    series: tuple[str, ...]
    events: tuple[Event, ...] = field(default_factory=tuple)

    @property
    def start(self) -> pd.Timestamp:
        return self.t0 - pd.offsets.BDay(self.before)

    @property
    def end(self) -> pd.Timestamp:
        return self.t0 + pd.offsets.BDay(self.after)


def _date(value: object, where: str) -> pd.Timestamp:
    if isinstance(value, (dt.date, str)):
        try:
            return pd.Timestamp(value).normalize()
        except ValueError:
            pass
    raise EpisodeError(f"{where}: {value!r} is not a date (use YYYY-MM-DD)")


def _locate(raw: object, path: Path, name: str | None = None) -> str:
    """``episodes.yaml line N`` for a field of an entry read from a file (no line for a plain dict)."""
    line = line_of(raw, name)
    return f"{path.name} line {line}" if line else path.name


def _parse_episode(raw: dict, position: int, names: set[str], path: Path) -> Episode:
    ident = raw.get("id") if isinstance(raw, dict) else None
    entry = f"episode {ident!r}" if ident else f"episode #{position + 1}"
    where = f"{_locate(raw, path)}: {entry}"

    def at(name: str) -> str:
        return f"{_locate(raw, path, name)}: {entry} field {name!r}"

    if not isinstance(raw, dict):
        raise EpisodeError(f"{where}: expected a mapping")
    for name in ("id", "title", "t0", "summary", "series"):
        if raw.get(name) in (None, ""):
            raise EpisodeError(f"{where}: field {name!r} is missing")
    if not isinstance(raw["id"], str) or not EPISODE_ID.fullmatch(raw["id"]):
        raise EpisodeError(f"{at('id')}: {raw['id']!r} is not a valid id; use at most 80 lowercase letters, digits "
                           "and '-', starting with a letter or digit (e.g. 2024-08-yen-carry): the id names the report file")
    t0 = _date(raw["t0"], at("t0"))
    if t0.day_of_week >= 5:
        raise EpisodeError(f"{at('t0')}: {t0.date()} is a weekend; anchor on a business day")
    if "start" in raw or "end" in raw:
        start = _date(raw.get("start", t0), at("start"))
        end = _date(raw.get("end", t0), at("end"))
        if not start <= t0 <= end:
            raise EpisodeError(f"{at('t0')}: {t0.date()} is outside its window {start.date()}..{end.date()}")
        before = len(pd.bdate_range(start, t0)) - 1
        after = len(pd.bdate_range(t0, end)) - 1
    else:
        before, after = raw.get("before", 60), raw.get("after", 60)
        for name, value in (("before", before), ("after", after)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise EpisodeError(f"{at(name)}: {value!r} must be a whole number of business days >= 0 "
                                   "(t0 must lie inside its window)")
    series = raw["series"]
    if not isinstance(series, list):
        raise EpisodeError(f"{at('series')}: expected a list of catalog keys")
    for key in series:
        if key not in names:
            raise EpisodeError(f"{at('series')}: {unknown_key_message(key, names)}")
    events = []
    for number, event in enumerate(raw.get("events") or []):
        item = f"{_locate(event, path) if isinstance(event, dict) else _locate(raw, path, 'events')}: {entry} " \
               f"field 'events' item {number + 1}"
        if not isinstance(event, dict) or "date" not in event or "label" not in event:
            raise EpisodeError(f"{item}: needs date and label")
        events.append(Event(_date(event["date"], item), str(event["label"]), str(event.get("source", ""))))
    return Episode(id=str(raw["id"]), title=str(raw["title"]), t0=t0, before=before, after=after,
                   summary=str(raw["summary"]).strip(), series=tuple(series), events=tuple(events))


def parse_episodes(document: object, path: Path, catalog: Catalog | None = None) -> dict[str, Episode]:
    """Validate an episodes document; returns episodes by id, in file order."""
    if not isinstance(document, dict) or not isinstance(document.get("episodes"), list):
        raise EpisodeError(f"{path.name}: expected a top-level list 'episodes:'")
    names = set((catalog or load_catalog()).keys()) | set(QUANTITIES)
    episodes: dict[str, Episode] = {}
    for position, raw in enumerate(document["episodes"]):
        episode = _parse_episode(raw, position, names, path)
        if episode.id in episodes:
            raise EpisodeError(f"{_locate(raw, path, 'id')}: episode {episode.id!r} field 'id': duplicate id "
                               "(ids must be unique)")
        episodes[episode.id] = episode
    return episodes


def load_episodes(path: Path | None = None, catalog: Catalog | None = None) -> dict[str, Episode]:
    """All episodes from ``data/episodes.yaml`` (or ``path``)."""
    target = Path(path) if path else EPISODES_PATH
    try:
        document = load_yaml(target)
    except ValueError as err:  # syntax errors and impossible dates, with file, line, entry, field
        raise EpisodeError(str(err)) from None
    return parse_episodes(document, target, catalog)


def get_episode(episode_id: str, episodes: dict[str, Episode] | None = None) -> Episode:
    """One episode by id; an unknown id names the closest ids."""
    episodes = episodes if episodes is not None else load_episodes()
    if episode_id not in episodes:
        raise KeyError(unknown_key_message(episode_id, episodes, "episode id"))
    return episodes[episode_id]


# --- events --------------------------------------------------------------------------------

def _check_event_row(row: dict[str, str], line: int, where: str) -> None:
    """Raise :class:`EpisodeError` naming the line, the entry and the field of a bad cell."""
    entry = row.get("title") or row.get("kind") or "?"
    text = (row.get("date") or "").strip()
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise EpisodeError(f"{where} line {line}: entry {entry!r} field 'date': {text!r} is not a date "
                           "(use YYYY-MM-DD)") from None
    for column in EVENT_NUMBER_COLUMNS.get(Path(where).name, ()):
        try:
            float(row.get(column) or "")
        except ValueError:
            raise EpisodeError(f"{where} line {line}: entry {entry!r} field {column!r}: "
                               f"{row.get(column)!r} is not a number") from None


def read_event_table(name: str, folder: Path | None = None) -> pd.DataFrame:
    """One of ``data/events/*.csv``, checked row by row: a bad date or number names the file,
    the line, the entry (its title or kind) and the field."""
    path = (folder or EVENTS_DIR) / name
    where = display_path(path)
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"date", "kind"} - set(reader.fieldnames or [])
        if missing:
            raise EpisodeError(f"{where} line 1: the header lacks the column(s) {', '.join(sorted(missing))}")
        line = reader.line_num
        for row in reader:
            _check_event_row(row, line + 1, where)
            line = reader.line_num
    return pd.read_csv(path, parse_dates=["date"], date_format="%Y-%m-%d")


def load_events(start: object = None, end: object = None, snapshot: SnapshotSource | None = None) -> pd.DataFrame:
    """Every dated event (FOMC decisions, policy events, CME margin changes), tidy.

    Columns: date, kind, label, source, source_url, table. CME rows come from the snapshot
    at run time (``kind`` = ``cme_margin``), labelled with the contract and the new initial
    margin as published (USD per contract, or percent of notional from 2026-01-13).
    """
    frames = []
    fomc = read_event_table("fomc.csv")
    fomc["label"] = [
        f"FOMC {'hold' if c == 0 else ('+' if c > 0 else '') + f'{c:g}bp'} {lo:.2f}-{hi:.2f}%"
        for c, lo, hi in zip(fomc["change_bp"], fomc["lower"], fomc["upper"])
    ]
    fomc["table"] = "fomc.csv"
    frames.append(fomc[["date", "kind", "label", "source", "source_url", "table"]])
    policy = read_event_table("policy.csv").rename(columns={"title": "label"})
    policy["table"] = "policy.csv"
    frames.append(policy[["date", "kind", "label", "source", "source_url", "table"]])
    frames.append(cme_margin_events(snapshot))
    events = pd.concat(frames, ignore_index=True).sort_values("date", kind="stable")
    lo = pd.Timestamp(start) if start is not None else None
    hi = pd.Timestamp(end) if end is not None else None
    mask = pd.Series(True, index=events.index)
    if lo is not None:
        mask &= events["date"] >= lo
    if hi is not None:
        mask &= events["date"] <= hi
    return events[mask].reset_index(drop=True)


def cme_margins(snapshot: SnapshotSource | None = None) -> pd.DataFrame:
    """The snapshot's CME COMEX gold/silver margin table, as published (one row per change)."""
    snapshot = snapshot or SnapshotSource()
    spec = load_catalog().event_files[CME_MARGINS]
    table = snapshot.read_table(spec.snapshot.file)
    table["effective_date"] = pd.to_datetime(table["effective_date"])
    table["metal"] = table["contract"].str.contains("Gold").map({True: "gold", False: "silver"})
    return table


def cme_margin_events(snapshot: SnapshotSource | None = None) -> pd.DataFrame:
    """CME margin changes as events (date = effective date)."""
    table = cme_margins(snapshot)

    def label(row: pd.Series) -> str:
        unit = "% of notional" if "percent" in str(row["unit"]) and pd.notna(row["new_initial"]) and row["new_initial"] < 100 else " USD"
        if pd.notna(row["new_initial"]):
            return f"CME {row['metal']} initial margin -> {row['new_initial']:g}{unit}"
        if pd.notna(row["change_pct"]):
            return f"CME {row['metal']} margin {row['change_pct']:+g}%"
        return f"CME {row['metal']} margin change (level not published)"

    return pd.DataFrame({
        "date": table["effective_date"],
        "kind": "cme_margin",
        "label": table.apply(label, axis=1),
        "source": table["source"],
        "source_url": table["source_url"],
        "table": CME_MARGINS,
    })


def episode_events(episode: Episode) -> pd.DataFrame:
    """The episode's own events (date, label, source) inside its window."""
    rows = [{"date": e.date, "label": e.label, "source": e.source} for e in episode.events]
    frame = pd.DataFrame(rows, columns=["date", "label", "source"])
    return frame[(frame["date"] >= episode.start) & (frame["date"] <= episode.end)].reset_index(drop=True)


# --- event time ----------------------------------------------------------------------------

def event_time(names: list[str] | str, episode_ids: list[str] | str, mode: str = "level", *,
               baseline_day: int = 0, loader: Loader | None = None,
               episodes: dict[str, Episode] | None = None) -> pd.DataFrame:
    """Series on episodes, indexed by business days from each episode's t0.

    Returns a tidy frame with columns episode, quantity, day (business days from t0, 0 at
    t0), date and value. ``mode``: ``level`` (the quantity in its unit), ``change`` (value
    minus the value on ``baseline_day``, same unit), ``pct_change`` (percent change since
    ``baseline_day``, for prices) or ``auto`` (``pct_change`` for prices, indexes and FX,
    ``change`` otherwise, volatility indexes such as MOVE included, which read in points; the
    ``mode`` column says which). ``baseline_day`` is in business days
    from t0 (default 0; a negative day measures moves from before the event, so the event day
    itself shows). Each quantity is sampled on business days as of each day with the rules of
    :func:`plumbing.panel.align_to` (daily series bridge up to 2 business days between
    observations; weekly, monthly and quarterly values hold until the next period's end and
    are dated at the end of the period they measure); beyond that a day is missing. Changes
    are measured from the value as of t0.
    """
    if mode not in EVENT_TIME_MODES:
        raise ValueError(f"mode={mode!r}; valid: {', '.join(EVENT_TIME_MODES)}")
    names = [names] if isinstance(names, str) else list(names)
    episode_ids = [episode_ids] if isinstance(episode_ids, str) else list(episode_ids)
    loader = loader or Loader()
    episodes = episodes if episodes is not None else load_episodes(catalog=loader.catalog)
    chosen = [get_episode(e, episodes) for e in episode_ids]
    rows = []
    for name in names:
        series = quantity(name, loader=loader)
        frequency = quantity_frequency(name, loader)
        name_mode = mode
        if mode == "auto":
            volatility = name in loader.catalog and loader.catalog.get(name).group == "volatility"
            name_mode = "pct_change" if quantity_unit(name, loader) in RELATIVE_UNITS and not volatility else "change"
        for episode in chosen:
            dates = pd.bdate_range(episode.start, episode.end)
            values = align_to(series, dates, frequency)
            day = pd.Series(range(len(dates)), index=dates) - dates.get_loc(episode.t0)
            at_baseline = values[(day == baseline_day).to_numpy()]
            base = at_baseline.iloc[0] if len(at_baseline) else float("nan")
            if name_mode == "change":
                values = values - base
            elif name_mode == "pct_change":
                values = (values / base - 1) * 100
            rows.append(pd.DataFrame({"episode": episode.id, "quantity": name, "mode": name_mode, "day": day.to_numpy(),
                                      "date": dates, "value": values.to_numpy()}))
    return pd.concat(rows, ignore_index=True)


def cme_initial_margin_pct(metal: str, snapshot: SnapshotSource | None = None) -> pd.Series:
    """CME non-HRP initial margin of the gold or silver futures in percent of notional.

    One value per effective date, from 2026-01-13 (when CME switched from USD per contract
    to percent of notional). Where a row's new level is blank but the next change of the same
    metal states the level it replaced (its ``old_initial``), that stated level is used for
    the blank row: it is read from the table, not estimated. Rows with no level either way
    are left out; earlier USD-per-contract levels are not converted.
    """
    if metal not in ("gold", "silver"):
        raise ValueError(f"metal={metal!r}; valid: gold, silver")
    table = cme_margins(snapshot)
    rows = table[(table["metal"] == metal) & table["unit"].str.contains("percent")].sort_values("effective_date")
    stated_by_next = rows["old_initial"].shift(-1)
    rows = rows.assign(new_initial=rows["new_initial"].fillna(stated_by_next))
    rows = rows[rows["new_initial"].notna() & (rows["new_initial"] < 100)]
    series = pd.Series(rows["new_initial"].to_numpy(dtype=float), index=pd.DatetimeIndex(rows["effective_date"], name="date"),
                       name=f"cme_{metal}_initial_margin")
    return series[~series.index.duplicated(keep="last")].sort_index()
