/**
 * The tool name `seatmeter doctor` stores its probe under: a real record that proves the pipeline end to
 * end, which every total (reports, the team rollup) must leave out.
 */
export const PROBE_TOOL = 'seatmeter-doctor';
