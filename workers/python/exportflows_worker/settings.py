"""The worker's configuration, from environment variables (every one optional but the original repository), and
the catalog it serves (--catalog, EXPORTFLOWS_CATALOG or the repository's catalog/exportflows.toml)."""

import os
from typing import Dict, List, Mapping, NamedTuple, Optional, Tuple

from . import DEFAULT_TASK_QUEUE
from .catalog import Catalog, ExternalRow
from .catalog_file import CATALOG_VARIABLE, CatalogError, catalog_path, load_catalog
from .errors import SetupError
from .heartbeat import DEFAULT_INTERVAL_SECONDS
from .runner import DEFAULT_BUCKET

DEFAULT_PROJECT = "nba-props-platform"

VARIABLES = (
    ("EXPORTFLOWS_ORIGINAL_REPO", "root of a checkout of the original repository (required)"),
    (CATALOG_VARIABLE, "the export catalog (default: the repository's catalog/exportflows.toml); --catalog wins"),
    ("EXPORTFLOWS_EXTERNAL_TASK_QUEUE", "task queue of the rows without task_queue (default %s)" % DEFAULT_TASK_QUEUE),
    ("EXPORTFLOWS_TYPES", "comma-separated external types to serve (default: every external row of the catalog)"),
    ("EXPORTFLOWS_BUCKET", "bucket the exporters write to (default %s)" % DEFAULT_BUCKET),
    ("EXPORTFLOWS_BIGQUERY_PROJECT", "project of the pre-flight queries (default %s)" % DEFAULT_PROJECT),
    ("EXPORTFLOWS_HEARTBEAT_SECONDS", "seconds between heartbeats (default %g)" % DEFAULT_INTERVAL_SECONDS),
    ("EXPORTFLOWS_MAX_CONCURRENT", "exports run at once (default 4)"),
    ("TEMPORAL_ADDRESS", "host:port of the Temporal frontend (default localhost:7233)"),
    ("TEMPORAL_NAMESPACE", "namespace (default default)"),
    ("TEMPORAL_API_KEY", "API key (Temporal Cloud); turns TLS on"),
    ("TEMPORAL_TLS", "true to use TLS without client certificates"),
    ("TEMPORAL_TLS_CLIENT_CERT_PATH", "mTLS client certificate (PEM), with TEMPORAL_TLS_CLIENT_KEY_PATH"),
    ("TEMPORAL_TLS_CLIENT_KEY_PATH", "mTLS client key (PEM)"),
    ("TEMPORAL_TLS_SERVER_CA_CERT_PATH", "CA certificate of the server (PEM), optional"),
    ("TEMPORAL_TLS_SERVER_NAME", "server name to verify, optional"),
)


class Settings(NamedTuple):
    catalog: Catalog
    original_repo: str
    task_queue: str
    types: Tuple[str, ...]
    bucket: str
    bigquery_project: str
    heartbeat_seconds: float
    max_concurrent: int
    address: str
    namespace: str
    api_key: Optional[str]
    tls: bool
    client_cert_path: Optional[str]
    client_key_path: Optional[str]
    server_ca_cert_path: Optional[str]
    server_name: Optional[str]

    @property
    def rows(self) -> Tuple[ExternalRow, ...]:
        """The catalog rows this worker serves."""
        return tuple(self.catalog.external[t] for t in self.types)

    def queues(self) -> Dict[str, Tuple[ExternalRow, ...]]:
        """The served rows by the task queue they are scheduled on: a row's own task_queue, else the worker's."""
        found: Dict[str, List[ExternalRow]] = {}
        for row in self.rows:
            found.setdefault(row.task_queue or self.task_queue, []).append(row)
        return {queue: tuple(rows) for queue, rows in found.items()}


def from_environment(env: Mapping[str, str], catalog_file: Optional[str] = None) -> Settings:
    """The settings, or SetupError naming every variable that is wrong (and every problem of the catalog)."""
    problems: List[str] = []
    try:
        catalog: Optional[Catalog] = load_catalog(catalog_path(catalog_file, env))
    except CatalogError as error:
        problems.append(str(error))
        catalog = None

    def text(name: str, default: Optional[str] = None) -> Optional[str]:
        value = env.get(name, "").strip()
        return value or default

    repo = text("EXPORTFLOWS_ORIGINAL_REPO")
    if repo is None:
        problems.append("EXPORTFLOWS_ORIGINAL_REPO is not set: set it to the root of a checkout of the original "
                        "repository (the folder that holds data_processors/)")
    types = _types(text("EXPORTFLOWS_TYPES"), catalog, problems) if catalog is not None else ()
    heartbeat = _number("EXPORTFLOWS_HEARTBEAT_SECONDS", text("EXPORTFLOWS_HEARTBEAT_SECONDS"),
                        DEFAULT_INTERVAL_SECONDS, float, 0.1, 60.0, problems)
    concurrent = _number("EXPORTFLOWS_MAX_CONCURRENT", text("EXPORTFLOWS_MAX_CONCURRENT"), 4, int, 1, 64, problems)
    tls_text = (text("TEMPORAL_TLS") or "").lower()
    if tls_text not in ("", "true", "false", "1", "0"):
        problems.append("TEMPORAL_TLS=%s: use true or false" % env.get("TEMPORAL_TLS"))
    cert, key = text("TEMPORAL_TLS_CLIENT_CERT_PATH"), text("TEMPORAL_TLS_CLIENT_KEY_PATH")
    if (cert is None) != (key is None):
        problems.append("TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH go together: set both or neither")
    for name in ("TEMPORAL_TLS_CLIENT_CERT_PATH", "TEMPORAL_TLS_CLIENT_KEY_PATH", "TEMPORAL_TLS_SERVER_CA_CERT_PATH"):
        path = text(name)
        if path is not None and not os.path.isfile(path):
            problems.append("%s=%s: no such file" % (name, path))
    if problems:
        raise SetupError("invalid configuration: " + "; ".join(problems))
    api_key = text("TEMPORAL_API_KEY")
    return Settings(
        catalog=catalog,
        original_repo=repo,
        task_queue=text("EXPORTFLOWS_EXTERNAL_TASK_QUEUE", DEFAULT_TASK_QUEUE),
        types=types,
        bucket=text("EXPORTFLOWS_BUCKET", DEFAULT_BUCKET),
        bigquery_project=text("EXPORTFLOWS_BIGQUERY_PROJECT", DEFAULT_PROJECT),
        heartbeat_seconds=heartbeat,
        max_concurrent=concurrent,
        address=text("TEMPORAL_ADDRESS", "localhost:7233"),
        namespace=text("TEMPORAL_NAMESPACE", "default"),
        api_key=api_key,
        tls=tls_text in ("true", "1") or api_key is not None or cert is not None,
        client_cert_path=cert,
        client_key_path=key,
        server_ca_cert_path=text("TEMPORAL_TLS_SERVER_CA_CERT_PATH"),
        server_name=text("TEMPORAL_TLS_SERVER_NAME"),
    )


def _types(value: Optional[str], catalog: Catalog, problems: list) -> Tuple[str, ...]:
    external = catalog.external_types
    if not external:
        problems.append("the catalog %s has no external row (kind = \"external\"): nothing to serve" % catalog.path)
        return ()
    if value is None:
        return external
    chosen = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    unknown = [name + (" (native)" if name in catalog.native else "") for name in chosen if name not in external]
    if unknown or not chosen:
        problems.append("EXPORTFLOWS_TYPES=%s: not external in the catalog %s: %s; choose from %s"
                        % (value, catalog.path, ", ".join(unknown) or "(none given)", ", ".join(external)))
    return tuple(name for name in chosen if name in external)


def _number(name, value, default, kind, low, high, problems):
    if value is None:
        return default
    try:
        number = kind(value)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        problems.append("%s=%s: expected a number from %s to %s" % (name, value, low, high))
        return default
    return number
