import type { Admin } from 'kafkajs';
import type { Logger } from '../core/logger.ts';
import { waitFor } from '../core/wait-for.ts';
import { appProcess } from '../stack/apps.ts';
import { connectProcess, startConnect, waitForConnect } from '../stack/connect.ts';
import { kafkaHealthy, kafkaProcess, startKafkaNode } from '../stack/kafka.ts';
import { mariadbProcess, rootConnection, startMariadb, waitForMariadb } from '../stack/mariadb.ts';
import { killProcess, runningPid, stopProcess } from '../stack/processes.ts';
import { brokerCount } from '../stack/settings.ts';
import { signalApp } from './app-child.ts';
import { purgeBinlogFault } from './binlog-fault.ts';
import { servingFaults } from './serving-faults.ts';
import type { SystemUnderTest } from './system.ts';

/** One fault: what breaks, and what undoes it (the operator or the platform bringing a part back). */
export interface Fault {
  name: string;
  summary: string;
  /** `index`: the fault's place in the schedule (names what it leaves behind for the checker). */
  inject(sys: SystemUnderTest, pick: (n: number) => number, index: number): Promise<void>;
  heal(sys: SystemUnderTest): Promise<void>;
  /** Beyond the common recovery (orders in the store, CDC lag): what else must hold again. */
  recovered?(sys: SystemUnderTest, admin: Admin, lagSlack: number): Promise<boolean>;
}

export interface FaultDeps {
  logger: Logger;
}

const signalFeatures = (sys: SystemUnderTest, signal: NodeJS.Signals) => signalApp(sys, 'features', signal);

export function faultCatalog(deps: FaultDeps): Fault[] {
  // Which broker the last broker fault killed, so its heal restarts that one.
  let killedBroker = 1;
  return [
    {
      name: 'kill-broker',
      summary: 'kill -9 one of the 3 Kafka nodes, then start it again',
      async inject(sys, pick) {
        killedBroker = 1 + pick(brokerCount(sys.stack));
        await killProcess(kafkaProcess(sys.stack, killedBroker));
      },
      async heal(sys) {
        startKafkaNode(sys.stack, killedBroker);
        await waitFor(() => kafkaHealthy(sys.stack, true), { timeoutMs: 90_000, intervalMs: 250, what: 'all brokers' });
      },
    },
    {
      name: 'kill-connect',
      summary: 'kill -9 the Kafka Connect worker (Debezium inside), then start it again',
      inject: (sys) => killProcess(connectProcess(sys.stack)),
      async heal(sys) {
        startConnect(sys.stack);
        await waitForConnect(sys.stack);
      },
    },
    {
      name: 'restart-mariadb',
      summary: 'stop MariaDB (shop and store, SIGTERM), start it again after the hold',
      inject: async (sys) => void (await stopProcess(mariadbProcess(sys.stack))),
      async heal(sys) {
        await startMariadb(sys.stack, deps.logger);
        await waitForMariadb(sys.stack);
      },
    },
    {
      name: 'sigkill-features',
      summary: 'kill -9 the feature consumer mid-chunk; its supervisor restarts it',
      inject: (sys) => signalFeatures(sys, 'SIGKILL'),
      heal: async () => {},
    },
    {
      name: 'sigterm-features',
      summary: 'SIGTERM the feature consumer mid-chunk (it stops cleanly), then start it again',
      inject: (sys) => signalFeatures(sys, 'SIGTERM'),
      async heal(sys) {
        // Exit 0 is a stop on purpose: its supervisor ends too, and something must start it again.
        const proc = appProcess(sys.stack, 'features');
        await waitFor(async () => !runningPid(proc), { timeoutMs: 30_000, intervalMs: 50, what: 'supervisor to end' });
        await sys.startFeatures();
      },
    },
    {
      name: 'read-only-db',
      summary: 'SET GLOBAL read_only = ON: the store refuses writes (the shop writer may still write)',
      inject: (sys) => setReadOnly(sys, true),
      heal: (sys) => setReadOnly(sys, false),
    },
    {
      name: 'hung-db',
      summary: "black-hole the feature consumer's connections to its store (no answer, no refusal)",
      inject: async (sys) => sys.storeProxy.blackhole(),
      heal: async (sys) => sys.storeProxy.restore(),
    },
    purgeBinlogFault(),
    ...servingFaults(),
  ];
}

async function setReadOnly(sys: SystemUnderTest, on: boolean): Promise<void> {
  const conn = await rootConnection(sys.stack);
  try {
    await conn.query(`SET GLOBAL read_only = ${on ? 'ON' : 'OFF'}`);
  } finally {
    await conn.end();
  }
}
