import type { AttributeValue, Attributes, ResourceItems } from './types.ts';

/** Order-independent text form of attributes, the basis of series keys and record identities. */
export function canonicalAttributes(attrs: Attributes, omit?: string): string {
  const keys = Object.keys(attrs).sort();
  let out = '';
  for (const key of keys) {
    if (key === omit) continue;
    const value = attrs[key] ?? null;
    // Strings are nearly every attribute; writing them directly spares a call on the ingest hot path.
    out += typeof value === 'string' ? `${key}=s:${value};` : `${key}=${canonicalValue(value)};`;
  }
  return out;
}

function canonicalValue(value: AttributeValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `s:${value}`;
  if (value instanceof Uint8Array) return `b:${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) return `[${value.map(canonicalValue).join(',')}]`;
  if (typeof value === 'object') return `{${canonicalAttributes(value)}}`;
  return `${typeof value}:${String(value)}`;
}

/** Resource + scope in canonical text form: the prefix of every series key and record id. */
export function scopeOrigin(resource: ResourceItems<unknown>, scopeName: string, scopeVersion: string): string {
  return `${canonicalAttributes(resource.resource.attributes)}|${scopeName}@${scopeVersion}`;
}
