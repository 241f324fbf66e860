"""Running rows of the graph: function calls, the argument forms, values in the result (JSON conversion, the 32 KiB
bound), steps, and the activity input's values and run."""

import dataclasses
import datetime
import json

from exportflows_worker.arguments import ArgumentResolver
from exportflows_worker.catalog import Argument
from exportflows_worker.errors import ContractViolation, InvalidExportRequest, MissingValue
from exportflows_worker.values import MAX_VALUES_BYTES, extract_values

from tests.support import SHIPPED, request
from tests.test_runner import RunnerTestCase

MODELS = {"all_system_ids": ["catboost_v9", "xgboost_v2"], "family_to_id": {"v9_mae": "catboost_v9"},
          "id_to_family": {"catboost_v9": "v9_mae"}}
RUN = {"started_at": "2026-02-03T18:04:05.123456+00:00", "workflow_id": "phase6-export-manual-1"}


@dataclasses.dataclass
class Summary:
    version_id: str
    picks: tuple
    system_ids: frozenset
    day: datetime.date
    note: object = None


def with_values(**values):
    return SHIPPED.external["materialize-subsets"]._replace(values=values)


class StepTests(RunnerTestCase):
    def test_RunExport_DiscoverModels_CallsTheFunctionOnceWithThePooledClientAndCarriesItsValues(self):
        result = self.run_export(request("discover-models"))
        self.assertEqual(self.calls(), [{"class": None, "method": "discover_models",
                                         "args": ("pooled bigquery client", "2026-02-10"), "kwargs": {}}])
        self.assertEqual(result, {"export_type": "discover-models", "objects": [], "skipped_reason": None, "values": {
            "models": {"all_system_ids": ["catboost_v9", "xgboost_v2"],
                       "family_to_id": {"v9_mae": "catboost_v9", "x2": "xgboost_v2"},
                       "id_to_family": {"catboost_v9": "v9_mae", "xgboost_v2": "x2"}},
            "system_ids": ["catboost_v9", "xgboost_v2"]}})

    def test_RunExport_Materialize_ReturnsNoObjectsAndItsVersionId(self):
        result = self.run_export(request("materialize-subsets", values={"discover-models": {"system_ids": ["a"]}}))
        self.assertEqual(result, {"export_type": "materialize-subsets", "objects": [], "skipped_reason": None,
                                  "values": {"version_id": "v_20260210_170000"}})
        self.assertEqual(self.calls("materialize")[0]["kwargs"], {"trigger_source": "export",
                                                                  "active_system_ids": ["a"]})

    def test_RunExport_ValuesReceived_ArePassedAndTheDictRebuiltAsTheOriginalsClass(self):
        self.run_export(request("cross-model-subsets", run=RUN, values={
            "discover-models": {"models": MODELS, "system_ids": ["catboost_v9"]},
            "materialize-subsets": {"version_id": "v_20260203_170000"}}))
        kwargs = self.calls("materialize")[0]["kwargs"]
        self.assertEqual(kwargs["version_id"], "v_20260203_170000")
        models = kwargs["discovered_models"]
        self.assertEqual((type(models).__name__, models.all_system_ids, models.family_count),
                         ("DiscoveredModels", ["catboost_v9", "xgboost_v2"], 1))

    def test_RunExport_ProducerGaveNoValue_DefaultIsTheRunsStartFormattedAndOptionalIsNone(self):
        self.run_export(request("cross-model-subsets", run=RUN, values={}))
        kwargs = self.calls("materialize")[0]["kwargs"]
        self.assertEqual((kwargs["version_id"], kwargs["discovered_models"]), ("v_20260203_180405", None))

    def test_RunExport_SignalBestBets_GetsTheMaterializersVersionIdAndStillWritesItsObjects(self):
        result = self.run_export(request("signal-best-bets", values={"materialize-subsets": {"version_id": "v_1"}}))
        self.assertEqual(self.calls("export")[0]["kwargs"], {"version_id": "v_1"})
        self.assertEqual([o["name"] for o in result["objects"]], ["v1/signal-best-bets/2026-02-10.json"])
        self.assertNotIn("values", result)  # the row declares none

    def test_RunExport_BadValuesOrRunInTheInput_IsInvalidExportRequest(self):
        for changes, problem in (({"values": {"Discover": {}}}, "values must be an object"),
                                 ({"values": {"discover-models": []}}, "values must be an object"),
                                 ({"run": {"started_at": "yesterday"}}, "started_at 'yesterday' is not"),
                                 ({"run": {"workflow_id": "", "x": 1}}, "unknown run field(s) x")):
            with self.subTest(changes=changes):
                with self.assertRaises(InvalidExportRequest) as caught:
                    self.run_export(request("discover-models", **changes))
                self.assertIn(problem, caught.exception.message)
        self.assertEqual(self.calls(), [])


class ArgumentTests(RunnerTestCase):
    def resolver(self, dependency_values=None, run=None, load=None):
        return ArgumentResolver("signal", {"target_date": "2026-02-10"}, dependency_values or {}, run or RUN,
                                load or (lambda dotted, what: None))

    def test_Resolve_MissingValueWithoutDefaultOrOptional_IsNonRetryableMissingValue(self):
        with self.assertRaises(MissingValue) as caught:
            self.resolver({"materialize": {}})(Argument(None, value="materialize.version_id"))
        self.assertEqual((caught.exception.error_type, caught.exception.non_retryable), ("MissingValue", True))
        self.assertIn("materialize.version_id, which materialize did not produce", caught.exception.message)

    def test_Resolve_NullValue_IsPassedAsNoneNotTheDefault(self):
        arg = Argument(None, value="m.v", default=Argument(None, 5))
        self.assertIsNone(self.resolver({"m": {"v": None}})(arg))
        self.assertEqual(self.resolver({"m": {}})(arg), 5)

    def test_Resolve_CallForm_CallsTheFunctionOncePerActivity(self):
        made = []

        def load(dotted, what):
            self.assertEqual((dotted, what), ("shared.clients.bigquery_pool.get_bigquery_client", "function"))
            return lambda: made.append(1) or "client %d" % len(made)

        resolve = self.resolver(load=load)
        arg = Argument(None, call="shared.clients.bigquery_pool.get_bigquery_client")
        self.assertEqual((resolve(arg), resolve(arg)), ("client 1", "client 1"))
        self.assertEqual(self.resolver(load=load)(arg), "client 2")

    def test_Resolve_RunForms_WorkflowIdAndStartedAtAsSentOrFormatted(self):
        resolve = self.resolver()
        self.assertEqual(resolve(Argument(None, run="workflow_id")), "phase6-export-manual-1")
        self.assertEqual(resolve(Argument(None, run="started_at")), "2026-02-03T18:04:05.123456+00:00")
        self.assertEqual(resolve(Argument(None, run="started_at", format="%Y-%m-%d %H:%M:%S.%f")),
                         "2026-02-03 18:04:05.123456")
        with self.assertRaises(MissingValue):
            self.resolver(run={"started_at": RUN["started_at"]})(Argument(None, run="workflow_id"))

    def test_Resolve_ConstructOfANonObject_IsContractViolation(self):
        arg = Argument(None, value="d.models", construct="shared.config.cross_model_subsets.DiscoveredModels")
        with self.assertRaises(ContractViolation):
            self.resolver({"d": {"models": [1, 2]}})(arg)


class ValuesTests(RunnerTestCase):
    def test_ExtractValues_ConvertsDataclassSetTupleDateAndKeepsNull(self):
        returned = Summary("v_1", ("a", "b"), frozenset({"z", "a"}), datetime.date(2026, 2, 10))
        self.assertEqual(extract_values(returned, with_values(whole="result", ids="result.system_ids",
                                                              day="result.day", note="result.note")),
                         {"whole": {"version_id": "v_1", "picks": ["a", "b"], "system_ids": ["a", "z"],
                                    "day": "2026-02-10", "note": None},
                          "ids": ["a", "z"], "day": "2026-02-10", "note": None})

    def test_ExtractValues_MissingKeyOrAttribute_LeavesTheValueOut(self):
        row = with_values(version_id="result.version_id", deep="result.subsets.top.count", absent="result.nothing")
        self.assertEqual(extract_values({"version_id": "v_2", "subsets": {"top": {}}}, row), {"version_id": "v_2"})
        self.assertEqual(extract_values(None, row), {})

    def test_ExtractValues_NotJson_IsContractViolationNamingTheValue(self):
        for returned in ({"version_id": object()}, {"version_id": float("nan")}, {"version_id": {1: "a"}}):
            with self.subTest(returned=returned):
                with self.assertRaises(ContractViolation) as caught:
                    extract_values(returned, with_values(version_id="result.version_id"))
                self.assertIn("materialize-subsets value version_id (result.version_id)", caught.exception.message)

    def test_ExtractValues_Over32KiB_IsContractViolationNamingTheRowExactlyTheBoundIsKept(self):
        row = with_values(version_id="result.v")
        overhead = len(json.dumps({"version_id": ""}, separators=(",", ":")))
        kept = extract_values({"v": "x" * (MAX_VALUES_BYTES - overhead)}, row)
        self.assertEqual(len(kept["version_id"]), MAX_VALUES_BYTES - overhead)
        with self.assertRaises(ContractViolation) as caught:
            extract_values({"v": "é" * ((MAX_VALUES_BYTES - overhead) // 2 + 1)}, row)  # two UTF-8 bytes each
        self.assertIn("materialize-subsets: its values are 32769 bytes of JSON, more than the 32768",
                      caught.exception.message)

    def test_RunExport_StepValueNotJson_FailsTheStepAsContractViolation(self):
        self.control.OVERRIDES["SubsetMaterializer"] = lambda *a, **k: {"version_id": {"at": datetime.time(1, 2)}}
        with self.assertRaises(ContractViolation):
            self.run_export(request("materialize-subsets"))
