import type { Capture } from './captures.ts';

const SERIES_START_NANOS = '1795342800000000000';

/**
 * One Claude Code cumulative export of one series (input tokens of one model since the series start), as
 * OTLP JSON posted to /v1/metrics: for the cases no capture shows, such as two snapshots stamped in the same
 * millisecond or two snapshots of one series racing.
 */
export function cumulativeSnapshot(inputTokens: number, timeUnixNano: string): Capture {
  const body = {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] },
        scopeMetrics: [
          {
            metrics: [
              {
                name: 'claude_code.token.usage',
                sum: {
                  aggregationTemporality: 2,
                  isMonotonic: true,
                  dataPoints: [
                    {
                      asDouble: inputTokens,
                      startTimeUnixNano: SERIES_START_NANOS,
                      timeUnixNano,
                      attributes: [
                        { key: 'model', value: { stringValue: 'claude-opus-4-8' } },
                        { key: 'type', value: { stringValue: 'input' } },
                      ],
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  };
  return { path: '/v1/metrics', contentType: 'application/json', contentEncoding: undefined, body: new TextEncoder().encode(JSON.stringify(body)) };
}
