"""Resolving a call's arguments for one activity: request values and options, constants, a dependency's value
(``{ value = "row.name" }`` with default/optional/construct), the run (``{ run = "started_at" }``), a no-argument
function of the original (``{ call = "module.function" }``, called once per activity, so a call and its ``then``
get the same client), a request value as a date (``{ date = "target_date" }``) and, for a ``then``, the first
call's return value (``{ result = true }``, supplied by the caller of the chain: exporters.bound_call)."""

import datetime
import importlib
from typing import Any, Callable, Dict, Mapping, Optional

from .catalog import Argument
from .errors import ContractViolation, MissingValue

_MISSING = object()


class ArgumentResolver:
    """Turns each Argument of one row's call into the Python value passed."""

    def __init__(self, export_type: str, request_values: Mapping[str, Any],
                 dependency_values: Mapping[str, Mapping[str, Any]], run: Mapping[str, Any],
                 load: Callable[[str, str], Any]) -> None:
        self.export_type = export_type
        self.request_values = request_values
        self.dependency_values = dependency_values
        self.run = run
        self.load = load  # (dotted name, what) -> the imported attribute, or ContractViolation
        self._called: Dict[str, Any] = {}

    def __call__(self, arg: Argument) -> Any:
        if arg.value is not None:
            return self.value(arg)
        if arg.run is not None:
            return self.run_value(arg)
        if arg.call is not None:
            if arg.call not in self._called:
                self._called[arg.call] = self.load(arg.call, "function")()
            return self._called[arg.call]
        if arg.date is not None:
            return self.date_value(arg)
        if arg.result:
            raise ContractViolation("%s: { result = true } is resolved only in the arguments of the call's then"
                                    % self.export_type, {"export_type": self.export_type})
        return arg.resolve(self.request_values)

    def date_value(self, arg: Argument) -> datetime.date:
        """The request value (a calendar date YYYY-MM-DD: the contract checked it) as a datetime.date."""
        return datetime.date.fromisoformat(self.request_values[arg.date])

    def value(self, arg: Argument) -> Any:
        produced = self.dependency_values.get(arg.producer, {}).get(arg.value_name, _MISSING)
        if produced is _MISSING:
            if arg.default is not None:
                return self(arg.default)
            if arg.optional:
                return None
            raise MissingValue("%s: its call takes %s, which %s did not produce (the row has no default and is not "
                               "optional: it runs only after %s gave the value)"
                               % (self.export_type, arg.value, arg.producer, arg.producer),
                               {"export_type": self.export_type, "value": arg.value})
        if arg.construct is None or produced is None:
            return produced
        if not isinstance(produced, Mapping):
            raise ContractViolation("%s: %s is not an object, so construct = %s cannot take it as keyword arguments"
                                    % (self.export_type, arg.value, arg.construct), {"export_type": self.export_type})
        cls = self.load(arg.construct, "class")
        try:
            return cls(**produced)
        except TypeError as error:
            raise ContractViolation("%s: %s(**%s) failed: %s" % (self.export_type, arg.construct, arg.value, error),
                                    {"export_type": self.export_type}) from error

    def run_value(self, arg: Argument) -> Any:
        value = self.run.get(arg.run)
        if not isinstance(value, str):
            raise MissingValue("%s: its call takes run.%s, which the activity input does not carry"
                               % (self.export_type, arg.run), {"export_type": self.export_type})
        if arg.run != "started_at" or arg.format is None:
            return value
        return parse_instant(value).strftime(arg.format)


def parse_instant(text: str) -> datetime.datetime:
    """An input instant (``2026-02-03T18:00:00.000000+00:00`` or ``…Z``, 0 to 7 fractional digits) as UTC."""
    text = text.replace("Z", "+00:00")
    head, _, zone = text.partition("+")
    if "." in head:
        head, fraction = head.split(".")
        head = "%s.%s" % (head, (fraction + "000000")[:6])
    return datetime.datetime.fromisoformat(head + "+" + (zone or "00:00")).astimezone(datetime.timezone.utc)


def import_attribute(dotted: str) -> Optional[Any]:
    """``module.path.name`` imported, or None when the module has no such attribute (ImportError propagates)."""
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name, None)
