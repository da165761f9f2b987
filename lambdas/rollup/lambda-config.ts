import { timestreamTableNamesFrom } from '../store/timestream/table-names.ts';
import type { TimestreamTableNames } from '../store/timestream/table-names.ts';
import { RollupInputError } from './errors.ts';

/** The rollup Lambda's settings, from the environment the CDK stack sets. */
export interface RollupConfig {
  readonly timestreamDatabase: string;
  readonly tableNames: TimestreamTableNames;
  readonly teamBucket: string;
  /** Empty, or ends with `/`: where the tables start in the bucket. */
  readonly teamPrefix: string;
}

/** Read once at cold start: a missing setting fails the init with its name, not every run with a vaguer error. */
export function rollupConfigFrom(env: NodeJS.ProcessEnv): RollupConfig {
  const required = (name: string): string => {
    const value = env[name]?.trim() ?? '';
    if (value === '') throw new RollupInputError(`environment variable ${name} is required`);
    return value;
  };
  return {
    timestreamDatabase: required('SEATMETER_TIMESTREAM_DATABASE'),
    tableNames: timestreamTableNamesFrom(env),
    teamBucket: required('SEATMETER_TEAM_BUCKET'),
    teamPrefix: env.SEATMETER_TEAM_PREFIX ?? '',
  };
}
