/**
 * The page is plain JavaScript served as-is, typed with JSDoc against the API contract
 * (lambdas/report/dashboard-types.ts): type-checking it is what catches the page and the server drifting apart.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// The package's exports hide bin/, so find it beside package.json.
const TSC = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
const CONFIG = fileURLToPath(new URL('./tsconfig.page.json', import.meta.url));

it('type-checks the dashboard page against the DashboardData contract', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [TSC, '-p', CONFIG]);
  expect(stdout).toBe('');
}, 60_000);
