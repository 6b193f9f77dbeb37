import { createKafka } from '../core/kafka.ts';
import { randomBytes } from 'node:crypto';
import type { ResultSetHeader } from 'mysql2';
import { Partitioners } from 'kafkajs';
import { intFlag, type ParsedArgs } from '../core/args.ts';
import type { CommandContext } from '../core/command.ts';
import { kafkaBrokers, type StackSettings } from '../stack/settings.ts';
import { stackStatus } from '../stack/stack.ts';
import { waitFor } from '../core/wait-for.ts';
import { createScratchDatabase } from '../e2e/harness/scratch-database.ts';
import { startScratchCdc } from '../e2e/harness/scratch-cdc.ts';
import { readTopics, type TopicReader } from '../e2e/harness/topic-reader.ts';
import { decodeFromTopic } from '../streams/cdc/decode.ts';
import { requireStack } from './require-stack.ts';
import { quantile, type Benchmark, type Figures } from './benchmark.ts';

const now = () => performance.timeOrigin + performance.now();

interface Summary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}
function summarize(xs: number[]): Summary {
  const s = [...xs].sort((a, b) => a - b);
  const r = (v: number) => Math.round(v * 10) / 10;
  return {
    p50: r(quantile(s, 0.5)),
    p90: r(quantile(s, 0.9)),
    p99: r(quantile(s, 0.99)),
    max: r(s.at(-1)!),
    mean: r(s.reduce((a, b) => a + b, 0) / s.length),
  };
}

/** Insert one order at a time (autocommit) and time commit -> event received by a Kafka consumer. */
async function measureCdc(s: StackSettings, n: number, progress: (i: number) => void): Promise<number[]> {
  const tdb = await createScratchDatabase(s, 'bench');
  const cdc = await startScratchCdc(s, tdb.name);
  let reader: TopicReader | undefined;
  try {
    const [u] = await tdb.pool.query<ResultSetHeader>(
      "INSERT INTO users (nickname, gender, region, joined_at, tenure_months) VALUES ('bench', 'F', 'Chicago', NOW(3), 1)",
    );
    reader = await readTopics(kafkaBrokers(s), [cdc.topics.orders.name]);
    const arrival = new Map<number, number>();
    let seen = 0;
    const scan = () => {
      for (; seen < reader!.messages.length; seen++) {
        const m = reader!.messages[seen]!;
        const r = decodeFromTopic(cdc.topics.orders, m);
        if (r.ok && r.event.kind === 'create' && !arrival.has(r.event.after.id))
          arrival.set(r.event.after.id, m.receivedAt);
      }
    };
    const latencies: number[] = [];
    for (let i = -10; i < n; i++) {
      // the first 10 warm up the connector, the consumer and the JIT
      const [r] = await tdb.pool.query<ResultSetHeader>(
        "INSERT INTO orders (user_id, status, placed_at) VALUES (?, 'paid', NOW(3))",
        [u.insertId],
      );
      const committedAt = now();
      await waitFor(
        async () => {
          scan();
          return arrival.has(r.insertId);
        },
        { timeoutMs: 30_000, intervalMs: 1, what: `order ${r.insertId} on Kafka` },
      );
      if (i >= 0) latencies.push(arrival.get(r.insertId)! - committedAt);
      progress(i);
    }
    return latencies;
  } finally {
    await reader?.close();
    await cdc.stop();
    await tdb.drop();
  }
}

/** The floor: the same consumer reading what a kafkajs producer wrote (acks=all) to the same broker. */
async function measureKafka(s: StackSettings, n: number): Promise<number[]> {
  const topic = `bench.kafka-ref.${randomBytes(4).toString('hex')}`;
  const kafka = createKafka({ clientId: 'bench', brokers: kafkaBrokers(s) });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const reader = await readTopics(kafkaBrokers(s), [topic]);
  const admin = kafka.admin();
  try {
    const lat: number[] = [];
    for (let i = -10; i < n; i++) {
      await producer.send({ topic, acks: -1, messages: [{ key: String(i), value: JSON.stringify({ i }) }] });
      const sentAt = now();
      const m = await waitFor(async () => reader.messages.find((x) => x.key?.toString() === String(i)), {
        timeoutMs: 10_000,
        intervalMs: 1,
        what: 'reference message',
      });
      if (i >= 0) lat.push(m.receivedAt - sentAt);
    }
    return lat;
  } finally {
    await reader.close();
    await producer.disconnect();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
  }
}

export const cdcLatency: Benchmark = {
  name: 'cdc-latency',
  summary: 'committed insert -> decoded Debezium event readable in Kafka: p50/p90/p99 over N inserts, vs raw Kafka',
  args: { options: { inserts: { type: 'string', value: 'N', default: '200' } }, note: '(needs `npm run stack -- up`)' },
  async run(args: ParsedArgs, ctx: CommandContext): Promise<Figures> {
    const n = intFlag(args, 'inserts', { min: 1 });
    const s = await requireStack(ctx);
    ctx.out(`inserting ${n} orders one at a time into a scratch database with its own connector...`);
    const cdc = summarize(
      await measureCdc(s, n, (i) => {
        if (i > 0 && i % 50 === 0) process.stderr.write(`  ${i}/${n}\n`);
      }),
    );
    const ref = summarize(await measureKafka(s, n));
    const mem = Object.fromEntries((await stackStatus(s)).map((c) => [`rss_${c.component}_mib`, c.rssMiB ?? null]));
    ctx.out(
      `CDC insert -> Kafka (ms):   p50 ${cdc.p50}  p90 ${cdc.p90}  p99 ${cdc.p99}  max ${cdc.max}  mean ${cdc.mean}`,
    );
    ctx.out(`Kafka produce -> consume:   p50 ${ref.p50}  p90 ${ref.p90}  p99 ${ref.p99}  (reference, same run)`);
    ctx.out(`ratio CDC/Kafka p50: ${(cdc.p50 / ref.p50).toFixed(1)}x`);
    ctx.out(
      `resident memory (MiB): ${Object.entries(mem)
        .map(([k, v]) => `${k.replace(/^rss_|_mib$/g, '')} ${v}`)
        .join(', ')}`,
    );
    return {
      inserts: n,
      p50_ms: cdc.p50,
      p90_ms: cdc.p90,
      p99_ms: cdc.p99,
      max_ms: cdc.max,
      mean_ms: cdc.mean,
      kafka_ref_p50_ms: ref.p50,
      kafka_ref_p99_ms: ref.p99,
      ratio_p50: Math.round((cdc.p50 / ref.p50) * 10) / 10,
      ...mem,
    };
  },
};
