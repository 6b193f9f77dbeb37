import { TransientError, ValidationError } from '../../core/errors.ts';

/** One record as a replay needs it. */
export interface ReadRecord {
  topic: string;
  partition: number;
  offset: number;
  key: Buffer | string | null;
  value: Buffer | null;
}

/** The part of @confluentinc/kafka-javascript's KafkaConsumer (librdkafka) used here. */
interface RdConsumer {
  connect(opts: object, cb: (err: Error | null) => void): void;
  disconnect(cb: () => void): void;
  assign(a: { topic: string; partition: number; offset: number }[]): void;
  setDefaultConsumeTimeout(ms: number): void;
  consume(n: number, cb: (err: Error | null, messages: ReadRecord[]) => void): void;
}
interface RdModule {
  KafkaConsumer: new (conf: Record<string, unknown>, topicConf: Record<string, unknown>) => RdConsumer;
}

/** Not a dependency of the project: built from source (librdkafka), so only where it was installed by hand. */
const PACKAGE = '@confluentinc/kafka-javascript';

async function loadModule(): Promise<RdModule> {
  try {
    const m = (await import(PACKAGE)) as { default?: RdModule } & RdModule;
    return m.KafkaConsumer ? m : m.default!;
  } catch (cause) {
    throw new ValidationError(
      `--client librdkafka needs ${PACKAGE}, which is not installed: ` +
        `apt-get install -y libssl-dev zlib1g-dev libzstd-dev libsasl2-dev liblz4-dev && ` +
        `CKJS_LINKING=dynamic npm install --no-save ${PACKAGE}@1.10.1`,
      { cause },
    );
  }
}

/**
 * Reads each partition from its start to its end bound (`topic:partition` → offsets) with
 * librdkafka, assigned directly (no group, nothing committed), handing records to `onBatch`
 * as they arrive. Records at or past a partition's end are dropped.
 */
export async function readWithLibrdkafka(
  brokers: string[],
  bounds: Map<string, { start: bigint; end: bigint }>,
  onBatch: (records: ReadRecord[]) => void,
): Promise<void> {
  const { KafkaConsumer } = await loadModule();
  const consumer = new KafkaConsumer(
    {
      'metadata.broker.list': brokers.join(','),
      'group.id': 'features-replay-unused',
      'enable.auto.commit': false,
      'fetch.max.bytes': 16 << 20,
      'max.partition.fetch.bytes': 4 << 20,
      'queued.max.messages.kbytes': 64 << 10,
      'fetch.wait.max.ms': 100,
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((ok, fail) =>
    consumer.connect({}, (err) =>
      err ? fail(new TransientError('librdkafka: cannot connect', { cause: err })) : ok(),
    ),
  );
  // Offsets stay far below 2^53: numbers compare faster than bigints, per record.
  const left = new Map<string, number>();
  const assignments = [];
  for (const [k, b] of bounds) {
    if (b.end <= b.start) continue;
    const cut = k.lastIndexOf(':');
    left.set(k, Number(b.end));
    assignments.push({ topic: k.slice(0, cut), partition: Number(k.slice(cut + 1)), offset: Number(b.start) });
  }
  try {
    consumer.setDefaultConsumeTimeout(100);
    consumer.assign(assignments);
    while (left.size) {
      const records = await new Promise<ReadRecord[]>((ok, fail) =>
        consumer.consume(20_000, (err, m) =>
          err ? fail(new TransientError('librdkafka: consume', { cause: err })) : ok(m),
        ),
      );
      const kept: ReadRecord[] = [];
      const reached = new Set<string>();
      for (const r of records) {
        const k = `${r.topic}:${r.partition}`;
        const end = left.get(k);
        if (end === undefined || r.offset >= end) continue;
        kept.push(r);
        if (r.offset + 1 >= end) reached.add(k);
      }
      if (kept.length) onBatch(kept);
      for (const k of reached) left.delete(k);
    }
  } finally {
    await new Promise<void>((ok) => consumer.disconnect(() => ok()));
  }
}
