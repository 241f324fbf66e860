"""What an exporter returns, as the contract's result: shapes, skips, refusals and the bound on objects listed."""

import json
import unittest

from exportflows_worker.errors import ContractViolation
from exportflows_worker.results import MAX_LISTED_OBJECTS, MAX_NAME_LENGTH

from tests import jsonschema_subset
from tests.support import request, schema
from tests.test_runner import RunnerTestCase

ROOT = "gs://nba-props-platform-api/v1/"


class ShapeTests(RunnerTestCase):
    def returning(self, cls, returned):
        self.control.OVERRIDES[cls] = lambda *a, **k: returned

    def names(self, result):
        return [o["name"] for o in result["objects"]]

    def test_RunExport_OnePathAListOrADict_AreObjectsInTheOrderGiven(self):
        cases = [("results", "ResultsExporter", [ROOT + "results/2026-02-10.json"], ["v1/results/2026-02-10.json"]),
                 ("results", "ResultsExporter", {"daily": ROOT + "results/2026-02-10.json", "latest":
                                                 ROOT + "results/latest.json"},
                  ["v1/results/2026-02-10.json", "v1/results/latest.json"]),
                 ("results", "ResultsExporter", {"daily": ROOT + "results/2026-02-10.json", "latest": None},
                  ["v1/results/2026-02-10.json"]),
                 ("tonight-players", "TonightPlayerExporter", ROOT + "tonight/player/a.json",
                  ["v1/tonight/player/a.json"]),
                 ("player-profiles", "PlayerProfileExporter", {"index": ROOT + "players/index.json",
                                                               "players": [ROOT + "players/a.json"]},
                  ["v1/players/index.json", "v1/players/a.json"])]
        for export_type, cls, returned, names in cases:
            with self.subTest(returned=returned):
                self.returning(cls, returned)
                self.assertEqual(self.names(self.run_export(request(export_type))), names)

    def test_RunExport_NothingReturned_IsSkippedWithTheCallNamed(self):
        for returned in (None, "", [], (), {}, {"record": None, "history": ""}):
            with self.subTest(returned=returned):
                self.returning("LiveScoresExporter", returned)
                result = self.run_export(request("live"))
                self.assertEqual(result, {"export_type": "live", "objects": [],
                                          "skipped_reason": "LiveScoresExporter.export returned no paths: nothing was "
                                                            "written"})

    def test_RunExport_DictWithSkippedReason_IsThatReason(self):
        self.returning("LiveScoresExporter", {"skipped_reason": "no games on 2026-02-10", "live": None})
        result = self.run_export(request("live"))
        self.assertEqual((result["objects"], result["skipped_reason"]), ([], "no games on 2026-02-10"))
        self.assertEqual(jsonschema_subset.errors(schema("output"), result), [])

    def test_RunExport_SkipAnnouncedLikeTheOriginalsSignalBestBets_IsTheReason(self):
        self.returning("LiveScoresExporter", "live/2026-02-10.json (skipped — all games started)")
        self.assertEqual(self.run_export(request("live"))["skipped_reason"],
                         "LiveScoresExporter.export skipped live/2026-02-10.json: all games started")

    def test_RunExport_SkipWithPathsOrWithoutReason_IsContractViolation(self):
        for returned in ({"skipped_reason": "quiet day", "live": ROOT + "live/2026-02-10.json"},
                         {"skipped_reason": ""}, {"skipped_reason": 3}):
            with self.subTest(returned=returned):
                self.returning("LiveScoresExporter", returned)
                with self.assertRaises(ContractViolation) as caught:
                    self.run_export(request("live"))
                self.assertIn("a skip carries a non-empty reason and no paths", caught.exception.message)


class RefusalTests(RunnerTestCase):
    def refused(self, export_type, cls, returned):
        self.control.OVERRIDES[cls] = lambda *a, **k: returned
        with self.assertRaises(ContractViolation) as caught:
            self.run_export(request(export_type))
        self.assertTrue(caught.exception.non_retryable)
        return caught.exception.message

    def test_RunExport_DotDotOrEmptySegment_IsRefused(self):
        for path in ("v1/../../etc/passwd.json", "v1/results/./2026-02-10.json", "v1/results//2026-02-10.json",
                     "v1/tonight/player/../../../secrets.json"):
            with self.subTest(path=path):
                self.assertIn("no empty, '.' or '..' segment", self.refused("tonight-players", "TonightPlayerExporter",
                                                                             ["gs://nba-props-platform-api/" + path]))

    def test_RunExport_NameMatchingNoDeclaredObject_IsRefusedWithTheDeclaredOnes(self):
        message = self.refused("results", "ResultsExporter", ROOT + "results/2026-02-11.json")
        self.assertIn("matches none of the objects the catalog declares for results (v1/results/{date}.json, "
                      "v1/results/latest.json; {date} = 2026-02-10)", message)
        for path in ("tonight/player/2026/a.json", "tonight/players/a.json", "tonight/all-players.json"):
            with self.subTest(path=path):
                returned = [ROOT + "tonight/player/a.json", ROOT + path]
                self.assertIn("matches none of the objects",
                              self.refused("tonight-players", "TonightPlayerExporter", returned))

    def test_RunExport_NameLongerThanGcsAllows_IsRefused(self):
        name = "a" * (MAX_NAME_LENGTH - len("v1/tonight/player/.json") + 1)
        returned = [ROOT + "tonight/player/%s.json" % name]
        self.assertIn("object name of 1025 characters (at most 1024)",
                      self.refused("tonight-players", "TonightPlayerExporter", returned))


class BoundTests(RunnerTestCase):
    def test_RunExport_MoreThanTheBound_ListsTheFirstThousandAndCountsAll(self):
        self.control.PLAYERS[:] = ["p%04d" % i for i in range(1500)]
        result = self.run_export(request("tonight-players"))
        self.assertEqual(MAX_LISTED_OBJECTS, 1000)
        self.assertEqual([o["name"] for o in result["objects"]],
                         ["v1/tonight/player/2026-02-10/p%04d.json" % i for i in range(1000)])
        self.assertEqual((result["object_count"], result["skipped_reason"]), (1500, None))
        self.assertEqual(jsonschema_subset.errors(schema("output"), result), [])

    def test_RunExport_ExactlyTheBound_HasNoObjectCount(self):
        self.control.PLAYERS[:] = ["p%04d" % i for i in range(1000)]
        result = self.run_export(request("tonight-players"))
        self.assertEqual(len(result["objects"]), 1000)
        self.assertNotIn("object_count", result)

    def test_RunExport_SixtyThousandObjects_EveryNameCheckedAndTheResultStaysSmall(self):
        self.control.PLAYERS[:] = ["p%05d" % i for i in range(60000)]
        result = self.run_export(request("tonight-players"))
        self.assertEqual((len(result["objects"]), result["object_count"]), (1000, 60000))
        self.assertLess(len(json.dumps(result)), 100000)
        self.control.PLAYERS[59999] = "../../etc/passwd"
        with self.assertRaises(ContractViolation):
            self.run_export(request("tonight-players"))


if __name__ == "__main__":
    unittest.main()
