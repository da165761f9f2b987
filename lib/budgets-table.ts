import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/**
 * Budgets, grants, alert claims and the budgets' spend ledger, in one pk/sk table (the layout is in
 * lambdas/store/dynamodb/ledger-table.ts, budget-book.ts and alert-ledger.ts). On demand: writes follow
 * working hours. Ledger items expire through `expires_at`; budgets and grants are configuration, so the table
 * is backed up and kept when the stack is deleted.
 */
export class BudgetsTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      timeToLiveAttribute: 'expires_at',
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
