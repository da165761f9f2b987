import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { LedgerWriter } from '../budgets/ledger/ledger-writer.ts';
import type { TeamDirectoryMap } from '../budgets/team-map.ts';
import { requiredEnv } from '../config/env.ts';
import type { IngestPorts } from '../ingest/ingest.ts';
import { defaultPriceBook } from '../pricing/default-price-book.ts';
import { LATEST_TEAM_MAP_KEY } from '../rollup/output/layout.ts';
import { CachedBudgetBook } from '../budgets/cached-budget-book.ts';
import { LedgerSpendSource } from '../budgets/ledger/ledger-spend-source.ts';
import { PublishedSpendSource } from '../budgets/ledger/published-spend-source.ts';
import type { BudgetServices } from '../http-answers/budget-answers.ts';
import { DynamoDbAlertLedger } from '../store/dynamodb/alert-ledger.ts';
import { DynamoDbBudgetBook } from '../store/dynamodb/budget-book.ts';
import { DynamoDbLedgerTable } from '../store/dynamodb/ledger-table.ts';
import { DynamoDbSeriesLock } from '../store/dynamodb/series-lock.ts';
import { DynamoDbSeriesStateStore } from '../store/dynamodb/series-state-store.ts';
import { S3TeamMap } from './s3-team-map.ts';
import { recordStoreFor, recordStoreSettingsFrom } from './store-settings.ts';
import type { RecordStoreSettings } from './store-settings.ts';

/** Where the AWS deployment keeps records and cumulative state: the stack outputs name them. */
export interface AwsIngestSettings {
  readonly store: RecordStoreSettings;
  readonly stateTable: string;
  /** The budgets table: its spend ledger gets every stored usage record. */
  readonly budgetsTable: string;
  /** The rollup's bucket, whose team_map/latest.json stamps `team` on records. */
  readonly teamMapBucket: string;
}

export class IngestSettingsError extends Error {
  override readonly name = 'IngestSettingsError';
}

export function awsIngestSettingsFrom(env: NodeJS.ProcessEnv): AwsIngestSettings {
  const fail = (message: string) => new IngestSettingsError(message);
  return {
    store: recordStoreSettingsFrom(env, fail, true),
    stateTable: requiredEnv(env, 'SEATMETER_STATE_TABLE', fail),
    budgetsTable: requiredEnv(env, 'SEATMETER_BUDGETS_TABLE', fail),
    teamMapBucket: requiredEnv(env, 'SEATMETER_TEAM_MAP_BUCKET', fail),
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
  /** A refresh of the team map failed; the map read before stays in use. */
  readonly onStaleTeamMap?: (error: unknown) => void;
}

/**
 * The Timestream store, the DynamoDB series state and the lease that serialises cumulative scopes across
 * every writer (receiver invocations and replays alike), the team map, and the budgets' spend ledger. The
 * state and its lease are built on first use: only exports carrying cumulative points need them, and Claude
 * Code sends deltas by default.
 */
export function awsIngestPorts(settings: AwsIngestSettings, hooks: AwsIngestHooks): IngestPorts & { readonly teams: TeamDirectoryMap; readonly dynamodb: DynamoDBClient } {
  let dynamodb: DynamoDBClient | undefined;
  const dynamodbClient = () => (dynamodb ??= new DynamoDBClient({}));
  let cumulative: { readonly state: DynamoDbSeriesStateStore; readonly lock: DynamoDbSeriesLock } | undefined;
  const cumulativeState = () => {
    if (cumulative === undefined) {
      const client = dynamodbClient();
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
    store: recordStoreFor(settings.store, hooks),
    state: {
      load: (keys) => cumulativeState().state.load(keys),
      save: (updates) => cumulativeState().state.save(updates),
    },
    pricer: defaultPriceBook(),
    cumulativeLock: (scopes, work) => cumulativeState().lock.run(scopes, work),
    teams: new S3TeamMap({ client: new S3Client({}), bucket: settings.teamMapBucket, key: LATEST_TEAM_MAP_KEY, onStale: hooks.onStaleTeamMap }),
    ledger: new LedgerWriter(new DynamoDbLedgerTable({ client: dynamodbClient(), tableName: settings.budgetsTable })),
    dynamodb: dynamodbClient(),
  };
}

/**
 * What the receiver's budget routes read, per request: the budgets table (its book, read at most every 15 s
 * per container; its alert ledger; the standings the alerts run publishes, read once per request, the ledger
 * behind them) and the same team map the records are stamped from.
 */
export function awsBudgetServices(settings: AwsIngestSettings, teams: TeamDirectoryMap, client: DynamoDBClient, now: () => number = Date.now): () => BudgetServices {
  const table = new DynamoDbLedgerTable({ client, tableName: settings.budgetsTable, now });
  const book = new CachedBudgetBook(new DynamoDbBudgetBook({ client, tableName: settings.budgetsTable }), now);
  const alerts = new DynamoDbAlertLedger({ client, tableName: settings.budgetsTable });
  return () => ({ book, alerts, spends: new PublishedSpendSource(table, new LedgerSpendSource(table), now), teams, now });
}
