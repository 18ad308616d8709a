"""The report pipeline end to end: every notebook executes on the real snapshot.

Rendering all notebooks once takes well under a minute; the module shares one render.
"""

import csv
import html
import json
import re
from pathlib import Path

import nbformat
import pytest

from plumbing.reports import read_records
from plumbing.reports import runner
from plumbing.reports.params import ParameterError, check_parameters, parse_assignment

NOTEBOOKS = runner.NOTEBOOKS_DIR
ALL_THEMED = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def env(warm_cache, tmp_path_factory):
    """PLUMBING_CACHE / PLUMBING_REPORTS for this module (the kernels inherit them)."""
    patch = pytest.MonkeyPatch()
    out = tmp_path_factory.mktemp("reports")
    patch.setenv("PLUMBING_CACHE", str(warm_cache.root))
    patch.setenv("PLUMBING_REPORTS", str(out))
    yield out
    patch.undo()


@pytest.fixture(scope="module")
def rendered(env):
    jobs = runner.plan_jobs(ALL_THEMED, {}, ["2019-09-repo-spike"], False)
    summary = runner.run_reports(jobs, jobs_in_parallel=2, progress=False)
    assert summary.ok, summary.failed
    return env, jobs, summary


def records(out: Path, output: str) -> dict:
    safe = output.replace("/", "__").removesuffix(".html")
    return read_records(out / "_build" / f"{safe}.ipynb")


def test_every_notebook_renders_with_the_index(rendered):
    out, jobs, summary = rendered
    assert len(ALL_THEMED) >= 6 and len(jobs) == len(ALL_THEMED) + 1
    assert sorted(summary.rendered) == sorted(job.output for job in jobs)
    index = (out / "index.html").read_text()
    # the monitor's date leads (its age and the series that set it), then the newest data any report read
    assert re.search(r"How old the data are.</strong> <strong>The watch list stands on \d{4}-\d\d-\d\d, \d+ days? old "
                     r"on \d{4}-\d\d-\d\d: [^<]+ ends? there and sets? the date\.", index)
    assert re.search(r"The newest data the reports read are from \d{4}-\d\d-\d\d, \d+ days? old on \d{4}-\d\d-\d\d", index)
    # the series that stop early are named, the most behind first (at most six, the rest counted)
    assert re.search(r"Series that stop before the others of their frequency: [^.]*days behind most daily series", index)
    for job in jobs:
        assert (out / job.output).is_file()
        assert f'href="{job.output}"' in index
        assert html.escape(job.title) in index


def test_2019_report_shows_the_sofr_peak(rendered):
    out, _, _ = rendered
    values = records(out, "01_repo_spike_2019.html")
    assert values["sofr_peak"] == 5.25 and values["sofr_peak_date"] == "2019-09-17"
    assert values["sofr_ioer_peak_bp"] == pytest.approx(315.0)
    assert values["effr_above_range_max_bp"] == pytest.approx(5.0)
    assert values["repo_take_up_on_t0"] == pytest.approx(53.15)


def test_2025_report_shows_the_spread_and_the_selloff(rendered):
    out, _, _ = rendered
    values = records(out, "02_tga_drain_2025.html")
    assert values["sofr_iorb_on_spike"] == pytest.approx(32.0)
    assert values["repo_take_up_on_spike"] == pytest.approx(50.35)
    assert values["nasdaq_move_on_selloff"] == pytest.approx(-2.039, abs=1e-3)
    assert values["spx_move_on_selloff"] == pytest.approx(-1.174, abs=1e-3)
    assert values["tga_contribution_bn"] < 0  # the TGA build-up drained liquidity


def test_2026_report_shows_the_tga_and_the_metals_crash(rendered, snapshot, raw, coverage):
    out, _, _ = rendered
    values = records(out, "03_crash_2026.html")
    assert values["tga_on_t0_bn"] == pytest.approx(893.245)
    assert values["silver_move_on_t0"] < -25 and values["gold_move_on_t0"] < -5
    assert values["silver_margin_latest_pct"] == 18
    # the Wilshire 5000 proxy for market cap now runs past FRED's end, spliced with Yahoo's copy
    assert values["buffett_splice_date"] == "2023-02-09"
    assert values["buffett_available_until"] == coverage("yahoo/_W5000.csv")[1]
    gdp_q4 = raw(snapshot, "fred/GDP.csv", "2025-10-01")  # Q4 2025, published by 2026-01-30 (t0)
    assert values["buffett_on_t0"] == pytest.approx(raw(snapshot, "yahoo/_W5000.csv", "2026-01-30", "Close") / gdp_q4 * 100)
    page = (out / "03_crash_2026.html").read_text()
    assert "Wilshire 5000 proxy for market cap" in page


def _last_row_date(snapshot, file):
    with open(snapshot.path(file), newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))[-1][0]


def test_monitor_comparison_claims_and_episode_reports(rendered, snapshot, raw):
    out, _, _ = rendered
    monitor = records(out, "00_liquidity_monitor.html")
    # by default the monitor stands on the latest date its watch list covers, leaving out (and
    # naming) a series that stops weeks before the others: the NY Fed repo file ends in July,
    # and of the rest the H.10 dollar-yen rate (DEXJPUS) is the first to stop
    as_of = _last_row_date(snapshot, "fred/DEXJPUS.csv")
    assert monitor["as_of"] == as_of
    assert monitor["lagging"] == {"repo_take_up": _last_row_date(snapshot, "nyfed/NYFED_SRF_ACCEPTED.csv")}
    spread = (raw(snapshot, "fred/SOFR.csv", as_of) - raw(snapshot, "fred/IORB.csv", as_of)) * 100
    assert monitor["sofr_iorb_latest"] == pytest.approx(spread)
    page = (out / "00_liquidity_monitor.html").read_text()
    assert re.search(r"The newest data in this report are from \d{4}-\d\d-\d\d, \d+ days? old on", page)
    assert "stops early?" in page
    assert records(out, "04_episode_comparison.html")["episodes_compared"] == 6
    claims = records(out, "05_claims_check.html")
    assert sum(claims[f"count_{v}"] for v in ("supported", "partly", "contradicted", "not_checkable")) >= 30
    episode = records(out, "episodes/2019-09-repo-spike.html")
    assert episode["series_with_value_at_t0"] >= 10


def test_html_is_self_contained_with_header_and_hidden_code(rendered):
    out, _, _ = rendered
    page = (out / "02_tga_drain_2025.html").read_text()
    assert not re.search(r'<script[^>]*src="https?://', page)
    assert 'import("http' not in page
    assert page.count("data:image/png;base64") >= 4
    assert "Parameters" in page and "Data as of" in page and "selloff_date" in page
    assert "RRPONTSYD" in page  # the data as-of table names each series
    assert "from plumbing import" not in page  # code hidden by default
    assert "FRED_API_KEY" not in page


def test_a_second_run_renders_nothing(rendered):
    jobs = runner.plan_jobs(ALL_THEMED, {}, ["2019-09-repo-spike"], False)
    summary = runner.run_reports(jobs, progress=False)
    assert summary.rendered == [] and len(summary.up_to_date) == len(jobs)


def test_changed_data_re_renders_only_the_reports_that_read_it(rendered, warm_cache):
    out, _, _ = rendered
    state = json.loads((out / "_state" / "05_claims_check.html.json").read_text())
    assert "sofr" in state["data"]
    # a report is stale when the checksum of a series it read changes
    meta = warm_cache.metadata("sofr")
    job = next(j for j in runner.plan_jobs(["05"]) if j.output == "05_claims_check.html")
    key = runner.job_key(job, runner.package_fingerprint())
    assert runner.is_up_to_date(job, key, warm_cache)
    state["data"]["sofr"] = "0" * 64
    (out / "_state" / "05_claims_check.html.json").write_text(json.dumps(state))
    assert not runner.is_up_to_date(job, key, warm_cache)
    state["data"]["sofr"] = meta.checksum
    (out / "_state" / "05_claims_check.html.json").write_text(json.dumps(state))


def test_parameters_are_checked_before_any_kernel_starts(env):
    with pytest.raises(ParameterError, match="has no parameter 'asof'; its parameters: .*as_of"):
        runner.plan_jobs(["00"], {"asof": "2025-01-01"})
    with pytest.raises(ParameterError, match="parameter 'lookback_years' expects int .* got str"):
        runner.plan_jobs(["00"], {"lookback_years": "two"})
    with pytest.raises(ParameterError, match="unknown episode id '2019-09'"):
        runner.plan_jobs(None, {}, ["2019-09"])
    with pytest.raises(ParameterError, match="unknown report notebook '99'"):
        runner.plan_jobs(["99"])
    assert parse_assignment("assets=[\"spx\", \"gold\"]") == ("assets", ["spx", "gold"])
    assert parse_assignment("as_of=2025-11-04") == ("as_of", "2025-11-04")
    assert check_parameters(NOTEBOOKS / "00_liquidity_monitor.ipynb", {"as_of": "2025-11-04"})["as_of"] == "2025-11-04"


def test_a_failing_notebook_names_the_cell_and_keeps_the_previous_report(env, tmp_path, monkeypatch):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    good = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                                              "language_info": {"name": "python"}}, cells=[
        nbformat.v4.new_markdown_cell("# Tiny report"),
        nbformat.v4.new_code_cell("day = '2025-10-31'", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import plumbing\nplumbing.load('sofr', day, day)"),
    ])
    path = notebooks / "90_tiny.ipynb"
    nbformat.write(good, path)
    monkeypatch.setattr(runner, "NOTEBOOKS_DIR", notebooks)
    secret = "abcd1234secretkey0000"
    monkeypatch.setenv("FRED_API_KEY", secret)  # the kernel inherits it; nothing it writes may show it
    first = runner.run_reports(runner.plan_jobs(["90"]), progress=False)
    for written in env.rglob("*"):
        if written.is_file():
            assert secret.encode() not in written.read_bytes(), written
    assert first.rendered == ["90_tiny.html"], (first.failed, first.up_to_date)
    before = (env / "90_tiny.html").read_text()
    good.cells[2].source = "import plumbing\nplumbing.load('sofr', day, day)\nraise ValueError('broken on purpose')"
    nbformat.write(good, path)
    second = runner.run_reports(runner.plan_jobs(["90"]), progress=False)
    assert not second.ok
    message = second.failed["90_tiny.html"]
    assert "cell 3 of 90_tiny.ipynb ('import plumbing')" in message and "ValueError: broken on purpose" in message
    assert (env / "90_tiny.html").read_text() == before
    assert "last run failed" in (env / "index.html").read_text()


def test_notebooks_are_committed_without_outputs_and_paired_with_scripts():
    import jupytext

    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, path.name
        tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, path.name
        script = jupytext.read(path.with_suffix(".py"))
        assert [c.source for c in script.cells] == [c.source for c in nb.cells], f"{path.name} and its .py differ: run jupytext --sync"


def test_statistics_notebooks_state_finite_results(rendered):
    out, _, _ = rendered
    reserves = records(out, "06_reserves_red_line.html")
    assert reserves["kink_ci_low"] <= reserves["kink"] <= reserves["kink_ci_high"]
    assert reserves["n_weeks"] > 300
    # the headline (EFFR - IORB on reserves / bank assets from the liftoff): a kink near 13.6% of bank assets
    # that the sup-F test finds, which the old default (EFFR on GDP from 2009, weekly mean) did not
    assert 13.0 <= reserves["kink"] <= 14.2 and reserves["sup_f_p"] < 0.01
    assert reserves["sup_f_p_old_default"] > 0.1 and reserves["robustness_rows"] >= 6
    liquidity = records(out, "07_net_liquidity_equities.html")
    assert liquidity["coint_p_spx"] > 0.05  # no cointegration in levels: the point of the section
    assert 0 <= liquidity["fair_value_oos_hit_rate"] <= 1
    assert 0 <= liquidity["granger_p_liquidity_to_spx"] <= 1
    assert 0.2 <= liquidity["lp_spx_h4"] <= 0.4 and liquidity["lp_spx_h4_ci_low"] > 0  # local projection, 4 weeks
    assert liquidity["lp_spx_h4_p_holm"] < 0.05 and liquidity["robustness_rows"] >= 6
    regimes = records(out, "08_liquidity_regimes.html")
    assert regimes["months_classified_since_path_start"] >= 12
    assert regimes["spx_best_minus_worst_p"] > 0.2 and regimes["robustness_rows"] >= 6  # lagged: no prediction
    events = records(out, "09_event_studies.html")
    assert 0 <= events["hike_binomial_p_pooled"] <= 1 and events["episode_events"] >= 6
    assert events["hike_clusters"] == 9 and events["hike_cluster_p_boot"] > 0.5 and events["robustness_rows"] >= 6


def test_defaults_given_explicitly_name_the_same_report():
    default = runner.plan_jobs(["07"])[0]
    explicit = runner.plan_jobs(["07"], {"band_pct": 10})[0]  # the default is 10.0
    other = runner.plan_jobs(["07"], {"band_pct": 5})[0]
    assert explicit.output == default.output == "07_net_liquidity_equities.html"
    assert other.output.startswith("07_net_liquidity_equities--") and other.given == {"band_pct": 5}


def test_show_code_is_part_of_what_makes_a_report_current(rendered):
    job = runner.plan_jobs(["05"])[0]
    package = runner.package_fingerprint()
    assert runner.job_key(job, package, show_code=True) != runner.job_key(job, package, show_code=False)


def test_a_report_that_never_rendered_but_failed_is_listed(env, tmp_path, monkeypatch):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
                                  cells=[nbformat.v4.new_markdown_cell("# Always broken"),
                                         nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                                         nbformat.v4.new_code_cell("1 / 0")])
    nbformat.write(nb, notebooks / "91_broken.ipynb")
    monkeypatch.setattr(runner, "NOTEBOOKS_DIR", notebooks)
    summary = runner.run_reports(runner.plan_jobs(["91"]), progress=False)
    assert "ZeroDivisionError" in summary.failed["91_broken.html"]
    index = (env / "index.html").read_text()
    assert "Always broken" in index and "ZeroDivisionError" in index


# --- every page, as a reader gets it --------------------------------------------------------------

_CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.DOTALL)
_SCI = re.compile(r"\b\d\.?\d*e[+-]?\d+\b", re.IGNORECASE)


def test_every_page_opens_with_its_answer_and_is_readable(rendered):
    out, jobs, _ = rendered
    titles = {job.output: job.title for job in jobs}
    for name in titles:
        path = out / name
        page = path.read_text()
        assert re.search(r"<title>(.*?)</title>", page).group(1) == html.escape(titles[name]), name
        findings_at = page.find('class="plumbing-findings"')
        first_figure = page.find("<img")
        assert findings_at > 0 and (first_figure < 0 or findings_at < first_figure), name
        assert page.find("How old the data are") < findings_at, name
        assert page.find('class="plumbing-appendix"') > max(findings_at, first_figure), name  # provenance at the end
        for img in re.findall(r"<img[^>]*>", page):
            alt = re.search(r'alt="([^"]*)"', img)
            assert alt and alt.group(1).strip() and "No description" not in alt.group(1), (name, img[:80])
        for cell in _CELL.findall(page):
            text = re.sub(r"<[^>]+>", "", cell).strip()
            assert text not in ("nan", "NaN", "None", "NaT"), (name, cell)
            assert not _SCI.search(text), (name, text)
        assert not re.search(r'(?:src|href)="https?://', page), name
        assert 'href="index.html"' in page or 'href="../index.html"' in page, name


#: a model's column names (``ci_low``, ``p_holm``, ``sup_f_p``, ...) or any snake_case code in a header
_RAW_HEADER = re.compile(r"\b(ci_low|ci_high|p_holm|p_bh|p_value|sup_f_p|se_har|mean_car|x_unit)\b|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_DECIMAL = re.compile(r"^[+\-−]?[\d,]*\.(\d+)$")
_HEADING = re.compile(r"(<h[1-3][^>]*>.*?</h[1-3]>)", re.DOTALL)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("¶", "").strip()


def test_every_table_reads_for_people(rendered):
    """Headers in plain English (no model column names), numbers rounded for people: a cell with
    more than two decimals is a small number to two significant figures (a p-value such as 0.0061),
    never 4-significant-figure model output such as 0.09423."""
    out, jobs, _ = rendered
    for job in jobs:
        page = (out / job.output).read_text().split('class="plumbing-appendix"')[0]  # the appendix lists parameters
        for head in re.findall(r"<thead>(.*?)</thead>", page, re.DOTALL):
            for cell in re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", head, re.DOTALL):
                assert not _RAW_HEADER.search(_text(cell)), (job.output, _text(cell))
        for cell in _CELL.findall(page):
            decimals = _DECIMAL.match(_text(cell))
            if decimals and len(decimals.group(1)) > 2:
                assert len(re.sub(r"\D", "", _text(cell)).lstrip("0")) <= 2, (job.output, _text(cell))


def test_recorded_values_are_not_printed_and_no_heading_is_empty(rendered):
    out, jobs, _ = rendered
    for job in jobs:
        page = (out / job.output).read_text().split('class="plumbing-appendix"')[0]
        executed = nbformat.read(out / "_build" / (job.output.replace("/", "__").removesuffix(".html") + ".ipynb"),
                                 as_version=4)
        for cell in executed.cells:
            for output in cell.get("outputs", []):
                payload = output.get("data", {}).get("application/vnd.plumbing.record+json")
                if isinstance(payload, dict) and payload.get("label") and not payload["name"].startswith("finding_"):
                    # stored for the index and the tests, not shown as a bold "label: value" line
                    assert f"<strong>{html.escape(str(payload['label']))}:" not in page, (job.output, payload["label"])
        parts = _HEADING.split(page)
        for number in range(1, len(parts) - 2, 2):
            between = re.sub(r"<style.*?</style>", "", parts[number + 1], flags=re.DOTALL)
            assert _text(between) or "<img" in between or "<table" in between, (job.output, _text(parts[number]))
    assert records(out, "06_reserves_red_line.html")["kink"] > 0  # still recorded: read_records works


def test_claims_read_verdict_first(rendered):
    out, _, _ = rendered
    page = (out / "05_claims_check.html").read_text()
    folded = re.findall(r"<summary>(\d+) supported claims?</summary>", page)
    counts = records(out, "05_claims_check.html")
    assert folded and sum(map(int, folded)) == counts["count_supported"]  # every supported claim folded, counted
    shown_contradicted = 0
    for block in page.split('<div class="plumbing-claims">')[1:]:  # each claims section: what is in view comes
        in_view = re.split(r"<details><summary>\d+ (?:supported claims?|claims? not checkable)</summary>", block)[0]
        shown_contradicted += in_view.count('class="verdict" style="background-color: #f8d0d0">contradicted')
        assert ">supported<" not in in_view  # supported claims are folded
    assert shown_contradicted >= counts["count_contradicted"] > 0  # every contradicted claim in view
    assert page.count("<summary>Quote, rule and data used</summary>") >= sum(
        counts[f"count_{v}"] for v in ("supported", "partly", "contradicted", "not_checkable"))


def test_index_is_a_dashboard_with_tiles_answers_and_data_age(rendered):
    out, jobs, _ = rendered
    index = (out / "index.html").read_text()
    assert index.count('class="tile"') >= 10
    for name in ("Net liquidity", "Reserves", "TGA", "ON RRP", "SOFR - IORB", "Repo facility", "MOVE", "HY OAS",
                 "USDJPY", "US2Y - JP2Y", "Stress composite"):
        assert f'<div class="name">{html.escape(name)}</div>' in index, name
    assert index.count("<svg") >= 10  # sparklines
    assert index.count('class="answer"') == len(jobs)  # each report's one-line answer
    for section in ("dashboard", "monitor", "episodes", "claims", "methods"):
        assert f'<section id="{section}">' in index
    assert "How old the data are" in index and "<details>" in index


def test_index_one_liners_are_each_reports_own_distinct_answer(rendered):
    out, jobs, _ = rendered
    index = (out / "index.html").read_text()
    answers = {}
    for card in re.findall(r'<div class="card">(.*?)</details>', index, re.DOTALL):
        link = re.search(r'<h3><a href="([^"]+)">', card)
        answer = re.search(r'<p class="answer">(.*?)</p>', card, re.DOTALL)
        if link and answer:
            answers[link.group(1)] = html.unescape(answer.group(1))
    assert len(answers) == len(jobs) and len(set(answers.values())) == len(answers)
    for output, answer in answers.items():
        found = records(out, output)
        findings = [found[k] for k in sorted(found) if re.fullmatch(r"finding_\d+", k)]
        assert answer in findings, output
    # the themed 2019 report and the 2019 episode page open with different answers, each its own first finding
    assert answers["01_repo_spike_2019.html"] == records(out, "01_repo_spike_2019.html")["finding_1"]
    episode = records(out, "episodes/2019-09-repo-spike.html")
    assert answers["episodes/2019-09-repo-spike.html"] == episode["finding_1"]
    assert episode["finding_1"].startswith("SOFR's 99th percentile - IOER peaked at ")


def test_headlines_lead_the_index_and_the_monitor_reads_plainly(rendered, snapshot, coverage):
    out, _, _ = rendered
    index = html.unescape((out / "index.html").read_text())
    answers = dict(re.findall(r'<h3><a href="([^"]+)">.*?<p class="answer">(.*?)</p>', index, re.DOTALL))
    # the marked headline, not the first (set-up) sentence the notebook computed
    for output, start in (("06_reserves_red_line.html", "Reserves were USD "),
                          ("09_event_studies.html", "Margin hikes are "),
                          ("00_liquidity_monitor.html", "The watch list stands on ")):
        found = records(out, output)
        assert found["headline"] == found["finding_1"] and found["headline"].startswith(start), output
        assert answers[output] == found["headline"], output
    # 06: where reserves stand now, from the raw H.4.1 and H.8 files
    with open(snapshot.path("fred/WRESBAL.csv"), newline="", encoding="utf-8") as handle:
        day, level = list(csv.reader(handle))[-1]
    with open(snapshot.path("fred/TLAACBW027SBOG.csv"), newline="", encoding="utf-8") as handle:
        assets = float(list(csv.reader(handle))[-1][1])
    head = records(out, "06_reserves_red_line.html")["headline"]
    assert head.startswith(f"Reserves were USD {float(level) / 1000:,.0f}bn on {day}, about "
                           f"{float(level) / 1000 / assets * 100:.1f}% of bank assets: ")
    six = [v for k, v in records(out, "06_reserves_red_line.html").items() if re.fullmatch(r"finding_\d+", k)]
    assert not any("holds in the headline" in s for s in six) and any("rolling 104-week slope" in s for s in six)
    # 00: the date's setter named, no Python repr or parameter names in prose, the drain component present
    monitor = records(out, "00_liquidity_monitor.html")
    assert monitor["as_of_set_by"] == ["usdjpy"]
    page = html.unescape((out / "00_liquidity_monitor.html").read_text()).split('class="plumbing-appendix"')[0]
    for bad in ("'No article claim", 'as_of = "latest"', "stress_window", "from 4 components"):
        assert bad not in page, bad
    stress = re.search(r"<caption>The last ten days of the composite</caption>(.*?)</table>", page, re.DOTALL).group(1)
    header = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", stress.split("</thead>")[0])]
    column = header.index(next(h for h in header if h.startswith("Net liquidity drain")))
    for row in re.findall(r"<tr>(.*?)</tr>", stress.split("</thead>")[1], re.DOTALL):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]
        assert cells[column] not in ("—", ""), cells
    assert f"since {coverage('treasury/TGA_CLOSING_BALANCE.csv')[0]}" in page  # the TGA's short history said
    assert "0 on " in page and "% of days" in page  # the repo facility's zeros said, not a tie-inflated rank
    assert not re.search(r"\d+\.\d+\s*</td>\s*</tr>", re.search(r"<caption>The watch list on.*?</table>", page,
                                                                re.DOTALL).group(0))  # no "15.30" percentile
