"""The activity contract's result: what the exporter returned, as object names, or why nothing was written.

An original exporter returns one gs:// path (str), several (list), or named ones (dict, e.g. best-bets-record's
``{"record": …, "history": …}``). Each must lie under ``gs://<bucket>/v1/`` and its name, relative to the bucket,
must match one of the objects the catalog row declares; anything else is a ContractViolation. Nothing returned
(None, "", [], {}) or a skip the exporter announces becomes ``skipped_reason``. A result lists at most
MAX_LISTED_OBJECTS objects, and ``object_count`` (the total) when it lists fewer than were written, so no result
comes near Temporal's payload limit.
"""

import re
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence

from .catalog import ExternalRow
from .contract import json_kind
from .errors import ContractViolation

MAX_LISTED_OBJECTS = 1000
MAX_NOTE_LENGTH = 2000  # the contract's bound on a result's note
MAX_NAME_LENGTH = 1024  # GCS's own limit: 1,000 names of it stay near 1 MB, half the 2 MB payload limit
OBJECT_PREFIX = "v1/"
SKIPPED_REASON_KEY = "skipped_reason"

_OBJECT_NAME = re.compile(r"v1/[A-Za-z0-9._/-]+\.json")
# How the original's signal_best_bets_exporter says it published nothing:
# "signal-best-bets/2026-02-10.json (skipped — all games started)".
_ANNOUNCED_SKIP = re.compile(r"(?P<path>[^\s(]+) \(skipped\s*[—–-]+\s*(?P<reason>[^()]+)\)")


class Returned(NamedTuple):
    names: List[str]
    skipped_reason: Optional[str]


def read_returned(returned: Any, row: ExternalRow, bucket: str, date: str) -> Returned:
    """The object names of the path(s) ``returned`` (in the order given), or the reason nothing was written."""
    call = row.call.target
    announced = _announced_skip(returned, call, row.export_type)
    if announced is not None:
        return Returned([], announced)
    names = [_object_name(path, call, row, bucket, date) for path in _paths(returned, call, row.export_type)]
    if not names:
        return Returned([], "%s returned no paths: nothing was written" % call)
    return Returned(names, None)


def build_result(export_type: str, names: Sequence[str], skipped_reason: Optional[str] = None,
                 values: Optional[Mapping[str, Any]] = None, note: Optional[str] = None) -> Dict[str, Any]:
    """The activity's result: the objects written in order (size and generation unknown: the original exporters
    return only paths), at most MAX_LISTED_OBJECTS of them plus ``object_count`` beyond; or none and why; the
    row's ``values`` when it declares any (None: the key is left out); and a ``note`` for the report when there is
    one (a chained call's ``then`` not called), at most MAX_NOTE_LENGTH characters. A step's result has no objects
    and no skipped_reason."""
    listed = list(names[:MAX_LISTED_OBJECTS])
    result: Dict[str, Any] = {
        "export_type": export_type,
        "objects": [{"name": name, "bytes": None, "generation": None} for name in listed],
    }
    if len(names) > len(listed):
        result["object_count"] = len(names)
    result["skipped_reason"] = skipped_reason if not listed else None
    if values is not None:
        result["values"] = dict(values)
    if note is not None:
        result["note"] = note[:MAX_NOTE_LENGTH]
    return result


def _announced_skip(returned: Any, call: str, export_type: str) -> Optional[str]:
    if isinstance(returned, Mapping) and SKIPPED_REASON_KEY in returned:
        reason = returned[SKIPPED_REASON_KEY]
        others = [value for key, value in returned.items() if key != SKIPPED_REASON_KEY and value]
        if not isinstance(reason, str) or not reason.strip() or others:
            raise ContractViolation("%s returned %s=%r%s; a skip carries a non-empty reason and no paths"
                                    % (call, SKIPPED_REASON_KEY, reason, " beside paths" if others else ""),
                                    {"export_type": export_type})
        return reason
    if isinstance(returned, str) and not returned.startswith("gs://"):
        match = _ANNOUNCED_SKIP.fullmatch(returned.strip())
        if match:
            return "%s skipped %s: %s" % (call, match.group("path"), match.group("reason").strip())
    return None


def _paths(returned: Any, call: str, export_type: str) -> List[Any]:
    if returned is None or returned == "":
        return []
    if isinstance(returned, str):
        return [returned]
    if isinstance(returned, (list, tuple)):
        return list(returned)
    if isinstance(returned, Mapping):
        paths: List[Any] = []
        for key, value in returned.items():
            if isinstance(value, (list, tuple)):
                paths.extend(value)
            elif value is not None and value != "":
                paths.append(value)
        return paths
    raise ContractViolation("%s returned %s; the contract expects a gs:// path, a list of them or a dict of named "
                            "ones" % (call, json_kind(returned)), {"export_type": export_type})


def _object_name(path: Any, call: str, row: ExternalRow, bucket: str, date: str) -> str:
    root = "gs://%s/" % bucket
    details = {"export_type": row.export_type, "path": path}
    if not isinstance(path, str):
        raise ContractViolation("%s returned %s among its paths; each must be a gs:// path string"
                                % (call, json_kind(path)), {"export_type": row.export_type})
    name = path[len(root):] if path.startswith(root) else None
    if name is None or not name.startswith(OBJECT_PREFIX):
        raise ContractViolation("%s returned %r, which is outside %s%s (check EXPORTFLOWS_BUCKET and the exporter's "
                                "bucket)" % (call, path, root, OBJECT_PREFIX), details)
    if not _OBJECT_NAME.fullmatch(name) or any(segment in ("", ".", "..") for segment in name.split("/")):
        raise ContractViolation("%s returned %r, whose object name %r is not of the form v1/<path>.json (no empty, "
                                "'.' or '..' segment)" % (call, path, name), details)
    if len(name) > MAX_NAME_LENGTH:
        raise ContractViolation("%s returned an object name of %d characters (at most %d)"
                                % (call, len(name), MAX_NAME_LENGTH), {"export_type": row.export_type})
    if not any(pattern.matches(name, date) for pattern in row.objects):
        raise ContractViolation("%s returned %r, which matches none of the objects the catalog declares for %s (%s; "
                                "{date} = %s): declare it in the row or fix the exporter"
                                % (call, path, row.export_type, ", ".join(p.path for p in row.objects), date),
                                details)
    return name
