"""A call chained to a second function (``then``), the first call's result as an argument (``{ result = true }``) and
a request value passed as a date (``{ date = "target_date" }``): read, refused where misplaced, run, and checked by
``--check``, against a small module of the original the test writes."""

import datetime
import os
import tempfile
import textwrap
import unittest

from exportflows_worker.catalog import Argument
from exportflows_worker.catalog_file import CatalogError, load_catalog
from exportflows_worker.exporters import OriginalExporters
from exportflows_worker.preflight import PreflightCounts
from exportflows_worker.runner import run_export

from tests import jsonschema_subset
from tests.fake_original import FakeOriginal
from tests.support import Beats, request, schema
from tests.test_main import run

# The original's shape (rows = compute(bq, date); if rows: write(bq, rows)), recording what each function got.
CHAIN = '''
from data_processors.publishing._fake_control import CALLS, OVERRIDES


def client():
    found = object()
    CALLS.append({"class": None, "method": "client", "args": (found,), "kwargs": {}})
    return found


def compute(bq_client, day):
    CALLS.append({"class": None, "method": "compute", "args": (bq_client, day), "kwargs": {}})
    override = OVERRIDES.get("compute")
    return override() if override is not None else [{"game_date": day.isoformat()}, {"game_date": day.isoformat()}]


def write(bq_client, rows, table="daily"):
    CALLS.append({"class": None, "method": "write", "args": (bq_client, rows), "kwargs": {"table": table}})
    return len(rows)


def write_one(rows):
    return len(rows)
'''
CLIENT = "ml.chain.client"
ROW = '''
[types.compute-chain]
kind = "external"
step = true
date = "target"
call = { module = "ml.chain", function = "compute", args = [{ call = "ml.chain.client" }, { date = "target_date" }], then = { function = "write", args = [{ call = "ml.chain.client" }, { result = true }], kwargs = { table = { const = "daily" } } } }
values = { rows_written = "result" }
'''


def write_catalog(test, text):
    handle, path = tempfile.mkstemp(suffix=".toml")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(textwrap.dedent(text))
    test.addCleanup(os.remove, path)
    return path


class ReadChainTests(unittest.TestCase):
    def problems(self, row):
        path = write_catalog(self, row)
        with self.assertRaises(CatalogError) as caught:
            load_catalog(path)
        return [problem[len(path):] for problem in caught.exception.problems]

    def test_LoadCatalog_Then_ReadWithTheCallsModuleResultAndDateArguments(self):
        call = load_catalog(write_catalog(self, ROW)).external["compute-chain"].call
        self.assertEqual(call.args, (Argument(None, call=CLIENT), Argument(None, date="target_date")))
        then = call.then
        self.assertEqual((then.module, then.function, then.class_name, then.method), ("ml.chain", "write", None, None))
        self.assertEqual(then.args, (Argument(None, call=CLIENT), Argument(None, result=True)))
        self.assertEqual(then.kwargs, (("table", Argument(None, "daily")),))
        self.assertEqual(call.describe(), "ml.chain.compute(ml.chain.client(), date(target_date)) then, if it "
                                          "returned something, ml.chain.write(ml.chain.client(), result, "
                                          "table='daily')")

    def test_LoadCatalog_ThenWithItsOwnModule_CallsThatModule(self):
        text = ROW.replace('then = { function = "write"', 'then = { module = "ml.writers", function = "write"')
        call = load_catalog(write_catalog(self, text)).external["compute-chain"].call
        self.assertEqual(call.then.target, "ml.writers.write")

    def test_LoadCatalog_EveryArgumentOfThen_IsSeenByTheGraphCheck(self):
        text = ROW.replace("{ result = true }]", '{ result = true }, { value = "other.rows" }]')
        self.assertEqual(self.problems(text), [
            ":6: types.compute-chain.call: { value = 'other.rows' } takes a value of other, which is not in this "
            "row's after or requires: add it there"])

    def test_LoadCatalog_ResultOutsideThen_RefusedNamingThePath(self):
        text = ROW.replace('{ date = "target_date" }], then', '{ result = true }], then')
        self.assertEqual(self.problems(text), [
            ":6: types.compute-chain.call.args[1]: { result = true } is the first call's return value: it is "
            "allowed only in the args and kwargs of then"])

    def test_LoadCatalog_ResultAsADefaultInThen_Refused(self):
        text = ROW.replace("{ result = true }]", '{ result = true }, { value = "x.y", default = { result = true } }]')
        self.assertIn(":6: types.compute-chain.call.then.args[2].default: { result = true } is the first call's return "
                      "value: it is allowed only in the args and kwargs of then", self.problems(text))

    def test_LoadCatalog_ResultNotTrue_Refused(self):
        text = ROW.replace("{ result = true }", "{ result = false }")
        self.assertEqual(self.problems(text), [
            ":6: types.compute-chain.call.then.args[1]: write { result = true } (the first call's return value), "
            "got {'result': False}"])

    def test_LoadCatalog_DateOfAnotherRequestValue_RefusedListingTheAllowedNames(self):
        text = ROW.replace('{ date = "target_date" }', '{ date = "requested_at" }')
        self.assertEqual(self.problems(text), [
            ":6: types.compute-chain.call.args[1]: { date = NAME } passes a request value as a datetime.date; NAME is "
            "one of target_date, got {'date': 'requested_at'}"])

    def test_LoadCatalog_ThenWithClassMethodOrUnknownKey_Refused(self):
        text = ROW.replace('then = { function = "write"', 'then = { class = "Writer", method = "write", when = 1')
        self.assertEqual(self.problems(text), [
            ":6: types.compute-chain.call.then: then calls a module-level function of the original (function = "
            "\"write_rows\", module defaults to the call's): remove class, method",
            ":6: types.compute-chain.call.then: unknown key(s) when (then has module, function, args, kwargs)",
            ":6: types.compute-chain.call.then.function: must be a name such as write_rows, got nothing"])

    def test_LoadCatalog_ThenNotATable_Refused(self):
        text = ROW.replace('then = { function = "write", args = [{ call = "ml.chain.client" }, { result = true }], '
                           'kwargs = { table = { const = "daily" } } }', 'then = "write"')
        self.assertEqual(self.problems(text), [
            ":6: types.compute-chain.call.then: must be a table { function = \"write_rows\", args = [...] } (a "
            "module-level function called with the first call's result), got 'write'"])


class RunChainTests(unittest.TestCase):
    def setUp(self):
        self.fake = FakeOriginal({"../../ml/chain": CHAIN})
        self.addCleanup(self.fake.close)
        self.catalog = load_catalog(write_catalog(self, ROW))
        self.exporters = OriginalExporters(self.fake.root)

    def export(self):
        result = run_export(request("compute-chain"), catalog=self.catalog, expected_type="compute-chain",
                            exporters=self.exporters, counts=lambda d: PreflightCounts(100, 100), heartbeat=Beats())
        self.assertEqual(jsonschema_subset.errors(schema("output"), result), [])
        return result

    def calls(self):
        return [(c["method"], c["args"], c["kwargs"]) for c in self.fake.control.CALLS]

    def test_RunExport_FirstResultTruthy_ThenCalledWithItAndTheSameClientItsReturnIsTheResult(self):
        result = self.export()
        self.assertEqual(result, {"export_type": "compute-chain", "objects": [], "skipped_reason": None,
                                  "values": {"rows_written": 2}})
        (_, (client,), _), compute, write = self.calls()
        self.assertEqual(compute, ("compute", (client, datetime.date(2026, 2, 10)), {}))
        self.assertEqual(write, ("write", (client, [{"game_date": "2026-02-10"}] * 2), {"table": "daily"}))
        self.assertIs(write[1][0], compute[1][0])

    def test_RunExport_DateArgument_IsADatetimeDate(self):
        self.export()
        day = self.calls()[1][1][1]
        self.assertIs(type(day), datetime.date)

    def test_RunExport_FirstResultFalsy_ThenNotCalledResultNullAndANote(self):
        for nothing in ([], {}, 0, None, False, ""):
            with self.subTest(returned=nothing):
                self.fake.control.reset()
                self.fake.control.OVERRIDES["compute"] = lambda: nothing
                result = self.export()
                self.assertEqual(result, {"export_type": "compute-chain", "objects": [], "skipped_reason": None,
                                          "values": {"rows_written": None},
                                          "note": "compute returned nothing: write not called"})
                self.assertEqual([method for method, _, _ in self.calls()], ["client", "compute"])


class CheckChainTests(unittest.TestCase):
    def check(self, text, chain=CHAIN):
        fake = FakeOriginal({"../../ml/chain": chain})
        self.addCleanup(fake.close)
        return run("--check", "--catalog", write_catalog(self, text), env={"EXPORTFLOWS_ORIGINAL_REPO": fake.root})

    def test_Check_ThenBinds_OkWithTheWholeChain(self):
        done = self.check(ROW)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertEqual(done.stdout, "ok     ExportComputeChain         ml.chain.compute(ml.chain.client(), "
                                      "date(target_date)) then, if it returned something, ml.chain.write("
                                      "ml.chain.client(), result, table='daily')\n")

    def test_Check_ThenWithAWrongSignature_FailedNamingThenAndWhy(self):
        done = self.check(ROW.replace('function = "write"', 'function = "write_one"'))
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        self.assertIn("FAILED ExportComputeChain         compute-chain: the installed ml.chain.write_one does not take "
                      "the arguments of ml.chain.compute(", done.stdout)
        self.assertIn("write_one(ml.chain.client(), result, table='daily') (then): too many positional arguments", done.stdout)

    def test_Check_ThenMissing_FailedNamingTheFunction(self):
        done = self.check(ROW.replace('function = "write"', 'function = "write_all"'))
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        self.assertIn("FAILED ExportComputeChain         compute-chain: ml.chain has no function write_all", done.stdout)


if __name__ == "__main__":
    unittest.main()
