/** The tool name doctor's probe is stored under: reports can leave it out, and the read-back looks only at it. */
export const PROBE_TOOL = 'seatmeter-doctor';

/** The path a receiver serves the read-back on, after any prefix the endpoint has. */
export const PROBE_ROUTE = '/seatmeter/probe/';

/**
 * How far back a read-back looks. A probe is read back seconds after it was sent, so an hour is plenty, and
 * Timestream prunes by time: the query scans the last hour of the memory store, not the table.
 */
export const PROBE_LOOKBACK_MINUTES = 60;
export const PROBE_LOOKBACK_MS = PROBE_LOOKBACK_MINUTES * 60_000;

/** A session id is interpolated into Timestream SQL, so it is held to characters that cannot end a literal. */
export const PROBE_SESSION_ID = /^[A-Za-z0-9-]{1,64}$/;
