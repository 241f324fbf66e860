import types
import unittest

from exportflows_worker.bigquery_counts import make_counts
from exportflows_worker.preflight import PreflightCounts


def fake_bigquery(rows):
    """The parts of google.cloud.bigquery the counts use, recording what they are given."""
    seen = {}

    class Client:
        def __init__(self, project):
            seen["project"] = project

        def query(self, sql, job_config, timeout):
            seen.update(sql=sql, parameters=job_config.query_parameters, timeout=timeout)
            return types.SimpleNamespace(result=lambda timeout: iter(rows))

    class QueryJobConfig:
        def __init__(self, query_parameters):
            self.query_parameters = query_parameters

    def parameter(name, kind, value):
        return (name, kind, value)

    module = types.SimpleNamespace(Client=Client, QueryJobConfig=QueryJobConfig, ScalarQueryParameter=parameter)
    return module, seen


class BigQueryCountsTests(unittest.TestCase):
    def test_Counts_QueryBothTablesForTheDateAsADateParameter(self):
        module, seen = fake_bigquery([{"context_rows": 212, "active_predictions": 187}])
        counts = make_counts("nba-props-platform", bigquery=module)
        self.assertEqual(counts("2026-02-10"), PreflightCounts(212, 187))
        self.assertEqual(seen["project"], "nba-props-platform")
        self.assertEqual(seen["parameters"], [("target_date", "DATE", "2026-02-10")])
        self.assertIn("`nba-props-platform.nba_analytics.upcoming_player_game_context`", seen["sql"])
        self.assertIn("`nba-props-platform.nba_predictions.player_prop_predictions`", seen["sql"])
        self.assertIn("game_date = @target_date AND is_active", seen["sql"])

    def test_Counts_NoRow_IsAnError(self):
        module, _ = fake_bigquery([])
        with self.assertRaises(RuntimeError):
            make_counts("p", bigquery=module)("2026-02-10")


if __name__ == "__main__":
    unittest.main()
