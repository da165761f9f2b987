import { isIP } from 'node:net';

/** Loopback names and addresses: `localhost` and its subdomains, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  return name === '::1' || name === '0:0:0:0:0:0:0:1';
}

/** The host part of a Host header: `[::1]:4318` → `[::1]`, `localhost:4318` → `localhost`. */
function hostName(header: string): string {
  if (header.startsWith('[')) {
    const end = header.indexOf(']');
    return end === -1 ? header : header.slice(0, end + 1);
  }
  const colon = header.lastIndexOf(':');
  return colon === -1 ? header : header.slice(0, colon);
}

/**
 * Whether a tokenless server answers a request with this Host header: loopback names, or the address it is
 * bound to. A rebinding attack reaches the server under the attacker's own name, which this refuses.
 */
export function hostAllowed(header: string | undefined, boundAddress: string): boolean {
  if (header === undefined) return false;
  const name = hostName(header.trim());
  if (isLoopbackHost(name)) return true;
  return name.toLowerCase().replace(/^\[(.*)\]$/, '$1') === boundAddress.toLowerCase();
}

/** The request target as a URL, or null for a target that is not a path. */
export function requestUrl(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}
