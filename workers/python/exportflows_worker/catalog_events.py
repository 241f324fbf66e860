"""The ``[events.NAME]`` tables of the catalog: the messages that start Phase 6, judged as the .NET catalog check
judges them (one push path and one verb per event, known rows and groups, typed fields, conditions only on fields
the event provides, exactly one of runs / runs_from / runs_orchestrator)."""

import re
from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple

EVENT_KEYS = ("path", "verb", "date", "fields", "runs", "runs_from", "runs_orchestrator", "sport", "flag", "note")
FIELD_TYPES = ("string", "integer", "number", "bool")
OPERATORS = ("equals", "above", "in")
SPORT_FIELD = "sport"

_NAME = re.compile(r"[a-z]+(-[a-z]+)*")
_PUSH_PATH = re.compile(r"/pubsub/[a-z0-9]+(-[a-z0-9]+)*")
_FIELD = re.compile(r"[a-z][a-z0-9_]*")


class Condition(NamedTuple):
    field: str
    operator: str  # equals | above | in
    operands: Tuple[Any, ...]


class EventRun(NamedTuple):
    name: str
    when: Tuple[Condition, ...] = ()
    after: Tuple[str, ...] = ()


class EventField(NamedTuple):
    type: str
    default: Any = None
    has_default: bool = False


class Event(NamedTuple):
    name: str
    path: str
    verb: str
    date_fields: Tuple[str, ...]
    date_default: Optional[str]
    fields: Mapping[str, EventField]
    runs: Tuple[EventRun, ...]
    runs_from: Optional[str]
    runs_orchestrator: bool
    sport: Optional[str]
    flag: Optional[Mapping[str, Any]]
    note: str


Problem = Callable[[Tuple[str, ...], str], None]


def read_events(data: Mapping[str, Any], rows: Mapping[str, Any], groups: Mapping[str, Any],
                problem: Problem) -> Dict[str, Event]:
    """Every valid event of ``data`` by name; each problem is reported through ``problem(key, message)``."""
    table = data.get("events", {})
    if not isinstance(table, dict):
        problem(("events",), "must be tables [events.NAME]")
        return {}
    events: Dict[str, Event] = {}
    paths: Dict[str, str] = {}
    verbs: Dict[str, str] = {}
    for name, value in table.items():
        key = ("events", name)
        if not isinstance(value, dict):
            problem(key, "expected a table [events.NAME]")
            continue
        if not _NAME.fullmatch(name):
            problem(key, "an event name is lowercase words joined by '-' (e.g. grading-complete)")
        event = _Event(key, value, rows, groups, problem).read()
        if event is None:
            continue
        if event.path in paths:
            problem(key + ("path",), "%r is also the path of event %s: one push path starts one event"
                    % (event.path, paths[event.path]))
        elif event.verb in verbs:
            problem(key + ("verb",), "%r is also the verb of event %s: one trigger verb starts one event"
                    % (event.verb, verbs[event.verb]))
        else:
            paths[event.path] = verbs[event.verb] = name
            events[name] = event
    return events


class _Event:
    def __init__(self, key, value, rows, groups, problem) -> None:
        self.key, self.value, self.rows, self.groups = key, value, rows, groups
        self.count = 0
        self._problem = problem

    def problem(self, key: Tuple[str, ...], message: str) -> None:
        self.count += 1
        self._problem(key, message)

    def read(self) -> Optional[Event]:
        key, value = self.key, self.value
        for other in value:
            if other not in EVENT_KEYS:
                self.problem(key + (other,), "unknown key; expected one of %s" % ", ".join(EVENT_KEYS))
        path = self.text("path", required=True)
        if path is not None and not _PUSH_PATH.fullmatch(path):
            self.problem(key + ("path",), "%r is not a push path: write /pubsub/ and lowercase words joined by '-'"
                         % path)
        verb = self.text("verb", required=True)
        if verb is not None and not _NAME.fullmatch(verb):
            self.problem(key + ("verb",), "%r is not a trigger verb: lowercase words joined by '-'" % verb)
        date = self.date()
        runs_from = self.text("runs_from")
        if runs_from is not None and not _FIELD.fullmatch(runs_from):
            self.problem(key + ("runs_from",), "%r is not a message field's name (snake_case)" % runs_from)
        sport = self.text("sport")
        flag = self.flag()
        reserved = {f: "the date" for f in (date[0] if date else ())}
        reserved.update({n: what for n, what in ((runs_from, "the list of types"),
                                                 (SPORT_FIELD if sport else None, "the sport"),
                                                 (flag["field"] if flag else None, "the flag")) if n})
        fields = self.fields(reserved)
        runs = self.runs(fields)
        orchestrator = value.get("runs_orchestrator", False)
        if not isinstance(orchestrator, bool):
            self.problem(key + ("runs_orchestrator",), "must be true or false")
            orchestrator = False
        ways = ("runs" in value) + (runs_from is not None) + orchestrator
        if ways != 1:
            self.problem(key + ("runs",), "missing: say what the event runs: runs = [rows or groups], runs_from = "
                                          "\"FIELD\" or runs_orchestrator = true" if ways == 0
                         else "give one of runs, runs_from and runs_orchestrator")
        note = self.text("note") or ""
        if self.count or path is None or verb is None or date is None:
            return None
        return Event(key[1], path, verb, date[0], date[1], fields, runs, runs_from, orchestrator, sport, flag, note)

    def text(self, name: str, required: bool = False, table: Optional[Mapping[str, Any]] = None,
             key: Optional[Tuple[str, ...]] = None) -> Optional[str]:
        table = self.value if table is None else table
        key = self.key if key is None else key
        if name not in table:
            if required:
                self.problem(key + (name,), "missing: expected a string")
            return None
        value = table[name]
        if not isinstance(value, str) or not value.strip():
            self.problem(key + (name,), "expected a non-empty string, got %r" % (value,))
            return None
        return value

    def date(self) -> Optional[Tuple[Tuple[str, ...], Optional[str]]]:
        key = self.key + ("date",)
        table = self.value.get("date")
        if not isinstance(table, dict):
            self.problem(key, "missing: expected { fields = [\"target_date\"], default = \"yesterday\" }"
                         if table is None else "expected a table { fields = [...], default = ... }")
            return None
        for other in table:
            if other not in ("fields", "default"):
                self.problem(key + (other,), "unknown key; expected one of fields, default")
        fields = table.get("fields")
        if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
            self.problem(key + ("fields",), "missing: expected an array of field names" if fields is None
                         else "must be an array of field names")
            return None
        if not fields:
            self.problem(key + ("fields",), "name at least one field, in order of preference")
            return None
        bad = [f for f in fields if not _FIELD.fullmatch(f)]
        if bad:
            self.problem(key + ("fields",), "%r is not a message field's name (snake_case)" % bad[0])
            return None
        default = table.get("default")
        if default is not None and default not in ("today", "yesterday"):
            self.problem(key + ("default",), "%r is not a date word: write \"today\" or \"yesterday\"" % (default,))
            return None
        return tuple(fields), default

    def fields(self, reserved: Mapping[str, str]) -> Dict[str, EventField]:
        key = self.key + ("fields",)
        table = self.value.get("fields", {})
        if not isinstance(table, dict):
            self.problem(key, "expected a table { NAME = \"string\" | \"integer\" | \"number\" | \"bool\" }")
            return {}
        found = {}
        for name, spec in table.items():
            if not _FIELD.fullmatch(name):
                self.problem(key + (name,), "a field's name is snake_case, as the message writes it")
                continue
            if name in reserved:
                self.problem(key + (name,), "%r is %s of this event already: leave it out of fields"
                             % (name, reserved[name]))
                continue
            has_default = isinstance(spec, dict) and "default" in spec
            if isinstance(spec, dict):
                for other in spec:
                    if other not in ("type", "default"):
                        self.problem(key + (name, other), "unknown key; expected one of type, default")
                if not has_default:
                    self.problem(key + (name, "default"), "missing: a field written as a table gives a default")
            kind = spec.get("type") if isinstance(spec, dict) else spec
            if kind not in FIELD_TYPES:
                self.problem(key + (name,), "expected a type: \"string\", \"integer\", \"number\" or \"bool\"")
                continue
            if has_default and not _fits(kind, spec["default"]):
                self.problem(key + (name, "default"), "the default is not a %s" % kind)
                continue
            found[name] = EventField(kind, spec["default"] if has_default else None, has_default)
        return found

    def known(self, name: str) -> bool:
        return name in self.rows or name in self.groups

    def runs(self, fields: Mapping[str, EventField]) -> Tuple[EventRun, ...]:
        key = self.key + ("runs",)
        items = self.value.get("runs")
        if items is None:
            return ()
        if not isinstance(items, list):
            self.problem(key, "must be an array of rows or groups")
            return ()
        if not items:
            self.problem(key, "name at least one row or group")
        runs: List[EventRun] = []
        for item in items:
            when: Tuple[Condition, ...] = ()
            after: Tuple[str, ...] = ()
            if isinstance(item, dict):
                for other in item:
                    if other not in ("row", "when", "after"):
                        self.problem(key, "unknown key %r in a run entry; expected row, when, after" % other)
                name = item.get("row")
                if "when" in item:
                    when = self.conditions(name, item["when"], fields)
                after = self.after(name, item.get("after"), runs)
            else:
                name = item
            if not isinstance(name, str) or not name.strip():
                self.problem(key, "each entry is a row or group's name, or { row = \"NAME\", when = [conditions] }")
                continue
            if not self.known(name):
                self.problem(key, "names unknown row or group %r" % name)
                continue
            if any(run.name == name for run in runs):
                self.problem(key, "names %r twice" % name)
                continue
            runs.append(EventRun(name, when, after))
        return tuple(runs)

    def after(self, row: Any, value: Any, earlier: Sequence[EventRun]) -> Tuple[str, ...]:
        """An entry's ``after``: entries of the same event listed before it."""
        if value is None:
            return ()
        key = self.key + ("runs",)
        where = "(%s) after: " % row
        if not isinstance(value, list) or not value or not all(isinstance(n, str) for n in value):
            self.problem(key, where + "expected a non-empty array of entries of this event listed before it, "
                                      "e.g. after = [\"backfill-signal-best-bets\"]")
            return ()
        names = tuple(dict.fromkeys(value))
        for name in names:
            if all(run.name != name for run in earlier):
                self.problem(key, where + "%r is no entry listed before %s in this event's runs: an entry waits only "
                                          "for entries above it" % (name, row))
        return names

    def conditions(self, row: Any, value: Any, fields: Mapping[str, EventField]) -> Tuple[Condition, ...]:
        key = self.key + ("runs",)
        where = "(%s) when: " % row
        if not isinstance(value, list) or not value or not all(isinstance(c, dict) for c in value):
            self.problem(key, where + "expected a non-empty array of conditions, e.g. "
                                      "[{ field = \"status\", equals = \"success\" }]")
            return ()
        found = []
        for condition in value:
            field = condition.get("field")
            operators = [k for k in condition if k != "field"]
            if not isinstance(field, str) or len(operators) != 1 or operators[0] not in OPERATORS:
                self.problem(key, where + "a condition is { field = \"NAME\" } with one of equals, above, in")
                continue
            if field not in fields:
                self.problem(key, where + "a condition on %r, which the event does not provide: add it to fields "
                                          "(provided: %s)" % (field, ", ".join(fields) or "none"))
                continue
            operator, operand, kind = operators[0], condition[operators[0]], fields[field].type
            if operator == "equals" and _fits(kind, operand):
                found.append(Condition(field, operator, (operand,)))
            elif operator == "above" and kind in ("integer", "number") and _fits("number", operand):
                found.append(Condition(field, operator, (operand,)))
            elif operator == "in" and isinstance(operand, list) and operand and all(_fits(kind, o) for o in operand):
                found.append(Condition(field, operator, tuple(operand)))
            elif operator == "above":
                self.problem(key, where + "%r is a %s: above compares integer or number fields with a number"
                             % (field, kind))
            else:
                self.problem(key, where + "%r is a %s: %s needs %s" % (
                    field, kind, operator, "a non-empty array of %ss" % kind if operator == "in" else "a " + kind))
        return tuple(found)

    def flag(self) -> Optional[Dict[str, Any]]:
        key = self.key + ("flag",)
        table = self.value.get("flag")
        if table is None:
            return None
        if not isinstance(table, dict):
            self.problem(key, "expected { field = \"players\", runs = [...], options = [...] }")
            return None
        for other in table:
            if other not in ("field", "runs", "options"):
                self.problem(key + (other,), "unknown key; expected one of field, runs, options")
        field = self.text("field", required=True, table=table, key=key)
        runs = table.get("runs")
        options = table.get("options", [])
        if not isinstance(runs, list) or not all(isinstance(r, str) for r in runs):
            self.problem(key + ("runs",), "missing: expected an array of rows or groups" if runs is None
                         else "must be an array of rows or groups")
            return None
        if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
            self.problem(key + ("options",), "must be an array of option names")
            return None
        members = []
        for name in runs:
            if not self.known(name):
                self.problem(key + ("runs",), "names unknown row or group %r" % name)
                continue
            members += self.groups.get(name, [name]) if isinstance(self.groups.get(name), list) else [name]
        declared = set()
        for member in members:
            row = self.rows.get(member)
            row_options = row.get("options") if isinstance(row, dict) else None
            declared |= set(row_options) if isinstance(row_options, dict) else set()
        for option in options:
            if option not in declared:
                self.problem(key + ("options",), "%r is an option of none of the flag's rows (%s)"
                             % (option, ", ".join(runs)))
        if not runs:
            self.problem(key + ("runs",), "name at least one row or group")
        return None if field is None or not runs else {"field": field, "runs": tuple(runs), "options": tuple(options)}


def _fits(kind: str, value: Any) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, bool)
