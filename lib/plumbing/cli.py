"""The ``plumbing`` command.

    plumbing data sync [--offline] [--only KEY ...]   refresh the cache (live, else snapshot)
    plumbing data status [--gap-days N]                what the cache holds, its age and gaps
    plumbing claims [--article 001] [--verdict ...]    the articles' claims and the data's verdicts
    plumbing reports [NAME ...] [-p key=value] [--sweep key=v1,v2 ...] [--episode ID | --all-episodes]
                     [--force] [--jobs N | --scheduler ADDRESS] [--show-code]

Imports are lazy: a command imports what it uses (a no-op ``plumbing reports`` never imports
the kernel, notebook or plotting libraries).
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .secrets import install_log_redaction

if TYPE_CHECKING:
    import pandas as pd


def _user_errors() -> tuple[type[BaseException], ...]:
    """Errors the user can fix (a typo, a bad file, a full disk): one line, no stack trace (unless -v)."""
    from .cache import CacheError
    from .catalog import UnknownSeriesError
    from .panel import DataUnavailable
    from .sources.base import SourceError

    return (UnknownSeriesError, ValueError, CacheError, SourceError, DataUnavailable, OSError)


def _setup_logging(verbose: bool) -> None:
    handler = install_log_redaction(logging.StreamHandler(sys.stderr))
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)


def _print_table(frame: pd.DataFrame) -> None:
    import pandas as pd

    with pd.option_context("display.max_rows", None, "display.max_columns", None,
                           "display.width", 200, "display.max_colwidth", 80):
        print(frame.to_string(index=False))


def cmd_data_sync(args: argparse.Namespace) -> int:
    """Refresh the cache; one line per series that failed or needs attention; 1 if any failed."""
    from .catalog import load_catalog
    from .sync import outcomes_table, sync

    catalog = load_catalog()
    keys = args.only or None
    if keys:
        for key in keys:
            catalog.get(key)  # fail before any work on a typo
    outcomes = sync(keys, offline=True if args.offline else None, catalog=catalog, progress=not args.no_progress)
    table = outcomes_table(outcomes)
    _print_table(table)
    served = table["served_by"].value_counts().to_dict()
    print("served: " + ", ".join(f"{name} {count}" for name, count in sorted(served.items())))
    for outcome in outcomes:
        if outcome.status != "ok":
            label = {"warning": "warning", "repaired": "REPAIRED", "failed": "FAILED"}[outcome.status]
            print(f"{label} {outcome.key}: {outcome.detail}", file=sys.stderr)
    failed = [o.key for o in outcomes if not o.ok]
    if failed:
        print(f"FAILED or repaired: {', '.join(failed)} (see the lines above)", file=sys.stderr)
        return 1
    return 0


def cmd_data_status(args: argparse.Namespace) -> int:
    """What the cache holds (rows, first and last read from the data); 1 if a file is corrupted
    or cannot be read (each named on its own line)."""
    from .status import status_table

    table = status_table(args.gap_days)
    print(f"gaps: stretches longer than the series' nominal spacing plus {args.gap_days} business days")
    _print_table(table.drop(columns=["problem"]))
    problems = table[table["problem"] != ""]
    for row in problems.itertuples():
        print(f"warning {row.key}: {row.problem}", file=sys.stderr)
    return 1 if problems["source"].isin(["corrupted", "unreadable"]).any() else 0


def _whole_number(text: str, minimum: int, refusal: str) -> int:
    """``text`` as an integer >= ``minimum``; else an argparse error ending in ``refusal``."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{value} {refusal}")
    return value


def _user_error(command: str, err: Exception, verbose: bool) -> int:
    """One line for an error the user can fix (the stack trace only with -v); exit code 2."""
    if verbose:
        traceback.print_exception(err)
    print(f"plumbing {command}: error: {err}", file=sys.stderr)
    return 2


def _non_negative_int(text: str) -> int:
    """argparse type: an integer >= 0 (``--gap-days -3`` is refused)."""
    return _whole_number(text, 0, "is negative; give 0 or more business days")


def _positive_int(text: str) -> int:
    """argparse type: a number of parallel notebooks >= 1 (``--jobs 0`` and ``--jobs -1`` are refused)."""
    return _whole_number(text, 1, "is not a number of parallel notebooks; give 1 or more")


def cmd_reports(args: argparse.Namespace) -> int:
    """Render the reports: 2 for a bad request or definitions file (before any kernel), 1 when a
    report failed, 128 + N when signal N cancelled the run (130 for Ctrl-C, 143 for SIGTERM)."""
    from .reports.params import parse_assignment
    from .reports.runner import ReportsFolderError, SnapshotProblem, exit_code, plan_jobs, reports_dir, run_reports

    try:
        given = dict(parse_assignment(p) for p in args.param or [])
        sweeps = [_parse_sweep(text) for text in args.sweep or []]
        if sweeps and (args.episode or args.all_episodes):
            raise ValueError("--sweep applies to themed notebooks; it cannot be combined with --episode/--all-episodes")
        jobs = plan_jobs(args.names or None, given, args.episode, args.all_episodes, sweeps)
    except ValueError as err:  # a bad parameter, a bad episodes/catalog file, an output outside reports/
        return _user_error("reports", err, args.verbose)
    try:
        summary = run_reports(jobs, force=args.force, jobs_in_parallel=args.jobs, show_code=args.show_code,
                              progress=not args.no_progress, scheduler=args.scheduler)
    except (ReportsFolderError, SnapshotProblem) as err:  # found before any kernel started
        return _user_error("reports", err, args.verbose)
    for warning in summary.warnings:
        print(f"warning    {warning}", file=sys.stderr)
    for output in summary.rendered:
        print(f"rendered   {reports_dir() / output}")
    for output, error in summary.failed.items():
        said = output == "index.html" or any(note in error for note in ("good HTML, if any, is kept", "new HTML is in place"))
        kept = "" if said else " (the previous good HTML, if any, is kept)"
        print(f"FAILED     {output}: {error}{kept}", file=sys.stderr)
    if summary.cancelled:
        print(summary.cancellation_line(), file=sys.stderr)
        return exit_code(summary)
    if summary.up_to_date and not summary.rendered and not summary.failed:
        print(f"nothing to render: all {len(summary.up_to_date)} reports are up to date (use --force to render anyway)")
    elif summary.up_to_date:
        print(f"up to date {len(summary.up_to_date)} reports (not rendered again)")
    print(f"index      {reports_dir() / 'index.html'}")
    return exit_code(summary)


def _parse_sweep(text: str) -> tuple[str, list]:
    """``--sweep key=v1,v2`` -> (key, [v1, v2]); each value read as ``-p key=value`` reads it."""
    from .reports.params import ParameterError, parse_assignment

    if "=" not in text:
        raise ParameterError(f"--sweep {text!r}: expected key=value1,value2, e.g. --sweep spread=sofr_iorb_bp,effr_iorb_bp")
    name, raw = text.split("=", 1)
    values = [parse_assignment(f"{name}={item.strip()}") for item in raw.split(",") if item.strip()]
    if not values:
        raise ParameterError(f"--sweep {text!r}: no values to sweep")
    return values[0][0], [value for _, value in values]


def cmd_claims(argv: list[str]) -> int:
    """``plumbing claims``: an ``--article`` that matches no article is refused (exit 2) before
    the verdicts are computed; a bad claims.yaml gives one line naming file, line, claim, field."""
    from .claims import main as claims_main
    from .reports.params import Article

    peek = argparse.ArgumentParser(add_help=False)
    peek.add_argument("--article")
    wanted, _ = peek.parse_known_args(argv)
    try:
        if wanted.article is not None and (problem := Article().problem(wanted.article)):
            raise ValueError(f"--article {wanted.article!r} {problem}")
        return claims_main(argv)
    except (ValueError, OSError) as err:  # a bad --csv path or claims file; a write refused by the disk
        return _user_error("claims", err, verbose=False)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="plumbing", description="Dollar-liquidity research notebooks: data and reports.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    commands = parser.add_subparsers(dest="command", required=True)

    data = commands.add_parser("data", help="the series cache").add_subparsers(dest="data_command", required=True)
    sync = data.add_parser("sync", help="refresh the cache: live publishers where reachable, the snapshot otherwise")
    sync.add_argument("--offline", action="store_true", help="never contact a publisher; import from the snapshot")
    sync.add_argument("--only", nargs="+", metavar="KEY", help="sync only these catalog keys")
    sync.add_argument("--no-progress", action="store_true", help="no progress bar")
    sync.set_defaults(func=cmd_data_sync)
    status = data.add_parser("status", help="what the cache holds: source, first, last, rows, age, gaps")
    status.add_argument("--gap-days", type=_non_negative_int, default=5, metavar="N",
                        help="report gaps longer than the nominal spacing plus N business days (default 5)")
    status.set_defaults(func=cmd_data_status)
    commands.add_parser("claims", help="check the articles' claims against data (see plumbing claims --help)")
    reports = commands.add_parser("reports", help="render the notebooks to HTML reports (incremental, parallel)")
    reports.add_argument("names", nargs="*", metavar="NAME", help="themed notebooks by number or name (default: all)")
    reports.add_argument("-p", "--param", action="append", metavar="KEY=VALUE", help="set a notebook parameter (JSON value)")
    reports.add_argument("--episode", action="append", metavar="ID", help="render the episode template for this episode id")
    reports.add_argument("--all-episodes", action="store_true", help="render the episode template for every episode")
    reports.add_argument("--force", action="store_true", help="render even reports that are up to date")
    reports.add_argument("--jobs", type=_positive_int, default=None, metavar="N",
                         help="parallel notebooks (default: number of cores)")
    reports.add_argument("--sweep", action="append", metavar="KEY=V1,V2",
                         help="render every combination of these values (repeat for a grid; one index section per sweep)")
    reports.add_argument("--scheduler", metavar="ADDRESS",
                         help="render on this Dask distributed scheduler (tcp://host:8786) instead of local processes")
    reports.add_argument("--show-code", action="store_true", help="keep code cells in the HTML")
    reports.add_argument("--no-progress", action="store_true", help="no progress bar")
    reports.set_defaults(func=cmd_reports)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl-C before a command installs its own handler (or in one without)
        if argv[:1] in (["-v"], ["--verbose"]):
            traceback.print_exc()
        print("plumbing: interrupted; nothing more was started (files are written whole, so none is half-written)",
              file=sys.stderr)
        return 130


def _main(argv: list[str]) -> int:
    if argv[:1] == ["claims"]:
        _setup_logging(False)
        return cmd_claims(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging(args.verbose)
    try:
        return int(args.func(args) or 0)
    except Exception as err:
        if not isinstance(err, _user_errors()):
            raise
        if args.verbose:
            traceback.print_exc()
        print(f"plumbing: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
