/** A read-back asked for a session id that could not have come from doctor: answered 400, never queried. */
export class ProbeSessionIdError extends Error {
  override readonly name = 'ProbeSessionIdError';

  constructor() {
    super('a probe session id is 1 to 64 characters of A-Z, a-z, 0-9 and -');
  }
}
