/** POSIX single-quoting: every character stays literal; a quote closes, is escaped, and reopens. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
