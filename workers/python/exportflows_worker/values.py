"""The small named values a row's result carries for later rows (``values = { NAME = "result.a.b" }``).

Each PATH is read from the call's return value (a dict key or an attribute per segment; a missing one leaves the
value out), converted to JSON (dataclass -> dict, set -> sorted list, tuple -> list, date/datetime -> ISO text) and
the whole is bounded: at most MAX_VALUES_BYTES of compact UTF-8 JSON. Anything else is a ContractViolation.
"""

import dataclasses
import datetime
import json
import math
from typing import Any, Dict, Mapping

from .catalog import ExternalRow
from .errors import ContractViolation

MAX_VALUES_BYTES = 32768
_MISSING = object()


def extract_values(returned: Any, row: ExternalRow) -> Dict[str, Any]:
    """The row's declared values read from ``returned``, JSON-ready; absent ones left out."""
    found: Dict[str, Any] = {}
    for name, path in row.values.items():
        value = _follow(returned, path.split(".")[1:])
        if value is not _MISSING:
            found[name] = to_json(value, "%s value %s (%s)" % (row.export_type, name, path), row.export_type)
    size = len(json.dumps(found, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    if size > MAX_VALUES_BYTES:
        raise ContractViolation("%s: its values are %d bytes of JSON, more than the %d a result may carry (%s): "
                                "declare smaller values in the row" % (row.export_type, size, MAX_VALUES_BYTES,
                                                                       ", ".join(found)),
                                {"export_type": row.export_type, "values_bytes": size})
    return found


def _follow(value: Any, segments: list) -> Any:
    for segment in segments:
        if isinstance(value, Mapping):
            value = value.get(segment, _MISSING)
        else:
            value = getattr(value, segment, _MISSING)
        if value is _MISSING:
            return _MISSING
    return value


def to_json(value: Any, what: str, export_type: str) -> Any:
    """``value`` as JSON data, or ContractViolation naming ``what`` when it cannot be."""
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_json(dataclasses.asdict(value), what, export_type)
    elif isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    elif isinstance(value, (set, frozenset)):
        items = [to_json(item, what, export_type) for item in value]
        try:
            return sorted(items)
        except TypeError:
            return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    elif isinstance(value, (list, tuple)):
        return [to_json(item, what, export_type) for item in value]
    elif isinstance(value, Mapping):
        if all(isinstance(key, str) for key in value):
            return {key: to_json(item, what, export_type) for key, item in value.items()}
    raise ContractViolation("%s is %s (%r), which is not JSON: declare a value that is, or a part of it"
                            % (what, type(value).__name__, value)[:600], {"export_type": export_type})
