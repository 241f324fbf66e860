"""Temporal SDK glue: one dynamic activity per task queue, serving the catalog's external rows with the SDK-free runner.

Written against the temporalio Python SDK (requirements.txt); synchronous activities on a thread pool because the
original exporters block. The activity is dynamic (``@activity.defn(dynamic=True)``): the SDK hands it every activity
type not registered by name, and that type (``ExportCalendar``) names the catalog row, so a new row needs no code.
"""

import asyncio
import collections.abc
import contextlib
import logging
import signal
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any, AsyncIterator, Callable, Dict, Optional, Sequence, Union

from temporalio import activity
from temporalio.client import Client, TLSConfig
from temporalio.common import RawValue
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from .catalog import ExternalRow
from .errors import ExportError, InvalidExportRequest
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


class UnservedActivity(Exception):
    """An activity type with no row on this queue in this worker's catalog. Retryable, as the SDK's own answer for
    an unregistered activity: another worker of the queue, or this one restarted with the newer catalog, serves it."""


def make_activity(rows: Sequence[ExternalRow], task_queue: str, exporters: OriginalExporters, counts: CountsFn,
                  settings: Settings) -> Callable[..., Dict[str, Any]]:
    """The dynamic activity of one task queue: the activity type picks the row among ``rows``."""
    by_activity = {row.activity: row for row in rows}

    # The SDK requires exactly this parameter type of a dynamic activity (collections.abc's Sequence since 1.21).
    @activity.defn(dynamic=True)
    def export(args: collections.abc.Sequence[RawValue]) -> Dict[str, Any]:
        info = activity.info()
        row = by_activity.get(info.activity_type)
        if row is None:
            raise UnservedActivity("%s is not served on task queue %s by this worker (catalog %s; it serves %s): "
                                   "restart it with a catalog that has the row, or check the row's task_queue"
                                   % (info.activity_type, task_queue, settings.catalog.path, ", ".join(by_activity)))
        timeout = info.heartbeat_timeout.total_seconds() if info.heartbeat_timeout else None
        try:
            return run_export(_request(args), catalog=settings.catalog, expected_type=row.export_type,
                              exporters=exporters, counts=counts, heartbeat=activity.heartbeat,
                              heartbeat_interval=interval_for(settings.heartbeat_seconds, timeout),
                              bucket=settings.bucket)
        except ExportError as error:
            log.warning("export failed: %s", error.message,
                        extra={"export_type": row.export_type, "error_type": error.error_type,
                               "non_retryable": error.non_retryable, "attempt": info.attempt,
                               "workflow_id": info.workflow_id})
            raise to_application_error(error) from None

    return export


def _request(args: Sequence[RawValue]) -> Any:
    """The activity's one argument, decoded by the worker's payload converter (JSON for every SDK's default)."""
    if len(args) != 1:
        raise InvalidExportRequest("an export activity takes one argument, the request object; it got %d" % len(args))
    try:
        return activity.payload_converter().from_payload(args[0].payload)
    except Exception as error:
        raise InvalidExportRequest("the activity's argument cannot be decoded: %s: %s"
                                   % (type(error).__name__, error)) from None


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
    """Polls every task queue of the served rows until ``stop`` is set (by default: on SIGINT or SIGTERM), then
    shuts down gracefully. Each queue has its own worker and its own EXPORTFLOWS_MAX_CONCURRENT threads."""
    client = await connect(settings)
    queues = settings.queues()
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, stop.set)
            except (NotImplementedError, RuntimeError):
                pass  # Windows: Ctrl+C still raises KeyboardInterrupt
    with contextlib.ExitStack() as executors:
        workers = []
        for queue, rows in queues.items():
            executor = executors.enter_context(ThreadPoolExecutor(max_workers=settings.max_concurrent,
                                                                  thread_name_prefix="export"))
            workers.append(Worker(client, task_queue=queue,
                                  activities=[make_activity(rows, queue, exporters, counts, settings)],
                                  activity_executor=executor, max_concurrent_activities=settings.max_concurrent,
                                  graceful_shutdown_timeout=GRACEFUL_SHUTDOWN))
        async with _running(workers):
            for queue, rows in queues.items():
                log.info("worker polling", extra={"task_queue": queue, "namespace": settings.namespace,
                                                  "address": settings.address, "catalog": settings.catalog.path,
                                                  "activities": [row.activity for row in rows]})
            await stop.wait()
            log.info("stopping: running exports get %d s to finish", GRACEFUL_SHUTDOWN.total_seconds())


@contextlib.asynccontextmanager
async def _running(workers: Sequence[Worker]) -> AsyncIterator[None]:
    """Runs the workers; on the way out all shut down at once, so every queue's exports get the same grace period."""
    started = []
    try:
        for worker in workers:
            await worker.__aenter__()
            started.append(worker)
        yield
    finally:
        await asyncio.gather(*(worker.__aexit__(None, None, None) for worker in started))


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
