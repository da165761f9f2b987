import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Whether the body arrived gzip-compressed, in which case it is archived as it came. */
function arrivedGzipped(contentEncoding: string | undefined): boolean {
  return /^\s*(x-)?gzip\s*$/i.test(contentEncoding ?? '');
}

function bytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** The bytes to store: always gzip, so the archive costs a fraction of the traffic. */
export async function storedBody(body: Uint8Array, contentEncoding: string | undefined): Promise<Uint8Array> {
  return arrivedGzipped(contentEncoding) ? body : bytes(await gzipAsync(body));
}

/** Undoes storedBody: the body exactly as it was received. */
export async function receivedBody(stored: Uint8Array, contentEncoding: string | undefined): Promise<Uint8Array> {
  return arrivedGzipped(contentEncoding) ? stored : bytes(await gunzipAsync(stored));
}
