import { Duration } from 'aws-cdk-lib';
import { Bucket, StorageClass } from 'aws-cdk-lib/aws-s3';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DEFAULT_ARCHIVE_PREFIX } from '../lambdas/archive/key-layout.ts';
import { secureBucketProps } from './bucket-defaults.ts';

export interface ArchiveBucketProps {
  readonly accessLogs: IBucket;
  /** Days before archived exports move to Glacier Instant Retrieval. */
  readonly coldAfterDays: number;
}

/**
 * The raw archive: every stored export, prompt text removed, under `raw/` — what `seatmeter replay` rebuilds
 * the store from, so it outlives the stack. Glacier Instant Retrieval rather than Flexible Retrieval keeps
 * replay working on old days without a restore step.
 */
export class ArchiveBucket extends Construct {
  readonly bucket: Bucket;
  /** The key prefix the receiver writes under. */
  readonly rawPrefix = DEFAULT_ARCHIVE_PREFIX;

  constructor(scope: Construct, id: string, props: ArchiveBucketProps) {
    super(scope, id);
    this.bucket = new Bucket(
      this,
      'Bucket',
      secureBucketProps({
        serverAccessLogsBucket: props.accessLogs,
        serverAccessLogsPrefix: 'archive/',
        lifecycleRules: [
          {
            id: 'raw-to-glacier-instant-retrieval',
            prefix: this.rawPrefix,
            transitions: [{ storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(props.coldAfterDays) }],
          },
          { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        ],
      }),
    );
  }
}
