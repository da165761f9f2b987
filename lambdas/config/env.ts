/** A non-empty environment variable, trimmed, or null. */
export function envValue(env: NodeJS.ProcessEnv, name: string): string | null {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? null : value;
}

/**
 * A setting that must be there, trimmed; `fail` turns "environment variable X is required" into the caller's
 * own error type, so each entry point reports a missing setting the way its callers catch it.
 */
export function requiredEnv(env: NodeJS.ProcessEnv, name: string, fail: (message: string) => Error): string {
  const value = envValue(env, name);
  if (value === null) throw fail(`environment variable ${name} is required`);
  return value;
}
