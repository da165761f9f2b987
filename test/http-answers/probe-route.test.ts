import { describe, expect, it } from 'vitest';
import { answerProbe, probeSessionInPath } from '../../lambdas/http-answers/probe-route.ts';

describe('probe route', () => {
  it.each([
    ['/seatmeter/probe/doctor-1', 'doctor-1'],
    ['/otlp/team/seatmeter/probe/doctor-1', 'doctor-1'],
    ['/seatmeter/probe/', ''],
    ['/seatmeter/probe/a/b', null],
    ['/v1/metrics', null],
    ['/seatmeter/probes/doctor-1', null],
  ])('reads the session id of %s as %j, checking nothing yet', (path, sessionId) => {
    expect(probeSessionInPath(path)).toBe(sessionId);
  });

  it('lets an error it cannot classify through: a bug is not a reason for the client to retry', async () => {
    const bug = new TypeError('cannot read properties of undefined');
    await expect(answerProbe('doctor-1', { probeRecords: () => Promise.reject(bug) })).rejects.toBe(bug);
  });
});
