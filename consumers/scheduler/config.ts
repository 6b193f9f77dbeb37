import { z } from 'zod';
import { APP_PORTS } from '../../core/config/app-ports.ts';
import { loadEnv } from '../../core/config/load-env.ts';
import { boolFlag, kafkaEnv, loggingEnv, metricsPortEnv } from '../../core/config/pieces.ts';
import type { LogLevel } from '../../core/logger.ts';
import { jobsTopic, type JobName } from '../../streams/control/job-event.ts';

export interface ScheduledJob {
  job: JobName;
  /** Cron pattern (croner syntax), in `timezone`. */
  cron: string;
}

export interface SchedulerConfig {
  brokers: string[];
  controlTopic: string;
  jobs: ScheduledJob[];
  timezone: string;
  catchUp: boolean;
  metricsPort: number;
  logLevel: LogLevel;
}

const envSchema = z.object({
  ...kafkaEnv,
  ...loggingEnv,
  ...metricsPortEnv(APP_PORTS.scheduler.env, APP_PORTS.scheduler.port),
  CONTROL_TOPIC: z.string().default(jobsTopic.name),
  SCHEDULER_SWEEP_CRON: z.string().default('0 3 * * *'),
  SCHEDULER_RETRAIN_CRON: z.string().default('0 4 * * *'),
  SCHEDULER_TIMEZONE: z.string().default('UTC'),
  SCHEDULER_CATCH_UP: boolFlag.default(true),
});

export function loadSchedulerConfig(env: NodeJS.ProcessEnv): SchedulerConfig {
  const e = loadEnv(envSchema, env, 'the scheduler');
  return {
    brokers: e.KAFKA_BROKERS,
    controlTopic: e.CONTROL_TOPIC,
    jobs: [
      { job: 'daily-sweep', cron: e.SCHEDULER_SWEEP_CRON },
      { job: 'retrain', cron: e.SCHEDULER_RETRAIN_CRON },
    ],
    timezone: e.SCHEDULER_TIMEZONE,
    catchUp: e.SCHEDULER_CATCH_UP,
    metricsPort: e.SCHEDULER_METRICS_PORT,
    logLevel: e.LOG_LEVEL,
  };
}
