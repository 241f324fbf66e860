"""Shared helpers: the contract folder, fixtures, the catalogs, a request builder and a heartbeat counter."""

import json
import os
import threading

from exportflows_worker.catalog_file import DEFAULT_CATALOG, load_catalog

HERE = os.path.dirname(os.path.abspath(__file__))
CONTRACT = os.path.normpath(os.path.join(HERE, "..", "..", "..", "contracts", "external-export"))
FIXTURES = os.path.join(CONTRACT, "fixtures")
CATALOGS = os.path.join(HERE, "catalogs")
NEW_TYPES = os.path.join(CATALOGS, "new-types.toml")

# The repository's catalog/exportflows.toml and the test catalog of three later types (read-only values).
SHIPPED = load_catalog(DEFAULT_CATALOG)


def load(*parts):
    with open(os.path.join(*parts), encoding="utf-8") as handle:
        return json.load(handle)


def schema(kind):
    return load(CONTRACT, "%s.schema.json" % kind)


def request(export_type="results", **changes):
    raw = {"export_type": export_type, "target_date": "2026-02-10", "update_latest": True,
           "requested_at": "2026-02-10T18:00:00Z", "correlation_id": "test-1", "trigger": "manual",
           "options": {"min_games": 5} if export_type == "player-profiles" else {}}
    raw.update(changes)
    return raw


class Beats:
    """A heartbeat callable that counts its calls (thread-safe) and keeps their details."""

    def __init__(self):
        self._lock = threading.Lock()
        self.details = []

    def __call__(self, details):
        with self._lock:
            self.details.append(details)

    @property
    def count(self):
        with self._lock:
            return len(self.details)
