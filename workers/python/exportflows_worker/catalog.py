"""The export catalog (catalog/exportflows.toml): the rows of every export type, of which this worker serves the
external ones, each by calling the original exporter its ``call`` names.

Nothing about a type is written in this package: a new external exporter is a new row of the catalog.
"""

from typing import Any, Dict, FrozenSet, Mapping, NamedTuple, Optional, Tuple

# What a call's argument may name: one of these values of the request, or an option the row declares.
REQUEST_VALUES = ("target_date", "update_latest", "requested_at", "correlation_id", "trigger")
# What a ``{ date = … }`` argument may name: a request value passed as a datetime.date.
DATE_VALUES = ("target_date",)
# Options of the native exporters that every request may carry (the one contract for both kinds); no call takes them.
NATIVE_EXTRAS = ("as_of", "force", "allow_empty")


class Argument(NamedTuple):
    """One argument of a call: a request value or declared option by name, a constant, or one of the graph's forms:
    ``{ value = "row.name" }`` (a dependency's value, with ``default``/``optional``/``construct``),
    ``{ run = "started_at" | "workflow_id", format = … }`` or ``{ call = "module.function" }``; or
    ``{ date = "target_date" }`` (the request value as a datetime.date) and, in a call's ``then`` only,
    ``{ result = true }`` (the first call's return value)."""

    name: Optional[str]
    constant: Any = None
    value: Optional[str] = None  # "row.name"
    default: Optional["Argument"] = None
    optional: bool = False
    construct: Optional[str] = None  # "module.Class"
    run: Optional[str] = None  # "started_at" | "workflow_id"
    format: Optional[str] = None
    call: Optional[str] = None  # "module.function"
    date: Optional[str] = None  # "target_date", passed as a datetime.date
    result: bool = False  # the first call's return value (then's arguments only)

    @property
    def is_simple(self) -> bool:
        """A request value, an option or a constant: resolvable from the request alone."""
        return self.value is None and self.run is None and self.call is None and self.date is None \
            and not self.result

    @property
    def producer(self) -> Optional[str]:
        return None if self.value is None else self.value.partition(".")[0]

    @property
    def value_name(self) -> Optional[str]:
        return None if self.value is None else self.value.partition(".")[2]

    def resolve(self, values: Mapping[str, Any]) -> Any:
        return self.constant if self.name is None else values[self.name]

    def describe(self) -> str:
        if self.value is not None:
            extra = [] if self.default is None else ["default=" + self.default.describe()]
            extra += ["optional"] if self.optional else []
            extra += ["construct=" + self.construct] if self.construct else []
            return "value(%s%s)" % (self.value, "".join(", " + e for e in extra))
        if self.run is not None:
            return "run(%s%s)" % (self.run, "" if self.format is None else ", %r" % self.format)
        if self.call is not None:
            return "%s()" % self.call
        if self.date is not None:
            return "date(%s)" % self.date
        if self.result:
            return "result"
        return repr(self.constant) if self.name is None else self.name

    def nested(self) -> Tuple["Argument", ...]:
        """This argument and its default's, recursively."""
        return (self,) + (() if self.default is None else self.default.nested())


class Call(NamedTuple):
    """``module.class_name(**constructor).method(*args, **kwargs)`` as the original's daily_export.py writes it, or
    ``module.function(*args, **kwargs)`` for a module-level function (``function``; then class_name and method are
    None). ``then``: a module-level function called after it, only when its result is truthy, with that result as
    its ``{ result = true }`` arguments (the original's ``rows = compute(bq, d); if rows: write(bq, rows)``)."""

    module: str
    class_name: Optional[str]
    constructor: Mapping[str, Any]
    method: Optional[str]
    args: Tuple[Argument, ...]
    kwargs: Tuple[Tuple[str, Argument], ...]
    function: Optional[str] = None
    then: Optional["Call"] = None

    def every_argument(self) -> Tuple[Argument, ...]:
        """Every argument of the call and of its ``then``, defaults included."""
        own = tuple(nested for arg in list(self.args) + [arg for _, arg in self.kwargs] for nested in arg.nested())
        return own + (() if self.then is None else self.then.every_argument())

    def arguments(self, values: Any) -> Tuple[Tuple[Any, ...], Dict[str, Any]]:
        """The positional and keyword arguments of the call: from the request's values (a mapping), or from a
        resolver (a callable taking an Argument)."""
        resolve = values if callable(values) else (lambda arg: arg.resolve(values))
        return (tuple(resolve(arg) for arg in self.args),
                {parameter: resolve(arg) for parameter, arg in self.kwargs})

    def value_names(self) -> Tuple[str, ...]:
        """The request values and options the call reads."""
        return tuple(arg.name for arg in self.every_argument() if arg.name is not None)

    @property
    def target(self) -> str:
        """What is called: ``Class.method`` or ``module.function``."""
        return "%s.%s" % (self.module, self.function) if self.function else "%s.%s" % (self.class_name, self.method)

    def describe(self) -> str:
        """E.g. ``PredictionsExporter().export(target_date, update_today=update_latest)``; a chain as
        ``m.compute(…) then, if it returned something, m.write(…, result)``."""
        parts = [arg.describe() for arg in self.args] + ["%s=%s" % (p, arg.describe()) for p, arg in self.kwargs]
        then = "" if self.then is None else " then, if it returned something, " + self.then.describe()
        if self.function:
            return "%s.%s(%s)%s" % (self.module, self.function, ", ".join(parts), then)
        ctor = ", ".join("%s=%r" % item for item in self.constructor.items())
        return "%s(%s).%s(%s)%s" % (self.class_name, ctor, self.method, ", ".join(parts), then)


class OptionSpec(NamedTuple):
    """An option a row declares (``options = { min_games = { default = 5, minimum = 1, maximum = 82 } }``)."""

    name: str
    default: Any = None
    minimum: Optional[float] = None
    maximum: Optional[float] = None

    def problem(self, value: Any) -> Optional[str]:
        """Why ``value`` is not acceptable for this option, or None."""
        numeric = self.minimum is not None or self.maximum is not None or _is_number(self.default)
        if numeric:
            integral = all(_is_integer(v) for v in (self.default, self.minimum, self.maximum) if v is not None)
            ok = _is_integer(value) if integral else _is_number(value)
            ok = ok and (self.minimum is None or value >= self.minimum) and (
                self.maximum is None or value <= self.maximum)
            if not ok:
                return "options.%s must be %s%s, got %r" % (self.name, "an integer" if integral else "a number",
                                                             self._range(), value)
            return None
        if self.default is not None and type(value) is not type(self.default):
            return "options.%s must be of the type of its default %r, got %r" % (self.name, self.default, value)
        if not isinstance(value, (str, bool, int, float)):
            return "options.%s must be a string, number or boolean, got %r" % (self.name, value)
        return None

    def _range(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return " from %s to %s" % (_text(self.minimum), _text(self.maximum))
        if self.minimum is not None:
            return " of at least %s" % _text(self.minimum)
        return " of at most %s" % _text(self.maximum) if self.maximum is not None else ""


class ObjectPattern(NamedTuple):
    """A declared object: ``v1/results/{date}.json``, or a per-player folder ``v1/players/`` (any ``*.json``
    directly under it)."""

    path: str
    cache_control: Optional[str]

    def matches(self, name: str, date: str) -> bool:
        path = self.path.replace("{date}", date)
        if not path.endswith("/"):
            return name == path
        rest = name[len(path):] if name.startswith(path) else ""
        return "/" not in rest and rest.endswith(".json") and len(rest) > len(".json")


class ExternalRow(NamedTuple):
    """A ``kind = "external"`` row: everything this worker needs to serve the type."""

    export_type: str
    activity: str
    task_queue: Optional[str]  # None: the worker's queue (EXPORTFLOWS_EXTERNAL_TASK_QUEUE)
    preflight: bool
    date: str
    objects: Tuple[ObjectPattern, ...]
    options: Mapping[str, OptionSpec]
    call: Call
    step: bool = False  # writes no document: objects is empty, the call's return value is not paths
    after: Tuple[str, ...] = ()  # soft dependencies (rows)
    requires: Tuple[str, ...] = ()  # hard dependencies (rows)
    replaces: Tuple[str, ...] = ()
    values: Mapping[str, str] = {}  # name -> "result" or "result.a.b"

    @property
    def dependencies(self) -> Tuple[str, ...]:
        """The rows this row waits for (requires, then after), each once."""
        return tuple(dict.fromkeys(self.requires + self.after))

    def describe_call(self) -> str:
        return self.call.describe()


class Catalog(NamedTuple):
    path: str
    external: Mapping[str, ExternalRow]  # in the catalog's order
    native: FrozenSet[str]
    # Every row's dependencies (requires + after), native rows included, in the catalog's order.
    dependencies: Mapping[str, Tuple[str, ...]] = {}
    # The messages that start Phase 6 ([events.NAME]), checked as the .NET catalog check does; none are served here.
    events: Mapping[str, Any] = {}

    @property
    def external_types(self) -> Tuple[str, ...]:
        return tuple(self.external)


def activity_name(export_type: str) -> str:
    """``Export`` + the type in PascalCase: ``tonight-players`` -> ``ExportTonightPlayers``."""
    return "Export" + "".join(part[:1].upper() + part[1:] for part in export_type.split("-"))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(number: float) -> str:
    return "%g" % number
