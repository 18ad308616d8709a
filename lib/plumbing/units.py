"""Units: the one place where native units become the project's common units.

Common units: balances in **USD billions** (``usd_bn``), rates in **percent**, spreads in
**basis points** (``bp``), prices and indexes unchanged. Publishers use other units (FRED's
WALCL is in USD millions, RRPONTSYD in USD billions, ICE BofA OAS in percent), so every
catalog entry names its native unit and this table gives the common unit and the factor.
Nothing else in the project scales a series.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Conversion:
    """How one native unit maps to a common unit: ``common = native * factor``."""

    native: str
    common: str
    factor: float
    description: str


CONVERSIONS: dict[str, Conversion] = {
    c.native: c
    for c in (
        Conversion("usd_millions", "usd_bn", 1e-3, "millions of US dollars -> billions"),
        Conversion("usd_billions", "usd_bn", 1.0, "billions of US dollars (already common)"),
        Conversion("usd_billions_saar", "usd_bn_saar", 1.0, "billions of US dollars, seasonally adjusted annual rate"),
        Conversion("percent", "percent", 1.0, "percent per annum"),
        Conversion("percent_spread", "bp", 100.0, "a spread quoted in percent -> basis points"),
        Conversion("index", "index", 1.0, "index points"),
        Conversion("usd_price", "usd", 1.0, "price in US dollars"),
        Conversion("jpy_per_usd", "jpy_per_usd", 1.0, "Japanese yen per US dollar"),
    )
}


def conversion_for(native_unit: str) -> Conversion:
    """The conversion for ``native_unit``; a clear error lists the units that are known."""
    try:
        return CONVERSIONS[native_unit]
    except KeyError:
        known = ", ".join(sorted(CONVERSIONS))
        raise ValueError(f"unknown native unit {native_unit!r}; known units: {known}") from None


def to_common(values: pd.Series, native_unit: str) -> pd.Series:
    """Return ``values`` (in ``native_unit``) expressed in the common unit."""
    conversion = conversion_for(native_unit)
    if conversion.factor == 1.0:
        return values.astype("float64")
    return values.astype("float64") * conversion.factor
