"""One external export, free of any Temporal SDK: validate, pre-flight, call the exporter, map the result."""

import logging
import time
from typing import Any, Callable, Dict, Optional

from . import preflight
from .contract import build_result, object_names, parse_request
from .errors import ExportError
from .exporters import OriginalExporters
from .failures import classify
from .heartbeat import DEFAULT_INTERVAL_SECONDS, Heartbeater

log = logging.getLogger(__name__)

DEFAULT_BUCKET = "nba-props-platform-api"


def run_export(raw: Any, *, expected_type: Optional[str], exporters: OriginalExporters,
               counts: preflight.CountsFn, heartbeat: Callable[[Dict[str, Any]], Any],
               heartbeat_interval: float = DEFAULT_INTERVAL_SECONDS, bucket: str = DEFAULT_BUCKET) -> Dict[str, Any]:
    """The contract's result for one request, or an ExportError whose type says whether a retry helps.

    Exceptions the contract has no type for (network, quota, a crash in the exporter) propagate unchanged and are
    retried by the caller's retry policy.
    """
    request = parse_request(raw, expected_type)
    spec = request.spec
    context = {"export_type": spec.export_type, "target_date": request.target_date,
               "correlation_id": request.correlation_id, "trigger": request.trigger}
    started = time.monotonic()
    with Heartbeater(heartbeat, heartbeat_interval, spec.export_type) as beats:
        beats.phase = "preflight"
        preflight.check(spec.export_type, request.target_date, counts)
        beats.phase = "export"
        log.info("export started: %s", spec.describe_call(), extra=context)
        try:
            call = exporters.bound_call(spec, request.call_values())
            returned = call()
        except Exception as error:
            mapped = classify(error, spec)
            if mapped is None:
                log.warning("export failed, retryable: %s: %s", type(error).__name__, error, extra=context)
                raise
            if not isinstance(error, ExportError):
                raise mapped from error
            raise
    names = object_names(returned, spec, bucket)
    reason = None if names else "%s.%s returned no paths: nothing was written" % (spec.class_name, spec.method)
    log.info("export finished: %d object(s) in %.1f s", len(names), time.monotonic() - started, extra=context)
    return build_result(spec.export_type, names, reason)
