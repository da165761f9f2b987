import type { PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';

/**
 * What a function needs of the record store the stack deployed (`seatmeter:store`): its settings and the
 * statements of its role, for the receiver (which writes, and reads doctor's probe back) and for readers (the
 * rollup). Each store answers for itself, so the functions know neither Timestream nor the lake.
 */
export interface RecordStoreResources {
  /** SEATMETER_STORE and that store's settings (lambdas/ingest-ports/store-settings.ts). */
  readonly writerEnvironment: Readonly<Record<string, string>>;
  readonly readerEnvironment: Readonly<Record<string, string>>;
  readonly writerStatements: readonly PolicyStatement[];
  readonly readerStatements: readonly PolicyStatement[];
  /** Acknowledges for cdk-nag the wildcards its statements need on `role`, each with why. */
  acknowledgeWildcards(role: Role, writer: boolean): void;
  /** Stack outputs: what an operator needs to query or replay into it. */
  readonly outputs: readonly (readonly [id: string, value: string, description: string])[];
}
