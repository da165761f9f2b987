/** 2^27 bits (16 MiB): about 1 % false positives at 14 million ids, and still exact beyond (see SeenIds). */
const DEFAULT_BITS_LOG2 = 27;
/** Record ids are 32 hex digits (128 bits of SHA-256): four 32-bit slices give four independent positions. */
const SLICES = 4;

/**
 * A Bloom filter over record ids: "never seen" is certain, "maybe seen" is asked of the database. Almost
 * every record of a live export is new, so this keeps an index lookup off the ingest path without holding
 * every id in memory; its size is fixed whatever the store grows to, and a fuller filter only means more
 * lookups, never a wrong answer.
 */
export class SeenIds {
  readonly #bits: Uint8Array;
  readonly #mask: number;

  constructor(bitsLog2: number = DEFAULT_BITS_LOG2) {
    this.#bits = new Uint8Array(2 ** (bitsLog2 - 3));
    this.#mask = 2 ** bitsLog2 - 1;
  }

  add(id: string): void {
    for (let slice = 0; slice < SLICES; slice += 1) {
      const position = this.#position(id, slice);
      this.#bits[position >>> 3] = (this.#bits[position >>> 3] ?? 0) | (1 << (position & 7));
    }
  }

  mightContain(id: string): boolean {
    for (let slice = 0; slice < SLICES; slice += 1) {
      const position = this.#position(id, slice);
      if (((this.#bits[position >>> 3] ?? 0) & (1 << (position & 7))) === 0) return false;
    }
    return true;
  }

  /** Bits from one 8-digit slice of a hex id; an id of another shape (a test's "u1") is hashed by its characters. */
  #position(id: string, slice: number): number {
    const hex = id.length === 32 ? Number.parseInt(id.slice(slice * 8, slice * 8 + 8), 16) : Number.NaN;
    if (!Number.isNaN(hex)) return hex & this.#mask;
    let hash = 2166136261 ^ slice;
    for (let i = 0; i < id.length; i += 1) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619);
    return (hash >>> 0) & this.#mask;
  }
}
