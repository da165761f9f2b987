import type { Capture } from './captures.ts';

const SERIES_START_NANOS = '1795342800000000000';

export interface TokenPoint {
  readonly value: number;
  readonly timeUnixNano: string;
  readonly startTimeUnixNano?: string;
  readonly model?: string;
  readonly type?: string;
}

/** A Claude Code `claude_code.token.usage` export as OTLP JSON, for the cases no capture shows. */
export function claudeTokenExport(temporality: 'delta' | 'cumulative', points: readonly TokenPoint[]): object {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] },
        scopeMetrics: [
          {
            metrics: [
              {
                name: 'claude_code.token.usage',
                sum: {
                  aggregationTemporality: temporality === 'delta' ? 1 : 2,
                  isMonotonic: true,
                  dataPoints: points.map((point) => ({
                    asDouble: point.value,
                    ...(point.startTimeUnixNano === undefined ? {} : { startTimeUnixNano: point.startTimeUnixNano }),
                    timeUnixNano: point.timeUnixNano,
                    attributes: [
                      { key: 'model', value: { stringValue: point.model ?? 'claude-opus-4-8' } },
                      { key: 'type', value: { stringValue: point.type ?? 'input' } },
                    ],
                  })),
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

/**
 * One cumulative snapshot of one series (input tokens of one model since the series start), posted to
 * /v1/metrics: two stamped in the same millisecond, or two of one series racing, are what no capture shows.
 */
export function cumulativeSnapshot(inputTokens: number, timeUnixNano: string): Capture {
  const body = claudeTokenExport('cumulative', [{ value: inputTokens, timeUnixNano, startTimeUnixNano: SERIES_START_NANOS }]);
  return { path: '/v1/metrics', contentType: 'application/json', contentEncoding: undefined, body: new TextEncoder().encode(JSON.stringify(body)) };
}
