import { fileURLToPath } from 'node:url';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RECEIVER_BUNDLE } from './lambda-bundling.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The plain esbuild settings of lib/lambda-bundling.ts, which the receiver was measured with, serve every
 * function. The type holds them to what the mapping below assumes: NodejsFunction always bundles for node, and
 * names its ESM output `index.mjs`.
 */
const ESBUILD: typeof RECEIVER_BUNDLE & { readonly format: 'esm'; readonly platform: 'node' } = RECEIVER_BUNDLE;

export type FunctionPackage = Required<Pick<NodejsFunctionProps, 'entry' | 'projectRoot' | 'depsLockFilePath' | 'handler' | 'bundling'>>;

/**
 * How a seatmeter Lambda's handler module becomes its deployment package, for every function of the stack: the
 * one place to change when the packaging changes. The runtime embeds its data files (the OTLP descriptor, the
 * record schema, the price overrides are JSON imports), so the package is the one bundle, `index.mjs`.
 *
 * @param entry the handler module, relative to the repository root: `lambdas/<name>/lambda.ts`, exporting `handler`
 */
export function functionPackage(entry: string): FunctionPackage {
  return {
    entry: `${REPO_ROOT}${entry}`,
    projectRoot: REPO_ROOT,
    depsLockFilePath: `${REPO_ROOT}package-lock.json`,
    handler: 'index.handler',
    bundling: {
      format: OutputFormat.ESM,
      target: ESBUILD.target,
      minify: ESBUILD.minify,
      sourceMap: ESBUILD.sourcemap,
      mainFields: [...ESBUILD.mainFields],
      banner: ESBUILD.banner,
      externalModules: [...ESBUILD.external],
      loader: { ...ESBUILD.loader },
      // The repository's esbuild, never a Docker image: synth works offline and without Docker.
      forceDockerBundling: false,
    },
  };
}
