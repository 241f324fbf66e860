"""``python -m exportflows_worker call TYPE --date D`` as a process, against the fake original."""

import importlib.util
import json
import unittest

from tests.fake_original import FakeOriginal
from tests.support import NEW_TYPES, SHIPPED
from tests.test_main import run

# A player_profile_exporter that names the min_games it was given in its paths, so the process's result shows it.
PROFILES_NAMING_MIN_GAMES = '''
class PlayerProfileExporter:
    def export_all_players(self, min_games=5):
        root = "gs://nba-props-platform-api/v1/players/"
        return [root + "index.json", root + "min-games-%d.json" % min_games]
'''
CRASHING_RESULTS = '''
class ResultsExporter:
    def export(self, target_date, update_latest=True):
        raise RuntimeError("BigQuery job failed: 503 backend error")
'''


class CallCommandTests(unittest.TestCase):
    replace = {"player_profile_exporter": PROFILES_NAMING_MIN_GAMES, "results_exporter": CRASHING_RESULTS,
               "deep_dive_exporter": None}

    def setUp(self):
        self.fake = FakeOriginal(self.replace)
        self.addCleanup(self.fake.close)

    def call(self, *args, **env):
        return run("call", *args, env=dict({"EXPORTFLOWS_ORIGINAL_REPO": self.fake.root}, **env))

    def test_Call_NewRowOfAnotherCatalog_PrintsTheContractResultAndExitsZero(self):
        done = self.call("calendar", "--date", "2026-02-10", "--catalog", NEW_TYPES)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(json.loads(done.stdout), {"export_type": "calendar", "skipped_reason": None, "objects": [
            {"name": "v1/calendar/game-counts.json", "bytes": None, "generation": None}]})
        logs = [json.loads(line) for line in done.stderr.splitlines()]
        self.assertIn("export started: CalendarExporter().export(days_back=30)", [entry["message"] for entry in logs])
        self.assertEqual({entry.get("trigger") for entry in logs if "export_type" in entry}, {"cli"})

    def test_Call_CatalogFromTheVariable_DictResultIsEveryObject(self):
        done = self.call("best-bets-record", "--date", "2026-02-10", EXPORTFLOWS_CATALOG=NEW_TYPES)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual([o["name"] for o in json.loads(done.stdout)["objects"]],
                         ["v1/best-bets/record.json", "v1/best-bets/history.json"])

    def test_Call_OptionAndDefault_ReachTheExporter(self):
        done = self.call("player-profiles", "--date", "2026-02-10", "--option", "min_games=12",
                         "--option", "force=true")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(json.loads(done.stdout)["objects"][1]["name"], "v1/players/min-games-12.json")
        done = self.call("player-profiles", "--date", "2026-02-10")
        self.assertEqual(json.loads(done.stdout)["objects"][1]["name"], "v1/players/min-games-5.json")

    def test_Call_BadCommandLineOrRow_ExitsTwoAndRunsNothing(self):
        cases = [(("standings", "--date", "2026-02-10"), "standings is not a type of the catalog %s" % SHIPPED.path),
                 (("subset-picks", "--date", "2026-02-10"), "subset-picks is native in the catalog"),
                 (("results", "--date", "2026-02-30"), "target_date '2026-02-30' is not a calendar date"),
                 (("player-profiles", "--date", "2026-02-10", "--option", "min_games=0"),
                  "options.min_games must be an integer from 1 to 82, got 0"),
                 (("player-profiles", "--date", "2026-02-10", "--option", "min_games"), "write NAME=VALUE"),
                 (("results", "--date", "2026-02-10", "--catalog", "/nowhere.toml"), "/nowhere.toml: no such file"),
                 (("results",), "--date YYYY-MM-DD is required for results (its catalog row has date = \"target\")")]
        for args, message in cases:
            with self.subTest(args=args):
                done = self.call(*args)
                self.assertEqual(done.returncode, 2, done.stderr)
                self.assertIn(message, done.stderr)
                self.assertEqual(done.stdout, "")
                self.assertNotIn("Traceback", done.stderr)

    def test_Call_ContractViolation_ExitsOne(self):
        done = self.call("trends-deep-dive", "--date", "2026-02-10")
        self.assertEqual(done.returncode, 1)
        self.assertIn("ContractViolation (non-retryable): trends-deep-dive: importing "
                      "data_processors.publishing.deep_dive_exporter", done.stderr)
        self.assertEqual(done.stdout, "")

    def test_Call_ExporterCrash_ExitsThreeAsRetryable(self):
        done = self.call("results", "--date", "2026-02-10")
        self.assertEqual(done.returncode, 3)
        self.assertIn("RuntimeError (retryable): BigQuery job failed: 503 backend error", done.stderr)

    @unittest.skipIf(importlib.util.find_spec("google") is not None, "google-cloud-bigquery is installed here")
    def test_Call_PreflightRowWithoutBigQuery_ExitsTwoUnlessLeftOut(self):
        done = self.call("tonight", "--date", "2026-02-10")
        self.assertEqual(done.returncode, 2)
        self.assertIn("cannot create the BigQuery client of the pre-flight (project nba-props-platform) that tonight "
                      "needs", done.stderr)
        self.assertIn("--no-preflight", done.stderr)
        done = self.call("tonight", "--date", "2026-02-10", "--no-preflight", "--update-latest")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(json.loads(done.stdout)["objects"][0]["name"], "v1/tonight/2026-02-10.json")

    def test_Help_ListsTheExitCodes(self):
        done = run("call", "--help")
        self.assertEqual(done.returncode, 0)
        for text in ("exit codes:", "  0  the export ran", "  1  the export failed and a retry would not help",
                     "  2  nothing ran", "  3  the export failed and a retry may help", "--option NAME=VALUE",
                     "EXPORTFLOWS_ORIGINAL_REPO", "EXPORTFLOWS_CATALOG"):
            self.assertIn(text, done.stdout)


if __name__ == "__main__":
    unittest.main()
