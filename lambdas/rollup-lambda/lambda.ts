/**
 * The rollup Lambda's entry point, run daily by EventBridge Scheduler. Clients are created once per
 * container, at module scope, so Timestream's discovered endpoint and the cached credentials are reused.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { metricsNamespaceFrom } from '../metrics/namespace.ts';
import { defaultPriceBook } from '../pricing/default-price-book.ts';
import { dayUsageSourceFor } from '../ingest-ports/store-settings.ts';
import { rollupConfigFrom } from './lambda-config.ts';
import { createRollupHandler } from './lambda-handler.ts';
import type { RollupEvent } from './lambda-handler.ts';
import { S3RollupOutput } from '../rollup/output/s3-output.ts';
import { rollupPartnersFrom } from '../rollup/partners.ts';
import type { DaySummary } from '../rollup/rollup.ts';
import { rollupRunDocument } from './run-metrics.ts';

const config = rollupConfigFrom(process.env);
const metricsNamespace = metricsNamespaceFrom(process.env);

const rollup = createRollupHandler({
  ports: {
    usage: dayUsageSourceFor(config.store),
    output: new S3RollupOutput({ client: new S3Client({}), bucket: config.teamBucket, prefix: config.teamPrefix }),
    pricer: defaultPriceBook(),
  },
  // The team rule and the partners' credentials come from the environment too (SEATMETER_TEAM_GROUPS, secret ids).
  partners: rollupPartnersFrom(process.env, undefined),
  // One JSON line per day: what was written, for the log and for metric filters.
  log: (summary) => process.stdout.write(`${JSON.stringify({ message: 'rollup day written', ...summary })}\n`),
  // Straight to stdout, as the receiver does: under Lambda's JSON log format console.log would wrap the EMF line.
  report: (run) => process.stdout.write(`${JSON.stringify(rollupRunDocument(run, Date.now(), metricsNamespace))}\n`),
});

export async function handler(event: RollupEvent): Promise<DaySummary[]> {
  return rollup(event);
}
