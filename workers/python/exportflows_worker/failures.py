"""Mapping an exporter's exception to the contract's error types."""

import re
from typing import Optional

from .catalog import ExternalRow
from .errors import ExportError, InvalidExportRequest, MissingTable

_MISSING_TABLE = re.compile(r"\b(table|dataset)\b", re.IGNORECASE)


def is_google_not_found(error: BaseException) -> bool:
    """``google.api_core.exceptions.NotFound`` (HTTP 404), recognised without importing google libraries."""
    return any(cls.__name__ == "NotFound" and cls.__module__.startswith("google.")
               for cls in type(error).__mro__)


def missing_table(error: BaseException, export_type: str) -> Optional[MissingTable]:
    """A MissingTable for a 404 of BigQuery on a table or dataset (e.g. "Not found: Table p:d.t"), else None."""
    if is_google_not_found(error) and _MISSING_TABLE.search(str(error)):
        return MissingTable("%s: a table the exporter reads does not exist: %s" % (export_type, error),
                            {"export_type": export_type})
    return None


def classify(error: BaseException, row: ExternalRow) -> Optional[ExportError]:
    """The contract error for an exception raised by an exporter; None means "retryable, re-raise as it is"."""
    if isinstance(error, ExportError):
        return error
    found = missing_table(error, row.export_type)
    if found is not None:
        return found
    if isinstance(error, (ValueError, TypeError)):
        return InvalidExportRequest("%s: %s refused the request: %s: %s"
                                    % (row.export_type, row.describe_call(), type(error).__name__, error),
                                    {"export_type": row.export_type, "exception": type(error).__name__})
    return None
