"""Failures of an export, typed by whether a retry can help (the contract's error types)."""

from typing import Any, Dict, Optional


class SetupError(Exception):
    """The worker cannot start as configured (exit 2 with this message)."""


class ExportError(Exception):
    """A failure the activity reports as an application error of type ``error_type``."""

    error_type = "ExportError"
    non_retryable = True

    def __init__(self, message: str, details: Optional[Dict[str, Any]] = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = dict(details or {})


class InvalidExportRequest(ExportError):
    """The request can never succeed as sent (malformed input, a type this worker does not serve)."""

    error_type = "InvalidExportRequest"
    non_retryable = True


class MissingTable(ExportError):
    """A warehouse table or dataset the exporter reads does not exist."""

    error_type = "MissingTable"
    non_retryable = True


class ContractViolation(ExportError):
    """The exporter (or its installation) does not behave as the contract says, e.g. a path outside the bucket."""

    error_type = "ContractViolation"
    non_retryable = True


class NotReady(ExportError):
    """The data the export needs is not there yet; retried with backoff until the schedule-to-close timeout."""

    error_type = "NotReady"
    non_retryable = False


class MissingValue(ExportError):
    """A value argument with neither default nor optional whose producer gave no value (the workflow reports such a
    row not run before starting it; the worker refuses it if it ever gets one)."""

    error_type = "MissingValue"
    non_retryable = True


ERROR_TYPES = (InvalidExportRequest, MissingTable, ContractViolation, NotReady, MissingValue)
