"""The numbers the articles lean on, from load(), checked against the raw snapshot files.

Each test compares load() (common units) with the published value and with the raw file
read by the csv module, so the unit conversion is checked, not repeated.
"""

import pytest


def at(frame, key, date):
    return frame.loc[date, key]


def test_fed_total_assets_2025_10_29_in_billions(loader, snapshot, raw):
    value = at(loader.load("fed_assets", "2025-10-01", "2025-11-30"), "fed_assets", "2025-10-29")
    assert raw(snapshot, "fred/WALCL.csv", "2025-10-29") == 6_587_034  # published in USD millions
    assert value == 6587.034  # exact: a correctly rounded division by 1000


def test_tga_week_average_2025_10_29(loader, snapshot, raw):
    value = at(loader.load("tga_weekly", "2025-10-01", "2025-11-30"), "tga_weekly", "2025-10-29")
    assert value == pytest.approx(raw(snapshot, "fred/WTREGEN.csv", "2025-10-29") / 1000, abs=1e-9)
    assert value == pytest.approx(957.990, abs=1e-9)


def test_on_rrp_2025_10_31_already_in_billions(loader, snapshot, raw):
    value = at(loader.load("on_rrp", "2025-10-01", "2025-11-30"), "on_rrp", "2025-10-31")
    assert value == raw(snapshot, "fred/RRPONTSYD.csv", "2025-10-31")
    assert value == pytest.approx(51.802, abs=1e-9)


def test_sofr_and_iorb_2025_10_31(loader):
    frame = loader.load(["sofr", "iorb"], "2025-10-27", "2025-11-07")
    assert frame.loc["2025-10-31", "sofr"] == pytest.approx(4.22)
    assert frame.loc["2025-10-31", "iorb"] == pytest.approx(3.90)
    assert frame.attrs["units"] == {"sofr": "percent", "iorb": "percent"}


def test_sofr_spike_2019_09_17(loader):
    assert at(loader.load("sofr", "2019-09-01", "2019-09-30"), "sofr", "2019-09-17") == pytest.approx(5.25)


def test_repo_take_up_2025_10_31(loader, snapshot, raw):
    value = at(loader.load("repo_take_up", "2025-10-01", "2025-11-30"), "repo_take_up", "2025-10-31")
    assert value == raw(snapshot, "nyfed/NYFED_SRF_ACCEPTED.csv", "2025-10-31")
    assert value == pytest.approx(50.35)


def test_daily_tga_2026_01_30(loader, snapshot, raw):
    value = at(loader.load("tga_daily", "2026-01-01", "2026-02-28"), "tga_daily", "2026-01-30")
    assert raw(snapshot, "treasury/TGA_CLOSING_BALANCE.csv", "2026-01-30") == 893_245
    assert value == pytest.approx(893.245, abs=1e-9)


def test_hy_oas_is_converted_from_percent_to_basis_points(loader, snapshot, raw):
    frame = loader.load("hy_oas", "2020-03-01", "2020-03-31")
    assert raw(snapshot, "fred/BAMLH0A0HYM2.csv", "2020-03-23") == 10.87  # percent, as published
    assert frame.loc["2020-03-23", "hy_oas"] == pytest.approx(1087.0)
    assert frame.attrs["units"]["hy_oas"] == "bp"


def test_reserves_weekly_average_in_billions(loader, snapshot, raw):
    frame = loader.load("reserves", "2025-09-01", "2025-12-31")
    first_wed = frame.index[0].strftime("%Y-%m-%d")
    assert frame.iloc[0, 0] == pytest.approx(raw(snapshot, "fred/WRESBAL.csv", first_wed) / 1000)
    assert 2_000 < frame["reserves"].min() < 4_000  # trillions expressed in billions


def test_jgb_2y_from_the_mof_file(loader):
    assert at(loader.load("jp2y", "2025-11-01", "2025-11-10"), "jp2y", "2025-11-04") == pytest.approx(0.945)


def test_bank_assets_run_to_the_new_h8_vintage(loader, snapshot, raw, coverage):
    frame = loader.load("bank_assets")
    assert str(frame.index.max().date()) == coverage("fred/TLAACBW027SBOG.csv")[1] == "2026-04-15"
    assert frame.loc["2019-09-18", "bank_assets"] == raw(snapshot, "fred/TLAACBW027SBOG.csv", "2019-09-18")
    assert frame.loc["2019-09-18", "bank_assets"] == pytest.approx(17449.5369)  # the manifest's check value


def test_bank_deposits_in_billions(loader, snapshot, raw):
    frame = loader.load("bank_deposits", "2023-03-01", "2023-03-31")
    assert frame.loc["2023-03-15", "bank_deposits"] == raw(snapshot, "fred/DPSACBW027SBOG.csv", "2023-03-15")
    assert frame.loc["2023-03-15", "bank_deposits"] == pytest.approx(17432.754)  # the SVB week, as the manifest says
    assert frame.attrs["units"]["bank_deposits"] == "usd_bn"
