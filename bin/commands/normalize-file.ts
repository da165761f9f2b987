import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ingestOtlp } from '../../lambdas/ingest/ingest.ts';
import { OtlpDecodeError } from '../../lambdas/otlp/errors.ts';
import { defaultPriceBook } from '../../lambdas/pricing/default-price-book.ts';
import { InMemoryRecordStore } from '../../lambdas/store/memory.ts';
import { InMemorySeriesStateStore } from '../../lambdas/temporality/series-state.ts';

const HELP = `usage: seatmeter normalize-file <body-file>... [--content-type TYPE] [--content-encoding gzip|deflate]

Runs captured OTLP request bodies through decode → normalize → price, in order, and prints the canonical
records as JSON lines on stdout and what was rejected or not metered on stderr. Nothing is stored.
  --content-type      application/x-protobuf (default for .bin files) or application/json (default for .json)
  --content-encoding  the body's Content-Encoding, if it is compressed`;

export const normalizeFileCommand = {
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        'content-type': { type: 'string' },
        'content-encoding': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help === true || positionals.length === 0) {
      process.stdout.write(`${HELP}\n`);
      return values.help === true ? 0 : 2;
    }
    const ports = { store: new InMemoryRecordStore(), state: new InMemorySeriesStateStore(), pricer: defaultPriceBook() };
    for (const file of positionals) {
      const contentType = values['content-type'] ?? (file.endsWith('.json') ? 'application/json' : 'application/x-protobuf');
      try {
        const report = await ingestOtlp({ body: await readFile(file), contentType, contentEncoding: values['content-encoding'] }, ports);
        for (const record of report.records) process.stdout.write(`${JSON.stringify(record)}\n`);
        const note = report.message === '' ? '' : ` — ${report.message}`;
        process.stderr.write(`${file}: ${report.signal} (${report.encoding}), ${report.items} items, ${report.records.length} records, ${report.rejected} rejected${note}\n`);
      } catch (error) {
        if (!(error instanceof OtlpDecodeError)) throw error;
        process.stderr.write(`${file}: ${error.message}\n`);
        return 1;
      }
    }
    return 0;
  },
};
