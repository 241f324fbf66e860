"""The activity contract: validating the input, turning the exporter's gs:// paths into the result's objects.

The rules are those of contracts/external-export/input.schema.json and output.schema.json (the tests check the
two agree), plus what a schema cannot say: a real calendar date, a type this worker serves, options per type.
"""

import datetime
import re
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence

from .catalog import BY_TYPE, DEFAULT_MIN_GAMES, EXTERNAL_TYPES, NATIVE_TYPES, ExporterSpec
from .errors import ContractViolation, InvalidExportRequest

INPUT_FIELDS = ("export_type", "target_date", "update_latest", "requested_at", "correlation_id", "trigger", "options")
OPTION_FIELDS = ("min_games",)
MIN_GAMES_RANGE = (1, 82)

_TYPE = re.compile(r"[a-z]+(-[a-z]+)*")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INSTANT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(\.[0-9]{1,7})?(Z|\+00:00)")
_TRIGGER = re.compile(r"[a-z][a-z0-9-]{0,39}")
_OBJECT_NAME = re.compile(r"v1/[A-Za-z0-9._/-]+\.json")

OBJECT_PREFIX = "v1/"


class ExportRequest(NamedTuple):
    export_type: str
    target_date: str
    update_latest: bool
    requested_at: str
    correlation_id: str
    trigger: str
    min_games: Optional[int]

    @property
    def spec(self) -> ExporterSpec:
        return BY_TYPE[self.export_type]

    def call_values(self) -> Dict[str, Any]:
        return {"target_date": self.target_date, "update_latest": self.update_latest, "min_games": self.min_games}


def parse_request(raw: Any, expected_type: Optional[str] = None) -> ExportRequest:
    """The validated request, or InvalidExportRequest listing every problem found.

    ``expected_type`` is the type the activity serves (ExportResults serves results): another type is refused.
    """
    if not isinstance(raw, Mapping):
        raise InvalidExportRequest("invalid export request: expected a JSON object with the fields %s, got %s"
                                   % (", ".join(INPUT_FIELDS), _json_kind(raw)))
    problems: List[str] = []
    missing = [name for name in INPUT_FIELDS if name not in raw]
    if missing:
        problems.append("missing field(s) %s" % ", ".join(missing))
    unknown = sorted(str(name) for name in raw if name not in INPUT_FIELDS)
    if unknown:
        problems.append("unknown field(s) %s (the contract's fields are %s)" % (", ".join(unknown), ", ".join(INPUT_FIELDS)))

    export_type = _string(raw, "export_type", _TYPE, "a lowercase type such as results or tonight-players", problems)
    target_date = _string(raw, "target_date", _DATE, "a date YYYY-MM-DD", problems)
    if target_date is not None and not _is_calendar_date(target_date):
        problems.append("target_date %r is not a calendar date (YYYY-MM-DD)" % target_date)
    update_latest = raw.get("update_latest")
    if "update_latest" in raw and not isinstance(update_latest, bool):
        problems.append("update_latest must be true or false, got %s" % _json_kind(update_latest))
    requested_at = _string(raw, "requested_at", _INSTANT, "an ISO-8601 UTC instant such as 2026-02-11T10:00:00Z", problems)
    if requested_at is not None and not _is_instant(requested_at):
        problems.append("requested_at %r is not a real instant" % requested_at)
    correlation_id = raw.get("correlation_id")
    if "correlation_id" in raw and (not isinstance(correlation_id, str) or not 1 <= len(correlation_id) <= 200):
        problems.append("correlation_id must be a string of 1 to 200 characters")
    trigger = _string(raw, "trigger", _TRIGGER, "a short lowercase word such as schedule or manual", problems)
    min_games = _options(raw, problems)

    if export_type is not None:
        problems.extend(_type_problems(export_type, expected_type, min_games))
    if problems:
        raise InvalidExportRequest("invalid export request: " + "; ".join(problems),
                                   {"problems": problems, "export_type": export_type})
    if export_type == "player-profiles" and min_games is None:
        min_games = DEFAULT_MIN_GAMES
    return ExportRequest(export_type, target_date, update_latest, requested_at, correlation_id, trigger, min_games)


def _type_problems(export_type: str, expected_type: Optional[str], min_games: Optional[int]) -> List[str]:
    if export_type not in BY_TYPE:
        served = ", ".join(EXTERNAL_TYPES)
        if export_type in NATIVE_TYPES:
            return ["export_type %r is exported natively by ExportFlows, not by this worker (it serves %s)"
                    % (export_type, served)]
        return ["export_type %r is not an external export type (this worker serves %s)" % (export_type, served)]
    problems = []
    if expected_type is not None and export_type != expected_type:
        problems.append("export_type %r was sent to the activity of %r" % (export_type, expected_type))
    if min_games is not None and export_type != "player-profiles":
        problems.append("options.min_games applies to player-profiles only; send options {} for %s" % export_type)
    return problems


def _string(raw: Mapping, name: str, pattern, expected: str, problems: List[str]) -> Optional[str]:
    if name not in raw:
        return None
    value = raw[name]
    if not isinstance(value, str):
        problems.append("%s must be a string (%s), got %s" % (name, expected, _json_kind(value)))
        return None
    if not pattern.fullmatch(value):
        problems.append("%s %r is not %s" % (name, value, expected))
        return None
    return value


def _options(raw: Mapping, problems: List[str]) -> Optional[int]:
    if "options" not in raw:
        return None
    options = raw["options"]
    if not isinstance(options, Mapping):
        problems.append("options must be an object ({} or {\"min_games\": 5}), got %s" % _json_kind(options))
        return None
    unknown = sorted(str(name) for name in options if name not in OPTION_FIELDS)
    if unknown:
        problems.append("unknown option(s) %s (the only option is min_games, for player-profiles)" % ", ".join(unknown))
    if "min_games" not in options:
        return None
    value = options["min_games"]
    low, high = MIN_GAMES_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.append("options.min_games must be an integer from %d to %d, got %r" % (low, high, value))
        return None
    return value


def _is_calendar_date(text: str) -> bool:
    try:
        datetime.date(int(text[0:4]), int(text[5:7]), int(text[8:10]))
        return True
    except ValueError:
        return False


def _is_instant(text: str) -> bool:
    match = _INSTANT.fullmatch(text)
    try:
        datetime.datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S")
        return True
    except ValueError:
        return False


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def object_names(returned: Any, spec: ExporterSpec, bucket: str) -> List[str]:
    """The object names (relative to the bucket) of the gs:// path(s) an exporter returned.

    A multi-object exporter returns a list, every other one a string (None: it wrote nothing). Anything else, or a
    path outside ``gs://<bucket>/v1/``, is a ContractViolation: the exporter and this worker disagree.
    """
    call = "%s.%s" % (spec.class_name, spec.method)
    if returned is None:
        return []
    if spec.multi_object:
        if isinstance(returned, (str, bytes)) or not isinstance(returned, Sequence):
            raise ContractViolation("%s returned %s; the contract expects a list of gs:// paths"
                                    % (call, _json_kind(returned)), {"export_type": spec.export_type})
        paths: Sequence[Any] = returned
    else:
        if not isinstance(returned, str):
            raise ContractViolation("%s returned %s; the contract expects one gs:// path"
                                    % (call, _json_kind(returned)), {"export_type": spec.export_type})
        paths = [returned]
    return [_object_name(path, call, spec.export_type, bucket) for path in paths]


def _object_name(path: Any, call: str, export_type: str, bucket: str) -> str:
    root = "gs://%s/" % bucket
    if not isinstance(path, str):
        raise ContractViolation("%s returned %s among its paths; each must be a gs:// path string"
                                % (call, _json_kind(path)), {"export_type": export_type})
    name = path[len(root):] if path.startswith(root) else None
    if name is None or not name.startswith(OBJECT_PREFIX):
        raise ContractViolation("%s returned %r, which is outside %s%s (check EXPORTFLOWS_BUCKET and the exporter's "
                                "bucket)" % (call, path, root, OBJECT_PREFIX), {"export_type": export_type, "path": path})
    segments = name.split("/")
    if not _OBJECT_NAME.fullmatch(name) or any(segment in ("", ".", "..") for segment in segments):
        raise ContractViolation("%s returned %r, whose object name %r is not of the form v1/<path>.json"
                                % (call, path, name), {"export_type": export_type, "path": path})
    return name


def build_result(export_type: str, names: Sequence[str], skipped_reason: Optional[str] = None) -> Dict[str, Any]:
    """The activity's result: every object written in order (size and generation unknown: the original exporters
    return only paths), or none and why."""
    return {
        "export_type": export_type,
        "objects": [{"name": name, "bytes": None, "generation": None} for name in names],
        "skipped_reason": skipped_reason if not names else None,
    }
