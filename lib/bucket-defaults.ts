import { RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { BucketProps } from 'aws-cdk-lib/aws-s3';

/**
 * Every seatmeter bucket's safe settings over the caller's props. They are spread last so no caller can turn
 * them off: encrypted at rest, HTTPS (TLS 1.2+) only, never public, no ACLs, kept when the stack is deleted.
 * S3-managed keys rather than KMS: server access logging can only deliver to SSE-S3 buckets, and nothing here
 * needs a key policy of its own.
 */
export function secureBucketProps(props: BucketProps): BucketProps {
  return {
    ...props,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}
