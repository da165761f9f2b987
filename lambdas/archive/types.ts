import type { Signal } from '../otlp/types.ts';

/** One accepted OTLP export, kept so `seatmeter replay` can run it through the pipeline again. */
export interface ArchiveEntry {
  /** As received (still compressed if the client compressed it), or redacted of prompt text by the receiver. */
  readonly body: Uint8Array;
  readonly contentType: string;
  readonly contentEncoding: string | undefined;
  readonly signal: Signal;
  /** The credential that authenticated the export; null when the receiver runs without authentication. */
  readonly credentialId: string | null;
  readonly receivedAtMs: number;
  readonly requestId: string;
}

export interface ArchivedRequest extends ArchiveEntry {
  readonly key: string;
}

/**
 * Raw request archive. Every accepted body is `put` before the receiver answers 200, so a failed put must
 * propagate (the receiver then answers 503 and the client retries).
 */
export interface RawArchive {
  /** Stores the entry and resolves to its key. */
  put(entry: ArchiveEntry): Promise<string>;
  /** Entries received in [fromMs, toMs), in key order, which is time order. */
  list(fromMs: number, toMs: number): AsyncIterable<ArchivedRequest>;
}
