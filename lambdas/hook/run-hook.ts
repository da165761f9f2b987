import { askReceiver } from './ask-receiver.ts';
import { DecisionCache } from './decision-cache.ts';
import { RECORD_TOOL, allowOutput, blockingKind, denyOutput } from './hook-clients.ts';
import type { HookClient } from './hook-clients.ts';
import { HookSettingsError, hookSettings } from './hook-settings.ts';
import type { HookSettings } from './hook-settings.ts';
import { repoOfDirectory } from './repo-of-directory.ts';

export interface HookResult {
  readonly stdout: string;
  readonly stderr: string;
  /** 0 with a decision on stdout; 2 blocks in every client (stderr is the reason); 1 is a non-blocking error. */
  readonly code: number;
}

const allowed = (client: HookClient, warning: string | null = null): HookResult => ({ stdout: allowOutput(client, warning), stderr: '', code: 0 });
const denied = (client: HookClient, kind: 'tool' | 'prompt', reason: string): HookResult => ({ stdout: denyOutput(client, kind, reason), stderr: '', code: 0 });

/** The hook input's event and working directory; the rest (a prompt, a tool's input) is never read. */
function readInput(stdin: string): { event: string; cwd: string | null } | null {
  try {
    const value: unknown = JSON.parse(stdin);
    if (typeof value !== 'object' || value === null) return null;
    const { hook_event_name: event, cwd } = value as Record<string, unknown>;
    return typeof event === 'string' ? { event, cwd: typeof cwd === 'string' && cwd !== '' ? cwd : null } : null;
  } catch {
    return null;
  }
}

/**
 * When no decision can be had: fail closed refuses, fail open lets the action through and warns once per
 * outage, so a meter that is down never freezes the team and the developer is not told on every tool call.
 */
function withoutDecision(settings: HookSettings, kind: 'tool' | 'prompt', problem: string, cache: DecisionCache | null, nowMs: number): HookResult {
  const warned = cache?.outage()?.warned === true;
  cache?.recordOutage(nowMs, true);
  if (settings.fail === 'closed') {
    return denied(settings.client, kind, `seatmeter: cannot check your AI budget (${problem}). This hook fails closed, so tool calls and prompts are refused until seatmeter answers; ask your platform team.`);
  }
  return allowed(settings.client, warned ? null : `seatmeter: cannot check your AI budget (${problem}); letting actions through until it answers.`);
}

/** One hook invocation: the client's stdin in, what to print and the exit code out. */
export async function runHook(args: readonly string[], stdin: string, env: NodeJS.ProcessEnv, nowMs: number, workingDirectory: string): Promise<HookResult> {
  let settings: HookSettings;
  try {
    settings = hookSettings(args, env);
  } catch (error) {
    if (!(error instanceof HookSettingsError)) throw error;
    // The fail mode may be what could not be read; refuse only when closed was asked for in so many words.
    const closed = args.some((arg, index) => arg === '--fail=closed' || (arg === '--fail' && args[index + 1] === 'closed'));
    return { stdout: '', stderr: `seatmeter hook: ${error.message}\n`, code: closed ? 2 : 1 };
  }
  const input = readInput(stdin);
  if (input === null) {
    const problem = 'the hook input is not the JSON object with hook_event_name the client sends';
    return settings.fail === 'closed' ? { stdout: '', stderr: `seatmeter hook: ${problem}\n`, code: 2 } : { stdout: '', stderr: `seatmeter hook: ${problem}\n`, code: 1 };
  }
  const kind = blockingKind(settings.client, input.event);
  if (kind === null) return allowed(settings.client);
  if (settings.endpoint === null) return withoutDecision(settings, kind, 'no endpoint: set OTEL_EXPORTER_OTLP_ENDPOINT, SEATMETER_URL or --endpoint', null, nowMs);

  const repo = repoOfDirectory(input.cwd ?? workingDirectory);
  const cache = new DecisionCache(settings.cacheDir, [settings.endpoint, settings.userEmail ?? '', repo ?? '', settings.client].join('\n'));
  const cached = cache.fresh(nowMs, settings.ttlMs);
  if (cached !== null) return cached.allow ? allowed(settings.client) : denied(settings.client, kind, cached.reason);
  const outage = cache.outage();
  // Within the TTL of a failed attempt, do not wait out the timeout again on every call.
  if (outage !== null && nowMs - outage.checkedAtMs >= 0 && nowMs - outage.checkedAtMs < settings.ttlMs) {
    return withoutDecision(settings, kind, 'it did not answer a moment ago', cache, outage.checkedAtMs);
  }
  const answer = await askReceiver(settings, settings.endpoint, { repo, tool: RECORD_TOOL[settings.client] });
  if ('problem' in answer) return withoutDecision(settings, kind, answer.problem, cache, nowMs);
  cache.remember({ checkedAtMs: nowMs, ...answer });
  return answer.allow ? allowed(settings.client) : denied(settings.client, kind, answer.reason);
}
