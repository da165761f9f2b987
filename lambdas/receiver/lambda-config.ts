import { requiredEnv } from '../config/env.ts';
import { IngestSettingsError, awsIngestSettingsFrom } from '../ingest-ports/aws.ts';
import type { AwsIngestSettings } from '../ingest-ports/aws.ts';

/** The receiver Lambda's settings, from the environment the CDK stack sets. */
export interface ReceiverConfig extends AwsIngestSettings {
  readonly archiveBucket: string;
  readonly ingestSecretId: string;
  readonly maxBodyBytes: number;
}

export class ReceiverConfigError extends Error {
  override readonly name = 'ReceiverConfigError';
}

/**
 * Reads and checks the environment once, at cold start: a missing setting fails the init with its name,
 * instead of every request failing later with a less clear error.
 */
export function receiverConfigFrom(env: NodeJS.ProcessEnv): ReceiverConfig {
  const fail = (message: string) => new ReceiverConfigError(message);
  const maxBody = env.SEATMETER_MAX_BODY_BYTES ?? String(4 * 1024 * 1024);
  const maxBodyBytes = Number(maxBody);
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new ReceiverConfigError(`SEATMETER_MAX_BODY_BYTES must be a positive integer, got "${maxBody}"`);
  }
  let ingest: AwsIngestSettings;
  try {
    ingest = awsIngestSettingsFrom(env);
  } catch (error) {
    if (error instanceof IngestSettingsError) throw new ReceiverConfigError(error.message);
    throw error;
  }
  return {
    ...ingest,
    archiveBucket: requiredEnv(env, 'SEATMETER_ARCHIVE_BUCKET', fail),
    ingestSecretId: requiredEnv(env, 'SEATMETER_INGEST_SECRET_ID', fail),
    maxBodyBytes,
  };
}
