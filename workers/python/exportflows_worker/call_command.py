"""``python -m exportflows_worker call TYPE --date D``: one external catalog row, once, without Temporal.

It builds the request the worker would get, runs it exactly as the activity does (validation, pre-flight, the
original exporter of EXPORTFLOWS_ORIGINAL_REPO, the result's checks) and prints the contract's result: how a data
engineer tries a new row before scheduling it. The exporter writes to the real bucket, as it would when scheduled.

``--with-dependencies`` first runs the row's dependencies (after/requires, transitively, in order) in this process,
passes their values on as the workflow does, and prints every row's outcome.
"""

import argparse
import datetime
import json
import logging
import sys
from typing import Any, Dict, List, Mapping, Optional

from . import bigquery_counts, logsetup
from .catalog import NATIVE_EXTRAS, Catalog, ExternalRow
from .contract import parse_request
from .errors import ExportError, InvalidExportRequest, SetupError
from .exporters import OriginalExporters
from .preflight import CountsFn
from .runner import run_export
from .graph_run import dependency_order, run_graph
from .settings import VARIABLES, from_environment

log = logging.getLogger("exportflows_worker.call")

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_RETRYABLE = 0, 1, 2, 3

EXIT_CODES = """exit codes:
  0  the export ran: its result (the objects written, or skipped_reason; values) is printed on stdout as JSON;
     with --with-dependencies a JSON array of every row's outcome, the row's own last
  1  the export failed and a retry would not help: ContractViolation (a path outside the bucket or the row's
     objects, a missing module/class/method/function, a signature that does not take the call, values that are
     not JSON or over 32 KiB), MissingTable, MissingValue (a value the call needs was not produced), or
     InvalidExportRequest (the exporter refused its arguments)
  2  nothing ran: a bad command line (unknown or native TYPE, a bad or missing --date or --option), an invalid
     catalog, a bad variable, EXPORTFLOWS_ORIGINAL_REPO not a checkout, no BigQuery client for a pre-flight row
  3  the export failed and a retry may help: NotReady (the pre-flight), or another error of the exporter (network,
     quota, a crash), named on stderr
  With --with-dependencies the code is the row's own; a row not run because a required dependency failed (or a
  value it needs is missing) exits with that dependency's code, or 1."""


def _parser() -> argparse.ArgumentParser:
    used = ("EXPORTFLOWS_ORIGINAL_REPO", "EXPORTFLOWS_CATALOG", "EXPORTFLOWS_BUCKET", "EXPORTFLOWS_BIGQUERY_PROJECT")
    epilog = EXIT_CODES + "\n\nenvironment variables:\n" + "\n".join(
        "  %-34s %s" % item for item in VARIABLES if item[0] in used)
    parser = argparse.ArgumentParser(prog="python -m exportflows_worker call", epilog=epilog,
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     description="Run one external row of the catalog once, without Temporal, "
                                                 "against the original checkout, and print the contract's result.")
    parser.add_argument("export_type", metavar="TYPE", help="an external type of the catalog, e.g. calendar")
    parser.add_argument("--date", metavar="YYYY-MM-DD",
                        help="the target date; required unless the row's date is \"none\" (then today in "
                             "America/New_York)")
    parser.add_argument("--catalog", metavar="FILE",
                        help="the export catalog (default: $EXPORTFLOWS_CATALOG, else the repository's)")
    parser.add_argument("--update-latest", action=argparse.BooleanOptionalAction, default=False,
                        help="also write the latest.json/today.json companion (default: no)")
    parser.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                        help="an option the row declares, or %s; VALUE is JSON (12, true, \"x\") or else text; "
                             "repeatable" % ", ".join(NATIVE_EXTRAS))
    parser.add_argument("--no-preflight", action="store_true",
                        help="leave out the pre-flight of a preflight = true row (no BigQuery count query)")
    parser.add_argument("--with-dependencies", action="store_true",
                        help="first run the row's dependencies (after, requires; transitively, in order) in this "
                             "process and pass their values on; prints every row's outcome")
    return parser


def main(argv: List[str], env: Mapping[str, str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as stop:  # --help (0) or a bad command line (2)
        return int(stop.code or 0)
    logsetup.configure()
    try:
        options = _options(args.option)
        settings = from_environment(env, args.catalog)
        row = _row(settings.catalog, args.export_type)
        date = _date(row, args.date)
        at = datetime.datetime.now(datetime.timezone.utc)
        raw = _request(row, date, args.update_latest, options, at)
        parse_request(raw, settings.catalog, row.export_type)
        exporters = OriginalExporters(settings.original_repo)
        order = dependency_order(settings.catalog, row.export_type) if args.with_dependencies else [row.export_type]
        external = [settings.catalog.external[name] for name in order if name in settings.catalog.external]
        counts = _counts(external, args.no_preflight, settings.bigquery_project)
    except (SetupError, InvalidExportRequest) as error:
        print("exportflows-worker call: %s" % error, file=sys.stderr)
        return EXIT_USAGE
    if args.with_dependencies:
        run = {"started_at": at.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00"), "workflow_id": raw["correlation_id"]}

        def one(name: str, values: Mapping[str, Mapping[str, Any]]) -> Dict[str, Any]:
            request = _request(settings.catalog.external[name], date, args.update_latest,
                               options if name == row.export_type else {}, at)
            request.update({"values": dict(values), "run": run})
            return run_export(request, catalog=settings.catalog, expected_type=name, exporters=exporters,
                              counts=counts, heartbeat=lambda details: None,
                              heartbeat_interval=settings.heartbeat_seconds, bucket=settings.bucket,
                              run_preflight=not args.no_preflight)

        outcomes = run_graph(settings.catalog, order, one, _exit_code)
        print(json.dumps([outcome.report() for outcome in outcomes], indent=2))
        return outcomes[-1].exit_code
    raw["run"] = {"started_at": at.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00"), "workflow_id": raw["correlation_id"]}
    try:
        result = run_export(raw, catalog=settings.catalog, expected_type=row.export_type, exporters=exporters,
                            counts=counts, heartbeat=lambda details: None,
                            heartbeat_interval=settings.heartbeat_seconds, bucket=settings.bucket,
                            run_preflight=not args.no_preflight)
    except Exception as error:
        return _exit_code(row.export_type, error)
    print(json.dumps(result, indent=2))
    return EXIT_OK


def _exit_code(export_type: str, error: Exception) -> int:
    """Names the failure on stderr; its exit code: 1 non-retryable, 3 retryable."""
    if isinstance(error, ExportError):
        print("exportflows-worker call: %s (%s): %s" % (error.error_type, "non-retryable" if error.non_retryable
                                                          else "retryable", error.message), file=sys.stderr)
        return EXIT_FAILED if error.non_retryable else EXIT_RETRYABLE
    # what the activity leaves to Temporal's retries
    log.error("export failed, retryable: %s: %s", type(error).__name__, error, extra={"export_type": export_type},
              exc_info=error)
    print("exportflows-worker call: %s (retryable): %s" % (type(error).__name__, error), file=sys.stderr)
    return EXIT_RETRYABLE


def _date(row: ExternalRow, date: Optional[str]) -> str:
    """--date, or for a date = "none" row (it takes no date) today in America/New_York."""
    if date is not None:
        return date
    if row.date != "none":
        raise SetupError("--date YYYY-MM-DD is required for %s (its catalog row has date = \"%s\"); only a "
                         "date = \"none\" row runs without one" % (row.export_type, row.date))
    return new_york_today()


def new_york_today() -> str:
    try:
        from zoneinfo import ZoneInfo  # noqa: PLC0415

        return datetime.datetime.now(ZoneInfo("America/New_York")).date().isoformat()
    except Exception:  # no time zone database on this machine: UTC's date, said so
        log.warning("no America/New_York time zone data here: using the UTC date")
        return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def _counts(rows: List[ExternalRow], no_preflight: bool, project: str) -> CountsFn:
    try:
        return bigquery_counts.counts_for([] if no_preflight else rows, project)
    except SetupError as error:
        raise SetupError("%s (or leave the pre-flight out with --no-preflight)" % error) from None


def _options(pairs: List[str]) -> Dict[str, Any]:
    options: Dict[str, Any] = {}
    for pair in pairs:
        name, equals, text = pair.partition("=")
        if not equals or not name.strip():
            raise SetupError("--option %r: write NAME=VALUE, e.g. --option min_games=12" % pair)
        try:
            options[name.strip()] = json.loads(text)
        except ValueError:
            options[name.strip()] = text
    return options


def _row(catalog: Catalog, export_type: str) -> ExternalRow:
    row = catalog.external.get(export_type)
    if row is not None:
        return row
    if export_type in catalog.native:
        raise SetupError("%s is native in the catalog %s (kind = \"native\"): ExportFlows exports it; call runs "
                         "external rows (%s)" % (export_type, catalog.path, ", ".join(catalog.external_types)))
    raise SetupError("%s is not a type of the catalog %s; its external types: %s"
                     % (export_type, catalog.path, ", ".join(catalog.external_types)))


def _request(row: ExternalRow, date: str, update_latest: bool, options: Mapping[str, Any],
             now: datetime.datetime) -> Dict[str, Any]:
    """The request the worker would get for this row (trigger ``cli``)."""
    at = now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return {"export_type": row.export_type, "target_date": date, "update_latest": update_latest, "requested_at": at,
            "correlation_id": "call-%s-%s-%s" % (row.export_type, date, at), "trigger": "cli",
            "options": dict(options)}
