"""Reading a catalog file: every problem of the rows this worker needs at once, each with file, line and key."""

import os
import tempfile
import textwrap
import unittest

from exportflows_worker.catalog import Argument
from exportflows_worker.catalog_file import (CATALOG_VARIABLE, DEFAULT_CATALOG, CatalogError, catalog_path,
                                             load_catalog)

from tests.support import NEW_TYPES

GOOD_ROW = '''
[types.calendar]
kind = "external"
date = "none"
objects = [{ path = "v1/calendar/game-counts.json", cache_control = "public, max-age=1800" }]
call = { module = "data_processors.publishing.calendar_exporter", class = "CalendarExporter", method = "export" }
'''


class CatalogFileTestCase(unittest.TestCase):
    def write(self, text):
        handle, path = tempfile.mkstemp(suffix=".toml")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(textwrap.dedent(text))
        self.addCleanup(os.remove, path)
        return path

    def problems(self, text):
        path = self.write(text)
        with self.assertRaises(CatalogError) as caught:
            load_catalog(path)
        self.assertTrue(all(problem.startswith(path) for problem in caught.exception.problems))
        self.assertIn(path, str(caught.exception))
        return [problem[len(path):] for problem in caught.exception.problems]


class LoadCatalogTests(CatalogFileTestCase):
    def test_LoadCatalog_TestCatalog_HasTheThreeNewRowsAndItsNativeRow(self):
        catalog = load_catalog(NEW_TYPES)
        self.assertEqual(catalog.external_types, ("calendar", "signal-health", "best-bets-record"))
        self.assertEqual(catalog.native, {"subset-picks"})
        calendar = catalog.external["calendar"]
        self.assertEqual(calendar.call.kwargs, (("days_back", Argument(None, 30)),))
        self.assertEqual(calendar.describe_call(), "CalendarExporter().export(days_back=30)")
        self.assertEqual((calendar.activity, calendar.task_queue, calendar.preflight, calendar.date),
                         ("ExportCalendar", None, False, "none"))
        self.assertEqual(catalog.external["best-bets-record"].task_queue, "exportflows-python-records")

    def test_LoadCatalog_ActivityConstructorConstantsAndOptions_AreRead(self):
        catalog = load_catalog(self.write('''
            [types.season-counts]
            kind = "external"
            date = "target"
            activity = "ExportSeasonGameCounts"
            preflight = true
            objects = [{ path = "v1/schedule/{date}/counts.json" }, { path = "v1/schedule/teams/" }]
            options = { days = { default = 7, minimum = 1, maximum = 30 }, label = { default = "all" } }
            policy = "one-document"
            [types.season-counts.call]
            module = "data_processors.publishing.season_game_counts_exporter"
            class = "SeasonGameCountsExporter"
            constructor = { season = { const = "2025-26" }, strict = true }
            method = "export"
            args = ["target_date", { const = [1, 2] }]
            kwargs = { days = "days", label = "label", stamp = "requested_at" }
            '''))
        row = catalog.external["season-counts"]
        self.assertEqual((row.activity, row.preflight), ("ExportSeasonGameCounts", True))
        self.assertEqual(dict(row.call.constructor), {"season": "2025-26", "strict": True})
        self.assertEqual(row.describe_call(), "SeasonGameCountsExporter(season='2025-26', strict=True)"
                                              ".export(target_date, [1, 2], days=days, label=label, stamp=requested_at)")
        self.assertEqual(row.call.arguments({"target_date": "2026-02-10", "days": 7, "label": "all",
                                             "requested_at": "t"}),
                         (("2026-02-10", [1, 2]), {"days": 7, "label": "all", "stamp": "t"}))
        self.assertEqual(sorted(row.options), ["days", "label"])

    def test_LoadCatalog_NativeRow_IsNotCheckedBeyondItsKind(self):
        catalog = load_catalog(self.write(GOOD_ROW + '''
            [types.subset-picks]
            kind = "native"
            call = "whatever the .NET side makes of it"
            '''))
        self.assertEqual((catalog.external_types, catalog.native), (("calendar",), {"subset-picks"}))

    def test_LoadCatalog_MissingFile_NamesIt(self):
        with self.assertRaises(CatalogError) as caught:
            load_catalog("/nowhere/exportflows.toml")
        self.assertIn("/nowhere/exportflows.toml: no such file", str(caught.exception))
        self.assertIn(CATALOG_VARIABLE, str(caught.exception))

    def test_LoadCatalog_InvalidToml_NamesTheLine(self):
        problems = self.problems(GOOD_ROW + "\n[types.live\nkind = 1\n")
        self.assertEqual(len(problems), 1)
        self.assertRegex(problems[0], r"^:8: not valid TOML: .*line 8")

    def test_CatalogPath_FlagThenVariableThenTheRepositorysFile(self):
        self.assertEqual(catalog_path("a.toml", {CATALOG_VARIABLE: "b.toml"}), "a.toml")
        self.assertEqual(catalog_path(None, {CATALOG_VARIABLE: " b.toml "}), "b.toml")
        self.assertEqual(catalog_path(None, {}), DEFAULT_CATALOG)


class ValidationTests(CatalogFileTestCase):
    def test_LoadCatalog_EveryProblem_IsNamedAtOnceWithLineAndKey(self):
        problems = self.problems('''\
            version = 1

            [types.calendar]
            kind = "external"
            date = "none"
            objects = [{ path = "v1/calendar/game-counts.json" }]
            call = { module = "data_processors.publishing.calendar_exporter", class = "CalendarExporter", method = "export", args = ["date"], kwargs = { days_back = "days_back" } }

            [types.signal-health]
            kind = "external"
            date = "today"
            preflight = "yes"
            objects = [{ path = "v2/systems/signal-health.json" }, { path = "v1/systems/../secrets.json" }]
            options = { window = { default = 0, minimum = 1, maximum = 14 }, force = { default = true } }
            call = { module = "data_processors.publishing.signal_health_exporter", class = "SignalHealthExporter", function = "export", args = "target_date" }

            [types.best-bets-record]
            kind = "externel"

            [types.live]
            kind = "external"
            date = "target"
            activity = "ExportCalendar"
            objects = [{ path = "v1/live/{date}.json" }]
            call = { module = "data_processors.publishing.live_scores_exporter", class = "LiveScoresExporter", method = "export", kwargs = { update_latest = { constant = true } } }
            ''')
        self.assertEqual(problems, [
            ":7: types.calendar.call.args[0]: unknown request value 'date': a call's argument is one of target_date, "
            "update_latest, requested_at, correlation_id, trigger, an option the row declares (it declares none), "
            "or a constant { const = … }",
            ":7: types.calendar.call.kwargs.days_back: unknown request value 'days_back': a call's argument is one of "
            "target_date, update_latest, requested_at, correlation_id, trigger, an option the row declares (it "
            "declares none), or a constant { const = … }",
            ":11: types.signal-health.date: must be \"target\", \"as-of\", \"none\", got 'today'",
            ":12: types.signal-health.preflight: must be true or false, got 'yes'",
            ":13: types.signal-health.objects[0].path: 'v2/systems/signal-health.json' is not v1/<path>.json or a "
            "per-player folder v1/<path>/",
            ":13: types.signal-health.objects[1].path: 'v1/systems/../secrets.json' has an empty, '.' or '..' "
            "segment",
            ":14: types.signal-health.options.window.default: the default must be an integer from 1 to 14, got 0",
            ":14: types.signal-health.options.force: an option's name is a lowercase identifier other than "
            "target_date, update_latest, requested_at, correlation_id, trigger, as_of, force, allow_empty",
            ":15: types.signal-health.call: a call names either class + method (+ constructor) or function, not both",
            ":15: types.signal-health.call.args: must be an array of arguments, e.g. [\"target_date\"]",
            ":18: types.best-bets-record.kind: must be \"native\" or \"external\", got 'externel'",
            ":25: types.live.call.kwargs.update_latest: bad argument {'constant': True}: write a request value's "
            "name (\"target_date\"), a constant { const = … }, { value = \"row.name\" }, { run = \"started_at\" }, "
            "{ call = \"module.function\" }, { date = \"target_date\" } or, in then, { result = true }",
        ])

    def test_LoadCatalog_DuplicateActivity_NamesBothTypes(self):
        problems = self.problems(GOOD_ROW + GOOD_ROW.replace("[types.calendar]", "[types.game-counts]").replace(
            'kind = "external"', 'kind = "external"\nactivity = "ExportCalendar"\nreplaces = ["calendar"]'))
        self.assertEqual(problems, [":10: types.game-counts.activity: ExportCalendar is also the activity of calendar"])

    def test_LoadCatalog_BadTypeNameOptionTableAndPlaceholder_AreNamed(self):
        problems = self.problems(GOOD_ROW.replace("[types.calendar]", "[types.Calendar_2]").replace(
            "game-counts.json", "{season}/game-counts.json") + 'options = { days = 5, "Bad-Name" = {} }\n')
        self.assertEqual(problems, [
            ":2: types.Calendar_2: a type name is lowercase words joined by '-', e.g. best-bets-record",
            ":5: types.Calendar_2.objects[0].path: 'v1/calendar/{season}/game-counts.json': the only placeholder is "
            "{date}",
            ":7: types.Calendar_2.options.days: must be a table { default = …, minimum = …, maximum = … }",
            ":7: types.Calendar_2.options.Bad-Name: an option's name is a lowercase identifier other than "
            "target_date, update_latest, requested_at, correlation_id, trigger, as_of, force, allow_empty",
        ])

    def test_LoadCatalog_NoTypesOrWrongVersion_IsAnError(self):
        self.assertEqual(self.problems("version = 2\n"), [
            ": types: missing: the catalog has one [types.<name>] table per export type",
            ":1: version: this worker reads catalog version 1, got 2"])

    def test_LoadCatalog_ExternalRowWithoutCallOrObjects_SaysWhatToWrite(self):
        problems = self.problems('[types.calendar]\nkind = "external"\ndate = "none"\n')
        self.assertEqual(len(problems), 2)
        self.assertTrue(problems[0].startswith(":1: types.calendar.objects: must be an array of { path ="))
        self.assertTrue(problems[1].startswith(":1: types.calendar.call: missing: an external row names the "
                                               "original's call"))



class BareConstantTests(CatalogFileTestCase):
    def test_LoadCatalog_BareNumberArgument_IsAConstantAsTheDotNetCatalogReadsIt(self):
        row = GOOD_ROW.replace('method = "export" }', 'method = "export", kwargs = { days_back = 30 } }')
        catalog = load_catalog(self.write("version = 1\n" + row))
        self.assertEqual(catalog.external["calendar"].call.kwargs, (("days_back", Argument(None, 30)),))


if __name__ == "__main__":
    unittest.main()
