/** Timestream for LiveAnalytics service limits (developer guide, "Quotas"). */
export const MAX_RECORDS_PER_WRITE = 100;
export const MAX_RECORD_BYTES = 2048;
export const MAX_DIMENSIONS_PER_TABLE = 128;
export const MAX_DIMENSION_NAME_BYTES = 60;
export const MAX_MEASURE_NAME_BYTES = 256;
export const MAX_MEASURES_PER_RECORD = 256;
/** Timestream rejects a record time further ahead of its own clock than this. */
export const FUTURE_WINDOW_MS = 15 * 60_000;
/**
 * Our side of the window ends this much earlier: should the Lambda's clock run a little ahead of the
 * service's, a record at the edge is refused here, predictably, rather than sent and refused there.
 */
export const FUTURE_SAFETY_MARGIN_MS = 30_000;
