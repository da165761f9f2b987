/**
 * Where each client keeps its session files under a home directory, and who the client is signed in as
 * there. Claude Code: `.claude/projects/**.jsonl` (or `.config/claude/projects`, where newer versions put
 * it), signed-in account in `.claude.json` `oauthAccount.emailAddress`. Codex CLI: `.codex/sessions/**
 * /rollout-*.jsonl` (its `CODEX_HOME` is `.codex`), with no account email on disk. Gemini CLI:
 * `.gemini/tmp/<project hash>/chats/**` `.json`/`.jsonl`, the Google account in `.gemini/google_accounts.json`
 * `active`.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseClaudeSession } from '../claude/session-file.ts';
import { parseCodexRollout } from '../codex/rollout-file.ts';
import { parseGeminiChat } from '../gemini/chat-file.ts';
import { objectAt, textAt } from '../json-fields.ts';
import type { ImportTool, ParsedSessionFile } from '../types.ts';

export interface SessionFile {
  readonly tool: ImportTool;
  readonly path: string;
}

export const PARSERS: Readonly<Record<ImportTool, (text: string) => ParsedSessionFile>> = {
  claude_code: parseClaudeSession,
  codex: parseCodexRollout,
  gemini_cli: parseGeminiChat,
};

/** Every file under `dir` (none when it does not exist), in name order so an import reads in the same order each time. */
async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export async function sessionFiles(home: string, tools: readonly ImportTool[]): Promise<SessionFile[]> {
  const found: SessionFile[] = [];
  if (tools.includes('claude_code')) {
    for (const dir of [join(home, '.claude', 'projects'), join(home, '.config', 'claude', 'projects')]) {
      for (const path of await filesUnder(dir)) if (path.endsWith('.jsonl')) found.push({ tool: 'claude_code', path });
    }
  }
  if (tools.includes('codex')) {
    for (const path of await filesUnder(join(home, '.codex', 'sessions'))) if (/(^|\/)rollout-[^/]*\.jsonl$/.test(path)) found.push({ tool: 'codex', path });
  }
  if (tools.includes('gemini_cli')) {
    for (const path of await filesUnder(join(home, '.gemini', 'tmp'))) {
      if (/\/chats\/(.+\/)?[^/]+\.jsonl?$/.test(path)) found.push({ tool: 'gemini_cli', path });
    }
  }
  return found;
}

async function jsonFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    // No file, or not one the client wrote whole: the usage is then as unattributed as its telemetry would be.
    return null;
  }
}

/** The account each client is signed in as under `home`, as its telemetry's `user.email` would name it. */
export async function signedInEmails(home: string): Promise<Readonly<Record<ImportTool, string | null>>> {
  const claude = textAt(objectAt(await jsonFile(join(home, '.claude.json')), 'oauthAccount'), 'emailAddress');
  const gemini = textAt(await jsonFile(join(home, '.gemini', 'google_accounts.json')), 'active');
  const email = (text: string | null) => (text === null ? null : text.trim().toLowerCase());
  return { claude_code: email(claude), codex: null, gemini_cli: email(gemini) };
}
