"""``python -m exportflows_worker [--check] [--catalog FILE]``: serve the catalog's external rows, or check their
exporters; ``python -m exportflows_worker call TYPE --date D``: run one row once, without Temporal (call_command)."""

import argparse
import logging
import os
import sys
from typing import List, Mapping, Optional

from . import logsetup
from .errors import SetupError
from .exporters import OriginalExporters
from .settings import VARIABLES, from_environment

log = logging.getLogger("exportflows_worker")

EXIT_CODES = """exit codes:
  0  serving stopped on SIGTERM/Ctrl+C; --check: every served exporter matches its catalog row
  1  --check: an exporter is missing or its signature does not take the row's call; serving: the Temporal server
     could not be reached or refused the connection
  2  bad configuration, nothing started: a variable, the catalog (file, key and line named), the original checkout,
     a missing dependency (temporalio, google-cloud-bigquery for the pre-flight)"""


def _parser() -> argparse.ArgumentParser:
    epilog = (EXIT_CODES + "\n\nenvironment variables:\n" + "\n".join("  %-34s %s" % item for item in VARIABLES)
              + "\n\nTry one external row once, without Temporal: python -m exportflows_worker call --help")
    parser = argparse.ArgumentParser(prog="python -m exportflows_worker", epilog=epilog,
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     description="Serve the external rows of the export catalog (ExportResults, "
                                                 "ExportBestBets, ...) with the original exporters, on one dynamic "
                                                 "activity per task queue.")
    parser.add_argument("--check", action="store_true",
                        help="import every served exporter, check its constructor and call signatures, and exit "
                             "(0 when all match)")
    parser.add_argument("--catalog", metavar="FILE",
                        help="the export catalog (default: $EXPORTFLOWS_CATALOG, else the repository's "
                             "catalog/exportflows.toml)")
    return parser


def main(argv: Optional[List[str]] = None, env: Optional[Mapping[str, str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    env = os.environ if env is None else env
    if argv[:1] == ["call"]:
        from .call_command import main as call_main  # noqa: PLC0415 - its own parser and help
        return call_main(argv[1:], env)
    args = _parser().parse_args(argv)
    logsetup.configure()
    try:
        settings = from_environment(env, args.catalog)
        exporters = OriginalExporters(settings.original_repo)
    except SetupError as error:
        print("exportflows-worker: %s" % error, file=sys.stderr)
        return 2
    if args.check:
        results = exporters.resolve_all(settings.rows)
        for row, result in zip(settings.rows, results):
            print("%-6s %-26s %s" % ("ok" if result.ok else "FAILED", row.activity, result.message))
            for warning in result.warnings:
                print("%-6s %-26s %s" % ("WARN", row.activity, warning))
        return 0 if all(result.ok for result in results) else 1
    try:
        from . import bigquery_counts, worker
    except ImportError as error:
        print("exportflows-worker: %s: install the worker's dependencies with pip install -r requirements.txt"
              % error, file=sys.stderr)
        return 2
    try:
        counts = bigquery_counts.counts_for(settings.rows, settings.bigquery_project)
    except SetupError as error:
        print("exportflows-worker: %s" % error, file=sys.stderr)
        return 2
    return worker.main(settings, exporters, counts)


if __name__ == "__main__":
    sys.exit(main())
