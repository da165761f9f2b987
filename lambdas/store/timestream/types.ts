import type { RecordKind } from '../../records/schema.ts';

/** Table of each record kind; a kind not named here is in the table named like the kind. */
export type TableNames = Partial<Readonly<Record<RecordKind, string>>>;

/** What each Timestream adapter is given: its client, where the records are, and the time it may take. */
export interface TimestreamTarget<Client> {
  /** Created once at module scope by the caller, so that the endpoint it discovered serves every invocation. */
  readonly client: Client;
  readonly databaseName: string;
  readonly tableNames?: TableNames;
  /** Epoch milliseconds. */
  readonly now?: () => number;
  /** Epoch milliseconds by which a call must have finished: the Lambda's remaining time less a margin. */
  readonly deadline?: () => number;
}
