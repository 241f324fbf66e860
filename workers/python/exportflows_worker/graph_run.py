"""Running a row with its dependencies in one process (``call --with-dependencies``), as the workflow would:
dependencies first, in order; ``requires`` only after success, ``after`` whatever the outcome; each row gets the
values of its direct dependencies; a value it needs (no default, not optional) that is missing means not run."""

from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional

from .catalog import Catalog
from .errors import SetupError

SUCCEEDED, FAILED, NOT_RUN = "succeeded", "failed", "not-run"
EXIT_NOT_RUN = 1


class RowOutcome(NamedTuple):
    export_type: str
    outcome: str  # succeeded, failed, not-run
    result: Optional[Dict[str, Any]]
    reason: Optional[str]  # why it failed or was not run
    exit_code: int

    @property
    def values(self) -> Mapping[str, Any]:
        return (self.result or {}).get("values") or {}

    def report(self) -> Dict[str, Any]:
        found: Dict[str, Any] = {"export_type": self.export_type, "outcome": self.outcome}
        found["result" if self.outcome == SUCCEEDED else "reason"] = \
            self.result if self.outcome == SUCCEEDED else self.reason
        return found


def dependency_order(catalog: Catalog, export_type: str) -> List[str]:
    """The row's dependencies (requires and after, transitively) in an order that runs each after its own, then
    the row itself. The catalog check refused cycles and unknown names."""
    order: List[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        for dependency in catalog.dependencies.get(name, ()):
            visit(dependency)
        order.append(name)

    if export_type not in catalog.dependencies:
        raise SetupError("%s is not a row of the catalog %s" % (export_type, catalog.path))
    visit(export_type)
    return order


def run_graph(catalog: Catalog, order: List[str],
              run_one: Callable[[str, Mapping[str, Mapping[str, Any]]], Dict[str, Any]],
              exit_code: Callable[[str, Exception], int]) -> List[RowOutcome]:
    """Each row of ``order`` run (or not) by ``run_one(row, values of its direct dependencies)``."""
    done: Dict[str, RowOutcome] = {}
    for name in order:
        done[name] = _one(catalog, name, done, run_one, exit_code)
    return [done[name] for name in order]


def _one(catalog: Catalog, name: str, done: Mapping[str, RowOutcome], run_one, exit_code) -> RowOutcome:
    row = catalog.external.get(name)
    if row is None:
        return RowOutcome(name, NOT_RUN, None, "%s is native: ExportFlows runs it, not the Python worker" % name,
                          EXIT_NOT_RUN)
    for dependency in row.requires:
        if done[dependency].outcome != SUCCEEDED:
            return RowOutcome(name, NOT_RUN, None, "required dependency %s %s" % (
                dependency, "failed" if done[dependency].outcome == FAILED else "was not run"),
                done[dependency].exit_code)
    values = {dependency: dict(done[dependency].values) for dependency in row.dependencies
              if done[dependency].outcome == SUCCEEDED and done[dependency].values}
    for arg in row.call.every_argument():
        if arg.value is not None and arg.default is None and not arg.optional \
                and arg.value_name not in values.get(arg.producer, {}):
            producer = done[arg.producer]
            return RowOutcome(name, NOT_RUN, None, "value %s is missing (%s %s)" % (
                arg.value, arg.producer, producer.outcome if producer.outcome != SUCCEEDED else "gave no such value"),
                producer.exit_code if producer.outcome != SUCCEEDED else EXIT_NOT_RUN)
    try:
        return RowOutcome(name, SUCCEEDED, run_one(name, values), None, 0)
    except Exception as error:
        return RowOutcome(name, FAILED, None, "%s: %s" % (getattr(error, "error_type", type(error).__name__),
                                                          getattr(error, "message", error)),
                          exit_code(name, error))
