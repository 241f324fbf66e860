"""worker.py against a stand-in of the parts of the temporalio API it uses (the SDK is not installable here).

The stand-in has the documented names and signatures (activity.defn(name=...), activity.info(), activity.heartbeat,
ApplicationError(message, *details, type=, non_retryable=), Client.connect(target, namespace=, api_key=, tls=),
TLSConfig(...), Worker(client, task_queue=, activities=, activity_executor=, ...)) and records how it is used.
"""

import asyncio
import datetime
import importlib
import os
import shutil
import sys
import tempfile
import textwrap
import unittest
from concurrent.futures import ThreadPoolExecutor

from exportflows_worker.errors import NotReady
from exportflows_worker.exporters import OriginalExporters
from exportflows_worker.preflight import PreflightCounts
from exportflows_worker.settings import from_environment

from tests.fake_original import FakeOriginal
from tests.support import request

STUB = {
    "__init__.py": "",
    "activity.py": '''
        import types
        DEFINED = {}
        HEARTBEATS = []
        INFO = types.SimpleNamespace(heartbeat_timeout=None, attempt=1, workflow_id="wf-1")

        def defn(fn=None, *, name=None, no_thread_cancel_exception=False, dynamic=False):
            def decorate(f):
                DEFINED[name or f.__name__] = f
                return f
            return decorate(fn) if fn is not None else decorate

        def info():
            return INFO

        def heartbeat(*details):
            HEARTBEATS.append(details)
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

    def make(self, export_type, counts=lambda d: PreflightCounts(100, 100)):
        self.worker.make_activity(export_type, self.exporters, counts, self.settings)
        return self.activity.DEFINED[self.worker.ACTIVITY_NAMES[export_type]]

    def test_MakeActivity_RegistersTheContractNameAndReturnsTheResult(self):
        export = self.make("tonight-players")
        self.assertEqual(list(self.activity.DEFINED), ["ExportTonightPlayers"])
        result = export(request("tonight-players"))
        self.assertEqual(len(result["objects"]), 3)
        self.assertGreaterEqual(len(self.activity.HEARTBEATS), 1)
        self.assertEqual(self.activity.HEARTBEATS[0][0]["export_type"], "tonight-players")

    def test_MakeActivity_ExportError_IsAnApplicationErrorOfItsTypeAndRetryClass(self):
        export = self.make("tonight", counts=lambda d: PreflightCounts(3, 100))
        with self.assertRaises(self.stub.exceptions.ApplicationError) as caught:
            export(request("tonight"))
        self.assertEqual((caught.exception.type, caught.exception.non_retryable), ("NotReady", False))
        self.assertEqual(caught.exception.details[0]["reason"], "analytics_not_ready")
        with self.assertRaises(self.stub.exceptions.ApplicationError) as caught:
            self.make("results")(request("results", target_date="2026-13-01"))
        self.assertEqual((caught.exception.type, caught.exception.non_retryable), ("InvalidExportRequest", True))

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

    def test_Serve_OneSyncActivityPerTypeOnTheQueueWithAThreadPool(self):
        stub_worker = sys.modules["temporalio.worker"].Worker
        self.addCleanup(setattr, stub_worker, "on_enter", None)

        async def serve_until_polling():
            stop = asyncio.Event()
            stub_worker.on_enter = lambda w: stop.set()
            await asyncio.wait_for(self.worker.serve(self.settings, self.exporters, lambda d: None, stop), 10)

        asyncio.run(serve_until_polling())
        worker = sys.modules["temporalio.worker"].WORKERS[-1]
        self.assertEqual(worker.task_queue, "exportflows-python")
        self.assertEqual(len(worker.activities), 17)
        self.assertEqual(sorted(self.activity.DEFINED), sorted(self.worker.ACTIVITY_NAMES.values()))
        self.assertIsInstance(worker.activity_executor, ThreadPoolExecutor)
        self.assertEqual(worker.max_concurrent_activities, 4)
        self.assertEqual(worker.graceful_shutdown_timeout, datetime.timedelta(seconds=30))
        self.assertFalse(worker.running)


if __name__ == "__main__":
    unittest.main()
