"""The activity contract's input: validating a request against input.schema.json and the catalog's row.

The rules are those of contracts/external-export/input.schema.json (the tests check the two agree), plus what a
schema cannot say: a real calendar date, a type the catalog makes external, the options its row declares.
"""

import datetime
import re
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Tuple

from .catalog import NATIVE_EXTRAS, Catalog, ExternalRow
from .errors import InvalidExportRequest

INPUT_FIELDS = ("export_type", "target_date", "update_latest", "requested_at", "correlation_id", "trigger", "options")
# Optional fields of the graph (issue 26): the values of the row's direct dependencies, and the run.
OPTIONAL_INPUT_FIELDS = ("values", "run")
RUN_FIELDS = ("started_at", "workflow_id")

_TYPE = re.compile(r"[a-z]+(-[a-z]+)*")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INSTANT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(\.[0-9]{1,7})?(Z|\+00:00)")
_TRIGGER = re.compile(r"[a-z][a-z0-9-]{0,39}")
_VALUE_NAME = re.compile(r"[a-z][a-z0-9_]*")


class ExportRequest(NamedTuple):
    row: ExternalRow
    target_date: str
    update_latest: bool
    requested_at: str
    correlation_id: str
    trigger: str
    options: Mapping[str, Any]  # the row's declared options, defaults filled in
    extras: Mapping[str, Any]  # native extras sent (as_of, force, allow_empty): accepted, passed to no call
    values: Mapping[str, Mapping[str, Any]] = {}  # row -> name -> JSON: the direct dependencies' values, as received
    run: Mapping[str, str] = {}  # started_at, workflow_id (when sent)

    @property
    def export_type(self) -> str:
        return self.row.export_type

    def call_values(self) -> Dict[str, Any]:
        """What a call's arguments may name: the request's values and the row's options."""
        values = {"target_date": self.target_date, "update_latest": self.update_latest,
                  "requested_at": self.requested_at, "correlation_id": self.correlation_id, "trigger": self.trigger}
        values.update(self.options)
        return values


def parse_request(raw: Any, catalog: Catalog, expected_type: Optional[str] = None) -> ExportRequest:
    """The validated request, or InvalidExportRequest listing every problem found.

    ``expected_type`` is the type the activity serves (ExportResults serves results): another type is refused.
    """
    if not isinstance(raw, Mapping):
        raise InvalidExportRequest("invalid export request: expected a JSON object with the fields %s, got %s"
                                   % (", ".join(INPUT_FIELDS), json_kind(raw)))
    problems: List[str] = []
    missing = [name for name in INPUT_FIELDS if name not in raw]
    if missing:
        problems.append("missing field(s) %s" % ", ".join(missing))
    unknown = sorted(str(name) for name in raw if name not in INPUT_FIELDS + OPTIONAL_INPUT_FIELDS)
    if unknown:
        problems.append("unknown field(s) %s (the contract's fields are %s)"
                        % (", ".join(unknown), ", ".join(INPUT_FIELDS + OPTIONAL_INPUT_FIELDS)))

    export_type = _string(raw, "export_type", _TYPE, "a lowercase type such as results or tonight-players", problems)
    target_date = _string(raw, "target_date", _DATE, "a date YYYY-MM-DD", problems)
    if target_date is not None and not _is_calendar_date(target_date):
        problems.append("target_date %r is not a calendar date (YYYY-MM-DD)" % target_date)
    update_latest = raw.get("update_latest")
    if "update_latest" in raw and not isinstance(update_latest, bool):
        problems.append("update_latest must be true or false, got %s" % json_kind(update_latest))
    requested_at = _string(raw, "requested_at", _INSTANT, "an ISO-8601 UTC instant such as 2026-02-11T10:00:00Z", problems)
    if requested_at is not None and not _is_instant(requested_at):
        problems.append("requested_at %r is not a real instant" % requested_at)
    correlation_id = raw.get("correlation_id")
    if "correlation_id" in raw and (not isinstance(correlation_id, str) or not 1 <= len(correlation_id) <= 200):
        problems.append("correlation_id must be a string of 1 to 200 characters")
    trigger = _string(raw, "trigger", _TRIGGER, "a short lowercase word such as schedule or manual", problems)

    row = _row(export_type, expected_type, catalog, problems) if export_type is not None else None
    options, extras = _options(raw, row, catalog, problems)
    values = _values(raw.get("values", {}), problems)
    run = _run(raw.get("run", {}), problems)
    if problems:
        raise InvalidExportRequest("invalid export request: " + "; ".join(problems),
                                   {"problems": problems, "export_type": export_type})
    return ExportRequest(row, target_date, update_latest, requested_at, correlation_id, trigger, options, extras,
                         values, run)


def _values(values: Any, problems: List[str]) -> Dict[str, Dict[str, Any]]:
    """``values``: { "<row>": { "<name>": <json> } }."""
    if not isinstance(values, Mapping) or not all(
            isinstance(row, str) and _TYPE.fullmatch(row) and isinstance(named, Mapping)
            and all(isinstance(name, str) and _VALUE_NAME.fullmatch(name) for name in named)
            for row, named in values.items()):
        problems.append("values must be an object { \"<row>\": { \"<name>\": <json> } } (rows lowercase words joined "
                        "by '-', names lowercase identifiers), got %s" % json_kind(values))
        return {}
    return {row: dict(named) for row, named in values.items()}


def _run(run: Any, problems: List[str]) -> Dict[str, str]:
    """``run``: { "started_at": "<instant>", "workflow_id": "<id>" }, both optional."""
    if not isinstance(run, Mapping):
        problems.append("run must be an object {\"started_at\": …, \"workflow_id\": …}, got %s" % json_kind(run))
        return {}
    unknown = sorted(str(name) for name in run if name not in RUN_FIELDS)
    if unknown:
        problems.append("unknown run field(s) %s (run has %s)" % (", ".join(unknown), ", ".join(RUN_FIELDS)))
    started_at = _string(run, "started_at", _INSTANT, "an ISO-8601 UTC instant such as "
                                                      "2026-02-03T18:00:00.000000+00:00", problems)
    if started_at is not None and not _is_instant(started_at):
        problems.append("run.started_at %r is not a real instant" % started_at)
    workflow_id = run.get("workflow_id")
    if "workflow_id" in run and (not isinstance(workflow_id, str) or not 1 <= len(workflow_id) <= 1000):
        problems.append("run.workflow_id must be a string of 1 to 1000 characters")
    return {name: run[name] for name in RUN_FIELDS if isinstance(run.get(name), str)}


def _row(export_type: str, expected_type: Optional[str], catalog: Catalog,
         problems: List[str]) -> Optional[ExternalRow]:
    row = catalog.external.get(export_type)
    if row is None:
        served = ", ".join(catalog.external_types)
        if export_type in catalog.native:
            problems.append("export_type %r is exported natively by ExportFlows, not by this worker (its catalog %s "
                            "makes external %s)" % (export_type, catalog.path, served))
        else:
            problems.append("export_type %r is not an external export type of the catalog %s (external: %s)"
                            % (export_type, catalog.path, served))
    elif expected_type is not None and export_type != expected_type:
        problems.append("export_type %r was sent to the activity of %r" % (export_type, expected_type))
    return row


def _string(raw: Mapping, name: str, pattern, expected: str, problems: List[str]) -> Optional[str]:
    if name not in raw:
        return None
    value = raw[name]
    if not isinstance(value, str):
        problems.append("%s must be a string (%s), got %s" % (name, expected, json_kind(value)))
        return None
    if not pattern.fullmatch(value):
        problems.append("%s %r is not %s" % (name, value, expected))
        return None
    return value


def _options(raw: Mapping, row: Optional[ExternalRow], catalog: Catalog,
             problems: List[str]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """The row's declared options (defaults filled in) and the native extras sent."""
    options = raw.get("options", {})
    if not isinstance(options, Mapping):
        problems.append("options must be an object ({} or the row's options, e.g. {\"min_games\": 5}), got %s"
                        % json_kind(options))
        return {}, {}
    extras = {name: options[name] for name in NATIVE_EXTRAS if name in options}
    problems.extend(_extra_problems(extras))
    if row is None:
        return {}, extras
    declared = row.options
    unknown = sorted(str(name) for name in options if name not in declared and name not in NATIVE_EXTRAS)
    if unknown:
        elsewhere = sorted({"%s (declared by %s)" % (name, other.export_type) for name in unknown
                            for other in catalog.external.values() if name in other.options})
        problems.append("unknown option(s) %s for %s (it declares %s; every type also takes %s)%s"
                        % (", ".join(unknown), row.export_type, ", ".join(declared) or "none",
                           ", ".join(NATIVE_EXTRAS), ": " + ", ".join(elsewhere) if elsewhere else ""))
    chosen = {}
    for name, spec in declared.items():
        if name in options:
            problem = spec.problem(options[name])
            if problem is not None:
                problems.append(problem)
                continue
            chosen[name] = options[name]
        elif spec.default is not None:
            chosen[name] = spec.default
        elif name in row.call.value_names():
            problems.append("options.%s is required by the call of %s (its catalog row gives no default)"
                            % (name, row.export_type))
    return chosen, extras


def _extra_problems(extras: Mapping[str, Any]) -> List[str]:
    problems = []
    if "as_of" in extras and not (isinstance(extras["as_of"], str) and _DATE.fullmatch(extras["as_of"])
                                  and _is_calendar_date(extras["as_of"])):
        problems.append("options.as_of must be a calendar date YYYY-MM-DD, got %r" % (extras["as_of"],))
    for name in ("force", "allow_empty"):
        if name in extras and not isinstance(extras[name], bool):
            problems.append("options.%s must be true or false, got %s" % (name, json_kind(extras[name])))
    return problems


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


def json_kind(value: Any) -> str:
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
