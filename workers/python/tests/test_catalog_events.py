"""Reading [events.NAME] with the checks the .NET catalog check makes (CatalogEventParserTests judge the same
catalogs alike): one path and one verb per event, known rows and groups, typed fields, conditions only on fields
the event provides, exactly one of runs / runs_from / runs_orchestrator."""

import os
import unittest

from exportflows_worker.catalog_events import Condition, EventField, EventRun
from exportflows_worker.catalog_file import load_catalog

from tests.support import SHIPPED
from tests.test_catalog_file import CatalogFileTestCase

ROWS = '''version = 1
orchestrator = ["picks", "scores"]

[types.picks]
kind = "native"
implementation = "subset-picks"
date = "target"
objects = [{ path = "v1/picks/{date}.json", cache_control = "public, max-age=300" }]

[types.scores]
kind = "external"
date = "target"
objects = [{ path = "v1/scores/{date}.json", cache_control = "public, max-age=30" }]
options = { min_games = { default = 5, minimum = 1, maximum = 82 } }
call = { module = "data_processors.publishing.scores_exporter", class = "ScoresExporter", method = "export", args = ["target_date"] }

[groups]
all = ["picks", "scores"]
'''

# The events both suites read (the .NET tests' EventCatalogText too).
with open(os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "catalogs", "events.toml"), encoding="utf-8") as _file:
    EVENTS = "\n" + _file.read()

VALID = ROWS + EVENTS


def edited(old, new):
    assert VALID.count(old) == 1, old
    return VALID.replace(old, new)


def line_of(text, fragment):
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


RUNS_LINE = line_of(VALID, '{ row = "picks"') - 1
GRADING = line_of(VALID, "[events.grading-complete]")


class EventReadingTests(CatalogFileTestCase):
    def one_problem(self, text):
        problems = self.problems(text)
        self.assertEqual(len(problems), 1, problems)
        return problems[0]

    def test_LoadCatalog_ThreeEvents_ReadsEveryKey(self):
        events = load_catalog(self.write(VALID)).events
        self.assertEqual(list(events), ["predictions-complete", "export-request", "grading-complete"])
        predictions = events["predictions-complete"]
        self.assertEqual((predictions.path, predictions.verb, predictions.runs_orchestrator, predictions.date_fields,
                          predictions.date_default), ("/pubsub/predictions-complete", "predictions-complete", True,
                                                      ("game_date",), None))
        request = events["export-request"]
        self.assertEqual((request.runs_from, request.sport, request.date_default), ("export_types", "nba", "yesterday"))
        self.assertEqual(request.fields["update_latest"], EventField("bool", True, True))
        self.assertEqual(request.fields["trigger_source"], EventField("string"))
        self.assertEqual(request.flag, {"field": "players", "runs": ("scores",), "options": ("min_games",)})
        grading = events["grading-complete"]
        self.assertEqual(grading.date_fields, ("target_date", "graded_date"))
        self.assertEqual(grading.runs, (
            EventRun("picks", (Condition("status", "equals", ("success",)), Condition("graded_count", "above", (0,)))),
            EventRun("scores", (Condition("status", "in", ("success", "partial")),)),
            EventRun("all")))
        self.assertEqual(grading.note, "after grading")

    def test_LoadCatalog_NoEvents_HasNone(self):
        self.assertEqual(load_catalog(self.write(ROWS)).events, {})

    def test_LoadCatalog_TwoEventsOnOnePath_NamesTheFirst(self):
        problem = self.one_problem(edited('path = "/pubsub/grading-complete"', 'path = "/pubsub/export-request"'))
        self.assertIn(":%d: events.grading-complete.path: " % (GRADING + 1), problem)
        self.assertIn("also the path of event export-request", problem)

    def test_LoadCatalog_TwoEventsWithOneVerb_Refused(self):
        problem = self.one_problem(edited('verb = "grading-complete"', 'verb = "export-request"'))
        self.assertIn(":%d: events.grading-complete.verb: " % (GRADING + 2), problem)
        self.assertIn("also the verb of event export-request", problem)

    def test_LoadCatalog_UnknownRowInRuns_NamesIt(self):
        problem = self.one_problem(edited('  "all",', '  "everything",'))
        self.assertIn(":%d: events.grading-complete.runs: names unknown row or group 'everything'" % RUNS_LINE, problem)

    def test_LoadCatalog_ConditionOnAFieldTheEventDoesNotProvide_Refused(self):
        problem = self.one_problem(edited('{ field = "status", in =', '{ field = "state", in ='))
        self.assertIn(":%d: events.grading-complete.runs: (scores) when: a condition on 'state', which the event "
                      "does not provide" % RUNS_LINE, problem)

    def test_LoadCatalog_RunEntryAfterEarlierEntries_ReadsTheOrder(self):
        events = load_catalog(self.write(edited('  "all",', '  { row = "all", after = ["picks", "scores"] },'))).events
        self.assertEqual(events["grading-complete"].runs[2], EventRun("all", (), ("picks", "scores")))

    def test_LoadCatalog_BadAfter_NamesTheProblem(self):
        cases = [
            ('{ row = "all", after = ["later"] },', "'later' is no entry listed before all"),
            ('{ row = "all", after = [] },', "expected a non-empty array of entries of this event listed before it"),
            ('{ row = "all", before = ["picks"] },', "unknown key 'before' in a run entry; expected row, when, after"),
        ]
        for replacement, expected in cases:
            with self.subTest(replacement):
                problem = self.one_problem(edited('  "all",', "  " + replacement))
                self.assertIn(":%d: events.grading-complete.runs: " % RUNS_LINE, problem)
                self.assertIn(expected, problem)

    def test_LoadCatalog_BadCondition_NamesTheProblem(self):
        cases = [
            ('{ field = "graded_count", above = 0 }', '{ field = "status", above = 0 }',
             "above compares integer or number fields"),
            ('{ field = "status", equals = "success" }', '{ field = "status", equals = 1 }', "equals needs a string"),
            ('{ field = "status", in = ["success", "partial"] }', '{ field = "status", in = [] }',
             "in needs a non-empty array of strings"),
            ('{ field = "graded_count", above = 0 }', '{ field = "graded_count", above = 0, equals = 1 }',
             "one of equals, above, in"),
            ('{ field = "graded_count", above = 0 }', '{ field = "graded_count", below = 0 }',
             "one of equals, above, in"),
        ]
        for old, new, expected in cases:
            with self.subTest(new):
                problem = self.one_problem(edited(old, new))
                self.assertIn(":%d: events.grading-complete.runs: " % RUNS_LINE, problem)
                self.assertIn(expected, problem)

    def test_LoadCatalog_BadEventKey_NamesKeyAndProblem(self):
        cases = [
            ('path = "/pubsub/grading-complete"', 'path = "/grading"', "events.grading-complete.path",
             "is not a push path"),
            ('verb = "grading-complete"', 'verb = "Grading"', "events.grading-complete.verb", "is not a trigger verb"),
            ('default = "yesterday"', 'default = "2026-02-10"', "events.export-request.date.default",
             "is not a date word"),
            ('date = { fields = ["game_date"] }', 'date = { fields = [] }', "events.predictions-complete.date.fields",
             "at least one field"),
            ('trigger_source = "string"', 'trigger_source = "text"', "events.export-request.fields.trigger_source",
             "expected a type"),
            ('{ type = "bool", default = true }', '{ type = "bool", default = 1 }',
             "events.export-request.fields.update_latest.default", "is not a bool"),
            ('ratio = "number"', 'graded_date = "string"', "events.grading-complete.fields.graded_date",
             "is the date of this event already"),
            ('runs_orchestrator = true', 'runs_orchestrator = true\nruns = ["picks"]',
             "events.predictions-complete.runs", "give one of runs, runs_from and runs_orchestrator"),
            ('runs_orchestrator = true', '', "events.predictions-complete.runs", "missing: say what the event runs"),
            ('options = ["min_games"]', 'options = ["max_games"]', "events.export-request.flag.options",
             "'max_games' is an option of none of the flag's rows"),
            ('note = "after grading"', 'notes = "after grading"', "events.grading-complete.notes", "unknown key"),
        ]
        for old, new, key, expected in cases:
            with self.subTest(new):
                problem = self.one_problem(edited(old, new))
                self.assertRegex(problem, r"^:\d+: %s: " % key.replace(".", r"\."))
                self.assertIn(expected, problem)


BACKFILLS = ("backfill-signal-best-bets", "backfill-filtered-picks")
ANALYTICS = ("compute-signal-health", "compute-model-performance", "compute-model-profiles", "compute-league-macro")


class ShippedEventsTests(unittest.TestCase):
    def test_ShippedCatalog_ThreeEventsAsTheNetCheckReadsThem(self):
        events = SHIPPED.events
        self.assertEqual([(e.name, e.path, e.verb) for e in events.values()], [
            ("predictions-complete", "/pubsub/predictions-complete", "predictions-complete"),
            ("export-request", "/pubsub/export-request", "export-request"),
            ("grading-complete", "/pubsub/grading-complete", "grading-complete")])
        self.assertTrue(events["predictions-complete"].runs_orchestrator)
        request = events["export-request"]
        self.assertEqual((request.sport, request.runs_from, request.date_fields, request.date_default),
                         ("nba", "export_types", ("target_date",), "yesterday"))
        self.assertEqual(request.flag, {"field": "players", "runs": ("player-profiles",), "options": ("min_games",)})
        graded = (Condition("status", "equals", ("success",)), Condition("graded_count", "above", (0,)))
        self.assertEqual(events["grading-complete"].runs, (
            EventRun("subset-picks", graded), EventRun("season-subsets", graded),
            EventRun("backfill-signal-best-bets", graded), EventRun("backfill-filtered-picks", graded))
            + tuple(EventRun(step, (), BACKFILLS) for step in ANALYTICS)
            + (EventRun("best-bets-all", (), BACKFILLS + ANALYTICS), EventRun("best-bets-record", (), BACKFILLS + ANALYTICS),
               EventRun("tonight", graded)))


if __name__ == "__main__":
    unittest.main()
