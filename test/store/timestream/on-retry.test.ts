import { InternalServerException, ThrottlingException, ValidationException, WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../../../lambdas/store/errors.ts';
import { START, harness, timestream } from './harness.ts';
import type { Harness } from './harness.ts';
import { usage } from '../../support/records.ts';

afterEach(() => {
  timestream.reset();
});

const response = (message: string, httpStatusCode: number) => ({ message, Message: message, $metadata: { httpStatusCode } });
const throttled = () => new ThrottlingException(response('Rate exceeded', 400));

/** The store with `onRetry` recording, next to each call, how many waits had been asked for by then. */
function counted(options: Parameters<typeof harness>[0] = {}) {
  const retries: number[] = [];
  const h: Harness = harness({ ...options, onRetry: () => retries.push(h.sleeps.length) });
  return { ...h, retries };
}

describe('TimestreamRecordStore onRetry', () => {
  it('is called once before each wait, and not for the attempt that succeeds', async () => {
    timestream
      .on(WriteRecordsCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(new InternalServerException(response('internal', 500)))
      .resolves({});
    const { store, retries } = counted();

    expect((await store.write([usage()])).written).toBe(1);
    expect(retries).toEqual([0, 1]);
  });

  it('is not called for the failure it gives up on at the deadline', async () => {
    timestream.on(WriteRecordsCommand).rejects(throttled());
    const { store, retries, sleeps } = counted({ deadline: () => START + 1_000 });

    await expect(store.write([usage()])).rejects.toBeInstanceOf(StorageUnavailableError);
    expect([retries.length, sleeps.length, timestream.commandCalls(WriteRecordsCommand).length]).toEqual([3, 3, 4]);
  });

  it('is not called for a failure that is never retried', async () => {
    timestream.on(WriteRecordsCommand).rejects(new ValidationException(response('Dimensions may not overlap', 400)));
    const { store, retries } = counted();

    await expect(store.write([usage()])).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(retries).toEqual([]);
  });
});
