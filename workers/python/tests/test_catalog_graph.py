"""Reading the graph keys of a catalog (step, after, requires, replaces, values) and the new call forms, with the
checks the .NET catalog check makes: unknown row keys, unknown names, cycles, values only from direct dependencies,
steps without objects, an object declared by two rows only when one replaces the other."""

import unittest

from exportflows_worker.catalog import Argument
from exportflows_worker.catalog_file import load_catalog

from tests.test_catalog_file import CatalogFileTestCase

MODULE = "data_processors.publishing.subset_materializer"
STEP = '''
[types.%s]
kind = "external"
step = true
date = "target"
%s
call = { module = "%s", class = "SubsetMaterializer", method = "materialize", args = ["target_date"]%s }
'''
ROW = '''
[types.%s]
kind = "external"
date = "target"
objects = [{ path = "%s" }]
%s
call = { module = "data_processors.publishing.signal_best_bets_exporter", class = "SignalBestBetsExporter", method = "export", args = ["target_date"]%s }
'''

CONSTRUCTOR_ROW = '''
[types.signal]
kind = "external"
date = "target"
after = ["discover"]
objects = [{ path = "v1/x.json" }]
call = { module = "m", class = "C", constructor = { ids = { value = "discover.ids" } }, method = "export" }
'''


def step(name, extra="", kwargs=""):
    return STEP % (name, extra, MODULE, ", kwargs = { %s }" % kwargs if kwargs else "")


def row(name, path="v1/signal-best-bets/{date}.json", extra="", kwargs=""):
    return ROW % (name, path, extra, ", kwargs = { %s }" % kwargs if kwargs else "")


class GraphKeysTests(CatalogFileTestCase):
    def test_LoadCatalog_ChainOfSteps_ReadsEveryFormAndKey(self):
        catalog = load_catalog(self.write(
            step("discover", 'values = { models = "result", ids = "result.all_system_ids" }')
            + step("materialize", 'after = ["discover"]\nvalues = { version_id = "result.version_id" }',
                   'ids = { value = "discover.ids", optional = true }')
            + row("signal", extra='requires = ["materialize"]\nafter = ["discover"]',
                  kwargs='version_id = { value = "materialize.version_id", default = { run = "started_at", '
                         'format = "v_%Y%m%d" } }, models = { value = "discover.models", optional = true, '
                         'construct = "shared.config.cross_model_subsets.DiscoveredModels" }, '
                         'client = { call = "shared.clients.bigquery_pool.get_bigquery_client" }, '
                         'run_id = { run = "workflow_id" }')))
        discover, materialize, signal = (catalog.external[n] for n in ("discover", "materialize", "signal"))
        self.assertEqual((discover.step, discover.objects, dict(discover.values)),
                         (True, (), {"models": "result", "ids": "result.all_system_ids"}))
        self.assertEqual((materialize.after, materialize.requires), (("discover",), ()))
        self.assertEqual((signal.step, signal.requires, signal.after, signal.dependencies),
                         (False, ("materialize",), ("discover",), ("materialize", "discover")))
        self.assertEqual(dict(signal.call.kwargs), {
            "version_id": Argument(None, value="materialize.version_id",
                                   default=Argument(None, run="started_at", format="v_%Y%m%d")),
            "models": Argument(None, value="discover.models", optional=True,
                               construct="shared.config.cross_model_subsets.DiscoveredModels"),
            "client": Argument(None, call="shared.clients.bigquery_pool.get_bigquery_client"),
            "run_id": Argument(None, run="workflow_id")})
        self.assertEqual(dict(catalog.dependencies), {"discover": (), "materialize": ("discover",),
                                                      "signal": ("materialize", "discover")})

    def test_LoadCatalog_FunctionCall_IsModuleAndFunction(self):
        catalog = load_catalog(self.write('''
            [types.discover]
            kind = "external"
            step = true
            date = "target"
            call = { module = "shared.config.cross_model_subsets", function = "discover_models", args = [{ call = "shared.clients.bigquery_pool.get_bigquery_client" }, "target_date"] }
            values = { models = "result" }
            '''))
        call = catalog.external["discover"].call
        self.assertEqual((call.module, call.function, call.class_name, call.method, call.target),
                         ("shared.config.cross_model_subsets", "discover_models", None, None,
                          "shared.config.cross_model_subsets.discover_models"))
        self.assertEqual(catalog.external["discover"].describe_call(),
                         "shared.config.cross_model_subsets.discover_models("
                         "shared.clients.bigquery_pool.get_bigquery_client(), target_date)")

    def test_LoadCatalog_UnknownRowKey_IsRefusedWithLineOnEveryRowKind(self):
        problems = self.problems('''\
            [types.subset-picks]
            kind = "native"
            implementation = "subset-picks"
            date = "target"
            objects = [{ path = "v1/picks/{date}.json" }]
            depends_on = ["results"]

            [types.results]
            kind = "external"
            date = "target"
            objects = [{ path = "v1/results/{date}.json" }]
            future_key = "x"
            call = { module = "data_processors.publishing.results_exporter", class = "ResultsExporter", method = "export" }
            ''')
        expected = ("unknown key; expected one of kind, date, objects, activity, task_queue, policy, preflight, "
                    "implementation, call, options, skip_when_inputs_unchanged, step, after, requires, replaces, "
                    "values")
        self.assertEqual(problems, [":6: types.subset-picks.depends_on: " + expected,
                                    ":12: types.results.future_key: " + expected])

    def test_LoadCatalog_UnknownGroupOrSelfDependency_IsRefused(self):
        problems = self.problems('[groups]\ntrends-daily = ["signal"]\n' + row(
            "signal", extra='after = ["discover", "trends-daily"]\nrequires = ["signal"]\nreplaces = ["legacy"]'))
        self.assertEqual(problems, [
            ":8: types.signal.after: 'discover' is not a row of the catalog",
            ":8: types.signal.after: 'trends-daily' is a group; after names rows (types), never groups",
            ":9: types.signal.requires: a row cannot name itself",
            ":10: types.signal.replaces: 'legacy' is not a row of the catalog"])

    def test_LoadCatalog_Cycle_IsRefusedNamingTheCycle(self):
        problems = self.problems(step("discover", 'after = ["annotate"]') + step("materialize", 'requires = ["discover"]')
                                 + step("annotate", 'after = ["materialize"]'))
        self.assertEqual(problems, [":6: types.discover.after: dependency cycle: discover -> annotate -> materialize "
                                    "-> discover"])

    def test_LoadCatalog_ValueFromARowThatIsNotADirectDependency_IsRefused(self):
        problems = self.problems(
            step("discover", 'values = { ids = "result.ids" }')
            + step("materialize", 'after = ["discover"]\nvalues = { version_id = "result.version_id" }')
            + row("signal", extra='after = ["materialize"]',
                  kwargs='ids = { value = "discover.ids" }, v = { value = "materialize.version" }'))
        self.assertEqual(problems, [
            ":22: types.signal.call: { value = 'discover.ids' } takes a value of discover, which is not in this row's "
            "after or requires: add it there",
            ":22: types.signal.call: { value = 'materialize.version' }: row materialize declares no value 'version' "
            "(its values: version_id)"])

    def test_LoadCatalog_StepWithObjectsOrRowWithout_IsRefused(self):
        problems = self.problems(step("discover", 'objects = [{ path = "v1/x.json" }]') + '''
            [types.signal]
            kind = "external"
            date = "target"
            call = { module = "m", class = "C", method = "export" }
            ''')
        self.assertEqual(problems, [
            ":6: types.discover.objects: a step (step = true) writes no document: leave objects out",
            ":9: types.signal.objects: must be an array of { path = \"v1/….json\", cache_control = \"…\" }, got "
            "nothing"])
        self.assertIn("discover", load_catalog(self.write(step("discover", "objects = []"))).external)

    def test_LoadCatalog_ObjectOfTwoRows_IsRefusedUnlessOneReplacesTheOther(self):
        legacy = row("best-bets", "v1/best-bets/latest.json")
        problems = self.problems(legacy + row("signal", "v1/best-bets/latest.json"))
        self.assertEqual(problems, [":12: types.signal.objects: v1/best-bets/latest.json is also declared by "
                                    "best-bets: two rows declare one object only when one replaces the other "
                                    "(replaces = [\"best-bets\"])"])
        catalog = load_catalog(self.write(legacy + row("signal", "v1/best-bets/latest.json",
                                                       'replaces = ["best-bets"]')))
        self.assertEqual(catalog.external["signal"].replaces, ("best-bets",))

    def test_LoadCatalog_BadForms_AreEachNamed(self):
        problems = self.problems(
            step("discover", 'values = { Models = "result", ids = "all_system_ids" }').replace("step = true",
                                                                                              'step = "yes"')
            + row("signal", extra='after = ["discover"]', kwargs=(
                'a = { value = "discover" }, b = { value = "discover.ids", optional = "no", construct = "Class", '
                'fallback = 1 }, c = { run = "finished_at" }, d = { run = "workflow_id", format = "%Y" }, '
                'e = { call = "get_client" }')))
        self.assertEqual(problems, [
            ":2: types.discover.objects: must be an array of { path = \"v1/….json\", cache_control = \"…\" }, got "
            "nothing",  # not a step: step = "yes" is not true
            ":4: types.discover.step: must be true or false, got 'yes'",
            ":6: types.discover.values.Models: a value's name matches ^[a-z][a-z0-9_]*$",
            ":6: types.discover.values.ids: must be \"result\" or \"result.a.b\" (each segment a key or attribute "
            "of the call's return value), got 'all_system_ids'",
            ":14: types.signal.call.kwargs.a.value: must be \"row.name\", e.g. \"materialize-subsets.version_id\", "
            "got 'discover'",
            ":14: types.signal.call.kwargs.b: unknown key(s) fallback (a value argument has value, default, "
            "optional, construct)",
            ":14: types.signal.call.kwargs.b.optional: must be true or false, got 'no'",
            ":14: types.signal.call.kwargs.b.construct: must be a class of the original, module.path.ClassName, got "
            "'Class'",
            ":14: types.signal.call.kwargs.c: a run argument is { run = \"started_at\", format = \"%Y%m%d\" } (format "
            "optional) or { run = \"workflow_id\" }; got {'run': 'finished_at'}",
            ":14: types.signal.call.kwargs.d.format: a strftime format of started_at only, e.g. \"v_%Y%m%d_%H%M%S\"",
            ":14: types.signal.call.kwargs.e: { call = \"module.function\" } names a no-argument function of the "
            "original, e.g. shared.clients.bigquery_pool.get_bigquery_client; got {'call': 'get_client'}"])

    def test_LoadCatalog_GraphFormInAConstructor_IsRefused(self):
        problems = self.problems(step("discover", 'values = { ids = "result.ids" }') + CONSTRUCTOR_ROW)
        self.assertEqual(problems, [":14: types.signal.call.constructor.ids: a constructor's arguments are constants; "
                                    "pass value to the method (args, kwargs)"])

    def test_LoadCatalog_ShippedCatalog_OnlyTheReplacedLatestFileHasTwoOwners(self):
        from tests.support import SHIPPED
        owners = {}
        for name, external in SHIPPED.external.items():
            for pattern in external.objects:
                owners.setdefault(pattern.path, []).append(name)
        self.assertEqual({path: names for path, names in owners.items() if len(names) > 1},
                         {"v1/best-bets/latest.json": ["best-bets", "signal-best-bets"]})


if __name__ == "__main__":
    unittest.main()
