import { createHash, randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mapLimited } from '../../async/map-limited.ts';
import { dayOf } from '../../rollup/day.ts';
import { DAY_MS, MINUTE_MS, floorTo } from '../../budgets/ledger/ledger-cells.ts';
import type { LedgerCell, LedgerEntry } from '../../budgets/ledger/ledger-cells.ts';
import type { FoldState, LateMark, LedgerTable, PublishedStandings, SumUnit } from '../../budgets/ledger/ledger-table.ts';
import type { Spend } from '../../budgets/spend.ts';
import { queryPartition } from './query-pages.ts';
import type { Item } from './query-pages.ts';
import { expiresAt } from './series-state-item.ts';

export interface DynamoDbLedgerTableOptions {
  readonly client: DynamoDBClient;
  /** The budgets table: partition key `pk`, sort key `sk`, TTL attribute `expires_at`. */
  readonly tableName: string;
  readonly now?: () => number;
}

/** A month period plus the two hours the alert rules look back, with room: nothing older is read. */
export const LEDGER_TTL_DAYS = 40;
const PUT_CONCURRENCY = 8;

const minuteText = (ms: number): string => new Date(ms).toISOString().slice(0, 16);
/** Sorts after every `<minute>#…` key of the same minute: '~' is above every character of an email or a hash. */
const AFTER = '~';

/** An entry as a JSON row: [id, team, repo, tool, model, usd, tokens]. Cells are read whole, never filtered by DynamoDB. */
type EntryRow = [string, string | null, string | null, string, string, number | null, number];

function cellItem(cell: LedgerCell, expires: number): Item {
  const ids = [...cell.entries.keys()].sort();
  // The item key comes from the ids it holds: the same export written again is the same item.
  const digest = createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 16);
  const rows: EntryRow[] = ids.map((id) => {
    const entry = cell.entries.get(id) as LedgerEntry;
    return [id, entry.team, entry.repo, entry.tool, entry.model, entry.usd, entry.tokens];
  });
  return {
    pk: { S: `cell#${dayOf(cell.minuteMs)}` },
    sk: { S: `${minuteText(cell.minuteMs)}#${cell.user}#${digest}` },
    minute_ms: { N: String(cell.minuteMs) },
    user: { S: cell.user },
    entries: { S: JSON.stringify(rows) },
    expires_at: { N: String(expires) },
  };
}

function cellOf(item: Item): LedgerCell {
  const rows = JSON.parse(item.entries?.S ?? '[]') as EntryRow[];
  return {
    minuteMs: Number(item.minute_ms?.N),
    user: item.user?.S ?? '',
    entries: new Map(rows.map(([id, team, repo, tool, model, usd, tokens]) => [id, { team, repo, tool, model, usd, tokens }])),
  };
}

const SUM_PREFIX: Readonly<Record<SumUnit, string>> = { minute: 'm#', day: 'd#' };
const sumKey = (unit: SumUnit, ms: number): string => SUM_PREFIX[unit] + (unit === 'minute' ? minuteText(ms) : dayOf(ms));
const SUM_UNIT_MS: Readonly<Record<SumUnit, number>> = { minute: MINUTE_MS, day: DAY_MS };

const FOLD_KEY: Item = { pk: { S: 'fold' }, sk: { S: 'state' } };
const STANDINGS_KEY: Item = { pk: { S: 'fold' }, sk: { S: 'standings' } };

/**
 * The spend ledger in the budgets table. Items, all under one TTL:
 * - `cell#<UTC day>` / `<minute>#<user>#<digest of its ids>`: the usage records one export brought for that
 *   user and minute, as JSON (a put; about 1 write unit per export);
 * - `late` / `<minute>`: a minute written after the fold may have closed it, with a fresh token;
 * - `sum#<meter>` / `m#<minute>` and `d#<UTC day>`: the fold's sums;
 * - `fold` / `state`: how far the fold got, and the meters it keeps;
 * - `fold` / `standings`: each budget's spend as of the last alerts run, which decisions read.
 */
export class DynamoDbLedgerTable implements LedgerTable {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #now: () => number;

  constructor(options: DynamoDbLedgerTableOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#now = options.now ?? Date.now;
  }

  #expires(): number {
    return expiresAt(this.#now(), LEDGER_TTL_DAYS);
  }

  async #putAll(items: readonly Item[]): Promise<void> {
    await mapLimited(items, PUT_CONCURRENCY, (item) => this.#client.send(new PutItemCommand({ TableName: this.#tableName, Item: item })));
  }

  #query(pk: string, fromSk: string, toSk: string): Promise<Item[]> {
    return queryPartition(this.#client, this.#tableName, pk, { fromSk, toSk });
  }

  async putCells(cells: readonly LedgerCell[]): Promise<void> {
    const expires = this.#expires();
    await this.#putAll(cells.map((cell) => cellItem(cell, expires)));
  }

  async cells(fromMs: number, toMs: number): Promise<LedgerCell[]> {
    const cells: LedgerCell[] = [];
    const first = floorTo(fromMs, MINUTE_MS);
    for (let day = floorTo(first, DAY_MS); day < toMs; day += DAY_MS) {
      const last = Math.min(toMs, day + DAY_MS) - MINUTE_MS;
      if (last < first) continue;
      const items = await this.#query(`cell#${dayOf(day)}`, minuteText(Math.max(first, day)), minuteText(last) + AFTER);
      cells.push(...items.map(cellOf));
    }
    return cells;
  }

  async markLate(minutes: readonly number[]): Promise<void> {
    const expires = this.#expires();
    await this.#putAll(
      minutes.map((minute) => ({ pk: { S: 'late' }, sk: { S: minuteText(minute) }, minute_ms: { N: String(minute) }, token: { S: randomUUID() }, expires_at: { N: String(expires) } })),
    );
  }

  async lateMarks(): Promise<LateMark[]> {
    const items = await this.#query('late', '0', AFTER);
    return items.map((item) => ({ minuteMs: Number(item.minute_ms?.N), token: item.token?.S ?? '' }));
  }

  async clearLate(mark: LateMark): Promise<void> {
    try {
      await this.#client.send(
        new DeleteItemCommand({
          TableName: this.#tableName,
          Key: { pk: { S: 'late' }, sk: { S: minuteText(mark.minuteMs) } },
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': { S: mark.token } },
        }),
      );
    } catch (error) {
      // Marked again since it was read: the next fold sums the minute once more.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async putSums(meterKey: string, unit: SumUnit, sums: ReadonlyMap<number, Spend>): Promise<void> {
    const expires = this.#expires();
    await this.#putAll(
      [...sums].map(([start, spend]) => ({
        pk: { S: `sum#${meterKey}` },
        sk: { S: sumKey(unit, start) },
        start_ms: { N: String(start) },
        usd: { N: String(spend.usd) },
        tokens: { N: String(spend.tokens) },
        unpriced_tokens: { N: String(spend.unpricedTokens) },
        expires_at: { N: String(expires) },
      })),
    );
  }

  async sums(meterKey: string, unit: SumUnit, fromMs: number, toMs: number): Promise<Map<number, Spend>> {
    const sums = new Map<number, Spend>();
    const last = toMs - SUM_UNIT_MS[unit];
    if (last < fromMs) return sums;
    for (const item of await this.#query(`sum#${meterKey}`, sumKey(unit, fromMs), sumKey(unit, last))) {
      sums.set(Number(item.start_ms?.N), { usd: Number(item.usd?.N), tokens: Number(item.tokens?.N), unpricedTokens: Number(item.unpriced_tokens?.N) });
    }
    return sums;
  }

  async foldState(): Promise<FoldState | null> {
    const { Item: item } = await this.#client.send(new GetItemCommand({ TableName: this.#tableName, Key: FOLD_KEY, ConsistentRead: true }));
    if (item === undefined) return null;
    return { foldedThroughMs: Number(item.folded_through_ms?.N), meters: JSON.parse(item.meters?.S ?? '{}') as Record<string, number> };
  }

  async saveFoldState(state: FoldState): Promise<void> {
    // No TTL: losing it would only make the next run rebuild every meter's sums.
    await this.#client.send(
      new PutItemCommand({
        TableName: this.#tableName,
        Item: { ...FOLD_KEY, folded_through_ms: { N: String(state.foldedThroughMs) }, meters: { S: JSON.stringify(state.meters) } },
      }),
    );
  }

  async standings(): Promise<PublishedStandings | null> {
    // Eventually consistent: a decision may read the run before the last, a minute older at most.
    const { Item: item } = await this.#client.send(new GetItemCommand({ TableName: this.#tableName, Key: STANDINGS_KEY }));
    if (item === undefined) return null;
    return { asOfMs: Number(item.as_of_ms?.N), budgets: JSON.parse(item.budgets?.S ?? '{}') as PublishedStandings['budgets'] };
  }

  async publishStandings(standings: PublishedStandings): Promise<void> {
    await this.#client.send(
      new PutItemCommand({ TableName: this.#tableName, Item: { ...STANDINGS_KEY, as_of_ms: { N: String(standings.asOfMs) }, budgets: { S: JSON.stringify(standings.budgets) } } }),
    );
  }
}
