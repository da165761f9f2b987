import { PartnerApiError } from './partner-errors.ts';
import type { Partner } from './partner-errors.ts';

/**
 * The `rel="next"` target of a `Link` header (RFC 8288), as Okta and GitHub page their lists. Several Link headers arrive
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

/**
 * The pages of one list, first to last along `rel="next"`: only on the first page's origin, so credentials
 * never leave for another host, and never to a page already read, so a looping list ends in an error.
 */
export class NextPages {
  readonly #visited = new Set<string>();
  readonly #origin: string;

  constructor(
    private readonly partner: Partner,
    private readonly label: string,
    first: string,
  ) {
    this.#origin = new URL(first).origin;
    this.#visited.add(new URL(first).href);
  }

  /** The next page's URL from a `Link` header, or null after the last page. */
  next(header: string | null): string | null {
    const link = nextLink(header);
    if (link === null) return null;
    let url: URL;
    try {
      url = new URL(link, this.#origin);
    } catch {
      throw new PartnerApiError(this.partner, 200, `${this.label} gave a next link that is not a URL: "${link}"`);
    }
    if (url.origin !== this.#origin) {
      throw new PartnerApiError(this.partner, 200, `${this.label} gave a next link to another host (${url.origin}); refused to send credentials there`);
    }
    if (this.#visited.has(url.href)) throw new PartnerApiError(this.partner, 200, `${this.label} links back to a page already read; stopped a pagination loop`);
    this.#visited.add(url.href);
    return url.href;
  }
}
