"""The contract's fixture files (read by the .NET tests too): schema-valid, and what this worker reads and writes."""

import glob
import os
import unittest

from exportflows_worker.contract import parse_request
from exportflows_worker.errors import ERROR_TYPES, ContractViolation, ExportError
from exportflows_worker.exporters import OriginalExporters
from exportflows_worker.preflight import PreflightCounts
from exportflows_worker.results import read_returned
from exportflows_worker.runner import DEFAULT_BUCKET, run_export

from tests import jsonschema_subset
from tests.fake_original import FakeOriginal
from tests.support import FIXTURES, SHIPPED, Beats, load, schema

EXTERNAL_TYPES = SHIPPED.external_types


def fixture_files(pattern):
    files = sorted(glob.glob(os.path.join(FIXTURES, pattern)))
    if not files:
        raise AssertionError("no fixtures match %s under %s" % (pattern, FIXTURES))
    return files


class SchemaCheckerTests(unittest.TestCase):
    """The checker must catch what the schemas forbid, or the fixture checks below prove nothing."""

    def test_Errors_EachKindOfViolation_IsReported(self):
        input_schema = schema("input")
        valid = load(FIXTURES, "input-results.json")
        self.assertEqual(jsonschema_subset.errors(input_schema, valid), [])
        cases = {"target_date": "2026-2-10", "update_latest": 1, "trigger": "x" * 41, "correlation_id": "",
                 "options": {"min_games": True}, "export_type": None}
        for field, value in cases.items():
            with self.subTest(field=field):
                self.assertNotEqual(jsonschema_subset.errors(input_schema, dict(valid, **{field: value})), [])
        self.assertNotEqual(jsonschema_subset.errors(input_schema, dict(valid, unknown=1)), [])
        missing = dict(valid)
        del missing["options"]
        self.assertIn("$: missing required 'options'", jsonschema_subset.errors(input_schema, missing))
        self.assertNotEqual(jsonschema_subset.errors(input_schema, dict(valid, target_date="2026-02-10\n")), [])

    def test_Errors_OutputBeyondItsBounds_IsReported(self):
        output = schema("output")
        many = {"export_type": "tonight-players", "skipped_reason": None, "object_count": 1001, "objects": [
            {"name": "v1/tonight/player/p%04d.json" % i, "bytes": None, "generation": None} for i in range(1001)]}
        self.assertEqual(jsonschema_subset.errors(output, many), ["$.objects: more than 1000 items"])
        many["objects"] = many["objects"][:1000]
        self.assertEqual(jsonschema_subset.errors(output, many), [])
        long_name = dict(many, objects=[{"name": "v1/%s.json" % ("a" * 1020), "bytes": None, "generation": None}])
        self.assertEqual(jsonschema_subset.errors(output, long_name), ["$.objects[0].name: longer than 1024"])
        self.assertNotEqual(jsonschema_subset.errors(output, dict(many, object_count="many")), [])

    def test_Errors_UnknownKeyword_IsAnErrorNotIgnored(self):
        with self.assertRaises(jsonschema_subset.SchemaError):
            jsonschema_subset.errors({"type": "string", "oneOf": []}, "x")


class FixtureTests(unittest.TestCase):
    def setUp(self):
        self.fake = FakeOriginal()
        self.addCleanup(self.fake.close)
        self.exporters = OriginalExporters(self.fake.root)

    def export(self, raw):
        return run_export(raw, catalog=SHIPPED, expected_type=raw["export_type"], exporters=self.exporters,
                          counts=lambda d: PreflightCounts(100, 100), heartbeat=Beats())

    def test_EveryInputAndOutputFixture_IsValidAgainstItsSchema(self):
        for kind in ("input", "output"):
            for path in fixture_files("%s-*.json" % kind) + fixture_files("types/%s-*.json" % kind):
                with self.subTest(fixture=os.path.relpath(path, FIXTURES)):
                    self.assertEqual(jsonschema_subset.errors(schema(kind), load(path)), [])

    def test_EveryInputFixture_IsAcceptedByTheWorker(self):
        for path in fixture_files("input-*.json") + fixture_files("types/input-*.json"):
            with self.subTest(fixture=os.path.relpath(path, FIXTURES)):
                raw = load(path)
                self.assertEqual(parse_request(raw, SHIPPED, raw["export_type"]).export_type, raw["export_type"])

    def test_TypeFixtures_CoverEveryExternalType(self):
        for kind in ("input", "output"):
            types = sorted(os.path.basename(p)[len(kind) + 1:-5] for p in fixture_files("types/%s-*.json" % kind))
            self.assertEqual(types, sorted(EXTERNAL_TYPES))

    def test_EachTypeFixture_ExportedThroughTheFakeOriginal_GivesItsOutputFixture(self):
        for export_type in EXTERNAL_TYPES:
            with self.subTest(export_type=export_type):
                result = self.export(load(FIXTURES, "types", "input-%s.json" % export_type))
                self.assertEqual(result, load(FIXTURES, "types", "output-%s.json" % export_type))

    def test_InputResultsFixture_GivesOutputResultsFixtureExactly(self):
        self.assertEqual(self.export(load(FIXTURES, "input-results.json")), load(FIXTURES, "output-results.json"))

    def test_InputPlayerProfilesFixture_PassesItsMinGames(self):
        self.export(load(FIXTURES, "input-player-profiles.json"))
        call = [c for c in self.fake.control.CALLS if c["method"] == "export_all_players"][0]
        self.assertEqual(call["kwargs"], {"min_games": 5})

    def test_TonightPlayersOutputFixture_HasTheNamesThisWorkerWritesForThosePlayers(self):
        expected = load(FIXTURES, "output-tonight-players.json")
        result = self.export(load(FIXTURES, "types", "input-tonight-players.json"))
        self.assertEqual([o["name"] for o in result["objects"]], [o["name"] for o in expected["objects"]])

    def test_ObjectCountFixture_IsWhatThisWorkerReturnsForFifteenHundredPlayers(self):
        self.fake.control.PLAYERS[:] = ["p%04d" % i for i in range(1500)]
        result = self.export(load(FIXTURES, "types", "input-tonight-players.json"))
        self.assertEqual(result, load(FIXTURES, "output-object-count.json"))

    def test_NativeExtrasFixture_IsAcceptedAndPassedToNoCall(self):
        self.export(load(FIXTURES, "input-native-extras.json"))
        self.assertEqual([(c["args"], c["kwargs"]) for c in self.fake.control.CALLS if c["method"] == "export"],
                         [(("2026-02-10",), {"update_latest": True})])

    def test_ErrorTypesFixture_MatchesTheWorkersErrorTypes(self):
        listed = load(FIXTURES, "error-types.json")
        self.assertEqual(sorted(listed["non_retryable"]), sorted(e.error_type for e in ERROR_TYPES if e.non_retryable))
        self.assertEqual(listed["retryable"], [e.error_type for e in ERROR_TYPES if not e.non_retryable])

    def test_InvalidFixtures_SchemaAndWorkerGiveTheRecordedVerdict(self):
        for path in fixture_files("invalid/*.json"):
            with self.subTest(fixture=os.path.basename(path)):
                case = load(path)
                verdict = jsonschema_subset.errors(schema(case["schema"]), case["document"]) == []
                self.assertEqual(verdict, case["schema_valid"], case["description"])
                if case["schema"] == "input":
                    with self.assertRaises(ExportError) as caught:
                        parse_request(case["document"], SHIPPED)
                    self.assertEqual(caught.exception.error_type, case["error_type"])
                else:
                    self.assertIsNone(case["error_type"])
                    if case["schema_valid"]:
                        self.assertObjectsRefused(case["document"])

    def assertObjectsRefused(self, document):
        """What the schema lets through, this worker's result check refuses."""
        row = SHIPPED.external[document["export_type"]]
        paths = ["gs://%s/%s" % (DEFAULT_BUCKET, o["name"]) for o in document["objects"]]
        with self.assertRaises(ContractViolation):
            read_returned(paths, row, DEFAULT_BUCKET, "2026-02-10")


if __name__ == "__main__":
    unittest.main()
