import os
import tempfile
import unittest

from exportflows_worker.exporters import OriginalExporters, SetupError
from exportflows_worker.settings import from_environment

from tests.support import NEW_TYPES, SHIPPED

REPO = {"EXPORTFLOWS_ORIGINAL_REPO": "/srv/original"}


class SettingsTests(unittest.TestCase):
    def refused(self, env):
        with self.assertRaises(SetupError) as caught:
            from_environment(env)
        return str(caught.exception)

    def test_FromEnvironment_OnlyTheRepository_UsesTheDefaults(self):
        settings = from_environment(REPO)
        self.assertEqual(settings.task_queue, "exportflows-python")
        self.assertEqual(settings.types, SHIPPED.external_types)
        self.assertEqual(settings.catalog, SHIPPED)
        self.assertEqual(settings.bucket, "nba-props-platform-api")
        self.assertEqual(settings.bigquery_project, "nba-props-platform")
        self.assertEqual((settings.address, settings.namespace, settings.tls, settings.api_key),
                         ("localhost:7233", "default", False, None))
        self.assertEqual((settings.heartbeat_seconds, settings.max_concurrent), (5.0, 4))

    def test_FromEnvironment_ExamplesTaskQueueVariable_DoesNotMoveTheWorkerOffItsQueue(self):
        self.assertEqual(from_environment(dict(REPO, EXPORTFLOWS_TASK_QUEUE="exportflows")).task_queue,
                         "exportflows-python")
        self.assertEqual(from_environment(dict(REPO, EXPORTFLOWS_EXTERNAL_TASK_QUEUE="py-2")).task_queue, "py-2")

    def test_FromEnvironment_NoRepository_SaysWhatToSet(self):
        self.assertIn("EXPORTFLOWS_ORIGINAL_REPO is not set", self.refused({}))

    def test_FromEnvironment_Types_AreChosenAndUnknownOnesNamed(self):
        settings = from_environment(dict(REPO, EXPORTFLOWS_TYPES=" results, best-bets ,results"))
        self.assertEqual(settings.types, ("results", "best-bets"))
        message = self.refused(dict(REPO, EXPORTFLOWS_TYPES="results,subset-picks,standings"))
        self.assertIn("EXPORTFLOWS_TYPES=results,subset-picks,standings: not external in the catalog %s: "
                      "subset-picks (native), standings; choose from results, performance" % SHIPPED.path, message)

    def test_FromEnvironment_CatalogFlagThenVariable_ChooseTheCatalog(self):
        self.assertEqual(from_environment(dict(REPO, EXPORTFLOWS_CATALOG=NEW_TYPES)).types,
                         ("calendar", "signal-health", "best-bets-record"))
        self.assertEqual(from_environment(dict(REPO, EXPORTFLOWS_CATALOG="/nowhere.toml"), SHIPPED.path).catalog,
                         SHIPPED)

    def test_FromEnvironment_InvalidCatalog_IsNamedWithTheOtherProblems(self):
        with tempfile.NamedTemporaryFile("w", suffix=".toml") as bad:
            bad.write('[types.calendar]\nkind = "external"\ndate = "never"\n')
            bad.flush()
            message = self.refused(dict(REPO, EXPORTFLOWS_CATALOG=bad.name, EXPORTFLOWS_MAX_CONCURRENT="0"))
        self.assertIn("catalog %s is invalid (3 problems" % bad.name, message)
        self.assertIn("%s:3: types.calendar.date: must be" % bad.name, message)
        self.assertIn("EXPORTFLOWS_MAX_CONCURRENT=0", message)
        self.assertIn("/nowhere.toml: no such file", self.refused(dict(REPO, EXPORTFLOWS_CATALOG="/nowhere.toml")))

    def test_FromEnvironment_CatalogWithoutExternalRows_HasNothingToServe(self):
        with tempfile.NamedTemporaryFile("w", suffix=".toml") as native_only:
            native_only.write('[types.subset-picks]\nkind = "native"\n')
            native_only.flush()
            message = self.refused(dict(REPO, EXPORTFLOWS_CATALOG=native_only.name))
        self.assertIn("the catalog %s has no external row (kind = \"external\"): nothing to serve" % native_only.name,
                      message)

    def test_Queues_RowsWithTheirOwnTaskQueue_AreGroupedApart(self):
        settings = from_environment(dict(REPO, EXPORTFLOWS_CATALOG=NEW_TYPES, EXPORTFLOWS_EXTERNAL_TASK_QUEUE="py"))
        self.assertEqual({queue: [row.export_type for row in rows] for queue, rows in settings.queues().items()},
                         {"py": ["calendar", "signal-health"], "exportflows-python-records": ["best-bets-record"]})
        narrowed = from_environment(dict(REPO, EXPORTFLOWS_CATALOG=NEW_TYPES, EXPORTFLOWS_TYPES="calendar"))
        self.assertEqual(list(narrowed.queues()), ["exportflows-python"])

    def test_FromEnvironment_BadNumbers_AreRefusedWithTheRange(self):
        message = self.refused(dict(REPO, EXPORTFLOWS_HEARTBEAT_SECONDS="0", EXPORTFLOWS_MAX_CONCURRENT="many"))
        self.assertIn("EXPORTFLOWS_HEARTBEAT_SECONDS=0: expected a number from 0.1 to 60.0", message)
        self.assertIn("EXPORTFLOWS_MAX_CONCURRENT=many: expected a number from 1 to 64", message)
        self.assertIn("EXPORTFLOWS_HEARTBEAT_SECONDS=nan", self.refused(dict(REPO, EXPORTFLOWS_HEARTBEAT_SECONDS="nan")))

    def test_FromEnvironment_ApiKey_TurnsTlsOn(self):
        settings = from_environment(dict(REPO, TEMPORAL_API_KEY="key", TEMPORAL_ADDRESS="ns.acct.tmprl.cloud:7233",
                                         TEMPORAL_NAMESPACE="ns.acct"))
        self.assertEqual((settings.tls, settings.api_key, settings.namespace), (True, "key", "ns.acct"))

    def test_FromEnvironment_ClientCertificate_NeedsItsKeyAndExistingFiles(self):
        self.assertIn("go together", self.refused(dict(REPO, TEMPORAL_TLS_CLIENT_KEY_PATH="/nowhere/key.pem")))
        self.assertIn("TEMPORAL_TLS_CLIENT_CERT_PATH=/nowhere/c.pem: no such file", self.refused(
            dict(REPO, TEMPORAL_TLS_CLIENT_CERT_PATH="/nowhere/c.pem", TEMPORAL_TLS_CLIENT_KEY_PATH="/nowhere/k.pem")))
        with tempfile.NamedTemporaryFile() as cert, tempfile.NamedTemporaryFile() as key:
            settings = from_environment(dict(REPO, TEMPORAL_TLS_CLIENT_CERT_PATH=cert.name,
                                             TEMPORAL_TLS_CLIENT_KEY_PATH=key.name))
            self.assertTrue(settings.tls)

    def test_FromEnvironment_TlsFlag_MustBeABoolean(self):
        self.assertTrue(from_environment(dict(REPO, TEMPORAL_TLS="true")).tls)
        self.assertIn("TEMPORAL_TLS=yes", self.refused(dict(REPO, TEMPORAL_TLS="yes")))

    def test_OriginalExporters_FolderWithoutDataProcessors_IsASetupError(self):
        with tempfile.TemporaryDirectory() as folder:
            with self.assertRaises(SetupError) as caught:
                OriginalExporters(folder)
            self.assertIn(os.path.join("data_processors", "publishing") + "/ is missing", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
