"""The pre-flight counts from BigQuery (production); google-cloud-bigquery is imported only here, when used."""

from typing import Any, Optional, Sequence

from .catalog import ExternalRow
from .errors import SetupError
from .preflight import CountsFn, PreflightCounts

SQL = """
SELECT
  (SELECT COUNT(*) FROM `{project}.nba_analytics.upcoming_player_game_context`
    WHERE game_date = @target_date) AS context_rows,
  (SELECT COUNT(*) FROM `{project}.nba_predictions.player_prop_predictions`
    WHERE game_date = @target_date AND is_active) AS active_predictions
"""

QUERY_TIMEOUT_SECONDS = 60.0


def make_counts(project: str, bigquery: Optional[Any] = None) -> CountsFn:
    """Counts for a date in one query job. ``bigquery`` is the ``google.cloud.bigquery`` module (tests pass a fake)."""
    if bigquery is None:
        from google.cloud import bigquery  # noqa: PLC0415 - only a worker that runs the pre-flight needs it
    client = bigquery.Client(project=project)
    sql = SQL.format(project=project)

    def counts(target_date: str) -> PreflightCounts:
        config = bigquery.QueryJobConfig(
            query_parameters=[bigquery.ScalarQueryParameter("target_date", "DATE", target_date)])
        job = client.query(sql, job_config=config, timeout=QUERY_TIMEOUT_SECONDS)
        rows = list(job.result(timeout=QUERY_TIMEOUT_SECONDS))
        if len(rows) != 1:
            raise RuntimeError("the pre-flight query returned %d rows, expected 1" % len(rows))
        return PreflightCounts(int(rows[0]["context_rows"]), int(rows[0]["active_predictions"]))

    return counts


def counts_for(rows: Sequence[ExternalRow], project: str) -> CountsFn:
    """The pre-flight's counts when one of ``rows`` needs them (SetupError when the client cannot be created),
    else a function that is never called."""
    if not any(row.preflight for row in rows):
        return _unused_counts
    try:
        return make_counts(project)
    except Exception as error:  # ImportError, or no Google credentials on this machine
        raise SetupError("cannot create the BigQuery client of the pre-flight (project %s) that %s need%s: %s: %s"
                         % (project, ", ".join(r.export_type for r in rows if r.preflight),
                            "s" if sum(r.preflight for r in rows) == 1 else "", type(error).__name__, error)) from None


def _unused_counts(target_date: str) -> PreflightCounts:
    raise AssertionError("no served type needs the pre-flight")
