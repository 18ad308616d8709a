"""The articles' numeric claims and a verdict on each, computed from data.

Claims are declared in ``data/claims.yaml`` (what the article says: quantity, date or window,
claimed value and unit, kind of check). :func:`check_claim` computes the value from data and
gives a verdict: ``supported``, ``contradicted``, ``partly`` (saying how) or
``not_checkable`` (saying what is missing). The YAML never holds a verdict or a data value.

Check kinds
-----------
value        the quantity on ``date`` is ``claimed`` within ``tolerance``
direction    the quantity moved ``expected`` (up/down) from ``start`` to ``end``
seasonal     the value on ``date`` is the ``max``/``min`` of the same calendar day in each of the
             previous ``years`` years ("highest for the time of year in five years")
change       ``value(end) - value(start)`` is ``claimed`` within ``tolerance``
pct_change   ``(value(end) / value(start) - 1) * 100`` is ``claimed`` within ``tolerance``
extreme      the value on ``date`` is the ``max``/``min`` since ``since`` (or of the whole
             history with ``record: true``; ``rank: 2`` for "second highest")
threshold    the quantity is on the ``direction`` side (below/above) of ``level`` at some
             point inside ``window``; with ``first: true`` it must *cross* there for the first
             time since ``since``; with ``share``, at least that share of the window's
             observations lies on that side (``abs: true`` tests the absolute value, for
             "within 5bp either way")
not_checkable  the data needed do not exist here; ``missing`` says what they would be

Options: ``bound: lower`` (or ``upper``) makes value/change checks one-sided, for "more than"
and "at least" claims; ``transform: diff`` makes an extreme check look at day-to-day changes
("the largest one-day rise in a year").

A value within the tolerance is ``supported``; within three tolerances ``partly`` (the
detail gives the gap); beyond that ``contradicted``. A value "on a date" is the last
observation on or before it under the alignment rules of :func:`plumbing.panel.align_to`
(daily series bridge holidays but are never carried past their last observation; weekly,
monthly and quarterly values hold until the next period's end, monthly and quarterly ones
dated at the end of the period they measure); the date actually used is reported.
"""

from __future__ import annotations

import argparse
import math
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from . import config
from .episodes import cme_initial_margin_pct
from .panel import Loader, align_to
from .quantities import quantity, quantity_frequency, quantity_unit

CLAIMS_PATH: Path = config.DATA_DIR / "claims.yaml"
CHECK_KINDS = ("value", "change", "pct_change", "direction", "seasonal", "extreme", "threshold", "not_checkable")
VERDICTS = ("supported", "partly", "contradicted", "not_checkable")
PARTLY_FACTOR = 3.0

#: quantities that are event tables rather than catalog series: step functions whose last
#: value stays in force until the next change (no as-of limit)
EXTRA_QUANTITIES: dict[str, tuple[str, Callable[[], pd.Series]]] = {
    "cme_silver_initial_margin": ("percent", lambda: cme_initial_margin_pct("silver")),
    "cme_gold_initial_margin": ("percent", lambda: cme_initial_margin_pct("gold")),
}

COMMON_FIELDS = ("id", "article", "claim", "quantity", "check", "unit", "quote", "note", "claimed")
OPTIONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "value": ("bound",),
    "change": ("bound",),
    "pct_change": ("bound",),
    "direction": (),
    "seasonal": (),
    "extreme": ("since", "record", "rank", "transform"),
    "threshold": ("first", "since", "share", "abs"),
    "not_checkable": ("date", "start", "end", "window", "tolerance", "level", "direction"),
}
DATE_FIELDS = ("date", "start", "end", "since")
NUMBER_FIELDS = ("claimed", "tolerance", "level", "share", "rank", "years")

REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "value": ("date", "claimed", "tolerance"),
    "change": ("start", "end", "claimed", "tolerance"),
    "pct_change": ("start", "end", "claimed", "tolerance"),
    "direction": ("start", "end", "expected"),
    "seasonal": ("date", "extreme", "years"),
    "extreme": ("date", "extreme"),
    "threshold": ("level", "direction", "window"),
    "not_checkable": ("missing",),
}


class ClaimError(ValueError):
    """A claim entry is malformed; the message names the claim and the field."""


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

    def get(self, name: str, default: object = None) -> object:
        return self.params.get(name, default)


@dataclass(frozen=True)
class Verdict:
    """The data's answer to a claim."""

    claim: Claim
    verdict: str
    computed: float | None
    detail: str
    data_date: str | None = None

    @property
    def computed_unit(self) -> str:
        """What ``computed`` is measured in: the claim's unit, or ``share`` (0-1) of the
        window's observations for a share-of-days threshold, or ``%`` for a percent change."""
        c = self.claim
        if c.check == "threshold" and c.get("share") is not None:
            return "share"
        if c.check == "pct_change":
            return "%"
        return c.unit

    @property
    def claimed_text(self) -> str:
        """What the article claims, in words, for claims without a single claimed number."""
        c = self.claim
        if c.check == "threshold":
            side = f"|{c.quantity}|" if c.get("abs") else c.quantity
            text = f"{side} {c.get('direction')} {_fmt(float(c.get('level')))} {c.unit}".strip()
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
            return f"{c.get('expected')} from {c.get('start')} to {c.get('end')}"
        if c.check == "seasonal":
            word = {"max": "highest", "min": "lowest"}.get(str(c.get("extreme")), str(c.get("extreme")))
            return f"{word} for the time of year in {c.get('years')} years"
        return ""

    def row(self) -> dict:
        c = self.claim
        return {"id": c.id, "article": c.article, "claim": c.claim, "quantity": c.quantity, "check": c.check,
                "claimed": c.get("claimed"), "unit": c.unit, "computed": self.computed,
                "claimed_text": self.claimed_text, "computed_unit": self.computed_unit,
                "data_date": self.data_date, "verdict": self.verdict,
                "detail": self.detail}


def parse_claims(document: object, path: Path) -> list[Claim]:
    """Validate the claims document; every problem names the claim id and the field."""
    if not isinstance(document, dict) or not isinstance(document.get("claims"), list):
        raise ClaimError(f"{path.name}: expected a top-level list 'claims:'")
    claims, seen = [], set()
    base = ("id", "article", "claim", "quantity", "check", "unit", "quote", "note")
    for position, raw in enumerate(document["claims"]):
        ident = raw.get("id") if isinstance(raw, dict) else None
        where = f"{path.name}: claim {ident!r}" if ident else f"{path.name}: claim #{position + 1}"
        if not isinstance(raw, dict):
            raise ClaimError(f"{where}: expected a mapping")
        for name in ("id", "article", "claim", "check"):
            if not raw.get(name):
                raise ClaimError(f"{where}: field {name!r} is missing")
        if raw["id"] in seen:
            raise ClaimError(f"{where} field 'id': duplicate id")
        seen.add(raw["id"])
        if raw["check"] not in CHECK_KINDS:
            raise ClaimError(f"{where} field 'check': {raw['check']!r}; valid: {', '.join(CHECK_KINDS)}")
        for name in REQUIRED_FIELDS[raw["check"]]:
            if raw.get(name) is None:
                raise ClaimError(f"{where} field {name!r} is required for check {raw['check']!r}")
        if raw["check"] != "not_checkable" and not raw.get("quantity"):
            raise ClaimError(f"{where} field 'quantity' is missing")
        allowed = set(COMMON_FIELDS) | set(REQUIRED_FIELDS[raw["check"]]) | set(OPTIONAL_FIELDS[raw["check"]])
        unknown = sorted({k for k, v in raw.items() if v is not None} - allowed)
        if unknown:
            raise ClaimError(f"{where}: field(s) {', '.join(map(repr, unknown))} are not used by check "
                             f"{raw['check']!r}; valid: {', '.join(sorted(allowed))}")
        for name in DATE_FIELDS:
            if raw.get(name) is not None:
                _parse_date(raw[name], f"{where} field {name!r}")
        if raw.get("window") is not None:
            window = raw["window"]
            if not isinstance(window, list) or len(window) != 2:
                raise ClaimError(f"{where} field 'window': expected [start, end]")
            for value in window:
                _parse_date(value, f"{where} field 'window'")
        for name in NUMBER_FIELDS:
            value = raw.get(name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise ClaimError(f"{where} field {name!r}: {value!r} is not a number")
        if raw["check"] == "extreme" and (raw.get("since") is None) == (not raw.get("record")):
            raise ClaimError(f"{where}: an extreme check needs exactly one of 'since' (a date) or 'record: true'")
        params = {k: v for k, v in raw.items() if k not in base}
        claims.append(Claim(id=str(raw["id"]), article=str(raw["article"]), claim=str(raw["claim"]).strip(),
                            quantity=str(raw.get("quantity") or ""), check=str(raw["check"]),
                            unit=str(raw.get("unit") or ""), quote=str(raw.get("quote") or ""),
                            note=str(raw.get("note") or "").strip(), params=params))
    return claims


def _parse_date(value: object, where: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(str(value))
    except (ValueError, TypeError):
        raise ClaimError(f"{where}: {value!r} is not a date (use YYYY-MM-DD)") from None


def load_claims(path: Path | None = None) -> list[Claim]:
    """All claims from ``data/claims.yaml`` (or ``path``)."""
    target = Path(path) if path else CLAIMS_PATH
    with open(target, encoding="utf-8") as handle:
        return parse_claims(yaml.safe_load(handle), target)


# --- checking --------------------------------------------------------------------------------

class _NotCheckable(Exception):
    """Raised inside a check when the data cannot answer; the message says why."""


def _fmt(value: float) -> str:
    """A readable number: 4 significant digits below 1,000, thousands separators above, never
    scientific notation."""
    if abs(value) >= 1000:
        return f"{value:,.1f}"
    if value == 0 or abs(value) >= 0.001:
        return f"{float(f'{value:.4g}'):g}"
    return f"{value:.6f}"


class ClaimChecker:
    """Computes verdicts, loading each quantity once."""

    def __init__(self, loader: Loader | None = None) -> None:
        self.loader = loader or Loader()
        self._series: dict[str, pd.Series] = {}

    def series(self, name: str) -> pd.Series:
        if name not in self._series:
            if name in EXTRA_QUANTITIES:
                self._series[name] = EXTRA_QUANTITIES[name][1]()
            else:
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        self._series[name] = quantity(name, loader=self.loader)
                except KeyError as err:
                    raise _NotCheckable(f"no data series for quantity {name!r}: {err.args[0]}") from None
        return self._series[name]

    def unit(self, name: str) -> str:
        if name in EXTRA_QUANTITIES:
            return EXTRA_QUANTITIES[name][0]
        return quantity_unit(name, self.loader)

    def value_on(self, name: str, date: object) -> tuple[float, pd.Timestamp]:
        """The last value of ``name`` on or before ``date`` (within the as-of limit) and its date."""
        series = self.series(name)
        day = pd.Timestamp(date)
        before = series.loc[:day]
        if name in EXTRA_QUANTITIES:  # step functions: a level stays in force until changed
            usable = not before.empty
        else:
            base = name.removesuffix(" daily change")
            usable = not before.empty and not pd.isna(
                align_to(series, pd.DatetimeIndex([day]), quantity_frequency(base, self.loader)).iloc[0])
        if not usable:
            coverage = f"{series.index.min().date()}..{series.index.max().date()}" if len(series) else "no data"
            raise _NotCheckable(f"{name} has no observation usable on {day.date()} (covers {coverage}; "
                                "values are not carried across a missing period or past the end of the data)")
        return float(before.iloc[-1]), before.index[-1]

    def check(self, claim: Claim) -> Verdict:
        if claim.check == "not_checkable":
            return Verdict(claim, "not_checkable", None, f"missing: {claim.get('missing')}")
        try:
            if claim.unit and claim.check not in ("pct_change", "direction") and not claim.get("transform"):
                try:
                    actual_unit = self.unit(claim.quantity)
                except KeyError as err:
                    raise ClaimError(f"claim {claim.id!r} field 'quantity': {err.args[0]}") from None
                if not _units_compatible(claim.unit, actual_unit):
                    raise ClaimError(f"claim {claim.id!r} field 'unit': {claim.unit!r} but {claim.quantity} is in {actual_unit}")
            return getattr(self, f"_check_{claim.check}")(claim)
        except _NotCheckable as reason:
            return Verdict(claim, "not_checkable", None, str(reason))

    # each kind ---------------------------------------------------------------------------

    def _grade(self, claim: Claim, actual: float, claimed: float, tolerance: float, how: str, data_date: str) -> Verdict:
        gap = actual - claimed
        bound = claim.get("bound")
        if bound not in (None, "lower", "upper"):
            raise ClaimError(f"claim {claim.id!r} field 'bound': {bound!r}; valid: lower, upper")
        if (bound == "lower" and gap > 0) or (bound == "upper" and gap < 0):
            side = "at least" if bound == "lower" else "at most"
            return Verdict(claim, "supported", round(actual, 6), f"{how} {_fmt(actual)}: {side} the claimed {_fmt(claimed)}", data_date)
        if abs(gap) <= tolerance:
            verdict, text = "supported", f"{how} {_fmt(actual)} vs claimed {_fmt(claimed)} (within ±{_fmt(tolerance)})"
        elif abs(gap) <= PARTLY_FACTOR * tolerance and (claimed == 0 or math.copysign(1, actual) == math.copysign(1, claimed)):
            verdict, text = "partly", f"{how} {_fmt(actual)} vs claimed {_fmt(claimed)}: off by {_fmt(gap)}, beyond ±{_fmt(tolerance)}"
        else:
            verdict, text = "contradicted", f"{how} {_fmt(actual)} vs claimed {_fmt(claimed)}: off by {_fmt(gap)}"
        return Verdict(claim, verdict, round(actual, 6), text, data_date)

    def _check_value(self, claim: Claim) -> Verdict:
        actual, used = self.value_on(claim.quantity, claim.get("date"))
        how = f"{claim.quantity} on {used.date()}"
        verdict = self._grade(claim, actual, float(claim.get("claimed")), float(claim.get("tolerance")), how, str(used.date()))
        if verdict.verdict != "supported":
            hint = self._nearby_match(claim, used)
            if hint:
                verdict = Verdict(claim, verdict.verdict, verdict.computed, f"{verdict.detail}; {hint}", verdict.data_date)
        return verdict

    def _nearby_match(self, claim: Claim, used: pd.Timestamp, days: int = 15) -> str:
        """When a value claim misses on its date, the nearest date within ``days`` where the
        claimed value does hold (a right number quoted for the wrong day), if any."""
        series = self.series(claim.quantity)
        near = series.loc[used - pd.Timedelta(days=days):used + pd.Timedelta(days=days)]
        hits = near[(near - float(claim.get("claimed"))).abs() <= float(claim.get("tolerance"))]
        if hits.empty:
            return ""
        closest = hits.index[abs(hits.index - used).argmin()]
        return f"the claimed value does hold on {closest.date()} ({_fmt(float(hits.loc[closest]))})"

    def _two_points(self, claim: Claim) -> tuple[float, pd.Timestamp, float, pd.Timestamp]:
        first, first_date = self.value_on(claim.quantity, claim.get("start"))
        last, last_date = self.value_on(claim.quantity, claim.get("end"))
        return first, first_date, last, last_date

    def _check_change(self, claim: Claim) -> Verdict:
        first, d0, last, d1 = self._two_points(claim)
        how = f"{claim.quantity} {d0.date()}->{d1.date()}: {_fmt(first)}->{_fmt(last)}, change"
        return self._grade(claim, last - first, float(claim.get("claimed")), float(claim.get("tolerance")), how, f"{d0.date()}..{d1.date()}")

    def _check_pct_change(self, claim: Claim) -> Verdict:
        first, d0, last, d1 = self._two_points(claim)
        if first == 0:
            raise _NotCheckable(f"{claim.quantity} is zero on {d0.date()}: no percent change")
        how = f"{claim.quantity} {d0.date()}->{d1.date()}: {_fmt(first)}->{_fmt(last)}, % change"
        return self._grade(claim, (last / first - 1) * 100, float(claim.get("claimed")), float(claim.get("tolerance")), how, f"{d0.date()}..{d1.date()}")

    def _check_direction(self, claim: Claim) -> Verdict:
        expected = claim.get("expected")
        if expected not in ("up", "down"):
            raise ClaimError(f"claim {claim.id!r} field 'expected': {expected!r}; valid: up, down")
        first, d0, last, d1 = self._two_points(claim)
        change = last - first
        pct = f" ({(last / first - 1) * 100:+.2f}%)" if first else ""
        text = f"{claim.quantity} {d0.date()}->{d1.date()}: {_fmt(first)}->{_fmt(last)}, change {_fmt(change)}{pct}"
        moved = "up" if change > 0 else ("down" if change < 0 else "flat")
        verdict = "supported" if moved == expected else "contradicted"
        return Verdict(claim, verdict, round(change, 6), f"{text}: moved {moved}, claimed {expected}", f"{d0.date()}..{d1.date()}")

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
                raise _NotCheckable(f"{claim.quantity} has no value near {day.date()} for the same time of year") from None
        beats = [(d, v) for d, v, _ in earlier if (v > value if direction == "max" else v < value)]
        listing = "; ".join(f"{obs.date()}: {_fmt(v)}" for _, v, obs in earlier)
        word = "highest" if direction == "max" else "lowest"
        text = (f"{claim.quantity} on {used.date()} = {_fmt(value)}; same time of year in the previous "
                f"{len(earlier)} years: {listing}")
        if not beats:
            return Verdict(claim, "supported", round(value, 6), f"{text}: the {word}", str(used.date()))
        verdict = "partly" if len(beats) == 1 else "contradicted"
        return Verdict(claim, verdict, round(value, 6),
                       f"{text}: {len(beats)} earlier year(s) {'higher' if direction == 'max' else 'lower'}", str(used.date()))

    def _check_extreme(self, claim: Claim) -> Verdict:
        transform = claim.get("transform")
        if transform not in (None, "diff"):
            raise ClaimError(f"claim {claim.id!r} field 'transform': {transform!r}; valid: diff")
        name = claim.quantity
        if transform == "diff":
            name = f"{claim.quantity} daily change"
            if name not in self._series:
                self._series[name] = self.series(claim.quantity).diff().dropna()
        series = self.series(name)
        value, used = self.value_on(name, claim.get("date"))
        direction = claim.get("extreme")
        if direction not in ("max", "min"):
            raise ClaimError(f"claim {claim.id!r} field 'extreme': {direction!r}; valid: max, min")
        beats = (lambda s: s > value) if direction == "max" else (lambda s: s < value)
        word = "highest" if direction == "max" else "lowest"
        rank = int(claim.get("rank", 1))
        since = series.index.min() if claim.get("record") else pd.Timestamp(claim.get("since"))
        history = series.loc[since:used]
        better = history[beats(history)]
        actual_rank = len(better) + 1
        earlier = series.loc[:used].iloc[:-1]
        earlier_better = earlier[beats(earlier)]
        extreme_since = earlier_better.index[-1] if len(earlier_better) else None
        scope = "in the whole history" if claim.get("record") else f"since {since.date()}"
        found = (f"{word} since {extreme_since.date()} ({_fmt(earlier_better.iloc[-1])} then)" if extreme_since is not None
                 else f"{word} in the whole history from {series.index.min().date()}")
        later = series.loc[used:].iloc[1:]
        later_better = later[beats(later)]
        after = (f"; exceeded later on {later_better.index[0].date()} ({_fmt(later_better.iloc[0])})"
                 if len(later_better) else "; not exceeded since")
        text = f"{name} on {used.date()} = {_fmt(value)}: {found}; rank {actual_rank} {scope}{after}"
        if actual_rank <= rank:
            verdict = "supported"
        elif actual_rank <= rank + 2:
            verdict, text = "partly", text + f" (claimed rank {rank})"
        else:
            verdict = "contradicted"
        return Verdict(claim, verdict, round(value, 6), text, str(used.date()))

    def _check_threshold(self, claim: Claim) -> Verdict:
        series = self.series(claim.quantity).dropna()
        level = float(claim.get("level"))
        direction = claim.get("direction")
        if direction not in ("below", "above"):
            raise ClaimError(f"claim {claim.id!r} field 'direction': {direction!r}; valid: below, above")
        window = claim.get("window")
        if not isinstance(window, (list, tuple)) or len(window) != 2:
            raise ClaimError(f"claim {claim.id!r} field 'window': expected [start, end]")
        lo, hi = pd.Timestamp(window[0]), pd.Timestamp(window[1])
        if claim.get("abs"):  # "within N either way": the boundary counts as within
            side = (series.abs() <= level) if direction == "below" else (series.abs() >= level)
        else:
            side = (series < level) if direction == "below" else (series > level)
        inside = series.loc[lo:hi]
        if inside.empty:
            raise _NotCheckable(f"{claim.quantity} has no observations in {lo.date()}..{hi.date()} "
                                f"(covers {series.index.min().date()}..{series.index.max().date()})")
        if claim.get("share") is not None:
            wanted = float(claim.get("share"))
            share = float(side.loc[lo:hi].mean())
            what = f"|{claim.quantity}|" if claim.get("abs") else claim.quantity
            text = (f"{share:.0%} of {len(inside)} observations of {what} in {lo.date()}..{hi.date()} "
                    f"are {direction} {_fmt(level)} (claim: at least {wanted:.0%}); range {_fmt(inside.min())}..{_fmt(inside.max())}")
            verdict = "supported" if share >= wanted else ("partly" if share >= wanted - 0.15 else "contradicted")
            return Verdict(claim, verdict, round(share, 6), text, f"{lo.date()}..{hi.date()}")
        since = pd.Timestamp(claim.get("since")) if claim.get("since") else series.index.min()
        # a crossing is an observation on the claimed side whose predecessor was not
        crossed = side & ~side.shift(1, fill_value=True)
        crossings = crossed.loc[since:]
        crossings = crossings[crossings]
        first_any = crossings.index[0] if len(crossings) else None
        in_window = side.loc[lo:hi]
        first_in_window = in_window[in_window].index[0] if in_window.any() else None
        extreme = inside.min() if direction == "below" else inside.max()
        if claim.get("first"):
            if first_any is None:
                return Verdict(claim, "contradicted", None, f"{claim.quantity} never crossed {direction} {_fmt(level)} since {since.date()}")
            value = float(series.loc[first_any])
            text = f"first crossed {direction} {_fmt(level)} on {first_any.date()} ({_fmt(value)}) counting from {since.date()}"
            if lo <= first_any <= hi:
                return Verdict(claim, "supported", round(value, 6), text, str(first_any.date()))
            if first_in_window is not None:
                return Verdict(claim, "partly", round(value, 6), text + f"; it was {direction} it inside the window too (from {first_in_window.date()}), but not for the first time", str(first_any.date()))
            near = abs((first_any - (lo if first_any < lo else hi)).days) <= 92
            return Verdict(claim, "partly" if near else "contradicted", round(value, 6),
                           text + f", outside the window {lo.date()}..{hi.date()}", str(first_any.date()))
        if first_in_window is not None:
            value = float(series.loc[first_in_window])
            return Verdict(claim, "supported", round(value, 6),
                           f"{claim.quantity} {direction} {_fmt(level)} from {first_in_window.date()} ({_fmt(value)}); "
                           f"window extreme {_fmt(extreme)}", str(first_in_window.date()))
        return Verdict(claim, "contradicted", round(float(extreme), 6),
                       f"{claim.quantity} never {direction} {_fmt(level)} in {lo.date()}..{hi.date()}; "
                       f"closest {_fmt(extreme)}", f"{lo.date()}..{hi.date()}")


def _units_compatible(claimed: str, actual: str) -> bool:
    aliases = {"usd_bn": {"usd_bn", "usd_bn_saar"}, "usd": {"usd"}}
    return claimed == actual or actual in aliases.get(claimed, set())


def check_claims(claims: Sequence[Claim] | None = None, loader: Loader | None = None) -> pd.DataFrame:
    """The verdict table: one row per claim, in file order."""
    checker = ClaimChecker(loader)
    claims = list(claims) if claims is not None else load_claims()
    return pd.DataFrame([checker.check(c).row() for c in claims])


def check_claim(claim: Claim, loader: Loader | None = None) -> Verdict:
    """The verdict on one claim."""
    return ClaimChecker(loader).check(claim)


def verdict_counts(table: pd.DataFrame) -> pd.Series:
    """How many claims got each verdict (all four verdicts listed, zeros included)."""
    return table["verdict"].value_counts().reindex(list(VERDICTS), fill_value=0)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m plumbing.claims`` / ``plumbing claims``: print the verdict table."""
    parser = argparse.ArgumentParser(prog="plumbing claims", description="Check the articles' claims against data.")
    parser.add_argument("--article", help="only claims from articles whose file name starts with this")
    parser.add_argument("--verdict", choices=VERDICTS, help="only claims with this verdict")
    args = parser.parse_args(argv)
    table = check_claims()
    if args.article:
        table = table[table["article"].str.startswith(args.article)]
    if args.verdict:
        table = table[table["verdict"] == args.verdict]
    print(" ".join(f"{v}: {n}" for v, n in verdict_counts(table).items()))
    with pd.option_context("display.max_rows", None, "display.max_colwidth", 120, "display.width", 250):
        for article, group in table.groupby("article", sort=True):
            print(f"\n== {article} ==")
            print(group[["id", "verdict", "claimed", "unit", "computed", "detail"]].to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
