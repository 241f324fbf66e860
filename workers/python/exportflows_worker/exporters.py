"""Finding and calling the original exporters in a checkout of the original repository.

The checkout's root goes on ``sys.path`` (as ``daily_export.py`` does) and each exporter module is imported when
first needed, so a worker starts without importing every exporter and its Google clients.
"""

import importlib
import inspect
import os
import sys
from typing import Any, Callable, List, NamedTuple, Sequence

from .catalog import PACKAGE, ExporterSpec
from .errors import ContractViolation

PACKAGE_DIR = os.path.join(*PACKAGE.split("."))


class SetupError(Exception):
    """The worker cannot start as configured (exit 2 with this message)."""


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

    def exporter_class(self, spec: ExporterSpec) -> type:
        try:
            module = importlib.import_module(spec.qualified_module)
        except Exception as error:
            raise ContractViolation("%s: importing %s from %s failed: %s: %s (is the checkout complete and "
                                    "requirements.txt installed?)" % (spec.export_type, spec.qualified_module,
                                                                     self.repo_root, type(error).__name__, error),
                                    {"export_type": spec.export_type}) from error
        cls = getattr(module, spec.class_name, None)
        if not isinstance(cls, type):
            raise ContractViolation("%s: %s has no class %s" % (spec.export_type, spec.qualified_module,
                                                                spec.class_name), {"export_type": spec.export_type})
        _check_binds(spec, cls, (), dict(spec.constructor_kwargs), "constructor")
        function = getattr(cls, spec.method, None)
        if not callable(function):
            raise ContractViolation("%s: %s has no method %s" % (spec.export_type, spec.class_name, spec.method),
                                    {"export_type": spec.export_type})
        return cls

    def bound_call(self, spec: ExporterSpec, values: dict) -> Callable[[], Any]:
        """A fresh exporter instance's call, with arguments checked against the installed signature first."""
        cls = self.exporter_class(spec)
        args, kwargs = spec.call_arguments(values)
        _check_binds(spec, getattr(cls, spec.method), (None,) + args, kwargs, "call")
        instance = cls(**spec.constructor_kwargs)
        method = getattr(instance, spec.method)
        return lambda: method(*args, **kwargs)

    def resolve_all(self, specs: Sequence[ExporterSpec]) -> List[Resolution]:
        """Imports every exporter and checks its constructor and call signatures, without running anything."""
        results = []
        for spec in specs:
            try:
                cls = self.exporter_class(spec)
                sample = {"target_date": "2026-01-01", "update_latest": True, "min_games": 5}
                args, kwargs = spec.call_arguments(sample)
                _check_binds(spec, getattr(cls, spec.method), (None,) + args, kwargs, "call")
                results.append(Resolution(spec.export_type, True, spec.describe_call()))
            except ContractViolation as error:
                results.append(Resolution(spec.export_type, False, error.message))
        return results


def _check_binds(spec: ExporterSpec, target: Any, args: tuple, kwargs: dict, what: str) -> None:
    try:
        signature = inspect.signature(target)
    except (TypeError, ValueError):
        return  # a builtin or C callable: nothing to check
    try:
        signature.bind(*args, **kwargs)
    except TypeError as error:
        raise ContractViolation("%s: the installed %s does not take the arguments of %s (%s): %s"
                                % (spec.export_type, spec.class_name, spec.describe_call(), what, error),
                                {"export_type": spec.export_type}) from error
