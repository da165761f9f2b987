import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LedgerSpendSource } from '../../lambdas/budgets/ledger/ledger-spend-source.ts';
import type { BudgetApiServices } from '../../lambdas/local/budget-api.ts';
import { DynamoDbAlertLedger } from '../../lambdas/store/dynamodb/alert-ledger.ts';
import { DynamoDbBudgetBook } from '../../lambdas/store/dynamodb/budget-book.ts';
import { DynamoDbLedgerTable } from '../../lambdas/store/dynamodb/ledger-table.ts';

/**
 * The deployed stack's budgets, for `seatmeter budget --table`: its book and alerts, and spend from the ledger
 * itself (exact to the minute, not the standings decisions read). Loaded only when --table is given, so the
 * local commands never load the AWS SDK.
 */
export function deployedBudgetServices(tableName: string): BudgetApiServices {
  const client = new DynamoDBClient({});
  return {
    book: new DynamoDbBudgetBook({ client, tableName }),
    alerts: new DynamoDbAlertLedger({ client, tableName }),
    spends: new LedgerSpendSource(new DynamoDbLedgerTable({ client, tableName })),
    now: Date.now,
  };
}
