import {
  AccessDeniedException,
  InternalServerException,
  ResourceNotFoundException,
  ThrottlingException,
  ValidationException,
  WriteRecordsCommand,
} from '@aws-sdk/client-timestream-write';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../../../lambdas/store/errors.ts';
import { START, harness, timestream } from './harness.ts';
import { usage, usageSeries } from '../../support/records.ts';

afterEach(() => {
  timestream.reset();
});

/** The options an SDK error is built from, as the deserializer fills them. */
const response = (message: string, httpStatusCode: number) => ({ message, Message: message, $metadata: { httpStatusCode } });
const throttled = () => new ThrottlingException(response('Rate exceeded', 400));
const attempts = () => timestream.commandCalls(WriteRecordsCommand).length;

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('the write resolved'),
    (error: unknown) => error,
  );
}

describe('TimestreamRecordStore retries', () => {
  it('retries throttling and server errors with growing, jittered waits until the write goes through', async () => {
    timestream
      .on(WriteRecordsCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(new InternalServerException(response('internal', 500)))
      .rejectsOnce(throttled())
      .resolves({});
    const { store, sleeps } = harness({ random: () => 0.5 });

    expect(await store.write([usage()])).toEqual({ written: 1, duplicates: 0, rejected: new Map(), rejectedIds: new Set() });
    expect(attempts()).toBe(4);
    // 100, 200, 400 ms ceilings, each kept at 75% by the jitter.
    expect(sleeps).toEqual([75, 150, 300]);
  });

  it.each([
    ['a 5xx without a modelled error', Object.assign(new Error('Service Unavailable'), { name: 'Unknown', $metadata: { httpStatusCode: 503 } })],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a socket timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
  ])('retries %s', async (_, error) => {
    timestream.on(WriteRecordsCommand).rejectsOnce(error).resolves({});
    const { store } = harness();

    expect((await store.write([usage()])).written).toBe(1);
    expect(attempts()).toBe(2);
  });

  it('gives up with StorageUnavailableError when the next wait would pass the deadline', async () => {
    timestream.on(WriteRecordsCommand).rejects(throttled());
    const { store, sleeps, now } = harness({ deadline: () => START + 1_000, random: () => 0.5 });

    const error = await failure(store.write([usage()]));

    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as StorageUnavailableError).cause).toBeInstanceOf(ThrottlingException);
    // 75 + 150 + 300 = 525 ms waited; the next 600 ms would end past the deadline.
    expect(sleeps).toEqual([75, 150, 300]);
    expect(attempts()).toBe(4);
    expect(now()).toBeLessThan(START + 1_000);
  });

  it('keeps the batches written before the failure written and still throws', async () => {
    timestream.on(WriteRecordsCommand).resolvesOnce({}).rejects(throttled());
    const { store } = harness({ deadline: () => START + 1_000 });

    await expect(store.write(usageSeries(150))).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(timestream.commandCalls(WriteRecordsCommand).map((call) => call.args[0].input.Records?.length)).toEqual([100, 50, 50, 50, 50]);
  });

  it.each([
    ['ValidationException', new ValidationException(response('Dimensions may not overlap', 400))],
    ['ResourceNotFoundException', new ResourceNotFoundException(response('The table usage does not exist.', 404))],
    ['AccessDeniedException', new AccessDeniedException(response('not authorized', 403))],
  ])('throws StorageUnavailableError on %s at once, without retrying', async (_, cause) => {
    timestream.on(WriteRecordsCommand).rejects(cause);
    const { store, sleeps } = harness();

    const error = await failure(store.write([usage()]));

    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as StorageUnavailableError).cause).toBe(cause);
    expect(attempts()).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('aborts an attempt still running at the deadline and gives up', async () => {
    // Like the SDK's HTTP handler: the request hangs until its abort signal fires.
    timestream.send.callsFake(
      (_command: unknown, options?: { readonly abortSignal?: AbortSignal }) =>
        new Promise((_resolve, reject) => {
          options?.abortSignal?.addEventListener('abort', () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })));
        }),
    );
    const { store } = harness({ deadline: () => START + 1 });

    await expect(store.write([usage()])).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(attempts()).toBe(1);
  });
});
