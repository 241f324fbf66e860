"""Tells ExportFlows that Phase 5 predictions for a game date are complete.

A signal-with-start of the date's tonight workflow, carrying the Phase 5 message exactly as it is published
(snake_case JSON, unchanged).

    pip install temporalio
    python predictions_complete.py ../predictions-complete.json
    python predictions_complete.py --dry-run ../predictions-complete.json   # print the request, send nothing

Environment: TEMPORAL_ADDRESS (localhost:7233), TEMPORAL_NAMESPACE (default), EXPORTFLOWS_TASK_QUEUE (exportflows).
"""

import argparse
import asyncio
import json
import os
import re
import sys

WORKFLOW_TYPE = "Phase6TonightWorkflow"
SIGNAL_NAME = "PredictionsComplete"
WORKFLOW_ID_PREFIX = "phase6-tonight-"


def build_request(message: dict, task_queue: str) -> dict:
    """The whole request: no start arguments (the id names the date), one signal argument (the message as published)."""
    game_date = message.get("game_date") if isinstance(message, dict) else None
    if not isinstance(game_date, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", game_date):
        raise ValueError(f"the message has no game_date YYYY-MM-DD (got {game_date!r})")
    return {
        "workflowType": WORKFLOW_TYPE,
        "workflowId": WORKFLOW_ID_PREFIX + game_date,
        "taskQueue": task_queue,
        "args": [],
        "signal": SIGNAL_NAME,
        "signalArgs": [message],
    }


async def send(request: dict) -> None:
    from temporalio.client import Client  # imported here so --dry-run needs no package

    client = await Client.connect(
        os.environ.get("TEMPORAL_ADDRESS", "localhost:7233"),
        namespace=os.environ.get("TEMPORAL_NAMESPACE", "default"),
    )
    handle = await client.start_workflow(
        request["workflowType"],
        args=request["args"],
        id=request["workflowId"],
        task_queue=request["taskQueue"],
        start_signal=request["signal"],
        start_signal_args=request["signalArgs"],
    )
    print(f"signalled {handle.id} (run {handle.result_run_id})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("message", nargs="?", default="../predictions-complete.json", help="the Phase 5 message (JSON file)")
    parser.add_argument("--dry-run", action="store_true", help="print the request and send nothing")
    options = parser.parse_args()
    try:
        with open(options.message, encoding="utf-8") as f:
            message = json.load(f)
        request = build_request(message, os.environ.get("EXPORTFLOWS_TASK_QUEUE", "exportflows"))
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if options.dry_run:
        print(json.dumps(request, indent=2))
        return 0
    asyncio.run(send(request))
    return 0


if __name__ == "__main__":
    sys.exit(main())
