"""Episodes and dated events, and event-time alignment of any series on any episodes.

Episodes live in ``data/episodes.yaml`` (one entry each: id, title, anchor date ``t0``,
window ``before``/``after`` in business days, summary, series of interest, events, and the
``questions`` its summary poses, which :func:`plumbing.findings.episode_page` answers with
numbers from the data; :data:`QUESTION_KINDS` lists the kinds and their fields). Events
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
from dataclasses import dataclass, field, replace
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


# --- questions ------------------------------------------------------------------------------
#
# A question names what an episode page's findings must answer; plumbing.findings computes
# the answer from the data at render time (never from the YAML). Field types:
#   name / names     a catalog key or quantity / a list of them
#   anchor           start | t0 | end | t0+N | t0-N (business days) | YYYY-MM-DD |
#                    low:NAME | high:NAME (the day NAME is lowest / highest in the window)
#   anchors          a list of anchors
#   number, text, bool, and a choice written as "a|b"
# A field ending in "?" is optional. ``change`` also takes from: low | high (the window's
# extreme before ``to``) and to: low | high (the extreme after ``from``).

#: question kind -> {field: type}; see plumbing.findings for what each answers
QUESTION_KINDS: dict[str, dict[str, str]] = {
    # when a series crossed a level in a direction (the previous observation on the other side)
    "crossing": {"series": "name", "level": "number", "direction": "below|above", "from?": "anchor",
                 "to?": "anchor", "level_label?": "text", "and_on?": "anchor", "claim?": "text"},
    # the max or min of a series in a window, its date, and the last time it was as high / low
    "extreme": {"series": "name", "stat": "max|min", "from?": "anchor", "to?": "anchor", "also?": "names",
                "reference?": "number", "reference_label?": "text", "split?": "anchor", "later_until?": "anchor",
                "and_on?": "anchor", "claim?": "text"},
    # the change between two days, optionally split into parts (the rest named by rest_label)
    "change": {"series": "name", "from": "anchor", "to": "anchor", "parts?": "names", "rest_label?": "text",
               "also?": "names", "claim?": "text"},
    # each series' one-day move on a day and its rank among the window's daily moves
    "on_day": {"series": "names", "date?": "anchor", "from?": "anchor", "to?": "anchor", "claim?": "text"},
    # several series' moves between two days
    "moves": {"series": "names", "from": "anchor", "to": "anchor", "claim?": "text"},
    # the dates of several series' highs (or lows) in order, and how fast half of each move reversed
    "sequence": {"series": "names", "stat?": "max|min", "from?": "anchor", "to?": "anchor", "reversal?": "bool"},
    # backstop take-up: the peak, the days at or above a threshold, the take-up on given days
    "facility_use": {"series?": "name", "from?": "anchor", "to?": "anchor", "dates?": "anchors",
                     "threshold?": "number", "claim?": "text"},
    # the days a series spent above (or below) a level
    "threshold_days": {"series": "name", "level": "number", "direction": "below|above", "from?": "anchor",
                       "to?": "anchor", "claim?": "text"},
    # what moved reserves between two weeks: Fed assets, the TGA, ON RRP and other items
    "drivers": {"from": "anchor", "to": "anchor"},
    # the largest fall from a prior high, the biggest daily moves and the rebound
    "drawdown": {"series": "name", "from?": "anchor", "to?": "anchor"},
    # the day of a series' largest daily move, counted from t0
    "largest_move": {"series": "names", "direction?": "fall|rise|any", "from?": "anchor", "to?": "anchor"},
    # what the data cannot answer, said once
    "not_in_data": {"what": "text"},
}
#: the fields an episode entry may have; any other is an error naming it
EPISODE_FIELDS = ("id", "title", "t0", "before", "after", "start", "end", "summary", "series", "events", "questions")
ANCHOR = re.compile(r"start|t0|end|t0[+-]\d{1,4}|(?:low|high):[a-z0-9_]+|\d{4}-\d{2}-\d{2}")
MAX_QUESTIONS = 5  # with the claims sentence, at most six findings


@dataclass(frozen=True)
class Question:
    """One question an episode page answers: its ``kind`` and its fields (lists as tuples)."""

    kind: str
    fields: tuple[tuple[str, object], ...]
    headline: bool = False  # ``headline: true``: its answer is the page's headline finding

    def get(self, name: str, default: object = None) -> object:
        return dict(self.fields).get(name, default)


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
    questions: tuple[Question, ...] = field(default_factory=tuple)

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
    for name in raw:
        if name not in EPISODE_FIELDS:
            raise EpisodeError(f"{at(str(name))}: not a field of an episode; its fields: {', '.join(EPISODE_FIELDS)}")
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
        for name in event:
            if name not in ("date", "label", "source"):
                raise EpisodeError(f"{_locate(event, path, name)}: {entry} field 'events' item {number + 1} field "
                                   f"{name!r}: not a field of an event; its fields: date, label, source")
        events.append(Event(_date(event["date"], item), str(event["label"]), str(event.get("source", ""))))
    episode = Episode(id=str(raw["id"]), title=str(raw["title"]), t0=t0, before=before, after=after,
                      summary=str(raw["summary"]).strip(), series=tuple(series), events=tuple(events))
    questions = raw.get("questions") or []
    if not isinstance(questions, list):
        raise EpisodeError(f"{at('questions')}: expected a list of questions (kind: ... with its fields)")
    if len(questions) > MAX_QUESTIONS:
        raise EpisodeError(f"{at('questions')}: {len(questions)} questions; at most {MAX_QUESTIONS} (a page shows "
                           "3-6 findings, one of them on the article claims)")
    parsed = tuple(_parse_question(q, n, episode, names, path, entry, raw) for n, q in enumerate(questions))
    marked = [n + 1 for n, q in enumerate(parsed) if q.headline]
    if len(marked) > 1:
        raise EpisodeError(f"{at('questions')}: items {', '.join(map(str, marked))} are each marked 'headline: true'; "
                           "mark one (its answer is the page's headline finding)")
    return replace(episode, questions=parsed)


def _anchor_date(value: str, episode: Episode) -> pd.Timestamp | None:
    """The date of a static anchor (None for low:/high:, known only from the data)."""
    if value == "start":
        return episode.start
    if value == "end":
        return episode.end
    if value == "t0":
        return episode.t0
    if value.startswith("t0"):
        return episode.t0 + pd.offsets.BDay(int(value[2:]))
    if ":" in value or value in ("low", "high"):
        return None
    return pd.Timestamp(value)


def _parse_question(raw: object, number: int, episode: Episode, names: set[str], path: Path, entry: str,
                    parent: dict) -> Question:
    """One item of an episode's ``questions``; errors name the file, line, entry, item and field."""
    base = _locate(raw, path) if isinstance(raw, dict) else _locate(parent, path, "questions")
    item = f"{entry} field 'questions' item {number + 1}"
    if not isinstance(raw, dict) or "kind" not in raw:
        raise EpisodeError(f"{base}: {item}: needs 'kind' (one of {', '.join(QUESTION_KINDS)})")
    kind = raw["kind"]
    if kind not in QUESTION_KINDS:
        raise EpisodeError(f"{_locate(raw, path, 'kind')}: {item} field 'kind': {unknown_key_message(str(kind), QUESTION_KINDS, 'question kind')}")
    spec = {k.rstrip("?"): (t, not k.endswith("?")) for k, t in QUESTION_KINDS[kind].items()}
    item = f"{item} ({kind})"
    headline = raw.get("headline", False)
    if not isinstance(headline, bool):
        raise EpisodeError(f"{_locate(raw, path, 'headline')}: {item} field 'headline': {headline!r} is not true or "
                           "false")
    for name in raw:
        if name not in ("kind", "headline") and name not in spec:
            raise EpisodeError(f"{_locate(raw, path, name)}: {item} field {name!r}: not a field of {kind!r}; "
                               f"its fields: {', '.join(spec)}")
    values: dict[str, object] = {}
    for name, (kind_of, required) in spec.items():
        where = f"{_locate(raw, path, name)}: {item} field {name!r}"
        if name not in raw or raw[name] in (None, ""):
            if required:
                raise EpisodeError(f"{_locate(raw, path)}: {item} field {name!r} is missing")
            continue
        values[name] = _question_value(raw[name], kind_of, where, names, kind == "change" and name in ("from", "to"))
    dates = {n: _anchor_date(str(values[n]), episode) for n in ("from", "to") if n in values}
    if dates.get("from") is not None and dates.get("to") is not None and dates["from"] > dates["to"]:
        raise EpisodeError(f"{_locate(raw, path, 'to')}: {item} field 'to': {values['to']} "
                           f"({dates['to'].date()}) is before 'from' {values['from']} ({dates['from'].date()})")
    return Question(kind=str(kind), fields=tuple(values.items()), headline=headline)


def _question_value(value: object, kind_of: str, where: str, names: set[str], extreme_ok: bool) -> object:
    if kind_of in ("name", "names"):
        items = value if kind_of == "names" else [value]
        if kind_of == "names" and (not isinstance(value, list) or not value):
            raise EpisodeError(f"{where}: expected a list of catalog keys or quantities")
        for key in items:
            if not isinstance(key, str) or key not in names:
                raise EpisodeError(f"{where}: {unknown_key_message(str(key), names)}")
        return tuple(items) if kind_of == "names" else value
    if kind_of in ("anchor", "anchors"):
        items = value if kind_of == "anchors" else [value]
        if kind_of == "anchors" and (not isinstance(value, list) or not value):
            raise EpisodeError(f"{where}: expected a list of days (start, t0, end, t0+N, YYYY-MM-DD, low:KEY, high:KEY)")
        out = []
        for day in items:
            text = day.isoformat() if isinstance(day, dt.date) else str(day)
            if not (ANCHOR.fullmatch(text) or (extreme_ok and text in ("low", "high"))):
                raise EpisodeError(f"{where}: {day!r} is not a day; use start, t0, end, t0+N or t0-N (business days), "
                                   "YYYY-MM-DD, low:KEY or high:KEY" + (", low or high" if extreme_ok else ""))
            if ":" in text and text.split(":", 1)[1] not in names:
                raise EpisodeError(f"{where}: {unknown_key_message(text.split(':', 1)[1], names)}")
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                _date(text, where)
            out.append(text)
        return tuple(out) if kind_of == "anchors" else out[0]
    if kind_of == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise EpisodeError(f"{where}: {value!r} is not a number")
        return float(value)
    if kind_of == "bool":
        if not isinstance(value, bool):
            raise EpisodeError(f"{where}: {value!r} must be true or false")
        return value
    if kind_of == "text":
        if not isinstance(value, str):
            raise EpisodeError(f"{where}: {value!r} must be text")
        return value.strip()
    choices = kind_of.split("|")
    if value not in choices:
        raise EpisodeError(f"{where}: {value!r}; valid: {', '.join(choices)}")
    return value


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
