/**
 * How the receiver Lambda is bundled, as plain data with no aws-cdk-lib import: the CDK NodejsFunction and
 * `npm run bench` (bin/bench/receiver-bundle.ts) both build from these constants, so the bundle that is
 * measured is the bundle that is deployed. Field names follow esbuild's options.
 */
export const RECEIVER_BUNDLE = {
  entry: 'lambdas/receiver/lambda.ts',
  format: 'esm',
  platform: 'node',
  target: 'node22',
  minify: true,
  sourcemap: false,
  // The AWS SDK's ES-module builds (dist-es) let esbuild drop the commands and shapes the receiver never uses;
  // the default order for platform node picks their CommonJS builds, which esbuild cannot tree-shake.
  mainFields: ['module', 'main'],
  // esbuild's ESM output cannot require() the Node built-ins that bundled CommonJS code asks for; this gives it a require.
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  // Nothing: the SDK is bundled (tree-shaken, one file, faster to load than the runtime's copy); see SDK_EXTERNAL.
  external: [] as string[],
  // JSON imports (the OTLP descriptor, the canonical schema, the price overrides) are compiled into the bundle,
  // so it is self-contained: no file has to ship beside it.
  loader: { '.json': 'json' },
} as const;

/** The alternative `external`: leave the AWS SDK v3 to the copy the Lambda Node.js 22 runtime ships. */
export const SDK_EXTERNAL: readonly string[] = ['@aws-sdk/*'];
