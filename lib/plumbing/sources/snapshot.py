"""The offline snapshot of real public data, read as a data source.

Layout (see the snapshot's own README): ``MANIFEST.csv`` and ``MARKET_MANIFEST.csv``
describe every file; ``fred/<ID>.csv`` (``observation_date,<ID>``), ``nyfed/<name>.csv``
and ``treasury/<name>.csv`` (``date,<name>``), ``yahoo/<ticker>.csv``
(``Date,Open,High,Low,Close,Adj Close,Volume``), ``japan/jgb_yields.csv``
(``date,1Y,...,40Y``) and ``events/*.csv``. Values are in the publishers' native units;
rows exist only for published observations. The snapshot is read-only: nothing here writes.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .. import config
from .base import DATE_RANGE, InvalidData, MISSING_MARKERS, SourceEmpty, SourceError, parse_observations

MANIFEST_FILES = ("MANIFEST.csv", "MARKET_MANIFEST.csv")


class SnapshotMissing(SourceError):
    """The snapshot directory or one of its files is not where it should be."""


class SnapshotSource:
    """Reads series from a snapshot directory (``$PLUMBING_SNAPSHOT`` by default)."""

    name = "snapshot"

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root else config.snapshot_dir()

    def __repr__(self) -> str:
        return f"SnapshotSource(root={str(self.root)!r})"

    def path(self, file: str) -> Path:
        """Absolute path of a snapshot file; a clear error if the snapshot is absent."""
        if not self.root.is_dir():
            raise SnapshotMissing(
                f"snapshot directory {self.root} does not exist; set PLUMBING_SNAPSHOT to the "
                "snapshot folder (default ../shared/data/snapshot beside the repository)"
            )
        target = self.root / file
        if not target.is_file():
            raise SnapshotMissing(f"snapshot file {file!r} not found under {self.root}")
        return target

    def checksum(self, file: str) -> str:
        """SHA-256 of a snapshot file (used to skip re-imports of an unchanged file)."""
        return hashlib.sha256(self.path(file).read_bytes()).hexdigest()

    def read(self, file: str, column: str | None = None) -> pd.Series:
        """One column of a snapshot file as a tidy native-unit series, validated line by line.

        ``column`` defaults to the file's second column (the value column of FRED, NY Fed
        and Treasury files); Yahoo files need ``Close`` and the JGB file a tenor (``2Y``).
        Empty, ``.`` and ``-`` cells are missing observations and dropped. A bad date, a
        non-numeric cell or a date listed twice with different values raises
        :class:`~plumbing.sources.base.InvalidData` naming the file and the line; a header-only
        file raises :class:`~plumbing.sources.base.SourceEmpty`.
        """
        path = self.path(file)
        header = _header(path, file)
        value_column = column or (header[1] if len(header) > 1 else "")
        if value_column not in header[1:]:
            raise SourceError(
                f"snapshot file {file!r} has no column {value_column!r}; columns: {', '.join(header[1:])}"
            )
        series = _read_typed(path, header[0], value_column)
        if series is None:  # something to report: parse the text again to name the line
            try:
                frame = pd.read_csv(path, usecols=[header[0], value_column], dtype=str, keep_default_na=False,
                                    skip_blank_lines=False, encoding="utf-8-sig")
            except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as err:
                raise InvalidData(f"snapshot file {file}: cannot be read as CSV ({err})") from None
            series = parse_observations(frame[header[0]].to_numpy(), frame[value_column].to_numpy(),
                                        origin=f"snapshot file {file}", column=value_column)
        if series.empty:
            raise SourceEmpty(f"snapshot file {file!r} column {value_column!r} holds no observations")
        return series

    def read_table(self, file: str) -> pd.DataFrame:
        """A whole snapshot table (event files), as published."""
        return pd.read_csv(self.path(file))

    def manifest(self) -> pd.DataFrame:
        """Both manifests stacked: one row per snapshot file with first/last date and rows."""
        frames = []
        for name in MANIFEST_FILES:
            frame = pd.read_csv(self.path(name))
            frames.append(frame[["file", "first_date", "last_date", "rows"]])
        return pd.concat(frames, ignore_index=True)

    def files(self) -> set[str]:
        """Every data file in the snapshot (relative paths), manifests and README excluded."""
        self.path(MANIFEST_FILES[0])
        return {
            str(p.relative_to(self.root))
            for p in self.root.rglob("*.csv")
            if p.name not in MANIFEST_FILES
        }


def _header(path: Path, file: str) -> list[str]:
    """The column names on the first line of a snapshot CSV; :class:`SourceEmpty` for an empty file."""
    with open(path, newline="", encoding="utf-8-sig") as handle:  # a byte-order mark is not part of the name
        header = next(csv.reader(handle), [])
    if not header:
        raise SourceEmpty(f"snapshot file {file!r} is empty (no header line)")
    return header


def _read_typed(path: Path, date_column: str, value_column: str) -> pd.Series | None:
    """The fast path: both columns parsed by pyarrow as dates and floats, missing cells dropped.

    Returns None when anything needs a closer look (a cell that does not parse, a row without
    a date, a date outside :data:`DATE_RANGE`, a non-finite value, a repeated date); :func:`parse_observations` then names the line.
    """
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(use_threads=False),
            parse_options=pacsv.ParseOptions(ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(
                include_columns=[date_column, value_column],
                column_types={date_column: pa.date32(), value_column: pa.float64()},
                null_values=sorted(MISSING_MARKERS), strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError, ValueError):
        return None
    dates, values = table.column(date_column), table.column(value_column)
    if dates.null_count:
        return None
    bounds = pc.min_max(dates)
    low, high = (dt.date.fromisoformat(day) for day in DATE_RANGE)
    if len(dates) and not low <= bounds["min"].as_py() <= bounds["max"].as_py() <= high:
        return None  # outside the nanosecond range a date would wrap silently; the slow path names the line
    numbers = values.to_numpy(zero_copy_only=False).astype("float64")
    if np.isinf(numbers).any():
        return None
    index = pd.DatetimeIndex(dates.to_numpy(zero_copy_only=False).astype("datetime64[ns]"), name="date")
    if index.has_duplicates:
        return None
    series = pd.Series(numbers, index=index, name=value_column).dropna()
    return series if index.is_monotonic_increasing else series.sort_index()
