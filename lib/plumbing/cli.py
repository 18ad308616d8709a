"""The ``plumbing`` command.

    plumbing data sync [--offline] [--only KEY ...]   refresh the cache (live, else snapshot)
    plumbing data status [--gap-days N]                what the cache holds, its age and gaps
    plumbing claims [--article 001] [--verdict ...]    the articles' claims and the data's verdicts
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

import pandas as pd

from .catalog import UnknownSeriesError, load_catalog
from .secrets import install_log_redaction


def _setup_logging(verbose: bool) -> None:
    handler = install_log_redaction(logging.StreamHandler(sys.stderr))
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)


def _print_table(frame: pd.DataFrame) -> None:
    with pd.option_context("display.max_rows", None, "display.max_columns", None,
                           "display.width", 200, "display.max_colwidth", 80):
        print(frame.to_string(index=False))


def cmd_data_sync(args: argparse.Namespace) -> int:
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
    failed = [o.key for o in outcomes if not o.ok]
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def cmd_data_status(args: argparse.Namespace) -> int:
    from .status import status_table

    table = status_table(args.gap_days)
    print(f"gaps: stretches longer than the series' nominal spacing plus {args.gap_days} business days")
    _print_table(table)
    return 0


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
    status.add_argument("--gap-days", type=int, default=5, metavar="N",
                        help="report gaps longer than the nominal spacing plus N business days (default 5)")
    status.set_defaults(func=cmd_data_status)
    commands.add_parser("claims", help="check the articles' claims against data (see plumbing claims --help)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["claims"]:
        from .claims import main as claims_main

        _setup_logging(False)
        return claims_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging(args.verbose)
    try:
        return int(args.func(args) or 0)
    except (UnknownSeriesError, ValueError) as err:
        print(f"plumbing: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
