/** An ingest credential: what a client presents, and who it speaks for when it is bound to someone. */
export interface IngestCredential {
  /** Stable, non-secret name: it is logged and archived instead of the secret. */
  readonly id: string;
  readonly secret: string;
  /**
   * When set, records sent with this credential are stamped with this user, whatever the payload says:
   * Claude Code with an API key, Bedrock or Vertex, and Codex by default, send no `user.email`.
   */
  readonly userEmail?: string;
}

/** Where the valid credentials come from (Secrets Manager in AWS). Several are valid at once for rotation. */
export interface CredentialSource {
  credentials(): Promise<readonly IngestCredential[]>;
}

export class CredentialSourceError extends Error {
  override readonly name = 'CredentialSourceError';
}
