"""Temporal SDK glue: one activity per external type on one task queue, served by the SDK-free runner.

Written against the temporalio Python SDK (requirements.txt); synchronous activities on a thread pool because the
original exporters block.
"""

import asyncio
import logging
import signal
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any, Callable, Dict, List, Optional, Union

from temporalio import activity
from temporalio.client import Client, TLSConfig
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from .catalog import ACTIVITY_NAMES
from .errors import ExportError
from .exporters import OriginalExporters
from .heartbeat import interval_for
from .preflight import CountsFn
from .runner import run_export
from .settings import Settings

log = logging.getLogger(__name__)

GRACEFUL_SHUTDOWN = timedelta(seconds=30)


def to_application_error(error: ExportError) -> ApplicationError:
    """The contract's failure: the type names the problem, non_retryable says whether a retry can help."""
    return ApplicationError(error.message, error.details, type=error.error_type, non_retryable=error.non_retryable)


def make_activity(export_type: str, exporters: OriginalExporters, counts: CountsFn,
                  settings: Settings) -> Callable[[Dict[str, Any]], Dict[str, Any]]:
    @activity.defn(name=ACTIVITY_NAMES[export_type])
    def export(request: Dict[str, Any]) -> Dict[str, Any]:
        info = activity.info()
        timeout = info.heartbeat_timeout.total_seconds() if info.heartbeat_timeout else None
        try:
            return run_export(request, expected_type=export_type, exporters=exporters, counts=counts,
                              heartbeat=activity.heartbeat,
                              heartbeat_interval=interval_for(settings.heartbeat_seconds, timeout),
                              bucket=settings.bucket)
        except ExportError as error:
            log.warning("export failed: %s", error.message,
                        extra={"export_type": export_type, "error_type": error.error_type,
                               "non_retryable": error.non_retryable, "attempt": info.attempt,
                               "workflow_id": info.workflow_id})
            raise to_application_error(error) from None

    return export


def _read(path: Optional[str]) -> Optional[bytes]:
    if path is None:
        return None
    with open(path, "rb") as handle:
        return handle.read()


async def connect(settings: Settings) -> Client:
    tls: Union[bool, TLSConfig] = settings.tls
    if settings.client_cert_path or settings.server_ca_cert_path or settings.server_name:
        tls = TLSConfig(client_cert=_read(settings.client_cert_path),
                        client_private_key=_read(settings.client_key_path),
                        server_root_ca_cert=_read(settings.server_ca_cert_path),
                        domain=settings.server_name)
    return await Client.connect(settings.address, namespace=settings.namespace, api_key=settings.api_key, tls=tls)


async def serve(settings: Settings, exporters: OriginalExporters, counts: CountsFn,
                stop: Optional[asyncio.Event] = None) -> None:
    """Polls until ``stop`` is set (by default: on SIGINT or SIGTERM), then shuts down gracefully."""
    client = await connect(settings)
    activities: List[Callable[..., Any]] = [make_activity(t, exporters, counts, settings) for t in settings.types]
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, stop.set)
            except (NotImplementedError, RuntimeError):
                pass  # Windows: Ctrl+C still raises KeyboardInterrupt
    with ThreadPoolExecutor(max_workers=settings.max_concurrent, thread_name_prefix="export") as executor:
        worker = Worker(client, task_queue=settings.task_queue, activities=activities, activity_executor=executor,
                        max_concurrent_activities=settings.max_concurrent,
                        graceful_shutdown_timeout=GRACEFUL_SHUTDOWN)
        async with worker:
            log.info("worker polling", extra={"task_queue": settings.task_queue, "namespace": settings.namespace,
                                              "address": settings.address,
                                              "activities": [ACTIVITY_NAMES[t] for t in settings.types]})
            await stop.wait()
            log.info("stopping: running exports get %d s to finish", GRACEFUL_SHUTDOWN.total_seconds())


def main(settings: Settings, exporters: OriginalExporters, counts: CountsFn) -> int:
    try:
        asyncio.run(serve(settings, exporters, counts))
    except KeyboardInterrupt:
        pass
    except RuntimeError as error:  # the SDK reports an unreachable or refusing server as RuntimeError
        log.error("cannot serve %s at %s (namespace %s): %s", settings.task_queue, settings.address,
                  settings.namespace, error)
        return 1
    return 0
