"""Notebook parameters: read the ``parameters`` cell, parse ``-p key=value``, validate.

Each notebook's defaults live in its cell tagged ``parameters`` (papermill needs them there).
What each parameter may be -- its type, its bounds, what a list may hold, how dates relate --
is declared once, below, in :data:`SCHEMAS` (one :class:`NotebookSchema` per notebook).
:func:`check_parameters` applies it before any kernel starts, so ``-p start=notadate``,
``-p 'assets=["spx", 3]'`` or ``-p bootstrap_reps=-5`` fail at once with a message naming the
notebook and the parameter, instead of 20-35 seconds later inside a kernel.

Rules: :class:`Date` (a real calendar date ``YYYY-MM-DD``), :class:`Int` and :class:`Number`
(with bounds), :class:`Choice` (one of fixed values), :class:`Name` (a catalog key, a quantity,
an episode id or an article), :class:`ListOf` (typed, distinct items) and :class:`Pair`
(``[first, last]`` with ``first <= last``); :class:`Order` relates parameters (``start <= t0 <=
end``). A :class:`DataWindow` names the window a report shows and the series it cannot do
without; the runner checks the cache holds data there before it starts a kernel. A notebook
without a schema (an ad-hoc one) is still checked by the type of each default.
"""

from __future__ import annotations

import math

import ast
import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


class ParameterError(ValueError):
    """A bad report parameter: unknown name, wrong type or value, or malformed ``key=value``."""


# --- reading the parameters cell ------------------------------------------------------------

def _parameters_source(notebook: Path) -> str:
    """The source of the notebook's single code cell tagged ``parameters`` (read as plain JSON:
    fast, and no kernel or notebook library is needed to validate parameters)."""
    try:
        document = json.loads(Path(notebook).read_text(encoding="utf-8"))
        cells = document["cells"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ParameterError(f"{Path(notebook).name}: cannot read the notebook ({type(err).__name__}: {err})") from None
    tagged = [c for c in cells if c.get("cell_type") == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        raise ParameterError(f"{Path(notebook).name} must have exactly one code cell tagged 'parameters' "
                             f"(found {len(tagged)})")
    source = tagged[0].get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def parameter_defaults(notebook: Path) -> dict[str, object]:
    """The defaults assigned in the notebook's cell tagged ``parameters`` (literals only)."""
    defaults: dict[str, object] = {}
    for node in ast.parse(_parameters_source(notebook)).body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Name) and node.value is not None:
                try:
                    defaults[target.id] = ast.literal_eval(node.value)
                except ValueError:
                    raise ParameterError(f"{Path(notebook).name}: parameter {target.id!r} must be a JSON-able literal") from None
    return defaults


def parse_assignment(text: str) -> tuple[str, object]:
    """``key=value`` -> (key, value); the value is read as JSON, else kept as a string."""
    if "=" not in text:
        raise ParameterError(f"-p {text!r}: expected key=value, e.g. -p as_of=2025-11-04 or -p window=60")
    key, raw = text.split("=", 1)
    key = key.strip()
    if not key.isidentifier():
        raise ParameterError(f"-p {text!r}: {key!r} is not a parameter name")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return key, value


def _type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__


# --- rules -----------------------------------------------------------------------------------

class Rule:
    """What one parameter (or one list item) may be. :meth:`problem` says what is wrong."""

    def problem(self, value: object) -> str | None:
        """None when ``value`` is valid; else the complaint, starting with "expects ..."."""
        raise NotImplementedError

    def key(self, value: object) -> object:
        """A sortable form of a valid value (for :class:`Pair` and :class:`Order`)."""
        return value


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_date(value: object) -> dt.date | None:
    """``value`` as a calendar date when it is an ISO ``YYYY-MM-DD`` text, else None."""
    if not isinstance(value, str) or len(value.strip()) != 10:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


LATEST = "latest"


def _not_a_day(value: object) -> str | None:
    """Why a ``YYYY-MM-DD``-shaped text is no calendar date ("day is out of range for month")."""
    parts = value.split("-") if isinstance(value, str) else []
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        return None
    try:
        dt.date(*(int(p) for p in parts))
    except ValueError as err:
        return str(err)
    return None


@dataclass(frozen=True)
class Date(Rule):
    """A real calendar date written ``YYYY-MM-DD`` (2019-09-31 is refused); with
    ``allow_latest`` also the word ``"latest"`` (the notebook resolves it from the data)."""

    allow_latest: bool = False

    def problem(self, value: object) -> str | None:
        if self.allow_latest and value == LATEST:
            return None
        day = parse_date(value)
        if day is None:
            either = f"{LATEST!r} or " if self.allow_latest else ""
            why = _not_a_day(value)
            return (f"expects {either}a date written YYYY-MM-DD (e.g. 2025-11-04), got {_type_name(value)} {value!r}"
                    + (f", which is not a calendar date ({why})" if why else ""))
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            return f"expects a date between {EARLIEST_DATE} and {LATEST_DATE}, got {value!r}"
        return None

    def key(self, value: object) -> object:
        return parse_date(value)


@dataclass(frozen=True)
class Int(Rule):
    """A whole number within ``[minimum, maximum]``."""

    minimum: int | None = None
    maximum: int | None = None

    def problem(self, value: object) -> str | None:
        if not _is_int(value):
            return f"expects int (a whole number), got {_type_name(value)} {value!r}"
        return _bounds_problem(value, self.minimum, self.maximum, "a whole number")


@dataclass(frozen=True)
class Number(Rule):
    """A number (int or float) within bounds; ``above`` is an exclusive lower bound."""

    minimum: float | None = None
    maximum: float | None = None
    above: float | None = None

    def problem(self, value: object) -> str | None:
        if not (_is_int(value) or isinstance(value, float)) or not math.isfinite(value):  # NaN and infinities refused
            return f"expects a finite number, got {_type_name(value)} {value!r}"
        if self.above is not None and not value > self.above:
            return f"expects a number > {self.above:g}, got {value!r}"
        return _bounds_problem(value, self.minimum, self.maximum, "a number")


def _bounds_problem(value: float, minimum: float | None, maximum: float | None, what: str) -> str | None:
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        low = f">= {minimum:g}" if minimum is not None else ""
        high = f"<= {maximum:g}" if maximum is not None else ""
        return f"expects {what} {' and '.join(filter(None, [low, high]))}, got {value!r}"
    return None


@dataclass(frozen=True)
class Choice(Rule):
    """One of fixed values."""

    options: tuple[object, ...]

    def problem(self, value: object) -> str | None:
        if type(value) not in {type(o) for o in self.options} or value not in self.options:
            return f"expects one of {', '.join(map(repr, self.options))}, got {value!r}"
        return None


def _catalog_keys() -> list[str]:
    from ..catalog import load_catalog

    return load_catalog().keys()


def _quantity_names() -> list[str]:
    from ..quantities import QUANTITIES

    return sorted(set(QUANTITIES) | set(_catalog_keys()))


def _episode_ids() -> list[str]:
    from ..episodes import load_episodes

    return list(load_episodes())


@lru_cache(maxsize=1)
def article_names() -> tuple[str, ...]:
    """The article files the claims come from (``000_bceeb9f84ffd4214.txt``, ...)."""
    from ..claims import load_claims

    return tuple(sorted({claim.article for claim in load_claims()}))


#: what a :class:`Name` may refer to: (the words for it, where the valid names come from)
NAME_KINDS: dict[str, tuple[str, Callable[[], Sequence[str]]]] = {
    "catalog": ("series key", _catalog_keys),
    "quantity": ("quantity", _quantity_names),
    "episode": ("episode id", _episode_ids),
}


def _article(words: str) -> str:
    return ("an " if words[0] in "aeiou" else "a ") + words


@dataclass(frozen=True)
class Name(Rule):
    """A name of a ``kind`` in :data:`NAME_KINDS` (catalog key, quantity, episode id)."""

    kind: str

    def problem(self, value: object) -> str | None:
        from ..catalog import unknown_key_message

        words, names = NAME_KINDS[self.kind]
        if not isinstance(value, str):
            return f"expects {_article(words)} (a string), got {_type_name(value)} {value!r}"
        valid = names()
        if value not in valid:
            return f"expects {_article(words)}: {unknown_key_message(value, valid, words)}"
        return None


@dataclass(frozen=True)
class Article(Rule):
    """The start of an article's file name (``"001"``) matching at least one article."""

    def problem(self, value: object) -> str | None:
        if not isinstance(value, str) or not value:
            return f"expects an article number such as '001', got {_type_name(value)} {value!r}"
        articles = article_names()
        if not any(name.startswith(value) for name in articles):
            return f"expects an article number: no article starts with {value!r} (articles: {', '.join(articles)})"
        return None


@dataclass(frozen=True)
class ListOf(Rule):
    """A list of distinct items, each valid under ``item``, with ``min_items`` or more."""

    item: Rule
    min_items: int = 1
    max_items: int | None = None

    def problem(self, value: object) -> str | None:
        if not isinstance(value, list):
            return f"expects a list (JSON, e.g. [\"spx\", \"gold\"]), got {_type_name(value)} {value!r}"
        if len(value) < self.min_items or (self.max_items is not None and len(value) > self.max_items):
            most = f" and at most {self.max_items}" if self.max_items is not None else ""
            return f"expects at least {self.min_items}{most} item(s), got {len(value)}"
        for number, item in enumerate(value, start=1):
            problem = self.item.problem(item)
            if problem:
                return f"item {number} {problem}"
        repeated = sorted({repr(v) for v in value if value.count(v) > 1})
        if repeated:
            return f"expects distinct items; repeated: {', '.join(repeated)}"
        return None


@dataclass(frozen=True)
class Pair(Rule):
    """``[first, last]``, both valid under ``item``, with ``first <= last``."""

    item: Rule

    def problem(self, value: object) -> str | None:
        if not isinstance(value, list) or len(value) != 2:
            return f"expects [first, last], got {_type_name(value)} {value!r}"
        for position, part in zip(("first", "last"), value):
            problem = self.item.problem(part)
            if problem:
                return f"{position} value {problem}"
        if self.item.key(value[0]) > self.item.key(value[1]):
            return f"expects first <= last, got {value!r}"
        return None


@dataclass(frozen=True)
class Order:
    """Parameters whose values must not decrease in this order (``strict``: must increase).

    A name may pick one end of a :class:`Pair` parameter: ``"event_window.first"``.
    """

    names: tuple[str, ...]
    strict: bool = False


@dataclass(frozen=True)
class DataWindow:
    """The dates a report shows and the series it cannot do without there.

    ``start``/``end`` name date parameters (``end=None``: up to the latest data);
    ``lookback_years`` names an int parameter that moves the start back from ``start``.
    ``series`` are always needed; ``series_from`` names parameters holding more names.
    """

    start: str
    end: str | None = None
    lookback_years: str | None = None
    series: tuple[str, ...] = ()
    series_from: tuple[str, ...] = ()

    def resolve(self, params: dict[str, object]) -> tuple[pd.Timestamp, pd.Timestamp | None, list[str]] | None:
        """(first day, last day or None, the series needed) for validated ``params``; None when
        the window is ``"latest"`` (the notebook picks a date the data cover)."""
        if LATEST in (params[self.start], params[self.end] if self.end else None):
            return None
        first = pd.Timestamp(str(params[self.start]))
        if self.lookback_years:
            first = first - pd.DateOffset(years=int(params[self.lookback_years]))  # type: ignore[arg-type]
        last = pd.Timestamp(str(params[self.end])) if self.end else None
        names = list(self.series)
        for name in self.series_from:
            value = params[name]
            names += [str(v) for v in (value if isinstance(value, list) else [value])]
        return first, last, list(dict.fromkeys(names))


@dataclass(frozen=True)
class NotebookSchema:
    """Every parameter of one notebook, how they relate, and its data window."""

    params: dict[str, Rule]
    order: tuple[Order, ...] = ()
    window: DataWindow | None = None
    checks: tuple[Callable[[dict[str, object]], str | None], ...] = field(default_factory=tuple)
    #: the notebook reads the snapshot's event tables (CME margins, repo operations and other
    #: tables the cache does not hold): without the snapshot it cannot render
    reads_event_tables: bool = False


# --- the schemas: one per notebook -----------------------------------------------------------

def _episode_days_problem(params: dict[str, object]) -> str | None:
    """04: baseline_day and summary_days must fall inside every chosen episode's window."""
    from ..episodes import load_episodes

    registry = load_episodes()
    for episode_id in params["episodes"]:  # type: ignore[union-attr]
        episode = registry[str(episode_id)]
        for name, days in (("baseline_day", [params["baseline_day"]]), ("summary_days", params["summary_days"])):
            for day in days:  # type: ignore[union-attr]
                if not -episode.before <= int(day) <= episode.after:
                    return (f"parameter {name!r}: day {day} is outside the window of episode {episode.id!r} "
                            f"(-{episode.before}..{episode.after} business days around t0)")
    return None


SERIES = ListOf(Name("catalog"))
QUANTITIES_LIST = ListOf(Name("quantity"))
EVENT_STUDY_MODELS = ("zero_mean", "constant_mean", "market")

SCHEMAS: dict[str, NotebookSchema] = {
    "00_liquidity_monitor": NotebookSchema(
        {"as_of": Date(allow_latest=True), "lookback_years": Int(1, 30), "percentile_years": Int(1, 30), "stress_window": Int(20, 2520)},
        window=DataWindow("as_of", "as_of", lookback_years="lookback_years",
                          series=("net_liquidity", "sofr_iorb_bp", "move", "us2y_jp2y_bp", "hy_oas")),
        reads_event_tables=True),
    "01_repo_spike_2019": NotebookSchema(
        {"start": Date(), "end": Date(), "t0": Date(), "qt_view_start": Date()},
        order=(Order(("start", "t0", "end")), Order(("qt_view_start", "end"))),
        window=DataWindow("start", "end", series=("reserves", "fed_assets", "tga_weekly", "tga_wednesday")),
        reads_event_tables=True),
    "02_tga_drain_2025": NotebookSchema(
        {"start": Date(), "end": Date(), "spike_date": Date(), "selloff_date": Date(), "assets": SERIES,
         "chain": QUANTITIES_LIST},
        order=(Order(("start", "spike_date", "end")), Order(("start", "selloff_date", "end"))),
        window=DataWindow("start", "end", series=("fed_assets", "tga_weekly", "on_rrp"), series_from=("chain",)),
        reads_event_tables=True),
    "03_crash_2026": NotebookSchema(
        {"start": Date(), "end": Date(), "t0": Date(), "metals": ListOf(Choice(("gold", "silver"))),
         "risk_assets": SERIES},
        order=(Order(("start", "t0", "end")),),
        window=DataWindow("start", "end", series=("tga_daily", "net_liquidity", "reserves"), series_from=("metals",)),
        reads_event_tables=True),
    "04_episode_comparison": NotebookSchema(
        {"episodes": ListOf(Name("episode")), "indicators": QUANTITIES_LIST,
         "mode": Choice(("level", "change", "pct_change", "auto")), "baseline_day": Int(-500, 500),
         "summary_days": Pair(Int(-500, 500))},
        checks=(_episode_days_problem,)),
    "05_claims_check": NotebookSchema({"articles": ListOf(Article())},
        reads_event_tables=True),
    "06_reserves_red_line": NotebookSchema(
        {"spread": Choice(("effr_iorb_bp", "sofr_iorb_bp")), "ratio": Choice(("gdp", "bank_assets", "usd_bn")),
         "start": Date(), "bootstrap_reps": Int(1, 20000), "rolling_window": Int(3, 1000),
         "weekly": Choice(("mean", "median")), "exclude_sep2019": Choice((False, True)),
         "form": Choice(("levels", "changes")), "admin": Choice(("regimes", "position", "none")),
         "shifter": Choice(("deposits", "none")), "block_length": Int(1, 260),
         "robustness": ListOf(Choice(("sofr", "gdp", "usd_bn", "sep2019_out", "weekly_mean", "weekly_mean_sep2019_out",
                                      "from_2018", "from_2009", "changes", "positions", "no_admin", "no_calendar",
                                      "no_deposits", "wild_bootstrap", "old_default", "old_default_sep2019_out")),
                              min_items=0)},
        window=DataWindow("start", series=("reserves",), series_from=("spread",))),
    "07_net_liquidity_equities": NotebookSchema(
        {"assets": ListOf(Choice(("spx", "nasdaq"))), "maxlags": Int(1, 52), "ic": Choice(("aic", "bic", "hqic", "fpe")),
         "beta_window": Int(3, 1000), "granger_cov": Choice(("HC0", "HC1", "HC2", "HC3", "HAC")),
         "granger_exclude": Pair(Date()), "fair_value_start": Date(), "band_pct": Number(above=0, maximum=100),
         "horizon": Int(1, 52), "max_horizon": Int(1, 104), "lp_lags": Int(0, 26),
         "robustness": ListOf(Choice(("wednesday_timing", "usd_bn", "no_augmentation", "lags_1", "lags_8", "horizon_1",
                                      "horizon_12", "without_2020", "from_2018", "fixed_b", "naive_nw")), min_items=0)},
        order=(Order(("horizon", "max_horizon")),),
        window=DataWindow("fair_value_start", series=("net_liquidity",), series_from=("assets",))),
    "08_liquidity_regimes": NotebookSchema(
        {"liquidity": Choice(("fed_assets", "net_liquidity")), "months": Int(1, 24), "liquidity_threshold_bn": Number(),
         "dollar_threshold_pct": Number(), "lag": Int(0, 12), "path_start": Date(),
         "robustness": ListOf(Choice(("same_month", "lag_2", "net_liquidity", "months_1", "months_6", "thresholds",
                                      "dxy", "from_2010", "newey_west")), min_items=0),
         "markov": Choice((True, False))},
        window=DataWindow("path_start", series=("dollar_broad",), series_from=("liquidity",))),
    "09_event_studies": NotebookSchema(
        {"margin_model": Choice(EVENT_STUDY_MODELS), "comparison_model": Choice(EVENT_STUDY_MODELS),
         "episode_model": Choice(("zero_mean", "constant_mean")), "estimation_window": Pair(Int(-1000, 1000)),
         "event_window": Pair(Int(-1000, 1000)), "binomial_window": Pair(Int(0, 250)), "assets": SERIES,
         "cluster_gap": Int(0, 250), "runup_days": Int(1, 250),
         "robustness": ListOf(Choice(("raw_returns", "all_days", "same_date_only", "gap_20", "runup_60", "top_quintile",
                                      "gold_only", "silver_only", "rademacher", "before_2025")), min_items=0)},
        order=(Order(("estimation_window.last", "event_window.first"), strict=True),),
        reads_event_tables=True),
    "episode_template": NotebookSchema({"episode_id": Name("episode"), "max_series": Int(1, 200)},
        reads_event_tables=True),
}


# --- checking ----------------------------------------------------------------------------------

def _pick(params: dict[str, object], ref: str) -> object:
    name, _, end = ref.partition(".")
    value = params[name]
    return value[0 if end == "first" else 1] if end else value  # type: ignore[index]


def _order_problem(rule: Order, params: dict[str, object], rules: dict[str, Rule]) -> str | None:
    values = [_pick(params, ref) for ref in rule.names]
    keys = []
    for ref, value in zip(rule.names, values):
        base = rules[ref.partition(".")[0]]
        keys.append((base.item if isinstance(base, Pair) else base).key(value))
    for (a, ka), (b, kb) in zip(zip(rule.names, keys), zip(rule.names[1:], keys[1:])):
        if ka > kb or (rule.strict and ka == kb):
            shown = ", ".join(f"{ref}={_pick(params, ref)!r}" for ref in rule.names)
            relation = " < ".join(rule.names) if rule.strict else " <= ".join(rule.names)
            return f"parameters {a!r} and {b!r}: expects {relation}, got {shown}"
    return None


def _default_type_problem(default: object, value: object) -> str | None:
    """Checks for a notebook without a schema: the type must match the default's."""
    ok = (default is None or type(value) is type(default)
          or (isinstance(default, float) and _is_int(value)))
    return None if ok else f"expects {_type_name(default)} (default {default!r}), got {_type_name(value)} {value!r}"


def schema_for(notebook: Path) -> NotebookSchema | None:
    """The declared schema of a notebook (by file stem), or None for an ad-hoc notebook."""
    return SCHEMAS.get(Path(notebook).stem)


def check_parameters(notebook: Path, given: dict[str, object]) -> dict[str, object]:
    """Validate ``given`` against the notebook's schema; returns the merged parameters.

    Unknown names, wrong types, impossible dates, list items of the wrong kind, values out of
    bounds and dates out of order raise :class:`ParameterError` naming the notebook and the
    parameter. Without a schema, types must match the defaults' (an int where a float is
    expected is fine).
    """
    name = Path(notebook).name
    defaults = parameter_defaults(notebook)
    schema = schema_for(notebook)
    for key, value in given.items():
        if key not in defaults:
            raise ParameterError(f"{name} has no parameter {key!r}; its parameters: {', '.join(sorted(defaults))}")
        rule = schema.params.get(key) if schema else None
        problem = rule.problem(value) if rule else _default_type_problem(defaults[key], value)
        if problem:
            raise ParameterError(f"{name} parameter {key!r} {problem}")
    merged = {**defaults, **given}
    if schema:
        for rule in schema.order:
            problem = _order_problem(rule, merged, schema.params)
            if problem:
                raise ParameterError(f"{name} {problem}")
        for check in schema.checks:
            problem = check(merged)
            if problem:
                raise ParameterError(f"{name} {problem}")
    return merged


def data_window(notebook: Path, params: dict[str, object]) -> tuple[pd.Timestamp, pd.Timestamp | None, list[str]] | None:
    """The window a report shows and the series it needs there, or None if it declares none."""
    schema = schema_for(notebook)
    return schema.window.resolve(params) if schema and schema.window else None
