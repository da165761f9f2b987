/**
 * The store did not take a write, or took only part of it: nothing of it may be acknowledged, and the client
 * should send the same data again (the receiver answers 503 with Retry-After). Stored records are idempotent,
 * so a resend of what did get stored changes nothing.
 */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';

  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The store refused a read for a reason no retry fixes (access denied, a missing table): the caller says so
 * with the store's error name, which points the operator at the cause.
 */
export class StorageRefusedError extends Error {
  override readonly name = 'StorageRefusedError';

  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
  }
}
