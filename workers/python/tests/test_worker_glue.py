"""worker.py against a stand-in of the parts of the temporalio API it uses (the SDK is not installable here).

The stand-in has the documented names and signatures (activity.defn(name=..., dynamic=...), activity.info(),
activity.heartbeat, activity.payload_converter().from_payload(payload, type_hint=None), common.RawValue(payload),
ApplicationError(message, *details, type=, non_retryable=), Client.connect(target, namespace=, api_key=, tls=),
TLSConfig(...), Worker(client, task_queue=, activities=, activity_executor=, ...)) and records how it is used. Its
rules are the SDK's (temporalio 1.21 and later): a dynamic activity takes exactly one parameter annotated
``collections.abc.Sequence[RawValue]``; a worker has at most one; an activity type registered by name goes to its
function, any other to the dynamic activity with every argument as a RawValue. ``Worker.execute_stub`` runs an
activity task that way (it stands in for the server's task; the real Worker has no such method).
"""

import asyncio
import datetime
import importlib
import json
import os
import shutil
import sys
import tempfile
import textwrap
import types
import unittest
from concurrent.futures import ThreadPoolExecutor

from exportflows_worker.errors import NotReady
from exportflows_worker.exporters import OriginalExporters
from exportflows_worker.preflight import PreflightCounts
from exportflows_worker.settings import from_environment

from tests.fake_original import FakeOriginal
from tests.support import NEW_TYPES, SHIPPED, request

STUB = {
    "__init__.py": "",
    "common.py": '''
        class RawValue:
            def __init__(self, payload):
                self.payload = payload
        ''',
    "activity.py": '''
        import collections.abc
        import json
        import types
        import typing

        import temporalio.common

        DEFINED = {}
        HEARTBEATS = []
        INFO = types.SimpleNamespace(heartbeat_timeout=None, attempt=1, workflow_id="wf-1", activity_type=None,
                                     task_queue=None)

        def defn(fn=None, *, name=None, no_thread_cancel_exception=False, dynamic=False):
            def decorate(f):
                if dynamic:
                    hints = [h for k, h in typing.get_type_hints(f).items() if k != "return"]
                    if hints != [collections.abc.Sequence[temporalio.common.RawValue]]:
                        raise TypeError("Dynamic activity must accept a single Sequence[temporalio.common.RawValue]")
                f.stub_activity_name = None if dynamic else (name or f.__name__)
                DEFINED[f.stub_activity_name] = f
                return f
            return decorate(fn) if fn is not None else decorate

        def info():
            return INFO

        def heartbeat(*details):
            HEARTBEATS.append(details)

        class _JsonConverter:
            def from_payload(self, payload, type_hint=None):
                encoding = payload.metadata.get("encoding")
                if encoding == b"json/plain":
                    return json.loads(payload.data)
                if encoding == b"binary/null":
                    return None
                raise RuntimeError("Unknown payload encoding %s" % encoding.decode())

        def payload_converter():
            return _JsonConverter()
        ''',
    "exceptions.py": '''
        class ApplicationError(Exception):
            def __init__(self, message, *details, type=None, non_retryable=False, next_retry_delay=None):
                super().__init__(message)
                self.message, self.details, self.type, self.non_retryable = message, details, type, non_retryable
        ''',
    "client.py": '''
        CONNECTS = []

        class TLSConfig:
            def __init__(self, *, server_root_ca_cert=None, domain=None, client_cert=None, client_private_key=None):
                self.server_root_ca_cert, self.domain = server_root_ca_cert, domain
                self.client_cert, self.client_private_key = client_cert, client_private_key

        class Client:
            @staticmethod
            async def connect(target_host, *, namespace="default", api_key=None, tls=False, **kwargs):
                CONNECTS.append(dict(target_host=target_host, namespace=namespace, api_key=api_key, tls=tls))
                return Client()
        ''',
    "worker.py": '''
        WORKERS = []

        class Worker:
            on_enter = None

            def __init__(self, client, *, task_queue, activities=(), activity_executor=None,
                         max_concurrent_activities=None, graceful_shutdown_timeout=None, **kwargs):
                self.task_queue, self.activities, self.activity_executor = task_queue, list(activities), activity_executor
                self.by_name = {}
                for fn in self.activities:
                    if fn.stub_activity_name is None and None in self.by_name:
                        raise TypeError("More than one dynamic activity")
                    self.by_name[fn.stub_activity_name] = fn
                self.max_concurrent_activities = max_concurrent_activities
                self.graceful_shutdown_timeout = graceful_shutdown_timeout
                self.running = False
                WORKERS.append(self)

            async def __aenter__(self):
                self.running = True
                if Worker.on_enter is not None:
                    Worker.on_enter(self)
                return self

            async def __aexit__(self, *exc):
                self.running = False

            def execute_stub(self, activity_type, payloads):
                import temporalio.activity
                from temporalio.common import RawValue
                fn = self.by_name.get(activity_type, self.by_name.get(None))
                if fn is None:
                    raise RuntimeError("Activity function %s is not registered on this worker" % activity_type)
                info = temporalio.activity.INFO
                info.activity_type, info.task_queue = activity_type, self.task_queue
                if fn.stub_activity_name is None:
                    return fn([RawValue(p) for p in payloads])
                return fn(*[temporalio.activity.payload_converter().from_payload(p) for p in payloads])
        ''',
}


class WorkerGlueTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stub_root = tempfile.mkdtemp(prefix="temporalio-stub-")
        package = os.path.join(cls.stub_root, "temporalio")
        os.makedirs(package)
        for name, source in STUB.items():
            with open(os.path.join(package, name), "w") as handle:
                handle.write(textwrap.dedent(source))
        cls.saved = {n: m for n, m in sys.modules.items() if n == "temporalio" or n.startswith("temporalio.")}
        for name in list(cls.saved) + ["exportflows_worker.worker"]:
            sys.modules.pop(name, None)
        sys.path.insert(0, cls.stub_root)
        cls.worker = importlib.import_module("exportflows_worker.worker")
        cls.stub = importlib.import_module("temporalio")
        importlib.import_module("temporalio.activity")
        cls.StubWorker = importlib.import_module("temporalio.worker").Worker

    @classmethod
    def tearDownClass(cls):
        sys.path.remove(cls.stub_root)
        for name in [n for n in sys.modules if n == "temporalio" or n.startswith("temporalio.")]:
            del sys.modules[name]
        sys.modules.pop("exportflows_worker.worker", None)
        sys.modules.update(cls.saved)
        shutil.rmtree(cls.stub_root, ignore_errors=True)

    def setUp(self):
        self.fake = FakeOriginal()
        self.addCleanup(self.fake.close)
        self.exporters = OriginalExporters(self.fake.root)
        self.settings = from_environment({"EXPORTFLOWS_ORIGINAL_REPO": self.fake.root,
                                          "EXPORTFLOWS_HEARTBEAT_SECONDS": "0.1"})
        self.activity = sys.modules["temporalio.activity"]
        self.activity.DEFINED.clear()
        del self.activity.HEARTBEATS[:]

    def make(self, settings=None, counts=lambda d: PreflightCounts(100, 100), queue="exportflows-python"):
        """A stand-in worker of ``queue`` with the dynamic activity of the settings' rows on it."""
        settings = settings or self.settings
        export = self.worker.make_activity(settings.queues()[queue], queue, self.exporters, counts, settings)
        return self.StubWorker(None, task_queue=queue, activities=[export])

    def test_MakeActivity_IsOneDynamicActivityServingEveryRowByItsActivityType(self):
        worker = self.make()
        self.assertEqual(list(self.activity.DEFINED), [None])
        result = worker.execute_stub("ExportTonightPlayers", [payload(request("tonight-players"))])
        self.assertEqual(len(result["objects"]), 3)
        self.assertGreaterEqual(len(self.activity.HEARTBEATS), 1)
        self.assertEqual(self.activity.HEARTBEATS[0][0]["export_type"], "tonight-players")
        self.assertEqual(worker.execute_stub("ExportResults", [payload(request("results"))])["objects"][0]["name"],
                         "v1/results/2026-02-10.json")

    def test_MakeActivity_RowOfAnotherCatalog_IsServedWithoutCode(self):
        settings = from_environment({"EXPORTFLOWS_ORIGINAL_REPO": self.fake.root, "EXPORTFLOWS_CATALOG": NEW_TYPES})
        result = self.make(settings).execute_stub("ExportCalendar", [payload(request("calendar"))])
        self.assertEqual(result["objects"], [{"name": "v1/calendar/game-counts.json", "bytes": None,
                                              "generation": None}])
        records = self.make(settings, queue="exportflows-python-records")
        self.assertEqual(len(records.execute_stub("ExportBestBetsRecord", [payload(request("best-bets-record"))])
                             ["objects"]), 2)

    def test_MakeActivity_ActivityTypeWithoutRowOnTheQueue_IsRetryableAndNamesTheQueue(self):
        settings = from_environment({"EXPORTFLOWS_ORIGINAL_REPO": self.fake.root, "EXPORTFLOWS_CATALOG": NEW_TYPES})
        for activity_type in ("ExportBestBetsRecord", "ExportStandings"):
            with self.subTest(activity_type=activity_type):
                with self.assertRaises(self.worker.UnservedActivity) as caught:
                    self.make(settings).execute_stub(activity_type, [payload(request("best-bets-record"))])
                self.assertIn("%s is not served on task queue exportflows-python by this worker (catalog %s; it "
                              "serves ExportCalendar, ExportSignalHealth)" % (activity_type, NEW_TYPES),
                              str(caught.exception))
                self.assertNotIsInstance(caught.exception, self.stub.exceptions.ApplicationError)

    def test_MakeActivity_ArgumentsNotOneJsonObject_AreInvalidExportRequest(self):
        undecodable = types.SimpleNamespace(metadata={"encoding": b"binary/protobuf"}, data=b"\x08\x01")
        cases = [([undecodable], "cannot be decoded: RuntimeError: Unknown payload encoding binary/protobuf"),
                 ([payload(request("results")), payload({})], "takes one argument, the request object; it got 2"),
                 ([payload("results")], "expected a JSON object")]
        for payloads, message in cases:
            with self.subTest(message=message):
                with self.assertRaises(self.stub.exceptions.ApplicationError) as caught:
                    self.make().execute_stub("ExportResults", payloads)
                self.assertEqual((caught.exception.type, caught.exception.non_retryable),
                                 ("InvalidExportRequest", True))
                self.assertIn(message, caught.exception.message)

    def test_MakeActivity_ExportError_IsAnApplicationErrorOfItsTypeAndRetryClass(self):
        worker = self.make(counts=lambda d: PreflightCounts(3, 100))
        with self.assertRaises(self.stub.exceptions.ApplicationError) as caught:
            worker.execute_stub("ExportTonight", [payload(request("tonight"))])
        self.assertEqual((caught.exception.type, caught.exception.non_retryable), ("NotReady", False))
        self.assertEqual(caught.exception.details[0]["reason"], "analytics_not_ready")
        with self.assertRaises(self.stub.exceptions.ApplicationError) as caught:
            worker.execute_stub("ExportResults", [payload(request("results", target_date="2026-13-01"))])
        self.assertEqual((caught.exception.type, caught.exception.non_retryable), ("InvalidExportRequest", True))
        with self.assertRaises(self.stub.exceptions.ApplicationError) as caught:
            worker.execute_stub("ExportResults", [payload(request("live"))])
        self.assertIn("'live' was sent to the activity of 'results'", caught.exception.message)

    def test_StandIn_EnforcesTheSdksRulesForDynamicActivities(self):
        with self.assertRaises(TypeError):
            self.activity.defn(dynamic=True)(lambda args: None)
        export = self.worker.make_activity(SHIPPED.external.values(), "q", self.exporters, None, self.settings)
        with self.assertRaises(TypeError):
            self.StubWorker(None, task_queue="q", activities=[export, export])

    def test_ToApplicationError_KeepsMessageAndDetails(self):
        error = self.worker.to_application_error(NotReady("later", {"reason": "x"}))
        self.assertEqual((error.message, error.details, error.type), ("later", ({"reason": "x"},), "NotReady"))

    def test_Connect_ApiKeyAndCertificates_AreHandedToTheClient(self):
        folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, folder)
        paths = {}
        for name in ("cert", "key", "ca"):
            paths[name] = os.path.join(folder, name + ".pem")
            with open(paths[name], "wb") as handle:
                handle.write(name.encode())
        settings = from_environment({"EXPORTFLOWS_ORIGINAL_REPO": self.fake.root, "TEMPORAL_ADDRESS": "t:7233",
                                     "TEMPORAL_NAMESPACE": "ns", "TEMPORAL_TLS_CLIENT_CERT_PATH": paths["cert"],
                                     "TEMPORAL_TLS_CLIENT_KEY_PATH": paths["key"],
                                     "TEMPORAL_TLS_SERVER_CA_CERT_PATH": paths["ca"]})
        asyncio.run(self.worker.connect(settings))
        connect = sys.modules["temporalio.client"].CONNECTS[-1]
        self.assertEqual((connect["target_host"], connect["namespace"]), ("t:7233", "ns"))
        tls = connect["tls"]
        self.assertEqual((tls.client_cert, tls.client_private_key, tls.server_root_ca_cert), (b"cert", b"key", b"ca"))
        asyncio.run(self.worker.connect(from_environment({"EXPORTFLOWS_ORIGINAL_REPO": self.fake.root,
                                                          "TEMPORAL_API_KEY": "k"})))
        self.assertEqual((sys.modules["temporalio.client"].CONNECTS[-1]["api_key"],
                          sys.modules["temporalio.client"].CONNECTS[-1]["tls"]), ("k", True))

    def serve_until_polling(self, settings):
        stub_worker = sys.modules["temporalio.worker"].Worker
        self.addCleanup(setattr, stub_worker, "on_enter", None)
        started = len(sys.modules["temporalio.worker"].WORKERS)

        async def serve():
            stop = asyncio.Event()
            stub_worker.on_enter = lambda w: stop.set() if all(
                x.running for x in sys.modules["temporalio.worker"].WORKERS[started:]) else None
            await asyncio.wait_for(self.worker.serve(settings, self.exporters, lambda d: None, stop), 10)

        asyncio.run(serve())
        return sys.modules["temporalio.worker"].WORKERS[started:]

    def test_Serve_OneDynamicActivityOnTheQueueWithAThreadPool(self):
        [worker] = self.serve_until_polling(self.settings)
        self.assertEqual(worker.task_queue, "exportflows-python")
        self.assertEqual(len(worker.activities), 1)
        self.assertEqual(list(self.activity.DEFINED), [None])
        self.assertIsInstance(worker.activity_executor, ThreadPoolExecutor)
        self.assertEqual(worker.max_concurrent_activities, 4)
        self.assertEqual(worker.graceful_shutdown_timeout, datetime.timedelta(seconds=30))
        self.assertFalse(worker.running)
        self.assertEqual(worker.execute_stub("ExportLive", [payload(request("live"))])["export_type"], "live")

    def test_Serve_RowOnItsOwnTaskQueue_GetsAWorkerAndThreadsOfItsOwn(self):
        settings = from_environment({"EXPORTFLOWS_ORIGINAL_REPO": self.fake.root, "EXPORTFLOWS_CATALOG": NEW_TYPES,
                                     "EXPORTFLOWS_MAX_CONCURRENT": "2"})
        workers = self.serve_until_polling(settings)
        self.assertEqual([w.task_queue for w in workers], ["exportflows-python", "exportflows-python-records"])
        self.assertIsNot(workers[0].activity_executor, workers[1].activity_executor)
        self.assertEqual([w.max_concurrent_activities for w in workers], [2, 2])
        self.assertFalse(any(w.running for w in workers))
        self.assertEqual(workers[1].execute_stub("ExportBestBetsRecord", [payload(request("best-bets-record"))])
                         ["export_type"], "best-bets-record")


def payload(value):
    """A JSON payload as every SDK's default converter writes it."""
    return types.SimpleNamespace(metadata={"encoding": b"json/plain"}, data=json.dumps(value).encode())


if __name__ == "__main__":
    unittest.main()
