"""The catalog covers the snapshot, names its units, and rejects bad entries clearly."""

import csv

import pytest

from plumbing.catalog import CatalogError, UnknownSeriesError, parse_catalog
from plumbing.units import CONVERSIONS

REQUIRED_KEYS = {
    "fed_assets", "tga_weekly", "tga_daily", "on_rrp", "reserves", "sofr", "sofr_p99", "iorb",
    "ioer", "effr", "fed_target_upper", "repo_take_up", "hy_oas", "move", "usdjpy", "us2y",
    "jp2y", "spx", "nasdaq", "gold", "silver", "btc", "eth",
}


def test_every_snapshot_file_has_a_catalog_entry(catalog, snapshot):
    listed_in_manifests = set(snapshot.manifest()["file"])
    assert snapshot.files() == listed_in_manifests
    assert catalog.snapshot_files() == listed_in_manifests


def test_the_keys_the_notebooks_use_exist(catalog):
    assert REQUIRED_KEYS <= set(catalog.keys())


def test_every_entry_has_a_known_unit_and_a_source(catalog):
    for spec in catalog:
        assert spec.native_unit in CONVERSIONS, spec.key
        assert spec.live or spec.snapshot, spec.key
        assert spec.title and spec.publisher, spec.key


#: MANIFEST.csv units text (lowercase prefix, most specific first) -> catalog native unit
MANIFEST_UNITS = (
    ("millions of usd", "usd_millions"),
    ("billions of usd, saar", "usd_billions_saar"),
    ("billions of usd", "usd_billions"),
    ("percent (option-adjusted spread)", "percent_spread"),
    ("percent", "percent"),
    ("index", "index"),
    ("usd per", "usd_price"),
    ("japanese yen per 1 usd", "jpy_per_usd"),
)


def _unit_from_manifest(text: str) -> str:
    """The catalog's native unit name for a MANIFEST.csv units text (checked independently)."""
    lowered = text.lower()
    for prefix, unit in MANIFEST_UNITS:
        if lowered.startswith(prefix):
            return unit
    raise AssertionError(f"unmapped manifest unit {text!r}")


def test_every_native_unit_matches_the_snapshot_manifest(catalog, snapshot):
    with open(snapshot.path("MANIFEST.csv"), newline="", encoding="utf-8") as handle:
        units = {row["file"]: row["units"] for row in csv.DictReader(handle)}
    checked = 0
    for spec in catalog:
        if spec.snapshot.file in units:
            assert spec.source_unit("snapshot") == _unit_from_manifest(units[spec.snapshot.file]), spec.key
            checked += 1
    assert checked == len(units)  # every FRED, NY Fed and Treasury file


def test_coverage_notes_state_the_known_breaks(catalog):
    assert "2021-07-28" in catalog["ioer"].coverage and "2021-07-29" in catalog["iorb"].coverage
    assert "3-year" in catalog["hy_oas"].coverage


def test_snapshot_reader_matches_the_manifest(catalog, snapshot):
    manifest = snapshot.manifest().set_index("file")
    for spec in catalog:
        series = snapshot.read(spec.snapshot.file, spec.snapshot.column)
        row = manifest.loc[spec.snapshot.file]
        with open(snapshot.path(spec.snapshot.file), newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            column = spec.snapshot.column or reader.fieldnames[1]
            non_empty = sum(1 for r in reader if r[column] not in ("", "."))
        assert len(series) == non_empty, spec.key
        assert str(series.index[-1].date()) == row["last_date"], spec.key
        if spec.snapshot.column is None or spec.snapshot.column == "Close":
            assert str(series.index[0].date()) == row["first_date"], spec.key
            assert non_empty <= row["rows"]


def test_unknown_key_names_close_matches(catalog):
    with pytest.raises(UnknownSeriesError, match="did you mean.*fed_assets"):
        catalog.get("fed_asset")


@pytest.mark.parametrize("entry, message", [
    ({"title": "t", "publisher": "p", "group": "g", "native_unit": "furlongs", "frequency": "daily",
      "snapshot": {"file": "x.csv"}}, "native_unit.*furlongs"),
    ({"title": "t", "publisher": "p", "group": "g", "native_unit": "percent", "frequency": "hourly",
      "snapshot": {"file": "x.csv"}}, "frequency.*hourly"),
    ({"title": "t", "publisher": "p", "group": "g", "native_unit": "percent", "frequency": "daily"},
     "neither"),
    ({"title": "t", "publisher": "p", "group": "g", "native_unit": "percent", "frequency": "daily",
      "live": {"source": "bloomberg", "id": "X"}}, "live"),
])
def test_bad_entries_name_the_entry_and_field(tmp_path, entry, message):
    with pytest.raises(CatalogError, match=message) as info:
        parse_catalog({"series": {"bad_entry": entry}}, tmp_path / "catalog.yaml")
    assert "bad_entry" in str(info.value)
