import { Duration, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { secureBucketProps } from './bucket-defaults.ts';

export interface AccessLogsBucketProps {
  /** Days the server access logs are kept, like every other log of the pipeline. */
  readonly retention: RetentionDays;
}

/** Receives the S3 server access logs of the pipeline's other buckets. */
export class AccessLogsBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: AccessLogsBucketProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', secureBucketProps({ lifecycleRules: [{ expiration: Duration.days(props.retention) }] }));
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log bucket itself; logging its own access would log every log delivery.',
    });
  }
}
