import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { requiredEnv } from '../config/env.ts';
import type { IngestPorts } from '../ingest/ingest.ts';
import { defaultPriceBook } from '../pricing/default-price-book.ts';
import { DynamoDbSeriesLock } from '../store/dynamodb/series-lock.ts';
import { DynamoDbSeriesStateStore } from '../store/dynamodb/series-state-store.ts';
import { TimestreamRecordStore } from '../store/timestream/record-store.ts';
import { timestreamTableNamesFrom } from '../store/timestream/table-names.ts';
import type { TimestreamTableNames } from '../store/timestream/table-names.ts';

/** Where the AWS deployment keeps records and cumulative state: the stack outputs name them. */
export interface AwsIngestSettings {
  readonly timestreamDatabase: string;
  readonly tableNames: TimestreamTableNames;
  readonly stateTable: string;
}

export class IngestSettingsError extends Error {
  override readonly name = 'IngestSettingsError';
}

export function awsIngestSettingsFrom(env: NodeJS.ProcessEnv): AwsIngestSettings {
  const fail = (message: string) => new IngestSettingsError(message);
  return {
    timestreamDatabase: requiredEnv(env, 'SEATMETER_TIMESTREAM_DATABASE', fail),
    tableNames: timestreamTableNamesFrom(env),
    stateTable: requiredEnv(env, 'SEATMETER_STATE_TABLE', fail),
  };
}

/** What the caller observes of the ports, and the time it has for each request. */
export interface AwsIngestHooks {
  /** Epoch milliseconds by which a write must be done; without one the store's own budget applies. */
  readonly deadline?: () => number;
  /** Until when a cumulative lease taken now is held: past the caller's own end, so a crash frees it. */
  readonly leaseUntil: () => number;
  readonly onStorageRetry?: () => void;
  readonly onStateConflicts?: (keys: readonly string[]) => void;
  readonly onLeaseReleaseFailure?: (error: unknown) => void;
}

/**
 * The Timestream store, the DynamoDB series state and the lease that serialises cumulative scopes across
 * every writer (receiver invocations and replays alike). The state and its lease are built on first use:
 * only exports carrying cumulative points need them, and Claude Code sends deltas by default.
 */
export function awsIngestPorts(settings: AwsIngestSettings, hooks: AwsIngestHooks): IngestPorts {
  let cumulative: { readonly state: DynamoDbSeriesStateStore; readonly lock: DynamoDbSeriesLock } | undefined;
  const cumulativeState = () => {
    if (cumulative === undefined) {
      const client = new DynamoDBClient({});
      cumulative = {
        state: new DynamoDbSeriesStateStore({ client, tableName: settings.stateTable, onConflicts: hooks.onStateConflicts }),
        lock: new DynamoDbSeriesLock({
          client,
          tableName: settings.stateTable,
          leaseUntil: hooks.leaseUntil,
          onReleaseFailure: hooks.onLeaseReleaseFailure,
        }),
      };
    }
    return cumulative;
  };
  return {
    store: new TimestreamRecordStore({
      client: new TimestreamWriteClient({}),
      databaseName: settings.timestreamDatabase,
      tableNames: settings.tableNames,
      deadline: hooks.deadline,
      onRetry: hooks.onStorageRetry,
    }),
    state: {
      load: (keys) => cumulativeState().state.load(keys),
      save: (updates) => cumulativeState().state.save(updates),
    },
    pricer: defaultPriceBook(),
    cumulativeLock: (scopes, work) => cumulativeState().lock.run(scopes, work),
  };
}
