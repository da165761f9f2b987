/** An HTTP answer with a JSON body, and the line it leaves in the log. */
export interface JsonAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  readonly summary: string;
}

export function jsonAnswer(status: number, value: unknown, summary: string, headers: Readonly<Record<string, string>> = {}): JsonAnswer {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: new TextEncoder().encode(JSON.stringify(value)), summary };
}
