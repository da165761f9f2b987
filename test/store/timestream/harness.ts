/** A TimestreamRecordStore on a mocked client, with a fake clock whose sleeps advance it without waiting. */
import { TimestreamWriteClient, WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import type { WriteRecordsRequest } from '@aws-sdk/client-timestream-write';
import { mockClient } from 'aws-sdk-client-mock';
import { TimestreamRecordStore } from '../../../lambdas/store/timestream/record-store.ts';
import type { TimestreamRecordStoreOptions } from '../../../lambdas/store/timestream/record-store.ts';
import { RECORD_TIME } from '../../support/records.ts';

export const timestream = mockClient(TimestreamWriteClient);

/** Five minutes after the test records were taken. */
export const START = RECORD_TIME + 5 * 60_000;

export interface Harness {
  readonly store: TimestreamRecordStore;
  /** Every wait the store asked for, in order. */
  readonly sleeps: number[];
  now(): number;
}

export function harness(options: Partial<Omit<TimestreamRecordStoreOptions, 'client' | 'now' | 'sleep'>> = {}): Harness {
  let clock = START;
  const sleeps: number[] = [];
  const store = new TimestreamRecordStore({
    client: new TimestreamWriteClient({ region: 'eu-west-1' }),
    databaseName: 'seatmeter',
    deadline: () => START + 10_000,
    random: () => 0.5,
    ...options,
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
  });
  return { store, sleeps, now: () => clock };
}

export function sentRequests(): WriteRecordsRequest[] {
  return timestream.commandCalls(WriteRecordsCommand).map((call) => call.args[0].input);
}
