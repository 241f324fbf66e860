"""Heartbeats while a blocking exporter runs.

The original exporters are plain blocking calls that take from seconds to ~10 minutes (tonight-players for a full
slate), so a background thread ticks every few seconds; without ticks the server notices a dead worker only at the
start-to-close timeout. The thread runs in a copy of the caller's context (contextvars), which is where an SDK keeps
the current activity: ``activity.heartbeat`` works from it as from the activity's own thread.
"""

import contextvars
import logging
import threading
import time
from typing import Any, Callable, Dict, Optional

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_SECONDS = 5.0


def interval_for(configured_seconds: float, heartbeat_timeout_seconds: Optional[float]) -> float:
    """The tick interval: the configured one, but at most a third of the activity's heartbeat timeout."""
    if heartbeat_timeout_seconds and heartbeat_timeout_seconds > 0:
        return max(0.01, min(configured_seconds, heartbeat_timeout_seconds / 3.0))
    return configured_seconds


class Heartbeater:
    """Context manager: calls ``beat(details)`` at once and then every ``interval`` seconds until the block ends.

    ``details`` holds the export type, the phase (pre-flight, export) and the seconds elapsed. A failing beat is
    logged and the export goes on (the server decides about timeouts).
    """

    def __init__(self, beat: Callable[[Dict[str, Any]], Any], interval: float, export_type: str,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if interval <= 0:
            raise ValueError("heartbeat interval must be positive, got %r" % interval)
        self._beat = beat
        self._interval = interval
        self._export_type = export_type
        self._clock = clock
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._started = 0.0
        self.phase = "starting"
        self.ticks = 0

    def __enter__(self) -> "Heartbeater":
        self._started = self._clock()
        context = contextvars.copy_context()
        self._thread = threading.Thread(target=context.run, args=(self._run,), daemon=True,
                                        name="heartbeat-" + self._export_type)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=max(1.0, self._interval * 2))

    def _run(self) -> None:
        while True:
            self._tick()
            if self._stop.wait(self._interval):
                return

    def _tick(self) -> None:
        details = {"export_type": self._export_type, "phase": self.phase,
                   "elapsed_seconds": round(self._clock() - self._started, 1)}
        try:
            self._beat(details)
            self.ticks += 1
        except Exception as error:  # a heartbeat must never break the export it reports on
            log.warning("heartbeat failed", extra={"export_type": self._export_type, "error": repr(error)})
