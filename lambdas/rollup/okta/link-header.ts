/**
 * The `rel="next"` target of a `Link` header (RFC 8288), as Okta pages its lists. Several Link headers arrive
 * joined by ", ", and a link may carry other parameters or several relation types.
 */
export function nextLink(header: string | null): string | null {
  if (header === null) return null;
  for (const match of header.matchAll(/<([^>]*)>([^<]*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(match[2] ?? '');
    const types = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (types.includes('next')) return match[1] ?? null;
  }
  return null;
}
