import re
import unittest

from exportflows_worker import contract
from exportflows_worker.contract import INPUT_FIELDS, MIN_GAMES_RANGE, OPTION_FIELDS, parse_request
from exportflows_worker.errors import InvalidExportRequest

from tests.support import request, schema


class ParseRequestTests(unittest.TestCase):
    def refused(self, raw, expected_type=None):
        with self.assertRaises(InvalidExportRequest) as caught:
            parse_request(raw, expected_type)
        self.assertTrue(caught.exception.non_retryable)
        return caught.exception.message

    def test_ParseRequest_ValidRequest_KeepsEveryField(self):
        parsed = parse_request(request("results", update_latest=False, trigger="schedule"))
        self.assertEqual(parsed, ("results", "2026-02-10", False, "2026-02-10T18:00:00Z", "test-1", "schedule", None))

    def test_ParseRequest_EveryProblem_IsNamedInOneMessage(self):
        raw = request("results", target_date="10/02/2026", update_latest="yes", trigger="Cron Job", extra=1)
        del raw["correlation_id"]
        message = self.refused(raw)
        for part in ("missing field(s) correlation_id", "unknown field(s) extra",
                     "target_date '10/02/2026' is not a date YYYY-MM-DD", "update_latest must be true or false, got a string",
                     "trigger 'Cron Job' is not a short lowercase word"):
            self.assertIn(part, message)

    def test_ParseRequest_NotAnObject_SaysWhatItGot(self):
        self.assertIn("expected a JSON object", self.refused(["results"]))
        self.assertIn("got null", self.refused(None))

    def test_ParseRequest_ImpossibleDatesAndInstants_AreRefused(self):
        self.assertIn("is not a calendar date", self.refused(request(target_date="2026-02-29")))
        self.assertIn("is not a real instant", self.refused(request(requested_at="2026-02-10T25:00:00Z")))
        self.assertIn("not an ISO-8601 UTC instant", self.refused(request(requested_at="2026-02-10T18:00:00-05:00")))
        self.assertIn("not a date", self.refused(request(target_date="2026-02-10\n")))

    def test_ParseRequest_SevenFractionalDigitsAndPlusZero_AreAccepted(self):
        self.assertEqual(parse_request(request(requested_at="2026-02-10T18:00:00.1234567+00:00")).requested_at,
                         "2026-02-10T18:00:00.1234567+00:00")

    def test_ParseRequest_MinGames_OnlyForPlayerProfilesAndInRange(self):
        self.assertIn("applies to player-profiles only", self.refused(request("results", options={"min_games": 5})))
        for bad in (0, 83, True, 5.5, "5"):
            with self.subTest(min_games=bad):
                self.assertIn("options.min_games must be an integer from 1 to 82",
                              self.refused(request("player-profiles", options={"min_games": bad})))
        self.assertIn("unknown option(s) top_n", self.refused(request("best-bets", options={"top_n": 3})))
        self.assertEqual(parse_request(request("player-profiles", options={"min_games": 82})).min_games, 82)

    def test_ParseRequest_NativeOrUnknownType_SaysWhichTypesThisWorkerServes(self):
        message = self.refused(request("subset-picks"))
        self.assertIn("exported natively by ExportFlows", message)
        self.assertIn("results, performance, best-bets", message)
        self.assertIn("not an external export type", self.refused(request("standings")))

    def test_ParseRequest_CorrelationIdLength_Is1To200(self):
        self.refused(request(correlation_id=""))
        self.refused(request(correlation_id="x" * 201))
        self.assertEqual(len(parse_request(request(correlation_id="x" * 200)).correlation_id), 200)


class SchemaAgreementTests(unittest.TestCase):
    """The worker's rules and the schema files must not drift apart."""

    def test_InputFields_AreTheSchemasRequiredAndOnlyProperties(self):
        input_schema = schema("input")
        self.assertEqual(tuple(input_schema["required"]), INPUT_FIELDS)
        self.assertEqual(tuple(input_schema["properties"]), INPUT_FIELDS)
        self.assertFalse(input_schema["additionalProperties"])
        options = input_schema["properties"]["options"]
        self.assertEqual(tuple(options["properties"]), OPTION_FIELDS)
        self.assertEqual((options["properties"]["min_games"]["minimum"], options["properties"]["min_games"]["maximum"]),
                         MIN_GAMES_RANGE)

    def test_Patterns_AreTheSchemasPatterns(self):
        properties = schema("input")["properties"]
        for field, pattern in (("export_type", contract._TYPE), ("target_date", contract._DATE),
                               ("requested_at", contract._INSTANT), ("trigger", contract._TRIGGER)):
            with self.subTest(field=field):
                self.assertEqual(_unanchored(properties[field]["pattern"]), _ungrouped(pattern.pattern))
        name = schema("output")["properties"]["objects"]["items"]["properties"]["name"]["pattern"]
        self.assertEqual(_unanchored(name), contract._OBJECT_NAME.pattern)

    def test_Result_HasExactlyTheSchemasFields(self):
        output = schema("output")
        self.assertEqual(set(contract.build_result("results", ["v1/a.json"])), set(output["required"]))
        self.assertEqual(set(contract.build_result("results", ["v1/a.json"])["objects"][0]),
                         set(output["properties"]["objects"]["items"]["required"]))


def _unanchored(pattern):
    return re.sub(r"^\^|\$$", "", pattern)


def _ungrouped(pattern):
    # the worker captures the instant's parts to check them; the schema does not
    return pattern.replace("([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})",
                           "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")


if __name__ == "__main__":
    unittest.main()
