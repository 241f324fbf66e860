import contextvars
import threading
import time
import unittest

from exportflows_worker.exporters import OriginalExporters
from exportflows_worker.heartbeat import Heartbeater, interval_for
from exportflows_worker.preflight import PreflightCounts
from exportflows_worker.runner import run_export

from tests.fake_original import FakeOriginal
from tests.support import SHIPPED, Beats, request

CURRENT_ACTIVITY = contextvars.ContextVar("current_activity")


class HeartbeatTests(unittest.TestCase):
    def setUp(self):
        self.fake = FakeOriginal()
        self.addCleanup(self.fake.close)
        self.exporters = OriginalExporters(self.fake.root)

    def export(self, export_type, beats, interval=0.05):
        return run_export(request(export_type), catalog=SHIPPED, expected_type=export_type, exporters=self.exporters,
                          counts=lambda d: PreflightCounts(100, 100), heartbeat=beats, heartbeat_interval=interval)

    def test_RunExport_SlowExporter_HeartbeatsKeepTickingWhileItRuns(self):
        seen_during_export = []
        beats = Beats()

        def slow(target_date):
            deadline = time.monotonic() + 5
            while beats.count < 6 and time.monotonic() < deadline:  # wait on the condition, bounded
                time.sleep(0.01)
            seen_during_export.append(beats.count)
            return ["gs://nba-props-platform-api/v1/tonight/player/a.json"]

        self.fake.control.OVERRIDES["TonightPlayerExporter"] = slow
        result = self.export("tonight-players", beats)
        self.assertGreaterEqual(seen_during_export[0], 6)
        self.assertEqual(result["objects"][0]["name"], "v1/tonight/player/a.json")
        phases = [d["phase"] for d in beats.details]
        self.assertIn("export", phases)
        self.assertTrue(all(d["export_type"] == "tonight-players" for d in beats.details))
        elapsed = [d["elapsed_seconds"] for d in beats.details]
        self.assertEqual(elapsed, sorted(elapsed))

    def test_RunExport_AfterItReturns_NoMoreHeartbeats(self):
        beats = Beats()
        self.export("results", beats, interval=0.02)
        after = beats.count
        time.sleep(0.1)
        self.assertEqual(beats.count, after)
        self.assertGreaterEqual(after, 1)
        self.assertEqual([t.name for t in threading.enumerate() if t.name.startswith("heartbeat-")], [])

    def test_RunExport_ExporterFails_HeartbeatsStopToo(self):
        beats = Beats()

        def failing(*args, **kwargs):
            raise RuntimeError("boom")

        self.fake.control.OVERRIDES["ResultsExporter"] = failing
        with self.assertRaises(RuntimeError):
            self.export("results", beats, interval=0.02)
        after = beats.count
        time.sleep(0.1)
        self.assertEqual(beats.count, after)

    def test_RunExport_HeartbeatRaises_ExportStillSucceeds(self):
        def broken(details):
            raise ConnectionError("server unreachable")

        result = self.export("results", broken)
        self.assertEqual(result["objects"][0]["name"], "v1/results/2026-02-10.json")

    def test_Heartbeater_RunsInTheCallersContext_SoAnSdkFindsTheCurrentActivity(self):
        seen = []
        CURRENT_ACTIVITY.set("ExportResults attempt 1")
        done = threading.Event()

        def beat(details):
            seen.append(CURRENT_ACTIVITY.get(None))
            done.set()

        with Heartbeater(beat, 10.0, "results"):
            self.assertTrue(done.wait(5))
        self.assertEqual(seen, ["ExportResults attempt 1"])

    def test_Heartbeater_NonPositiveInterval_IsRefused(self):
        with self.assertRaises(ValueError):
            Heartbeater(lambda d: None, 0, "results")

    def test_IntervalFor_HeartbeatTimeout_CapsAtAThird(self):
        self.assertEqual(interval_for(5.0, 30.0), 5.0)
        self.assertEqual(interval_for(5.0, 6.0), 2.0)
        self.assertEqual(interval_for(5.0, None), 5.0)
        self.assertEqual(interval_for(5.0, 0.0), 5.0)


if __name__ == "__main__":
    unittest.main()
