export type TomlValue = string | boolean | { readonly [key: string]: TomlValue };

/** A TOML basic string: quote and backslash escaped, control characters as \uXXXX. */
export function tomlString(value: string): string {
  let quoted = '"';
  for (const character of value) {
    const code = character.codePointAt(0) ?? 0;
    if (character === '"' || character === '\\') quoted += `\\${character}`;
    else if (code < 0x20 || code === 0x7f) quoted += `\\u${code.toString(16).padStart(4, '0')}`;
    else quoted += character;
  }
  return `${quoted}"`;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

function tomlKey(key: string): string {
  return BARE_KEY.test(key) ? key : tomlString(key);
}

/** A value as it appears right of `=`, objects as inline tables. */
export function tomlInline(value: TomlValue): string {
  if (typeof value === 'string') return tomlString(value);
  if (typeof value === 'boolean') return String(value);
  const entries = Object.entries(value).map(([key, inner]) => `${tomlKey(key)} = ${tomlInline(inner)}`);
  return `{ ${entries.join(', ')} }`;
}
