import { requiredEnv } from '../config/env.ts';
import { recordStoreSettingsFrom } from '../ingest-ports/store-settings.ts';
import type { RecordStoreSettings } from '../ingest-ports/store-settings.ts';
import { RollupInputError } from '../rollup/errors.ts';

/** Where the rollup reads the usage it rolls up, in the AWS deployment. */
export interface RollupSourceConfig {
  readonly store: RecordStoreSettings;
}

/** Where the rollup writes its tables. */
export interface RollupOutputConfig {
  readonly teamBucket: string;
  /** Empty, or ends with `/`: where the tables start in the bucket. */
  readonly teamPrefix: string;
}

/** The rollup Lambda's settings, from the environment the CDK stack sets. */
export type RollupConfig = RollupSourceConfig & RollupOutputConfig;

function required(env: NodeJS.ProcessEnv, name: string, hint: string): string {
  return requiredEnv(env, name, (message) => new RollupInputError(`${message}${hint}`));
}

export function rollupSourceConfigFrom(env: NodeJS.ProcessEnv, hint = ''): RollupSourceConfig {
  return { store: recordStoreSettingsFrom(env, (message) => new RollupInputError(`${message}${hint}`), false) };
}

/** `bucket`, when given (the CLI's `--bucket`), names the bucket instead of SEATMETER_TEAM_BUCKET. */
export function rollupOutputConfigFrom(env: NodeJS.ProcessEnv, bucket?: string, hint = ''): RollupOutputConfig {
  return { teamBucket: bucket ?? required(env, 'SEATMETER_TEAM_BUCKET', hint), teamPrefix: env.SEATMETER_TEAM_PREFIX ?? '' };
}

/** Read once at cold start: a missing setting fails the init with its name, not every run with a vaguer error. */
export function rollupConfigFrom(env: NodeJS.ProcessEnv): RollupConfig {
  return { ...rollupSourceConfigFrom(env), ...rollupOutputConfigFrom(env) };
}
