"""The articles' claims and a verdict on each, computed from data.

Claims are declared in ``data/claims.yaml``: what an article says (its Chinese ``quote``
verbatim, an English ``claim``, the quantity, date or window, claimed value and unit, the kind
of check), which episodes it is about (``episodes``, explicit ids), whether it states a fact,
quotes a published plan or makes a forecast (``role``). :meth:`ClaimChecker.check` computes
the verdict from data: ``supported``, ``partly``, ``contradicted`` or ``not_checkable``. Every
verdict carries its **rule** in plain words, the **observations** it used (dates and values),
for partly and contradicted verdicts the **nearest reading** under which the sentence would
hold (where one exists), and a **calendar** flag when a date or window end falls on a month-,
quarter- or year-end or a tax date. The YAML never holds a verdict or a data value.

Check kinds
-----------
value        the quantity on ``date`` is ``claimed`` within ``tolerance``
change       ``value(end) - value(start)`` is ``claimed`` within ``tolerance``
pct_change   ``(value(end) / value(start) - 1) * 100`` is ``claimed`` within ``tolerance``
             (``annualised: true``: the compound annual rate, for "15% a year")
direction    the quantity moved ``expected`` (up/down) from ``start`` to ``end``
seasonal     the value on ``date`` is the ``max``/``min`` of the same calendar day in each of the
             previous ``years`` years ("highest for the time of year in five years")
extreme      the value on ``date`` (or the window's extreme, with ``window``) is the
             ``max``/``min`` since ``since`` (or of the whole history with ``record: true``;
             ``rank: 2`` for "second highest")
threshold    the quantity is on the ``direction`` side (below/above) of ``level`` at some point
             inside ``window``; ``first: true``: it *crosses* there for the first time since
             ``since``; ``share``: at least that share of the window's observations lies on that
             side (``abs: true`` tests the absolute value, for "within 5bp either way";
             ``inclusive: true`` counts the level itself on the claimed side, "not more than 5bp";
             a share of at least half the required one, or within 15 points of it, is partly)
span         a statistic of the quantity over ``window`` is ``claimed`` within ``tolerance``:
             ``stat`` max / min / median / mean, ``rise`` (window maximum minus the last value
             before the window), ``fall`` (last value before minus window minimum), ``drawdown``
             (percent from the window's highest to its last value). "Swelled to nearly $1tn
             during the shutdown" is the span maximum, not the value on one day.
size         a size word ("sharply", "surged", "dried up"): the move from ``start`` to ``end``
             (``measure`` change or pct_change, over the same number of observations) ranks
             among the most extreme ``percentile`` percent of all such moves of the series in
             the ``lookback_years`` before, in the ``expected`` direction (up/down); with
             ``measure: level`` the value at ``end`` ranks in the lowest/highest ``percentile``
             percent of the levels of those years (``expected`` low/high). A sign alone is not
             enough: the right sign at an ordinary size is ``partly``.
event_count  the number of rows of an event table (``event:`` table policy, fomc or
             cme_metals_margins; optional kind, match (a regular expression on the title),
             metal, change raise/cut, distinct_dates) dated inside ``window`` is ``claimed``
             within ``tolerance`` ("CME raised margins six times"; "the FOMC announced ...")
duration     days (or weeks) from the first matching event on or before ``date`` to ``date``,
             both counted ("the shutdown has lasted 35 days" / "is in its fifth week")
plan         a published plan: the number captured by ``pattern`` (a regular expression with
             one group) in the matching event row's title is ``claimed`` within ``tolerance``
             (the Treasury's financing estimate, with its source); its realisation is a
             separate claim with ``role: forecast``
compound     every one of ``parts`` (each a check of its own) must hold: all supported gives
             supported, none partly or supported gives contradicted, anything else partly
             ("a carry unwind: the rate spread falls *and* the yen strengthens")
not_checkable  the data needed do not exist here; ``missing`` says what they would be

Options and conventions
-----------------------
- ``bound: lower`` (or ``upper``) makes value, change, span, event_count and plan checks
  one-sided: "more than", "at least", "still as high as" are lower bounds.
- ``start`` / ``end`` may be a date or ``[first, last]``: the median of the observations in
  that range, so a month-end or tax-date spike does not decide the claim.
- ``window`` (and ``start``/``end``) may name a window of the top-level ``windows:`` mapping,
  so one reading of "during the shutdown" serves every claim that uses it.
- ``versus: KEY``: direction, pct_change and size checks work on the ratio
  ``quantity / versus`` (relative performance: "large caps lag small caps").
- ``transform: diff``: an extreme check looks at day-to-day changes.
- ``calendar_ok: reason``: the claim is about a calendar date itself (a quarter-end plan, the
  article quoting a month-end print); the flag stays visible with the reason.
- ``as_of``: the date the article's data were read (default: the article's date from the
  ``articles:`` mapping). :func:`check_claims` also gives the **point-in-time** verdict with
  only the observations published by then (catalog ``release`` lags, see
  :class:`VintageLoader`), beside the verdict on today's data. Revisions are not reconstructed.

Grading: a value within the tolerance is ``supported``; within three tolerances ``partly``
(the detail gives the gap); beyond that ``contradicted``. A claimed *move* (change and
pct_change checks, value checks in percent change) in the right direction whose size is within
a factor of two of the claimed size is also ``partly`` (right direction, size off); the rule
text says so. A value "on a date" is the last
observation on or before it under the alignment rules of :func:`plumbing.panel.align_to`
(daily series bridge holidays but are never carried past their last observation; weekly,
monthly and quarterly values hold until the next period's end, monthly and quarterly ones
dated at the end of the period they measure); the date actually used is reported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml
from pandas.tseries.holiday import USFederalHolidayCalendar
from pandas.tseries.offsets import CustomBusinessDay, CustomBusinessMonthEnd

from . import config
from .catalog import load_catalog
from .episodes import EVENTS_DIR, cme_initial_margin_pct, cme_margins
from .files import atomic_write_bytes
from .panel import Loader, align_to
from .quantities import QUANTITIES, quantity, quantity_frequency, quantity_unit
from .sources.snapshot import SnapshotSource

CLAIMS_PATH: Path = config.DATA_DIR / "claims.yaml"
CHECK_KINDS = ("value", "change", "pct_change", "direction", "seasonal", "extreme", "threshold", "span", "size",
               "event_count", "duration", "plan", "compound", "not_checkable")
VERDICTS = ("supported", "partly", "contradicted", "not_checkable")
ROLES = ("statement", "plan", "forecast")
SPAN_STATS = ("max", "min", "median", "mean", "rise", "fall", "drawdown")
EVENT_TABLES = ("policy", "fomc", "cme_metals_margins")
EVENT_FIELDS = ("table", "kind", "match", "metal", "change", "distinct_dates")
PARTLY_FACTOR = 3.0
#: a claimed *move* (change, pct_change, or a value in percent change) in the right direction
#: whose size is within this factor of the claimed size is partly (right direction, size off)
MOVE_FACTOR = 2.0
#: how far (calendar days) the nearest-reading search looks around a claimed date
NEAR_DAYS = 15
#: point in time: a date after the last observation published by then reads that observation
#: when it is at most this many business days older (a weekly release, a holiday)
LATEST_PUBLISHED_BDAYS = 8
#: CME contract sizes (troy ounces) to express a percent-of-notional margin in USD per contract
CME_CONTRACT_OUNCES = {"gold": 100, "silver": 5000}

#: quantities that are event tables rather than catalog series: step functions whose last
#: value stays in force until the next change (no as-of limit)
EXTRA_QUANTITIES: dict[str, tuple[str, Callable[[], pd.Series]]] = {
    "cme_silver_initial_margin": ("percent", lambda: cme_initial_margin_pct("silver")),
    "cme_gold_initial_margin": ("percent", lambda: cme_initial_margin_pct("gold")),
}

COMMON_FIELDS = ("id", "article", "claim", "quantity", "check", "unit", "quote", "note", "claimed",
                 "episodes", "role", "as_of", "calendar_ok", "label")
OPTIONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "value": ("bound",),
    "change": ("bound", "window", "per_month"),
    "pct_change": ("bound", "annualised", "versus", "window"),
    "direction": ("versus", "window"),
    "seasonal": (),
    "extreme": ("date", "window", "since", "record", "rank", "transform"),
    "threshold": ("first", "since", "share", "abs", "inclusive"),
    "span": ("bound", "base"),
    "size": ("measure", "lookback_years", "versus", "window"),
    "event_count": ("bound",),
    "duration": (),
    "plan": ("bound", "date", "window"),
    "compound": (),
    "not_checkable": ("date", "start", "end", "window", "tolerance", "level", "direction"),
}
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "value": ("date", "claimed", "tolerance"),
    "change": ("start", "end", "claimed", "tolerance"),
    "pct_change": ("start", "end", "claimed", "tolerance"),
    "direction": ("start", "end", "expected"),
    "seasonal": ("date", "extreme", "years"),
    "extreme": ("extreme",),
    "threshold": ("level", "direction", "window"),
    "span": ("window", "stat", "claimed", "tolerance"),
    "size": ("start", "end", "expected", "percentile"),
    "event_count": ("event", "window", "claimed", "tolerance"),
    "duration": ("event", "date", "claimed", "tolerance"),
    "plan": ("event", "pattern", "claimed", "tolerance"),
    "compound": ("parts",),
    "not_checkable": ("missing",),
}
#: kinds that read no series (event tables, or their parts do)
NO_QUANTITY_KINDS = ("event_count", "duration", "plan", "compound", "not_checkable")
DATE_FIELDS = ("date", "since", "as_of")
RANGE_FIELDS = ("start", "end", "base")  # a date, [first, last] (a median) or a named window (its median)
#: kinds that read a move from ``start`` to ``end``; ``window`` may give both (its first and last day)
TWO_POINT_KINDS = ("change", "pct_change", "direction", "size")
NUMBER_FIELDS = ("claimed", "tolerance", "level", "share", "rank", "years", "percentile", "lookback_years")
UNIT_WORDS = {"pp": "pp", "usd_bn": "USD bn", "usd_tn": "USD tn", "usd_bn_saar": "USD bn", "percent": "%", "bp": "bp", "usd": "USD", "index": "points",
              "pct_change": "%", "jpy_per_usd": "JPY per USD", "days": "days", "weeks": "weeks", "count": ""}


class ClaimError(ValueError):
    """A claim entry is malformed; the message names the claim and the field."""


@dataclass(frozen=True)
class Article:
    """A source text: its file name, date (the default as-of date of its claims) and title."""

    file: str
    date: pd.Timestamp | None
    title: str = ""
    note: str = ""


@dataclass(frozen=True)
class Claim:
    """One claim as the article states it (no data, no verdict)."""

    id: str
    article: str
    claim: str
    quantity: str
    check: str
    unit: str
    quote: str = ""
    note: str = ""
    params: dict = field(default_factory=dict)
    episodes: tuple[str, ...] = ()
    role: str = "statement"
    as_of: pd.Timestamp | None = None
    calendar_ok: str = ""

    def get(self, name: str, default: object = None) -> object:
        return self.params.get(name, default)

    @property
    def parts(self) -> tuple[Claim, ...]:
        return tuple(self.params.get("parts") or ())


@dataclass(frozen=True)
class Verdict:
    """The data's answer to a claim: verdict, rule in words, observations used, nearest reading."""

    claim: Claim
    verdict: str
    computed: float | None
    detail: str
    data_date: str | None = None
    rule: str = ""
    observations: tuple[str, ...] = ()
    nearest: str = ""
    calendar: str = ""
    parts: tuple[Verdict, ...] = ()

    @property
    def computed_unit(self) -> str:
        """What ``computed`` is measured in: the claim's unit, or ``share`` (0-1) of the
        window's observations for a share-of-days threshold, or ``%`` for a percent change,
        a percentile rank for a size check."""
        c = self.claim
        if c.check == "threshold" and c.get("share") is not None:
            return "share"
        if c.check == "pct_change" or (c.check == "span" and c.get("stat") == "drawdown"):
            return "%"
        if c.check == "size":
            return "percentile"
        if c.check in ("event_count",):
            return "count"
        if c.check == "compound":
            return "parts"
        return c.unit

    @property
    def claimed_text(self) -> str:
        """What the article claims, in words, for claims without a single claimed number."""
        c = self.claim
        if c.check == "threshold":
            level = float(c.get("level"))
            if c.get("abs"):
                text = f"{_name(c.quantity)} within ±{_with_unit(level, c.unit)}" if c.get("direction") == "below" \
                    else f"{_name(c.quantity)} at least {_with_unit(level, c.unit)} either way"
            else:
                text = f"{_name(c.quantity)} {c.get('direction')} {_with_unit(level, c.unit)}"
            if c.get("share") is not None:
                return f"{text} on at least {float(c.get('share')):.0%} of days"
            return text + (" for the first time" if c.get("first") else "")
        if c.check == "extreme":
            word = {"max": "highest", "min": "lowest"}.get(str(c.get("extreme")), str(c.get("extreme")))
            rank = int(c.get("rank", 1))
            ordinal = "" if rank == 1 else {2: "second ", 3: "third "}.get(rank, f"{rank}th ")
            scope = "on record" if c.get("record") else f"since {pd.Timestamp(str(c.get('since'))).date()}"
            of = " daily change" if c.get("transform") == "diff" else ""
            return f"{ordinal}{word}{of} {scope}"
        if c.check == "direction":
            return f"{c.get('expected')} from {_range_text(c.get('start'))} to {_range_text(c.get('end'))}".replace(
                "from the median from", "from the median of").replace("to the median from", "to the median of")
        if c.check == "seasonal":
            word = {"max": "highest", "min": "lowest"}.get(str(c.get("extreme")), str(c.get("extreme")))
            return f"{word} for the time of year in {c.get('years')} years"
        if c.check == "size":
            words = {"down": "a fall", "up": "a rise", "low": "a level", "high": "a level"}
            extreme = {"down": "largest falls", "up": "largest rises", "low": "lowest levels", "high": "highest levels"}
            expected = str(c.get("expected"))
            return f"{words.get(expected, expected)} among the {_fmt(float(c.get('percentile')))}% {extreme.get(expected, '')}"
        if c.check == "compound":
            return f"all {len(c.parts)} parts hold"
        return ""

    def row(self) -> dict:
        c = self.claim
        return {"id": c.id, "article": c.article, "episodes": ";".join(c.episodes), "role": c.role, "quote": c.quote,
                "claim": c.claim, "quantity": c.quantity, "check": c.check,
                "claimed": c.get("claimed"), "unit": c.unit, "computed": self.computed,
                "claimed_text": self.claimed_text, "computed_unit": self.computed_unit,
                "data_date": self.data_date, "verdict": self.verdict, "rule": self.rule,
                "data": "; ".join(self.observations), "detail": self.detail, "nearest": self.nearest,
                "calendar": self.calendar, "parts": len(c.parts)}


# --- reading the YAML ------------------------------------------------------------------------

@dataclass(frozen=True)
class ClaimsDocument:
    """Everything in ``data/claims.yaml``: articles, named windows, claims."""

    articles: dict[str, Article]
    windows: dict[str, tuple[pd.Timestamp, pd.Timestamp]]
    claims: list[Claim]


def _parse_date(value: object, where: str) -> pd.Timestamp:
    if isinstance(value, bool) or not isinstance(value, (str, dt.date, pd.Timestamp)):
        raise ClaimError(f"{where}: {value!r} is not a date (use YYYY-MM-DD)")
    try:
        return pd.Timestamp(str(value))
    except (ValueError, TypeError):
        raise ClaimError(f"{where}: {value!r} is not a date (use YYYY-MM-DD)") from None


def _parse_range(value: object, where: str, windows: dict) -> object:
    """A date, a [first, last] pair or the name of a window; names become their [first, last]."""
    if isinstance(value, str) and value in windows:
        first, last = windows[value]
        return [first.date().isoformat(), last.date().isoformat()]
    if isinstance(value, list):
        if len(value) != 2:
            raise ClaimError(f"{where}: expected [first, last]")
        first, last = (_parse_date(v, where) for v in value)
        if last < first:
            raise ClaimError(f"{where}: {last.date()} is before {first.date()}")
        return [first.date().isoformat(), last.date().isoformat()]
    if isinstance(value, str) and not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        raise ClaimError(f"{where}: {value!r} is neither a date nor a window name; windows: {', '.join(sorted(windows))}")
    return _parse_date(value, where).date().isoformat()


def _parse_entry(raw: object, where: str, windows: dict, articles: dict, top: bool) -> Claim:
    if not isinstance(raw, dict):
        raise ClaimError(f"{where}: expected a mapping")
    required = ("id", "article", "claim", "check") if top else ("check",)
    for name in required:
        if not raw.get(name):
            raise ClaimError(f"{where}: field {name!r} is missing")
    check = raw["check"]
    if check not in CHECK_KINDS:
        raise ClaimError(f"{where} field 'check': {check!r}; valid: {', '.join(CHECK_KINDS)}")
    if check in TWO_POINT_KINDS and raw.get("window") is not None:
        if raw.get("start") is not None or raw.get("end") is not None:
            raise ClaimError(f"{where}: give either 'window' or 'start' and 'end', not both")
        first, last = _parse_range(raw["window"], f"{where} field 'window'", windows)
        raw = {**raw, "start": first, "end": last}
    for name in REQUIRED_FIELDS[check]:
        if raw.get(name) is None and not (check == "extreme" and name == "date"):
            raise ClaimError(f"{where} field {name!r} is required for check {check!r}")
    if check not in NO_QUANTITY_KINDS and not raw.get("quantity"):
        raise ClaimError(f"{where} field 'quantity' is missing")
    allowed = set(COMMON_FIELDS) | set(REQUIRED_FIELDS[check]) | set(OPTIONAL_FIELDS[check])
    unknown = sorted({k for k, v in raw.items() if v is not None} - allowed)
    if unknown:
        raise ClaimError(f"{where}: field(s) {', '.join(map(repr, unknown))} are not used by check "
                         f"{check!r}; valid: {', '.join(sorted(allowed))}")
    params = {k: v for k, v in raw.items()
              if k not in ("id", "article", "claim", "quantity", "check", "unit", "quote", "note", "episodes", "role",
                           "as_of", "calendar_ok")}
    for name in DATE_FIELDS:
        if raw.get(name) is not None:
            parsed = _parse_date(raw[name], f"{where} field {name!r}")
            if name in params:
                params[name] = parsed.date().isoformat()
    for name in RANGE_FIELDS:
        if raw.get(name) is not None:
            params[name] = _parse_range(raw[name], f"{where} field {name!r}", windows)
            if isinstance(raw[name], str) and raw[name] in windows:
                params[f"{name}_name"] = raw[name]
    if raw.get("window") is not None:
        if isinstance(raw["window"], str) and raw["window"] in windows:
            params["window_name"] = raw["window"]
        elif not isinstance(raw["window"], list):
            raise ClaimError(f"{where} field 'window': expected [start, end] or one of the windows: "
                             f"{', '.join(sorted(windows))}")
        params["window"] = _parse_range(raw["window"], f"{where} field 'window'", windows)
    for name in NUMBER_FIELDS:
        value = raw.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise ClaimError(f"{where} field {name!r}: {value!r} is not a number")
    if check == "extreme":
        if (raw.get("since") is None) == (not raw.get("record")):
            raise ClaimError(f"{where}: an extreme check needs exactly one of 'since' (a date) or 'record: true'")
        if (raw.get("date") is None) == (raw.get("window") is None):
            raise ClaimError(f"{where}: an extreme check needs exactly one of 'date' or 'window'")
    if check == "span" and raw["stat"] not in SPAN_STATS:
        raise ClaimError(f"{where} field 'stat': {raw['stat']!r}; valid: {', '.join(SPAN_STATS)}")
    if check == "plan" and (raw.get("date") is None) == (raw.get("window") is None):
        raise ClaimError(f"{where}: a plan check needs exactly one of 'date' or 'window' (when the plan was published)")
    if "event" in params:
        params["event"] = _parse_event(params["event"], f"{where} field 'event'")
    role = raw.get("role", "statement")
    if role not in ROLES:
        raise ClaimError(f"{where} field 'role': {role!r}; valid: {', '.join(ROLES)}")
    episodes = raw.get("episodes") or []
    if not isinstance(episodes, list) or not all(isinstance(e, str) for e in episodes):
        raise ClaimError(f"{where} field 'episodes': expected a list of episode ids")
    article = str(raw.get("article", ""))
    as_of = None
    if raw.get("as_of") is not None:
        as_of = _parse_date(raw["as_of"], f"{where} field 'as_of'")
    elif article in articles:
        as_of = articles[article].date
    if top and articles and article not in articles:
        raise ClaimError(f"{where} field 'article': {article!r} is not in 'articles:' ({', '.join(sorted(articles))})")
    ident = str(raw.get("id", ""))
    claim = Claim(id=ident, article=article, claim=str(raw.get("claim") or raw.get("label") or "").strip(),
                  quantity=str(raw.get("quantity") or ""), check=check, unit=str(raw.get("unit") or ""),
                  quote=str(raw.get("quote") or ""), note=str(raw.get("note") or "").strip(), params=params,
                  episodes=tuple(episodes), role=role, as_of=as_of, calendar_ok=str(raw.get("calendar_ok") or ""))
    if check == "compound":
        parts = raw["parts"]
        if not isinstance(parts, list) or len(parts) < 2:
            raise ClaimError(f"{where} field 'parts': a compound check needs a list of at least two parts")
        built = []
        for number, part in enumerate(parts, 1):
            if isinstance(part, dict) and part.get("check") == "compound":
                raise ClaimError(f"{where} part {number}: parts cannot be compound themselves")
            inner = _parse_entry({**part, "id": f"{ident}.{number}", "article": article} if isinstance(part, dict) else part,
                                 f"{where} part {number}", windows, articles, top=False)
            built.append(replace(inner, quote=claim.quote, episodes=claim.episodes, role=role, as_of=as_of,
                                 calendar_ok=inner.calendar_ok or claim.calendar_ok))
        claim = replace(claim, params={**params, "parts": tuple(built)})
    return claim


def _parse_event(raw: object, where: str) -> dict:
    if not isinstance(raw, dict) or raw.get("table") not in EVENT_TABLES:
        raise ClaimError(f"{where}: expected a mapping with table: one of {', '.join(EVENT_TABLES)}")
    unknown = sorted(set(raw) - set(EVENT_FIELDS))
    if unknown:
        raise ClaimError(f"{where}: unknown field(s) {', '.join(unknown)}; valid: {', '.join(EVENT_FIELDS)}")
    if raw.get("change") not in (None, "raise", "cut"):
        raise ClaimError(f"{where} field 'change': {raw['change']!r}; valid: raise, cut")
    if raw.get("metal") not in (None, "gold", "silver"):
        raise ClaimError(f"{where} field 'metal': {raw['metal']!r}; valid: gold, silver")
    if raw.get("match") is not None:
        try:
            re.compile(str(raw["match"]))
        except re.error as err:
            raise ClaimError(f"{where} field 'match': {err}") from None
    kinds = raw.get("kind")
    return {**raw, "kind": tuple([kinds] if isinstance(kinds, str) else (kinds or ()))}


def parse_document(document: object, path: Path) -> ClaimsDocument:
    """Validate the whole claims document; every problem names the claim id and the field."""
    if not isinstance(document, dict) or not isinstance(document.get("claims"), list):
        raise ClaimError(f"{path.name}: expected a top-level list 'claims:'")
    articles: dict[str, Article] = {}
    for name, entry in (document.get("articles") or {}).items():
        entry = entry or {}
        date = _parse_date(entry["date"], f"{path.name}: article {name!r} field 'date'") if entry.get("date") else None
        articles[str(name)] = Article(file=str(name), date=date, title=str(entry.get("title", "")),
                                      note=str(entry.get("note", "")).strip())
    windows: dict[str, tuple[pd.Timestamp, pd.Timestamp]] = {}
    for name, entry in (document.get("windows") or {}).items():
        span = entry.get("span") if isinstance(entry, dict) else entry
        if not isinstance(span, list) or len(span) != 2:
            raise ClaimError(f"{path.name}: window {name!r}: expected span: [first, last]")
        first, last = (_parse_date(v, f"{path.name}: window {name!r}") for v in span)
        windows[str(name)] = (first, last)
    claims, seen = [], set()
    for position, raw in enumerate(document["claims"]):
        ident = raw.get("id") if isinstance(raw, dict) else None
        where = f"{path.name}: claim {ident!r}" if ident else f"{path.name}: claim #{position + 1}"
        claim = _parse_entry(raw, where, windows, articles, top=True)
        if claim.id in seen:
            raise ClaimError(f"{where} field 'id': duplicate id")
        seen.add(claim.id)
        claims.append(claim)
    return ClaimsDocument(articles=articles, windows=windows, claims=claims)


def parse_claims(document: object, path: Path) -> list[Claim]:
    """The claims of a document (see :func:`parse_document`)."""
    return parse_document(document, path).claims


@lru_cache(maxsize=4)
def _load_document_cached(path: str, mtime: float) -> ClaimsDocument:
    from .configfile import load_yaml

    try:
        document = load_yaml(path)  # syntax errors and impossible dates name file, line, claim, field
    except ValueError as err:
        raise ClaimError(str(err)) from None
    return parse_document(document, Path(path))


def load_document(path: Path | None = None) -> ClaimsDocument:
    """``data/claims.yaml`` (or ``path``): articles, windows and claims."""
    target = Path(path) if path else CLAIMS_PATH
    return _load_document_cached(str(target), target.stat().st_mtime)


def load_claims(path: Path | None = None) -> list[Claim]:
    """All claims from ``data/claims.yaml`` (or ``path``)."""
    return list(load_document(path).claims)


# --- formatting ------------------------------------------------------------------------------

def _fmt(value: float) -> str:
    """A readable number: 4 significant digits below 1,000, thousands separators above, never
    scientific notation."""
    if abs(value) >= 1000:
        return f"{value:,.1f}"
    if value == 0 or abs(value) >= 0.001:
        return f"{float(f'{value:.4g}'):g}"
    return f"{value:.6f}"


def _unit_word(unit: str) -> str:
    return UNIT_WORDS.get(unit, unit)


def _with_unit(value: float, unit: str, *, signed: bool = False) -> str:
    """A number with its unit in words, as a reader's table shows it: USD bn with thousands
    separators and one decimal ("USD 1,234.5bn"), "4.31%", "12 bp", "155.2 yen per dollar"."""
    sign = ("+" if value > 0 else "-" if value < 0 else "") if signed else ("-" if value < 0 else "")
    size = abs(value)
    if unit in ("usd_bn", "usd_bn_saar"):
        return f"{sign}USD {size:,.1f}bn"
    if unit == "usd_tn":
        return f"{sign}USD {_fmt(size)}tn"
    if unit == "usd":
        return f"{sign}USD {size:,.2f}" if size < 1000 else f"{sign}USD {size:,.1f}"
    if unit == "jpy_per_usd":
        return f"{sign}{_fmt(size)} yen per dollar"
    word = _unit_word(unit)
    return f"{sign}{_fmt(size)}{'' if word in ('%', '') else ' '}{word}"


def _claimed_amount(value: float, unit: str) -> str:
    """An article's round figure: USD 1,000bn reads "USD 1tn" as the article says it."""
    if unit in ("usd_bn", "usd_bn_saar") and abs(value) >= 1000 and round(value / 1000, 2) * 1000 == value:
        return f"{'-' if value < 0 else ''}USD {abs(value) / 1000:g}tn"
    return _with_unit(value, unit)


def _between(first: object, last: object) -> str:
    """``from A to B`` (dates as ISO days)."""
    first, last = _day(pd.Timestamp(first)), _day(pd.Timestamp(last))
    return f"on {first}" if first == last else f"from {first} to {last}"


def _range_text(spec: object) -> str:
    if isinstance(spec, (list, tuple)):
        return f"the median {_between(spec[0], spec[1])}"
    return str(spec)


def _day(stamp: pd.Timestamp) -> str:
    return str(pd.Timestamp(stamp).date())


def _at(value: str, how: str) -> str:
    """A value and when it was read: "USD 951.7bn on 2025-11-12", "USD 951.7bn (the median of ...)"."""
    return f"{value} ({how})" if how.startswith("the median") else f"{value} on {how}"


def _obs(stamp: pd.Timestamp, value: float, unit: str = "") -> str:
    return f"{_day(stamp)}: {_with_unit(value, unit) if unit else _fmt(value)}"


def _name(name: str) -> str:
    """A series' short English name for text a reader sees ("TGA", "SOFR - IORB", "CME silver
    initial margin"), never its code; ``a/b`` is a relative, ``x daily change`` a daily change."""
    if name.endswith(" daily change"):
        return f"the daily change of {_name(name.removesuffix(' daily change'))}"
    if "/" in name:
        first, second = name.split("/", 1)
        return f"{_name(first)} relative to {_name(second)}"
    if name in EXTRA_QUANTITIES:
        return f"CME {name.split('_')[1]} initial margin"
    from .present import short_name  # lazy: present imports views, which imports this module

    try:
        return short_name(name)
    except (KeyError, ValueError, LookupError):
        return name


#: the articles by the first three characters of their file name, in a few English words
ARTICLE_TITLES: dict[str, str] = {
    "000": "the February 2026 crash", "001": "the TGA drain and the repo market (Oct-Nov 2025)",
    "002": "the everything sell-off of 2025-11-04", "003": "speculative money leaving US stocks (2023)",
    "004": "the early-2026 outlook", "BRI": "the project's brief (Sept 2019 figures)",
}


def article_title(article: object) -> str:
    """An article as a reader names it: "Article 002: the everything sell-off of 2025-11-04"."""
    text = str(article or "")
    key = text[:3]
    if key == "BRI" or text == "brief":
        return "The project's brief (Sept 2019 figures)"
    if key in ARTICLE_TITLES:
        return f"Article {key}: {ARTICLE_TITLES[key]}"
    return f"Article {text}"


# --- calendar effects -----------------------------------------------------------------------

_HOLIDAYS = USFederalHolidayCalendar()
_BDAY = CustomBusinessDay(calendar=_HOLIDAYS)
_MONTH_END = CustomBusinessMonthEnd(calendar=_HOLIDAYS)
#: US tax dates that move cash into the TGA: corporate estimated taxes (Apr, Jun, Sep, Dec 15),
#: individual estimated taxes (Jan, Apr, Jun, Sep 15) and the April filing date
TAX_DAYS = ((1, 15), (4, 15), (6, 15), (9, 15), (12, 15))


def calendar_days(day: pd.Timestamp) -> list[str]:
    """What the calendar does on ``day``: month-, quarter- or year-end (last US business day)
    or a tax date (the 15th of Jan/Apr/Jun/Sep/Dec, or the next business day)."""
    day = pd.Timestamp(day).normalize()
    found = []
    if _MONTH_END.is_on_offset(day):
        found.append("year-end" if day.month == 12 else ("quarter-end" if day.month in (3, 6, 9) else "month-end"))
    for month, dom in TAX_DAYS:
        if day.month == month:
            due = pd.Timestamp(day.year, month, dom)
            if not _BDAY.is_on_offset(due):
                due = due + _BDAY
            if day == due:
                found.append("tax date")
    return found


def _stated_dates(claim: Claim, frequency: str | None) -> list[tuple[str, pd.Timestamp]]:
    """The dates a claim's reading depends on: a point date, each end of a start/end pair (not
    a median range) and of a window. A week-average reading covers the week ending that day."""
    points: list[tuple[str, pd.Timestamp]] = []
    if claim.get("date") is not None and claim.check != "plan":
        points.append(("date", pd.Timestamp(claim.get("date"))))
    for name in ("start", "end"):
        spec = claim.get(name)
        if spec is not None and not isinstance(spec, (list, tuple)):
            points.append((name, pd.Timestamp(spec)))
    if claim.get("window") is not None and claim.check not in ("event_count", "plan"):
        first, last = claim.get("window")
        if claim.check != "threshold" or claim.get("share") is not None or first == last:
            points += [("window start", pd.Timestamp(first)), ("window end", pd.Timestamp(last))]
    if frequency == "weekly_average":
        points = [(f"{name} (week average)", day - pd.Timedelta(days=back)) for name, day in points for back in range(7)]
    return points


def calendar_flag(claim: Claim, frequency: str | None = None) -> str:
    """A flag when a date or window end the claim depends on is a month-, quarter- or year-end
    or a tax date (empty when none is). ``calendar_ok`` says why the claim is about that day."""
    hits: dict[str, list[str]] = {}
    for name, day in _stated_dates(claim, frequency):
        for what in calendar_days(day):
            hits.setdefault(f"{day.date()} {what}", []).append(name.split(" (")[0])
    for part in claim.parts:
        number = f"part {part.id.rsplit('.', 1)[-1]}"
        for name, day in _stated_dates(part, None):
            for what in calendar_days(day):
                hits.setdefault(f"{day.date()} {what}", []).append(number)
    if not hits:
        return ""
    text = "; ".join(f"{where} ({', '.join(dict.fromkeys(names))})" for where, names in hits.items())
    if claim.calendar_ok:
        return f"calendar date accepted: {text} - {claim.calendar_ok}"
    return f"calendar: {text}"


# --- event tables ---------------------------------------------------------------------------

def event_table(table: str) -> pd.DataFrame:
    """An event table as rows with ``date`` (when it happens/takes effect), ``known`` (when it
    was public), ``kind``, ``label``, ``source`` and for CME rows ``metal`` and ``change``
    (raise/cut/unknown, with the margin before and after)."""
    if table == "policy":
        frame = pd.read_csv(EVENTS_DIR / "policy.csv", parse_dates=["date"]).rename(columns={"title": "label"})
        frame["known"] = frame["date"]
        frame["change"] = None
        return frame
    if table == "fomc":
        frame = pd.read_csv(EVENTS_DIR / "fomc.csv", parse_dates=["date"])
        frame["label"] = [f"FOMC {'hold' if c == 0 else f'{c:+g}bp'} to {lo:.2f}-{hi:.2f}%"
                          for c, lo, hi in zip(frame["change_bp"], frame["lower"], frame["upper"])]
        frame["known"] = frame["date"]
        frame["change"] = ["cut" if c < 0 else ("raise" if c > 0 else "hold") for c in frame["change_bp"]]
        return frame
    return _cme_changes()


@lru_cache(maxsize=1)
def _cme_changes() -> pd.DataFrame:
    """CME margin changes with their direction. A blank new level is read from the next
    change of the same metal (its old level), as in :func:`plumbing.episodes.cme_initial_margin_pct`.
    The 2026-01-13 switch from USD per contract to percent of notional is a raise when the
    new percentage, applied to the contract's notional at the last close before (futures
    price x contract ounces), exceeds the old USD level."""
    table = cme_margins().sort_values("effective_date", kind="stable").reset_index(drop=True)
    rows = []
    for metal, group in table.groupby("metal", sort=False):
        group = group.copy()
        percent = group["unit"].str.startswith("percent")
        later_old = group["old_initial"].shift(-1).where(percent.shift(-1, fill_value=False) & percent)
        group["new_level"] = group["new_initial"].fillna(later_old)
        for _, row in group.iterrows():
            old, new, pct = row["old_initial"], row["new_level"], row["change_pct"]
            change, how = "unknown", ""
            if pd.notna(pct):
                change, how = ("raise" if pct > 0 else "cut"), f"{pct:+g}%"
            elif pd.notna(old) and pd.notna(new) and "->" in str(row["unit"]):
                price = _close_before(metal, row["effective_date"])
                implied = new / 100 * price * CME_CONTRACT_OUNCES[metal] if price else float("nan")
                if implied == implied:
                    change = "raise" if implied > old else "cut"
                    how = f"USD {old:,.0f} -> {new:g}% of notional (about USD {implied:,.0f} at {price:,.2f})"
            elif pd.notna(old) and pd.notna(new):
                change, how = ("raise" if new > old else "cut"), f"{old:g} -> {new:g}{'%' if new < 100 else ' USD'}"
            announced = pd.to_datetime(row["announce_date"]) if pd.notna(row["announce_date"]) else row["effective_date"]
            rows.append({"date": row["effective_date"], "known": announced, "kind": "cme_margin", "metal": metal,
                         "change": change, "label": f"CME {metal} initial margin {how or 'change (level not published)'}",
                         "source": row["source"], "source_url": row["source_url"]})
    return pd.DataFrame(rows).sort_values(["date", "metal"], kind="stable").reset_index(drop=True)


def _close_before(metal: str, day: pd.Timestamp) -> float | None:
    """The front-month futures close of ``metal`` before ``day``, read from the snapshot file the
    catalog names (a raw price in USD, the common unit)."""
    spec = load_catalog().get(metal)
    series = SnapshotSource().read(spec.snapshot.file, spec.snapshot.column).dropna()
    series = series.loc[:pd.Timestamp(day) - pd.Timedelta(days=1)]
    return float(series.iloc[-1]) if len(series) else None


def select_events(spec: dict, first: object = None, last: object = None, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """The rows of ``spec['table']`` matching the spec (kind, match, metal, change) dated in
    [first, last], public by ``as_of`` when given."""
    rows = event_table(spec["table"])
    if spec.get("kind"):
        rows = rows[rows["kind"].isin(spec["kind"])]
    if spec.get("match"):  # re.search per label: str.contains warns (into the report page) on a pattern with groups
        pattern = re.compile(str(spec["match"]))
        rows = rows[rows["label"].map(lambda label: bool(pattern.search(str(label)))).astype(bool)]
    if spec.get("metal"):
        rows = rows[rows["metal"] == spec["metal"]]
    if spec.get("change"):
        rows = rows[rows["change"] == spec["change"]]
    if first is not None:
        rows = rows[rows["date"] >= pd.Timestamp(first)]
    if last is not None:
        rows = rows[rows["date"] <= pd.Timestamp(last)]
    if as_of is not None:
        rows = rows[rows["known"] <= as_of]
    return rows.reset_index(drop=True)


#: policy event kinds (data/events/policy.csv) in words, plural
EVENT_KIND_WORDS: dict[str, str] = {
    "refunding": "Treasury refunding statements", "fed_leadership": "Fed leadership announcements",
    "qt_start": "announcements of the start of QT", "qt_end": "announcements of the end of QT",
    "qt_taper": "announcements of a slower QT", "shutdown_start": "starts of a government shutdown",
    "shutdown_end": "ends of a government shutdown", "tariff": "tariff announcements",
    "rmp_start": "starts of the Fed's reserve management purchases", "repo_operations": "Fed repo operation announcements",
    "bill_purchases": "Fed bill purchase announcements", "debt_ceiling": "debt-ceiling events", "facility": "Fed facility announcements",
    "emergency": "Fed emergency actions", "fiscal": "fiscal events", "bank_failure": "bank failures",
}


def _pattern_words(pattern: str) -> str:
    """A title pattern in words: ``coupon sizes (increased|raised)`` -> "coupon sizes increased or
    raised"; escapes dropped."""
    text = re.sub(r"\\(.)", r"\1", str(pattern))
    text = re.sub(r"\(([^()]*)\)", lambda m: " or ".join(m.group(1).split("|")) if "|" in m.group(1) else m.group(1), text)
    return text.replace("|", " or ")


def _event_words(spec: dict) -> str:
    """The rows of an event table a claim counts, in words ("Treasury refunding statements that
    say coupon sizes increased or raised", "dates on which CME raised the gold or silver margin")."""
    if spec["table"] == "cme_metals_margins":
        metal = spec.get("metal") or "gold or silver"
        change = {"raise": "raised", "cut": "cut", "lower": "lowered"}.get(str(spec.get("change") or ""), "changed")
        return f"CME advisories that {change} the {metal} margin"
    if spec.get("kind"):
        what = " or ".join(EVENT_KIND_WORDS.get(k, k.replace("_", " ")) for k in spec["kind"])
    else:
        what = "FOMC meetings" if spec["table"] == "fomc" else "policy events"
    if spec.get("match"):
        what += f' that say "{_pattern_words(spec["match"])}"'
    return what


# --- point in time --------------------------------------------------------------------------

class VintageLoader(Loader):
    """A :class:`~plumbing.panel.Loader` that sees only observations published by ``as_of``.

    Each catalog series' ``release`` lag (see ``data/catalog.yaml``) dates the publication of
    each observation; observations published after ``as_of`` are dropped before any quantity
    is computed from them. Series without a stated lag are cut at ``as_of`` itself. The values
    are today's vintage: revisions are not reconstructed (the snapshot keeps earlier vintages
    only for a few series, none used by the claims)."""

    def __init__(self, base: Loader, as_of: object) -> None:
        super().__init__(catalog=base.catalog, cache=base.cache, snapshot=base.snapshot)
        self.as_of = pd.Timestamp(as_of)

    def common(self, key: str) -> pd.Series:
        series = super().common(key)
        spec = self.catalog.get(key)
        if spec.release is None:
            return series.loc[:self.as_of]
        published = spec.release.published(series.index, spec.frequency)
        return series[published <= self.as_of]

    def data_version(self, keys: Iterable[str]) -> tuple | None:
        """The base data version plus this loader's as-of date: the process memos of
        :meth:`~plumbing.panel.Loader.load` and :func:`~plumbing.quantities.quantity` key on
        it, so each as-of date (and today's data) gets its own view, never another's."""
        version = super().data_version(keys)
        return None if version is None else (("as_of", self.as_of.isoformat()),) + version


def release_words(names: Sequence[str], loader: Loader) -> str:
    """How the series behind ``names`` are published, in words."""
    keys: list[str] = []
    for name in names:
        if name in QUANTITIES:
            keys += list(QUANTITIES[name].inputs)
        elif name in loader.catalog:
            keys.append(name)
    texts = []
    for key in dict.fromkeys(keys):
        release = loader.catalog.get(key).release
        texts.append(f"{_name(key)} {release.describe() if release else 'publication lag not stated'}")
    return "; ".join(texts)


# --- checking --------------------------------------------------------------------------------

class _NotCheckable(Exception):
    """Raised inside a check when the data cannot answer; the message says why."""


def _title(name: str, loader: Loader) -> str:
    if name in QUANTITIES:
        return QUANTITIES[name].title
    if name in loader.catalog:
        return loader.catalog.get(name).title
    if name in EXTRA_QUANTITIES:
        return f"CME {name.split('_')[1]} initial margin (non-HRP, % of notional)"
    return name


class ClaimChecker:
    """Computes verdicts, loading each quantity once. With ``as_of``, only the observations
    published by that day are used (see :class:`VintageLoader`)."""

    def __init__(self, loader: Loader | None = None, as_of: object = None) -> None:
        base = loader or Loader()
        self.as_of = pd.Timestamp(as_of) if as_of is not None else None
        self.loader = VintageLoader(base, self.as_of) if self.as_of is not None else base
        self._series: dict[str, pd.Series] = {}
        self._frequency: dict[str, str | None] = {}

    # series ------------------------------------------------------------------------------

    def series(self, name: str) -> pd.Series:
        if name not in self._series:
            if name in EXTRA_QUANTITIES:
                series = EXTRA_QUANTITIES[name][1]()
                if self.as_of is not None:
                    known = select_events({"table": "cme_metals_margins", "metal": name.split("_")[1]})
                    public = set(known.loc[known["known"] <= self.as_of, "date"])
                    series = series[series.index.isin(public)]
                self._series[name] = series
            else:
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        self._series[name] = quantity(name, loader=self.loader)
                except KeyError as err:
                    raise _NotCheckable(f"no data series for quantity {name!r}: {err.args[0]}") from None
        return self._series[name]

    def frequency(self, name: str) -> str | None:
        """The alignment frequency of ``name`` (None: a step function with no as-of limit)."""
        if name not in self._frequency:
            base = name.removesuffix(" daily change").split("/")[0]
            self._frequency[name] = None if base in EXTRA_QUANTITIES else quantity_frequency(base, self.loader)
        return self._frequency[name]

    def series_for(self, claim: Claim) -> str:
        """The name of the series a claim reads: its quantity, or ``quantity/versus``."""
        versus = claim.get("versus")
        if not versus:
            return claim.quantity
        name = f"{claim.quantity}/{versus}"
        if name not in self._series:
            a, b = self.series(claim.quantity), self.series(str(versus))
            both = pd.concat([a, b], axis=1, join="inner").dropna()
            self._series[name] = (both.iloc[:, 0] / both.iloc[:, 1] * 100).rename(name)
        return name

    def unit(self, name: str) -> str:
        if name in EXTRA_QUANTITIES:
            return EXTRA_QUANTITIES[name][0]
        return quantity_unit(name, self.loader)

    def value_on(self, name: str, date: object) -> tuple[float, pd.Timestamp]:
        """The last value of ``name`` on or before ``date`` (within the as-of limit) and its date."""
        series = self.series(name)
        day = pd.Timestamp(date)
        before = series.loc[:day]
        frequency = self.frequency(name)
        if frequency is None:  # step functions: a level stays in force until changed
            usable = not before.empty
        else:
            usable = not before.empty and not pd.isna(align_to(series, pd.DatetimeIndex([day]), frequency).iloc[0])
        if not usable and self.as_of is not None and len(before) and before.index[-1] == series.index[-1] \
                and len(pd.bdate_range(before.index[-1], day)) <= LATEST_PUBLISHED_BDAYS:
            usable = True  # point in time: the latest observation published by then is what a reader saw
        if not usable:
            coverage = _between(series.index.min(), series.index.max()) if len(series) else "no data"
            vintage = f" published by {self.as_of.date()}" if self.as_of is not None else ""
            raise _NotCheckable(f"{_name(name)} has no observation{vintage} usable on {day.date()} (covers {coverage}; "
                                "values are not carried across a missing period or past the end of the data)")
        return float(before.iloc[-1]), before.index[-1]

    def endpoint(self, name: str, spec: object) -> tuple[float, pd.Timestamp, str]:
        """A start or end value: the value on a date, or the median over ``[first, last]``.
        Returns the value, the date it stands for and how it was read."""
        if isinstance(spec, (list, tuple)):
            first, last = pd.Timestamp(spec[0]), pd.Timestamp(spec[1])
            inside = self.series(name).loc[first:last].dropna()
            if inside.empty:
                raise _NotCheckable(f"{_name(name)} has no observation {_between(first, last)}")
            value = float(inside.median())
            return value, inside.index[-1], f"the median of {len(inside)} observations {_between(first, last)}"
        value, used = self.value_on(name, spec)
        return value, used, _day(used)

    def window(self, name: str, claim: Claim) -> tuple[pd.Timestamp, pd.Timestamp, pd.Series]:
        window = claim.get("window")
        lo, hi = pd.Timestamp(window[0]), pd.Timestamp(window[1])
        series = self.series(name).dropna()
        inside = series.loc[lo:hi]
        if inside.empty and self.as_of is not None and len(series) and series.index[-1] < lo \
                and len(pd.bdate_range(series.index[-1], hi)) <= LATEST_PUBLISHED_BDAYS:
            inside = series.iloc[-1:]  # point in time: nothing in the window published yet; the latest reading
        if inside.empty:
            coverage = _between(series.index.min(), series.index.max()) if len(series) else "no data"
            raise _NotCheckable(f"{_name(name)} has no observations {_between(lo, hi)} (covers {coverage})")
        return lo, hi, inside

    def _used_words(self, lo: pd.Timestamp, hi: pd.Timestamp, inside: pd.Series) -> str:
        """``lo..hi``, saying so when point in time found nothing published in it yet."""
        if inside.index[-1] < lo:
            return (f"{_between(lo, hi)} (nothing published by {self.as_of.date()}; the latest reading, "
                    f"{inside.index[-1].date()})")
        return _between(lo, hi)

    def _window_words(self, claim: Claim) -> str:
        lo, hi = claim.get("window")
        return _between(lo, hi)

    # entry point -------------------------------------------------------------------------

    def check(self, claim: Claim, *, nearest: bool = True) -> Verdict:
        """The verdict on ``claim``; ``nearest=False`` skips the search for a nearest reading."""
        calendar = ""
        try:
            if claim.check not in NO_QUANTITY_KINDS:
                try:
                    frequency = self.frequency(claim.quantity)
                except KeyError as err:
                    if claim.unit:
                        raise ClaimError(f"claim {claim.id!r} field 'quantity': {err.args[0]}") from None
                    raise _NotCheckable(f"no data series for {claim.quantity!r}: {err.args[0]}") from None
                calendar = calendar_flag(claim, frequency)
            else:
                calendar = calendar_flag(claim)
            if claim.check == "not_checkable":
                return Verdict(claim, "not_checkable", None, f"missing: {claim.get('missing')}",
                               rule="not checkable with the data here", calendar=calendar)
            self._check_unit(claim)
            verdict = getattr(self, f"_check_{claim.check}")(claim)
        except _NotCheckable as reason:
            verdict = Verdict(claim, "not_checkable", None, str(reason))
        if nearest and verdict.verdict in ("partly", "contradicted") and not verdict.nearest:
            try:
                verdict = replace(verdict, nearest=self._nearest(claim, verdict))
            except _NotCheckable:
                pass
        return replace(verdict, calendar=calendar)

    def _check_unit(self, claim: Claim) -> None:
        if not claim.unit or claim.check in NO_QUANTITY_KINDS or claim.get("versus") or claim.get("transform"):
            return
        if claim.check in ("pct_change", "direction", "size") or (claim.check == "span" and claim.get("stat") == "drawdown"):
            return
        try:
            actual_unit = self.unit(claim.quantity)
        except KeyError as err:
            raise ClaimError(f"claim {claim.id!r} field 'quantity': {err.args[0]}") from None
        if not _units_compatible(claim.unit, actual_unit):
            raise ClaimError(f"claim {claim.id!r} field 'unit': {claim.unit!r} but {claim.quantity} is in {actual_unit}")

    # grading -----------------------------------------------------------------------------

    def _grade(self, claim: Claim, actual: float, claimed: float, tolerance: float, how: str, data_date: str,
               unit: str | None = None, **extra: object) -> Verdict:
        verdict, text = _grade_text(claim, actual, claimed, tolerance, how, claim.unit if unit is None else unit)
        return Verdict(claim, verdict, round(actual, 6), text, data_date, **extra)  # type: ignore[arg-type]

    def _tolerance_words(self, claim: Claim, unit: str | None = None) -> str:
        unit = claim.unit if unit is None else unit
        claimed, tolerance = float(claim.get("claimed")), float(claim.get("tolerance"))
        bound = claim.get("bound")
        if bound == "lower":
            return (f"at least {_claimed_amount(claimed, unit)} (a lower bound; within {_with_unit(tolerance, _change_unit(unit))} below "
                    "it is partly close)")
        if bound == "upper":
            return f"at most {_claimed_amount(claimed, unit)} (an upper bound)"
        if _is_move(claim) and claimed != 0:
            return (f"{_claimed_amount(claimed, unit)} ± {_with_unit(tolerance, _change_unit(unit))} (a move in the claimed direction "
                    f"whose size is within a factor of {_fmt(MOVE_FACTOR)} of the claimed size is partly: right direction, "
                    "size off)")
        if tolerance == 0:
            return f"exactly {_claimed_amount(claimed, unit)}"
        return f"{_claimed_amount(claimed, unit)} ± {_with_unit(tolerance, _change_unit(unit))}"

    # each kind ---------------------------------------------------------------------------

    def _check_value(self, claim: Claim) -> Verdict:
        actual, used = self.value_on(claim.quantity, claim.get("date"))
        rule = (f"{_title(claim.quantity, self.loader)} on {claim.get('date')} (the last observation on or before it) "
                f"must be {self._tolerance_words(claim)}")
        return self._grade(claim, actual, float(claim.get("claimed")), float(claim.get("tolerance")),
                           f"{_name(claim.quantity)} on {used.date()}: {_with_unit(actual, claim.unit)}", _day(used), rule=rule,
                           observations=(f"{_name(claim.quantity)} {_obs(used, actual, claim.unit)}",))

    def _two_points(self, claim: Claim, name: str | None = None) -> tuple[float, pd.Timestamp, str, float, pd.Timestamp, str]:
        name = name or self.series_for(claim)
        first, d0, how0 = self.endpoint(name, claim.get("start"))
        last, d1, how1 = self.endpoint(name, claim.get("end"))
        return first, d0, how0, last, d1, how1

    def _check_change(self, claim: Claim) -> Verdict:
        first, d0, how0, last, d1, how1 = self._two_points(claim)
        change, what, per = last - first, "a change of", ""
        if claim.get("per_month"):
            months = (d1 - d0).days / 30.4375
            if months <= 0:
                raise _NotCheckable("a monthly pace needs an end after the start")
            change, what, per = change / months, f"a change per month over {months:.2f} months of", " per month (30.4 days)"
        rule = (f"{_title(claim.quantity, self.loader)} at {_range_text(claim.get('end'))} minus at "
                f"{_range_text(claim.get('start'))}{per} must be {self._tolerance_words(claim, _change_unit(claim.unit))}")
        unit = _change_unit(claim.unit)
        moved = "rose" if change > 0 else "fell" if change < 0 else "was unchanged"
        how = (f"{_name(claim.quantity)} {moved} ({_at(_with_unit(first, claim.unit), how0)} → "
               f"{_at(_with_unit(last, claim.unit), how1)}), {what} {_with_unit(change, unit, signed=True)}")
        return self._grade(claim, change, float(claim.get("claimed")), float(claim.get("tolerance")), how,
                           f"{d0.date()}..{d1.date()}", unit=unit, rule=rule,
                           observations=(f"{_name(claim.quantity)} {how0}: {_with_unit(first, claim.unit)}",
                                         f"{how1}: {_with_unit(last, claim.unit)}"))

    def _check_pct_change(self, claim: Claim) -> Verdict:
        name = self.series_for(claim)
        first, d0, how0, last, d1, how1 = self._two_points(claim, name)
        if first == 0:
            raise _NotCheckable(f"{_name(name)} is zero on {d0.date()}: no percent change")
        change = (last / first - 1) * 100
        what = "a change of"
        if claim.get("annualised"):
            years = (d1 - d0).days / 365.25
            if years <= 0:
                raise _NotCheckable("an annual rate needs an end after the start")
            change = ((last / first) ** (1 / years) - 1) * 100
            what = f"a compound annual rate over {years:.2f} years of"
        subject = (f"{_title(claim.quantity, self.loader)} relative to {_title(str(claim.get('versus')), self.loader)}"
                   if claim.get("versus") else _title(claim.quantity, self.loader))
        rule = (f"{'the compound annual growth rate' if claim.get('annualised') else 'the percent change'} of {subject} "
                f"from {_range_text(claim.get('start'))} to {_range_text(claim.get('end'))} must be "
                f"{self._tolerance_words(claim, 'pct_change')}")
        how = (f"{_name(name)} {_at(_fmt(first), how0)} → {_at(_fmt(last), how1)}, "
               f"{what} {_with_unit(change, 'pct_change', signed=True)}")
        return self._grade(claim, change, float(claim.get("claimed")), float(claim.get("tolerance")), how,
                           f"{d0.date()}..{d1.date()}", unit="pct_change", rule=rule,
                           observations=(f"{_name(name)} {how0}: {_fmt(first)}", f"{how1}: {_fmt(last)}"))

    def _check_direction(self, claim: Claim) -> Verdict:
        expected = claim.get("expected")
        if expected not in ("up", "down"):
            raise ClaimError(f"claim {claim.id!r} field 'expected': {expected!r}; valid: up, down")
        name = self.series_for(claim)
        first, d0, how0, last, d1, how1 = self._two_points(claim, name)
        change = last - first
        pct = f" ({(last / first - 1) * 100:+.2f}%)" if first else ""
        moved = "up" if change > 0 else ("down" if change < 0 else "flat")
        subject = (f"{_title(claim.quantity, self.loader)} relative to {_title(str(claim.get('versus')), self.loader)} "
                   f"(ratio x 100)" if claim.get("versus") else _title(claim.quantity, self.loader))
        rule = (f"{subject} at {_range_text(claim.get('end'))} must be {'above' if expected == 'up' else 'below'} "
                f"its value at {_range_text(claim.get('start'))} (sign only: the claim gives no size)")
        unit = "" if claim.get("versus") else claim.unit
        show = (lambda v, u=unit, **kw: _with_unit(v, u, **kw)) if unit else (lambda v, **kw: _fmt(v))  # noqa: E731
        text = (f"{_name(name)} {_at(show(first), how0)} → {_at(show(last), how1)}, a change of "
                f"{show(change, u=_change_unit(unit), signed=True) if unit else _fmt(change)}{pct}: "
                f"it moved {moved}, the claim says {expected}")
        return Verdict(claim, "supported" if moved == expected else "contradicted", round(change, 6), text,
                       f"{d0.date()}..{d1.date()}", rule=rule,
                       observations=(f"{_name(name)} {how0}: {_fmt(first)}", f"{how1}: {_fmt(last)}"))

    def _check_seasonal(self, claim: Claim) -> Verdict:
        direction = claim.get("extreme")
        if direction not in ("max", "min"):
            raise ClaimError(f"claim {claim.id!r} field 'extreme': {direction!r}; valid: max, min")
        value, used = self.value_on(claim.quantity, claim.get("date"))
        earlier = []
        for back in range(1, int(claim.get("years")) + 1):
            day = used - pd.DateOffset(years=back)
            try:
                earlier.append((day, *self.value_on(claim.quantity, day)))
            except _NotCheckable:
                raise _NotCheckable(f"{_name(claim.quantity)} has no value near {day.date()} for the same time of year") from None
        beats = [(d, v) for d, v, _ in earlier if (v > value if direction == "max" else v < value)]
        word = "highest" if direction == "max" else "lowest"
        listing = "; ".join(f"{obs.date()}: {_with_unit(v, claim.unit)}" for _, v, obs in earlier)
        text = (f"{_name(claim.quantity)} on {used.date()}: {_with_unit(value, claim.unit)}; the same time of year in the "
                f"previous {len(earlier)} years: {listing}")
        rule = (f"{_title(claim.quantity, self.loader)} on {claim.get('date')} must be the {word} of the same calendar "
                f"day (last observation on or before it) in each of the previous {claim.get('years')} years")
        observations = (f"{_name(claim.quantity)} {_obs(used, value, claim.unit)}",
                        *(f"{_obs(obs, v, claim.unit)}" for _, v, obs in earlier))
        if not beats:
            return Verdict(claim, "supported", round(value, 6), f"{text}: the {word}", _day(used), rule=rule,
                           observations=observations)
        verdict = "partly" if len(beats) == 1 else "contradicted"
        holds_for = next((k for k in range(len(earlier), 0, -1)
                          if not any((v > value if direction == "max" else v < value) for _, v, _o in earlier[:k])), 0)
        nearest = (f"the {word} for the time of year in {holds_for} year(s) (not {claim.get('years')})"
                   if holds_for else "")
        return Verdict(claim, verdict, round(value, 6),
                       f"{text}: {len(beats)} earlier year(s) {'higher' if direction == 'max' else 'lower'}",
                       _day(used), rule=rule, observations=observations, nearest=nearest)

    def _extreme_rank(self, name: str, claim: Claim, used: pd.Timestamp, value: float) -> tuple[int, str, str]:
        series = self.series(name)
        direction = claim.get("extreme")
        beats = (lambda s: s > value) if direction == "max" else (lambda s: s < value)
        word = "highest" if direction == "max" else "lowest"
        since = series.index.min() if claim.get("record") else pd.Timestamp(claim.get("since"))
        history = series.loc[since:used]
        actual_rank = int(beats(history).sum()) + 1
        earlier = series.loc[:used].iloc[:-1]
        earlier_better = earlier[beats(earlier)]
        found = (f"{word} since {earlier_better.index[-1].date()} ({_with_unit(earlier_better.iloc[-1], claim.unit)} then)"
                 if len(earlier_better) else f"{word} in the whole history from {series.index.min().date()}")
        later = series.loc[used:].iloc[1:]
        later_better = later[beats(later)]
        after = (f"; exceeded later on {later_better.index[0].date()} ({_with_unit(later_better.iloc[0], claim.unit)})"
                 if len(later_better) else "; not exceeded since")
        return actual_rank, found, after

    def _check_extreme(self, claim: Claim) -> Verdict:
        transform = claim.get("transform")
        if transform not in (None, "diff"):
            raise ClaimError(f"claim {claim.id!r} field 'transform': {transform!r}; valid: diff")
        direction = claim.get("extreme")
        if direction not in ("max", "min"):
            raise ClaimError(f"claim {claim.id!r} field 'extreme': {direction!r}; valid: max, min")
        name = claim.quantity
        if transform == "diff":
            name = f"{claim.quantity} daily change"
            if name not in self._series:
                self._series[name] = self.series(claim.quantity).diff().dropna()
        word = "highest" if direction == "max" else "lowest"
        if claim.get("window") is not None:
            lo, hi, inside = self.window(name, claim)
            used = inside.idxmax() if direction == "max" else inside.idxmin()
            value = float(inside.loc[used])
            where = f"the {word} value {self._window_words(claim)} ({used.date()})"
        else:
            value, used = self.value_on(name, claim.get("date"))
            where = f"the value on {claim.get('date')}"
        rank = int(claim.get("rank", 1))
        actual_rank, found, after = self._extreme_rank(name, claim, used, value)
        scope = "in the whole history" if claim.get("record") else f"since {pd.Timestamp(claim.get('since')).date()}"
        ordinal = "" if rank == 1 else f"rank {rank}, "
        rule = (f"{where} of {_title(claim.quantity, self.loader)}{' day-to-day change' if transform else ''} must be the "
                f"{ordinal}{word} of every observation {scope} up to that day")
        text = f"{_name(name)} on {used.date()}: {_with_unit(value, claim.unit)}, the {found}; rank {actual_rank} {scope}{after}"
        if actual_rank <= rank:
            verdict = "supported"
        elif actual_rank <= rank + 2:
            verdict, text = "partly", text + f" (claimed rank {rank})"
        else:
            verdict = "contradicted"
        return Verdict(claim, verdict, round(value, 6), text, _day(used), rule=rule,
                       observations=(f"{_name(name)} {_obs(used, value, claim.unit)}", found))

    def _check_threshold(self, claim: Claim) -> Verdict:
        series = self.series(claim.quantity).dropna()
        level = float(claim.get("level"))
        direction = claim.get("direction")
        if direction not in ("below", "above"):
            raise ClaimError(f"claim {claim.id!r} field 'direction': {direction!r}; valid: below, above")
        lo, hi, inside = self.window(claim.quantity, claim)
        if claim.get("abs"):  # "within N either way": the boundary counts as within
            side = (series.abs() <= level) if direction == "below" else (series.abs() >= level)
        elif claim.get("inclusive"):  # "not more than N": the boundary counts on the claimed side
            side = (series <= level) if direction == "below" else (series >= level)
        else:
            side = (series < level) if direction == "below" else (series > level)
        what = f"{_name(claim.quantity)} (either sign)" if claim.get("abs") else _name(claim.quantity)
        title = _title(claim.quantity, self.loader)
        low_at, high_at = inside.idxmin(), inside.idxmax()
        observations = (f"{_name(claim.quantity)}: {len(inside)} observations {_between(lo, hi)}",
                        f"lowest {_obs(low_at, float(inside.min()), claim.unit)}",
                        f"highest {_obs(high_at, float(inside.max()), claim.unit)}")
        if claim.get("share") is not None:
            wanted = float(claim.get("share"))
            share = float(side.loc[inside.index].mean())
            if claim.get("abs"):
                bound = f"within ±{_with_unit(level, claim.unit)} of zero"
            elif claim.get("inclusive"):
                bound = f"{'at most' if direction == 'below' else 'at least'} {_with_unit(level, claim.unit)}"
            else:
                bound = f"{direction} {_with_unit(level, claim.unit)}"
            rule = (f"at least {wanted:.0%} of the observations of {title} {self._window_words(claim)} must be {bound} "
                    f"(at least half that share, {wanted / 2:.0%}, or within 15 points of it, is partly)")
            text = (f"{share:.0%} of {len(inside)} observations of {what} {self._used_words(lo, hi, inside)} "
                    f"are {direction} {_with_unit(level, claim.unit)} (the claim: at least {wanted:.0%}); they range from "
                    f"{_with_unit(inside.min(), claim.unit)} to {_with_unit(inside.max(), claim.unit)}")
            verdict = ("supported" if share >= wanted
                       else "partly" if share >= min(wanted - 0.15, wanted / 2) else "contradicted")
            return Verdict(claim, verdict, round(share, 6), text, f"{lo.date()}..{hi.date()}", rule=rule,
                           observations=observations)
        since = pd.Timestamp(claim.get("since")) if claim.get("since") else series.index.min()
        crossed = side & ~side.shift(1, fill_value=True)
        crossings = crossed.loc[since:]
        crossings = crossings[crossings]
        first_any = crossings.index[0] if len(crossings) else None
        in_window = side.loc[inside.index]
        first_in_window = in_window[in_window].index[0] if in_window.any() else None
        extreme = inside.min() if direction == "below" else inside.max()
        if claim.get("first"):
            rule = (f"the first observation of {title} {direction} {_with_unit(level, claim.unit)} after being on the "
                    f"other side, counting from {since.date()}, must fall {self._window_words(claim)}")
            if first_any is None:
                return Verdict(claim, "contradicted", None,
                               f"{_name(claim.quantity)} never crossed {direction} {_with_unit(level, claim.unit)} since {since.date()}",
                               rule=rule, observations=observations)
            value = float(series.loc[first_any])
            text = (f"{_name(claim.quantity)} first crossed {direction} {_with_unit(level, claim.unit)} on {first_any.date()} "
                    f"({_with_unit(value, claim.unit)}) counting from {since.date()}")
            observations = (*observations, f"first crossing {_obs(first_any, value, claim.unit)}")
            if lo <= first_any <= hi:
                return Verdict(claim, "supported", round(value, 6), text, _day(first_any), rule=rule, observations=observations)
            later = crossings.loc[crossings.index > hi] if first_any < lo else crossings.iloc[:0]
            nearest = ""
            if first_in_window is not None:
                nearest = ""
                earlier = crossings.loc[:lo - pd.Timedelta(days=1)]
                if len(earlier):
                    later_since = earlier.index[-1] + pd.Timedelta(days=1)
                    then = crossings.loc[later_since:]
                    if len(then) and lo <= then.index[0] <= hi:
                        nearest = (f"it holds counting from {later_since.date()}, after the earlier crossing(s) "
                                   f"({', '.join(str(d.date()) for d in earlier.index)}): the first crossing is then "
                                   f"{then.index[0].date()}")
                return Verdict(claim, "partly", round(value, 6), text + f"; it was {direction} it inside the window too "
                               f"(from {first_in_window.date()}), but not for the first time", _day(first_any),
                               rule=rule, observations=observations, nearest=nearest)
            near = abs((first_any - (lo if first_any < lo else hi)).days) <= 92
            if len(later):
                nearest = f"a later crossing on {later.index[0].date()}"
            return Verdict(claim, "partly" if near else "contradicted", round(value, 6),
                           text + f", outside the window {_between(lo, hi)}", _day(first_any), rule=rule,
                           observations=observations, nearest=nearest)
        rule = f"{title} must be {direction} {_with_unit(level, claim.unit)} at least once {self._window_words(claim)}"
        if first_in_window is not None:
            value = float(series.loc[first_in_window])
            return Verdict(claim, "supported", round(value, 6),
                           f"{_name(claim.quantity)} {direction} {_with_unit(level, claim.unit)} from {first_in_window.date()} "
                           f"({_with_unit(value, claim.unit)}), in the window {self._used_words(lo, hi, inside)}; its "
                           f"{'lowest' if direction == 'below' else 'highest'} {_with_unit(extreme, claim.unit)}",
                           _day(first_in_window), rule=rule,
                           observations=(*observations, f"first {direction} {_obs(first_in_window, value, claim.unit)}"))
        return Verdict(claim, "contradicted", round(float(extreme), 6),
                       f"{_name(claim.quantity)} never {direction} {_with_unit(level, claim.unit)} {_between(lo, hi)}; "
                       f"the closest {_with_unit(extreme, claim.unit)}", f"{lo.date()}..{hi.date()}", rule=rule,
                       observations=observations)

    def _span_value(self, name: str, claim: Claim) -> tuple[float, list[str], pd.Timestamp]:
        stat = claim.get("stat")
        lo, hi, inside = self.window(name, claim)
        unit = claim.unit
        observations = [f"{_name(name)}: {len(inside)} observations {_between(lo, hi)}"]
        if stat in ("max", "min", "rise", "fall"):
            at = inside.idxmax() if stat in ("max", "rise") else inside.idxmin()
            extreme = float(inside.loc[at])
            observations.append(f"{'highest' if stat in ('max', 'rise') else 'lowest'} {_obs(at, extreme, unit)}")
            if stat in ("max", "min"):
                return extreme, observations, at
            if claim.get("base") is not None:
                base, _, how = self.endpoint(name, claim.get("base"))
                observations.insert(1, f"measured from ({how}): {_with_unit(base, unit)}")
            else:
                before = self.series(name).loc[:lo - pd.Timedelta(days=1)].dropna()
                if before.empty:
                    raise _NotCheckable(f"{_name(name)} has no observation before {lo.date()} to measure a {stat} from")
                base = float(before.iloc[-1])
                observations.insert(1, f"last before the window {_obs(before.index[-1], base, unit)}")
            return (extreme - base if stat == "rise" else base - extreme), observations, at
        if stat == "drawdown":
            peak_at = inside.idxmax()
            end_at = inside.index[-1]
            observations += [f"highest {_obs(peak_at, float(inside.max()))}", f"last {_obs(end_at, float(inside.iloc[-1]))}"]
            return (float(inside.iloc[-1]) / float(inside.max()) - 1) * 100, observations, end_at
        value = float(inside.median() if stat == "median" else inside.mean())
        return value, observations, inside.index[-1]

    def _check_span(self, claim: Claim) -> Verdict:
        stat = claim.get("stat")
        value, observations, at = self._span_value(claim.quantity, claim)
        title = _title(claim.quantity, self.loader)
        base = _range_text(claim.get("base")) if claim.get("base") is not None else "the last value before the window"
        words = {"max": f"the highest value of {title}", "min": f"the lowest value of {title}",
                 "median": f"the median of {title}", "mean": f"the mean of {title}",
                 "rise": f"the rise of {title} from {base} to the window's highest",
                 "fall": f"the fall of {title} from {base} to the window's lowest",
                 "drawdown": f"the percent fall of {title} from the window's highest close to its last"}[stat]
        unit = "pct_change" if stat == "drawdown" else claim.unit
        rule = f"{words} {self._window_words(claim)} must be {self._tolerance_words(claim, unit)}"
        return self._grade(claim, value, float(claim.get("claimed")), float(claim.get("tolerance")),
                           self._span_words(claim, value, observations, at), _day(at), unit=unit,
                           rule=rule, observations=tuple(observations))

    def _span_words(self, claim: Claim, value: float, observations: list[str], at: pd.Timestamp) -> str:
        """What a span check found, in a sentence: "TGA fell USD 159.2bn (USD 951.7bn → USD
        792.5bn) from 2025-11-13 to 2025-12-23"."""
        stat, name, unit = claim.get("stat"), _name(claim.quantity), claim.unit
        lo, hi = claim.get("window")
        window = _between(lo, hi)
        if stat in ("max", "min"):
            return f"{name} {'peaked at' if stat == 'max' else 'bottomed at'} {_with_unit(value, unit)} on {_day(at)} ({window})"
        if stat in ("median", "mean"):
            return f"the {stat} of {name} {window}: {_with_unit(value, unit)}"
        if stat in ("rise", "fall"):
            inside = self.series(claim.quantity).loc[pd.Timestamp(lo):pd.Timestamp(hi)].dropna()
            extreme = float(inside.loc[at]) if at in inside.index else float("nan")
            base = extreme - value if stat == "rise" else extreme + value
            verb = ("rose" if value >= 0 else "fell") if stat == "rise" else ("fell" if value >= 0 else "rose")
            return (f"{name} {verb} {_with_unit(abs(value), unit)} ({_with_unit(base, unit)} → {_with_unit(extreme, unit)} "
                    f"on {_day(at)}) {window}")
        return (f"{name} fell {_with_unit(-value, 'pct_change')} from its highest close {window} to its last "
                f"({_day(at)})") if value <= 0 else f"{name} rose {_with_unit(value, 'pct_change')} {window}"

    def _moves(self, claim: Claim) -> tuple[pd.Series, float, pd.Timestamp, pd.Timestamp, int, str]:
        """The series of comparable moves (or levels) of a size check, the claim's own, its
        dates, the horizon in observations and the series name."""
        name = self.series_for(claim)
        series = self.series(name).dropna()
        measure = claim.get("measure", "change")
        if measure not in ("change", "pct_change", "level"):
            raise ClaimError(f"claim {claim.id!r} field 'measure': {measure!r}; valid: change, pct_change, level")
        if measure == "level":  # the level on ``end``, or its median over ``[first, last]``
            level, d1, _ = self.endpoint(name, claim.get("end"))
            return series, level, d1, d1, 0, name
        _, d1 = self.value_on(name, claim.get("end"))
        _, d0 = self.value_on(name, claim.get("start"))
        steps = series.index.get_loc(d1) - series.index.get_loc(d0)
        if steps <= 0:
            raise _NotCheckable(f"{_name(name)}: no observation between {d0.date()} and {d1.date()}")
        moves = series.diff(steps) if measure == "change" else series.pct_change(steps, fill_method=None) * 100
        return moves.dropna(), float(moves.loc[d1]), d0, d1, steps, name

    def _check_size(self, claim: Claim) -> Verdict:
        expected = claim.get("expected")
        measure = claim.get("measure", "change")
        valid = ("low", "high") if measure == "level" else ("up", "down")
        if expected not in valid:
            raise ClaimError(f"claim {claim.id!r} field 'expected': {expected!r}; valid for measure {measure}: {', '.join(valid)}")
        percentile = float(claim.get("percentile"))
        years = float(claim.get("lookback_years", 5))
        moves, move, d0, d1, steps, name = self._moves(claim)
        end_spec = claim.get("end")
        ranged = measure == "level" and isinstance(end_spec, (list, tuple))
        first_day = pd.Timestamp(end_spec[0]) if ranged else d1  # a median's history ends before its range
        history = moves.loc[first_day - pd.DateOffset(years=int(years), days=int((years % 1) * 365)):first_day - pd.Timedelta(days=1)]
        if len(history) < 20:
            raise _NotCheckable(f"{_name(name)} has only {len(history)} comparable observations in the {years:g} years before {d1.date()}")
        low_side = expected in ("down", "low")
        rank = float((history <= move).mean() * 100) if low_side else float((history >= move).mean() * 100)
        cutoff = float(history.quantile(percentile / 100 if low_side else 1 - percentile / 100))
        unit = "%" if measure == "pct_change" else (claim.unit or "")
        subject = _title(claim.quantity, self.loader) + (f" relative to {_title(str(claim.get('versus')), self.loader)}"
                                                         if claim.get("versus") else "")
        if measure == "level":
            what = (f"the median level of {subject} from {end_spec[0]} to {end_spec[1]}" if ranged
                    else f"the level of {subject} on {claim.get('end')}")
            pool = f"all its levels in the {years:g} years before"
            words = "lowest" if low_side else "highest"
        else:
            what = (f"the {'percent ' if measure == 'pct_change' else ''}{'fall' if low_side else 'rise'} of {subject} "
                    f"from {claim.get('start')} to {claim.get('end')} ({steps} observations)")
            pool = f"every {steps}-observation {'percent change' if measure == 'pct_change' else 'change'} of the series in the {years:g} years before"
            words = "largest falls" if low_side else "largest rises"
        rule = (f"{what} must be among the {_fmt(percentile)}% {words} of {pool} "
                f"(a size rule from the series' own history: beyond {_with_unit(cutoff, unit) if unit != '%' else _fmt(cutoff) + '%'})")
        shown = _with_unit(move, "pct_change" if unit == "%" else unit, signed=measure != "level")
        when = (f"(median {_between(end_spec[0], end_spec[1])})" if ranged
                else 'on ' + str(d1.date()) if measure == 'level' else f'from {d0.date()} to {d1.date()}')
        text = (f"{_name(name)} {when}: {shown}; "
                f"{'at or below' if low_side else 'at or above'} it: {rank:.1f}% of {len(history)} comparable "
                f"{'levels' if measure == 'level' else 'moves'} ({_between(history.index[0], history.index[-1])}); "
                f"the {_fmt(percentile)}% cut-off is {_with_unit(cutoff, 'pct_change' if unit == '%' else unit, signed=measure != 'level')}")
        right_sign = (move < 0 if expected == "down" else move > 0) if measure != "level" else True
        if rank <= percentile and right_sign:
            verdict = "supported"
        elif (measure == "level" and rank <= PARTLY_FACTOR * percentile) or (measure != "level" and right_sign):
            verdict = "partly"
            text += "; the right direction but not an unusual size" if measure != "level" else ""
        else:
            verdict = "contradicted"
        if ranged:
            inside = self.series(name).loc[pd.Timestamp(end_spec[0]):pd.Timestamp(end_spec[1])].dropna()
            observations = [f"{_name(name)} {_obs(d, float(v))}" for d, v in inside.items()] + [f"median: {_fmt(move)}"]
        else:
            observations = [f"{_name(name)} {_obs(d1, float(self.series(name).loc[d1]))}"]
        if measure != "level":
            observations.insert(0, f"{_name(name)} {_obs(d0, float(self.series(name).loc[d0]))}")
        observations.append(f"cut-off ({_fmt(percentile)}%): {_fmt(cutoff)}")
        nearest = ""
        if verdict != "supported" and right_sign:
            nearest = (f"it ranks in the {'lowest' if low_side else 'highest'} {rank:.0f}%: it would count under a "
                       f"{_fmt(math.ceil(rank))}% rule, or with a {'fall' if low_side else 'rise'} beyond "
                       f"{_with_unit(cutoff, 'pct_change' if unit == '%' else unit, signed=measure != 'level')}")
        return Verdict(claim, verdict, round(rank, 6), text, f"{d0.date()}..{d1.date()}", rule=rule,
                       observations=tuple(observations), nearest=nearest)

    def _events(self, claim: Claim, first: object = None, last: object = None) -> pd.DataFrame:
        return select_events(claim.get("event"), first, last, self.as_of)

    def _check_event_count(self, claim: Claim) -> Verdict:
        spec = claim.get("event")
        lo, hi = claim.get("window")
        rows = self._events(claim, lo, hi)
        counted = rows.drop_duplicates("date") if spec.get("distinct_dates") else rows
        count = float(len(counted))
        unit = "distinct dates" if spec.get("distinct_dates") else "rows"
        rule = (f"the number of {'distinct dates' if spec.get('distinct_dates') else 'rows'} of {_event_words(spec)} "
                f"dated {_between(lo, hi)} must be "
                f"{self._tolerance_words(claim, 'count')}")
        observations = tuple(f"{_day(r.date)}: {r.label} ({r.source})" for r in rows.itertuples())
        if spec["table"] == "cme_metals_margins":
            unknown = select_events({**spec, "change": None}, lo, hi, self.as_of)
            unknown = unknown[unknown["change"] == "unknown"]
            if len(unknown):
                observations += tuple(f"not classified as a raise or a cut {_day(r.date)}: {r.label}" for r in unknown.itertuples())
        counted_words = "distinct dates" if spec.get("distinct_dates") else "found"
        verdict = self._grade(claim, count, float(claim.get("claimed")), float(claim.get("tolerance")),
                              f"{_event_words(spec)} {_between(lo, hi)}: {_fmt(count)} {counted_words}", f"{lo}..{hi}",
                              unit="count", rule=rule,
                              observations=observations or ("no matching rows",))
        if verdict.verdict != "supported":
            other = rows if spec.get("distinct_dates") else rows.drop_duplicates("date")
            verdict = replace(verdict, nearest=f"counting {'every advisory' if spec.get('distinct_dates') else 'distinct dates'} "
                                               f"instead gives {len(other)}")
        return verdict

    def _check_duration(self, claim: Claim) -> Verdict:
        spec = claim.get("event")
        day = pd.Timestamp(claim.get("date"))
        rows = self._events(claim, None, day)
        if rows.empty:
            raise _NotCheckable(f"no {_event_words(spec)} on or before {day.date()}")
        start = rows.iloc[-1]
        days = (day - start["date"]).days + 1
        weeks = claim.unit == "weeks"
        value = float(math.ceil(days / 7)) if weeks else float(days)
        rule = (f"{'weeks (a started week counts)' if weeks else 'days'} from the last {_event_words(spec)} on or before "
                f"{day.date()} to {day.date()}, both days counted, must be {self._tolerance_words(claim)}")
        return self._grade(claim, value, float(claim.get("claimed")), float(claim.get("tolerance")),
                           f"{'weeks' if weeks else 'days'} from {start['date'].date()} to {day.date()} ({days} days, both "
                           f"counted): {_with_unit(value, claim.unit)}",
                           f"{start['date'].date()}..{day.date()}",
                           rule=rule, observations=(f"{_day(start['date'])}: {start['label']} ({start['source']})",))

    def _check_plan(self, claim: Claim) -> Verdict:
        spec = claim.get("event")
        lo, hi = claim.get("window") or (claim.get("date"), claim.get("date"))
        rows = self._events(claim, lo, hi)
        pattern = re.compile(str(claim.get("pattern")))
        for row in rows.itertuples():
            found = pattern.search(str(row.label))
            if found:
                value = float(found.group(1).replace(",", ""))
                rule = (f"the number in the published plan ({_event_words(spec)} dated {lo}"
                        f"{'' if lo == hi else '..' + str(hi)}) must be {self._tolerance_words(claim)}; the plan's "
                        "realisation is a separate forecast check")
                return self._grade(claim, value, float(claim.get("claimed")), float(claim.get("tolerance")),
                                   f'the plan published on {_day(row.date)} says "{found.group(0)}": {_with_unit(value, claim.unit)}',
                                   _day(row.date), rule=rule,
                                   observations=(f"{_day(row.date)}: {row.label} ({row.source}, {row.source_url})",))
        raise _NotCheckable(f'none of the {_event_words(spec)} dated {_between(lo, hi)} states the plan '
                            f'("{_pattern_words(pattern.pattern)}")')

    def _check_compound(self, claim: Claim) -> Verdict:
        parts = tuple(self.check(part) for part in claim.parts)
        verdicts = [p.verdict for p in parts]
        if all(v == "supported" for v in verdicts):
            verdict = "supported"
        elif all(v == "not_checkable" for v in verdicts):
            verdict = "not_checkable"
        elif not any(v in ("supported", "partly") for v in verdicts):
            verdict = "contradicted"
        else:
            verdict = "partly"
        label = lambda n, p: f"({n}) {p.claim.claim or p.claim.quantity}"  # noqa: E731
        rule = "every part must hold: " + "; ".join(f"{label(n, p)}: {p.rule}" for n, p in enumerate(parts, 1))
        detail = "; ".join(f"{label(n, p)} {p.verdict.replace('_', ' ')}: {p.detail}" for n, p in enumerate(parts, 1))
        observations = tuple(f"({n}) {o}" for n, p in enumerate(parts, 1) for o in p.observations)
        nearest = "; ".join(f"({n}) {p.nearest}" for n, p in enumerate(parts, 1) if p.nearest)
        held = sum(v == "supported" for v in verdicts)
        return Verdict(claim, verdict, float(held), f"{held} of {len(parts)} parts hold: {detail}",
                       ", ".join(p.data_date for p in parts if p.data_date), rule=rule, observations=observations,
                       nearest=nearest, parts=parts)

    # nearest readings --------------------------------------------------------------------

    def _nearest(self, claim: Claim, verdict: Verdict) -> str:
        """Where one exists, the nearest reading under which the sentence would hold."""
        kind = claim.check
        if kind == "value":
            return self._nearest_value(claim, verdict)
        if kind in ("change", "pct_change", "direction") or (kind == "span" and claim.get("stat") in ("rise", "fall")):
            return self._nearest_dates(claim)
        if kind == "extreme" and claim.get("window") is None:
            return self._nearest_extreme(claim, verdict)
        if kind == "threshold" and claim.get("share") is not None:
            return self._nearest_share(claim)
        return ""

    def _holds(self, claim: Claim, **params: object) -> Verdict | None:
        try:
            trial = self.check(replace(claim, params={**claim.params, **params}), nearest=False)
        except (ClaimError, _NotCheckable):
            return None
        return trial if trial.verdict == "supported" else None

    def _nearest_value(self, claim: Claim, verdict: Verdict) -> str:
        series = self.series(claim.quantity)
        used = pd.Timestamp(verdict.data_date) if verdict.data_date else pd.Timestamp(claim.get("date"))
        claimed, tolerance = float(claim.get("claimed")), float(claim.get("tolerance"))
        bound = claim.get("bound")
        gap = series - claimed
        ok = (gap.abs() <= tolerance) | ((gap > 0) if bound == "lower" else False) | ((gap < 0) if bound == "upper" else False)
        hits = series[ok]
        near = hits.loc[used - pd.Timedelta(days=NEAR_DAYS):used + pd.Timedelta(days=NEAR_DAYS)]
        if len(near):
            closest = near.index[abs(near.index - used).argmin()]
            return f"the claimed value does hold on {closest.date()} ({_with_unit(float(near.loc[closest]), claim.unit)})"
        before, after = hits.loc[:used], hits.loc[used:]
        texts = []
        if len(before):
            texts.append(f"it last held on {before.index[-1].date()} ({_with_unit(float(before.iloc[-1]), claim.unit)})")
        if len(after):
            texts.append(f"it next held on {after.index[0].date()} ({_with_unit(float(after.iloc[0]), claim.unit)})")
        return "; ".join(texts)

    def _nearest_dates(self, claim: Claim) -> str:
        """The closest start (then end) date within a year before / a month around at which the
        claim would hold, the other end unchanged."""
        name = self.series_for(claim)
        series = self.series(name).dropna()
        if claim.check == "span" and claim.get("base") is not None:
            base = claim.get("base")
            anchor = pd.Timestamp(base[0] if isinstance(base, (list, tuple)) else base)
            lo = pd.Timestamp(claim.get("window")[0])
            for day in sorted(series.loc[anchor - pd.Timedelta(days=366):lo - pd.Timedelta(days=1)].index,
                              key=lambda d: abs((d - anchor).days)):
                trial = self._holds(claim, base=day.date().isoformat(), base_name=None)
                if trial is not None:
                    return f"it holds measured from {day.date()} instead of {_range_text(base)} ({trial.detail})"
            return ""
        start, end = claim.get("start"), claim.get("end")
        if claim.check != "span" and not isinstance(start, (list, tuple)) and not isinstance(end, (list, tuple)):
            dates = series.index
            i0, i1 = dates.searchsorted(pd.Timestamp(start), "right") - 1, dates.searchsorted(pd.Timestamp(end), "right") - 1
            steps = i1 - i0
            if i0 >= 0 and steps > 0:
                anchor = dates[i1]
                moves = [(dates[j - steps], dates[j]) for j in range(steps, len(dates))
                         if abs((dates[j] - anchor).days) <= NEAR_DAYS and dates[j] != anchor]
                for d0, d1 in sorted(moves, key=lambda pair: abs((pair[1] - anchor).days)):
                    trial = self._holds(claim, start=d0.date().isoformat(), end=d1.date().isoformat())
                    if trial is not None:
                        return f"the same {steps}-observation move holds ending {d1.date()} ({trial.detail})"
                if steps == 1:
                    return ""
        for which, back, ahead in (("start", 366, 31), ("end", 31, 31)):
            spec = claim.get("window")[0 if which == "start" else 1] if claim.check == "span" else claim.get(which)
            if isinstance(spec, (list, tuple)):
                continue
            anchor = pd.Timestamp(spec)
            candidates = series.loc[anchor - pd.Timedelta(days=back):anchor + pd.Timedelta(days=ahead)].index
            for day in sorted(candidates, key=lambda d: abs((d - anchor).days)):
                if day == anchor:
                    continue
                if claim.check == "span":
                    lo, hi = claim.get("window")
                    window = [day.date().isoformat(), hi] if which == "start" else [lo, day.date().isoformat()]
                    if pd.Timestamp(window[1]) < pd.Timestamp(window[0]):
                        continue
                    trial = self._holds(claim, window=window, window_name=None)
                else:
                    other = claim.get("end" if which == "start" else "start")
                    if not isinstance(other, (list, tuple)) and ((day >= pd.Timestamp(other)) if which == "start" else (day <= pd.Timestamp(other))):
                        continue
                    trial = self._holds(claim, **{which: day.date().isoformat()})
                if trial is not None:
                    return f"it holds if the {which} is {day.date()} instead of {anchor.date()} ({trial.detail})"
        return ""

    def _nearest_extreme(self, claim: Claim, verdict: Verdict) -> str:
        anchor = pd.Timestamp(claim.get("date"))
        name = claim.quantity if claim.get("transform") != "diff" else f"{claim.quantity} daily change"
        candidates = self.series(name).loc[anchor - pd.Timedelta(days=NEAR_DAYS):anchor + pd.Timedelta(days=NEAR_DAYS)].index
        for day in sorted(candidates, key=lambda d: abs((d - anchor).days)):
            trial = self._holds(claim, date=day.date().isoformat())
            if trial is not None and day != anchor:
                return f"it holds on {day.date()} ({trial.detail})"
        return ""

    def _nearest_share(self, claim: Claim) -> str:
        lo, hi, inside = self.window(claim.quantity, claim)
        wanted = float(claim.get("share"))
        values = inside.abs() if claim.get("abs") else inside
        below = claim.get("direction") == "below"
        level = float(values.quantile(wanted if below else 1 - wanted))
        what = f"{_name(claim.quantity)}{' (either sign)' if claim.get('abs') else ''}"
        text = (f"{what} is {claim.get('direction')} {_with_unit(level, claim.unit)} on at least {wanted:.0%} of days, "
                f"not {_with_unit(float(claim.get('level')), claim.unit)}")
        if lo == hi:
            for day in sorted(self.series(claim.quantity).loc[lo - pd.Timedelta(days=NEAR_DAYS):lo + pd.Timedelta(days=NEAR_DAYS)].index,
                              key=lambda d: abs((d - lo).days)):
                if day != lo and self._holds(claim, window=[day.date().isoformat()] * 2, window_name=None):
                    return f"it holds on {day.date()} ({_with_unit(float(self.series(claim.quantity).loc[day]), claim.unit)})"
        return text


def _is_move(claim: Claim) -> bool:
    """Whether the claimed figure is a move (it has a direction): change and pct_change checks,
    and value checks of a quantity in percent change."""
    return claim.check in ("change", "pct_change") or (claim.check == "value" and claim.unit == "pct_change")


def _change_unit(unit: str) -> str:
    """The unit of a change: a change of a rate in percent is in percentage points."""
    return "pp" if unit == "percent" else unit


def _grade_text(claim: Claim, actual: float, claimed: float, tolerance: float, how: str,
                unit: str = "") -> tuple[str, str]:
    """The verdict and the sentence saying why: ``how`` (what the data show, with the value)
    then the claimed figure and how far off it is, in ``unit``."""
    gap = actual - claimed
    bound = claim.get("bound")
    if bound not in (None, "lower", "upper"):
        raise ClaimError(f"claim {claim.id!r} field 'bound': {bound!r}; valid: lower, upper")
    said, off = _claimed_amount(claimed, unit), _with_unit(gap, _change_unit(unit), signed=True)
    if (bound == "lower" and gap >= 0) or (bound == "upper" and gap <= 0):
        side = "at least" if bound == "lower" else "at most"
        return "supported", f"{how}: {side} the {said} claimed"
    if abs(gap) <= tolerance:
        within = "as claimed" if gap == 0 else f"against the {said} claimed (within ±{_with_unit(tolerance, _change_unit(unit))})"
        return "supported", f"{how}, {within}"
    if abs(gap) <= PARTLY_FACTOR * tolerance and (claimed == 0 or math.copysign(1, actual) == math.copysign(1, claimed)):
        return "partly", (f"{how}, against the {said} claimed: off by {off}, beyond the ±{_with_unit(tolerance, _change_unit(unit))} "
                          "allowed")
    if (bound is None and _is_move(claim) and claimed != 0 and actual != 0
            and math.copysign(1, actual) == math.copysign(1, claimed)
            and 1 / MOVE_FACTOR <= actual / claimed <= MOVE_FACTOR):
        return "partly", (f"{how}, against the {said} claimed: the right direction, the size off by {off} (within a "
                          f"factor of {_fmt(MOVE_FACTOR)} of the claimed size)")
    return "contradicted", f"{how}, against the {said} claimed: off by {off}"


def _units_compatible(claimed: str, actual: str) -> bool:
    aliases = {"usd_bn": {"usd_bn", "usd_bn_saar"}, "usd": {"usd"}}
    return claimed == actual or actual in aliases.get(claimed, set())


# --- tables ------------------------------------------------------------------------------------

def check_claims(claims: Sequence[Claim] | None = None, loader: Loader | None = None, *,
                 point_in_time: bool = True) -> pd.DataFrame:
    """The verdict table: one row per claim, in file order.

    With ``point_in_time`` (the default) each claim is also checked with only the data
    published by its ``as_of`` date (columns ``as_of``, ``verdict_asof``, ``detail_asof``,
    ``data_asof``; ``pit_changed`` where the two verdicts differ). Forecasts (``role:
    forecast``) are about dates after the article, so they have no point-in-time verdict.
    """
    loader = loader or Loader()
    checker = ClaimChecker(loader)
    claims = list(claims) if claims is not None else load_claims()
    vintages: dict[pd.Timestamp, ClaimChecker] = {}
    rows = []
    for claim in claims:
        row = checker.check(claim).row()
        row.update(as_of=None, verdict_asof=None, detail_asof="", data_asof="", pit_changed=False, pit_data_changed=False)
        if point_in_time and claim.as_of is not None:
            row["as_of"] = str(claim.as_of.date())
            if claim.role == "forecast":
                row["verdict_asof"] = "forecast"
                row["detail_asof"] = f"a forecast: its outcome was not known on {claim.as_of.date()}"
            else:
                vintage = vintages.setdefault(claim.as_of, ClaimChecker(loader, as_of=claim.as_of))
                then = vintage.check(claim)
                items = claim.parts if claim.check == "compound" else (claim,)
                names = [n for item in items for n in (item.quantity, item.get("versus")) if n]
                lags = release_words(names, loader)
                if any(item.check in ("event_count", "duration", "plan") for item in items):
                    lags = "; ".join(filter(None, [lags, "event rows count from their own date (CME rows from the advisory date)"]))
                row.update(verdict_asof=then.verdict, detail_asof=then.detail, data_asof="; ".join(then.observations),
                           pit_changed=then.verdict != row["verdict"], pit_data_changed=row["data"] != "; ".join(then.observations),
                           release=lags)
        rows.append(row)
    table = pd.DataFrame(rows)
    if "release" not in table:
        table["release"] = ""
    table["release"] = table["release"].fillna("")
    return table


def check_claim(claim: Claim, loader: Loader | None = None, as_of: object = None) -> Verdict:
    """The verdict on one claim (on today's data, or with the data published by ``as_of``)."""
    return ClaimChecker(loader, as_of=as_of).check(claim)


def verdict_counts(table: pd.DataFrame) -> pd.Series:
    """How many claims got each verdict (all four verdicts listed, zeros included)."""
    return table["verdict"].value_counts().reindex(list(VERDICTS), fill_value=0)


def scorecard(table: pd.DataFrame, by: str = "article") -> pd.DataFrame:
    """Counts of supported, partly, contradicted and not checkable by ``article`` (its number)
    or by ``check`` kind, with a total row and column."""
    if by not in ("article", "check", "role"):
        raise ValueError(f"by={by!r}; valid: article, check, role")
    keys = table["article"].str.slice(0, 3).replace({"BRI": "brief"}) if by == "article" else table[by]
    counts = (table.assign(_key=keys).groupby(["_key", "verdict"]).size().unstack(fill_value=0)
              .reindex(columns=list(VERDICTS), fill_value=0))
    counts.index.name = by
    counts.loc["total"] = counts.sum()
    counts["total"] = counts.sum(axis=1)
    return counts.astype(int)


EXPORT_COLUMNS = ("id", "article", "episodes", "role", "check", "quote", "claim", "verdict", "rule", "data", "detail",
                  "nearest", "calendar", "as_of", "verdict_asof", "detail_asof", "release")


def export_csv(table: pd.DataFrame, path: Path | str) -> Path:
    """Write the verdict table (id, article, quote, English claim, verdict, rule, data, ...)
    to ``path`` as UTF-8 CSV, atomically (a reader never sees a half-written file)."""
    target = Path(path)
    columns = [c for c in EXPORT_COLUMNS if c in table.columns]
    payload = table[columns].to_csv(index=False).encode("utf-8")
    atomic_write_bytes(target, payload)
    return target


def csv_target(text: str) -> Path:
    """The ``--csv`` path, checked before any verdict is computed: a folder, or a file in a
    folder that does not exist (never created), is a :class:`ValueError` naming the path."""
    target = Path(text)
    if target.is_dir():
        raise ValueError(f"--csv {text}: is a folder; give a file path such as {target / 'claims.csv'}")
    if not target.parent.is_dir():
        raise ValueError(f"--csv {text}: the folder {target.parent} does not exist (it is not created); create it first")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m plumbing.claims`` / ``plumbing claims``: print the verdict table."""
    parser = argparse.ArgumentParser(prog="plumbing claims", description="Check the articles' claims against data.")
    parser.add_argument("--article", help="only claims from articles whose file name starts with this")
    parser.add_argument("--verdict", choices=VERDICTS, help="only claims with this verdict")
    parser.add_argument("--csv", metavar="PATH", help="also write the verdict table (quote, claim, verdict, rule, data) to PATH")
    args = parser.parse_args(argv)
    target = csv_target(args.csv) if args.csv else None
    table = check_claims()
    if args.article:
        table = table[table["article"].str.startswith(args.article)]
    if args.verdict:
        table = table[table["verdict"] == args.verdict]
    print(" ".join(f"{v}: {n}" for v, n in verdict_counts(table).items()))
    with pd.option_context("display.max_rows", None, "display.max_colwidth", 120, "display.width", 250):
        for article, group in table.groupby("article", sort=True):
            print(f"\n== {article} ==")
            print(group[["id", "verdict", "verdict_asof", "claimed", "unit", "computed", "detail"]].to_string(index=False))
    if target is not None:
        print(f"\nwrote {export_csv(table, target)} ({len(table)} claims)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
