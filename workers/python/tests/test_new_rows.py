"""Rows added to a catalog, served with no code: three later exporters of the original (tests/catalogs/new-types.toml)
against their fakes, one returning a path (signal-health), one named paths (best-bets-record), one called with a
constant argument (calendar)."""

import os
import tempfile
import unittest

from exportflows_worker.catalog_file import load_catalog
from exportflows_worker.errors import ContractViolation

from tests.support import NEW_TYPES, request
from tests.test_runner import RunnerTestCase


class NewRowTests(RunnerTestCase):
    catalog = load_catalog(NEW_TYPES)

    def export(self, export_type, **changes):
        return self.run_export(request(export_type, **changes), catalog=self.catalog)

    def test_Calendar_ConstantKeywordArgument_IsPassedAsWritten(self):
        result = self.export("calendar", update_latest=False)
        self.assertEqual(self.calls(), [
            {"class": "CalendarExporter", "method": "__init__", "args": (), "kwargs": {}},
            {"class": "CalendarExporter", "method": "export", "args": (), "kwargs": {"days_back": 30}}])
        self.assertEqual(result, {"export_type": "calendar", "skipped_reason": None, "objects": [
            {"name": "v1/calendar/game-counts.json", "bytes": None, "generation": None}]})

    def test_SignalHealth_OnePathReturned_IsOneObject(self):
        result = self.export("signal-health", target_date="2026-02-11")
        self.assertEqual(self.calls("export"), [
            {"class": "SignalHealthExporter", "method": "export", "args": ("2026-02-11",), "kwargs": {}}])
        self.assertEqual([o["name"] for o in result["objects"]], ["v1/systems/signal-health.json"])

    def test_BestBetsRecord_DictOfNamedPaths_IsBothObjectsInOrder(self):
        result = self.export("best-bets-record")
        self.assertEqual([o["name"] for o in result["objects"]], ["v1/best-bets/record.json",
                                                                  "v1/best-bets/history.json"])

    def test_BestBetsRecord_PathOutsideItsDeclaredObjects_IsRefused(self):
        self.control.OVERRIDES["BestBetsRecordExporter"] = lambda *a, **k: {
            "record": "gs://nba-props-platform-api/v1/best-bets/record.json",
            "history": "gs://nba-props-platform-api/v1/best-bets/2026-02-10.json"}
        with self.assertRaises(ContractViolation) as caught:
            self.export("best-bets-record")
        self.assertIn("v1/best-bets/record.json, v1/best-bets/history.json", caught.exception.message)

    def test_ResolveAll_NewRows_AreCheckedAgainstTheInstalledSignatures(self):
        results = self.exporters.resolve_all(list(self.catalog.external.values()))
        self.assertEqual([(r.export_type, r.ok, r.message) for r in results], [
            ("calendar", True, "CalendarExporter().export(days_back=30)"),
            ("signal-health", True, "SignalHealthExporter().export(target_date)"),
            ("best-bets-record", True, "BestBetsRecordExporter().export(target_date)")])

    def test_ResolveAll_DateLandingInACount_WarnsNamingValueAndParameter(self):
        with open(NEW_TYPES, encoding="utf-8") as source:
            original = source.read()
        text = original.replace(
            'kwargs = { days_back = { const = 30 } }', 'args = ["target_date"]')
        self.assertIn('args = ["target_date"]', text)
        path = os.path.join(self.enterContext(tempfile.TemporaryDirectory()), "date-into-days-back.toml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        calendar = load_catalog(path).external["calendar"]

        result = self.exporters.resolve_all([calendar])[0]

        self.assertTrue(result.ok)
        self.assertEqual(result.warnings, (
            "calendar: request value 'target_date' is passed to parameter 'days_back' of "
            "CalendarExporter.export: the names share no word; check the "
            "row's call (a date into a count, say)",))

    def test_ResolveAll_ShippedNamesThatAgree_NoWarning(self):
        results = self.exporters.resolve_all(list(self.catalog.external.values()))
        self.assertEqual([r.warnings for r in results], [(), (), ()])


if __name__ == "__main__":
    unittest.main()
