"""The contract every source's series must meet (see plumbing.sources.base), for the source tests."""

import pandas as pd


def assert_contract(series: pd.Series, name: str) -> None:
    assert series.dtype == "float64"
    assert isinstance(series.index, pd.DatetimeIndex)
    assert series.index.name == "date" and series.index.tz is None
    assert series.index.is_monotonic_increasing and series.index.is_unique
    assert not series.isna().any()
    assert series.name == name
