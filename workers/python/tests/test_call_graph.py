"""``call`` without --date for a date = "none" row, ``call --with-dependencies``, and ``--check`` of the graph's
call forms, as processes against the fake original."""

import json
import os
import tempfile
import textwrap
import unittest

from tests.fake_original import FakeOriginal
from tests.test_main import run

# A signal best bets exporter that says which version_id it got (its announced skip carries it).
SIGNAL_NAMING_VERSION = '''
class SignalBestBetsExporter:
    def export(self, target_date, version_id=None):
        return "signal-best-bets/%s.json (skipped — version %s)" % (target_date, version_id)
'''
# A cross-model materializer that says which version_id it got (a step's return is not paths: an error shows it).
CROSS_MODEL_NAMING_VERSION = '''
class CrossModelSubsetMaterializer:
    def materialize(self, game_date, version_id, trigger_source="export", discovered_models=None):
        raise RuntimeError("version %s, models %s" % (version_id, type(discovered_models).__name__))
'''
CRASHING_MATERIALIZER = '''
class SubsetMaterializer:
    def materialize(self, game_date, trigger_source="unknown", batch_id=None, active_system_ids=None):
        raise RuntimeError("BigQuery quota exceeded")
'''
HARD_DEPENDENCY = '''
[types.materialize]
kind = "external"
step = true
date = "target"
call = { module = "data_processors.publishing.subset_materializer", class = "SubsetMaterializer", method = "materialize", args = ["target_date"] }
values = { version_id = "result.version_id" }

[types.signal]
kind = "external"
date = "target"
requires = ["materialize"]
objects = [{ path = "v1/signal-best-bets/{date}.json" }]
call = { module = "data_processors.publishing.signal_best_bets_exporter", class = "SignalBestBetsExporter", method = "export", args = ["target_date"], kwargs = { version_id = { value = "materialize.version_id" } } }
'''
BROKEN_FORMS = '''
[types.discover]
kind = "external"
step = true
date = "target"
call = { module = "shared.config.cross_model_subsets", function = "discover_models", args = [{ call = "shared.config.cross_model_subsets.discover_models" }, "target_date"] }
values = { models = "result" }

[types.cross]
kind = "external"
step = true
date = "target"
after = ["discover"]
call = { module = "data_processors.publishing.cross_model_subset_materializer", class = "CrossModelSubsetMaterializer", method = "materialize", args = ["target_date"], kwargs = { version_id = { const = "v" }, discovered_models = { value = "discover.models", optional = true, construct = "shared.config.cross_model_subsets.Models" } } }

[types.missing]
kind = "external"
step = true
date = "target"
call = { module = "shared.config.cross_model_subsets", function = "find_models", args = ["target_date"] }
'''


class CallGraphTestCase(unittest.TestCase):
    replace = None

    def setUp(self):
        self.fake = FakeOriginal(self.replace)
        self.addCleanup(self.fake.close)

    def call(self, *args):
        return run("call", *args, env={"EXPORTFLOWS_ORIGINAL_REPO": self.fake.root})

    def catalog(self, text):
        handle, path = tempfile.mkstemp(suffix=".toml")
        with os.fdopen(handle, "w") as out:
            out.write(textwrap.dedent(text))
        self.addCleanup(os.remove, path)
        return path


class CallDateTests(CallGraphTestCase):
    def test_Call_DateNoneRowWithoutDate_RunsForToday(self):
        done = self.call("calendar")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual([o["name"] for o in json.loads(done.stdout)["objects"]], ["v1/calendar/game-counts.json"])
        self.assertIn("export started: CalendarExporter().export(days_back=30)", done.stderr)

    def test_Call_StepAlone_PrintsItsValues(self):
        done = self.call("discover-models", "--date", "2026-02-10")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(json.loads(done.stdout)["values"]["system_ids"], ["catboost_v9", "xgboost_v2"])

    def test_Call_ValueWithoutDefaultAlone_IsMissingValueExitOne(self):
        done = self.call("signal", "--date", "2026-02-10", "--catalog", self.catalog(HARD_DEPENDENCY))
        self.assertEqual(done.returncode, 1, done.stderr)
        self.assertIn("MissingValue (non-retryable): signal: its call takes materialize.version_id", done.stderr)


class WithDependenciesTests(CallGraphTestCase):
    replace = {"signal_best_bets_exporter": SIGNAL_NAMING_VERSION}

    def test_Call_SignalBestBets_RunsTheFourStepsFirstAndGetsTheMaterializersVersion(self):
        done = self.call("signal-best-bets", "--date", "2026-02-10", "--with-dependencies", "--no-preflight")
        self.assertEqual(done.returncode, 0, done.stderr)
        outcomes = json.loads(done.stdout)
        self.assertEqual([(o["export_type"], o["outcome"]) for o in outcomes], [
            ("discover-models", "succeeded"), ("materialize-subsets", "succeeded"),
            ("cross-model-subsets", "succeeded"),
            ("annotate-signals", "succeeded"), ("signal-best-bets", "succeeded")])
        self.assertEqual(outcomes[1]["result"]["values"], {"version_id": "v_20260210_170000"})
        self.assertEqual(outcomes[4]["result"]["skipped_reason"],
                         "SignalBestBetsExporter.export skipped signal-best-bets/2026-02-10.json: version "
                         "v_20260210_170000")

    def test_Call_WithoutTheFlag_RunsTheRowAloneWithoutValues(self):
        done = self.call("signal-best-bets", "--date", "2026-02-10")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(json.loads(done.stdout)["skipped_reason"],
                         "SignalBestBetsExporter.export skipped signal-best-bets/2026-02-10.json: version None")


class SoftDependencyFailedTests(CallGraphTestCase):
    replace = {"signal_best_bets_exporter": SIGNAL_NAMING_VERSION, "subset_materializer": CRASHING_MATERIALIZER,
               "cross_model_subset_materializer": CROSS_MODEL_NAMING_VERSION}

    def test_Call_MaterializerFails_LaterRowsStillRunWithTheDefaultAndNone(self):
        done = self.call("signal-best-bets", "--date", "2026-02-10", "--with-dependencies")
        self.assertEqual(done.returncode, 0, done.stderr)
        outcomes = {o["export_type"]: o for o in json.loads(done.stdout)}
        self.assertEqual(outcomes["materialize-subsets"],
                         {"export_type": "materialize-subsets", "outcome": "failed",
                          "reason": "RuntimeError: BigQuery quota exceeded"})
        reason = outcomes["cross-model-subsets"]["reason"]  # the run's start, formatted: v_YYYYmmdd_HHMMSS
        self.assertRegex(reason, r"^RuntimeError: version v_\d{8}_\d{6}, models DiscoveredModels$")
        self.assertEqual(outcomes["annotate-signals"]["outcome"], "succeeded")
        self.assertTrue(outcomes["signal-best-bets"]["result"]["skipped_reason"].endswith("version None"))


class HardDependencyFailedTests(CallGraphTestCase):
    replace = {"subset_materializer": CRASHING_MATERIALIZER}

    def test_Call_RequiredDependencyFails_RowIsNotRunAndExitsWithItsCode(self):
        done = self.call("signal", "--date", "2026-02-10", "--with-dependencies", "--catalog",
                         self.catalog(HARD_DEPENDENCY))
        self.assertEqual(done.returncode, 3, done.stderr)
        self.assertEqual(json.loads(done.stdout), [
            {"export_type": "materialize", "outcome": "failed", "reason": "RuntimeError: BigQuery quota exceeded"},
            {"export_type": "signal", "outcome": "not-run", "reason": "required dependency materialize failed"}])


class CheckGraphTests(CallGraphTestCase):
    def test_Check_CallTargetWithArgumentsMissingFunctionOrClass_AreEachFailed(self):
        done = run("--check", "--catalog", self.catalog(BROKEN_FORMS),
                   env={"EXPORTFLOWS_ORIGINAL_REPO": self.fake.root})
        self.assertEqual(done.returncode, 1, done.stderr)
        lines = done.stdout.splitlines()
        self.assertEqual(len(lines), 3)
        self.assertIn("FAILED ExportDiscover", lines[0])
        self.assertIn("shared.config.cross_model_subsets.discover_models (call)): missing a required argument: "
                      "'bq_client'", lines[0])
        self.assertIn("FAILED ExportCross                cross: shared.config.cross_model_subsets has no class "
                      "Models", lines[1])
        self.assertIn("FAILED ExportMissing              missing: shared.config.cross_model_subsets has no function "
                      "find_models", lines[2])

    def test_Check_ShippedCatalog_BindsEveryRowAndStep(self):
        done = run("--check", env={"EXPORTFLOWS_ORIGINAL_REPO": self.fake.root})
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("ok     ExportDiscoverModels       shared.config.cross_model_subsets.discover_models("
                      "shared.clients.bigquery_pool.get_bigquery_client(), target_date)", done.stdout)


if __name__ == "__main__":
    unittest.main()
