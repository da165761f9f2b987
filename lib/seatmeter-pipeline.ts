import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { AccessLogsBucket } from './access-logs-bucket.ts';
import { ArchiveBucket } from './archive-bucket.ts';
import { IngestApi } from './ingest-api.ts';
import { PipelineAlarms } from './pipeline-alarms.ts';
import { resolvePipelineSettings } from './pipeline-config.ts';
import type { PipelineSettings, SeatmeterPipelineProps } from './pipeline-config.ts';
import { PipelineSecrets } from './pipeline-secrets.ts';
import { ReceiverFunction } from './receiver-function.ts';
import { SeriesStateTable } from './series-state-table.ts';
import { TelemetryStore } from './telemetry-store.ts';

/** The CloudWatch namespace the receiver's EMF metrics are published under. */
const METRICS_NAMESPACE = 'Seatmeter';

/**
 * The whole seatmeter pipeline as one construct, for a team to place in its own CDK app: the ingest API and
 * receiver, the Timestream store, the series state, the raw archive, the secrets and the alarms. Settings are
 * checked when the construct is created; a bad one throws a `PipelineConfigError` naming it.
 */
export class SeatmeterPipeline extends Construct {
  readonly settings: PipelineSettings;
  readonly secrets: PipelineSecrets;
  readonly store: TelemetryStore;
  readonly state: SeriesStateTable;
  readonly archive: ArchiveBucket;
  readonly receiver: ReceiverFunction;
  readonly ingest: IngestApi;
  readonly alarms: PipelineAlarms;

  constructor(scope: Construct, id: string, props: SeatmeterPipelineProps = {}) {
    super(scope, id);
    // The buckets take no ACLs, so S3 may deliver access logs only under a bucket policy, whatever the host app's flags.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const settings = resolvePipelineSettings(props);
    this.settings = settings;
    const accessLogs = new AccessLogsBucket(this, 'AccessLogs', { retention: settings.logRetention });
    this.secrets = new PipelineSecrets(this, 'Secrets');
    this.store = new TelemetryStore(this, 'TelemetryStore', {
      memoryStoreRetentionHours: settings.memoryStoreRetentionHours,
      magneticStoreRetentionDays: settings.magneticStoreRetentionDays,
      accessLogs: accessLogs.bucket,
    });
    this.state = new SeriesStateTable(this, 'SeriesState');
    this.archive = new ArchiveBucket(this, 'Archive', { accessLogs: accessLogs.bucket, coldAfterDays: settings.archiveColdAfterDays });
    this.receiver = new ReceiverFunction(this, 'Receiver', {
      store: this.store,
      state: this.state,
      archive: this.archive,
      ingestSecret: this.secrets.ingestCredentials,
      logRetention: settings.logRetention,
      metricsNamespace: METRICS_NAMESPACE,
    });
    this.ingest = new IngestApi(this, 'Ingest', {
      receiver: this.receiver.function,
      throttle: settings.throttle,
      logRetention: settings.logRetention,
      ...(settings.customDomain === undefined ? {} : { customDomain: settings.customDomain }),
    });
    this.alarms = new PipelineAlarms(this, 'Alarms', settings.alarmEmail === undefined ? {} : { email: settings.alarmEmail });
    this.alarms.watchFunction('Receiver', this.receiver.function);
    this.alarms.watchReceiver(METRICS_NAMESPACE);
  }
}
