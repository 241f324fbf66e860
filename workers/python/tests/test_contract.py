import re
import unittest

from exportflows_worker import contract, results
from exportflows_worker.catalog import NATIVE_EXTRAS
from exportflows_worker.catalog_file import load_catalog
from exportflows_worker.contract import INPUT_FIELDS, OPTIONAL_INPUT_FIELDS, parse_request
from exportflows_worker.errors import InvalidExportRequest

from tests.support import NEW_TYPES, SHIPPED, request, schema


def parse(raw, expected_type=None, catalog=SHIPPED):
    return parse_request(raw, catalog, expected_type)


class ParseRequestTests(unittest.TestCase):
    def refused(self, raw, expected_type=None, catalog=SHIPPED):
        with self.assertRaises(InvalidExportRequest) as caught:
            parse(raw, expected_type, catalog)
        self.assertTrue(caught.exception.non_retryable)
        return caught.exception.message

    def test_ParseRequest_ValidRequest_KeepsEveryField(self):
        parsed = parse(request("results", update_latest=False, trigger="schedule"))
        self.assertEqual(parsed, (SHIPPED.external["results"], "2026-02-10", False, "2026-02-10T18:00:00Z", "test-1",
                                  "schedule", {}, {}, {}, {}))
        self.assertEqual(parsed.export_type, "results")
        self.assertEqual(parsed.call_values(), {"target_date": "2026-02-10", "update_latest": False,
                                                "requested_at": "2026-02-10T18:00:00Z", "correlation_id": "test-1",
                                                "trigger": "schedule"})

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
        self.assertEqual(parse(request(requested_at="2026-02-10T18:00:00.1234567+00:00")).requested_at,
                         "2026-02-10T18:00:00.1234567+00:00")

    def test_ParseRequest_MinGames_OnlyForPlayerProfilesAndInRange(self):
        self.assertIn("unknown option(s) min_games for results (it declares none; every type also takes as_of, "
                      "force, allow_empty): min_games (declared by player-profiles)",
                      self.refused(request("results", options={"min_games": 5})))
        for bad in (0, 83, True, 5.5, "5"):
            with self.subTest(min_games=bad):
                self.assertIn("options.min_games must be an integer from 1 to 82",
                              self.refused(request("player-profiles", options={"min_games": bad})))
        self.assertIn("unknown option(s) top_n for best-bets", self.refused(request("best-bets", options={"top_n": 3})))
        self.assertEqual(parse(request("player-profiles", options={"min_games": 82})).options, {"min_games": 82})
        self.assertEqual(parse(request("player-profiles", options={})).call_values()["min_games"], 5)

    def test_ParseRequest_NativeExtras_AreAcceptedForEveryTypeCheckedAndPassedToNoCall(self):
        parsed = parse(request("best-bets", options={"as_of": "2026-02-09", "force": True, "allow_empty": False}))
        self.assertEqual((parsed.options, parsed.extras), ({}, {"as_of": "2026-02-09", "force": True,
                                                                "allow_empty": False}))
        self.assertFalse(set(NATIVE_EXTRAS) & set(parsed.call_values()))
        message = self.refused(request("results", options={"as_of": "2026-02-30", "force": "yes", "allow_empty": 1}))
        for part in ("options.as_of must be a calendar date YYYY-MM-DD, got '2026-02-30'",
                     "options.force must be true or false, got a string",
                     "options.allow_empty must be true or false, got a number"):
            self.assertIn(part, message)

    def test_ParseRequest_NativeOrUnknownType_SaysWhichTypesTheCatalogMakesExternal(self):
        message = self.refused(request("subset-picks"))
        self.assertIn("exported natively by ExportFlows", message)
        self.assertIn("results, performance, best-bets", message)
        self.assertIn(SHIPPED.path, message)
        self.assertIn("not an external export type", self.refused(request("standings")))

    def test_ParseRequest_TypeOfAnotherCatalog_IsJudgedByThatCatalog(self):
        new_types = load_catalog(NEW_TYPES)
        self.assertEqual(parse(request("calendar"), "calendar", new_types).row, new_types.external["calendar"])
        self.assertIn("not an external export type", self.refused(request("results"), catalog=new_types))

    def test_ParseRequest_CorrelationIdLength_Is1To200(self):
        self.refused(request(correlation_id=""))
        self.refused(request(correlation_id="x" * 201))
        self.assertEqual(len(parse(request(correlation_id="x" * 200)).correlation_id), 200)


class SchemaAgreementTests(unittest.TestCase):
    """The worker's rules and the schema files must not drift apart."""

    def test_InputFields_AreTheSchemasRequiredAndOnlyProperties(self):
        input_schema = schema("input")
        self.assertEqual(tuple(input_schema["required"]), INPUT_FIELDS)
        self.assertEqual(tuple(input_schema["properties"]), INPUT_FIELDS + OPTIONAL_INPUT_FIELDS)
        self.assertFalse(input_schema["additionalProperties"])

    def test_Options_AreTheShippedCatalogsDeclaredOptionsAndTheNativeExtras(self):
        options = schema("input")["properties"]["options"]["properties"]
        declared = {name: spec for row in SHIPPED.external.values() for name, spec in row.options.items()}
        self.assertEqual(set(options), set(declared) | set(NATIVE_EXTRAS))
        for name, spec in declared.items():
            with self.subTest(option=name):
                self.assertEqual((options[name]["minimum"], options[name]["maximum"], options[name]["default"]),
                                 (spec.minimum, spec.maximum, spec.default))
        self.assertEqual((options["force"]["type"], options["allow_empty"]["type"]), ("boolean", "boolean"))
        self.assertEqual(_unanchored(options["as_of"]["pattern"]), contract._DATE.pattern)

    def test_Patterns_AreTheSchemasPatterns(self):
        properties = schema("input")["properties"]
        for field, pattern in (("export_type", contract._TYPE), ("target_date", contract._DATE),
                               ("requested_at", contract._INSTANT), ("trigger", contract._TRIGGER)):
            with self.subTest(field=field):
                self.assertEqual(_unanchored(properties[field]["pattern"]), _ungrouped(pattern.pattern))
        name = schema("output")["properties"]["objects"]["items"]["properties"]["name"]
        self.assertEqual(_unanchored(name["pattern"]), results._OBJECT_NAME.pattern)
        self.assertEqual(name["maxLength"], results.MAX_NAME_LENGTH)

    def test_Result_HasExactlyTheSchemasFields(self):
        output = schema("output")
        self.assertEqual(set(results.build_result("results", ["v1/a.json"])), set(output["required"]))
        self.assertEqual(set(results.build_result("results", ["v1/a.json"])["objects"][0]),
                         set(output["properties"]["objects"]["items"]["required"]))
        bounded = results.build_result("tonight-players", ["v1/%d.json" % i for i in range(1001)])
        # attempt and note are set by ExportFlows' native exporters only; this worker leaves them out (optional in the schema).
        self.assertEqual(set(bounded), set(output["properties"]) - {"attempt", "cost", "values", "note"})  # values: see below
        with_values = results.build_result("discover-models", [], None, {"models": {}})
        self.assertEqual(set(with_values), set(output["properties"]) - {"attempt", "cost", "object_count", "note"})
        self.assertNotIn("attempt", output["required"])
        self.assertEqual(output["properties"]["objects"]["maxItems"], results.MAX_LISTED_OBJECTS)


def _unanchored(pattern):
    return re.sub(r"^\^|\$$", "", pattern)


def _ungrouped(pattern):
    # the worker captures the instant's parts to check them; the schema does not
    return pattern.replace("([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})",
                           "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")


if __name__ == "__main__":
    unittest.main()
