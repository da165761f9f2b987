/**
 * One model name per model, whatever route the call took, so usage groups and prices by model:
 * `claude-opus-4-8[1m]` (context-window label) → `claude-opus-4-8`; `anthropic/…`, `models/…`,
 * Bedrock `us.anthropic.claude-…-v1:0` and Vertex `claude-…@20250929` → the bare model id.
 */
export function normalizeModelName(raw: string): string {
  let name = raw.trim().toLowerCase();
  name = name.replace(/\[[^\]]*\]$/, '');
  const slash = name.lastIndexOf('/');
  if (slash >= 0) name = name.slice(slash + 1);
  const bedrock = /^(?:(?:us|eu|apac|jp|au|us-gov|global)\.)?anthropic\.(.+?)(?:-v\d+(?::\d+)?)?$/.exec(name);
  if (bedrock?.[1] !== undefined) name = bedrock[1];
  const at = name.indexOf('@');
  if (at > 0) name = name.slice(0, at);
  return name;
}
