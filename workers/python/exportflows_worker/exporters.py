"""Finding and calling the original exporters in a checkout of the original repository.

The checkout's root goes on ``sys.path`` (as ``daily_export.py`` does) and each exporter module is imported when
first needed, so a worker starts without importing every exporter and its Google clients.
"""

import importlib
import inspect
import os
import sys
from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Sequence

from .catalog import REQUEST_VALUES, ExternalRow
from .errors import ContractViolation, SetupError

# The folder a checkout of the original has (its exporters' package); the check that a path is such a checkout.
PACKAGE_DIR = os.path.join("data_processors", "publishing")


class Resolution(NamedTuple):
    export_type: str
    ok: bool
    message: str


class OriginalExporters:
    def __init__(self, repo_root: str) -> None:
        root = os.path.abspath(repo_root)
        if not os.path.isdir(os.path.join(root, PACKAGE_DIR)):
            raise SetupError("EXPORTFLOWS_ORIGINAL_REPO=%s is not a checkout of the original repository: %s/ is "
                             "missing there (set it to the repository root)" % (repo_root, PACKAGE_DIR))
        self.repo_root = root
        if root not in sys.path:
            sys.path.insert(0, root)

    def exporter_class(self, row: ExternalRow) -> type:
        call = row.call
        try:
            module = importlib.import_module(call.module)
        except Exception as error:
            raise ContractViolation("%s: importing %s from %s failed: %s: %s (is the checkout complete and "
                                    "requirements.txt installed?)" % (row.export_type, call.module, self.repo_root,
                                                                     type(error).__name__, error),
                                    {"export_type": row.export_type}) from error
        cls = getattr(module, call.class_name, None)
        if not isinstance(cls, type):
            raise ContractViolation("%s: %s has no class %s" % (row.export_type, call.module, call.class_name),
                                    {"export_type": row.export_type})
        _check_binds(row, cls, (), dict(call.constructor), "constructor")
        function = getattr(cls, call.method, None)
        if not callable(function):
            raise ContractViolation("%s: %s has no method %s" % (row.export_type, call.class_name, call.method),
                                    {"export_type": row.export_type})
        return cls

    def bound_call(self, row: ExternalRow, values: Mapping[str, Any]) -> Callable[[], Any]:
        """A fresh exporter instance's call, with arguments checked against the installed signature first."""
        cls = self.exporter_class(row)
        args, kwargs = row.call.arguments(values)
        _check_binds(row, getattr(cls, row.call.method), (None,) + args, kwargs, "call")
        instance = cls(**row.call.constructor)
        method = getattr(instance, row.call.method)
        return lambda: method(*args, **kwargs)

    def resolve_all(self, rows: Sequence[ExternalRow]) -> List[Resolution]:
        """Imports every exporter and checks its constructor and call signatures, without running anything."""
        results = []
        for row in rows:
            try:
                cls = self.exporter_class(row)
                args, kwargs = row.call.arguments(_sample_values(row))
                _check_binds(row, getattr(cls, row.call.method), (None,) + args, kwargs, "call")
                results.append(Resolution(row.export_type, True, row.describe_call()))
            except ContractViolation as error:
                results.append(Resolution(row.export_type, False, error.message))
        return results


def _sample_values(row: ExternalRow) -> Mapping[str, Any]:
    """Stand-ins for every value a call may name (only the names matter to a signature check)."""
    values: Dict[str, Any] = dict.fromkeys(REQUEST_VALUES, "sample")
    values.update({name: option.default for name, option in row.options.items()})
    return values


def _check_binds(row: ExternalRow, target: Any, args: tuple, kwargs: dict, what: str) -> None:
    try:
        signature = inspect.signature(target)
    except (TypeError, ValueError):
        return  # a builtin or C callable: nothing to check
    try:
        signature.bind(*args, **kwargs)
    except TypeError as error:
        raise ContractViolation("%s: the installed %s does not take the arguments of %s (%s): %s"
                                % (row.export_type, row.call.class_name, row.describe_call(), what, error),
                                {"export_type": row.export_type}) from error
