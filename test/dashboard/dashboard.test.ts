/**
 * The dashboard page in a real browser (Debian's Chromium, driven by playwright-core) against the real local
 * server, filled with every captured client request. The expected numbers are the fixture README's table
 * "What seatmeter must derive" (see FIXTURE_TOTALS), summed and formatted the way the page shows them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer } from '../../lambdas/local/server.ts';
import type { LocalServer } from '../../lambdas/local/server.ts';
import { FIXTURE_TOTALS } from '../support/fixture-totals.ts';
import type { FixtureRow } from '../support/fixture-totals.ts';
import { replayAllCaptures } from '../support/http-replay.ts';

/** `npm run screenshot` points this at docs/dashboard.png, the README's picture; plain test runs leave the tree clean. */
const SCREENSHOT = process.env.SEATMETER_SCREENSHOT ?? join(tmpdir(), 'seatmeter-dashboard.png');

/** Every capture was made on 2026-11-22 (UTC); the range's days are inclusive. */
const FIXTURE_DAYS = '?from=2026-11-21&to=2026-11-23';

/** Sums of the rows; `tokens` is what the page calls total: input + cache read + cache write + output. */
function sumOf(rows: readonly FixtureRow[]) {
  const column = (index: 3 | 4 | 5 | 6 | 7 | 8) => rows.reduce((sum, row) => sum + row[index], 0);
  const [input, cacheRead, cacheWrite, output, reasoning, cost] = [column(3), column(4), column(5), column(6), column(7), column(8)];
  return { input, cacheRead, cacheWrite, output, reasoning, cost, tokens: input + cacheRead + cacheWrite + output };
}

/** all: 84,896 tokens, $0.09172135 · dev@example.com: 69,434, $0.08217535 · Codex (no identity): 15,462, $0.009546 */
const ALL = sumOf(FIXTURE_TOTALS);
const DEV = sumOf(FIXTURE_TOTALS.filter((row) => row[0] === 'dev@example.com'));
const CODEX = sumOf(FIXTURE_TOTALS.filter((row) => row[1] === 'codex'));

/** As the page writes exact counts and the exact cost in its tooltip. */
const count = (value: number) => value.toLocaleString('en-US');
const exactUsd = (value: number) => `$${value.toFixed(6)}`;
const matrixRow = (label: string, t: ReturnType<typeof sumOf>) =>
  [label, count(t.input), count(t.cacheRead), count(t.cacheWrite), count(t.output), count(t.reasoning), count(t.tokens)];

const BROWSER_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let dataDir: string;
let server: LocalServer;
let browser: Browser;
let context: BrowserContext;

/** Opens a view and waits until the board has drawn it (or said it is empty, or failed). */
async function open(search: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${server.url}/${search}`);
  await page.locator('main:not([data-state="loading"])').waitFor({ state: 'attached' });
  return page;
}

function statValue(page: Page, key: string): Promise<string> {
  return page.locator(`[data-stat="${key}"] .stat-value`).innerText();
}

function statNote(page: Page, key: string): Promise<string> {
  return page.locator(`[data-stat="${key}"] .stat-note`).innerText();
}

/** Each row's cells as shown, header cell first. */
async function tableRows(page: Page, selector: string): Promise<string[][]> {
  const rows = await page.locator(selector).all();
  return Promise.all(rows.map(async (row) => (await row.locator('th, td').allTextContents()).map((text) => text.trim())));
}

function checkboxLabels(page: Page, name: string): Promise<string[]> {
  return page.locator(`label:has(input[name="${name}"])`).allInnerTexts();
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-dashboard-'));
  // The budgets row reads budgets in their current period: the captures' day, by the server's clock.
  server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir, now: () => Date.parse('2026-11-22T12:00:00Z'), alertEveryMs: 0 });
  expect(new Set(await replayAllCaptures(server.url))).toEqual(new Set([200]));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: BROWSER_ARGS });
  context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, timezoneId: 'UTC', locale: 'en-US' });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('dashboard page on the captured fixtures', { timeout: 60_000 }, () => {
  it('shows the overview the fixture table adds up to', async () => {
    const page = await open(FIXTURE_DAYS);
    expect(await page.locator('main').getAttribute('data-state')).toBe('ready');
    expect(await statValue(page, 'total_tokens')).toBe('84.9k');
    expect(await statNote(page, 'total_tokens')).toBe(`${count(ALL.tokens)} tokens`);
    expect(await statValue(page, 'estimated_cost')).toBe('$0.0917');
    expect(await page.locator('[data-stat="estimated_cost"] .stat-value').getAttribute('title')).toBe(exactUsd(ALL.cost));
    expect(await statNote(page, 'estimated_cost')).toBe('API list price — a ceiling on a metered bill');
    // dev@example.com; the Codex runs sent no identity and are nobody's (their own "(no identity)" line).
    expect(await statValue(page, 'active_developers')).toBe('1');
    // Every capture ran between 10:00 and 11:00 UTC: one clock hour of the one developer.
    expect(await statValue(page, 'active_hours')).toBe('1');
    // One session per captured run: 6 Claude Code + 6 Codex + 3 Gemini CLI.
    expect(await statValue(page, 'sessions')).toBe('15');
    expect(await statValue(page, 'unpriced_tokens')).toBe('0');
    expect(await page.locator('.warning').count()).toBe(0);
    await page.close();
  });

  it('ranks developers, breaks tokens down by type and model, and offers the range’s filters', async () => {
    const page = await open(FIXTURE_DAYS);
    expect(await page.locator('[data-panel="developer-tokens"] svg').getAttribute('aria-label')).toBe(
      'Tokens by developer, ranked. dev@example.com: 69.4k; (no identity): 15.5k',
    );
    expect(await page.locator('[data-panel="developer-cost"] svg').getAttribute('aria-label')).toBe(
      'Estimated cost by developer, ranked. dev@example.com: $0.0822; (no identity): $0.00955',
    );
    expect(await page.locator('[data-panel="token-types"] svg').getAttribute('aria-label')).toBe(
      'Tokens by type. Input: 11.6k · 14%; Cache read: 70.3k · 83%; Cache write: 1.9k · 2%; Output: 1.1k · 1%',
    );
    expect(await page.locator('[data-panel="token-types"] .legend').innerText()).toContain(`of which reasoning: ${count(ALL.reasoning)} of ${count(ALL.output)} output`);
    // 70,288 cache reads of 83,810 input-side tokens.
    const cacheShare = Math.round((100 * ALL.cacheRead) / (ALL.input + ALL.cacheRead + ALL.cacheWrite));
    expect(await page.locator('[data-cache-share]').innerText()).toBe(`The cache served ${cacheShare}% of input tokens.`);
    expect(await tableRows(page, '.matrix-table tbody tr')).toEqual([
      matrixRow('dev@example.com', DEV),
      matrixRow('(no identity)', CODEX),
    ]);
    expect(await tableRows(page, '.matrix-table tfoot tr')).toEqual([matrixRow('All developers', ALL)]);
    // Ranked by tokens: 51,540 / 15,462 / 8,814 / 4,433 / 4,407 / 240; costs straight from the fixture table.
    expect(await tableRows(page, '.models-table tbody tr')).toEqual([
      ['claude-opus-4-8', '51.5k', '61%', '$0.0777', '—'],
      ['gpt-5', '15.5k', '18%', '$0.00955', '—'],
      ['gemini-3.8-flash', '8.8k', '10%', '$0.00173', '—'],
      ['claude-haiku-4-5', '4.4k', '5%', '$0.000906', '—'],
      ['gemini-2.5-pro', '4.4k', '5%', '$0.00176', '—'],
      ['gemini-3.5-flash-lite', '240', '<1%', '$0.000112', '—'],
    ]);
    expect(await page.locator('[data-panel="token-rate"] .legend').innerText()).toBe('dev@example.com\n(no identity)');
    expect(await page.locator('[data-panel="token-rate"] svg .columns rect').count()).toBe(2);
    expect(await checkboxLabels(page, 'user')).toEqual(['dev@example.com', '(no identity)']);
    expect(await checkboxLabels(page, 'tool')).toEqual(['Claude Code', 'Codex', 'Gemini CLI']);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.close();
  });

  it('narrows to Codex when its box is ticked, and the URL reproduces that view', async () => {
    const page = await open(FIXTURE_DAYS);
    await page.getByRole('checkbox', { name: 'Codex' }).check();
    await page.locator('main[data-state="ready"][data-view$="tool=codex"]').waitFor();
    const shared = page.url();
    expect(new URL(shared).search).toBe('?from=2026-11-21&to=2026-11-23&tool=codex');
    await page.close();

    const reopened = await open(new URL(shared).search);
    expect(await statNote(reopened, 'total_tokens')).toBe(`${count(CODEX.tokens)} tokens`);
    expect(await statValue(reopened, 'estimated_cost')).toBe('$0.00955');
    expect(await statValue(reopened, 'active_developers')).toBe('0');
    expect(await statValue(reopened, 'sessions')).toBe('6');
    expect(await reopened.getByRole('checkbox', { name: 'Codex' }).isChecked()).toBe(true);
    expect(await tableRows(reopened, '.matrix-table tbody tr')).toEqual([matrixRow('(no identity)', CODEX)]);
    expect(await tableRows(reopened, '.models-table tbody tr')).toEqual([['gpt-5', '15.5k', '100%', '$0.00955', '—']]);
    await reopened.close();
  });

  it('filters by developer, an empty user value meaning the records without identity', async () => {
    const named = await open(`${FIXTURE_DAYS}&user=dev%40example.com`);
    expect(await statNote(named, 'total_tokens')).toBe(`${count(DEV.tokens)} tokens`);
    expect(await named.locator('[data-stat="estimated_cost"] .stat-value').getAttribute('title')).toBe(exactUsd(DEV.cost));
    expect(await named.locator('.models-table tbody th').allInnerTexts()).toEqual([
      'claude-opus-4-8',
      'gemini-3.8-flash',
      'claude-haiku-4-5',
      'gemini-2.5-pro',
      'gemini-3.5-flash-lite',
    ]);
    await named.close();

    const anonymous = await open(`${FIXTURE_DAYS}&user=`);
    expect(await statNote(anonymous, 'total_tokens')).toBe(`${count(CODEX.tokens)} tokens`);
    expect(await anonymous.getByRole('group', { name: /^Developers/ }).getByRole('checkbox', { name: '(no identity)' }).isChecked()).toBe(true);
    await anonymous.close();
  });

  it('puts a preset range in the URL instead of fixed days', async () => {
    const page = await open(FIXTURE_DAYS);
    await page.getByRole('radio', { name: '30 days' }).check();
    await page.locator('main[data-view="?range=30d"]:not([data-state="loading"])').waitFor({ state: 'attached' });
    expect(new URL(page.url()).search).toBe('?range=30d');
    expect(await page.getByRole('radio', { name: '30 days' }).isChecked()).toBe(true);
    await page.close();
  });

  it('shows each budget against its limit in its period, and no budgets row without budgets', async () => {
    expect(await (await open(FIXTURE_DAYS)).locator('#budgets').count()).toBe(0);
    const budgets = [
      { name: 'dev-daily', scope: 'user:dev@example.com', period: 'day', limit_usd: 0.05 },
      { name: 'org-monthly', scope: 'org', period: 'month', limit_usd: 1, soft: [0.5], hard: false },
    ];
    await fetch(`${server.url}/api/budgets`, { method: 'PUT', body: JSON.stringify({ budgets }) });
    const page = await open(FIXTURE_DAYS);
    expect(await tableRows(page, '#budgets tbody tr')).toEqual([
      ['dev-daily', 'user:dev@example.com', '2026-11-22', '$0.0822 / $0.05', '164.4 %', '$0.164', 'capped', '—'],
      ['org-monthly', 'org', '2026-11', '$0.0917 / $1.00', '9.2 %', '$0.128', 'ok', '—'],
    ]);
    for (const name of ['dev-daily', 'org-monthly']) await fetch(`${server.url}/api/budgets/${name}`, { method: 'DELETE' });
  });

  it('says so when the range holds no usage', async () => {
    const page = await open('?from=2026-10-01&to=2026-10-02');
    expect(await page.locator('main').getAttribute('data-state')).toBe('empty');
    expect(await page.locator('[data-empty] h2').innerText()).toBe('No usage in this range');
    expect(await page.locator('[data-stat]').count()).toBe(0);
    await page.close();
  });

  it('shows an API error instead of a blank board', async () => {
    const page = await context.newPage();
    await page.route('**/api/dashboard?*', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"store unavailable"}' }));
    await page.goto(`${server.url}/${FIXTURE_DAYS}`);
    await page.locator('main[data-state="error"]').waitFor({ state: 'attached' });
    expect(await page.getByRole('alert').innerText()).toContain('/api/dashboard answered 503');
    expect(await page.getByRole('alert').innerText()).toContain('store unavailable');
    await page.close();
  });
});
