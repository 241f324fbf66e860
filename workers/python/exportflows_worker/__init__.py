"""Reference worker that serves the external rows of ExportFlows' export catalog with the original exporters.

Everything in this package except ``worker`` and ``bigquery_counts`` is standard-library Python (3.11+: the catalog
is read with tomllib) and free of the Temporal SDK, so it is unit-tested without it.
"""

DEFAULT_TASK_QUEUE = "exportflows-python"

import logging as _logging

_logging.getLogger(__name__).addHandler(_logging.NullHandler())
