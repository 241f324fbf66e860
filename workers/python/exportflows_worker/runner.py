"""One external export, free of any Temporal SDK: validate, pre-flight, call the exporter, map the result."""

import logging
import time
from typing import Any, Callable, Dict, Optional

from . import preflight
from .catalog import Catalog
from .contract import parse_request
from .errors import ExportError
from .exporters import OriginalExporters
from .failures import classify
from .heartbeat import DEFAULT_INTERVAL_SECONDS, Heartbeater
from .results import build_result, read_returned
from .values import extract_values

log = logging.getLogger(__name__)

DEFAULT_BUCKET = "nba-props-platform-api"


def run_export(raw: Any, *, catalog: Catalog, expected_type: Optional[str], exporters: OriginalExporters,
               counts: preflight.CountsFn, heartbeat: Callable[[Dict[str, Any]], Any],
               heartbeat_interval: float = DEFAULT_INTERVAL_SECONDS, bucket: str = DEFAULT_BUCKET,
               run_preflight: bool = True) -> Dict[str, Any]:
    """The contract's result for one request, or an ExportError whose type says whether a retry helps.

    ``run_preflight=False`` leaves out the pre-flight of a ``preflight = true`` row (the call command's choice).

    Exceptions the contract has no type for (network, quota, a crash in the exporter) propagate unchanged and are
    retried by the caller's retry policy.
    """
    request = parse_request(raw, catalog, expected_type)
    row = request.row
    context = {"export_type": row.export_type, "target_date": request.target_date,
               "correlation_id": request.correlation_id, "trigger": request.trigger}
    started = time.monotonic()
    with Heartbeater(heartbeat, heartbeat_interval, row.export_type) as beats:
        if row.preflight and run_preflight:
            beats.phase = "preflight"
            preflight.check(row.export_type, request.target_date, counts)
        beats.phase = "export"
        log.info("export started: %s", row.describe_call(), extra=context)
        try:
            run = dict(request.run)
            run.setdefault("started_at", request.requested_at)  # an input without run: the request's clock
            resolver = exporters.resolver(row, request.call_values(), request.values, run)
            called = exporters.bound_call(row, resolver)()
            returned = called.returned
        except Exception as error:
            mapped = classify(error, row)
            if mapped is None:
                log.warning("export failed, retryable: %s: %s", type(error).__name__, error, extra=context)
                raise
            if not isinstance(error, ExportError):
                raise mapped from error
            raise
    values = extract_values(returned, row)
    noted = "" if called.note is None else "; " + called.note
    if row.step:  # a step writes no document: its return value is not paths
        log.info("step finished in %.1f s, values: %s%s", time.monotonic() - started, ", ".join(values) or "none",
                 noted, extra=context)
        return build_result(row.export_type, [], None, values if row.values else None, called.note)
    outcome = read_returned(returned, row, bucket, request.target_date)
    log.info("export finished: %d object(s) in %.1f s%s%s", len(outcome.names), time.monotonic() - started,
             "" if outcome.skipped_reason is None else ", skipped: " + outcome.skipped_reason, noted, extra=context)
    return build_result(row.export_type, outcome.names, outcome.skipped_reason, values if row.values else None,
                        called.note)
