import type { HookSettings } from './hook-settings.ts';

interface DecisionBody {
  readonly decision?: unknown;
  readonly reason?: unknown;
  readonly error?: unknown;
}

function parseAnswer(text: string): DecisionBody | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as DecisionBody) : null;
  } catch {
    return null;
  }
}

export type ReceiverAnswer = { readonly allow: boolean; readonly reason: string } | { readonly problem: string };

/**
 * POSTs the asker to the receiver's decision route and reads allow/deny. node:http is loaded here, on a miss
 * only: a warm call never pays for it. Anything but a decision (no answer within the timeout, a refused
 * credential, a body that is not one) is a problem the caller's fail mode settles.
 */
export async function askReceiver(settings: HookSettings, endpoint: string, asker: { readonly repo: string | null; readonly tool: string }): Promise<ReceiverAnswer> {
  const url = new URL(`${endpoint}/v1/budget/decision`);
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const body = JSON.stringify({ user_email: settings.userEmail, tool: asker.tool, repo: asker.repo });
  const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
  if (settings.authorization !== null) headers.authorization = settings.authorization;
  return new Promise((resolve) => {
    const outgoing = request(url, { method: 'POST', headers, timeout: settings.timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => resolve({ problem: error.message }));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const value = parseAnswer(text);
        if (response.statusCode === 200 && value?.decision === 'allow') return resolve({ allow: true, reason: '' });
        if (response.statusCode === 200 && value?.decision === 'deny' && typeof value.reason === 'string' && value.reason !== '') return resolve({ allow: false, reason: value.reason });
        const detail = typeof value?.error === 'string' ? value.error : text.slice(0, 200);
        resolve({ problem: `${url.origin} answered ${response.statusCode ?? '?'}${detail === '' ? '' : `: ${detail}`}` });
      });
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer from ${url.origin} within ${settings.timeoutMs} ms`)));
    outgoing.on('error', (error) => resolve({ problem: error.message === '' ? `cannot reach ${url.origin}` : `cannot reach ${url.origin}: ${error.message}` }));
    outgoing.end(body);
  });
}
