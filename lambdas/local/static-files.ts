import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const PAGE_DIR = fileURLToPath(new URL('../../dashboards/local/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

export interface FileAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

const notFound = (): FileAnswer => ({ status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: new TextEncoder().encode('not found\n') });

/** `/` is the dashboard page, `/static/<file>` its assets; nothing outside dashboards/local/ is reachable. */
export async function serveDashboardFile(pathname: string): Promise<FileAnswer> {
  let relative: string;
  if (pathname === '/' || pathname === '/index.html') relative = 'index.html';
  else if (pathname.startsWith('/static/')) {
    try {
      relative = decodeURIComponent(pathname.slice('/static/'.length));
    } catch {
      // A malformed escape (`%`, a cut UTF-8 sequence) names no file.
      return notFound();
    }
  } else return notFound();
  const path = normalize(join(PAGE_DIR, relative));
  const type = TYPES[extname(path)];
  if (!path.startsWith(PAGE_DIR) || path.endsWith(sep) || type === undefined) return notFound();
  try {
    return { status: 200, headers: { 'content-type': type, 'cache-control': 'no-cache' }, body: await readFile(path) };
  } catch {
    return notFound();
  }
}
