"""The offline snapshot of real public data, read as a data source.

Layout (see the snapshot's own README): ``MANIFEST.csv`` and ``MARKET_MANIFEST.csv``
describe every file; ``fred/<ID>.csv`` (``observation_date,<ID>``), ``nyfed/<name>.csv``
and ``treasury/<name>.csv`` (``date,<name>``), ``yahoo/<ticker>.csv``
(``Date,Open,High,Low,Close,Adj Close,Volume``), ``japan/jgb_yields.csv``
(``date,1Y,...,40Y``) and ``events/*.csv``. Values are in the publishers' native units;
rows exist only for published observations. The snapshot is read-only: nothing here writes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from .. import config
from .base import SourceEmpty, SourceError, tidy_series

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
        """One column of a snapshot file as a tidy native-unit series.

        ``column`` defaults to the file's second column (the value column of FRED, NY Fed
        and Treasury files); Yahoo files need ``Close`` and the JGB file a tenor (``2Y``).
        """
        frame = pd.read_csv(self.path(file), na_values=[".", "-", ""], keep_default_na=True)
        date_column = frame.columns[0]
        value_column = column or frame.columns[1]
        if value_column not in frame.columns:
            raise SourceError(
                f"snapshot file {file!r} has no column {value_column!r}; columns: {', '.join(frame.columns[1:])}"
            )
        values = pd.Series(frame[value_column].to_numpy(), index=pd.to_datetime(frame[date_column]))
        series = tidy_series(values, name=value_column)
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
