import type { Admin } from 'kafkajs';

export interface LagRow {
  group: string;
  topic: string;
  lag: number;
}

export interface KafkaStats {
  /** Committed lag of every consumer group, per topic; the API's own uncommitted readers are left out. */
  lag(): Promise<LagRow[]>;
  /** Messages held in each `*.dlq` topic. */
  dlq(): Promise<{ topic: string; count: number }[]>;
  /** Messages/s produced to each topic since the previous call (empty on the first). */
  rates(): Promise<{ name: string; per_second: number }[]>;
}

const isInternal = (t: string) => t.startsWith('__') || t.startsWith('_') || t.startsWith('connect-');

export function createKafkaStats(deps: { admin: Admin; clock: () => Date; ownGroupPrefixes: string[] }): KafkaStats {
  const { admin } = deps;
  let previous: { at: number; ends: Map<string, number> } | undefined;

  const ends = async (topic: string) => {
    const offsets = await admin.fetchTopicOffsets(topic);
    return {
      high: new Map(offsets.map((o) => [o.partition, Number(o.high)])),
      held: offsets.reduce((a, o) => a + Number(o.high) - Number(o.low), 0),
      total: offsets.reduce((a, o) => a + Number(o.high), 0),
    };
  };

  return {
    async lag() {
      const { groups } = await admin.listGroups();
      const ids = groups
        .map((g) => g.groupId)
        .filter((id) => !deps.ownGroupPrefixes.some((p) => id.startsWith(p)))
        .sort();
      const rows: LagRow[] = [];
      const cache = new Map<string, Awaited<ReturnType<typeof ends>>>();
      for (const group of ids) {
        for (const t of await admin.fetchOffsets({ groupId: group })) {
          if (isInternal(t.topic)) continue;
          const e = cache.get(t.topic) ?? (await ends(t.topic));
          cache.set(t.topic, e);
          // A partition the group never committed counts as not read at all (its whole log).
          const lag = t.partitions.reduce((a, p) => {
            const high = e.high.get(p.partition) ?? 0;
            return a + (p.offset === '-1' ? high : Math.max(0, high - Number(p.offset)));
          }, 0);
          rows.push({ group, topic: t.topic, lag });
        }
      }
      return rows;
    },
    async dlq() {
      const topics = (await admin.listTopics()).filter((t) => t.endsWith('.dlq')).sort();
      return Promise.all(topics.map(async (topic) => ({ topic, count: (await ends(topic)).held })));
    },
    async rates() {
      const topics = (await admin.listTopics()).filter((t) => !isInternal(t) && !t.endsWith('.dlq')).sort();
      const now = deps.clock().getTime();
      const current = new Map<string, number>();
      for (const t of topics) current.set(t, (await ends(t)).total);
      const before = previous;
      previous = { at: now, ends: current };
      if (!before || now <= before.at) return [];
      const seconds = (now - before.at) / 1000;
      return topics
        .filter((t) => before.ends.has(t))
        .map((name) => ({ name, per_second: Math.max(0, (current.get(name)! - before.ends.get(name)!) / seconds) }));
    },
  };
}
