// Tells ExportFlows that Phase 5 predictions for a game date are complete: a signal-with-start of the date's
// tonight workflow, carrying the Phase 5 message exactly as it is published (snake_case JSON, unchanged).
//
//   npm install && npx tsx predictions-complete.ts ../predictions-complete.json
//   npx tsx predictions-complete.ts --dry-run ../predictions-complete.json   # print the request, send nothing
//
// Environment: TEMPORAL_ADDRESS (localhost:7233), TEMPORAL_NAMESPACE (default), EXPORTFLOWS_TASK_QUEUE (exportflows).
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';

export const WORKFLOW_TYPE = 'Phase6TonightWorkflow';
export const SIGNAL_NAME = 'PredictionsComplete';
export const WORKFLOW_ID_PREFIX = 'phase6-tonight-';

export interface SignalWithStartRequest {
  workflowType: string;
  workflowId: string;
  taskQueue: string;
  args: unknown[];
  signal: string;
  signalArgs: unknown[];
}

/** The whole request: no start arguments (the id names the date), one signal argument (the message as published). */
export function buildRequest(message: Record<string, unknown>, taskQueue: string): SignalWithStartRequest {
  const gameDate = message['game_date'];
  if (typeof gameDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(gameDate)) {
    throw new Error(`the message has no game_date YYYY-MM-DD (got ${JSON.stringify(gameDate)})`);
  }
  return {
    workflowType: WORKFLOW_TYPE,
    workflowId: WORKFLOW_ID_PREFIX + gameDate,
    taskQueue,
    args: [],
    signal: SIGNAL_NAME,
    signalArgs: [message],
  };
}

async function main(argv: string[]): Promise<void> {
  const dryRun = argv.includes('--dry-run');
  const file = argv.filter((a) => a !== '--dry-run')[0] ?? '../predictions-complete.json';
  const message = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const request = buildRequest(message, process.env.EXPORTFLOWS_TASK_QUEUE ?? 'exportflows');
  if (dryRun) {
    console.log(JSON.stringify(request, null, 2));
    return;
  }
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233' });
  try {
    const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    const handle = await client.workflow.signalWithStart(request.workflowType, {
      workflowId: request.workflowId,
      taskQueue: request.taskQueue,
      args: request.args,
      signal: request.signal,
      signalArgs: request.signalArgs,
    });
    console.log(`signalled ${handle.workflowId} (run ${handle.signaledRunId})`);
  } finally {
    await connection.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
