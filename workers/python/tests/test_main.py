"""``python -m exportflows_worker`` as a process, against the fake original."""

import importlib.util
import os
import subprocess
import sys
import unittest

from tests.fake_original import FakeOriginal
from tests.support import NEW_TYPES

WORKER_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(*args, env=None):
    environment = {"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1"}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "exportflows_worker"] + list(args), cwd=WORKER_DIR, env=environment,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=60)


class MainTests(unittest.TestCase):
    def test_Check_CompleteOriginal_ListsEveryActivityOkAndExitsZero(self):
        fake = FakeOriginal()
        self.addCleanup(fake.close)
        done = run("--check", env={"EXPORTFLOWS_ORIGINAL_REPO": fake.root})
        self.assertEqual(done.returncode, 0, done.stderr)
        lines = done.stdout.splitlines()
        self.assertEqual(len(lines), 39)
        self.assertTrue(all(line.startswith("ok ") for line in lines))
        self.assertIn("ExportPredictions          PredictionsExporter().export(target_date, update_today=update_latest)",
                      done.stdout)

    def test_Check_ExporterMissing_ExitsOneAndSaysWhich(self):
        fake = FakeOriginal({"deep_dive_exporter": None})
        self.addCleanup(fake.close)
        done = run("--check", env={"EXPORTFLOWS_ORIGINAL_REPO": fake.root, "EXPORTFLOWS_TYPES": "results,trends-deep-dive"})
        self.assertEqual(done.returncode, 1)
        self.assertRegex(done.stdout, r"(?m)^ok +ExportResults ")
        self.assertRegex(done.stdout, r"(?m)^FAILED ExportTrendsDeepDive .*deep_dive_exporter")

    def test_Check_OtherCatalog_ChecksItsRows(self):
        fake = FakeOriginal()
        self.addCleanup(fake.close)
        done = run("--check", "--catalog", NEW_TYPES, env={"EXPORTFLOWS_ORIGINAL_REPO": fake.root})
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.splitlines(), [
            "ok     ExportCalendar             CalendarExporter().export(days_back=30)",
            "ok     ExportSignalHealth         SignalHealthExporter().export(target_date)",
            "ok     ExportBestBetsRecord       BestBetsRecordExporter().export(target_date)"])

    def test_Main_InvalidCatalog_ExitsTwoNamingFileLineAndKey(self):
        fake = FakeOriginal()
        self.addCleanup(fake.close)
        bad = os.path.join(fake.root, "bad.toml")
        with open(bad, "w") as handle:
            handle.write('[types.calendar]\nkind = "external"\ndate = "none"\nobjects = [{ path = "v1/c.json" }]\n'
                         'call = { module = "m", class = "C", method = "export", args = ["days_back"] }\n')
        done = run("--check", env={"EXPORTFLOWS_ORIGINAL_REPO": fake.root, "EXPORTFLOWS_CATALOG": bad})
        self.assertEqual(done.returncode, 2)
        self.assertIn("%s:5: types.calendar.call.args[0]: unknown request value 'days_back'" % bad, done.stderr)
        self.assertNotIn("Traceback", done.stderr)
        self.assertEqual(done.stdout, "")

    def test_Main_NoRepository_ExitsTwoWithTheVariableToSet(self):
        done = run()
        self.assertEqual(done.returncode, 2)
        self.assertIn("EXPORTFLOWS_ORIGINAL_REPO is not set", done.stderr)
        self.assertNotIn("Traceback", done.stderr)

    @unittest.skipIf(importlib.util.find_spec("temporalio") is not None, "the Temporal SDK is installed here")
    def test_Main_WithoutTheTemporalSdk_ExitsTwoSayingWhatToInstall(self):
        fake = FakeOriginal()
        self.addCleanup(fake.close)
        done = run(env={"EXPORTFLOWS_ORIGINAL_REPO": fake.root})
        self.assertEqual(done.returncode, 2)
        self.assertIn("temporalio", done.stderr)
        self.assertIn("pip install -r requirements.txt", done.stderr)
        self.assertNotIn("Traceback", done.stderr)

    def test_Help_ListsTheEnvironmentVariablesExitCodesAndTheCallCommand(self):
        done = run("--help")
        self.assertEqual(done.returncode, 0)
        for name in ("EXPORTFLOWS_ORIGINAL_REPO", "EXPORTFLOWS_CATALOG", "EXPORTFLOWS_EXTERNAL_TASK_QUEUE",
                     "TEMPORAL_ADDRESS", "TEMPORAL_API_KEY", "--catalog FILE", "exit codes:", "python -m "
                     "exportflows_worker call --help"):
            self.assertIn(name, done.stdout)


if __name__ == "__main__":
    unittest.main()
