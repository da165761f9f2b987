/**
 * Bundles the receiver Lambda the way a deployment would (esbuild, ESM, node22, minified) into a directory
 * laid out like the deployment package: the bundle at `lambdas/receiver/index.mjs` and the data files it
 * reads beside it under `schemas/`. Bundled, every module's `import.meta.url` is the bundle's URL; the bundle
 * sits two directories deep, as lambdas/otlp, lambdas/pricing and lambdas/records do, so their
 * `new URL('../../schemas/…', import.meta.url)` lands on the copied `schemas/`.
 */
import { copyFileSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Metafile } from 'esbuild';

export const ENTRY = 'lambdas/receiver/lambda.ts';
export const BUNDLE_PATH = 'lambdas/receiver/index.mjs';

/**
 * esbuild turns a CommonJS dependency's `require('node:https')` into a call that throws in an ES module, which
 * has no `require`. This banner gives the bundle one — the usual fix for ESM Lambda bundles (CDK NodejsFunction
 * leaves it to the user). It is a bundler option, not a change to lambdas/.
 */
const REQUIRE_BANNER = "import{createRequire as __seatmeterRequire}from'node:module';const require=__seatmeterRequire(import.meta.url);";

export interface BundleVariant {
  readonly name: string;
  /** The Lambda Node.js 22 runtime ships the AWS SDK v3; marking it external relies on that copy. */
  readonly sdkExternal: boolean;
  readonly requireBanner: boolean;
}

export interface BundleResult {
  readonly variant: BundleVariant;
  /** The directory laid out like the deployment package. */
  readonly dir: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Bytes in the output per npm package ('app' for the repository's own code), largest first. */
  readonly byPackage: readonly (readonly [name: string, bytes: number])[];
}

/** The data files the receiver reads at run time, relative to the repository root (see the module doc). */
export function shippedFiles(root: string): string[] {
  const protos = (readdirSync(join(root, 'schemas/otlp'), { recursive: true }) as string[])
    .filter((file) => file.endsWith('.proto'))
    .map((file) => join('schemas/otlp', file));
  return [...protos.sort(), 'schemas/price-overrides.json', 'schemas/canonical-records.json'];
}

export function totalBytes(root: string, files: readonly string[]): number {
  return files.reduce((sum, file) => sum + statSync(join(root, file)).size, 0);
}

function packageOf(inputPath: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(inputPath);
  return match?.[1] ?? 'app';
}

function sizesByPackage(metafile: Metafile): [string, number][] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const name = packageOf(path);
      totals.set(name, (totals.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/**
 * Builds one variant into `dir`, copies the shipped files beside it, and for an SDK-external variant links
 * the repository's node_modules as a stand-in for the runtime's own copy of the SDK.
 */
export async function bundleReceiver(root: string, dir: string, variant: BundleVariant, files: readonly string[]): Promise<BundleResult> {
  const outfile = join(dir, BUNDLE_PATH);
  const result = await build({
    absWorkingDir: root,
    entryPoints: [join(root, ENTRY)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify: true,
    external: variant.sdkExternal ? ['@aws-sdk/*'] : [],
    ...(variant.requireBanner ? { banner: { js: REQUIRE_BANNER } } : {}),
    metafile: true,
    write: false,
    logLevel: 'error',
  });
  const output = result.outputFiles.find((file) => file.path === outfile);
  if (output === undefined) throw new Error(`esbuild produced no ${BUNDLE_PATH}`);
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(outfile, output.contents);
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(root, file), join(dir, file));
  }
  if (variant.sdkExternal) symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return {
    variant,
    dir,
    bytes: output.contents.byteLength,
    gzipBytes: gzipSync(output.contents, { level: 9 }).byteLength,
    byPackage: sizesByPackage(result.metafile),
  };
}
