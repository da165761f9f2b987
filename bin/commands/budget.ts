import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { BUDGETS_API_PATH, GRANTS_API_PATH, answerBudgetApi } from '../../lambdas/local/budget-api.ts';
import type { BudgetApiServices } from '../../lambdas/local/budget-api.ts';
import { localBudgetServices } from '../../lambdas/local/budget-services.ts';
import { LocalServerError, callServer } from '../../lambdas/local/server-client.ts';
import type { ServerAnswer } from '../../lambdas/local/server-client.ts';
import { ReportQueryError, parseTimeBound } from '../../lambdas/report/report-types.ts';
import { LocalStoreError, openStoreForChange } from './local-store.ts';
import { dataDirOption, serverUrlOption, tokenOption } from './options.ts';
import { alignedColumns, humanTokens, humanUsd } from './report-format.ts';

const HELP = `usage: seatmeter budget <set|list|rm|grant|status> [options]

Budgets on the local store: through the running \`seatmeter serve\` (found through the data directory, or
--url), or in the data directory itself when no server runs; or in the deployed stack's budgets table
(--table). Changes apply to the next decision: no restart, no redeploy.
  set NAME --scope SCOPE (--limit-usd N | --limit-tokens N) [--period day|week|month] [--time-zone ZONE]
           [--tool T] [--model M] [--soft 0.5,0.8] [--hard on|off] [--slack-webhook-url URL] [--owner WHO]
  set --file budgets.json      every budget of the file (schemas/budgets.schema.json)
  list [--format table|json]   the definitions
  rm NAME                      removes a budget and its grants
  grant TARGET --until TIME --reason WHY [--extra USD] [--by WHO]
                               an exemption: TARGET is a budget's name or a scope (user:<email> exempts that
                               person from every budget that counts them); TIME is an ISO time or 30m/4h/2d
                               from now; without --extra the limit is lifted
  status [--format table|json] spend, limit and state of each budget this period, and the grants in force
SCOPE is org, team:<name>, user:<email> or repo:<owner/name>.
  --data-dir  default ./.seatmeter (SEATMETER_DATA_DIR)
  --url       ask this server instead (SEATMETER_URL)
  --token     the server's token, if it requires one (SEATMETER_TOKEN)
  --table     the deployed stack's budgets table (its BudgetsTable output; SEATMETER_BUDGETS_TABLE), reached
              with the AWS SDK's credentials and region`;

class BudgetCommandError extends Error {}

type Call = (method: string, path: string, body?: unknown) => Promise<ServerAnswer>;

/** The same API run here on `services`: a data directory's, or the deployed table's. */
function callHere(services: BudgetApiServices): Call {
  return async (method, path, body) => {
    const answer = await answerBudgetApi(method, path, new TextEncoder().encode(body === undefined ? '' : JSON.stringify(body)), services);
    if (answer === null) throw new Error(`no budget route for ${method} ${path}`);
    return { status: answer.status, value: JSON.parse(new TextDecoder().decode(answer.body)) };
  };
}

/** The budget API of the deployed stack's table, of the running server, or run here on the data directory. */
async function withBudgetApi<T>(values: { 'data-dir'?: string; url?: string; token?: string; table?: string }, use: (call: Call) => Promise<T>): Promise<T> {
  const table = values.table ?? process.env.SEATMETER_BUDGETS_TABLE;
  if (table !== undefined && table.trim() !== '') {
    const { deployedBudgetServices } = await import('./deployed-budgets.ts');
    return use(callHere(deployedBudgetServices(table.trim())));
  }
  const dataDir = dataDirOption(values['data-dir']);
  const url = serverUrlOption(values.url, dataDir);
  if (url !== undefined) return use((method, path, body) => callServer(url, method, path, body, tokenOption(values.token)));
  const database = await openStoreForChange(dataDir);
  try {
    return await use(callHere(localBudgetServices(database, dataDir, Date.now)));
  } finally {
    await database.close();
  }
}

function succeeded(answer: ServerAnswer): Record<string, unknown> & unknown[] {
  if (answer.status >= 200 && answer.status < 300) return answer.value as Record<string, unknown> & unknown[];
  const error = (answer.value as { error?: unknown } | null)?.error;
  throw new BudgetCommandError(typeof error === 'string' ? error : `answered ${answer.status}`);
}

const number = (text: string | undefined, option: string): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new BudgetCommandError(`${option} "${text}" is not a number`);
  return value;
};

/** The file form of the budget the `set` options describe; the API validates it and names any bad field. */
function budgetFromOptions(name: string, values: Record<string, string | boolean | undefined>): Record<string, unknown> {
  const text = (key: string): string | undefined => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  const hard = text('hard');
  if (hard !== undefined && hard !== 'on' && hard !== 'off') throw new BudgetCommandError(`--hard must be on or off, got "${hard}"`);
  const soft = text('soft');
  const entries: [string, unknown][] = [
    ['name', name],
    ['scope', text('scope')],
    ['period', text('period')],
    ['time_zone', text('time-zone')],
    ['tool', text('tool')],
    ['model', text('model')],
    ['limit_usd', number(text('limit-usd'), '--limit-usd')],
    ['limit_tokens', number(text('limit-tokens'), '--limit-tokens')],
    ['soft', soft === undefined ? undefined : soft.split(',').map((part) => number(part, '--soft'))],
    ['hard', hard === undefined ? undefined : hard === 'on'],
    ['slack_webhook_url', text('slack-webhook-url')],
    ['owner', text('owner')],
  ];
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
}

const DURATION = /^(\d+)(m|h|d)$/;
const DURATION_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

function untilMs(text: string, nowMs: number): number {
  const duration = DURATION.exec(text.trim());
  if (duration !== null) return nowMs + Number(duration[1]) * (DURATION_MS[duration[2] ?? ''] ?? 0);
  try {
    return parseTimeBound(text, '--until');
  } catch (error) {
    if (error instanceof ReportQueryError) throw new BudgetCommandError(`${error.message}, or a duration such as 30m, 4h or 2d`);
    throw error;
  }
}

const limitText = (unit: unknown, value: unknown): string => (value === null ? 'lifted' : unit === 'usd' ? humanUsd(Number(value)) : `${humanTokens(Number(value))} tok`);

function listTable(budgets: readonly Record<string, unknown>[]): string {
  if (budgets.length === 0) return 'no budgets: add one with `seatmeter budget set`\n';
  const rows = budgets.map((b) => [
    String(b.name),
    String(b.scope) + (b.tool === undefined ? '' : ` tool=${String(b.tool)}`) + (b.model === undefined ? '' : ` model=${String(b.model)}`),
    `${String(b.period)} ${String(b.time_zone)}`,
    b.limit_usd === undefined ? limitText('tokens', b.limit_tokens) : limitText('usd', b.limit_usd),
    (b.soft as number[]).map((fraction) => `${Math.round(fraction * 100)}%`).join(','),
    b.hard === true ? 'hard' : 'soft only',
    b.owner === undefined ? '' : String(b.owner),
  ]);
  return alignedColumns(['name', 'scope', 'period', 'limit', 'alerts at', 'cap', 'owner'], rows, null, 7);
}

function statusTable(status: readonly Record<string, unknown>[], grants: readonly Record<string, unknown>[]): string {
  if (status.length === 0) return 'no budgets: add one with `seatmeter budget set`\n';
  const rows = status.map((b) => {
    const unit = b.limit_usd === undefined ? 'tokens' : 'usd';
    const fraction = b.used_fraction === null ? '' : `${(Number(b.used_fraction) * 100).toFixed(1)}%`;
    const alert = b.last_alert as { kind: string; key: string; state: string } | null;
    const last = alert === null ? '' : `${alert.key.split('|').at(-1) ?? alert.kind} ${alert.state}`;
    return [String(b.name), String(b.scope), String(b.period_key), String(b.state), limitText(unit, b.used), limitText(unit, b.limit), fraction, b.projected === null ? '' : limitText(unit, b.projected), last];
  });
  let text = alignedColumns(['name', 'scope', 'period', 'state', 'spent', 'limit', 'used', 'projected', 'last alert'], rows, null, 4);
  const failures = status.flatMap((b) => {
    const alert = b.last_alert as { subject: string; at: string; failure: string | null } | null;
    return alert?.failure == null ? [] : [`  ${String(b.name)}: "${alert.subject}" (${alert.at}) was not delivered: ${alert.failure}`];
  });
  if (failures.length > 0) text += `\nalerts not delivered:\n${failures.join('\n')}\n`;
  if (grants.length === 0) return text;
  const granted = grants.map((g) => `  ${String(g.target)} until ${String(g.until)}: ${g.extra_usd === null ? 'limit lifted' : `+${humanUsd(Number(g.extra_usd))}`}, by ${String(g.granted_by)} (${String(g.reason)})`);
  return `${text}\ngrants in force:\n${granted.join('\n')}\n`;
}

function format(values: { format?: string }): 'table' | 'json' {
  const chosen = values.format ?? 'table';
  if (chosen !== 'table' && chosen !== 'json') throw new BudgetCommandError(`--format must be table or json, got "${chosen}"`);
  return chosen;
}

async function run(args: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      table: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      format: { type: 'string' },
      file: { type: 'string' },
      scope: { type: 'string' },
      period: { type: 'string' },
      'time-zone': { type: 'string' },
      tool: { type: 'string' },
      model: { type: 'string' },
      'limit-usd': { type: 'string' },
      'limit-tokens': { type: 'string' },
      soft: { type: 'string' },
      hard: { type: 'string' },
      'slack-webhook-url': { type: 'string' },
      owner: { type: 'string' },
      until: { type: 'string' },
      extra: { type: 'string' },
      reason: { type: 'string' },
      by: { type: 'string' },
    },
  });
  const [action, target, ...extra] = positionals;
  if (extra.length > 0) throw new BudgetCommandError(`unexpected arguments: ${extra.join(' ')}`);
  switch (action) {
    case 'set': {
      if (values.file !== undefined && target !== undefined) throw new BudgetCommandError('set takes a NAME with options, or --file, not both');
      let body: unknown;
      if (values.file !== undefined) {
        try {
          body = JSON.parse(readFileSync(values.file, 'utf8'));
        } catch (error) {
          throw new BudgetCommandError(`cannot read ${values.file}: ${error instanceof Error ? error.message : String(error)}`);
        }
      } else if (target !== undefined) body = budgetFromOptions(target, values);
      else throw new BudgetCommandError('set needs a NAME (with --scope and a limit) or --file budgets.json');
      const set = await withBudgetApi(values, async (call) => succeeded(await call('PUT', BUDGETS_API_PATH, body)));
      return `set ${(set.set as string[]).join(', ')}\n`;
    }
    case 'list': {
      const chosen = format(values);
      const status = await withBudgetApi(values, async (call) => succeeded(await call('GET', BUDGETS_API_PATH)));
      const definitions = (status as Record<string, unknown>[]).map(({ name, scope, tool, model, period, time_zone, limit_usd, limit_tokens, soft, hard, owner }) =>
        Object.fromEntries(Object.entries({ name, scope, tool, model, period, time_zone, limit_usd, limit_tokens, soft, hard, owner }).filter(([, value]) => value !== undefined)),
      );
      return chosen === 'json' ? `${JSON.stringify({ budgets: definitions }, null, 2)}\n` : listTable(definitions);
    }
    case 'rm': {
      if (target === undefined) throw new BudgetCommandError('rm needs the NAME of a budget');
      await withBudgetApi(values, async (call) => succeeded(await call('DELETE', `${BUDGETS_API_PATH}/${encodeURIComponent(target)}`)));
      return `removed ${target}\n`;
    }
    case 'grant': {
      if (target === undefined) throw new BudgetCommandError('grant needs a TARGET: a budget\'s name or a scope such as user:dev@example.com');
      if (values.until === undefined) throw new BudgetCommandError('grant needs --until (an ISO time, or 30m, 4h, 2d from now)');
      const body = {
        target,
        until_ms: untilMs(values.until, Date.now()),
        extra_usd: number(values.extra, '--extra'),
        granted_by: values.by ?? `${userInfo().username}@${hostname()}`,
        reason: values.reason,
      };
      const granted = await withBudgetApi(values, async (call) => succeeded(await call('POST', GRANTS_API_PATH, body)));
      const grant = granted.granted as Record<string, unknown>;
      return `granted ${String(grant.target)} until ${String(grant.until)}: ${grant.extra_usd === null ? 'limit lifted' : `+${humanUsd(Number(grant.extra_usd))}`}\n`;
    }
    case 'status': {
      const chosen = format(values);
      const [status, grants] = await withBudgetApi(values, async (call) => [succeeded(await call('GET', BUDGETS_API_PATH)), succeeded(await call('GET', GRANTS_API_PATH))]);
      return chosen === 'json' ? `${JSON.stringify({ budgets: status, grants }, null, 2)}\n` : statusTable(status as Record<string, unknown>[], grants as Record<string, unknown>[]);
    }
    default:
      throw new BudgetCommandError(action === undefined ? 'name an action: set, list, rm, grant or status' : `unknown action "${action}": set, list, rm, grant or status`);
  }
}

export const budgetCommand = {
  async run(args: string[]): Promise<number> {
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    try {
      process.stdout.write(await run(args));
      return 0;
    } catch (error) {
      const known = error instanceof BudgetCommandError || error instanceof LocalStoreError || error instanceof LocalServerError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
      if (!known) throw error;
      process.stderr.write(`seatmeter budget: ${error.message}\n`);
      return 2;
    }
  },
};
