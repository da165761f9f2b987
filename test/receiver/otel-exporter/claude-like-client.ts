import { Metadata } from '@grpc/grpc-js';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { AggregationTemporality, PushMetricExporter } from '@opentelemetry/sdk-metrics';

/** What an exporter reports for one export: `code` 0 is SUCCESS, 1 is FAILED (`ExportResultCode`). */
export type ExportResult = Parameters<Parameters<PushMetricExporter['export']>[1]>[0];
type Compression = NonNullable<NonNullable<ConstructorParameters<typeof OTLPMetricExporter>[0]>['compression']>;

/** One model call as Claude Code 2.1.197 meters it (the fake Anthropic API's usage in /work/shared/fixtures). */
export const CALL = {
  model: 'claude-opus-4-8[1m]',
  input: 1234,
  output: 56,
  cacheRead: 7000,
  cacheCreation: 300,
  costUsd: 0.012945,
} as const;

export const RESOURCE = {
  'service.name': 'claude-code',
  'service.version': '2.1.197',
  'user.email': 'dev@example.com',
  'service.namespace': 'demo-repo',
} as const;

/** Keeps every export result while leaving the real exporter's behaviour, temporality included, untouched. */
class RecordingMetricExporter implements PushMetricExporter {
  constructor(
    private readonly inner: OTLPMetricExporter | GrpcMetricExporter,
    readonly results: ExportResult[],
  ) {}
  export(...[metrics, done]: Parameters<PushMetricExporter['export']>): void {
    this.inner.export(metrics, (result) => {
      this.results.push(result);
      done(result);
    });
  }
  selectAggregationTemporality(...args: Parameters<OTLPMetricExporter['selectAggregationTemporality']>): AggregationTemporality {
    return this.inner.selectAggregationTemporality(...args);
  }
  selectAggregation(...args: Parameters<OTLPMetricExporter['selectAggregation']>): ReturnType<OTLPMetricExporter['selectAggregation']> {
    return this.inner.selectAggregation(...args);
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

class RecordingLogExporter implements LogRecordExporter {
  constructor(
    private readonly inner: LogRecordExporter,
    readonly results: ExportResult[],
  ) {}
  export(...[logs, done]: Parameters<LogRecordExporter['export']>): void {
    this.inner.export(logs, (result) => {
      this.results.push(result);
      done(result);
    });
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

export interface ClaudeLikeClientOptions {
  /**
   * The OTLP base URL, e.g. `http://127.0.0.1:1234`; over HTTP the signal paths are added as Claude Code's SDK
   * does, over gRPC it names the server.
   */
  readonly endpoint: string;
  /** `OTEL_EXPORTER_OTLP_PROTOCOL`. @default 'http/protobuf' */
  readonly protocol?: 'http/protobuf' | 'grpc';
  readonly token: string;
  readonly temporality: AggregationTemporality;
  readonly compression?: 'none' | 'gzip';
}

export interface ClaudeLikeClient {
  /** Records one model call the way Claude Code does: four token points, one cost point, one `api_request` event. */
  recordApiCall(call: { readonly sessionId: string; readonly requestId: string }): void;
  /** Collects and exports now, metrics then logs, and waits for both exports to finish. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
  readonly metricResults: readonly ExportResult[];
  readonly logResults: readonly ExportResult[];
}

/** Never fires during a test: every export is a forced flush. */
const NEVER_MS = 3_600_000;

/**
 * The real OpenTelemetry JS SDK and OTLP exporters (HTTP protobuf or gRPC), set up like Claude Code's telemetry
 * (`OTEL_METRICS_EXPORTER=otlp OTEL_LOGS_EXPORTER=otlp OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf|grpc`).
 */
export function claudeLikeClient(options: ClaudeLikeClientOptions): ClaudeLikeClient {
  const headers = { Authorization: `Bearer ${options.token}` };
  const compression = (options.compression ?? 'none') as Compression;
  const resource = resourceFromAttributes(RESOURCE);
  const metricResults: ExportResult[] = [];
  const logResults: ExportResult[] = [];

  const grpc = options.protocol === 'grpc';
  const metadata = new Metadata();
  metadata.set('authorization', headers.Authorization);
  const metricExporter = grpc
    ? new GrpcMetricExporter({ url: options.endpoint, metadata, compression, temporalityPreference: options.temporality })
    : new OTLPMetricExporter({ url: `${options.endpoint}/v1/metrics`, headers, compression, temporalityPreference: options.temporality });
  const meterProvider = new MeterProvider({
    resource,
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new RecordingMetricExporter(metricExporter, metricResults),
        exportIntervalMillis: NEVER_MS,
        exportTimeoutMillis: 30_000,
      }),
    ],
  });
  const logExporter = grpc
    ? new GrpcLogExporter({ url: options.endpoint, metadata, compression })
    : new OTLPLogExporter({ url: `${options.endpoint}/v1/logs`, headers, compression });
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [
      new BatchLogRecordProcessor({ exporter: new RecordingLogExporter(logExporter, logResults), scheduledDelayMillis: NEVER_MS }),
    ],
  });

  const meter = meterProvider.getMeter('com.anthropic.claude_code', '2.1.197');
  const tokens = meter.createCounter('claude_code.token.usage', { description: 'Number of tokens used', unit: 'tokens' });
  const cost = meter.createCounter('claude_code.cost.usage', { description: 'Cost of the Claude Code session', unit: 'USD' });
  const events = loggerProvider.getLogger('com.anthropic.claude_code.events', '2.1.197');

  return {
    recordApiCall({ sessionId, requestId }) {
      const attributes = { model: CALL.model, 'session.id': sessionId };
      tokens.add(CALL.input, { ...attributes, type: 'input' });
      tokens.add(CALL.output, { ...attributes, type: 'output' });
      tokens.add(CALL.cacheRead, { ...attributes, type: 'cacheRead' });
      tokens.add(CALL.cacheCreation, { ...attributes, type: 'cacheCreation' });
      cost.add(CALL.costUsd, attributes);
      events.emit({
        body: 'claude_code.api_request',
        attributes: {
          'event.name': 'api_request',
          'session.id': sessionId,
          model: 'claude-opus-4-8',
          input_tokens: CALL.input,
          output_tokens: CALL.output,
          cache_read_tokens: CALL.cacheRead,
          cache_creation_tokens: CALL.cacheCreation,
          cost_usd: CALL.costUsd,
          duration_ms: 69,
          request_id: requestId,
        },
      });
    },
    async flush() {
      await meterProvider.forceFlush();
      await loggerProvider.forceFlush();
    },
    async shutdown() {
      await meterProvider.shutdown();
      await loggerProvider.shutdown();
    },
    metricResults,
    logResults,
  };
}
