"""Finding and calling the original's code in a checkout of the original repository.

The checkout's root goes on ``sys.path`` (as ``daily_export.py`` does) and each module is imported when first
needed, so a worker starts without importing every exporter and its Google clients. A row's call is a method of a
fresh instance of a class (``class`` + ``method``) or a module-level function (``function``), optionally chained to
a module-level function (``then``) called with its result when that is truthy; its arguments may name further
functions (``{ call = … }``) and classes (``construct``) of the original, each checked by ``--check``.
"""

import importlib
import inspect
import os
import sys
from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from .arguments import ArgumentResolver
from .catalog import REQUEST_VALUES, Argument, Call, ExternalRow
from .errors import ContractViolation, SetupError

# The folder a checkout of the original has (its exporters' package); the check that a path is such a checkout.
PACKAGE_DIR = os.path.join("data_processors", "publishing")


class Resolution(NamedTuple):
    export_type: str
    ok: bool
    message: str
    warnings: Tuple[str, ...] = ()


class Called(NamedTuple):
    """What a row's call gave: the return value (of its ``then`` when it has one; None when the first call returned
    nothing and ``then`` was not called) and a note saying so."""

    returned: Any
    note: Optional[str] = None


class OriginalExporters:
    def __init__(self, repo_root: str) -> None:
        root = os.path.abspath(repo_root)
        if not os.path.isdir(os.path.join(root, PACKAGE_DIR)):
            raise SetupError("EXPORTFLOWS_ORIGINAL_REPO=%s is not a checkout of the original repository: %s/ is "
                             "missing there (set it to the repository root)" % (repo_root, PACKAGE_DIR))
        self.repo_root = root
        if root not in sys.path:
            sys.path.insert(0, root)

    def _module(self, row: ExternalRow, module_name: str) -> Any:
        try:
            return importlib.import_module(module_name)
        except Exception as error:
            raise ContractViolation("%s: importing %s from %s failed: %s: %s (is the checkout complete and "
                                    "requirements.txt installed?)" % (row.export_type, module_name, self.repo_root,
                                                                     type(error).__name__, error),
                                    {"export_type": row.export_type}) from error

    def exporter_class(self, row: ExternalRow) -> type:
        call = row.call
        cls = getattr(self._module(row, call.module), call.class_name, None)
        if not isinstance(cls, type):
            raise ContractViolation("%s: %s has no class %s" % (row.export_type, call.module, call.class_name),
                                    {"export_type": row.export_type})
        _check_binds(row, cls, (), dict(call.constructor), "constructor")
        function = getattr(cls, call.method, None)
        if not callable(function):
            raise ContractViolation("%s: %s has no method %s" % (row.export_type, call.class_name, call.method),
                                    {"export_type": row.export_type})
        return cls

    def function(self, row: ExternalRow, call: Optional[Call] = None) -> Callable[..., Any]:
        """The module-level function of a ``function`` call (the row's, or ``call``: its ``then``)."""
        call = call or row.call
        found = getattr(self._module(row, call.module), call.function, None)
        if not callable(found) or isinstance(found, type):
            raise ContractViolation("%s: %s has no function %s" % (row.export_type, call.module, call.function),
                                    {"export_type": row.export_type})
        return found

    def attribute(self, row: ExternalRow, dotted: str, what: str) -> Any:
        """A function (``{ call = … }``) or class (``construct``) of the original, by its dotted name."""
        module, _, name = dotted.rpartition(".")
        found = getattr(self._module(row, module), name, None)
        ok = isinstance(found, type) if what == "class" else callable(found) and not isinstance(found, type)
        if not ok:
            raise ContractViolation("%s: %s has no %s %s" % (row.export_type, module, what, name),
                                    {"export_type": row.export_type})
        return found

    def resolver(self, row: ExternalRow, request_values: Mapping[str, Any],
                 dependency_values: Mapping[str, Mapping[str, Any]], run: Mapping[str, Any]) -> ArgumentResolver:
        return ArgumentResolver(row.export_type, request_values, dependency_values, run,
                                lambda dotted, what: self.attribute(row, dotted, what))

    def bound_call(self, row: ExternalRow, values: Any) -> Callable[[], Called]:
        """The row's call (on a fresh exporter instance), and its ``then`` when it has one, with the arguments of
        both checked against the installed signatures first. ``values``: the request's values (a mapping) or an
        ArgumentResolver. ``then`` runs only when the first call's result is truthy (the original's ``if rows:``),
        with that result as its ``{ result = true }`` arguments."""
        resolve = values if callable(values) else (lambda arg: arg.resolve(values))
        first = self._bound_first(row, resolve)
        then = row.call.then
        if then is None:
            return lambda: Called(first())
        target = self.function(row, then)
        args, kwargs = then.arguments(lambda arg: None if arg.result else resolve(arg))
        _check_binds(row, target, args, kwargs, "then", then.target)

        def chained() -> Called:
            returned = first()
            if not returned:
                named = row.call.function or "%s.%s" % (row.call.class_name, row.call.method)
                return Called(None, "%s returned nothing: %s not called" % (named, then.function))
            args, kwargs = then.arguments(lambda arg: returned if arg.result else resolve(arg))
            return Called(target(*args, **kwargs))
        return chained

    def _bound_first(self, row: ExternalRow, resolve: Callable[[Argument], Any]) -> Callable[[], Any]:
        if row.call.function:
            target = self.function(row)
            args, kwargs = row.call.arguments(resolve)
            _check_binds(row, target, args, kwargs, "call")
            return lambda: target(*args, **kwargs)
        cls = self.exporter_class(row)
        args, kwargs = row.call.arguments(resolve)
        _check_binds(row, getattr(cls, row.call.method), (None,) + args, kwargs, "call")
        instance = cls(**row.call.constructor)
        method = getattr(instance, row.call.method)
        return lambda: method(*args, **kwargs)

    def resolve_all(self, rows: Sequence[ExternalRow]) -> List[Resolution]:
        """Imports every exporter, function and class a row names and checks the call's signatures (the row's
        call, its constructor, its ``then``, each ``{ call = … }`` target with no arguments), without running
        anything."""
        results = []
        for row in rows:
            try:
                args, kwargs = row.call.arguments(_sample(row))
                if row.call.function:
                    target, bound_args = self.function(row), args
                else:
                    target, bound_args = getattr(self.exporter_class(row), row.call.method), (None,) + args
                _check_binds(row, target, bound_args, kwargs, "call")
                warnings = _name_mismatches(row, row.call, target, bound_args)
                then = row.call.then
                if then is not None:
                    then_target = self.function(row, then)
                    then_args, then_kwargs = then.arguments(_sample(row))
                    _check_binds(row, then_target, then_args, then_kwargs, "then", then.target)
                    warnings += _name_mismatches(row, then, then_target, then_args)
                for arg in row.call.every_argument():
                    if arg.call is not None:
                        _check_binds(row, self.attribute(row, arg.call, "function"), (), {}, arg.call + " (call)")
                    if arg.construct is not None:
                        self.attribute(row, arg.construct, "class")
                results.append(Resolution(row.export_type, True, row.describe_call(), warnings))
            except ContractViolation as error:
                results.append(Resolution(row.export_type, False, error.message))
        return results


def _sample(row: ExternalRow) -> Callable[[Argument], Any]:
    """Stand-ins for every argument (only the names matter to a signature check)."""
    values: Dict[str, Any] = dict.fromkeys(REQUEST_VALUES, "sample")
    values.update({name: option.default for name, option in row.options.items()})
    return lambda arg: arg.resolve(values) if arg.is_simple else "sample"


def _words(name: str) -> set:
    return {word for word in name.lower().split("_") if word}


def _name_mismatches(row: ExternalRow, call: Call, target: Any, bound_args: tuple) -> Tuple[str, ...]:
    """A request value (or option) that lands in a parameter of another name shares no word with it, e.g.
    ``target_date`` passed positionally into ``days_back``: it binds, and is almost certainly the wrong place.
    ``call``: the row's call or its ``then``."""
    try:
        parameters = list(inspect.signature(target).parameters.values())
    except (TypeError, ValueError):
        return ()
    skip = len(bound_args) - len(call.args)  # self of a method
    landing = [(arg, parameters[skip + i].name) for i, arg in enumerate(call.args)
               if skip + i < len(parameters) and parameters[skip + i].kind in (
                   inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    landing += [(arg, parameter) for parameter, arg in call.kwargs]
    return tuple("%s: request value '%s' is passed to parameter '%s' of %s: the names share no word; check the "
                 "row's call (a date into a count, say)" % (row.export_type, arg.name, parameter, call.target)
                 for arg, parameter in landing
                 if arg.name is not None and arg.value is None and not (_words(arg.name) & _words(parameter)))


def _check_binds(row: ExternalRow, target: Any, args: tuple, kwargs: dict, what: str,
                 installed: Optional[str] = None) -> None:
    """``installed``: what is named as not taking the arguments (default: the row's call's target)."""
    try:
        signature = inspect.signature(target)
    except (TypeError, ValueError):
        return  # a builtin or C callable: nothing to check
    try:
        signature.bind(*args, **kwargs)
    except TypeError as error:
        raise ContractViolation("%s: the installed %s does not take the arguments of %s (%s): %s"
                                % (row.export_type, installed or row.call.target, row.describe_call(), what, error),
                                {"export_type": row.export_type}) from error
