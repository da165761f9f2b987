/**
 * The fake home of test/fixtures/import-home (its README cites each format): Claude Code, Codex and Gemini
 * CLI session files, including one session of each that the captured telemetry also delivered.
 */
export const IMPORT_HOME = new URL('../fixtures/import-home/', import.meta.url).pathname;

/** The sessions of the fake home that the captures' telemetry delivered, as `tool/session id`. */
export const TELEMETRY_SESSIONS = [
  'claude_code/9f5b2137-8c83-4756-8db9-136e5d39e200',
  'codex/01a202c6-c23e-72c2-b10f-c57b88fdd44e',
  'gemini_cli/4647fed4-0525-43d5-99f0-94c510458481',
];

/**
 * What the files hold outside those sessions, per tool, in canonical tokens (input without cache, cache
 * read, cache write, output with reasoning, reasoning), worked out by hand from the files.
 */
export const IMPORTED_ONLY = {
  // msg 1 (two lines, one call) 1000/5000/200/80, msg 2 50/6200/0/300, the subagent's 321/4000/100/12.
  claude_code: [1_000 + 50 + 321, 5_000 + 6_200 + 4_000, 200 + 0 + 100, 80 + 300 + 12, 0],
  // The last cumulative total 5000 in (4096 cached), 154 out (66 reasoning): 904 + 4096 + 154.
  codex: [5_000 - 4_096, 4_096, 0, 154, 66],
  // 4321−4000 / 4000 / 65+21 (21); 111 / 0 / 9; the rewound call 200−100 / 100 / 10+5 (5).
  gemini_cli: [321 + 111 + 100, 4_000 + 0 + 100, 0, 86 + 9 + 15, 21 + 0 + 5],
} as const;

/** The telemetry sessions' own calls in the files: what an import into a store without that telemetry adds. */
export const TELEMETRY_SESSION_CALLS = {
  claude_code: [1_234, 7_000, 300, 56, 0],
  codex: [2_500 - 2_048, 2_048, 0, 77, 33],
  gemini_cli: [321, 4_000, 0, 86, 21],
} as const;
