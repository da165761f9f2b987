/**
 * What each client sends a command hook and reads back. Every client passes the hook input as JSON on stdin
 * with `hook_event_name` and `cwd`, reads one JSON object from stdout on exit 0, and treats exit 2 with a
 * reason on stderr as a block.
 *
 * - Claude Code (code.claude.com/docs/en/hooks): PreToolUse denies with `hookSpecificOutput.permissionDecision:
 *   "deny"` + `permissionDecisionReason` (shown to the model); UserPromptSubmit blocks with top-level
 *   `decision: "block"` + `reason` (shown to the user). `systemMessage` is a warning shown to the user.
 * - Codex CLI (developers.openai.com/codex/hooks): the same two shapes, and the reason must be non-empty or the
 *   action goes ahead; output keys it does not know are rejected (the hook then fails open), so an allow
 *   prints nothing.
 * - Gemini CLI (geminicli.com/docs/hooks/reference): BeforeTool and BeforeAgent deny with `decision: "deny"` +
 *   `reason`; stdout must hold nothing but that JSON.
 */
export const HOOK_CLIENTS = ['claude-code', 'codex', 'gemini'] as const;
export type HookClient = (typeof HOOK_CLIENTS)[number];

/** The tool name seatmeter's records carry for each client: what tool-narrowed budgets match. */
export const RECORD_TOOL: Readonly<Record<HookClient, string>> = { 'claude-code': 'claude_code', codex: 'codex', gemini: 'gemini_cli' };

/** The events a budget can refuse, and how: a tool call, or the prompt that starts a turn. */
const BLOCKING_EVENTS: Readonly<Record<HookClient, Readonly<Record<string, 'tool' | 'prompt'>>>> = {
  'claude-code': { PreToolUse: 'tool', UserPromptSubmit: 'prompt' },
  codex: { PreToolUse: 'tool', UserPromptSubmit: 'prompt' },
  gemini: { BeforeTool: 'tool', BeforeAgent: 'prompt' },
};

export function blockingKind(client: HookClient, event: string): 'tool' | 'prompt' | null {
  return BLOCKING_EVENTS[client][event] ?? null;
}

/** The hook's stdout for letting the action through, with a warning for the developer if there is one. */
export function allowOutput(client: HookClient, warning: string | null): string {
  if (warning !== null) return JSON.stringify({ systemMessage: warning });
  return client === 'gemini' ? '{}' : '';
}

/** The hook's stdout for refusing the action in the client's documented shape. */
export function denyOutput(client: HookClient, kind: 'tool' | 'prompt', reason: string): string {
  if (client === 'gemini') return JSON.stringify({ decision: 'deny', reason });
  if (kind === 'prompt') return JSON.stringify({ decision: 'block', reason });
  return JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } });
}
