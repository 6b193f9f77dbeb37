import { parse } from 'csv-parse/sync';
import { ValidationError } from '../../core/errors.ts';

/** One CSV record and the physical line it starts on (1 = the header); `error` when the line is unreadable. */
export interface CsvRecord {
  line: number;
  fields: string[];
  error?: string;
}

export interface CsvLimits {
  /** A record (all its fields and line breaks) longer than this is rejected: these files' rows are < 1 KiB. */
  maxRecordChars: number;
  /** Text handed to csv-parse at once when the input is clean. */
  batchChars: number;
  /**
   * Malformed lines after which the file is refused: each costs ~2 x maxRecordChars of parsing, so a
   * file of nothing else would take minutes, and a file that bad is not a shop export anyway.
   */
  maxMalformedLines: number;
}

export const DEFAULT_CSV_LIMITS: CsvLimits = {
  maxRecordChars: 16 * 1024,
  batchChars: 256 * 1024,
  maxMalformedLines: 1_000,
};

interface Line {
  no: number;
  text: string;
  /** The line ran past maxRecordChars: the rest was dropped while looking for its end. */
  tooLong: boolean;
}

type Event = { rec: string[]; endLine: number } | { error: string; code: string };

/**
 * Records from text pushed in chunks, parsed by csv-parse (RFC 4180: quotes, doubled quotes,
 * line breaks inside quotes). csv-parse cannot resume after a malformed record, so a record it
 * rejects costs only its first physical line: parsing restarts on the next one. An unclosed quote
 * therefore loses one row, not the rest of the file. Memory is bounded by the limits whatever
 * the input: a line is never held beyond maxRecordChars.
 */
export function createCsvRecords(limits: CsvLimits = DEFAULT_CSV_LIMITS) {
  const queue: Line[] = [];
  let queued = 0;
  let partial = '';
  let partialTooLong = false;
  let pendingCr = false;
  let lineNo = 1;
  let budget = limits.batchChars;
  let malformed = 0;

  const addLine = () => {
    queue.push({ no: lineNo++, text: partial, tooLong: partialTooLong });
    queued += partial.length + 1;
    partial = '';
    partialTooLong = false;
  };

  const split = (text: string) => {
    let from = 0;
    const take = (to: number) => {
      if (partialTooLong) return;
      const room = limits.maxRecordChars + 1 - partial.length;
      partial += text.slice(from, Math.min(to, from + room));
      if (to - from > room) partialTooLong = true;
    };
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (pendingCr) {
        pendingCr = false;
        if (ch === 10) {
          from = i + 1;
          continue;
        }
      }
      if (ch !== 10 && ch !== 13) continue;
      take(i);
      addLine();
      pendingCr = ch === 13;
      from = i + 1;
    }
    take(text.length);
  };

  /** Parses the front of the queue once; false when it needs more input to settle anything. */
  const step = (final: boolean, out: CsvRecord[]): boolean => {
    const first = queue[0]!;
    if (first.tooLong) {
      drop(1);
      out.push({ line: first.no, fields: [], error: `line longer than ${limits.maxRecordChars} characters` });
      return true;
    }
    let n = 0;
    let chars = 0;
    while (n < queue.length && !queue[n]!.tooLong && (n === 0 || chars + queue[n]!.text.length < budget))
      chars += queue[n++]!.text.length + 1;
    // Whether a record still open at the batch's end could go on in lines not parsed yet.
    const more = n < queue.length ? !queue[n]!.tooLong : !final;
    const events = parseBatch(queue.slice(0, n), limits);
    let done = 0;
    for (const e of events) {
      if ('rec' in e) {
        out.push({ line: queue[firstNonEmpty(queue, done, e.endLine)]!.no, fields: e.rec });
        done = e.endLine;
        continue;
      }
      const start = firstNonEmpty(queue, done, n);
      // The batch may end inside a legitimate multi-line record: read on before judging it.
      if (e.code === 'CSV_QUOTE_NOT_CLOSED' && more && chars - offsetOf(queue, start) < limits.maxRecordChars) {
        drop(done);
        budget = 2 * chars + (queue[n - done]?.text.length ?? 0) + 1;
        return done > 0 || n - done < queue.length;
      }
      drop(start);
      const bad = queue[0]!;
      drop(1);
      out.push({ line: bad.no, fields: [], error: `malformed CSV: ${e.error}` });
      if (++malformed > limits.maxMalformedLines)
        throw new ValidationError(
          `more than ${limits.maxMalformedLines} malformed CSV lines (the last at line ${bad.no}): is this the right file?`,
          { path: `line ${bad.no}` },
        );
      // Small batches after a bad line, so a file full of them costs ~2 x maxRecordChars per line.
      budget = 4096;
      return true;
    }
    drop(n);
    budget = Math.min(limits.batchChars, budget * 2);
    return true;
  };

  const drop = (count: number) => {
    for (const l of queue.splice(0, count)) queued -= l.text.length + 1;
  };

  const drain = (final: boolean): CsvRecord[] => {
    const out: CsvRecord[] = [];
    while (queue.length && (final || queued >= budget)) if (!step(final, out)) break;
    return out;
  };

  return {
    push(text: string): CsvRecord[] {
      split(text);
      return drain(false);
    },
    end(): CsvRecord[] {
      if (partial !== '' || partialTooLong) addLine();
      return drain(true);
    },
  };
}

/** Index in the queue of the first line after `from` lines that holds anything (records skip empty lines). */
function firstNonEmpty(queue: Line[], from: number, limit: number): number {
  let i = from;
  while (i < limit - 1 && queue[i]!.text === '') i++;
  return i;
}

const offsetOf = (queue: Line[], index: number) => {
  let chars = 0;
  for (let i = 0; i < index; i++) chars += queue[i]!.text.length + 1;
  return chars;
};

const STOP = Symbol('stop after the first error');

/** Records and errors in input order; what follows the first error is not to be trusted. */
function parseBatch(lines: Line[], limits: CsvLimits): Event[] {
  const events: Event[] = [];
  let failed = false;
  const text = lines.map((l) => l.text).join('\n') + '\n';
  try {
    parse(text, {
      record_delimiter: '\n',
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: limits.maxRecordChars,
      on_record: (record, ctx) => {
        if (!failed) events.push({ rec: record, endLine: ctx.lines });
        return null;
      },
      on_skip: (err) => {
        failed = true;
        if (err) events.push({ error: err.message, code: err.code ?? 'CSV_ERROR' });
        // Nothing after the first error is used: stop, or a batch of bad lines builds an error per line.
        throw STOP;
      },
    });
  } catch (err) {
    if (err === STOP) return events;
    events.push({ error: (err as Error).message, code: (err as { code?: string }).code ?? 'CSV_ERROR' });
  }
  return events;
}
