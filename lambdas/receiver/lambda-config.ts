/** The receiver Lambda's settings, from the environment the CDK stack sets. */
export interface ReceiverConfig {
  readonly timestreamDatabase: string;
  readonly tableNames: TimestreamTableNames;
  readonly stateTable: string;
  readonly archiveBucket: string;
  readonly ingestSecretId: string;
  readonly maxBodyBytes: number;
}

export interface TimestreamTableNames {
  readonly usage: string;
  readonly activity: string;
  readonly request: string;
}

/**
 * The table each record kind goes to. By default all three share one table, `events`, telling kinds apart by
 * measure name: an export then makes one WriteRecords request instead of one per kind, and Timestream meters
 * writes per request in whole KiB, so a typical export costs one write unit instead of two or three.
 */
export const DEFAULT_TABLE = 'events';

export class ReceiverConfigError extends Error {
  override readonly name = 'ReceiverConfigError';
}

/** SEATMETER_TABLE_USAGE / _ACTIVITY / _REQUEST, each `events` when unset. */
export function timestreamTablesFrom(env: NodeJS.ProcessEnv): TimestreamTableNames {
  const table = (name: string): string => {
    const value = env[name];
    if (value === undefined) return DEFAULT_TABLE;
    // An empty name would fail every write later, with Timestream's less clear error.
    if (value.trim() === '') throw new ReceiverConfigError(`${name} is empty: unset it for the default table "${DEFAULT_TABLE}", or name a table`);
    return value.trim();
  };
  return { usage: table('SEATMETER_TABLE_USAGE'), activity: table('SEATMETER_TABLE_ACTIVITY'), request: table('SEATMETER_TABLE_REQUEST') };
}

/**
 * Reads and checks the environment once, at cold start: a missing setting fails the init with its name,
 * instead of every request failing later with a less clear error.
 */
export function receiverConfigFrom(env: NodeJS.ProcessEnv): ReceiverConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value.trim() === '') throw new ReceiverConfigError(`environment variable ${name} is required`);
    return value.trim();
  };
  const maxBody = env.SEATMETER_MAX_BODY_BYTES ?? String(4 * 1024 * 1024);
  const maxBodyBytes = Number(maxBody);
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new ReceiverConfigError(`SEATMETER_MAX_BODY_BYTES must be a positive integer, got "${maxBody}"`);
  }
  return {
    timestreamDatabase: required('SEATMETER_TIMESTREAM_DATABASE'),
    tableNames: timestreamTablesFrom(env),
    stateTable: required('SEATMETER_STATE_TABLE'),
    archiveBucket: required('SEATMETER_ARCHIVE_BUCKET'),
    ingestSecretId: required('SEATMETER_INGEST_SECRET_ID'),
    maxBodyBytes,
  };
}
