import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/**
 * The last cumulative value of every series, which turns cumulative exports into deltas
 * (lambdas/store/dynamodb/series-state-item.ts). On demand: traffic follows working hours. Items expire through
 * `expires_at` once a series goes quiet. Without it, the next snapshot of every live series would count in full
 * a second time, so it is backed up and kept when the stack is deleted.
 */
export class SeriesStateTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'series_key', type: AttributeType.STRING },
      timeToLiveAttribute: 'expires_at',
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
