/** The settings the receiver Lambda requires, as the stack would set them, for tests that load lambdas/receiver/lambda.ts. */
export const RECEIVER_ENV = {
  SEATMETER_TIMESTREAM_DATABASE: 'seatmeter',
  SEATMETER_STATE_TABLE: 'seatmeter-series-state',
  SEATMETER_BUDGETS_TABLE: 'seatmeter-budgets',
  SEATMETER_TEAM_MAP_BUCKET: 'seatmeter-rollup',
  SEATMETER_ARCHIVE_BUCKET: 'seatmeter-archive',
  SEATMETER_INGEST_SECRET_ID: 'seatmeter/ingest',
} as const;
