import { ROLLUP_METRICS, ROLLUP_SERVICE } from '../../lambdas/rollup-lambda/run-metrics.ts';
import { board } from './grafana-model.ts';
import type { Dashboard, DataSourceRef, PanelSpec, RowSpec, Target } from './grafana-model.ts';

/**
 * The pipeline-health board: what the receiver Lambda counted on every request (its EMF metrics, see
 * lambdas/receiver/request-metrics.ts) and what the rollup reports on every run (lambdas/rollup-lambda/run-metrics.ts),
 * read from CloudWatch — the far edge, independent of the store the usage board reads.
 */
export const CLOUDWATCH_PLUGIN = 'cloudwatch';
const CLOUDWATCH: DataSourceRef = { type: CLOUDWATCH_PLUGIN, uid: '${datasource}' };

/** The receiver's default namespace; a deployment that sets SEATMETER_METRICS_NAMESPACE types its own. */
export const DEFAULT_NAMESPACE = 'Seatmeter';
export const RECEIVER_SERVICE = 'receiver';

/** Lambda's default log group prefix, under which the receiver's log group (its EMF lines) is listed. */
const LAMBDA_LOG_GROUP_PREFIX = '/aws/lambda/';

type Unit = 'short' | 'ms' | 'percentunit';

interface Series {
  readonly metric: string;
  readonly statistic: string;
  readonly label: string;
}

function metricTarget(refId: string, service: string, series: Series): Target {
  return {
    refId,
    datasource: CLOUDWATCH,
    queryMode: 'Metrics',
    metricQueryType: 0,
    metricEditorMode: 0,
    region: 'default',
    namespace: '$namespace',
    metricName: series.metric,
    dimensions: { Service: service },
    matchExact: true,
    statistic: series.statistic,
    period: '',
    id: '',
    expression: '',
    label: series.label,
  };
}

const REF_IDS = 'ABCDEFGH';

function metrics(title: string, service: string, series: readonly Series[], unit: Unit, w: number, description: string): PanelSpec {
  return {
    type: 'timeseries',
    title,
    description,
    w,
    h: 8,
    datasource: CLOUDWATCH,
    targets: series.map((entry, index) => metricTarget(REF_IDS.charAt(index), service, entry)),
    fieldConfig: { defaults: { unit, custom: { drawStyle: 'line', fillOpacity: 10, lineWidth: 1, spanNulls: false } }, overrides: [] },
    options: { legend: { showLegend: true, displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi', sort: 'none' } },
  };
}

/** The lake's delivery stream, in Firehose's own namespace, chosen with `$lake_stream`. */
function deliveryPanel(title: string, series: readonly Series[], unit: Unit | 's', w: number, description: string): PanelSpec {
  const panel = metrics(title, '', series, unit as Unit, w, description);
  return {
    ...panel,
    targets: (panel.targets ?? []).map((target) => ({ ...target, namespace: 'AWS/Firehose', dimensions: { DeliveryStreamName: '$lake_stream' } })),
  };
}

const receiver = (title: string, series: readonly Series[], unit: Unit, w: number, description: string) => metrics(title, RECEIVER_SERVICE, series, unit, w, description);
const sum = (metric: string, label = metric): Series => ({ metric, statistic: 'Sum', label });

/**
 * Rejected points by reason. The reasons are not a metric dimension (client-chosen text would make a billed
 * metric of every distinct reason); they stay in the request's log line as `rejectedReasons`, a map from
 * reason to count, which Logs Insights groups by. A request rejecting for several reasons shows as one group.
 */
const REJECTIONS_QUERY = [
  'filter rejected > 0',
  '| parse @message /"rejectedReasons":(?<reasons>\\{[^}]*\\})/',
  '| stats sum(rejected) as points by reasons',
  '| sort points desc',
  '| limit 50',
].join('\n');

const rejectionsByReason: PanelSpec = {
  type: 'table',
  title: 'Rejected points by reason',
  description: 'From the receiver log group: each group of rejection reasons a request answered with, and its points.',
  w: 12,
  h: 8,
  datasource: CLOUDWATCH,
  targets: [
    {
      refId: 'A',
      datasource: CLOUDWATCH,
      queryMode: 'Logs',
      region: 'default',
      id: '',
      logGroups: [{ arn: '$receiver_log_group', name: '$receiver_log_group' }],
      expression: REJECTIONS_QUERY,
      statsGroups: ['reasons'],
    },
  ],
  fieldConfig: { defaults: { unit: 'short' }, overrides: [] },
  options: { showHeader: true },
};

const ROWS: readonly RowSpec[] = [
  {
    title: 'Receiver',
    panels: [
      receiver('Requests by status', [sum('Requests'), sum('Status2xx'), sum('Status4xx'), sum('Status5xx')], 'short', 12, 'Every OTLP export and probe the receiver answered.'),
      receiver(
        'Receiver latency',
        [
          { metric: 'Latency', statistic: 'p50', label: 'p50' },
          { metric: 'Latency', statistic: 'p99', label: 'p99' },
          { metric: 'Latency', statistic: 'Maximum', label: 'max' },
        ],
        'ms',
        12,
        'Request to answer, inside the Lambda: storage and archive included.',
      ),
      receiver('Auth failures', [sum('AuthFailures')], 'short', 8, 'Requests without a token or with one no credential matches.'),
      receiver('Server errors', [sum('Status5xx', '5xx answers'), sum('ArchiveFailures', 'archive failures')], 'short', 8, '503s ask the client to retry; nothing is lost while they succeed later.'),
      // Every request carries each 0/1 metric, so its Average is the share of requests.
      receiver('Error rate', [{ metric: 'Status5xx', statistic: 'Average', label: '5xx share' }], 'percentunit', 8, 'Share of requests answered 5xx.'),
    ],
  },
  {
    title: 'Data points',
    panels: [
      receiver(
        'Data points',
        [sum('DataPointsReceived', 'received'), sum('DataPointsAccepted', 'accepted'), sum('DataPointsRejected', 'rejected')],
        'short',
        12,
        'Metric points, log records and spans received; rejected ones are named in partial_success.',
      ),
      rejectionsByReason,
      receiver('Unpriced tokens', [sum('UnpricedTokens')], 'short', 8, 'Tokens of models without a price: counted, not in any cost.'),
      receiver('Unattributed records', [sum('RecordsWithoutIdentity', 'records without identity')], 'short', 8, 'Records naming no user even after the credential binding.'),
      receiver('Points not metered', [sum('UnknownMetricPoints', 'unknown metric points')], 'short', 8, 'Metrics and events no rule knows: counted and reported, never stored.'),
    ],
  },
  {
    title: 'Storage',
    panels: [
      receiver('Records stored', [sum('RecordsStored', 'stored'), sum('RecordsDuplicate', 'duplicate')], 'short', 12, 'Duplicates are repeats of stored records (retries, replays): never counted twice.'),
      receiver('Storage retries', [sum('StorageRetries')], 'short', 6, 'WriteRecords retried after throttling or a transient failure.'),
      receiver('Series-state conflicts', [sum('SeriesStateConflicts')], 'short', 6, 'Concurrent updates of one cumulative series, resolved by retrying.'),
    ],
  },
  {
    title: 'Lake delivery (seatmeter:store=lake)',
    panels: [
      deliveryPanel('Data freshness', [{ metric: 'DeliveryToS3.DataFreshness', statistic: 'Maximum', label: 'oldest record not yet in S3' }], 's', 8, 'Age of the oldest record Firehose holds; the LakeDataFreshness alarm fires past 15 minutes.'),
      deliveryPanel('Delivery errors', [sum('FailedConversion.Records', 'not converted to Parquet'), sum('DeliveryToS3.Records', 'delivered')], 'short', 8, 'Records that failed conversion wait under delivery-errors/ and are counted nowhere until replayed.'),
      deliveryPanel('Throttling', [sum('ThrottledRecords', 'throttled'), sum('IncomingRecords', 'incoming')], 'short', 8, 'Throttled records are resent by the receiver, then answered 503 past its deadline.'),
    ],
  },
  {
    title: 'Rollup',
    panels: [
      metrics(
        'Rollup runs',
        ROLLUP_SERVICE,
        [sum(ROLLUP_METRICS.succeeded, 'succeeded'), sum(ROLLUP_METRICS.failed, 'failed')],
        'short',
        12,
        'The daily team rollup: one run per day written.',
      ),
      metrics('Rollup duration', ROLLUP_SERVICE, [{ metric: ROLLUP_METRICS.durationMs, statistic: 'Maximum', label: 'duration' }], 'ms', 12, 'Wall-clock time of each run.'),
    ],
  },
];

export function pipelineBoard(): Dashboard {
  return board({
    uid: 'seatmeter-pipeline',
    title: 'seatmeter — pipeline health',
    description: 'The receiver and rollup as CloudWatch sees them. Generated by `npm run dashboards` from bin/dashboards/pipeline-board.ts.',
    refresh: '5m',
    from: 'now-24h',
    plugin: CLOUDWATCH_PLUGIN,
    pluginLabel: 'CloudWatch',
    variables: [
      {
        type: 'textbox',
        name: 'namespace',
        label: 'Metrics namespace',
        description: "The receiver's SEATMETER_METRICS_NAMESPACE.",
        query: DEFAULT_NAMESPACE,
        current: { text: DEFAULT_NAMESPACE, value: DEFAULT_NAMESPACE },
        hide: 0,
      },
      {
        type: 'textbox',
        name: 'lake_stream',
        label: 'Lake delivery stream',
        description: 'The LakeStream output of a lake deployment; its row stays empty on Timestream.',
        query: '',
        current: { text: '', value: '' },
        hide: 0,
      },
      {
        type: 'query',
        name: 'receiver_log_group',
        label: 'Receiver log group',
        description: "The receiver Lambda's log group, where its EMF lines (with the rejection reasons) are.",
        datasource: CLOUDWATCH,
        query: { refId: 'CloudWatchVariableQueryEditor-VariableQuery', queryType: 'logGroups', region: 'default', logGroupPrefix: LAMBDA_LOG_GROUP_PREFIX },
        refresh: 1,
        sort: 1,
        multi: false,
        includeAll: false,
        current: {},
        options: [],
        hide: 0,
      },
    ],
    rows: ROWS,
  });
}
