export type Partner = 'Anthropic' | 'GitHub' | 'Okta';

/**
 * A partner API could not be read completely: refused credentials, retries exhausted, a body that is not the
 * documented shape, a pagination cursor that loops. The rollup must fail the day rather than use part of it.
 */
export class PartnerApiError extends Error {
  override readonly name = 'PartnerApiError';
  readonly partner: Partner;
  /** The HTTP status of the answer that decided the failure; null when there was none (network, bad body). */
  readonly status: number | null;

  constructor(partner: Partner, status: number | null, message: string, options?: { cause?: unknown }) {
    super(`${partner}: ${message}`, options);
    this.partner = partner;
    this.status = status;
  }
}

/** The rollup was not told how to reach a partner, or what it was told cannot work; the message says what to set. */
export class PartnerConfigError extends Error {
  override readonly name = 'PartnerConfigError';
}
