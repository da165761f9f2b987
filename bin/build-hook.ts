// Builds the command hook into one self-contained file, the one `seatmeter client-config` points the clients'
// hooks at: `npm run build:hook` (and `npm ci`) writes dist/seatmeter-hook.cjs. CommonJS because it starts a few
// milliseconds sooner than an ES module, on every tool call.
import { build } from 'esbuild';

const outfile = process.argv[2] ?? 'dist/seatmeter-hook.cjs';
await build({
  entryPoints: [new URL('hook.ts', import.meta.url).pathname],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  banner: { js: '#!/usr/bin/env node' },
});
process.stdout.write(`${outfile}\n`);
