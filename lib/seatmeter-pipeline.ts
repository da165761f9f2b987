import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { DEFAULT_METRICS_NAMESPACE } from '../lambdas/metrics/namespace.ts';
import { AccessLogsBucket } from './access-logs-bucket.ts';
import { ArchiveBucket } from './archive-bucket.ts';
import { BudgetAlerts } from './budget-alerts.ts';
import { BudgetsTable } from './budgets-table.ts';
import { IngestApi } from './ingest-api.ts';
import { PipelineAlarms } from './pipeline-alarms.ts';
import { resolvePipelineSettings } from './pipeline-config.ts';
import type { PipelineSettings, SeatmeterPipelineProps } from './pipeline-config.ts';
import { PipelineSecrets } from './pipeline-secrets.ts';
import { ReceiverFunction } from './receiver-function.ts';
import { RollupFunction } from './rollup-function.ts';
import { RollupSchedule } from './rollup-schedule.ts';
import { SeriesStateTable } from './series-state-table.ts';
import { TeamQueries } from './team-queries.ts';
import { TeamTables } from './team-tables.ts';
import { LakeStore } from './lake-store.ts';
import type { RecordStoreResources } from './record-store-resources.ts';
import { TelemetryStore } from './telemetry-store.ts';

/** The CloudWatch namespace the receiver's and the rollup's EMF metrics are published under. */
const METRICS_NAMESPACE = DEFAULT_METRICS_NAMESPACE;

/**
 * The whole seatmeter pipeline as one construct, for a team to place in its own CDK app: the ingest API and
 * receiver, the Timestream store, the series state, the raw archive, the secrets, the team rollup with its
 * tables and Athena queries, and the alarms. Settings are checked when the construct is created; a bad one
 * throws a `PipelineConfigError` naming it.
 *
 * The rollup is always deployed and scheduled: without a team directory everyone is `unassigned` (the per-user
 * table is what finance needs first), and without an Anthropic admin key in its secret the coverage says
 * `not_configured`. Either partner is turned on later by filling its secret (the Okta one may carry the org
 * and team rule that `oktaOrgUrl` and `teamGroups` would give), with no redeploy.
 */
export class SeatmeterPipeline extends Construct {
  readonly settings: PipelineSettings;
  readonly secrets: PipelineSecrets;
  /** The record store `store` chose; exactly one of `timestream` and `lake` is deployed. */
  readonly store: RecordStoreResources;
  readonly timestream: TelemetryStore | undefined;
  readonly lake: LakeStore | undefined;
  readonly state: SeriesStateTable;
  readonly archive: ArchiveBucket;
  readonly budgets: BudgetsTable;
  readonly receiver: ReceiverFunction;
  readonly ingest: IngestApi;
  readonly teamTables: TeamTables;
  readonly teamQueries: TeamQueries;
  readonly rollup: RollupFunction;
  readonly rollupSchedule: RollupSchedule;
  readonly alarms: PipelineAlarms;
  readonly budgetAlerts: BudgetAlerts;

  constructor(scope: Construct, id: string, props: SeatmeterPipelineProps = {}) {
    super(scope, id);
    // The buckets take no ACLs, so S3 may deliver access logs only under a bucket policy, whatever the host app's flags.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const settings = resolvePipelineSettings(props);
    this.settings = settings;
    const accessLogs = new AccessLogsBucket(this, 'AccessLogs', { retention: settings.logRetention });
    this.secrets = new PipelineSecrets(this, 'Secrets');
    this.state = new SeriesStateTable(this, 'SeriesState');
    this.archive = new ArchiveBucket(this, 'Archive', { accessLogs: accessLogs.bucket, coldAfterDays: settings.archiveColdAfterDays });
    this.budgets = new BudgetsTable(this, 'Budgets');
    this.teamTables = new TeamTables(this, 'TeamTables', { accessLogs: accessLogs.bucket });
    this.teamQueries = new TeamQueries(this, 'TeamQueries', {
      database: this.teamTables.database,
      accessLogs: accessLogs.bucket,
      bytesScannedCutoffMb: settings.athenaBytesScannedCutoffMb,
      seatPriceUsd: settings.seatPriceUsd,
    });
    // Each store is its own construct, so the other's resources (and permissions) are not in the template at all.
    this.timestream =
      settings.store === 'timestream'
        ? new TelemetryStore(this, 'TelemetryStore', {
            memoryStoreRetentionHours: settings.memoryStoreRetentionHours,
            magneticStoreRetentionDays: settings.magneticStoreRetentionDays,
            accessLogs: accessLogs.bucket,
          })
        : undefined;
    this.lake = settings.store === 'lake' ? new LakeStore(this, 'Lake', { accessLogs: accessLogs.bucket, queries: this.teamQueries, logRetention: settings.logRetention }) : undefined;
    this.store = (this.timestream ?? this.lake) as RecordStoreResources;
    this.receiver = new ReceiverFunction(this, 'Receiver', {
      store: this.store,
      state: this.state,
      archive: this.archive,
      budgets: this.budgets,
      teamBucket: this.teamTables.bucket,
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
    const { oktaOrgUrl, teamGroups } = settings;
    const teams = oktaOrgUrl === undefined || teamGroups === undefined ? undefined : { oktaOrgUrl, teamGroups };
    this.rollup = new RollupFunction(this, 'Rollup', {
      store: this.store,
      tables: this.teamTables,
      oktaSecret: this.secrets.okta,
      anthropicSecret: this.secrets.anthropicAdminKey,
      gitHubSecret: this.secrets.gitHub,
      logRetention: settings.logRetention,
      metricsNamespace: METRICS_NAMESPACE,
      ...(teams === undefined ? {} : { teams }),
    });
    this.rollupSchedule = new RollupSchedule(this, 'RollupSchedule', {
      rollup: this.rollup.function,
      deadLetterQueue: this.rollup.deadLetterQueue,
      expression: settings.rollupSchedule,
    });
    this.alarms.watchFunction('Rollup', this.rollup.function);
    this.alarms.watchDeadLetterQueue(
      'Rollup',
      this.rollup.deadLetterQueue,
      'Rollup: a run failed after its retries, or the schedule could not start it. Each message names the days and the error; fix the cause, re-run the days, delete the message (README, Deploy).',
    );
    this.budgetAlerts = new BudgetAlerts(this, 'BudgetAlerts', {
      budgets: this.budgets,
      alarmTopic: this.alarms.topic,
      slackWebhook: this.secrets.slackWebhook,
      logRetention: settings.logRetention,
      ...(settings.alarmEmail === undefined ? {} : { email: settings.alarmEmail }),
    });
    this.alarms.watchFunction('BudgetAlerts', this.budgetAlerts.function);
    if (this.lake !== undefined) this.alarms.watchDeliveryStream(this.lake.stream.ref);
  }
}
