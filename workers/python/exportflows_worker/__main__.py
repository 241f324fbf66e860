"""``python -m exportflows_worker [--check]``: serve the external export activities, or check the exporters."""

import argparse
import logging
import os
import sys
from typing import List, Mapping, Optional

from . import logsetup
from .catalog import ACTIVITY_NAMES, BY_TYPE
from .exporters import OriginalExporters, SetupError
from .preflight import needs_preflight
from .settings import VARIABLES, from_environment

log = logging.getLogger("exportflows_worker")


def _parser() -> argparse.ArgumentParser:
    epilog = "environment variables:\n" + "\n".join("  %-34s %s" % item for item in VARIABLES)
    parser = argparse.ArgumentParser(prog="python -m exportflows_worker", epilog=epilog,
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     description="Serve ExportFlows' external export activities (ExportResults, "
                                                 "ExportBestBets, ...) with the original exporters.")
    parser.add_argument("--check", action="store_true",
                        help="import every served exporter, check its constructor and call signatures, and exit "
                             "(0 when all match)")
    return parser


def main(argv: Optional[List[str]] = None, env: Optional[Mapping[str, str]] = None) -> int:
    args = _parser().parse_args(argv)
    logsetup.configure()
    try:
        settings = from_environment(os.environ if env is None else env)
        exporters = OriginalExporters(settings.original_repo)
    except SetupError as error:
        print("exportflows-worker: %s" % error, file=sys.stderr)
        return 2
    if args.check:
        results = exporters.resolve_all([BY_TYPE[t] for t in settings.types])
        for result in results:
            print("%-6s %-26s %s" % ("ok" if result.ok else "FAILED", ACTIVITY_NAMES[result.export_type],
                                     result.message))
        return 0 if all(result.ok for result in results) else 1
    try:
        from . import bigquery_counts, worker
    except ImportError as error:
        print("exportflows-worker: %s: install the worker's dependencies with pip install -r requirements.txt"
              % error, file=sys.stderr)
        return 2
    counts = _unused_counts
    if any(needs_preflight(t) for t in settings.types):
        try:
            counts = bigquery_counts.make_counts(settings.bigquery_project)
        except Exception as error:  # ImportError, or no Google credentials on this machine
            print("exportflows-worker: cannot create the BigQuery client of the pre-flight (project %s): %s: %s"
                  % (settings.bigquery_project, type(error).__name__, error), file=sys.stderr)
            return 2
    return worker.main(settings, exporters, counts)


def _unused_counts(target_date: str):
    raise AssertionError("no served type needs the pre-flight")


if __name__ == "__main__":
    sys.exit(main())
