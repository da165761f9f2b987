import { fileURLToPath } from 'node:url';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RECEIVER_BUNDLE } from './lambda-bundling.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The plain esbuild settings of lib/lambda-bundling.ts, which the receiver was measured with, serve every
 * function. The type holds them to what the mapping below assumes: NodejsFunction always bundles for node, and
 * the layout step moves `index.mjs`, its name for ESM output.
 */
const ESBUILD: typeof RECEIVER_BUNDLE & { readonly format: 'esm'; readonly platform: 'node' } = RECEIVER_BUNDLE;

export type FunctionPackage = Required<Pick<NodejsFunctionProps, 'entry' | 'projectRoot' | 'depsLockFilePath' | 'handler' | 'bundling'>>;

/**
 * How a seatmeter Lambda's handler module becomes its deployment package, for every function of the stack: the
 * one place to change when the packaging changes.
 *
 * Until the runtime embeds its data files, it reads `new URL('../../schemas/…', import.meta.url)`: bundled, that
 * URL is the bundle's own, so the bundle sits where its entry does (`lambdas/<name>/index.mjs`, two directories
 * deep as every module under lambdas/ is) with `schemas/` copied beside them at the package root.
 *
 * @param entry the handler module, relative to the repository root: `lambdas/<name>/lambda.ts`, exporting `handler`
 */
export function functionPackage(entry: string): FunctionPackage {
  const bundleDir = entry.slice(0, entry.lastIndexOf('/'));
  return {
    entry: `${REPO_ROOT}${entry}`,
    projectRoot: REPO_ROOT,
    depsLockFilePath: `${REPO_ROOT}package-lock.json`,
    handler: `${bundleDir}/index.handler`,
    bundling: {
      format: OutputFormat.ESM,
      target: ESBUILD.target,
      minify: ESBUILD.minify,
      sourceMap: ESBUILD.sourcemap,
      mainFields: [...ESBUILD.mainFields],
      banner: ESBUILD.banner,
      externalModules: [...ESBUILD.external],
      // The repository's esbuild, never a Docker image: synth works offline and without Docker.
      forceDockerBundling: false,
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (inputDir, outputDir) => [
          `mkdir -p "${outputDir}/${bundleDir}"`,
          `mv "${outputDir}/index.mjs" "${outputDir}/${bundleDir}/index.mjs"`,
          `cp -R "${inputDir}/schemas" "${outputDir}/schemas"`,
        ],
      },
    },
  };
}
