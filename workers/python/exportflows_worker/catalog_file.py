"""Reading the catalog file (TOML, with the standard library's tomllib) and checking the rows this worker serves.

Every problem is reported at once, each as ``FILE:LINE: key: problem``. tomllib gives the line of a syntax error; for
a problem in a row the line is that of the key in the row's ``[types.<name>]`` table (or of the table itself). Every
row's keys are checked as the .NET catalog check does (an unknown key is refused), and so is the graph of rows
(``after``, ``requires``, ``replaces``, ``values``, objects declared by two rows); the values of keys this worker does
not read (``policy``, ``implementation``, ``[schedules]``, ...) are the .NET side's to check.
"""

import os
import re
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from .catalog import (DATE_VALUES, NATIVE_EXTRAS, REQUEST_VALUES, Argument, Call, Catalog, ExternalRow,
                      ObjectPattern, OptionSpec, activity_name)
from .catalog_events import read_events
from .errors import SetupError

try:
    import tomllib
except ModuleNotFoundError:  # Python before 3.11
    tomllib = None  # type: ignore[assignment]

CATALOG_VARIABLE = "EXPORTFLOWS_CATALOG"
DEFAULT_CATALOG = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                                "catalog", "exportflows.toml"))

KINDS = ("native", "external")
DATES = ("target", "as-of", "none")
CALL_KEYS = ("module", "class", "constructor", "method", "function", "args", "kwargs", "then")
THEN_KEYS = ("module", "function", "args", "kwargs")
# The keys of a [types.<name>] row, exactly as the .NET catalog check accepts them.
ROW_KEYS = ("kind", "date", "objects", "activity", "task_queue", "policy", "preflight", "implementation", "call",
            "options", "skip_when_inputs_unchanged", "step", "after", "requires", "replaces", "values")
DEPENDENCY_KEYS = ("after", "requires", "replaces")
VALUE_KEYS = ("value", "default", "optional", "construct")
RUN_VALUES = ("started_at", "workflow_id")
OPTION_KEYS = ("default", "minimum", "maximum", "description")

_TYPE = re.compile(r"[a-z]+(-[a-z]+)*")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPTION = re.compile(r"[a-z][a-z0-9_]*")
_VALUE_NAME = re.compile(r"[a-z][a-z0-9_]*")
_VALUE_PATH = re.compile(r"result(\.[A-Za-z0-9_]+)*")
_VALUE_REFERENCE = re.compile(r"([a-z]+(?:-[a-z]+)*)\.([a-z][a-z0-9_]*)")
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+")
_MODULE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
_OBJECT_PATH = re.compile(r"v1/[A-Za-z0-9._/{}-]+(\.json|/)")
_TOML_LINE = re.compile(r"at line (\d+)")

Key = Tuple[str, ...]


class CatalogError(SetupError):
    """The catalog is missing or invalid (exit 2); the message names the file and each problem's key and line."""

    def __init__(self, path: str, problems: Sequence[str]) -> None:
        super().__init__("catalog %s is invalid (%d problem%s; fix it, or point %s or --catalog at another file):\n  %s"
                         % (path, len(problems), "" if len(problems) == 1 else "s", CATALOG_VARIABLE,
                            "\n  ".join(problems)))
        self.path = path
        self.problems = tuple(problems)


def catalog_path(explicit: Optional[str], env: Mapping[str, str]) -> str:
    """--catalog, else EXPORTFLOWS_CATALOG, else the repository's catalog/exportflows.toml."""
    return explicit or env.get(CATALOG_VARIABLE, "").strip() or DEFAULT_CATALOG


def load_catalog(path: str) -> Catalog:
    """The catalog at ``path``, or CatalogError naming every problem of the rows this worker needs."""
    if tomllib is None:
        raise SetupError("reading the catalog %s needs Python 3.11 or later (tomllib)" % path)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise CatalogError(path, ["%s: no such file (the repository ships catalog/exportflows.toml)" % path]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogError(path, ["%s: cannot be read: %s" % (path, error)]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = _TOML_LINE.search(str(error))
        where = "%s:%s" % (path, line.group(1)) if line else path
        raise CatalogError(path, ["%s: not valid TOML: %s" % (where, error)]) from None
    reader = _Reader(path, text)
    catalog = reader.catalog(data)
    if reader.problems:
        raise CatalogError(path, [problem for _, problem in sorted(reader.problems, key=lambda p: p[0])])
    return catalog


class _Reader:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.problems: List[Tuple[int, str]] = []  # (line or 0, problem), sorted by line when reported

    def problem(self, key: Key, message: str) -> None:
        line = _line_of(self.lines, key)
        where = "%s:%d" % (self.path, line) if line else self.path
        self.problems.append((line or 0, "%s: %s: %s" % (where, _dotted(key), message)))

    def catalog(self, data: Mapping[str, Any]) -> Catalog:
        if data.get("version", 1) != 1:
            self.problem(("version",), "this worker reads catalog version 1, got %r" % data["version"])
        types = data.get("types")
        if not isinstance(types, dict) or not types:
            self.problem(("types",), "missing: the catalog has one [types.<name>] table per export type")
            return Catalog(self.path, {}, frozenset())
        external: Dict[str, ExternalRow] = {}
        native = set()
        graph: Dict[str, _Node] = {}
        for name, row in types.items():
            key = ("types", name)
            if not _TYPE.fullmatch(name):
                self.problem(key, "a type name is lowercase words joined by '-', e.g. best-bets-record")
            if not isinstance(row, dict):
                self.problem(key, "must be a table ([types.%s])" % name)
                continue
            unknown = [k for k in row if k not in ROW_KEYS]
            for other in unknown:
                self.problem(key + (other,), "unknown key; expected one of %s" % ", ".join(ROW_KEYS))
            graph[name] = self.node(key, row)
            kind = row.get("kind")
            if kind == "native":
                native.add(name)
            elif kind == "external":
                parsed = self.external_row(key, row)
                if parsed is not None:
                    external[name] = parsed
            else:
                self.problem(key + ("kind",), "must be %s, got %s" % (" or ".join('"%s"' % k for k in KINDS),
                                                                       _given(row, "kind")))
        self.unique_activities(external)
        groups = data.get("groups") if isinstance(data.get("groups"), dict) else {}
        self.check_graph(graph, external, groups)
        dependencies = {name: node.requires + tuple(d for d in node.after if d not in node.requires)
                        for name, node in graph.items()}
        events = read_events(data, types, groups, self.problem)
        return Catalog(self.path, external, frozenset(native), dependencies, events)

    def node(self, key: Key, row: Mapping[str, Any]) -> "_Node":
        """The row's place in the graph: step, dependencies, values and declared object paths."""
        step = row.get("step", False)
        if not isinstance(step, bool):
            self.problem(key + ("step",), "must be true or false, got %r" % (step,))
            step = False
        names = {}
        for part in DEPENDENCY_KEYS:
            value = row.get(part, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                self.problem(key + (part,), "must be an array of row names, e.g. [\"discover-models\"]")
                value = []
            duplicates = sorted({v for v in value if value.count(v) > 1})
            if duplicates:
                self.problem(key + (part,), "names %s more than once" % ", ".join(duplicates))
            names[part] = tuple(dict.fromkeys(value))
        values = row.get("values", {})
        if not isinstance(values, dict):
            self.problem(key + ("values",), "must be a table { NAME = \"result.PATH\" }, e.g. "
                                            "{ version_id = \"result.version_id\" }")
            values = {}
        for name, path in values.items():
            if not _VALUE_NAME.fullmatch(name):
                self.problem(key + ("values", name), "a value's name matches ^[a-z][a-z0-9_]*$")
            if not isinstance(path, str) or not _VALUE_PATH.fullmatch(path):
                self.problem(key + ("values", name), "must be \"result\" or \"result.a.b\" (each segment a key or "
                                                     "attribute of the call's return value), got %r" % (path,))
        objects = row.get("objects", [])
        if step and objects != []:
            self.problem(key + ("objects",), "a step (step = true) writes no document: leave objects out")
        items = objects if isinstance(objects, list) else []
        paths = tuple(item["path"] for item in items if isinstance(item, dict) and isinstance(item.get("path"), str))
        return _Node(step, names["after"], names["requires"], names["replaces"],
                     {n: p for n, p in values.items() if isinstance(p, str)}, paths)

    def check_graph(self, graph: Mapping[str, "_Node"], external: Mapping[str, ExternalRow],
                    groups: Mapping[str, Any]) -> None:
        """Dependencies name rows (never groups, never the row itself), no cycle, a value comes from a direct
        dependency that declares it, and an object path is declared by one row unless one replaces the other."""
        for name, node in graph.items():
            for part in DEPENDENCY_KEYS:
                for other in getattr(node, part):
                    if other == name:
                        self.problem(("types", name, part), "a row cannot name itself")
                    elif other not in graph:
                        what = ("a group; %s names rows (types), never groups" % part) if other in groups \
                            else "not a row of the catalog"
                        self.problem(("types", name, part), "%r is %s" % (other, what))
        for cycle in _cycles(graph):
            self.problem(("types", cycle[0], "requires" if cycle[1] in graph[cycle[0]].requires else "after"),
                         "dependency cycle: %s" % " -> ".join(cycle))
        for name, row in external.items():
            direct = set(row.after) | set(row.requires)
            for index, arg in enumerate(row.call.every_argument()):
                if arg.value is None:
                    continue
                producer, value = arg.producer, arg.value_name
                key = ("types", name, "call")
                if producer not in direct:
                    self.problem(key, "{ value = %r } takes a value of %s, which is not in this row's after or "
                                      "requires: add it there" % (arg.value, producer))
                elif producer in graph and value not in graph[producer].values:
                    self.problem(key, "{ value = %r }: row %s declares no value %r (its values: %s)"
                                 % (arg.value, producer, value, ", ".join(graph[producer].values) or "none"))
        owners: Dict[str, str] = {}
        for name, node in graph.items():
            for path in node.objects:
                first = owners.setdefault(path, name)
                if first != name and first not in node.replaces and name not in graph[first].replaces:
                    self.problem(("types", name, "objects"), "%s is also declared by %s: two rows declare one object "
                                                             "only when one replaces the other (replaces = [\"%s\"])"
                                 % (path, first, first))

    def external_row(self, key: Key, row: Mapping[str, Any]) -> Optional[ExternalRow]:
        before = len(self.problems)
        if row.get("date") not in DATES:
            self.problem(key + ("date",), "must be %s, got %s" % (", ".join('"%s"' % d for d in DATES),
                                                                  _given(row, "date")))
        step = row.get("step", False) is True
        objects = () if step else self.objects(key + ("objects",), row.get("objects"))
        activity = row.get("activity", activity_name(key[1]))
        if not isinstance(activity, str) or not _IDENTIFIER.fullmatch(activity):
            self.problem(key + ("activity",), "must be an activity name such as %s, got %r"
                         % (activity_name(key[1]), activity))
        task_queue = row.get("task_queue")
        if task_queue is not None and (not isinstance(task_queue, str) or not task_queue.strip()):
            self.problem(key + ("task_queue",), "must be a task queue's name, got %r" % (task_queue,))
        preflight = row.get("preflight", False)
        if not isinstance(preflight, bool):
            self.problem(key + ("preflight",), "must be true or false, got %r" % (preflight,))
        options = self.options(key + ("options",), row.get("options", {}))
        call = self.call(key + ("call",), row.get("call"), options)
        if len(self.problems) > before or call is None:
            return None
        values = row.get("values", {})
        return ExternalRow(key[1], activity, task_queue, preflight, row["date"], objects, options, call, step,
                           tuple(dict.fromkeys(row.get("after", []))), tuple(dict.fromkeys(row.get("requires", []))),
                           tuple(dict.fromkeys(row.get("replaces", []))), dict(values))

    def objects(self, key: Key, value: Any) -> Tuple[ObjectPattern, ...]:
        if not isinstance(value, list) or not value:
            self.problem(key, "must be an array of { path = \"v1/….json\", cache_control = \"…\" }, got %s"
                         % ("nothing" if value is None else repr(value)))
            return ()
        found = []
        for index, item in enumerate(value):
            item_key = key + ("[%d]" % index,)
            path = item.get("path") if isinstance(item, dict) else None
            problem = _object_path_problem(path)
            if problem is not None:
                self.problem(item_key + ("path",), problem)
                continue
            cache_control = item.get("cache_control")
            if cache_control is not None and not isinstance(cache_control, str):
                self.problem(item_key + ("cache_control",), "must be a string such as \"public, max-age=300\"")
            found.append(ObjectPattern(path, cache_control))
        return tuple(found)

    def options(self, key: Key, value: Any) -> Dict[str, OptionSpec]:
        if not isinstance(value, dict):
            self.problem(key, "must be a table of options, e.g. { min_games = { default = 5, minimum = 1 } }")
            return {}
        found = {}
        for name, spec in value.items():
            option_key = key + (name,)
            if not _OPTION.fullmatch(name) or name in REQUEST_VALUES or name in NATIVE_EXTRAS:
                self.problem(option_key, "an option's name is a lowercase identifier other than %s"
                             % ", ".join(REQUEST_VALUES + NATIVE_EXTRAS))
                continue
            if not isinstance(spec, dict):
                self.problem(option_key, "must be a table { default = …, minimum = …, maximum = … }")
                continue
            unknown = sorted(set(spec) - set(OPTION_KEYS))
            if unknown:
                self.problem(option_key, "unknown key(s) %s (an option has %s)" % (", ".join(unknown),
                                                                                 ", ".join(OPTION_KEYS)))
            option = self.option(option_key, name, spec)
            if option is not None:
                found[name] = option
        return found

    def option(self, key: Key, name: str, spec: Mapping[str, Any]) -> Optional[OptionSpec]:
        bounds = [spec.get(b) for b in ("minimum", "maximum")]
        if any(b is not None and (isinstance(b, bool) or not isinstance(b, (int, float))) for b in bounds):
            self.problem(key, "minimum and maximum must be numbers")
            return None
        if None not in bounds and bounds[0] > bounds[1]:
            self.problem(key, "minimum %r is above maximum %r" % tuple(bounds))
            return None
        default = spec.get("default")
        if default is not None and not isinstance(default, (str, bool, int, float)):
            self.problem(key + ("default",), "must be a string, number or boolean")
            return None
        option = OptionSpec(name, default, bounds[0], bounds[1])
        problem = option.problem(default) if default is not None else None
        if problem is not None:
            self.problem(key + ("default",), problem.replace("options.%s" % name, "the default"))
            return None
        return option

    def call(self, key: Key, value: Any, options: Mapping[str, OptionSpec]) -> Optional[Call]:
        if not isinstance(value, dict):
            self.problem(key, "missing: an external row names the original's call, e.g. { module = \"…\", "
                              "class = \"…\", method = \"export\", args = [\"target_date\"] }")
            return None
        before = len(self.problems)
        unknown = sorted(set(value) - set(CALL_KEYS))
        if unknown:
            self.problem(key, "unknown key(s) %s (a call has %s)" % (", ".join(unknown), ", ".join(CALL_KEYS)))
        function = "function" in value
        if function and any(part in value for part in ("class", "method", "constructor")):
            self.problem(key, "a call names either class + method (+ constructor) or function, not both")
        parts = [("module", _MODULE, "data_processors.publishing.calendar_exporter")]
        parts += [("function", _IDENTIFIER, "discover_models")] if function else [
            ("class", _IDENTIFIER, "CalendarExporter"), ("method", _IDENTIFIER, "export")]
        for part, pattern, example in parts:
            if not isinstance(value.get(part), str) or not pattern.fullmatch(value[part]):
                self.problem(key + (part,), "must be a name such as %s, got %s" % (example, _given(value, part)))
        constructor = self.keywords(key + ("constructor",), value.get("constructor", {}), self.constructor_argument)
        args, kwargs = self.call_arguments(key, value, options, in_then=False)
        then = self.then(key + ("then",), value["then"], value.get("module"), options) if "then" in value else None
        if len(self.problems) > before:
            return None
        return Call(value["module"], value.get("class"), {p: a.constant for p, a in constructor}, value.get("method"),
                    args, kwargs, value.get("function"), then)

    def then(self, key: Key, value: Any, module: Any, options: Mapping[str, OptionSpec]) -> Optional[Call]:
        """``then = { function = "write_rows", args = [...], kwargs = {...} }``: a module-level function (its module
        defaults to the call's) called with the first call's result when that is truthy."""
        if not isinstance(value, dict):
            self.problem(key, "must be a table { function = \"write_rows\", args = [...] } (a module-level function "
                              "called with the first call's result), got %r" % (value,))
            return None
        refused = [part for part in ("class", "method", "constructor") if part in value]
        if refused:
            self.problem(key, "then calls a module-level function of the original (function = \"write_rows\", "
                              "module defaults to the call's): remove %s" % ", ".join(refused))
        unknown = sorted(set(value) - set(THEN_KEYS) - {"class", "method", "constructor"})
        if unknown:
            self.problem(key, "unknown key(s) %s (then has %s)" % (", ".join(unknown), ", ".join(THEN_KEYS)))
        module = value.get("module", module)
        if "module" in value and (not isinstance(module, str) or not _MODULE.fullmatch(module)):
            self.problem(key + ("module",), "must be a name such as ml.analysis.model_performance, got %r" % (module,))
        if not isinstance(value.get("function"), str) or not _IDENTIFIER.fullmatch(value["function"]):
            self.problem(key + ("function",), "must be a name such as write_rows, got %s" % _given(value, "function"))
        args, kwargs = self.call_arguments(key, value, options, in_then=True)
        return Call(module, None, {}, None, args, kwargs, value.get("function"))

    def call_arguments(self, key: Key, value: Mapping[str, Any], options: Mapping[str, OptionSpec],
                       in_then: bool) -> Tuple[Tuple[Argument, ...], Tuple[Tuple[str, Argument], ...]]:
        args_value = value.get("args", [])
        if not isinstance(args_value, list):
            self.problem(key + ("args",), "must be an array of arguments, e.g. [\"target_date\"]")
            args_value = []
        args = tuple(self.argument(key + ("args", "[%d]" % i), item, options, in_then)
                     for i, item in enumerate(args_value))
        kwargs = self.keywords(key + ("kwargs",), value.get("kwargs", {}),
                               lambda k, item: self.argument(k, item, options, in_then))
        return args, kwargs

    def constructor_argument(self, key: Key, item: Any) -> Argument:
        forms = {"value", "run", "call", "date", "result"}
        if isinstance(item, dict) and set(item) & forms:
            self.problem(key, "a constructor's arguments are constants; pass %s to the method (args, kwargs)"
                         % " or ".join(sorted(set(item) & forms)))
        return Argument(None, _constant(item))

    def keywords(self, key: Key, value: Any, parse) -> Tuple[Tuple[str, Argument], ...]:
        if not isinstance(value, dict):
            self.problem(key, "must be a table of keyword arguments, e.g. { update_latest = \"update_latest\" }")
            return ()
        found = []
        for parameter, item in value.items():
            if not _IDENTIFIER.fullmatch(parameter):
                self.problem(key + (parameter,), "is not a Python parameter name")
            found.append((parameter, parse(key + (parameter,), item)))
        return tuple(found)

    def argument(self, key: Key, item: Any, options: Mapping[str, OptionSpec], in_then: bool = False) -> Argument:
        if isinstance(item, dict) and set(item) == {"const"}:
            return Argument(None, item["const"])
        if isinstance(item, dict) and "value" in item:
            return self.value_argument(key, item, options)
        if isinstance(item, dict) and "run" in item:
            return self.run_argument(key, item)
        if isinstance(item, dict) and "date" in item:
            if set(item) != {"date"} or item["date"] not in DATE_VALUES:
                self.problem(key, "{ date = NAME } passes a request value as a datetime.date; NAME is one of %s, "
                                  "got %r" % (", ".join(DATE_VALUES), item))
                return Argument(None)
            return Argument(None, date=item["date"])
        if isinstance(item, dict) and "result" in item:
            if not in_then:
                self.problem(key, "{ result = true } is the first call's return value: it is allowed only in the "
                                  "args and kwargs of then")
            elif set(item) != {"result"} or item["result"] is not True:
                self.problem(key, "write { result = true } (the first call's return value), got %r" % (item,))
            return Argument(None, result=True)
        if isinstance(item, dict) and "call" in item:
            if set(item) != {"call"} or not isinstance(item["call"], str) or not _DOTTED.fullmatch(item["call"]):
                self.problem(key, "{ call = \"module.function\" } names a no-argument function of the original, e.g. "
                                  "shared.clients.bigquery_pool.get_bigquery_client; got %r" % (item,))
                return Argument(None)
            return Argument(None, call=item["call"])
        if isinstance(item, str) and (item in REQUEST_VALUES or item in options):
            return Argument(item)
        if not isinstance(item, (str, dict)):
            return Argument(None, item)  # a number, boolean, date or array is a constant, as the .NET catalog reads it
        if isinstance(item, str):
            self.problem(key, "unknown request value %r: a call's argument is one of %s, an option the row declares "
                              "(%s), or a constant { const = … }" % (item, ", ".join(REQUEST_VALUES),
                                                                     ", ".join(options) or "it declares none"))
        else:
            self.problem(key, "bad argument %r: write a request value's name (\"target_date\"), a constant "
                              "{ const = … }, { value = \"row.name\" }, { run = \"started_at\" }, "
                              "{ call = \"module.function\" }, { date = \"target_date\" } or, in then, "
                              "{ result = true }" % (item,))
        return Argument(None)

    def value_argument(self, key: Key, item: Mapping[str, Any], options: Mapping[str, OptionSpec]) -> Argument:
        unknown = sorted(set(item) - set(VALUE_KEYS))
        if unknown:
            self.problem(key, "unknown key(s) %s (a value argument has %s)"
                         % (", ".join(unknown), ", ".join(VALUE_KEYS)))
        reference = item["value"]
        if not isinstance(reference, str) or not _VALUE_REFERENCE.fullmatch(reference):
            self.problem(key + ("value",), "must be \"row.name\", e.g. \"materialize-subsets.version_id\", got %r"
                         % (reference,))
            reference = None
        optional = item.get("optional", False)
        if not isinstance(optional, bool):
            self.problem(key + ("optional",), "must be true or false, got %r" % (optional,))
            optional = False
        construct = item.get("construct")
        if construct is not None and (not isinstance(construct, str) or not _DOTTED.fullmatch(construct)):
            self.problem(key + ("construct",), "must be a class of the original, module.path.ClassName, got %r"
                         % (construct,))
            construct = None
        default = self.argument(key + ("default",), item["default"], options) if "default" in item else None
        return Argument(None, value=reference, default=default, optional=optional, construct=construct)

    def run_argument(self, key: Key, item: Mapping[str, Any]) -> Argument:
        run, text = item.get("run"), item.get("format")
        unknown = sorted(set(item) - {"run", "format"})
        if unknown or run not in RUN_VALUES:
            self.problem(key, "a run argument is { run = \"started_at\", format = \"%%Y%%m%%d\" } (format optional) or "
                              "{ run = \"workflow_id\" }; got %r" % (item,))
            return Argument(None)
        if text is not None and (run != "started_at" or not isinstance(text, str) or not text):
            self.problem(key + ("format",), "a strftime format of started_at only, e.g. \"v_%Y%m%d_%H%M%S\"")
            text = None
        return Argument(None, run=run, format=text)

    def unique_activities(self, rows: Mapping[str, ExternalRow]) -> None:
        seen: Dict[str, str] = {}
        for row in rows.values():
            if row.activity in seen:
                self.problem(("types", row.export_type, "activity"), "%s is also the activity of %s"
                             % (row.activity, seen[row.activity]))
            seen.setdefault(row.activity, row.export_type)


class _Node(NamedTuple):
    step: bool
    after: Tuple[str, ...]
    requires: Tuple[str, ...]
    replaces: Tuple[str, ...]
    values: Mapping[str, str]
    objects: Tuple[str, ...]


def _cycles(graph: Mapping[str, _Node]) -> List[List[str]]:
    """Each dependency cycle (after + requires) once, as [a, b, …, a], found by depth-first search."""
    found: List[List[str]] = []
    state: Dict[str, int] = {}  # 1 on the path, 2 done

    def visit(name: str, path: List[str]) -> None:
        state[name] = 1
        path.append(name)
        node = graph[name]
        for other in node.requires + node.after:
            if other not in graph or other == name:
                continue
            if state.get(other) == 1:
                found.append(path[path.index(other):] + [other])
            elif other not in state:
                visit(other, path)
        path.pop()
        state[name] = 2

    for name in graph:
        if name not in state:
            visit(name, [])
    return found


def _object_path_problem(path: Any) -> Optional[str]:
    if not isinstance(path, str):
        return "must be a string such as \"v1/calendar/game-counts.json\""
    if not _OBJECT_PATH.fullmatch(path):
        return "%r is not v1/<path>.json or a per-player folder v1/<path>/" % path
    segments = path.split("/")[:-1] if path.endswith("/") else path.split("/")
    if any(segment in ("", ".", "..") for segment in segments):
        return "%r has an empty, '.' or '..' segment" % path
    if re.search(r"[{}]", path.replace("{date}", "")):
        return "%r: the only placeholder is {date}" % path
    return None


def _constant(item: Any) -> Any:
    return item["const"] if isinstance(item, dict) and set(item) == {"const"} else item


def _given(table: Mapping[str, Any], name: str) -> str:
    return repr(table[name]) if name in table else "nothing"


def _dotted(key: Key) -> str:
    return "".join(part if part.startswith("[") or not index else "." + part for index, part in enumerate(key))


def _line_of(lines: Sequence[str], key: Key) -> Optional[int]:
    """The 1-based line of ``key``: its own line in the deepest ``[table]`` that holds it, else that table's header."""
    parts = [part for part in key if not part.startswith("[")]
    for depth in range(len(parts), 0, -1):
        header = _header_index(lines, parts[:depth])
        if header is None:
            continue
        if depth == len(parts):
            return header + 1
        own = _key_index(lines, header + 1, parts[depth])
        return (header if own is None else own) + 1
    own = _key_index(lines, 0, parts[0])  # a key before the first table
    return None if own is None else own + 1


def _name(part: str) -> str:
    escaped = re.escape(part)
    return "(?:%s|\"%s\"|'%s')" % (escaped, escaped, escaped)


def _header_index(lines: Sequence[str], parts: Sequence[str]) -> Optional[int]:
    pattern = re.compile(r"\s*\[\s*%s\s*\]\s*(#.*)?" % r"\s*\.\s*".join(_name(p) for p in parts))
    return next((i for i, line in enumerate(lines) if pattern.fullmatch(line)), None)


def _key_index(lines: Sequence[str], start: int, part: str) -> Optional[int]:
    pattern = re.compile(r"\s*%s\s*[=.]" % _name(part))
    for index in range(start, len(lines)):
        if lines[index].lstrip().startswith("["):
            return None
        if pattern.match(lines[index]):
            return index
    return None
