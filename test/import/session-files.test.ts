import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseClaudeSession } from '../../lambdas/import/claude/session-file.ts';
import { parseCodexRollout } from '../../lambdas/import/codex/rollout-file.ts';
import { parseGeminiChat } from '../../lambdas/import/gemini/chat-file.ts';
import { sessionFiles, signedInEmails } from '../../lambdas/import/local/session-files.ts';
import { SessionFileError } from '../../lambdas/import/types.ts';
import type { FileCall } from '../../lambdas/import/types.ts';
import { IMPORT_HOME } from '../support/import-home.ts';

const read = (path: string) => readFileSync(join(IMPORT_HOME, path), 'utf8');
const tokens = (calls: readonly FileCall[]) => calls.map((call) => [call.model, call.input_tokens, call.cache_read_tokens, call.cache_write_tokens, call.output_tokens, call.reasoning_tokens]);

describe('Claude Code session transcripts', () => {
  const parsed = parseClaudeSession(read('.claude/projects/-work-acme-shop/3c1f7d2e-5b8a-4f0e-9a6d-1e2b3c4d5e6f.jsonl'));

  it('count a message repeated once per content block once, keyed by message and request id', () => {
    expect(tokens(parsed.calls)).toEqual([
      ['claude-opus-4-8', 1_000, 5_000, 200, 80, 0],
      ['claude-opus-4-8[1m]', 50, 6_200, 0, 300, 0],
    ]);
    expect(parsed.calls.map((call) => [call.call_id, call.request_id, call.session_id, call.client_version, call.place.cwd])).toEqual([
      ['msg_01Import1/req_011CImport1', 'req_011CImport1', '3c1f7d2e-5b8a-4f0e-9a6d-1e2b3c4d5e6f', '2.1.190', '/work/acme/shop'],
      ['msg_01Import2/req_011CImport2', 'req_011CImport2', '3c1f7d2e-5b8a-4f0e-9a6d-1e2b3c4d5e6f', '2.1.190', '/work/acme/shop'],
    ]);
    // The last line of a call wins: its second content block, a second later.
    expect(parsed.calls[0]?.time_ms).toBe(Date.parse('2026-11-20T09:00:06Z'));
  });

  it('pass over made-up messages and a line cut off mid-write, counting them', () => {
    expect(parsed.skipped).toEqual(new Map([['no API call (synthetic message)', 1], ['line is not JSON', 1]]));
  });

  it('keep no text of prompts, responses or tools', () => {
    expect(JSON.stringify(parsed)).not.toContain('SECRET');
  });

  it('skip an assistant line missing what a call needs', () => {
    const line = JSON.stringify({ type: 'assistant', timestamp: '2026-11-20T09:00:00Z', message: { id: 'm', model: 'claude-opus-4-8', usage: { input_tokens: 1 } } });
    const negative = JSON.stringify({ type: 'assistant', sessionId: 's', timestamp: '2026-11-20T09:00:00Z', message: { id: 'm', model: 'claude-opus-4-8', usage: { input_tokens: -1 } } });
    expect(parseClaudeSession(`${line}\n${negative}\n`).skipped).toEqual(
      new Map([
        ['assistant line without model, session, message id or time', 1],
        ['usage that is not whole token counts', 1],
      ]),
    );
  });
});

describe('Codex rollouts', () => {
  const parsed = parseCodexRollout(read('.codex/sessions/2026/11/21/rollout-2026-11-21T09-00-00-019a7b1e-2c3d-7e4f-8a9b-0c1d2e3f4a5b.jsonl'));

  it('take the growth of the cumulative total, so the calls sum to the last total and a repeated total adds nothing', () => {
    expect(tokens(parsed.calls)).toEqual([
      ['gpt-5', 452, 2_048, 0, 77, 33],
      ['gpt-5', 452, 2_048, 0, 77, 33],
    ]);
    const sum = parsed.calls.reduce((total, call) => total + call.input_tokens + call.cache_read_tokens, 0);
    expect(sum).toBe(5_000);
    expect(parsed.calls.map((call) => [call.session_id, call.call_id, call.place.remote, call.client_version])).toEqual([
      ['019a7b1e-2c3d-7e4f-8a9b-0c1d2e3f4a5b', '019a7b1e-2c3d-7e4f-8a9b-0c1d2e3f4a5b/1', 'git@github.com:acme/api.git', '0.169.0'],
      ['019a7b1e-2c3d-7e4f-8a9b-0c1d2e3f4a5b', '019a7b1e-2c3d-7e4f-8a9b-0c1d2e3f4a5b/2', 'git@github.com:acme/api.git', '0.169.0'],
    ]);
    expect(JSON.stringify(parsed)).not.toContain('SECRET');
  });

  it('start over after a total that went down, and skip growth with no model to price it by', () => {
    const line = (timestamp: string, type: string, payload: object) => JSON.stringify({ timestamp, type, payload });
    const count = (input: number) => ({ type: 'token_count', info: { total_token_usage: { input_tokens: input, cached_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0 } } });
    const text = [
      line('2026-11-21T09:00:00Z', 'session_meta', { id: 's' }),
      line('2026-11-21T09:00:01Z', 'event_msg', count(10)),
      line('2026-11-21T09:00:02Z', 'turn_context', { model: 'gpt-5' }),
      line('2026-11-21T09:00:03Z', 'event_msg', count(30)),
      line('2026-11-21T09:00:04Z', 'event_msg', count(7)),
    ].join('\n');
    const parsed = parseCodexRollout(text);
    expect(parsed.calls.map((call) => call.input_tokens)).toEqual([20, 7]);
    expect(parsed.skipped).toEqual(new Map([['token count before any turn_context model', 1]]));
  });
});

describe('Gemini CLI chat recordings', () => {
  it('read the one-object form, in the token meanings of its telemetry', () => {
    const parsed = parseGeminiChat(read('.gemini/tmp/a33c3345ed592a7d6c2eb32b6ad11a280e0cafc473b2669402655b56894f5391/chats/session-2026-11-21T10-00-7d0e2a4b.json'));
    expect(tokens(parsed.calls)).toEqual([['gemini-3.8-flash', 321, 4_000, 0, 86, 21]]);
    expect(JSON.stringify(parsed)).not.toContain('SECRET');
  });

  it('read the line-per-record form: the last copy of a message wins, and a rewound call still counts', () => {
    const parsed = parseGeminiChat(read('.gemini/tmp/a33c3345ed592a7d6c2eb32b6ad11a280e0cafc473b2669402655b56894f5391/chats/session-2026-11-21T11-00-b5c6d7e8.jsonl'));
    expect(tokens(parsed.calls)).toEqual([
      ['gemini-3.5-flash-lite', 111, 0, 0, 9, 0],
      ['gemini-3.8-flash', 100, 100, 0, 15, 5],
    ]);
    expect(parsed.calls.map((call) => call.session_id)).toEqual(['b5c6d7e8-f9a0-4b1c-8d2e-3f4a5b6c7d8e', 'b5c6d7e8-f9a0-4b1c-8d2e-3f4a5b6c7d8e']);
    expect(JSON.stringify(parsed)).not.toContain('SECRET');
  });

  it('refuse a file that is no chat recording', () => {
    expect(() => parseGeminiChat('{"messages": []}')).toThrow(SessionFileError);
  });
});

describe('a home directory', () => {
  it('holds each client\'s session files where the client keeps them, and the accounts they are signed in as', async () => {
    const files = await sessionFiles(IMPORT_HOME, ['claude_code', 'codex', 'gemini_cli']);
    expect(files.map((file) => [file.tool, file.path.slice(IMPORT_HOME.length)])).toEqual([
      ['claude_code', '.claude/projects/-work-acme-shop/3c1f7d2e-5b8a-4f0e-9a6d-1e2b3c4d5e6f.jsonl'],
      ['claude_code', '.claude/projects/-work-acme-shop/3c1f7d2e-5b8a-4f0e-9a6d-1e2b3c4d5e6f/subagents/agent-5e7a.jsonl'],
      ['claude_code', '.claude/projects/-work-demo-repo/9f5b2137-8c83-4756-8db9-136e5d39e200.jsonl'],
      ['codex', '.codex/sessions/2026/11/21/rollout-2026-11-21T09-00-00-019a7b1e-2c3d-7e4f-8a9b-0c1d2e3f4a5b.jsonl'],
      ['codex', '.codex/sessions/2026/11/22/rollout-2026-11-22T10-00-00-01a202c6-c23e-72c2-b10f-c57b88fdd44e.jsonl'],
      ['gemini_cli', '.gemini/tmp/a33c3345ed592a7d6c2eb32b6ad11a280e0cafc473b2669402655b56894f5391/chats/session-2026-11-21T10-00-7d0e2a4b.json'],
      ['gemini_cli', '.gemini/tmp/a33c3345ed592a7d6c2eb32b6ad11a280e0cafc473b2669402655b56894f5391/chats/session-2026-11-21T11-00-b5c6d7e8.jsonl'],
      ['gemini_cli', '.gemini/tmp/a33c3345ed592a7d6c2eb32b6ad11a280e0cafc473b2669402655b56894f5391/chats/session-2026-11-22T10-00-4647fed4.json'],
    ]);
    expect((await sessionFiles(IMPORT_HOME, ['codex'])).map((file) => file.tool)).toEqual(['codex', 'codex']);
    expect(await sessionFiles('/nonexistent-home', ['claude_code', 'codex', 'gemini_cli'])).toEqual([]);
    expect(await signedInEmails(IMPORT_HOME)).toEqual({ claude_code: 'dev@example.com', codex: null, gemini_cli: 'dev@example.com' });
  });
});
