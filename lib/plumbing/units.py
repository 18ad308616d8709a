"""Units: the one place where native units become the project's common units.

Common units: balances in **USD billions** (``usd_bn``), rates in **percent**, spreads in
**basis points** (``bp``), prices and indexes unchanged. Publishers use other units (FRED's
WALCL is in USD millions, RRPONTSYD in USD billions, ICE BofA OAS in percent), so every
catalog entry names its native unit and this table gives the common unit and the factor.
Nothing else in the project scales a series.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pandas as pd


@dataclass(frozen=True)
class Conversion:
    """How one native unit maps to a common unit: ``common = native * factor``.

    The factor is an exact fraction, applied as ``native * numerator / denominator`` so that
    e.g. USD millions -> billions is a correctly rounded division by 1000.
    """

    native: str
    common: str
    factor: Fraction
    description: str


CONVERSIONS: dict[str, Conversion] = {
    c.native: c
    for c in (
        Conversion("usd_amount", "usd_bn", Fraction(1, 10**9), "US dollars -> billions"),
        Conversion("usd_millions", "usd_bn", Fraction(1, 1000), "millions of US dollars -> billions"),
        Conversion("usd_billions", "usd_bn", Fraction(1), "billions of US dollars (already common)"),
        Conversion("usd_billions_saar", "usd_bn_saar", Fraction(1), "billions of US dollars, seasonally adjusted annual rate"),
        Conversion("percent", "percent", Fraction(1), "percent per annum"),
        Conversion("percent_spread", "bp", Fraction(100), "a spread quoted in percent -> basis points"),
        Conversion("index", "index", Fraction(1), "index points"),
        Conversion("usd_price", "usd", Fraction(1), "price in US dollars"),
        Conversion("jpy_per_usd", "jpy_per_usd", Fraction(1), "Japanese yen per US dollar"),
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
    factor = conversion_for(native_unit).factor
    converted = values.astype("float64")
    if factor.numerator != 1:
        converted = converted * factor.numerator
    if factor.denominator != 1:
        converted = converted / factor.denominator
    return converted
