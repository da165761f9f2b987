import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalCorruptError, RecordJournal, segmentsIn } from '../../../lambdas/store/duckdb/record-journal.ts';

const journalDir = () => join(mkdtempSync(join(tmpdir(), 'seatmeter-journal-')), 'journal');

describe('RecordJournal', () => {
  it('appends to one segment until sealed, then starts the next, and a reopened journal lists them oldest first', async () => {
    const dir = journalDir();
    const { journal, leftovers } = await RecordJournal.open(dir);
    expect(leftovers).toEqual([]);
    const first = await journal.append('{"id":"a"}\n');
    expect(await journal.append('{"id":"b"}\n')).toBe(first);
    expect(await journal.seal()).toBe(first);
    expect(await journal.seal()).toBeNull();
    const second = await journal.append('{"id":"c"}\n');
    expect([first, second].map((path) => path.slice(dir.length + 1))).toEqual(['000000000001.ndjson', '000000000002.ndjson']);
    expect(readFileSync(first, 'utf8')).toBe('{"id":"a"}\n{"id":"b"}\n');

    const reopened = await RecordJournal.open(dir);
    expect(reopened.leftovers).toEqual([first, second]);
    expect(await reopened.journal.append('{"id":"d"}\n')).toBe(join(dir, '000000000003.ndjson'));
  });

  it.each([
    ['a partial last line', '{"id":"c","input'],
    ['a last line the disk filled with zeros', '\0\0\0\0\0\0\0\0'],
    ['a last line without its newline', '{"id":"c"}'],
  ])('cuts %s back to the last complete record: that append was never acknowledged', async (_label, tail) => {
    const dir = journalDir();
    const { journal } = await RecordJournal.open(dir);
    const segment = await journal.append('{"id":"a"}\n{"id":"b"}\n');
    appendFileSync(segment, tail);
    const { leftovers } = await RecordJournal.open(dir);
    expect(leftovers).toEqual([segment]);
    expect(readFileSync(segment, 'utf8')).toBe('{"id":"a"}\n{"id":"b"}\n');
  });

  it('refuses to start on a segment damaged before its end, rather than drop acknowledged records', async () => {
    const dir = journalDir();
    const { journal } = await RecordJournal.open(dir);
    const segment = await journal.append('{"id":"a"}\n');
    writeFileSync(segment, '{"id":"a"}\n{"id":\n{"id":"c"}\n');
    await expect(RecordJournal.open(dir)).rejects.toThrow(JournalCorruptError);
    await expect(RecordJournal.open(dir)).rejects.toThrow(`journal segment ${segment} is damaged before its end (byte 11)`);
  });

  it('fails an append when the segment cannot be opened', async () => {
    const dir = journalDir();
    const { journal } = await RecordJournal.open(dir);
    // The next segment's name is taken by a folder.
    mkdirSync(join(dir, '000000000001.ndjson'));
    await expect(journal.append('{"id":"a"}\n')).rejects.toThrow('EISDIR');
  });

  it('fails an append the disk cannot take, and refuses the next ones when the partial write cannot be undone', async () => {
    const dir = journalDir();
    const { journal } = await RecordJournal.open(dir);
    // A segment on /dev/full: every write fails with ENOSPC, and a device cannot be truncated back.
    symlinkSync('/dev/full', join(dir, '000000000001.ndjson'));
    await expect(journal.append('{"id":"a"}\n')).rejects.toThrow('ENOSPC');
    await expect(journal.append('{"id":"b"}\n')).rejects.toThrow('the journal could not undo a failed append; restart seatmeter serve to repair it');
  });

  it('lists no segments where there is no journal', () => {
    expect(segmentsIn(join(journalDir(), 'none'))).toEqual([]);
  });
});
