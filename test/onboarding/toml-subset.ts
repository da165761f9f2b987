/**
 * Reads the TOML that `seatmeter client-config codex` writes: comments, `[table]` and `[[array.of.tables]]`
 * headers (the n-th one named `name[n]`), top-level keys (table ''), and `key = value` lines whose values are
 * basic strings, booleans, integers or inline tables. Anything else throws, so a stray character in the
 * generated text fails the test instead of being skipped.
 */
type Value = string | boolean | number | { [key: string]: Value };

class Reader {
  private at = 0;
  constructor(private readonly text: string) {}

  done(): boolean {
    this.spaces();
    return this.at >= this.text.length;
  }

  private spaces(): void {
    while (this.text[this.at] === ' ') this.at += 1;
  }

  private expect(character: string): void {
    this.spaces();
    if (this.text[this.at] !== character) throw new Error(`expected ${character} at ${this.at} in ${this.text}`);
    this.at += 1;
  }

  key(): string {
    this.spaces();
    if (this.text[this.at] === '"') return this.string();
    const bare = /^[A-Za-z0-9_-]+/.exec(this.text.slice(this.at));
    if (bare === null) throw new Error(`expected a key at ${this.at} in ${this.text}`);
    this.at += bare[0].length;
    return bare[0];
  }

  private string(): string {
    this.expect('"');
    let out = '';
    for (;;) {
      const character = this.text[this.at];
      if (character === undefined) throw new Error(`unterminated string in ${this.text}`);
      this.at += 1;
      if (character === '"') return out;
      if (character !== '\\') {
        out += character;
        continue;
      }
      const escape = this.text[this.at];
      this.at += 1;
      if (escape === '"' || escape === '\\') out += escape;
      else if (escape === 'u') {
        out += String.fromCharCode(Number.parseInt(this.text.slice(this.at, this.at + 4), 16));
        this.at += 4;
      } else throw new Error(`unsupported escape \\${escape}`);
    }
  }

  value(): Value {
    this.spaces();
    const rest = this.text.slice(this.at);
    if (rest.startsWith('"')) return this.string();
    const integer = /^-?\d+/.exec(rest);
    if (integer !== null) {
      this.at += integer[0].length;
      return Number(integer[0]);
    }
    if (rest.startsWith('true') || rest.startsWith('false')) {
      const word = rest.startsWith('true');
      this.at += word ? 4 : 5;
      return word;
    }
    this.expect('{');
    const table: { [key: string]: Value } = {};
    for (;;) {
      const key = this.key();
      this.expect('=');
      table[key] = this.value();
      this.spaces();
      if (this.text[this.at] === '}') {
        this.at += 1;
        return table;
      }
      this.expect(',');
    }
  }

  assignment(): [string, Value] {
    const key = this.key();
    this.expect('=');
    return [key, this.value()];
  }
}

export function parseTomlSubset(text: string): { [table: string]: { [key: string]: Value } } {
  const tables: { [table: string]: { [key: string]: Value } } = {};
  let current: { [key: string]: Value } | undefined;
  const arrays = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const arrayHeader = /^\[\[([A-Za-z0-9_.-]+)\]\]$/.exec(line);
    if (arrayHeader?.[1] !== undefined) {
      const index = arrays.get(arrayHeader[1]) ?? 0;
      arrays.set(arrayHeader[1], index + 1);
      current = {};
      tables[`${arrayHeader[1]}[${index}]`] = current;
      continue;
    }
    const header = /^\[([A-Za-z0-9_.-]+)\]$/.exec(line);
    if (header?.[1] !== undefined) {
      current = {};
      tables[header[1]] = current;
      continue;
    }
    if (current === undefined) {
      current = {};
      tables[''] = current;
    }
    const reader = new Reader(line);
    const [key, value] = reader.assignment();
    if (!reader.done()) throw new Error(`trailing text: ${line}`);
    if (key in current) throw new Error(`duplicate key ${key}`);
    current[key] = value;
  }
  return tables;
}
