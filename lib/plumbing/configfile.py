"""Read the project's YAML definitions with errors that say where the problem is.

:func:`load_yaml` parses like ``yaml.safe_load``, but

- a syntax error names the file, the line and column, the entry around it and what the
  parser expected (``data/episodes.yaml line 12, column 5: entry '2023-03-svb' field 'after':
  YAML syntax error: ...``);
- every date-shaped value (``YYYY-MM-DD``, quoted or not) must be a real calendar date:
  ``2019-09-31`` is an error naming the file, the line, the entry and the field, instead of a
  bare ``ValueError: day is out of range for month`` from deep inside the YAML library;
- a key given twice in one mapping, at any depth, is an error naming the file, the line, the
  entry and the key (``yaml.safe_load`` silently keeps the last one);
- mappings come back as :class:`Located` dicts that remember the line of each key, so a
  validator can add the line to its own message (:func:`line_of`).

An *entry* is the innermost mapping with an ``id`` (episodes, claims) or, in files keyed by
name (the catalog), the key under the top-level section.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import config

DATE_SHAPE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ].*)?$")
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_ID_LINE = re.compile(r"^\s*(?:-\s+)?id:\s*['\"]?([^'\"#\s]+)")
_KEY_LINE = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_][\w.-]*)\s*:")

Trail = tuple[tuple[MappingNode | SequenceNode, object], ...]


class ConfigFileError(ValueError):
    """A definitions file cannot be read; the message names the file, line, entry and field."""


class Located(dict):
    """A mapping read from a YAML file that remembers its own line and each key's (1-based)."""

    line: int | None = None
    key_lines: dict[object, int]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines = {}


def line_of(mapping: object, key: object = None) -> int | None:
    """The line of ``key`` in ``mapping`` (else of the mapping itself); None for a plain dict."""
    if not isinstance(mapping, Located):
        return None
    if key is not None and key in mapping.key_lines:
        return mapping.key_lines[key]
    return mapping.line


def display_path(path: Path) -> str:
    """``path`` relative to the repository when it lies inside it (``data/episodes.yaml``)."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(config.REPO_ROOT))
    except ValueError:
        return str(path)


class _LocatingLoader(yaml.SafeLoader):
    """``SafeLoader`` whose mappings are :class:`Located` dicts."""


def _construct_located(loader: _LocatingLoader, node: MappingNode) -> Iterator[Located]:
    data = Located()
    data.line = node.start_mark.line + 1
    yield data
    data.update(loader.construct_mapping(node))
    for key_node, _ in node.value:
        if isinstance(key_node, ScalarNode):
            data.key_lines[loader.construct_object(key_node)] = key_node.start_mark.line + 1


_LocatingLoader.add_constructor("tag:yaml.org,2002:map", _construct_located)


def _scalar(node: Node) -> str | None:
    return node.value if isinstance(node, ScalarNode) else None


def _field_path(trail: Trail) -> str:
    parts = [f"item {step + 1}" if isinstance(step, int) else str(step) for _, step in trail]
    return " > ".join(parts) if parts else "(top level)"


def _entry_and_field(trail: Trail) -> tuple[str | None, str]:
    """The entry (innermost mapping with an ``id``, else the key under the top section) and
    the field path from it down to the bad value."""
    for depth in range(len(trail) - 1, -1, -1):
        container, _ = trail[depth]
        if isinstance(container, MappingNode):
            ident = next((_scalar(v) for k, v in container.value if _scalar(k) == "id"), None)
            if ident is not None:
                return ident, _field_path(trail[depth:])
    if len(trail) >= 2:
        return str(trail[1][1]), _field_path(trail[2:])
    return None, _field_path(trail)


def _date_problem(text: str) -> str | None:
    """Why a date-shaped text is not a real calendar date (None when it is one)."""
    match = DATE_SHAPE.match(text.strip())
    if match is None:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError as err:
        return str(err)
    return None


def _check_dates(node: Node, trail: Trail, where: str) -> None:
    """Raise :class:`ConfigFileError` at the first date-shaped scalar that is not a real date, or the
    first key given twice in one mapping."""
    if isinstance(node, ScalarNode):
        if node.tag in (_TIMESTAMP_TAG, _STR_TAG):
            problem = _date_problem(node.value)
            if problem:
                entry, field = _entry_and_field(trail)
                about = f"entry {entry!r} field {field!r}" if entry else f"field {field!r}"
                raise ConfigFileError(f"{where} line {node.start_mark.line + 1}: {about}: {node.value!r} is not a "
                                      f"calendar date ({problem}); use YYYY-MM-DD")
    elif isinstance(node, MappingNode):
        seen: dict[tuple[str, str], int] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag != _MERGE_TAG:  # '<<' merges may be overridden
                line, first = key_node.start_mark.line + 1, seen.get((key_node.tag, key_node.value))
                if first is not None:
                    entry, field = _entry_and_field(trail + ((node, key_node.value),))
                    about = " ".join(([f"entry {entry!r}"] if entry else []) +
                                     ([f"field {field!r}"] if field != "(top level)" else []))
                    raise ConfigFileError(f"{where} line {line}: {about + ': ' if about else ''}key {key_node.value!r} given "
                                          f"twice (first on line {first}); each key may appear once")
                seen[(key_node.tag, key_node.value)] = line
            _check_dates(value_node, trail + ((node, _scalar(key_node)),), where)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _check_dates(item, trail + ((node, index),), where)


def _context_of_line(lines: list[str], number: int) -> str:
    """'entry X field Y' for the text around a 1-based line (best effort, for syntax errors)."""
    upto = lines[:number]
    ident = next((m.group(1) for line in reversed(upto) if (m := _ID_LINE.match(line))), None)
    if ident is None:  # files keyed by name: the nearest key one level under a top-level section
        ident = next((m.group(2) for line in reversed(upto[:-1] or upto)
                      if (m := _KEY_LINE.match(line)) and len(m.group(1)) == 2), None)
    field = next((m.group(2) for line in reversed(upto) if (m := _KEY_LINE.match(line)) and m.group(2) != "id"), None)
    parts = ([f"entry {ident!r}"] if ident else []) + ([f"field {field!r}"] if field else [])
    return " ".join(parts)


def _syntax_error(err: yaml.MarkedYAMLError, text: str, where: str) -> ConfigFileError:
    mark = err.problem_mark or err.context_mark
    line = mark.line + 1 if mark is not None else None
    column = f", column {mark.column + 1}" if mark is not None else ""
    around = _context_of_line(text.splitlines(), line) if line else ""
    context = err.context
    if context and err.context_mark is not None and mark is not None and err.context_mark.line != mark.line:
        context += f" that starts on line {err.context_mark.line + 1}"
    what = " ".join(filter(None, [err.problem, context and f"({context})"])) or str(err)
    at = f"{where} line {line}{column}" if line else where
    return ConfigFileError(f"{at}: {around + ': ' if around else ''}YAML syntax error: {what}")


def load_yaml(path: Path | str) -> object:
    """The YAML document at ``path`` (mappings as :class:`Located`), or a :class:`ConfigFileError`."""
    target = Path(path)
    where = display_path(target)
    try:
        text = target.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise ConfigFileError(f"{where}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    loader = _LocatingLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_dates(node, (), where)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as err:
        raise _syntax_error(err, text, where) from None
    except yaml.YAMLError as err:
        raise ConfigFileError(f"{where}: YAML error: {err}") from None
    finally:
        loader.dispose()
