import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { kafkaClasspath } from '../stack/jars.ts';
import { kafkaBrokers, type StackSettings } from '../stack/settings.ts';
import { cpuSeconds } from './cpu-share.ts';

const run = promisify(execFile);

/** Kafka's own consumer (kafka-consumer-perf-test's class) on the same topic: the raw rate to compare with. */
export async function rawConsumerRate(
  s: StackSettings,
  topic: string,
  messages: number,
): Promise<{ msgsPerSec: number; mbPerSec: number; cpuSeconds: number }> {
  let cpu = 0;
  const pending = run(
    'java',
    [
      '-Xmx512m',
      '-cp',
      kafkaClasspath(s),
      'org.apache.kafka.tools.ConsumerPerformance',
      '--bootstrap-server',
      kafkaBrokers(s)[0]!,
      '--topic',
      topic,
      '--messages',
      String(messages),
      '--group',
      `perf-${randomBytes(3).toString('hex')}`,
      '--timeout',
      '120000',
      '--hide-header',
    ],
    { maxBuffer: 1 << 20 },
  );
  // Its CPU time, sampled until it exits (the last sample is at most 200 ms old).
  const pid = pending.child.pid;
  const sampler = setInterval(() => (cpu = (pid && cpuSeconds(pid)) || cpu), 200);
  const { stdout } = await pending.finally(() => clearInterval(sampler));
  // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...
  const cols = stdout
    .trim()
    .split('\n')
    .at(-1)!
    .split(',')
    .map((c) => c.trim());
  return { mbPerSec: Number(cols[3]), msgsPerSec: Number(cols[5]), cpuSeconds: cpu };
}
