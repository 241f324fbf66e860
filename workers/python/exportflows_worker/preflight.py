"""The original consumer's pre-flight, as a check of each export alone (the rows with ``preflight = true``).

The original ran it once per message and, when it failed, skipped every type of the message, subset-picks and
daily-signals included (pitfall P19). Here only an export whose catalog row sets ``preflight = true`` (tonight,
tonight-players, predictions, best-bets and streaks in the shipped catalog) is checked, and a failed check is
NotReady: that one export is retried with backoff while the others run.
"""

from typing import Callable, NamedTuple

from .errors import ExportError, NotReady
from .failures import missing_table

MIN_CONTEXT_ROWS = 30
MIN_ACTIVE_PREDICTIONS = 50


class PreflightCounts(NamedTuple):
    context_rows: int  # nba_analytics.upcoming_player_game_context rows for the date
    active_predictions: int  # nba_predictions.player_prop_predictions rows for the date with is_active


CountsFn = Callable[[str], PreflightCounts]


def check(export_type: str, target_date: str, counts: CountsFn) -> None:
    """Raises NotReady unless the date has the context rows and active predictions the tonight exports need.

    A failing count query counts as not ready (as in the original), except a typed failure such as MissingTable.
    """
    try:
        found = counts(target_date)
    except ExportError:
        raise
    except Exception as error:
        missing = missing_table(error, export_type)
        if missing is not None:
            raise missing from error
        raise NotReady("%s for %s: the pre-flight count query failed (%s); retrying"
                       % (export_type, target_date, error),
                       {"reason": "preflight_query_failed", "export_type": export_type}) from error
    if found.context_rows < MIN_CONTEXT_ROWS:
        raise NotReady("%s for %s: analytics not ready: %d nba_analytics.upcoming_player_game_context rows "
                       "(need at least %d)" % (export_type, target_date, found.context_rows, MIN_CONTEXT_ROWS),
                       {"reason": "analytics_not_ready", "export_type": export_type,
                        "context_rows": found.context_rows, "active_predictions": found.active_predictions})
    if found.active_predictions < MIN_ACTIVE_PREDICTIONS:
        raise NotReady("%s for %s: predictions not ready: %d active predictions (need at least %d)"
                       % (export_type, target_date, found.active_predictions, MIN_ACTIVE_PREDICTIONS),
                       {"reason": "validation_failed", "export_type": export_type,
                        "context_rows": found.context_rows, "active_predictions": found.active_predictions})
