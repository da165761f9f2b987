/**
 * Bundles the receiver Lambda the way the deployment does, from the same settings (lib/lambda-bundling.ts),
 * into a directory laid out like the deployment package: the bundle at `lambdas/receiver/index.mjs` and
 * nothing else. The bundle is self-contained (its data files are compiled in), so a cold start that loads it
 * from this directory also proves that nothing has to ship beside it.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Metafile } from 'esbuild';
import { RECEIVER_BUNDLE } from '../../lib/lambda-bundling.ts';

export const BUNDLE_PATH = 'lambdas/receiver/index.mjs';

export interface BundleVariant {
  readonly name: string;
  /** RECEIVER_BUNDLE.external, or SDK_EXTERNAL to rely on the Lambda runtime's own copy of the AWS SDK v3. */
  readonly external: readonly string[];
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
 * Builds one variant into `dir`; for an SDK-external variant, links the repository's node_modules as a
 * stand-in for the runtime's own copy of the SDK. `entrySource`, TypeScript resolved from the repository
 * root, replaces RECEIVER_BUNDLE.entry: the benchmark times parts of the receiver that way.
 */
export async function bundleReceiver(root: string, dir: string, variant: BundleVariant, entrySource?: string): Promise<BundleResult> {
  const outfile = join(dir, BUNDLE_PATH);
  const { entry, banner, mainFields, loader, ...options } = RECEIVER_BUNDLE;
  const result = await build({
    ...options,
    absWorkingDir: root,
    ...(entrySource === undefined ? { entryPoints: [join(root, entry)] } : { stdin: { contents: entrySource, resolveDir: root, loader: 'ts' } }),
    outfile,
    bundle: true,
    mainFields: [...mainFields],
    loader: { ...loader },
    external: [...variant.external],
    ...(variant.requireBanner ? { banner: { js: banner } } : {}),
    metafile: true,
    write: false,
    logLevel: 'error',
  });
  const output = result.outputFiles.find((file) => file.path === outfile);
  if (output === undefined) throw new Error(`esbuild produced no ${BUNDLE_PATH}`);
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(outfile, output.contents);
  if (variant.external.length > 0) symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return {
    variant,
    dir,
    bytes: output.contents.byteLength,
    gzipBytes: gzipSync(output.contents, { level: 9 }).byteLength,
    byPackage: sizesByPackage(result.metafile),
  };
}
