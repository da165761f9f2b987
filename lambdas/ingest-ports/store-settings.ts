import { AthenaClient } from '@aws-sdk/client-athena';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { requiredEnv } from '../config/env.ts';
import type { TelemetryCoverage } from '../import/coverage.ts';
import type { ProbeReader } from '../probe/types.ts';
import type { DayUsageSource } from '../rollup/types.ts';
import { AthenaDayUsageSource } from '../store/lake/day-usage-reader.ts';
import { FirehoseRecordStore } from '../store/lake/firehose-record-store.ts';
import { lakeCoverage } from '../store/lake/coverage-reader.ts';
import { AthenaProbeReader } from '../store/lake/probe-reader.ts';
import { timestreamCoverage } from '../store/timestream/coverage-reader.ts';
import { TimestreamDayUsageSource } from '../store/timestream/day-usage-reader.ts';
import { TimestreamProbeReader } from '../store/timestream/probe-reader.ts';
import { TimestreamRecordStore } from '../store/timestream/record-store.ts';
import { timestreamTableNamesFrom } from '../store/timestream/table-names.ts';
import type { TimestreamTableNames } from '../store/timestream/table-names.ts';
import type { RecordStore } from '../store/types.ts';

/** Where the records are kept in the AWS deployment: its `seatmeter:store` choice, as the stack sets it. */
export type RecordStoreSettings =
  | { readonly kind: 'timestream'; readonly database: string; readonly tableNames: TimestreamTableNames }
  | { readonly kind: 'lake'; readonly streamName: string | null; readonly workGroup: string; readonly database: string };

export const STORE_KINDS = ['timestream', 'lake'] as const;

/**
 * SEATMETER_STORE (timestream, the default, or lake) and that store's settings. `writer` asks for what writing
 * needs (the lake's delivery stream); readers (the rollup) need only the query side.
 */
export function recordStoreSettingsFrom(env: NodeJS.ProcessEnv, fail: (message: string) => Error, writer: boolean): RecordStoreSettings {
  const kind = (env.SEATMETER_STORE ?? 'timestream').trim();
  if (kind === 'timestream') return { kind, database: requiredEnv(env, 'SEATMETER_TIMESTREAM_DATABASE', fail), tableNames: timestreamTableNamesFrom(env) };
  if (kind === 'lake') {
    return {
      kind,
      streamName: writer ? requiredEnv(env, 'SEATMETER_LAKE_STREAM', fail) : null,
      workGroup: requiredEnv(env, 'SEATMETER_LAKE_WORKGROUP', fail),
      database: requiredEnv(env, 'SEATMETER_LAKE_DATABASE', fail),
    };
  }
  throw fail(`SEATMETER_STORE must be ${STORE_KINDS.join(' or ')}, got "${kind}"`);
}

export interface StoreHooks {
  readonly deadline?: () => number;
  readonly onStorageRetry?: () => void;
}

/** The record store the settings name: the only place that knows both adapters. */
export function recordStoreFor(settings: RecordStoreSettings, hooks: StoreHooks): RecordStore {
  if (settings.kind === 'timestream') {
    return new TimestreamRecordStore({ client: new TimestreamWriteClient({}), databaseName: settings.database, tableNames: settings.tableNames, deadline: hooks.deadline, onRetry: hooks.onStorageRetry });
  }
  if (settings.streamName === null) throw new Error('the lake store was read without its delivery stream (SEATMETER_LAKE_STREAM)');
  return new FirehoseRecordStore({ client: new FirehoseClient({}), streamName: settings.streamName, deadline: hooks.deadline, onRetry: hooks.onStorageRetry });
}

export function probeReaderFor(settings: RecordStoreSettings, deadline: () => number): ProbeReader {
  if (settings.kind === 'timestream') return new TimestreamProbeReader({ client: new TimestreamQueryClient({}), databaseName: settings.database, tableNames: settings.tableNames, deadline });
  return new AthenaProbeReader({ client: new AthenaClient({}), workGroup: settings.workGroup, database: settings.database }, deadline);
}

/** What `seatmeter import` asks before storing: which sessions telemetry already delivered to this store. */
export function telemetryCoverageFor(settings: RecordStoreSettings, deadline: () => number): TelemetryCoverage {
  if (settings.kind === 'timestream') return timestreamCoverage(new TimestreamQueryClient({}), settings.database, settings.tableNames);
  return lakeCoverage({ client: new AthenaClient({}), workGroup: settings.workGroup, database: settings.database }, deadline);
}

export function dayUsageSourceFor(settings: RecordStoreSettings): DayUsageSource {
  if (settings.kind === 'timestream') return new TimestreamDayUsageSource({ client: new TimestreamQueryClient({}), databaseName: settings.database, tableNames: settings.tableNames });
  return new AthenaDayUsageSource({ client: new AthenaClient({}), workGroup: settings.workGroup, database: settings.database });
}
